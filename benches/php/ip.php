<?php
/**
 * IP benchmarks, PHP original and WikiGuard side by side in ONE process:
 *   1. IPUtils::isInRanges over 1,000 ranges (target ≥ 10,000×)
 *   2. IPSet::match (target ≥ 5×)
 *   3. MaxMind\Db\Reader::get (php-maxminddb) vs IPReputation::lookup on the
 *      same file (target ≥ 2×)
 *
 * Run: php -d extension=target/release/libwikiguard.so benches/php/ip.php
 * (needs `make oracle` and php8.2-maxminddb).
 */
require __DIR__ . '/../../php-tests/lib/oracle.inc';
require __DIR__ . '/../lib/record.inc';

/** Seconds per call of $fn, timed over at least $minSeconds. */
function per_call(callable $fn, int $batch, float $minSeconds = 0.5): float {
    $fn(); // warm-up (and registry compile)
    $calls = 0;
    $start = hrtime(true);
    do {
        for ($i = 0; $i < $batch; $i++) { $fn(); }
        $calls += $batch;
        $elapsed = (hrtime(true) - $start) / 1e9;
    } while ($elapsed < $minSeconds);
    return $elapsed / $calls;
}

function fmt(float $s): string {
    return $s >= 1e-3 ? sprintf('%.2f ms', $s * 1e3) : ($s >= 1e-6 ? sprintf('%.2f µs', $s * 1e6) : sprintf('%.0f ns', $s * 1e9));
}

function report(string $what, float $php, float $native, float $target): void {
    $ratio = $php / $native;
    printf("%-48s PHP %10s  WikiGuard %10s  ratio %9s×  (target ≥ %s×) %s\n", $what, fmt($php), fmt($native), $ratio < 10 ? sprintf("%.2f", $ratio) : sprintf("%.0f", $ratio),
        number_format($target), $ratio >= $target ? 'OK' : 'BELOW TARGET');
    wg_bench_record('IP ranges and reputation', $what, $php, $native, $target);
}

printf("PHP %s, %s\n\n", PHP_VERSION, trim((string)shell_exec("lscpu | sed -n 's/^Model name: *//p'")));
mt_srand(1);

// 1. isInRanges over 1,000 ranges, for an address in none of them (the
//    PHP loop's worst case, and the common one).
$ranges = [];
for ($i = 0; $i < 1000; $i++) {
    $ranges[] = $i % 4 === 3
        ? sprintf('2001:db8:%x::/48', $i)
        : long2ip(mt_rand(0, 0xffffffff) & ~0xff) . '/' . mt_rand(16, 30);
}
$ip = '203.0.113.77';
assert(Wikimedia\IPUtils::isInRanges($ip, $ranges) === WikiGuard\IPUtils::isInRanges($ip, $ranges));
$php = per_call(fn() => Wikimedia\IPUtils::isInRanges($ip, $ranges), 5, 1.0);
$native = per_call(fn() => WikiGuard\IPUtils::isInRanges($ip, $ranges), 1000);
report('IPUtils::isInRanges, 1,000 ranges (1/4 IPv6)', $php, $native, 10000);
// IPv4 only: PHP skips its slow 128-bit base_convert path (no gmp/bcmath).
$ranges4 = array_map(fn($r) => strpos($r, ':') === false ? $r : long2ip(mt_rand(0, 0xffffffff) & ~0xff) . '/24', $ranges);
assert(Wikimedia\IPUtils::isInRanges($ip, $ranges4) === WikiGuard\IPUtils::isInRanges($ip, $ranges4));
$php = per_call(fn() => Wikimedia\IPUtils::isInRanges($ip, $ranges4), 20, 1.0);
$native = per_call(fn() => WikiGuard\IPUtils::isInRanges($ip, $ranges4), 1000);
report('IPUtils::isInRanges, 1,000 IPv4 ranges', $php, $native, 10000);

// 2. IPSet::match: 1,000 mixed-family CIDRs, lookups that hit and miss.
$cidrs = [];
for ($i = 0; $i < 1000; $i++) {
    $cidrs[] = $i % 5 === 4 ? inet_ntop(random_bytes(16)) . '/' . mt_rand(32, 64) : long2ip(mt_rand(0, 0xffffffff)) . '/' . mt_rand(12, 32);
}
$probes = [];
for ($i = 0; $i < 1024; $i++) {
    $probes[] = $i % 2 ? long2ip(mt_rand(0, 0xffffffff)) : explode('/', $cidrs[mt_rand(0, 999)])[0];
}
$oracleSet = new Wikimedia\IPSet($cidrs);
$nativeSet = new WikiGuard\IPSet($cidrs);
foreach ($probes as $p) { assert($oracleSet->match($p) === $nativeSet->match($p)); }
$k = 0;
$php = per_call(function () use ($oracleSet, $probes, &$k) { $oracleSet->match($probes[$k++ & 1023]); }, 10000);
$k = 0;
$native = per_call(function () use ($nativeSet, $probes, &$k) { $nativeSet->match($probes[$k++ & 1023]); }, 10000);
// The closure call costs the same on both sides; subtract it to compare the methods.
$empty = per_call(function () use ($probes, &$k) { $probes[$k++ & 1023]; }, 10000);
report('IPSet::match (closure overhead subtracted)', $php - $empty, $native - $empty, 5);
report('IPSet::match (as called, with closure)', $php, $native, 5);

// 3. MMDB lookups on the same files.
$dbs = [
    'GeoIP2-City-Test.mmdb (MaxMind test data)' => __DIR__ . '/../../php-tests/data/mmdb/test-data/GeoIP2-City-Test.mmdb',
    'GeoIP2-Anonymous-IP-Test.mmdb' => __DIR__ . '/../../php-tests/data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb',
];
if (getenv('WG_BENCH_MMDB')) {
    $dbs['WG_BENCH_MMDB'] = getenv('WG_BENCH_MMDB');
}
foreach ($dbs as $label => $path) {
    $reader = new MaxMind\Db\Reader($path);
    $rep = WikiGuard\IPReputation::open($path);
    // Addresses that hit: the first address of networks found by probing.
    $hits = [];
    foreach (file(__DIR__ . '/../../php-tests/data/mmdb/probes.txt', FILE_IGNORE_NEW_LINES) as $p) {
        try { if ($reader->get($p) !== null) { $hits[] = $p; } } catch (Throwable $e) {}
        if (count($hits) === 256) { break; }
    }
    while (count($hits) < 256) { $hits[] = $hits[count($hits) % max(1, count($hits))] ?? '1.1.1.1'; }
    $k = 0;
    $php = per_call(function () use ($reader, $hits, &$k) { $reader->get($hits[$k++ & 255]); }, 10000);
    $k = 0;
    $native = per_call(function () use ($rep, $hits, &$k) { $rep->lookup($hits[$k++ & 255]); }, 10000);
    report("MMDB lookup, $label", $php, $native, 2);
}
