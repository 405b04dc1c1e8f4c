--TEST--
IPSet: construction warnings and match() agree with Wikimedia\IPSet on generated lists; lookup() names the most specific entry
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
require __DIR__ . '/../lib/cases.inc';
require __DIR__ . '/ip_inputs.inc';

$warnings = [];
set_error_handler(function ($no, $str) use (&$warnings) { $warnings[] = [$no, $str]; return true; });

/** Builds one side, returning the set and the warnings it raised. */
function wg_build(string $class, array $cidrs, array &$warnings): array {
    $warnings = [];
    $set = new $class($cidrs);
    return [$set, $warnings];
}

// Generated inputs, probes and sets are sized by wg_case_count()
// (lib/cases.inc): the full counts at the default scale, fewer under valgrind.
$inputs = array_values(array_filter(wg_ip_inputs(wg_case_count(4000, 100), 42), fn($s) => strpos($s, "\0") === false));
$probes = $inputs;
mt_srand(3);
for ($i = 0, $n = wg_case_count(2000, 100); $i < $n; $i++) {
    // Strict inet_pton forms, so that probes often hit.
    $probes[] = mt_rand(0, 1) ? long2ip(mt_rand(0, 0xffffffff)) : inet_ntop(random_bytes(16));
}
$sets = $compared = $matched = $mismatches = $warned = $asked = 0;
for ($i = 0, $setsAsked = wg_case_count(200); $i < $setsAsked; $i++) {
    $asked += intdiv(count($probes) - $i % 4 + 3, 4); // the probes with $k % 4 === $i % 4
    $cidrs = [];
    for ($j = mt_rand(0, 60); $j > 0; $j--) {
        $s = $inputs[mt_rand(0, count($inputs) - 1)];
        if (mt_rand(0, 2) === 0) {
            // A well-formed net around a probe.
            $p = $probes[mt_rand(0, count($probes) - 1)];
            $s = trim($p) . '/' . mt_rand(0, strpos($p, ':') === false ? 32 : 128);
        }
        $cidrs[] = $s;
    }
    [$oracle, $ow] = wg_build(Wikimedia\IPSet::class, $cidrs, $warnings);
    [$native, $nw] = wg_build(WikiGuard\IPSet::class, $cidrs, $warnings);
    $sets++;
    $warned += count($ow);
    if ($ow !== $nw && ++$mismatches <= 10) {
        echo "MISMATCH warnings for ", var_export($cidrs, true), ": ", var_export([$ow, $nw], true), "\n";
    }
    foreach ($probes as $k => $ip) {
        if ($k % 4 !== $i % 4) { continue; }
        $expected = $oracle->match($ip);
        $actual = $native->match($ip);
        $compared++;
        $matched += (int)$expected;
        if ($expected !== $actual && ++$mismatches <= 20) {
            echo "MISMATCH match(", var_export($ip, true), ") in ", var_export($cidrs, true), "\n";
        }
        $entry = $native->lookup($ip);
        if (($entry !== null) !== $actual || ($entry !== null && !(new Wikimedia\IPSet([$entry]))->match($ip))) {
            if (++$mismatches <= 30) { echo "MISMATCH lookup(", var_export($ip, true), ") = ", var_export($entry, true), "\n"; }
        }
    }
}
echo wg_cases_done('sets built', $sets, $setsAsked), "\n";
echo wg_cases_done('match() calls compared', $compared, $asked), "\n";
// Over 100 warnings in 200 sets, over 1,000 matches in 200,000 calls.
printf("bad-mask warnings: %s, matched: %s\n", $warned > $sets / 2 ? 'many' : $warned, $matched > $compared / 200 ? 'many' : $matched);
printf("mismatches: %d\n", $mismatches);

// Most specific entry, as given; warning text and type.
$warnings = [];
$set = new WikiGuard\IPSet(['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '2001:db8::/32', '1.2.3.4/33']);
var_dump($warnings);
var_dump($set->lookup('10.1.2.3'), $set->lookup('10.1.9.9'), $set->lookup('10.9.9.9'), $set->lookup('11.0.0.0'), $set->lookup('2001:db8::1'));
var_dump($set->match('010.1.2.3'), $set->match('::ffff:10.1.2.3'));
// PHP's inet_pton throws ValueError on a NUL byte; WikiGuard answers no match.
var_dump($set->match("10.1.2.3\0"));
?>
--EXPECTF--
sets built: %d, as asked
match() calls compared: %d, as asked
bad-mask warnings: many, matched: many
mismatches: 0
array(1) {
  [0]=>
  array(2) {
    [0]=>
    int(512)
    [1]=>
    string(47) "IPSet: Bad mask '33' from '1.2.3.4/33', ignored"
  }
}
string(8) "10.1.2.3"
string(11) "10.1.0.0/16"
string(10) "10.0.0.0/8"
NULL
string(13) "2001:db8::/32"
bool(false)
bool(false)
bool(false)
