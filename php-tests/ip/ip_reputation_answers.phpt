--TEST--
IPReputation: a network's finished answer (record + network) cached as one immutable array — repeated lookups, IPv4 and IPv6 forms of one address, the same bits in two families, more networks than the cache holds and than a request may let go of, writes by the caller, lookupMany; every answer equals php-maxminddb's; a network gets its cached answer at its second lookup
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
$cli = getenv('WIKIGUARD_DB') ?: dirname(__DIR__, 2) . '/target/cli/release/wikiguard-db';
if (!is_executable($cli)) {
    throw new RuntimeException("$cli is missing: run `make cli`");
}
$dir = sys_get_temp_dir() . '/wg-answers-' . getmypid();
@mkdir($dir);

// 20,000 listed hosts (one record for all, so only `network` tells their
// answers apart: about 8 MiB of answers, four times the 2 MiB a thread
// keeps and twice the 4 MiB a request may let go of), a /16, and an IPv4
// /8 and an IPv6 /8 with the same leading bits.
mt_srand(11);
$hosts = [];
while (count($hosts) < 20000) {
    $hosts[long2ip(mt_rand(0x0c000000, 0x0cffffff))] = true;
}
$hosts = array_keys($hosts);
file_put_contents("$dir/tor.txt", implode("\n", $hosts) . "\n");
file_put_contents("$dir/drop.txt", "10.1.0.0/16 ; SBL1\n1.0.0.0/8 ; SBL2\n");
file_put_contents("$dir/v6.txt", "100::/8\n");
exec("$cli build -o $dir/rep.mmdb tor:$dir/tor.txt list=drop:$dir/drop.txt list=v6:$dir/v6.txt 2>&1", $out, $rc);
if ($rc !== 0) { throw new RuntimeException("build failed: " . implode("\n", $out)); }
$rep = WikiGuard\IPReputation::open("$dir/rep.mmdb");
$maxmind = new MaxMind\Db\Reader("$dir/rep.mmdb");

/** Whether $answer is php-maxminddb's record of $ip plus $network. */
function agrees(?array $answer, MaxMind\Db\Reader $maxmind, string $ip, string $network): bool {
    if ($answer === null || $answer['network'] !== $network) { return false; }
    unset($answer['network']);
    return $answer === $maxmind->get($ip);
}

// 1. One network, many lookups and forms: the IPv4 form and the IPv6 forms
//    of an address reach one record but are different networks; 1.0.0.0/8
//    and 100::/8 have the same bits and prefix length, in two families. (A
//    network gets its cached answer at its second lookup, so each form is
//    looked up more than twice.)
$same = 0;
for ($i = 0; $i < 500; $i++) { $same += agrees($rep->lookup('10.1.7.' . ($i % 256)), $maxmind, '10.1.7.1', '10.1.0.0/16'); }
echo "500 lookups in 10.1.0.0/16 agree: $same\n";
foreach (['10.1.2.3', '::10.1.2.3', '::ffff:10.1.2.3', '10.1.2.3', '::ffff:10.1.2.3', '::10.1.2.3', '10.1.2.3', '::10.1.2.3', '1.2.3.4', '1.2.3.4', '100::1', '100::1', '1.2.3.4', '100::1'] as $ip) {
    echo str_pad($ip, 16), ' ', $rep->lookup($ip)['network'], "\n";
}

// 2. Every host twice in a row, then once more: the first lookup of a host
//    gets a request copy, the second its new cached answer; the cache starts
//    over twice, then (past the budget) answers are request copies again;
//    the last pass meets every kind. Arrays kept from the first pass stay
//    intact.
$kept = [];
$agree = 0;
foreach ([0, 1] as $pass) {
    foreach ($hosts as $k => $ip) {
        foreach ($pass === 0 ? [0, 1] : [0] as $time) {
            $answer = $rep->lookup($ip);
            $agree += agrees($answer, $maxmind, $ip, "$ip/32");
            if ($pass === 0 && $k % 7 === 0) { $kept["$ip $time"] = $answer; }
        }
    }
}
$intact = 0;
foreach ($kept as $key => $answer) { $ip = explode(' ', $key)[0]; $intact += agrees($answer, $maxmind, $ip, "$ip/32"); }
echo "60,000 host lookups agree: $agree; kept answers intact: $intact of ", count($kept), "\n";

// 3. Writes by the caller reach neither the cache nor other holders.
$rep->lookup($hosts[5]);
$a = $rep->lookup($hosts[5]);
$held = $rep->lookup($hosts[5]);
$a['network'] = 'changed';
$a['sources'][] = 'added';
unset($a['behaviors']);
$b = $rep->lookup($hosts[5]);
var_dump(agrees($b, $maxmind, $hosts[5], "$hosts[5]/32"), agrees($held, $maxmind, $hosts[5], "$hosts[5]/32"), $a['network'], $a['sources']);

// 4. lookupMany: the same answers, writable copies.
$many = $rep->lookupMany([$hosts[1], $hosts[1], '10.1.0.9', '192.0.2.1']);
$ok = agrees($many[$hosts[1]], $maxmind, $hosts[1], "$hosts[1]/32") && agrees($many['10.1.0.9'], $maxmind, '10.1.0.9', '10.1.0.0/16');
$many['10.1.0.9']['risks'][] = 'X';
var_dump($ok, count($many), $many['192.0.2.1'], agrees($rep->lookup('10.1.0.9'), $maxmind, '10.1.0.9', '10.1.0.0/16'));

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
500 lookups in 10.1.0.0/16 agree: 500
10.1.2.3         10.1.0.0/16
::10.1.2.3       ::a01:0/112
::ffff:10.1.2.3  ::ffff:10.1.0.0/112
10.1.2.3         10.1.0.0/16
::ffff:10.1.2.3  ::ffff:10.1.0.0/112
::10.1.2.3       ::a01:0/112
10.1.2.3         10.1.0.0/16
::10.1.2.3       ::a01:0/112
1.2.3.4          1.0.0.0/8
1.2.3.4          1.0.0.0/8
100::1           100::/8
100::1           100::/8
1.2.3.4          1.0.0.0/8
100::1           100::/8
60,000 host lookups agree: 60000; kept answers intact: 5716 of 5716
bool(true)
bool(true)
string(7) "changed"
array(2) {
  [0]=>
  string(3) "tor"
  [1]=>
  string(5) "added"
}
bool(true)
int(3)
NULL
bool(true)
