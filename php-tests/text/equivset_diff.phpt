--TEST--
text: equivset_normalize and WikiGuard\Equivset match Wikimedia\Equivset\Equivset 1.4.3
--EXTENSIONS--
wikiguard
intl
mbstring
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
require __DIR__ . '/../lib/cases.inc';
require __DIR__ . '/text_inputs.inc';

$oracle = new Wikimedia\Equivset\Equivset();
$mine = new WikiGuard\Equivset();
$seed = wg_text_seed();
$cases = 0;
$mismatches = [];
$compare = function (string $what, $expected, $actual) use (&$cases, &$mismatches) {
    $cases++;
    if ($expected !== $actual && count($mismatches) < 10) {
        $mismatches[] = "$what: expected " . var_export($expected, true) . ', got ' . var_export($actual, true);
    }
};

echo WikiGuard\equivset_version(), "\n";
// all(): the same array, order and key types included.
$compare('all()', $oracle->all(), $mine->all());
// Every key: has, get, normalize; the keys glued together and with noise.
$keys = array_map('strval', array_keys($oracle->all()));
foreach ($keys as $key) {
    $compare("has($key)", $oracle->has($key), $mine->has($key));
    $compare("get($key)", $oracle->get($key), $mine->get($key));
}
$compare('normalize(all keys)', $oracle->normalize(implode('', $keys)), WikiGuard\equivset_normalize(implode('', $keys)));
$compare('normalize(all keys, noise)', $oracle->normalize(implode("\xFF", $keys)), $mine->normalize(implode("\xFF", $keys)));
$asked = 1 + 2 * count($keys) + 2;
// Every code point, in chunks (sized by wg_sweep()/wg_case_count(),
// lib/cases.inc: all of them at the default scale, a spread sample under
// valgrind).
$chunks = wg_sweep(0x110000 / 256);
foreach ($chunks as $chunk) {
    $start = $chunk * 256;
    $s = '';
    for ($cp = $start; $cp < $start + 256; $cp++) {
        $s .= ($cp >= 0xD800 && $cp <= 0xDFFF) ? "\xED\xA0\x80" : mb_chr($cp, 'UTF-8');
    }
    $compare(sprintf('normalize(U+%04X..)', $start), $oracle->normalize($s), WikiGuard\equivset_normalize($s));
}
// Random text; isEqual on pairs; has/get on non-keys.
$random = wg_case_count(20000);
for ($i = 0; $i < $random; $i++) {
    $a = wg_text_random();
    $b = $i % 2 ? $oracle->normalize($a) : wg_text_random(3);
    $compare('normalize(' . bin2hex($a) . ')', $oracle->normalize($a), WikiGuard\equivset_normalize($a));
    $compare('isEqual(' . bin2hex($a) . ')', $oracle->isEqual($a, $b), $mine->isEqual($a, $b));
    $key = wg_text_piece();
    $compare('has(' . bin2hex($key) . ')', $oracle->has($key), $mine->has($key));
}
$nonKeys = ['', 'zz', 'ab', "\xFF", '01', '1 ', 'q', "\u{10FFFF}"];
$asked += count($chunks) + 3 * $random + 2 * count($nonKeys);
foreach ($nonKeys as $key) {
    $compare('has(' . bin2hex($key) . ')', $oracle->has($key), $mine->has($key));
    foreach ([$oracle, $mine] as $set) {
        try {
            $set->get($key);
            $outcome[] = 'value';
        } catch (Throwable $e) {
            $outcome[] = get_class($e) . ': ' . $e->getMessage();
        }
    }
    $compare('get(' . bin2hex($key) . ')', $outcome[0], $outcome[1]);
    $outcome = [];
}
echo wg_cases_done('cases', $cases, $asked), "\n";
echo 'mismatches: ', count($mismatches), "\n";
if ($mismatches) {
    echo "seed $seed\n", implode("\n", $mismatches), "\n";
}
$r = new ReflectionClass('WikiGuard\Equivset');
var_dump($r->isFinal());
?>
--EXPECTF--
1.4.3
cases: %d, as asked
mismatches: 0
bool(true)
