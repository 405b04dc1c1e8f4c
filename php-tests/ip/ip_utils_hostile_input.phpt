--TEST--
IPUtils and IPSet on long hostile inputs: linear time, same answers as ip-utils 5.0.0
--EXTENSIONS--
wikiguard
--INI--
pcre.jit=0
pcre.backtrack_limit=100000000
pcre.recursion_limit=100000000
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
$methods = ['isIPAddress', 'isIPv4', 'isIPv6', 'isValid', 'isValidRange', 'sanitizeIP', 'toHex', 'parseCIDR',
    'parseRange', 'canonicalize', 'prettifyIP', 'isPublic', 'sanitizeRange', 'getSubnet'];
$inputs = [
    str_repeat('0:', 100000) . '1.2.3.4', str_repeat('0:', 100000) . 'ffff:1:2', str_repeat('::', 50000),
    str_repeat('0', 200000), str_repeat('1.', 100000), str_repeat('ffff:', 40000) . '/64', str_repeat('-', 100000),
    str_repeat('1.2.3.4 - ', 20000), str_repeat('%', 100000), str_repeat(' ', 100000) . '1.2.3.4',
    str_repeat("0\n", 50000), '1.2.3.4/' . str_repeat('0', 100000), '::/' . str_repeat('9', 100000),
];
set_error_handler(fn() => true); // IPSet's bad-mask warnings
// The oracle runs with the PCRE JIT off and high limits (see --INI--): with
// the defaults, canonicalize()'s pattern exhausts the JIT stack on the
// first two inputs and PHP answers null (documented in docs/ip.md).
$compared = $mismatches = 0;
foreach ($inputs as $input) {
    foreach ($methods as $m) {
        $expected = Wikimedia\IPUtils::$m($input);
        $compared++;
        if ($expected !== WikiGuard\IPUtils::$m($input)) {
            $mismatches++;
            echo "MISMATCH $m(", substr(var_export($input, true), 0, 40), "…)\n";
        }
    }
    WikiGuard\IPUtils::isInRanges($input, [$input, '1.2.3.0/24']);
    (new WikiGuard\IPSet([$input]))->match($input);
}
// No timing assertion: a quadratic or hanging path shows up as run-tests.php's
// per-test timeout, never as a wall-clock threshold in the test.
printf("compared: %d, mismatches: %d\n", $compared, $mismatches);
?>
--EXPECT--
compared: 182, mismatches: 0
