--TEST--
isInRanges, IPSet and lookupMany read any PHP array shape: references, holes, string keys, scalars; non-scalars throw InvalidInputException
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
$ref = ['1.2.3.0/24'];
$alias = &$ref[0];                                  // a reference element
$holes = [5 => '9.9.9.0/24', 'k' => '2.0.0.0/8', 7 => '::/8'];
unset($holes[5]);                                   // a hole in a hash array
$packedHoles = ['10.0.0.0/8', '11.0.0.0/8', '12.0.0.0/8'];
unset($packedHoles[1]);                             // a hole in a packed array
$scalars = [123, '1.2.3.0/24'];
foreach ([$ref, $holes, $packedHoles, $scalars] as $ranges) {
    foreach (['1.2.3.4', '2.3.4.5', '9.9.9.9', '11.1.1.1', '12.1.1.1', '::1'] as $ip) {
        $expected = Wikimedia\IPUtils::isInRanges($ip, $ranges);
        if ($expected !== WikiGuard\IPUtils::isInRanges($ip, $ranges)) { echo "MISMATCH isInRanges($ip)\n"; }
        if ((new Wikimedia\IPSet($ranges))->match($ip) !== (new WikiGuard\IPSet($ranges))->match($ip)) { echo "MISMATCH IPSet($ip)\n"; }
    }
}
foreach ([fn() => WikiGuard\IPUtils::isInRanges('1.2.3.4', [[1]]), fn() => new WikiGuard\IPSet([new stdClass]),
          fn() => WikiGuard\IPUtils::isValid([])] as $call) {
    try { $call(); echo "no exception\n"; } catch (WikiGuard\InvalidInputException $e) { echo $e->getMessage(), "\n"; }
}
$db = WikiGuard\IPReputation::open(__DIR__ . '/../data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb');
$ips = ['a' => '1.2.0.1', 'gone' => '9.9.9.9', 3 => '10.0.0.1'];
unset($ips['gone']);
$ip = '81.2.69.1';
$ips[] = &$ip;
$many = $db->lookupMany($ips);
var_dump(array_keys($many), $many['1.2.0.1']['network'], $many['10.0.0.1'], $many['81.2.69.1'] === $db->lookup('81.2.69.1'));
echo "done\n";
?>
--EXPECT--
each of $ranges must be a string, Array given
each CIDR must be a string, Object given
$ip must be a string, Array given
array(3) {
  [0]=>
  string(7) "1.2.0.1"
  [1]=>
  string(8) "10.0.0.1"
  [2]=>
  string(9) "81.2.69.1"
}
string(10) "1.2.0.0/16"
NULL
bool(true)
done
