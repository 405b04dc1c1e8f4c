--TEST--
PatternSet API: construction through the registry, bad input (non-string links, NUL bytes, huge inputs), email lists, introspection
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/cases.inc';
use WikiGuard\PatternSet;

$list = "# demo\ntinyurl\\.com\n\\bcasino\\b\ndogsex(?!posed)\nbad\\\n";
$before = WikiGuard\cache_stats();
$a = PatternSet::spam($list);
$b = PatternSet::spam($list);
$after = WikiGuard\cache_stats();
echo "built once: ", $after['misses'] - $before['misses'], " miss, ", $after['hits'] - $before['hits'], " hit\n";
echo "count: ", count([$a]) === 1 ? $a->count() : -1, "\n";
echo "badLines: ", json_encode($a->badLines()), "\n";
echo "fallbackLines: ", json_encode($a->fallbackLines()), "\n";
$stats = $a->stats();
ksort($stats);
echo "stats keys: ", implode(',', array_keys($stats)), "\n";
echo "fragments/batches/fallback: {$stats['fragments']}/{$stats['batches']}/{$stats['fallback_lines']}\n";

// Keys survive with gaps, as array_unique leaves them.
var_dump($a->filter(['http://a.tinyurl.com/', 'http://b.tinyurl.com/', 'http://casino.example/']));
var_dump($a->filter([]));
var_dump($a->filter(['http://clean.example/']));
print_r($a->matches("http://www.TinyURL.com/x http://casino.org/"));

// Bad input.
foreach ([[1], ['ok' => null], [['nested']], ['http://x', 2.5]] as $links) {
    try {
        $a->filter($links);
        echo "no exception\n";
    } catch (WikiGuard\InvalidInputException $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    PatternSet::email("x")->filter(['http://x']);
} catch (WikiGuard\InvalidInputException $e) {
    echo "email filter: ", $e->getMessage(), "\n";
}
try {
    $a->filter(['http://x'], PatternSet::email("x"));
} catch (WikiGuard\InvalidInputException $e) {
    echo "email whitelist: ", $e->getMessage(), "\n";
}
try {
    new PatternSet();
} catch (\Throwable $e) {
    echo "constructor: ", get_class($e), "\n";
}

// NUL bytes and invalid UTF-8 are bytes like any other (the host prefix
// [a-z0-9_\-.]* does not cross a NUL, in PHP either).
var_dump($a->isMatch("http://\0tinyurl.com\xff"), $a->isMatch("http://tinyurl.com\0\xff"));
var_dump(PatternSet::spam("nul\0byte")->filter(["http://nul\0byte/"]) === ["nul\0byte"]);
// Huge inputs: a 5 MB link and a 2 MB list of 100,000 lines (sized by
// wg_case_count(), lib/cases.inc: a twentieth under valgrind, where they
// took minutes; hostile/large_lists.phpt keeps its sizes there).
$huge = 'http://' . str_repeat('ab.', wg_case_count(1700000)) . 'tinyurl.com/';
var_dump($a->filter([$huge]));
$lines = wg_case_count(100000);
$big = PatternSet::spam(str_repeat("x\\.y\\.z[0-9]+\\.example\n", $lines));
echo wg_cases_done('big count', $big->count(), $lines), "\n";
var_dump($big->isMatch('http://x.y.z42.example/'), $big->isMatch('http://x.y.z.example/'));

// Email lists: EmailBlacklist::checkUser() order, whitelist first.
$email = PatternSet::email("@spam\\.example\$\nbad");
$white = PatternSet::email("^ok@");
var_dump($email->checkEmail('a@spam.example'), $email->checkEmail('ok@spam.example', $white), $email->checkEmail('a@fine.example'));
var_dump(PatternSet::email('')->checkEmail('bad@bad'));
?>
--EXPECTF--
built once: 1 miss, 1 hit
count: 4
badLines: ["bad\\"]
fallbackLines: [{"line":4,"fragment":"dogsex(?!posed)"}]
stats keys: batches,cache_capacity_bytes,compile_ms,fallback_lines,fragments,limit_hits,memory_bytes,pcre_batches,per_line_mode
fragments/batches/fallback: 4/1/1
array(2) {
  [0]=>
  string(11) "tinyurl.com"
  [2]=>
  string(6) "casino"
}
bool(false)
bool(false)
Array
(
    [0] => Array
        (
            [line] => 2
            [fragment] => tinyurl\.com
            [match] => TinyURL.com
            [offset] => 11
        )

    [1] => Array
        (
            [line] => 3
            [fragment] => \bcasino\b
            [match] => casino
            [offset] => 32
        )

)
WikiGuard\InvalidInputException: PatternSet::filter(): $links[0] is int, not a string
WikiGuard\InvalidInputException: PatternSet::filter(): $links['ok'] is null, not a string
WikiGuard\InvalidInputException: PatternSet::filter(): $links[0] is array, not a string
WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is float, not a string
email filter: PatternSet::filter(): this is an email list; EmailBlacklist cannot filter links (use checkEmail())
email whitelist: PatternSet::filter(): the whitelist must be a spam list (PatternSet::spam())
constructor: Exception
bool(false)
bool(true)
bool(true)
array(1) {
  [0]=>
  string(11) "tinyurl.com"
}
big count: %d, as asked
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
