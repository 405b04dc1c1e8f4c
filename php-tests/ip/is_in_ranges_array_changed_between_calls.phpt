--TEST--
IPUtils::isInRanges: an array passed again is recognised by its address, and every way of changing it between calls is seen (oracle: Wikimedia\IPUtils)
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';

use Wikimedia\IPUtils as Oracle;
use WikiGuard\IPUtils as Native;

$checks = $mismatches = 0;
/** Asks both sides about every probe address; returns how many were in range. */
function wg_check(string $what, array $ranges): int {
    global $checks, $mismatches;
    $inside = 0;
    foreach (['1.2.3.4', '5.6.7.8', '9.9.9.9', '10.1.2.3', '2001:db8::1', '192.168.0.1'] as $ip) {
        $expected = Oracle::isInRanges($ip, $ranges);
        $checks++;
        if (Native::isInRanges($ip, $ranges) !== $expected) {
            $mismatches++;
            echo "MISMATCH $what: $ip\n";
        }
        $inside += (int)$expected;
    }
    return $inside;
}

const CONSTANT_RANGES = ['9.0.0.0/8'];
class Lists { const RANGES = ['10.0.0.0/8', '2001:db8::/32']; }

$r = ['1.2.3.0/24'];
$seen = [wg_check('first call', $r)];
$r[] = '5.6.7.0/24';                 // appended in place (the array had one holder)
$seen[] = wg_check('appended', $r);
$r[0] = '192.168.0.0/16';            // element replaced
$seen[] = wg_check('replaced', $r);
unset($r[1]);                        // element removed
$seen[] = wg_check('unset element', $r);
$alias = &$r;                        // changed through a PHP reference to the whole array
$alias[] = '9.9.9.0/24';
$seen[] = wg_check('changed through &$r', $r);
array_walk($r, function (&$v) { $v = '10.0.0.0/8'; });
$seen[] = wg_check('array_walk by reference', $r);
sort($r);
$seen[] = wg_check('sorted', $r);
unset($alias);

// An element that is a PHP reference: assigning to it does not touch the array.
$x = '1.2.3.0/24';
$withReference = [&$x, '5.6.7.8'];
$seen[] = wg_check('element reference', $withReference);
$x = '9.9.9.0/24';
$seen[] = wg_check('element reference reassigned', $withReference);

// Freed and rebuilt: a new array may get the address of a freed one.
for ($i = 0; $i < 12; $i++) {
    $fresh = [($i % 2 ? '1.2.3.0/24' : '5.6.7.0/24')];
    $seen[] = wg_check("rebuilt $i", $fresh);
    unset($fresh);
}
// More distinct arrays than the cache holds, round-robin.
$lists = [];
foreach (['1.2.3.0/24', '5.6.7.0/24', '9.9.9.0/24', '10.0.0.0/8', '2001:db8::/32', '192.168.0.0/16'] as $range) {
    $lists[] = [$range];
}
for ($round = 0; $round < 3; $round++) {
    foreach ($lists as $n => $list) {
        $seen[] = wg_check("list $n round $round", $list);
    }
}
// Immutable arrays: constants and literals.
$seen[] = wg_check('constant', CONSTANT_RANGES);
$seen[] = wg_check('class constant', Lists::RANGES);
$seen[] = wg_check('literal', ['5.6.7.0/24', '192.168.0.0/16']);
// A copy changed while the original stays pinned.
$original = ['1.2.3.0/24'];
wg_check('original', $original);
$copy = $original;
$copy[] = '9.9.9.0/24';
$seen[] = wg_check('changed copy', $copy);
$seen[] = wg_check('original again', $original);

echo "checks: $checks, mismatches: $mismatches\n";
// Addresses in range at each step: the answers change with the arrays, so
// a stale compiled list would show as a mismatch.
echo implode(' ', $seen), "\n";
?>
--EXPECT--
checks: 270, mismatches: 0
1 2 2 1 2 1 1 2 2 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2 2 2 1
