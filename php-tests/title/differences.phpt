--TEST--
TitleBlacklist: the documented differences (never fail open on a PCRE limit; invalid UTF-8 titles throw), invalid lines never match, registry reuse
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/titleblacklist_oracle.inc';

// 1. A fallback regex that hits PCRE's backtrack limit: TitleBlacklist lets
//    the title through (preg_match returns false); WikiGuard blocks it and
//    counts the event.
$line = '(a+)+\bb <errmsg=catastrophic>';
$title = str_repeat('a', 40) . 'b';
$list = WikiGuard\TitleBlacklist::fromText($line);
var_dump($list->fallbackLines());
var_dump(wg_tb_oracle_check(wg_tb_oracle_list($line), $title, 'create', false), preg_last_error_msg());
$hit = $list->check($title, 'create');
var_dump($hit['line'], $hit['errmsg'], $list->stats()['limit_hits']);
// A title the regex rejects quickly is still not blocked.
var_dump($list->check('aab', 'create'), $list->stats()['limit_hits']);

// 2. Titles that are not valid UTF-8: preg_match with /u fails and
//    TitleBlacklist lets them through; WikiGuard throws, naming the offset.
$bad = ["Foo\xFF", "\xC3", "ok\xED\xA0\x80", "\xF4\x90\x80\x80"];
$list = WikiGuard\TitleBlacklist::fromText(".*");
foreach ($bad as $title) {
    $oracle = wg_tb_oracle_check(wg_tb_oracle_list('.*'), $title, 'create', false);
    try {
        $list->check($title, 'create');
        echo "no exception\n";
    } catch (WikiGuard\InvalidInputException $e) {
        printf("oracle %s; %s\n", var_export($oracle, true), $e->getMessage());
    }
}
try {
    $list->check('Fine', 'create', ['antispoof_normalized' => "\xFF"]);
} catch (WikiGuard\InvalidInputException $e) {
    echo $e->getMessage(), "\n";
}
// NUL bytes are valid UTF-8 and are matched like any character.
var_dump(WikiGuard\TitleBlacklist::fromText('a\x00b')->check("a\0b", 'create')['line']);

// 3. Lines PHP's preg_match rejects never match (as in TitleBlacklist) and
//    are visible through entries() and badLines().
$list = WikiGuard\TitleBlacklist::fromText("a(\nx/y\n[\\w/]\n.*");
foreach ($list->entries() as $entry) {
    printf("line %d %-9s %s\n", $entry['line'], $entry['engine'], $entry['error'] === null ? '-' : 'error');
}
var_dump($list->check('x/y', 'create')['line'], $list->badLines(), $list->stats()['invalid']);

// 4. The same text (and options) in a later call comes from the registry.
$text = "Registry.*\nTest <noedit>";
$before = WikiGuard\cache_stats();
$a = WikiGuard\TitleBlacklist::fromText($text);
$b = WikiGuard\TitleBlacklist::fromText($text, ['source' => 'other']);
$c = WikiGuard\TitleBlacklist::fromText($text, ['magic_words' => ['ns:X' => 'Y']]);
$after = WikiGuard\cache_stats();
var_dump($after['misses'] - $before['misses'], $after['hits'] - $before['hits']);

// 5. Not constructible; options are checked.
try { new WikiGuard\TitleBlacklist(); } catch (Exception $e) { echo $e->getMessage(), "\n"; }
try { WikiGuard\TitleBlacklist::fromText('x', ['sources' => 'a']); } catch (WikiGuard\InvalidInputException $e) { echo $e->getMessage(), "\n"; }
try { WikiGuard\TitleBlacklist::fromText('x', ['magic_words' => ['nsX' => 'a']]); } catch (WikiGuard\InvalidInputException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
array(1) {
  [0]=>
  int(1)
}
NULL
string(25) "Backtrack limit exhausted"
int(1)
string(12) "catastrophic"
int(1)
NULL
int(1)
oracle NULL; TitleBlacklist::check(): the title is not valid UTF-8 (invalid byte at offset 3)
oracle NULL; TitleBlacklist::check(): the title is not valid UTF-8 (invalid byte at offset 0)
oracle NULL; TitleBlacklist::check(): the title is not valid UTF-8 (invalid byte at offset 2)
oracle NULL; TitleBlacklist::check(): the title is not valid UTF-8 (invalid byte at offset 0)
TitleBlacklist::check(): the antispoof_normalized is not valid UTF-8 (invalid byte at offset 0)
int(1)
line 1 invalid   error
line 2 invalid   error
line 3 invalid   error
line 4 automaton -
int(4)
array(3) {
  [0]=>
  string(2) "a("
  [1]=>
  string(3) "x/y"
  [2]=>
  string(5) "[\w/]"
}
int(3)
int(2)
int(1)
You cannot instantiate this class from PHP.
TitleBlacklist::fromText(): unknown option 'sources' (known: source, magic_words)
'magic_words' key 'nsX' must be 'ns:ARGUMENT' or 'int:ARGUMENT'
