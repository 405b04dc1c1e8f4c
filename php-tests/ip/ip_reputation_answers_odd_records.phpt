--TEST--
IPReputation answers for odd top-level records: an empty map (no buckets to copy: the answer's table is made fresh) is cached from its second lookup like any record; a map of integer keys only (a PHP list, which cannot take `network` in place) gets a request copy at every lookup; all equal php-maxminddb's record plus `network`, and the caller's changes reach neither
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
// A one-node IPv4 database written here byte by byte (MMDB 2.0): 0.0.0.0/1
// holds {} and 128.0.0.0/1 holds {"0": "a", "1": "b"}. wikiguard-db never
// writes such records; a third-party file may.
function mmdb_string(string $s): string { return chr(0x40 | strlen($s)) . $s; }
function mmdb_uint(int $type, int $value): string {
    $bytes = ltrim(pack('J', $value), "\0");
    return chr($type << 5 | strlen($bytes)) . $bytes;
}
function mmdb_map(array $pairs): string {
    $out = chr(0xe0 | count($pairs));
    foreach ($pairs as [$key, $value]) { $out .= mmdb_string($key) . $value; }
    return $out;
}
$data = mmdb_map([]) . mmdb_map([['0', mmdb_string('a')], ['1', mmdb_string('b')]]);
$record = fn(int $offset) => substr(pack('N', 1 + 16 + $offset), 1);   // node_count + 16 + offset, 24 bits
$tree = $record(0) . $record(1);
$metadata = mmdb_map([
    ['binary_format_major_version', mmdb_uint(5, 2)],
    ['binary_format_minor_version', mmdb_uint(5, 0)],
    ['build_epoch', "\x04\x02" . pack('N', 1700000000)],           // uint64
    ['database_type', mmdb_string('odd-records')],
    ['description', mmdb_map([['en', mmdb_string('odd records')]])],
    ['ip_version', mmdb_uint(5, 4)],
    ['languages', "\x00\x04"],                                  // empty array
    ['node_count', mmdb_uint(6, 1)],
    ['record_size', mmdb_uint(5, 24)],
]);
$path = sys_get_temp_dir() . '/wg-odd-records-' . getmypid() . '.mmdb';
file_put_contents($path, $tree . str_repeat("\0", 16) . $data . "\xab\xcd\xefMaxMind.com" . $metadata);

$rep = WikiGuard\IPReputation::open($path);
$maxmind = new MaxMind\Db\Reader($path);
foreach (['10.0.0.1' => '0.0.0.0/1', '200.0.0.1' => '128.0.0.0/1'] as $ip => $network) {
    $expected = $maxmind->get($ip) + ['network' => $network];
    $kept = [];
    for ($i = 0; $i < 4; $i++) {
        $answer = $rep->lookup($ip);
        ob_start();
        debug_zval_dump($answer);
        $copy = !str_contains(strtok(ob_get_clean(), "\n"), 'interned');
        echo "$ip lookup $i: ", $answer === $expected ? 'equal' : 'DIFFERENT ' . json_encode($answer), $copy ? ', a copy' : ', cached', "\n";
        $answer[] = 'changed by the caller';
        $kept[] = $answer;
    }
    echo "$ip: ", json_encode($expected), "; the next lookup still ", $rep->lookup($ip) === $expected ? 'equal' : 'DIFFERENT', "\n";
}
unlink($path);
?>
--EXPECT--
10.0.0.1 lookup 0: equal, a copy
10.0.0.1 lookup 1: equal, cached
10.0.0.1 lookup 2: equal, cached
10.0.0.1 lookup 3: equal, cached
10.0.0.1: {"network":"0.0.0.0\/1"}; the next lookup still equal
200.0.0.1 lookup 0: equal, a copy
200.0.0.1 lookup 1: equal, a copy
200.0.0.1 lookup 2: equal, a copy
200.0.0.1 lookup 3: equal, a copy
200.0.0.1: {"0":"a","1":"b","network":"128.0.0.0\/1"}; the next lookup still equal
