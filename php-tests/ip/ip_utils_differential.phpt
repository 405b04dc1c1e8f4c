--TEST--
IPUtils: every method agrees with Wikimedia\IPUtils 5.0.0 on generated inputs (===)
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
require __DIR__ . '/../lib/cases.inc';
require __DIR__ . '/ip_inputs.inc';

use Wikimedia\IPUtils as Oracle;
use WikiGuard\IPUtils as Native;

/** Runs one side; a ValueError (PHP's inet_pton/ip2long on a NUL byte) is reported as such. */
function wg_call(callable $f, array $args) {
    try {
        return $f(...$args);
    } catch (ValueError $e) {
        return 'ValueError';
    }
}

$methods = ['isIPAddress', 'isIPv4', 'isIPv6', 'isValid', 'isValidIPv4', 'isValidIPv6', 'isValidRange', 'sanitizeIP',
    'toHex', 'parseCIDR', 'parseRange', 'canonicalize', 'prettifyIP', 'isPublic', 'sanitizeRange', 'getSubnet'];
// Generated cases are sized by wg_case_count() (lib/cases.inc): the full
// counts at the default scale, fewer under valgrind.
$inputs = wg_ip_inputs(wg_case_count(6000, 100), 20261125);
$compared = $mismatches = $nulDifferences = 0;
foreach ($inputs as $input) {
    foreach ($methods as $m) {
        $expected = wg_call([Oracle::class, $m], [$input]);
        $actual = Native::$m($input);
        $compared++;
        if ($expected === 'ValueError' && strpos($input, "\0") !== false) {
            // Documented difference: a NUL byte is invalid input, not a ValueError.
            $nulDifferences++;
            continue;
        }
        if ($expected !== $actual) {
            if (++$mismatches <= 20) {
                echo "MISMATCH $m(", json_encode(bin2hex($input)), ' ', var_export($input, true), "): oracle ", var_export($expected, true), ", native ", var_export($actual, true), "\n";
            }
        }
    }
}
// isInRange on pairs, and isInRanges on lists (compiled once, reused).
mt_srand(7);
$pairs = $quirk = 0;
$pairsAsked = wg_case_count(20000, 100);
for ($i = 0; $i < $pairsAsked; $i++) {
    $addr = $inputs[mt_rand(0, count($inputs) - 1)];
    $range = $inputs[mt_rand(0, count($inputs) - 1)];
    $expected = wg_call([Oracle::class, 'isInRange'], [$addr, $range]);
    $actual = Native::isInRange($addr, $range);
    $pairs++;
    if ($expected === 'ValueError') { $nulDifferences++; continue; }
    if ($expected === true && $actual === false && Oracle::toHex($addr) === false) {
        $quirk++; // documented: an invalid address is never in range
        continue;
    }
    if ($expected !== $actual && ++$mismatches <= 40) {
        echo "MISMATCH isInRange(", var_export($addr, true), ', ', var_export($range, true), "): oracle ", var_export($expected, true), "\n";
    }
}
$lists = $hits = 0;
$addrs = array_values(array_filter($inputs, fn($s) => strpos($s, "\0") === false && Oracle::toHex($s) !== false));
$clean = array_values(array_filter($inputs, fn($s) => strpos($s, "\0") === false));
$listsAsked = wg_case_count(300);
for ($i = 0; $i < $listsAsked; $i++) {
    $ranges = [];
    for ($j = mt_rand(0, 40); $j > 0; $j--) { $ranges[] = $clean[mt_rand(0, count($clean) - 1)]; }
    for ($k = 0; $k < 20; $k++) {
        $addr = $addrs[mt_rand(0, count($addrs) - 1)];
        if (mt_rand(0, 3) === 0 && Oracle::isValid($addr)) {
            // A range around the address, so that hits are common too.
            $ranges[] = trim($addr) . '/' . mt_rand(0, Oracle::isValidIPv4($addr) ? 32 : 128);
        }
        $lists++;
        $expected = Oracle::isInRanges($addr, $ranges);
        $hits += (int)$expected;
        if ($expected !== Native::isInRanges($addr, $ranges) && ++$mismatches <= 60) {
            echo "MISMATCH isInRanges(", var_export($addr, true), ', ', var_export($ranges, true), ")\n";
        }
    }
}
echo wg_cases_done('single-argument calls compared', $compared, count($inputs) * count($methods)), "\n";
echo wg_cases_done('isInRange pairs compared', $pairs, $pairsAsked), "\n";
echo wg_cases_done('isInRanges lists compared', $lists, $listsAsked * 20), "\n";
// Each outcome in at least one list in twelve.
printf("in range: %s\n", $hits > $lists / 12 && $hits < $lists - $lists / 12 ? 'both outcomes common' : $hits);
printf("documented differences: NUL byte %s, invalid/invalid quirk %s\n", $nulDifferences > 0 ? 'seen' : 'not seen', $quirk > 0 ? 'seen' : 'not seen');
printf("mismatches: %d\n", $mismatches);
var_dump(Oracle::isInRange('garbage', 'garbage'), Native::isInRange('garbage', 'garbage'));
var_dump(Native::isInRange('', ''));
?>
--EXPECTF--
single-argument calls compared: %d, as asked
isInRange pairs compared: %d, as asked
isInRanges lists compared: %d, as asked
in range: both outcomes common
documented differences: NUL byte seen, invalid/invalid quirk seen
mismatches: 0
bool(true)
bool(false)
bool(false)
