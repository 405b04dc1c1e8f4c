<?php
/**
 * IP benchmarks, PHP original and WikiGuard side by side in ONE process:
 *   1. IPUtils::isInRanges over 1,000 ranges (target ≥ 10,000×)
 *   2. IPSet::match (target ≥ 5×)
 *   3. MaxMind\Db\Reader::get (php-maxminddb) vs IPReputation::lookup on the
 *      same file (target ≥ 2×): MaxMind's test databases, and one built by
 *      wikiguard-db (needs `make cli`)
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

// 3. MMDB lookups on the same files: MaxMind's test databases, and one
//    built by wikiguard-db from generated feeds (IPReputation's records).
$dbs = [
    'GeoIP2-City-Test.mmdb (MaxMind test data)' => __DIR__ . '/../../php-tests/data/mmdb/test-data/GeoIP2-City-Test.mmdb',
    'GeoIP2-Anonymous-IP-Test.mmdb' => __DIR__ . '/../../php-tests/data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb',
];
$probes = file(__DIR__ . '/../../php-tests/data/mmdb/probes.txt', FILE_IGNORE_NEW_LINES);
$built = wikiguard_db_bench_file(__DIR__ . '/../../build/bench');
if ($built !== null) {
    $dbs['wikiguard-db file (3,000 networks: tor, DROP, ipoid)'] = $built['path'];
    $probes = array_merge($built['addresses'], $probes);
} else {
    echo "(no target/cli/release/wikiguard-db: `make cli` to bench a wikiguard-db file)\n";
}
if (getenv('WG_BENCH_MMDB')) {
    $dbs['WG_BENCH_MMDB'] = getenv('WG_BENCH_MMDB');
}
foreach ($dbs as $label => $path) {
    $reader = new MaxMind\Db\Reader($path);
    $rep = WikiGuard\IPReputation::open($path);
    // Addresses that hit.
    $hits = [];
    foreach ($probes as $p) {
        try { if ($reader->get($p) !== null) { $hits[] = $p; } } catch (Throwable $e) {}
        if (count($hits) === 256) { break; }
    }
    while (count($hits) < 256) { $hits[] = $hits[count($hits) % max(1, count($hits))] ?? '1.1.1.1'; }
    // Both called the way an application calls them, in a plain loop (a
    // closure call per lookup would add ~100 ns to both sides).
    $php = per_call(function () use ($reader, $hits) { foreach ($hits as $ip) { $reader->get($ip); } }, 100) / 256;
    $native = per_call(function () use ($rep, $hits) { foreach ($hits as $ip) { $rep->lookup($ip); } }, 100) / 256;
    report("MMDB lookup, $label", $php, $native, 2);
}

/**
 * A reputation database built by wikiguard-db from generated feeds (2,000
 * Tor exits, 500 DROP networks, 500 ipoid JSON lines), and addresses in it;
 * null without the CLI.
 *
 * @return ?array{path: string, addresses: list<string>}
 */
function wikiguard_db_bench_file(string $dir): ?array {
    $cli = __DIR__ . '/../../target/cli/release/wikiguard-db';
    if (!is_executable($cli)) {
        return null;
    }
    @mkdir($dir, 0777, true);
    mt_srand(5);
    $addresses = [];
    $tor = [];
    for ($i = 0; $i < 2000; $i++) {
        $tor[] = $addresses[] = $i % 8 === 7 ? sprintf('2001:db8:%x::%x', mt_rand(0, 0xffff), mt_rand(1, 0xffff)) : long2ip(mt_rand(0x01000000, 0xdfffffff));
    }
    $drop = [];
    for ($i = 0; $i < 500; $i++) {
        $len = mt_rand(16, 24);
        $net = long2ip(mt_rand(0x01000000, 0xdfffffff) & (-1 << (32 - $len)));
        $drop[] = "$net/$len ; SBL" . (100000 + $i);
        $addresses[] = long2ip(ip2long($net) + mt_rand(0, (1 << (32 - $len)) - 1));
    }
    $jsonl = [];
    $types = ['DESKTOP', 'MOBILE', 'HEADLESS', 'IOT'];
    for ($i = 0; $i < 500; $i++) {
        $ip = $addresses[] = long2ip(mt_rand(0x01000000, 0xdfffffff));
        $jsonl[] = json_encode([
            'ip' => $ip,
            'client' => ['behaviors' => $i % 3 ? ['FILE_SHARING'] : ['TOR'], 'count' => mt_rand(1, 50),
                'types' => array_slice($types, 0, 1 + $i % 3), 'proxies' => $i % 2 ? ['OXYLABS_PROXY'] : []],
            'as' => ['organization' => 'Example Hosting ' . ($i % 40)],
            'location' => ['city' => 'City ' . ($i % 25), 'country' => ['NL', 'DE', 'US', 'FR'][$i % 4]],
            'risks' => $i % 2 ? ['TUNNEL', 'CALLBACK_PROXY'] : ['TUNNEL'],
            'tunnels' => [['operator' => $i % 2 ? 'NORD_VPN' : 'TOR']],
        ]);
    }
    file_put_contents("$dir/bench-tor.txt", implode("\n", $tor) . "\n");
    file_put_contents("$dir/bench-drop.txt", implode("\n", $drop) . "\n");
    file_put_contents("$dir/bench-ipoid.jsonl", implode("\n", $jsonl) . "\n");
    $path = "$dir/bench-reputation.mmdb";
    exec(escapeshellarg($cli) . " build -o " . escapeshellarg($path) . " tor:$dir/bench-tor.txt list=drop:$dir/bench-drop.txt jsonl=ipoid:$dir/bench-ipoid.jsonl 2>&1", $output, $status);
    if ($status !== 0) {
        fwrite(STDERR, "wikiguard-db build failed:\n" . implode("\n", $output) . "\n");
        exit(1);
    }
    shuffle($addresses);
    return ['path' => $path, 'addresses' => $addresses];
}
