<?php
/**
 * Keyword search: AbuseFilter 1.39's real FilterEvaluator functions
 * (contains_any, contains_all, ccnorm_contains_any, called as the filter
 * parser calls them, with AFPData arguments) against WikiGuard's functions
 * and a prebuilt WikiGuard\KeywordSet, in ONE process, on the same inputs;
 * prints the time per call and the ratio.
 *
 * Run: php -d extension=target/release/libwikiguard.so benches/php/keywords.php
 */

if (!extension_loaded('wikiguard')) {
    fwrite(STDERR, "load the extension: php -d extension=target/release/libwikiguard.so ...\n");
    exit(1);
}
require __DIR__ . '/../../php-tests/lib/keywords_oracle.inc';
require __DIR__ . '/../lib/record.inc';

use MediaWiki\Extension\AbuseFilter\Parser\AFPData;
use MediaWiki\Extension\AbuseFilter\Parser\FilterEvaluator;

mt_srand(5);
$vocabulary = ['the', 'of', 'and', 'history', 'city', 'river', 'population', 'century', 'school', 'church',
    'Москва', 'река', '東京', 'Αθήνα', 'café', 'naïve', '[[Category:Towns]]', '{{cite web|url=https://example.org}}'];
$text = '';
while (strlen($text) < 10240) {
    $text .= $vocabulary[mt_rand(0, count($vocabulary) - 1)] . (mt_rand(0, 9) ? ' ' : ".\n");
}
$spam = ['viagra', 'casino', 'replica watches', 'cheap loans', 'poker', 'cialis', 'pharmacy', 'escort', 'bitcoin', 'forex'];
$needles50 = [];
for ($i = 0; $i < 50; $i++) {
    $needles50[] = $spam[$i % 10] . ($i >= 10 ? $i : '');
}
$needles500 = [];
for ($i = 0; $i < 500; $i++) {
    $needles500[] = $spam[$i % 10] . $i;
}
$present = ['history', 'river', 'century'];

$evaluator = (new ReflectionClass(FilterEvaluator::class))->newInstanceWithoutConstructor();
Closure::bind(function () {
    $this->equivset = new Wikimedia\Equivset\Equivset();
}, $evaluator, FilterEvaluator::class)();
$call = Closure::bind(fn(string $method, array $args) => $this->$method($args)->toNative(), $evaluator, FilterEvaluator::class);
$afArgs = static fn(string ...$strings) => array_map(static fn($s) => new AFPData(AFPData::DSTRING, $s), $strings);

$cases = [
    ['contains_any, 10 KB, 50 needles, no hit', 'funcContainsAny', 'WikiGuard\contains_any', $needles50, [], false],
    ['contains_all, 10 KB, 3 needles, all hit', 'funcContainsAll', 'WikiGuard\contains_all', $present, [], false],
    ['contains_any, 10 KB, 500 needles, no hit', 'funcContainsAny', 'WikiGuard\contains_any', $needles500, [], false],
    ['ccnorm_contains_any, 10 KB, 50 needles', 'funcCCNormContainsAny', 'WikiGuard\ccnorm_contains_any', $needles50, ['ccnorm' => true], true],
];
printf("%-44s %12s %12s %8s %14s %8s\n", 'case', 'PHP', 'function', 'ratio', 'KeywordSet', 'ratio');
foreach ($cases as [$label, $method, $function, $needles, $options, $ccnorm]) {
    $args = $afArgs($text, ...$needles);
    $want = $call($method, $args);
    $set = new WikiGuard\KeywordSet($needles, $options);
    $isAll = str_contains($method, 'All');
    if ($function($text, ...$needles) !== $want || ($isAll ? $set->containsAll($text) : $set->containsAny($text)) !== $want) {
        fwrite(STDERR, "MISMATCH in $label\n");
        exit(1);
    }
    $php = wg_bench_per_call(fn() => $call($method, $args));
    $native = wg_bench_per_call(fn() => $function($text, ...$needles));
    $prebuilt = wg_bench_per_call($isAll ? fn() => $set->containsAll($text) : fn() => $set->containsAny($text));
    printf("%-44s %9.1f us %9.2f us %7.1fx %11.2f us %7.1fx\n", $label, $php * 1e6, $native * 1e6, $php / $native, $prebuilt * 1e6, $php / $prebuilt);
    wg_bench_record('Keyword search', "$label: function", $php, $native);
    wg_bench_record('Keyword search', "$label: KeywordSet", $php, $prebuilt);
}
