--TEST--
PatternSet and TitleBlacklist follow PHP's pcre.jit for the lines they run on PCRE2 (read when the list is compiled, part of the registry key): the same answers either way; with pcre.jit=0 valgrind can check them (make leakcheck)
--EXTENSIONS--
wikiguard
--SKIPIF--
<?php
// It turns the JIT on, and valgrind cannot follow JIT-generated code.
if (getenv('USE_ZEND_ALLOC') === '0') die('skip turns PCRE2 JIT on, which valgrind cannot follow');
?>
--FILE--
<?php
// Lines only PCRE2 can run (a look-behind, a back-reference).
$list = "(?<=a)bc+x\nfoo\\.com\n";
$titleList = "(a)\\1.*\nplain\n";
$answers = [];
foreach (['1', '0', '1'] as $jit) {
    ini_set('pcre.jit', $jit);
    $before = WikiGuard\cache_stats();
    $spam = WikiGuard\PatternSet::spam($list);
    $titles = WikiGuard\TitleBlacklist::fromText($titleList);
    $after = WikiGuard\cache_stats();
    $answers[] = [$spam->isMatch('http://abccx.example/'), $spam->isMatch('http://bcx.example/'),
        $titles->check('Aazz', 'create') !== null, $titles->check('Abzz', 'create') !== null];
    printf("pcre.jit=%s: %d built, %d reused\n", $jit, $after['misses'] - $before['misses'], $after['hits'] - $before['hits']);
}
echo 'fallback lines: ', $spam->stats()['fallback_lines'], ', title engines: ', implode(' ', array_column($titles->entries(), 'engine')), "\n";
echo 'same answers: ', json_encode(array_unique(array_map('json_encode', $answers))), "\n";
?>
--EXPECT--
pcre.jit=1: 2 built, 0 reused
pcre.jit=0: 2 built, 0 reused
pcre.jit=1: 0 built, 2 reused
fallback lines: 1, title engines: pcre automaton
same answers: ["[true,false,true,false]"]
