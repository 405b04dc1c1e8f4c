--TEST--
MediaWiki extension: SpamBlacklist's cached regexes as one native PatternSet match exactly when the stock regex loop does (meta list, batched and per-line, spam and email)
--SKIPIF--
<?php if (!class_exists('WikiGuard\PatternSet')) die('skip WikiGuard\PatternSet is not in this build'); ?>
--FILE--
<?php
require __DIR__ . '/../lib/oracle.inc';
require __DIR__ . '/../lib/cases.inc';
wg_oracle_require('extensions-core/SpamBlacklist/includes/BaseBlacklist.php');
wg_oracle_require('extensions-core/SpamBlacklist/includes/SpamBlacklist.php');
wg_oracle_require('extensions-core/SpamBlacklist/includes/EmailBlacklist.php');
wg_oracle_require('extensions-core/SpamBlacklist/includes/SpamRegexBatch.php');
require __DIR__ . '/../../mediawiki/WikiGuard/includes/NativeBatches.php';

use MediaWiki\Extension\SpamBlacklist\EmailBlacklist;
use MediaWiki\Extension\SpamBlacklist\SpamBlacklist;
use MediaWiki\Extension\SpamBlacklist\SpamRegexBatch;
use MediaWiki\Extension\WikiGuard\NativeBatches;

// MediaWiki's debug log, which SpamRegexBatch and NativeBatches call.
function wfDebugLog($group, $text) {}

mt_srand(20261125);
$meta = file_get_contents(__DIR__ . '/../data/meta-global-spam-blacklist-2013-04-28.txt');

/** Hosts spelled out by the list's plain fragments (e.g. \bbit\.ly\b -> bit.ly). */
$hosts = [];
foreach (explode("\n", $meta) as $line) {
    $line = trim(preg_replace('/#.*$/', '', $line));
    if (preg_match('/^(?:\\\\b)?((?:[a-z0-9-]+\\\\\.)+[a-z]{2,})(?:\\\\b)?$/', $line, $m)) {
        $hosts[] = str_replace('\\.', '.', $m[1]);
    }
}

function pick(array $a) { return $a[mt_rand(0, count($a) - 1)]; }

/** One generated link: listed, mutated near-miss, upper case, clean, non-ASCII, or hostile. */
function link_for(array $hosts): string {
    $host = pick($hosts);
    $path = pick(['', '/', '/x', '/a/b?c=d', '/' . str_repeat('q', mt_rand(1, 60))]);
    switch (mt_rand(0, 9)) {
        case 0: return "http://www.$host$path";
        case 1: return "https://$host$path";
        case 2: return '//' . strtoupper($host) . $path;
        case 3: return 'http://' . substr($host, 0, -1) . "x$path";                 // near miss
        case 4: return 'http://' . str_replace('.', '-', $host) . ".example$path";   // near miss
        case 5: return "http://sub.$host.evil.test$path";
        case 6: return 'https://www.example' . mt_rand(0, 999) . ".org/page$path";    // clean
        case 7: return 'http://' . pick(['bücher', 'пример', '例え', 'ex%41mple']) . ".$host$path";
        case 8: return "ftp://$host$path";                                          // no http(s) prefix
        default: return 'http://' . str_repeat(pick(['a', 'x', '.', '-']), mt_rand(1, 300)) . ".$host";
    }
}

/** Stock: SpamBlacklist::filter()'s loop; native: NativeBatches + one isMatch. */
function compare(string $label, array $regexes, string $start, string $end, string $flavor, array $subjects): void {
    [$set, $pcreOnly] = (new NativeBatches($start, $end, $flavor))->compile($regexes);
    $mismatches = 0;
    $hits = 0;
    $compared = 0;
    foreach ($subjects as $subject) {
        $compared++;
        $stock = false;
        foreach ($regexes as $regex) {
            $stock = $stock || @preg_match_all($regex, $subject) > 0;
        }
        $native = $set !== null && $set->isMatch($subject);
        foreach (array_keys($pcreOnly) as $regex) {
            $native = $native || @preg_match_all($regex, $subject) > 0;
        }
        $hits += $stock ? 1 : 0;
        if ($stock !== $native) {
            if (++$mismatches <= 5) {
                echo "MISMATCH $label: stock ", var_export($stock, true), ' for ', json_encode($subject), "\n";
            }
        }
    }
    printf("%s: %d regexes (%d on PCRE), %s, %s hits, %d mismatches\n", $label, count($regexes), count($pcreOnly),
        wg_cases_done('subjects compared', $compared, count($subjects)), $hits > count($subjects) / 10 ? 'enough' : 'too few', $mismatches);
}

$spam = new SpamBlacklist();
$email = new EmailBlacklist();

// Generated subjects are sized by wg_case_count()
// (lib/cases.inc): the full counts at the default scale, fewer under valgrind.
// Batched: the meta list as SpamBlacklist builds it (68 regexes).
$subjects = [];
for ($i = 0, $n = wg_case_count(1500); $i < $n; $i++) {
    $links = [];
    for ($k = mt_rand(1, 4); $k > 0; $k--) {
        $links[] = link_for($hosts);
    }
    $subjects[] = implode("\n", $links);
}
compare('spam, batched', SpamRegexBatch::regexesFromText($meta, $spam), $spam->getRegexStart(), $spam->getRegexEnd(1), 'spam', $subjects);

// Per-line: one line that does not compile makes SpamRegexBatch rebuild one regex per line (/im).
$sample = implode("\n", array_slice(explode("\n", $meta), 0, 1500)) . "\nbroken(line\n";
$perLine = SpamRegexBatch::regexesFromText($sample, $spam);
$few = array_slice($subjects, 0, wg_case_count(200, 60));
compare('spam, per-line', $perLine, $spam->getRegexStart(), $spam->getRegexEnd(1), 'spam', $few);

// Invalid UTF-8 leaves an empty group that matches every URL: it must stay on PCRE.
// (SpamRegexBatch's own preg_replace returns null there, which PHP 8.2 reports as deprecated.)
$invalid = @SpamRegexBatch::regexesFromText("\\bok\\.test\\b\nbad\xFF\\.test\n", $spam);
compare('spam, invalid UTF-8 batch', $invalid, $spam->getRegexStart(), $spam->getRegexEnd(1), 'spam', $few);

// Email: the same fragments against addresses.
$addresses = [];
for ($i = 0, $n = wg_case_count(1000); $i < $n; $i++) {
    $host = preg_replace('#^[a-z]+:(//)?#', '', link_for($hosts));
    $addresses[] = pick(['someone', 'a.b', 'X_Y', '']) . '@' . explode('/', $host)[0];
}
compare('email, batched', SpamRegexBatch::regexesFromText($meta, $email), $email->getRegexStart(), $email->getRegexEnd(1), 'email', $addresses);
?>
--EXPECTF--
spam, batched: 68 regexes (0 on PCRE), subjects compared: %d, as asked, enough hits, 0 mismatches
spam, per-line: %d regexes (0 on PCRE), subjects compared: %d, as asked, enough hits, 0 mismatches
spam, invalid UTF-8 batch: 1 regexes (1 on PCRE), subjects compared: %d, as asked, enough hits, 0 mismatches
email, batched: 68 regexes (0 on PCRE), subjects compared: %d, as asked, enough hits, 0 mismatches
