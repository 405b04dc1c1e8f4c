--TEST--
PatternSet::spam() on the meta blacklist: filter() and isMatch() equal SpamBlacklist's on generated URL sets
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/spam_oracle.inc';
require __DIR__ . '/../lib/cases.inc';

use WikiGuard\PatternSet;

mt_srand(20130428);
$list = wg_meta_list();
$regexes = wg_oracle_regexes('spam', $list);
$set = PatternSet::spam($list);

// Hosts the list blocks, read off its literal-looking lines.
$blocked = [];
foreach (explode("\n", $list) as $line) {
    $line = trim(preg_replace('/#.*$/', '', $line));
    if (preg_match('/^(?:\\\\b)?((?:[a-z0-9-]+\\\\\.)+[a-z]{2,})(?:\\\\b)?$/i', $line, $m)) {
        $blocked[] = str_replace('\\.', '.', $m[1]);
    }
}
$clean = ['en.wikipedia.org', 'www.nytimes.com', 'archive.org', 'doi.org', 'github.com', 'www.bbc.co.uk',
    'de.wikipedia.org', 'www.nature.com', 'commons.wikimedia.org', 'www.theguardian.com'];
$idn = ['bücher.example', 'xn--bcher-kva.example', 'пример.испытание', '例え.テスト', 'café.fr', 'ﬁnance.com'];
$paths = ['/', '/wiki/Main_Page', '/a/b?c=d&e=f', '#frag', '/path%20x', '/~user/', ''];
$schemes = ['http://', 'https://', '//', 'HTTP://', 'ftp://', 'http:///', 'https:////'];

$pick = fn(array $a) => $a[mt_rand(0, count($a) - 1)];
$mutate = function (string $host) use ($pick): string {
    $i = mt_rand(0, max(0, strlen($host) - 1));
    switch (mt_rand(0, 5)) {
        case 0: return substr($host, 0, $i) . substr($host, $i + 1);               // drop a byte
        case 1: return substr($host, 0, $i) . chr(mt_rand(97, 122)) . substr($host, $i); // insert
        case 2: return strtoupper($host);
        case 3: return str_replace('.', '．', $host);                             // fullwidth dots
        case 4: return 'x' . $host . 'x';
        default: return $host . '.' . $pick(['com', 'org', 'cn', 'ru']);
    }
};
$url = function () use ($pick, $blocked, $clean, $idn, $paths, $schemes, $mutate): string {
    $kind = mt_rand(0, 9);
    $host = match (true) {
        $kind <= 3 => $pick($clean),
        $kind <= 5 => $pick($blocked),
        $kind <= 7 => $mutate($pick($blocked)),
        $kind === 8 => $pick($idn),
        default => $pick(['www.', 'm.', '', 'a.b.']) . $pick($blocked),
    };
    $u = $pick($schemes) . $host . $pick($paths);
    switch (mt_rand(0, 30)) {
        case 0: return $u . "\xff\xfe";             // invalid UTF-8
        case 1: return $u . "\0" . 'x';             // NUL byte
        case 2: return strtoupper($u);
        case 3: return "text before " . $u;
        default: return $u;
    }
};

$cases = 0;
$mismatches = 0;
$matched = 0;
$report = function (string $what, $input, $want, $got) use (&$mismatches) {
    if (++$mismatches <= 10) {
        echo "MISMATCH $what\n  input: ", wg_show($input), "\n  php:   ", wg_show($want), "\n  wg:    ", wg_show($got), "\n";
    }
};
// Generated edits and hosts are sized by wg_case_count() (lib/cases.inc):
// the full counts at the default scale, fewer under valgrind.
$edits = wg_case_count(300);
// Without PCRE's JIT (valgrind) the oracle takes seconds on one 300-link edit.
$bigEdit = wg_case_count(300, 50);
for ($edit = 0; $edit < $edits; $edit++) {
    $n = match (true) { $edit % 100 === 0 => $bigEdit, $edit % 10 === 0 => 50, default => mt_rand(1, 8) };
    $links = [];
    for ($i = 0; $i < $n; $i++) {
        $links[] = $url();
    }
    $want = wg_oracle_filter($links, $regexes, []);
    $got = $set->filter($links);
    $cases++;
    if ($want !== $got) {
        $report('filter', $links, $want, $got);
    }
    if ($want !== false) {
        $matched++;
    }
    $text = implode("\n", $links);
    $cases++;
    if (wg_oracle_is_match($text, $regexes) !== $set->isMatch($text)) {
        $report('isMatch', $text, !$set->isMatch($text), $set->isMatch($text));
    }
}
// Printed now, not at the end: under valgrind run-tests.php stops a test
// that prints nothing for 300 s.
echo wg_cases_done('edit cases', $cases, 2 * $edits), "\n";
// Every blocked host on its own, in upper case and with fullwidth dots.
$hosts = wg_case_count(700);
foreach (array_slice($blocked, 0, $hosts) as $i => $host) {
    $links = ["http://$host/", 'https://' . strtoupper($host), '//' . str_replace('.', '．', $host) . '/x'];
    $links = [$links[$i % 3]];
    $cases++;
    $want = wg_oracle_filter($links, $regexes, []);
    $got = $set->filter($links);
    if ($want !== $got) {
        $report('filter (blocked host)', $links, $want, $got);
    }
    if ($want !== false) {
        $matched++;
    }
}
echo wg_cases_done('cases', $cases, 2 * $edits + $hosts), "\n";
// Most blocked-host links and many edits are blocked.
echo "blocked results: ", $matched >= ($edits + $hosts) * 0.4 ? "at least 40 percent" : $matched, "\n";
echo "mismatches: $mismatches\n";
echo "limit hits: ", $set->stats()['limit_hits'], "\n";
?>
--EXPECTF--
edit cases: %d, as asked
cases: %d, as asked
blocked results: at least 40 percent
mismatches: 0
limit hits: 0
