--TEST--
IPReputation::open() accepts and refuses MMDB metadata as php-maxminddb (libmaxminddb) does: required keys, their exact types, the zero values libmaxminddb reads as missing, binary formats other than 2; a refusal names the file and the key
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
require __DIR__ . '/mmdb_write.inc';
$dir = sys_get_temp_dir() . '/wg-metadata-' . getmypid();
@mkdir($dir);
// Each case changes one key of valid metadata (null: leaves it out).
$cases = [
    'valid' => [],
    'node_count uint16' => ['node_count' => mmdb_uint(5, 1)],
    'node_count 0' => ['node_count' => mmdb_uint(6, 0)],
    'node_count missing' => ['node_count' => null],
    'record_size uint32' => ['record_size' => mmdb_uint(6, 24)],
    'record_size 20' => ['record_size' => mmdb_uint(5, 20)],
    'ip_version uint32' => ['ip_version' => mmdb_uint(6, 4)],
    'ip_version 5' => ['ip_version' => mmdb_uint(5, 5)],
    'database_type uint16' => ['database_type' => mmdb_uint(5, 1)],
    'languages missing' => ['languages' => null],
    'languages of uint16' => ['languages' => mmdb_array([mmdb_uint(5, 1)])],
    'languages empty' => ['languages' => mmdb_array([])],
    'major version uint32' => ['binary_format_major_version' => mmdb_uint(6, 2)],
    'major version 0' => ['binary_format_major_version' => mmdb_uint(5, 0)],
    'major version 3' => ['binary_format_major_version' => mmdb_uint(5, 3)],
    'minor version missing' => ['binary_format_minor_version' => null],
    'minor version uint32' => ['binary_format_minor_version' => mmdb_uint(6, 0)],
    'build_epoch 0' => ['build_epoch' => mmdb_uint64(0)],
    'build_epoch uint32' => ['build_epoch' => mmdb_uint(6, 5)],
    'description missing' => ['description' => null],
    'description of uint16' => ['description' => mmdb_map([['en', mmdb_uint(5, 1)]])],
    'description empty' => ['description' => mmdb_map([])],
    'an extra key' => ['extra' => mmdb_string('ignored')],
];
/** Whether $open() succeeds; its exception message otherwise. */
function opens(callable $open): true|string {
    try { $open(); return true; } catch (Throwable $e) { return $e->getMessage(); }
}
$agree = 0;
foreach ($cases as $name => $change) {
    $metadata = array_filter(array_merge(mmdb_metadata(), $change), fn($v) => $v !== null);
    $path = "$dir/" . str_replace(' ', '-', $name) . '.mmdb';
    mmdb_write($path, mmdb_map([['a', mmdb_string('b')]]), mmdb_map([['a', mmdb_string('c')]]), $metadata);
    $theirs = opens(fn() => new MaxMind\Db\Reader($path)) === true;
    $ours = opens(fn() => WikiGuard\IPReputation::open($path));
    if ($theirs === ($ours === true)) {
        $agree++;
    } else {
        echo "$name: php-maxminddb ", $theirs ? 'opens' : 'refuses', ', WikiGuard ', $ours === true ? 'opens' : "refuses: $ours", "\n";
    }
}
echo "agree with php-maxminddb: $agree of ", count($cases), "\n";

// What a refusal says.
echo basename(opens(fn() => WikiGuard\IPReputation::open("$dir/build_epoch-0.mmdb"))), "\n";
echo basename(opens(fn() => WikiGuard\IPReputation::open("$dir/languages-missing.mmdb"))), "\n";

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
agree with php-maxminddb: 23 of 23
build_epoch-0.mmdb: metadata: `build_epoch` is 0
languages-missing.mmdb: metadata: `languages` is missing or not an array of strings
