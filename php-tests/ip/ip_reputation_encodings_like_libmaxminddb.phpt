--TEST--
IPReputation::lookup decodes each MMDB encoding as php-maxminddb (libmaxminddb) does — integer widths, signed and huge integers, booleans, floats, doubles, strings and map keys as bytes, extended sizes, containers, pointers — and refuses what it refuses; the two deliberate differences (a non-string map key, a boolean of size 2) are errors that name the offset
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
require __DIR__ . '/mmdb_write.inc';
$dir = sys_get_temp_dir() . '/wg-encodings-' . getmypid();
@mkdir($dir);
// Each record sits at data offset 0 of a one-node IPv4 database (so a
// pointer's target is an offset in the record's own bytes).
$cases = [
    'uint16, 0 bytes' => "\xA0",
    'uint16, 2 bytes' => "\xA2\xff\xfe",
    'uint16, 3 bytes' => "\xA3\x01\x02\x03",
    'uint32, 5 bytes' => "\xC5\x01\x02\x03\x04\x05",
    'int32, 1 byte 0xff' => "\x01\x01\xFF",
    'int32, 4 bytes 0xffffffff' => "\x04\x01\xFF\xFF\xFF\xFF",
    'int32, 5 bytes' => "\x05\x01\x01\x02\x03\x04\x05",
    'uint64, max' => "\x08\x02" . str_repeat("\xFF", 8),
    'uint64, 9 bytes' => "\x09\x02" . str_repeat("\x01", 9),
    'uint128, max' => "\x10\x03" . str_repeat("\xFF", 16),
    'uint128, 17 bytes' => "\x11\x03" . str_repeat("\x01", 17),
    'boolean false' => "\x00\x07",
    'boolean true' => "\x01\x07",
    'float' => "\x04\x08" . pack('G', 1.5),
    'float, 8 bytes' => "\x08\x08" . str_repeat("\0", 8),
    'double' => "\x68" . pack('E', -2.25),
    'double, 4 bytes' => "\x64\x00\x00\x00\x00",
    'bytes' => "\x83a\0c",
    'data cache container' => "\x00\x05",
    'end marker' => "\x00\x06",
    'string, not UTF-8' => "\x42\xff\xfe",
    'string, size 29' => "\x5D\x00" . str_repeat('x', 29),
    'string, size 285' => "\x5E\x00\x00" . str_repeat('x', 285),
    'map, key not UTF-8' => "\xE1\x42\xff\xfe\x42\xc3\x28",
    'map, repeated key' => "\xE2\x41a\x41x\x41a\x41y",
    'map, integer-like keys' => "\xE2\x415\x41x\x42-1\x41y",
    'map, key behind a pointer' => "\xE2\x41k\x41v\x20\x01\x41w",
    'array of containers' => "\x02\x04\xE1\x41a\x41b\x01\x04\x41c",
    'pointer to a pointer' => "\x20\x02\x20\x00",
    'top-level string' => "\x43abc",
];
// The deliberate differences: errors here, answers there.
$differences = [
    'map, key not a string' => "\xE1\xA1\x05\x41x",
    'boolean, size 2' => "\x02\x07",
];
/** $reader's answer for 1.1.1.1 as comparable text, or "error". */
function answer(callable $lookup): string {
    try { return serialize($lookup()); } catch (Throwable $e) { return 'error: ' . $e->getMessage(); }
}
$agree = 0;
foreach ($cases + $differences as $name => $record) {
    $path = "$dir/" . md5($name) . '.mmdb';
    mmdb_write($path, $record, mmdb_map([]));
    $theirs = answer(fn() => (new MaxMind\Db\Reader($path))->get('1.1.1.1'));
    $ours = answer(function () use ($path) {
        $answer = WikiGuard\IPReputation::open($path)->lookup('1.1.1.1');
        // A record that is not a map comes under `value`.
        return array_keys($answer) === ['value', 'network'] ? $answer['value'] : array_diff_key($answer, ['network' => 1]);
    });
    $same = str_starts_with($theirs, 'error') ? str_starts_with($ours, 'error') : $theirs === $ours;
    if (isset($differences[$name])) {
        echo "$name: php-maxminddb ", unserialize($theirs) === false ? 'false' : json_encode(unserialize($theirs)), "; WikiGuard ", substr($ours, strpos($ours, ': ', 7) + 2), "\n";
    } elseif ($same) {
        $agree++;
    } else {
        echo "MISMATCH $name: php-maxminddb $theirs, WikiGuard $ours\n";
    }
}
echo "agree with php-maxminddb: $agree of ", count($cases), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
map, key not a string: php-maxminddb {"":"x"}; WikiGuard a map key at offset 1 is not a string
boolean, size 2: php-maxminddb true; WikiGuard a boolean at offset 0 has value 2
agree with php-maxminddb: 30 of 30
