--TEST--
IPReputation answers for odd top-level records: an empty map (no buckets to copy: the answer's table is made fresh) is cached from its second lookup like any record; a map of integer keys only (a PHP list, which cannot take `network` in place) gets a request copy at every lookup; all equal php-maxminddb's record plus `network`, and the caller's changes reach neither
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
// A one-node IPv4 database written here byte by byte: 0.0.0.0/1 holds {}
// and 128.0.0.0/1 holds {"0": "a", "1": "b"}. wikiguard-db never writes
// such records; a third-party file may.
require __DIR__ . '/mmdb_write.inc';
$path = sys_get_temp_dir() . '/wg-odd-records-' . getmypid() . '.mmdb';
mmdb_write($path, mmdb_map([]), mmdb_map([['0', mmdb_string('a')], ['1', mmdb_string('b')]]));

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
