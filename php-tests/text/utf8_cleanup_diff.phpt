--TEST--
text: utf8_cleanup matches UtfNormal\Validator::cleanUp (utfnormal 3.0.2 with intl) on random, exhaustive and invalid inputs
--EXTENSIONS--
wikiguard
intl
mbstring
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
require __DIR__ . '/../lib/cases.inc';
require __DIR__ . '/text_inputs.inc';

use UtfNormal\Validator;

$seed = wg_text_seed();
$cases = 0;
$mismatches = [];
$check = function (string $s, string $label = '') use (&$cases, &$mismatches) {
    $cases++;
    $expected = Validator::cleanUp($s);
    $actual = WikiGuard\utf8_cleanup($s);
    if ($expected !== $actual && count($mismatches) < 10) {
        $mismatches[] = ($label ?: bin2hex($s)) . ': expected ' . bin2hex($expected) . ', got ' . bin2hex($actual);
    }
};

// Random text, valid and not. Generated cases are sized by
// wg_case_count()/wg_sweep() (lib/cases.inc): all of the sweep at the
// default scale, a spread sample under valgrind.
$random = wg_case_count(20000);
for ($i = 0; $i < $random; $i++) {
    $check(wg_text_random(12, $i % 3 === 0));
}
// Every code point: after a letter and followed by marks of classes 230
// and 220 (composition, reordering), alone in chunks, and before a mark in
// invalid text (utfnormal's own Unicode 6.0 check decides whether NFC runs).
$chunks = wg_sweep(0x110000 / 32);
foreach ($chunks as $chunk) {
    $start = $chunk * 32;
    $plain = $marked = $broken = $bare = '';
    for ($cp = $start; $cp < $start + 32; $cp++) {
        if ($cp >= 0xD800 && $cp <= 0xDFFF) {
            continue;
        }
        $c = mb_chr($cp, 'UTF-8');
        $plain .= $c;
        $marked .= "a$c\u{301}\u{323}$c\u{1161}\u{11A8} ";
        $broken .= "$c\u{300}\xFF";
        $bare .= "$c\xFF";
    }
    $check($plain, sprintf('U+%04X.. alone', $start));
    $check($marked, sprintf('U+%04X.. marked', $start));
    $check($broken, sprintf('U+%04X.. invalid', $start));
    $check($bare, sprintf('U+%04X.. bare invalid', $start));
}
// Every one- and two-byte sequence, and every three-byte sequence with a
// lead byte from 0xE0 and 0xED (overlongs, surrogates) or 0xF0/0xF4.
for ($a = 0; $a < 256; $a++) {
    $check(chr($a));
    $pairs = '';
    for ($b = 0; $b < 256; $b++) {
        $pairs .= 'x' . chr($a) . chr($b);
    }
    $check($pairs, sprintf('pairs %02X', $a));
}
foreach ([0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF8, 0xFC] as $lead) {
    for ($b = 0x70; $b < 0xD0; $b++) {
        $run = '';
        for ($c = 0x70; $c < 0xD0; $c++) {
            $run .= chr($lead) . chr($b) . chr($c) . "\x80A";
        }
        $check($run, sprintf('%02X %02X xx', $lead, $b));
    }
}
// Newer than Unicode 6.0: composed by ICU, unknown to utfnormal's tables.
$check("\u{11347}\u{1133E}\u{11347}\u{11357}\u{1D15E}\xFF");
$check("\u{11347}\u{1133E}\u{11347}\u{11357}");
// Long inputs (fast paths, chunk boundaries).
$check(str_repeat("Hello world, Привет мир! 日本語 한국어 ", 5000));
$check(str_repeat("e\u{301}\u{1100}\u{1161}\xC3", 3000));
// The byte sequences (256 + 256 + 7 * 96) and the four fixed inputs are never scaled.
echo wg_cases_done('cases', $cases, $random + 4 * count($chunks) + 512 + 7 * 96 + 4), "\n";
echo 'mismatches: ', count($mismatches), "\n";
if ($mismatches) {
    echo "seed $seed\n", implode("\n", $mismatches), "\n";
}
?>
--EXPECTF--
cases: %d, as asked
mismatches: 0
