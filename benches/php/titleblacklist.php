<?php
/**
 * TitleBlacklist: the PHP original (the real TitleBlacklist::userCannot()
 * loop of MediaWiki 1.39 over TitleBlacklistEntry::matches(), PCRE JIT on)
 * and WikiGuard\TitleBlacklist::check() side by side in ONE process, on the
 * same list and titles; prints the time per check and the ratio.
 *
 * The list is synthetic but shaped like Meta's global title blacklist (no
 * copy of a real one is bundled): 600 lines of `.*word.*`-style regexes,
 * character-class obfuscation catchers, namespace rules, options, a few
 * look-around / \b lines that run on PCRE2.
 *
 * Run: php -d extension=target/release/libwikiguard.so benches/php/titleblacklist.php
 */

if (!extension_loaded('wikiguard')) {
    fwrite(STDERR, "load the extension: php -d extension=target/release/libwikiguard.so ...\n");
    exit(1);
}
require __DIR__ . '/../../php-tests/lib/titleblacklist_oracle.inc';
require __DIR__ . '/../lib/record.inc';

mt_srand(2026);
$words = ['viagra', 'casino', 'poker', 'replica', 'watches', 'cheap', 'loan', 'pharmacy', 'cialis', 'bitcoin',
    'escort', 'dating', 'crypto', 'forex', 'seo', 'backlink', 'essay', 'torrent', 'keygen', 'crack', 'hentai',
    'grawp', 'nazi', 'hitler', 'vandal', 'sockpuppet', 'wikipedia sucks', 'admin abuse', 'jimbo', 'hagger'];
$lines = ['# Synthetic title blacklist for the benchmark'];
for ($i = 0; $i < 600; $i++) {
    $w = $words[$i % count($words)] . ($i >= count($words) ? (string)intdiv($i, count($words)) : '');
    $obfuscated = preg_replace_callback('/[aeio]/', fn($m) => '[' . $m[0] . strtoupper($m[0]) . '4310@]', $w);
    $lines[] = match ($i % 10) {
        0 => ".*$w.*",
        1 => ".*$obfuscated.* <autoconfirmed>",
        2 => "(User|User talk):.*$w.* <newaccountonly>",
        3 => ".*" . str_replace(' ', '[ _]?', $w) . "\\d{2,}.* <noedit>",
        4 => "$w(s|es)? [a-z]+ <casesensitive>",
        5 => ".*(" . $w . "|" . strrev($w) . ").* <moveonly>",
        6 => ".*$w.* <errmsg=titleblacklist-custom-$i>",
        7 => "[^a-z]*$w [0-9]+",
        8 => $i % 40 === 8 ? ".*\\b$w\\b.*" : ".*[ -]$w.*",
        9 => $i % 50 === 9 ? "(?!Talk:).*$w.*" : "$w.* <reupload>",
    };
}
$text = implode("\n", $lines);
$titles = [];
for ($i = 0; $i < 500; $i++) {
    $titles[] = match ($i % 5) {
        0 => 'Cheap watches',
        1 => ucfirst($words[mt_rand(0, count($words) - 1)]) . ' ' . mt_rand(1, 99999),
        2 => 'History of ' . ['Paris', 'Москва', '東京', 'Αθήνα', 'São Paulo'][mt_rand(0, 4)],
        3 => 'User talk:Example' . mt_rand(1, 999),
        4 => 'List of ' . $words[mt_rand(0, count($words) - 1)] . ' articles',
    };
}
$actions = ['edit', 'create', 'move', 'upload', 'new-account'];

// Compile.
$t = hrtime(true);
$oracle = wg_tb_oracle_list($text);
$phpCompile = (hrtime(true) - $t) / 1e6;
$t = hrtime(true);
$ours = WikiGuard\TitleBlacklist::fromText($text . "\n# cold " . mt_rand());
$coldCompile = (hrtime(true) - $t) / 1e6;
$ours = WikiGuard\TitleBlacklist::fromText($text);
$warm = wg_bench_per_call(fn() => WikiGuard\TitleBlacklist::fromText($text), 0.3);

// Same answers before timing anything.
$lineToIndex = array_flip(array_column($ours->entries(), 'line'));
$blocked = 0;
foreach ($titles as $title) {
    foreach ($actions as $action) {
        $want = wg_tb_oracle_check($oracle, $title, $action, false);
        $got = $ours->check($title, $action);
        if (($got === null ? null : $lineToIndex[$got['line']]) !== $want) {
            fwrite(STDERR, "MISMATCH on $title / $action\n");
            exit(1);
        }
        $blocked += $want !== null;
    }
}

$user = new User([]);
$php = wg_bench_per_call(function () use ($oracle, $titles, $user) {
    foreach ($titles as $title) {
        $oracle[0]->userCannot(new Title($title), $user, 'create', false);
    }
}) / count($titles);
$native = wg_bench_per_call(function () use ($ours, $titles) {
    foreach ($titles as $title) {
        $ours->check($title, 'create');
    }
}) / count($titles);

$stats = $ours->stats();
printf("TitleBlacklist: %d entries (%d automaton, %d PCRE2 fallback, %d invalid), %d titles x %d actions, %d blocked, answers identical\n",
    $stats['entries'], $stats['automaton'], $stats['fallback'], $stats['invalid'], count($titles), count($actions), $blocked);
printf("  compile: PHP parseBlacklist %.2f ms | WikiGuard cold %.2f ms, warm (registry) %.1f us\n", $phpCompile, $coldCompile, $warm * 1e6);
printf("  check 'create': PHP %.1f us | WikiGuard %.2f us | %.1fx\n", $php * 1e6, $native * 1e6, $php / $native);
printf("  compiled list: %d bytes\n", $stats['bytes']);
wg_bench_record('TitleBlacklist', "check 'create', per title ({$stats['entries']}-line list)", $php, $native);
