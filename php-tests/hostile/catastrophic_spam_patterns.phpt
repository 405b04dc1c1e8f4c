--TEST--
Hostile input: catastrophic spam-list fragments against long crafted URLs: translatable ones run in linear time with the right answer; PCRE-only ones that hit the backtrack limit count as a match (never fail open) and show in stats()
--EXTENSIONS--
wikiguard
--FILE--
<?php
$url = 'http://' . str_repeat('a', 100000) . '!';
// The second link really matches the look-behind line ("/aaa" at the end).
$text = "$url\nhttp://aaa";
$lists = [
    'nested quantifier (translatable)' => "(a+)+\$\nevil\\.example",
    'alternation blow-up (translatable)' => "(a|aa)+b\nevil\\.example",
    'look-behind + nested quantifier (PCRE only)' => "(?<=/)(a+)+\$\nevil\\.example",
];
foreach ($lists as $name => $list) {
    $set = WikiGuard\PatternSet::spam($list);
    $filtered = $set->filter([$url, 'http://ok.example/']);
    printf("%s: isMatch(url) %s, isMatch(url + matching link) %s, filter %s, fallback lines %d, limit hits > 0: %s\n", $name,
        json_encode($set->isMatch($url)), json_encode($set->isMatch($text)), json_encode($filtered === false ? false : count($filtered)),
        count($set->fallbackLines()), $set->stats()['limit_hits'] > 0 ? 'yes' : 'no');
}
// SpamBlacklist's batch regex on PCRE gives up on the text (preg_match_all
// false, and SpamBlacklist lets the edit through) although it matches.
var_dump(preg_match_all('/(?:https?:)?\/\/+[a-z0-9_\-.]*((?<=\/)(a+)+$|evil\.example)/Si', $text), preg_last_error_msg());
?>
--EXPECT--
nested quantifier (translatable): isMatch(url) false, isMatch(url + matching link) true, filter false, fallback lines 0, limit hits > 0: no
alternation blow-up (translatable): isMatch(url) false, isMatch(url + matching link) false, filter false, fallback lines 0, limit hits > 0: no
look-behind + nested quantifier (PCRE only): isMatch(url) false, isMatch(url + matching link) true, filter false, fallback lines 1, limit hits > 0: yes
bool(false)
string(25) "Backtrack limit exhausted"
