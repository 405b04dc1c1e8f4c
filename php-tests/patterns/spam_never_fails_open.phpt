--TEST--
PatternSet never fails open: where SpamBlacklist's preg_match_all hits PCRE's backtrack limit and skips the batch, WikiGuard reports the match (the one deliberate difference)
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/spam_oracle.inc';

use WikiGuard\PatternSet;

$hostile = 'http://' . str_repeat('a', 100000) . '!';

// 1. A catastrophic fragment that the linear engine runs: PHP exhausts the
//    backtrack limit on the hostile URL and skips the whole batch, so the
//    blacklisted link beside it goes through.
$list = "(a+)+\$\nevil\\.example";
$links = [$hostile, 'http://evil.example/page'];
$php = wg_oracle_filter($links, wg_oracle_regexes('spam', $list), []);
echo "php: ", var_export($php, true), " (", preg_last_error_msg(), ")\n";
$set = PatternSet::spam($list);
echo "wikiguard: ", json_encode($set->filter($links)), "\n";
echo "fallback lines: ", count($set->fallbackLines()), ", limit hits: ", $set->stats()['limit_hits'], "\n";

// 2. A catastrophic look-around fragment (runs on PCRE2): its evaluation hits
//    the limit, and WikiGuard counts that as a match, visibly.
$list = "(?<=/)(a+)+\$\nevil\\.example";
$links = [$hostile, 'http://aaa'];
$php = wg_oracle_filter($links, wg_oracle_regexes('spam', $list), []);
echo "php: ", var_export($php, true), "\n";
$set = PatternSet::spam($list);
echo "wikiguard: ", json_encode($set->filter($links)), "\n";
echo "isMatch: ", var_export($set->isMatch(implode("\n", $links)), true), "\n";
echo "limit hits counted: ", $set->stats()['limit_hits'] > 0 ? 'yes' : 'no', "\n";
$hits = $set->matches(implode("\n", $links));
echo "matches(): line ", $hits[0]['line'], " ", $hits[0]['fragment'], " match ", var_export($hits[0]['match'], true), "\n";

// 3. The same hostile URL beside a blacklisted one, on the real meta list:
//    linear time, the match is found.
$meta = PatternSet::spam(wg_meta_list());
$links = ['http://' . str_repeat('a', 200000) . '.com/', "http://www.tinyurl.com/x", $hostile];
echo "meta list: ", json_encode($meta->filter($links)), "\n";
echo "meta limit hits: ", $meta->stats()['limit_hits'], "\n";

// 4. Without a hostile URL both agree.
$list = "(a+)+\$\nevil\\.example";
$links = ['http://aaaa', 'http://evil.example/'];
var_dump(wg_oracle_filter($links, wg_oracle_regexes('spam', $list), []) === PatternSet::spam($list)->filter($links));
?>
--EXPECT--
php: false (Backtrack limit exhausted)
wikiguard: ["evil.example"]
fallback lines: 0, limit hits: 0
php: false
wikiguard: [""]
isMatch: true
limit hits counted: yes
matches(): line 1 (?<=/)(a+)+$ match ''
meta list: ["tinyurl.com"]
meta limit hits: 0
bool(true)
