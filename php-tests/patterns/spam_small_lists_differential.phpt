--TEST--
PatternSet on generated small lists with odd lines: badLines(), filter(), isMatch() and checkEmail() equal SpamBlacklist's and EmailBlacklist's
--EXTENSIONS--
wikiguard
--INI--
; SpamRegexBatch passes null to str_replace() for a batch that is not valid
; UTF-8 (the empty-group quirk): a deprecation notice of the oracle itself.
error_reporting=E_ALL & ~E_DEPRECATED
--FILE--
<?php
require __DIR__ . '/spam_oracle.inc';
require __DIR__ . '/../lib/cases.inc';

use WikiGuard\PatternSet;

mt_srand(4096);
// Fragments: ordinary, PCRE-only (look-around...), invalid, and lines that
// change how their neighbours parse in a PHP batch.
$fragments = [
    'tinyurl\.com', 'bit\.ly', '\bcasino\b', 'example\.(?:com|org)', 'foo/bar', 'a\/b', 'x\\\\/y',
    '\bcheap-?pills?\b', 'caf' . "\u{e9}" . '+', '[' . "\u{27a1}\u{27a8}" . ']+\.ws', 'spam[0-9]{2,3}',
    'dogsex(?!posed)', '(?<=//|\.)x\.co\b', '(?<!www\.)\bbrute\.com', '(?>atom)ic', 'poss++ive', '^start',
    'end\Z', 'a{2000}', '\bpro-(?!speleo).*?\.ru\b', '[^./]louboutin', 'sp\sace', '\Wweird',
    '[unclosed', 'unopened)', '(open', 'close)', '*star', 'bad\\', 'x{3,2}', '[\d-z]', '\p{L}x',
    '(?i)CaSe', '(?-i)Exact', '\Qquo|ted', 'c\c', '(a)\1', 'a{,5}', 'q{x}', '[]]', '[^]]', 'é',
    "nul\0byte", "inv\xffalid", '0', '00', '# only comment', 'x # trailing comment', '   padded   ',
    "tab\tbed", '\x41\x{42}', '\0', '\e\a', '(?P<name>named)', '.*', '', 'ht', 'https?://',
];
$hosts = ['tinyurl.com', 'bit.ly', 'casino.net', 'example.org', 'foo/bar', 'a/b', 'x/y', 'cheap-pills.biz',
    "caf\u{e9}s.fr", "caf\xc3\xa9\xa9\xa9.fr", "\u{27a8}.ws", 'spam123.com', 'dogsex.com', 'dogsexposed.com',
    'x.co', 'ax.co', 'www.brute.com', 'mybrute.com', 'atomic.org', 'possssive.net', 'start.org', 'end',
    'pro-speleo.ru', 'pro-x.ru', 'alouboutin.com', '.louboutin.com', 'sp ace', 'a!weird', 'CASE.com', 'case.com',
    'Exact.com', 'exact.com', 'quo|ted', 'open', 'close', 'a{,5}', 'q{x}', ']', 'é', "nul\0byte", "inv\xffalid",
    'AB', "\0", 'named.org', 'tab	bed', 'ht', 'clean.org', 'padded', 'trailing', 'wiki.org'];
$schemes = ['http://', 'https://', '//', 'HTTPS://', 'mailto:', ''];
$pick = fn(array $a) => $a[mt_rand(0, count($a) - 1)];

$cases = 0;
$mismatches = 0;
$perLine = 0;
$pcreBatches = 0;
$report = function (string $what, $input, $want, $got) use (&$mismatches) {
    if (++$mismatches <= 10) {
        echo "MISMATCH $what\n  input: ", wg_show($input), "\n  php:   ", wg_show($want), "\n  wg:    ", wg_show($got), "\n";
    }
};
// Generated lists are sized by wg_case_count() (lib/cases.inc): the full
// count at the default scale, fewer under valgrind.
$rounds = wg_case_count(1500);
for ($round = 0; $round < $rounds; $round++) {
    $lines = [];
    for ($i = mt_rand(0, 12); $i > 0; $i--) {
        $lines[] = $pick($fragments);
    }
    $list = implode($pick(["\n", "\r\n", "\n\n"]), $lines);
    $whiteLines = [];
    for ($i = mt_rand(0, 3); $i > 0; $i--) {
        $whiteLines[] = $pick($fragments);
    }
    $white = implode("\n", $whiteLines);

    foreach (['spam', 'email'] as $type) {
        $set = $type === 'spam' ? PatternSet::spam($list) : PatternSet::email($list);
        $cases++;
        $want = wg_oracle_bad_lines($type, $list);
        if ($want !== $set->badLines()) {
            $report("$type badLines", $list, $want, $set->badLines());
        }
        if ($set->stats()['per_line_mode']) {
            $perLine++;
        }
        $pcreBatches += $set->stats()['pcre_batches'];
    }
    $regexes = wg_oracle_regexes('spam', $list);
    $whiteRegexes = wg_oracle_regexes('spam', $white);
    $spam = PatternSet::spam($list);
    $whitelist = PatternSet::spam($white);
    $emailRegexes = wg_oracle_regexes('email', $list);
    $emailWhiteRegexes = wg_oracle_regexes('email', $white);
    $email = PatternSet::email($list);
    $emailWhite = PatternSet::email($white);
    for ($j = 0; $j < 10; $j++) {
        $links = [];
        for ($k = mt_rand(0, 6); $k > 0; $k--) {
            $host = $pick($hosts);
            $links[] = $pick($schemes) . (mt_rand(0, 4) ? $host : strtoupper($host)) . $pick(['', '/', '/path', "\n//x"]);
        }
        $cases++;
        $want = wg_oracle_filter($links, $regexes, $whiteRegexes);
        $got = $spam->filter($links, $whitelist);
        if ($want !== $got) {
            $report('filter', [$list, $white, $links], $want, $got);
        }
        $text = implode("\n", $links);
        $cases++;
        if (wg_oracle_is_match($text, $regexes) !== $spam->isMatch($text)) {
            $report('isMatch', [$list, $text], !$spam->isMatch($text), $spam->isMatch($text));
        }
        $address = $pick(['user', 'x.y', 'ok']) . '@' . $pick($hosts);
        $cases++;
        $want = wg_oracle_check_email($address, $emailRegexes, $emailWhiteRegexes);
        if ($want !== $email->checkEmail($address, $emailWhite)) {
            $report('checkEmail', [$list, $white, $address], $want, !$want);
        }
    }
}
echo wg_cases_done('cases', $cases, $rounds * (2 + 10 * 3)), "\n";
// Both per-list outcomes are common: 400 and 200 in 1,500 rounds.
echo "lists rebuilt per line: ", $perLine >= $rounds * 400 / 1500 ? "many" : $perLine, "\n";
echo "batches run on PCRE2 whole: ", $pcreBatches >= $rounds * 200 / 1500 ? "many" : $pcreBatches, "\n";
echo "mismatches: $mismatches\n";
?>
--EXPECTF--
cases: %d, as asked
lists rebuilt per line: many
batches run on PCRE2 whole: many
mismatches: 0
