--TEST--
Hostile input: a 300,000-line spam blacklist (the meta list, then variants of it) compiles and answers right, with bounded memory
--EXTENSIONS--
wikiguard
--INI--
memory_limit=-1
--FILE--
<?php
require __DIR__ . '/hostile.inc';
require __DIR__ . '/../lib/cases.inc';
$meta = array_values(array_filter(array_map('trim', file(__DIR__ . '/../data/meta-global-spam-blacklist-2013-04-28.txt')),
    fn($line) => $line !== '' && $line[0] !== '#'));
// The real list first, then each of its lines behind a distinct literal,
// then one line that only the last link matches.
$n = wg_case_count(300000, 15000); // WIKIGUARD_TEST_SCALE shrinks it under valgrind
$lines = $meta;
for ($i = 0; count($lines) < $n - 1; $i++) {
    $lines[] = "v{$i}x" . $meta[$i % count($meta)];
}
$lines[] = 'the-very-last-line\.example';
$links = ['http://www.example.org/wiki/Main_Page', 'http://www.casino-online.example.com/', 'http://the-very-last-line.example/x'];
$peak = hostile_peak_mib(function () use ($lines, $links) {
    $set = WikiGuard\PatternSet::spam(implode("\n", $lines));
    $lastHit = $set->matches('http://the-very-last-line.example/x');
    return [$set->count(), $set->isMatch($links[0]), $set->filter($links), $lastHit[0]['line'] ?? null];
}, $result);
[$count, $cleanMatches, $hits, $lastLine] = $result;
printf("all %s lines compiled: %s; clean link matches: %s; hits: %s; the last line is the one found: %s; peak under 1 GiB: %s\n",
    $n >= 300000 ? '300,000' : 'scaled', var_export($count === $n, true), var_export($cleanMatches, true), implode(',', $hits),
    var_export($lastLine === $n, true), $peak < 1024 ? 'yes' : "NO ($peak MiB)");
?>
--EXPECTF--
all %s lines compiled: true; clean link matches: false; hits: casino-online,the-very-last-line.example; the last line is the one found: true; peak under 1 GiB: yes
