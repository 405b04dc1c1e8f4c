<?php
/**
 * Soak test (run by `make leakcheck`): calls every function and method of
 * stubs/wikiguard.stub.php in one process, SOAK_CALLS times in all (default
 * 1,000,000), with valid, invalid and hostile arguments including the ones
 * that throw. After a warm-up round, the process RSS (VmRSS) and the
 * registry's cache_stats()['bytes'] must stay flat: RSS may not grow by more
 * than SOAK_RSS_BOUND_KB (default 2048 KiB) over the rounds that follow,
 * and the registry's bytes and entries may not change at all. Exits 1 on
 * growth, 2 if an API of the extension is not exercised.
 *
 *   php -d extension=target/release/libwikiguard.so -d wikiguard.test_hooks=1 tests/soak.php
 */

use WikiGuard as W;

$total_calls = (int)(getenv('SOAK_CALLS') ?: 1000000);
$rss_bound_kb = (int)(getenv('SOAK_RSS_BOUND_KB') ?: 2048);
// IPSet and friends warn on bad input, as upstream does: not news here.
error_reporting(E_ALL & ~E_WARNING);
$root = dirname(__DIR__);

function rss_kb(): int {
    preg_match('/^VmRSS:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int)$m[1];
}

/** Calls $f, swallowing WikiGuard's exceptions and \Error (a caught panic). */
function call(callable $f): void {
    try {
        $f();
    } catch (W\Exception | \Error | \LogicException $e) {
        // The exception path is soaked too.
    }
}

$hostile = ["", "\0", "\xff\xfe", str_repeat("a\u{0301}", 200), "caf\u{e9} &amp; &#x10FFFF; \u{3000}",
    "1.2.3.4", "::ffff:1.2.3.4", "2001:db8::/32", "01.2.3.4/33", str_repeat("9", 300)];
$mmdb = "$root/php-tests/data/mmdb/test-data/GeoIP2-City-Test.mmdb";
$title_list = ".*casino.*\nUser:.*spam.* <newaccountonly|errmsg=custom>\n(?<=x)y\n{{ns:User}}:Bad.*\n";
$keyword_set = new W\KeywordSet(['foo', 'bar', "\u{0410}BC"], ['ccnorm' => true]);
$equivset = new W\Equivset();
$ipset = new W\IPSet(['10.0.0.0/8', '2001:db8::/32', 'bogus', '1.2.3.4']);
$reputation = W\IPReputation::open($mmdb);
$meta_list = file_get_contents("$root/php-tests/data/meta-global-spam-blacklist-2013-04-28.txt");
$spam = W\PatternSet::spam($meta_list);
$email = W\PatternSet::email("@spam\\.example\n(?<=x)y\n");
$links = ['http://www.example.com/', 'https://tinyurl.com/abc', 'http://' . str_repeat('a', 300) . '.org/'];

// name => [call, weight]: cheap calls run many times, compiling ones fewer
// (they still go through the registry each time); a panic (weight 0) once
// per round, as it prints to stderr.
$i = 0;
$pick = function () use (&$i, $hostile) { return $hostile[$i++ % count($hostile)]; };
$apis = [
    'version' => [fn() => W\version(), 1],
    'cache_stats' => [fn() => W\cache_stats(), 1],
    'Internal\trigger_panic' => [fn() => W\Internal\trigger_panic('soak'), 0],
    'PatternSet::spam' => [fn() => W\PatternSet::spam($meta_list), 1],
    'PatternSet::spam (bad list)' => [fn() => W\PatternSet::spam("ok\n(unclosed\n"), 1],
    'PatternSet::email' => [fn() => W\PatternSet::email("@spam\\.example\n"), 1],
    'PatternSet::filter' => [fn() => $spam->filter([...$links, $pick()], null), 2],
    'PatternSet::matches' => [fn() => $spam->matches($links[$i % 3] . $pick()), 2],
    'PatternSet::isMatch' => [fn() => $spam->isMatch($links[$i % 3] . $pick()), 4],
    'PatternSet::checkEmail' => [fn() => $email->checkEmail('joe@' . $pick() . 'spam.example', null), 4],
    'PatternSet::badLines' => [fn() => $spam->badLines(), 1],
    'PatternSet::fallbackLines' => [fn() => $spam->fallbackLines(), 1],
    'PatternSet::count' => [fn() => $spam->count(), 1],
    'PatternSet::stats' => [fn() => $spam->stats(), 1],
    'TitleBlacklist::fromText' => [fn() => W\TitleBlacklist::fromText($title_list, ['magic_words' => ['ns:User' => 'User']]), 1],
    'TitleBlacklist::fromText (bad option)' => [fn() => W\TitleBlacklist::fromText($title_list, ['nope' => 1]), 1],
    'TitleBlacklist::magicWords' => [fn() => W\TitleBlacklist::magicWords($title_list), 1],
    'TitleBlacklist::check' => [fn() => W\TitleBlacklist::fromText($title_list)->check('Casino ' . $pick(), 'edit', ['autoconfirmed' => false]), 4],
    'TitleBlacklist::entries' => [fn() => W\TitleBlacklist::fromText($title_list)->entries(), 1],
    'TitleBlacklist::badLines' => [fn() => W\TitleBlacklist::fromText($title_list)->badLines(), 1],
    'TitleBlacklist::fallbackLines' => [fn() => W\TitleBlacklist::fromText($title_list)->fallbackLines(), 1],
    'TitleBlacklist::stats' => [fn() => W\TitleBlacklist::fromText($title_list)->stats(), 1],
    'KeywordSet::__construct' => [fn() => new W\KeywordSet(['x', $pick()], ['ccnorm' => false]), 1],
    'KeywordSet::containsAny' => [fn() => $keyword_set->containsAny($pick()), 4],
    'KeywordSet::containsAll' => [fn() => $keyword_set->containsAll($pick()), 4],
    'KeywordSet::find' => [fn() => $keyword_set->find($pick()), 4],
    'contains_any' => [fn() => W\contains_any($pick(), 'a', '', 'b'), 4],
    'contains_all' => [fn() => W\contains_all($pick(), 'a', 'b'), 4],
    'ccnorm_contains_any' => [fn() => W\ccnorm_contains_any($pick(), 'a', 'b'), 4],
    'ccnorm_contains_all' => [fn() => W\ccnorm_contains_all($pick(), 'a', 'b'), 4],
    'equivset_normalize' => [fn() => W\equivset_normalize($pick()), 4],
    'equivset_version' => [fn() => W\equivset_version(), 1],
    'ccnorm' => [fn() => W\ccnorm($pick()), 4],
    'norm' => [fn() => W\norm($pick()), 4],
    'rmspecials' => [fn() => W\rmspecials($pick()), 4],
    'rmdoubles' => [fn() => W\rmdoubles($pick()), 4],
    'rmwhitespace' => [fn() => W\rmwhitespace($pick()), 4],
    'specialratio' => [fn() => W\specialratio($pick()), 4],
    'sanitize' => [fn() => W\sanitize($pick()), 4],
    'utf8_cleanup' => [fn() => W\utf8_cleanup($pick()), 4],
    'antispoof_check' => [fn() => W\antispoof_check($pick()), 4],
    'Equivset::normalize' => [fn() => $equivset->normalize($pick()), 4],
    'Equivset::isEqual' => [fn() => $equivset->isEqual($pick(), 'a'), 4],
    'Equivset::has' => [fn() => $equivset->has($pick()), 4],
    'Equivset::get' => [fn() => $equivset->get($pick()), 4],
    'Equivset::all' => [fn() => $equivset->all(), 1],
    'IPUtils::isIPAddress' => [fn() => W\IPUtils::isIPAddress($pick()), 4],
    'IPUtils::isIPv4' => [fn() => W\IPUtils::isIPv4($pick()), 4],
    'IPUtils::isIPv6' => [fn() => W\IPUtils::isIPv6($pick()), 4],
    'IPUtils::isValid' => [fn() => W\IPUtils::isValid($pick()), 4],
    'IPUtils::isValidIPv4' => [fn() => W\IPUtils::isValidIPv4($pick()), 4],
    'IPUtils::isValidIPv6' => [fn() => W\IPUtils::isValidIPv6($pick()), 4],
    'IPUtils::isValidRange' => [fn() => W\IPUtils::isValidRange($pick()), 4],
    'IPUtils::sanitizeIP' => [fn() => W\IPUtils::sanitizeIP($pick()), 4],
    'IPUtils::toHex' => [fn() => W\IPUtils::toHex($pick()), 4],
    'IPUtils::parseCIDR' => [fn() => W\IPUtils::parseCIDR($pick()), 4],
    'IPUtils::parseRange' => [fn() => W\IPUtils::parseRange($pick()), 4],
    'IPUtils::isInRange' => [fn() => W\IPUtils::isInRange($pick(), '1.2.3.0/24'), 4],
    'IPUtils::isInRanges' => [fn() => W\IPUtils::isInRanges($pick(), ['1.2.3.0/24', '::/0', [1]]), 4],
    'IPUtils::canonicalize' => [fn() => W\IPUtils::canonicalize($pick()), 4],
    'IPUtils::prettifyIP' => [fn() => W\IPUtils::prettifyIP($pick()), 4],
    'IPUtils::isPublic' => [fn() => W\IPUtils::isPublic($pick()), 4],
    'IPUtils::sanitizeRange' => [fn() => W\IPUtils::sanitizeRange($pick()), 4],
    'IPUtils::getSubnet' => [fn() => W\IPUtils::getSubnet($pick()), 4],
    'IPUtils (wrong type)' => [fn() => W\IPUtils::isValid([[['deep']]]), 1],
    'IPSet::__construct' => [fn() => new W\IPSet(['10.0.0.0/8', $pick()]), 1],
    'IPSet::match' => [fn() => $ipset->match($pick()), 4],
    'IPSet::lookup' => [fn() => $ipset->lookup($pick()), 4],
    'IPReputation::open' => [fn() => W\IPReputation::open($mmdb), 1],
    'IPReputation::open (missing)' => [fn() => W\IPReputation::open("$root/no/such.mmdb"), 1],
    'IPReputation::configured' => [fn() => W\IPReputation::configured(), 1],
    'IPReputation::lookup' => [fn() => $reputation->lookup(['81.2.69.160', '2001:218::', $pick()][$i % 3]), 4],
    'IPReputation::lookupMany' => [fn() => $reputation->lookupMany(['81.2.69.160', $pick(), '::']), 2],
    'IPReputation::metadata' => [fn() => $reputation->metadata(), 1],
    'IPReputation::stats' => [fn() => $reputation->stats(), 1],
];

// Every function and method the extension registers must be soaked.
$soaked = [];
foreach (array_keys($apis) as $name) {
    $soaked[strtolower(preg_replace('/ \(.*\)$/', '', $name))] = true;
}
$missing = [];
foreach (get_extension_funcs('wikiguard') as $function) {
    $short = strtolower(preg_replace('/^wikiguard\\\\/i', '', $function));
    if (!isset($soaked[$short])) $missing[] = $function;
}
foreach (get_declared_classes() as $class) {
    $reflection = new ReflectionClass($class);
    if ($reflection->getExtensionName() !== 'wikiguard' || $reflection->isSubclassOf(\Exception::class)) continue;
    foreach ($reflection->getMethods() as $method) {
        $name = strtolower($reflection->getShortName() . '::' . $method->getName());
        // A constructor that only refuses (static-factory classes) needs no soak.
        if ($method->getName() === '__construct' && $method->getNumberOfParameters() === 0) continue;
        if (!isset($soaked[$name])) $missing[] = "$class::{$method->getName()}";
    }
}
if ($missing) {
    fwrite(STDERR, "soak: not exercised: " . implode(', ', $missing) . "\n");
    exit(2);
}

$weights = array_sum(array_column($apis, 1));
$rounds = 10;
$per_round = intdiv($total_calls, $rounds);
$calls = 0;
$run_round = function () use ($apis, $weights, $per_round, &$calls) {
    foreach ($apis as [$f, $weight]) {
        $n = max(1, intdiv($per_round * $weight, $weights));
        for ($k = 0; $k < $n; $k++) call($f);
        $calls += $n;
    }
};

$started = microtime(true);
$run_round(); // warm-up: registry entries, lazy tables, allocator pools
gc_collect_cycles();
$base_rss = rss_kb();
$base_cache = W\cache_stats();
printf("soak: %d APIs, warm-up %d calls, RSS %d KiB, registry %d bytes in %d entries\n",
    count($apis), $calls, $base_rss, $base_cache['bytes'], $base_cache['entries']);
$peak_growth = 0;
for ($round = 2; $round <= $rounds; $round++) {
    $run_round();
    gc_collect_cycles();
    $rss = rss_kb();
    $peak_growth = max($peak_growth, $rss - $base_rss);
    $cache = W\cache_stats();
    printf("round %2d: %8d calls, RSS %d KiB (%+d), registry %d bytes in %d entries\n",
        $round, $calls, $rss, $rss - $base_rss, $cache['bytes'], $cache['entries']);
}
$cache = W\cache_stats();
$failed = false;
if ($peak_growth > $rss_bound_kb) {
    printf("FAIL: RSS grew by %d KiB after warm-up (bound %d KiB)\n", $peak_growth, $rss_bound_kb);
    $failed = true;
}
if ($cache['bytes'] !== $base_cache['bytes'] || $cache['entries'] !== $base_cache['entries']) {
    printf("FAIL: registry changed after warm-up: %d -> %d bytes, %d -> %d entries\n",
        $base_cache['bytes'], $cache['bytes'], $base_cache['entries'], $cache['entries']);
    $failed = true;
}
printf("soak: %d calls in %.1f s; RSS growth after warm-up %d KiB (bound %d KiB); registry flat: %s\n",
    $calls, microtime(true) - $started, $peak_growth, $rss_bound_kb, $failed ? 'no' : 'yes');
exit($failed ? 1 : 0);
