<?php
/**
 * SpamBlacklist side by side, in one process: the reference path (MediaWiki
 * 1.39's SpamRegexBatch builds the regexes, then SpamBlacklist::filter()'s
 * preg_match_all loop, PCRE JIT on) and WikiGuard\PatternSet, on the real
 * meta blacklist (12,145 fragments). Prints times and ratios.
 *
 *   php -d extension=target/release/libwikiguard.so benches/php/spam.php [--quick]
 *
 * Targets (issue #3, 2-core machine): >= 500x per check on 500 clean URLs;
 * cold compile <= 250 ms; warm PatternSet::spam() <= 50 us; compiled memory
 * <= 64 MB. Results are recorded in docs/benchmarks.md.
 */

require __DIR__ . '/../../php-tests/patterns/spam_oracle.inc';
require __DIR__ . '/../lib/record.inc';

use WikiGuard\PatternSet;

if (!extension_loaded('wikiguard')) {
    fwrite(STDERR, "load the extension: php -d extension=target/release/libwikiguard.so benches/php/spam.php\n");
    exit(1);
}
$quick = in_array('--quick', $argv, true);
printf("PHP %s, PCRE %s, pcre.jit=%s, WikiGuard %s\n\n", PHP_VERSION, PCRE_VERSION, ini_get('pcre.jit'), WikiGuard\version());

/** Median wall time of $fn in seconds over $runs runs (after one warm-up unless $cold). */
function bench(callable $fn, int $runs): float {
    $times = [];
    for ($i = 0; $i < $runs; $i++) {
        $t = hrtime(true);
        $fn($i);
        $times[] = (hrtime(true) - $t) / 1e9;
    }
    sort($times);
    return $times[intdiv(count($times), 2)];
}

function fmt(float $seconds): string {
    return $seconds >= 1e-3 ? sprintf('%8.2f ms', $seconds * 1e3) : sprintf('%8.1f us', $seconds * 1e6);
}

function rss_bytes(): int {
    preg_match('/VmRSS:\s+(\d+) kB/', (string)file_get_contents('/proc/self/status'), $m);
    return (int)($m[1] ?? 0) * 1024;
}

const CLEAN_HOSTS = ['en.wikipedia.org', 'www.nytimes.com', 'archive.org', 'www.bbc.co.uk', 'doi.org',
    'www.theguardian.com', 'github.com', 'www.nature.com'];

/** The same formula as benches/patterns.rs; $salt makes every URL new. */
function clean_links(int $count, int $salt = 0): array {
    $links = [];
    for ($i = 0; $i < $count; $i++) {
        $host = CLEAN_HOSTS[$i % count(CLEAN_HOSTS)];
        $links[] = $salt === 0
            ? "https://$host/wiki/Article_$i?oldid=" . ($i * 7919)
            : "https://s$salt-$i.$host/wiki/Page_" . ($salt * 131 + $i) . "?q=" . md5("$salt/$i");
    }
    return $links;
}

/** Clean links with every 50th replaced by a blacklisted one. */
function dirty_links(int $count, int $salt = 0): array {
    $links = clean_links($count, $salt);
    for ($n = 0; $n < $count; $n += 50) {
        $links[$n] = "http://www.tinyurl.com/spam$n-$salt";
    }
    return $links;
}

$list = wg_meta_list();

// --- compile ---------------------------------------------------------------
$rssBefore = rss_bytes();
$t = hrtime(true);
$set = PatternSet::spam($list);
$nativeCold = (hrtime(true) - $t) / 1e9;
$rssAfter = rss_bytes();
$t = hrtime(true);
$regexes = wg_oracle_regexes('spam', $list);
$phpBuild = (hrtime(true) - $t) / 1e9;
$nativeWarm = bench(fn() => PatternSet::spam($list), $quick ? 200 : 2000);
$stats = $set->stats();
printf("list: %d fragments, %d batches, %d fallback lines\n", $set->count(), count($regexes), $stats['fallback_lines']);
printf("%-44s %s   (WikiGuard stats: %.1f ms)\n", 'compile, cold (first PatternSet::spam())', fmt($nativeCold), $stats['compile_ms']);
printf("%-44s %s   (PHP regexesFromText, compiled lazily by preg)\n", 'compile, PHP SpamRegexBatch', fmt($phpBuild));
printf("%-44s %s\n", 'PatternSet::spam(), warm (registry hit)', fmt($nativeWarm));
printf("%-44s %6.1f MB (+ lazy-DFA caches, at most %d MB)\n\n", 'compiled memory (RSS growth of the build)', ($rssAfter - $rssBefore) / 1048576, $stats['cache_capacity_bytes'] / 1048576);

// --- checks ----------------------------------------------------------------
$php = fn(array $links) => wg_oracle_filter($links, $regexes, []);
$native = fn(array $links) => $set->filter($links);
$rows = [];
$case = function (string $name, callable $make, int $phpRuns, int $nativeRuns, ?float $target = null) use ($php, $native, &$rows) {
    // Same answer first.
    $links = $make(0);
    if ($php($links) !== $native($links)) {
        throw new RuntimeException("$name: WikiGuard and SpamBlacklist disagree");
    }
    $tp = bench(fn($i) => $php($make($i)), $phpRuns);
    $tn = bench(fn($i) => $native($make($i)), $nativeRuns);
    $rows[] = [$name, $tp, $tn];
    wg_bench_record('Spam patterns (PatternSet)', $name, $tp, $tn, $target);
    printf("%-44s PHP %s   WikiGuard %s   %7.0fx\n", $name, fmt($tp), fmt($tn), $tp / $tn);
};
$pr = $quick ? 3 : 9;
$nr = $quick ? 30 : 300;
$case('500 clean URLs, same each check', fn($i) => clean_links(500), $pr, $nr, 500.0);
$case('500 clean URLs, new each check', fn($i) => clean_links(500, $i + 1), $pr, $nr);
$case('500 URLs, 10 blacklisted, same', fn($i) => dirty_links(500), $pr, $nr);
$case('500 URLs, 10 blacklisted, new each check', fn($i) => dirty_links(500, $i + 1), $pr, $nr);
foreach ([1, 10, 50] as $n) {
    $case("edit of $n link(s), new each check", fn($i) => clean_links($n, 1000 + $i), $quick ? 10 : 50, $quick ? 100 : 1000);
    $case("edit of $n link(s), 1 blacklisted, new", fn($i) => dirty_links($n, 5000 + $i), $quick ? 10 : 50, $quick ? 100 : 1000);
}
printf("\nlimit hits: %d; RSS now %.1f MB\n", $set->stats()['limit_hits'], rss_bytes() / 1048576);
