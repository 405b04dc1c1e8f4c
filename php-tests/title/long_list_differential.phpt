--TEST--
TitleBlacklist: a list long enough to need several automata (every regex of the case table, with options, four times over) answers exactly as TitleBlacklist::userCannot()
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/titleblacklist_oracle.inc';
require __DIR__ . '/../lib/titleblacklist_cases.inc';
require __DIR__ . '/../lib/cases.inc';

// Every regex of the table with rotating options, four times, each time
// behind its own prefix; titles carry one of the prefixes, so the entries
// they hit lie in every part of the list, and in each of its automata
// (runs of a few hundred patterns).
// Recursion and the catastrophic-backtracking lines are left out: they hit
// PCRE2 limits on most titles (counted as matches here, on purpose; see
// differences.phpt) and would hide every entry after them.
$regexes = array_values(array_filter(wg_tb_regexes(), fn($r) => !preg_match('/\(\?(R|&|\d)|\(\*|[+*]\)[+*]|\|a\)\+|\)\*\$|\{12\}|x\+\)\+/', $r)));
$suffixes = wg_tb_option_suffixes();
$lines = [];
foreach ([0, 1, 2, 3] as $round) {
    foreach ($regexes as $i => $regex) {
        $lines[] = "Zq$round-" . $regex . $suffixes[($i + $round * 5) % count($suffixes)];
    }
}
$text = implode("\n", $lines);
$oracle = wg_tb_oracle_list($text);
$ours = WikiGuard\TitleBlacklist::fromText($text, ['magic_words' => wg_tb_magic()]);
$lineToIndex = array_flip(array_column($ours->entries(), 'line'));
$titles = [];
foreach (wg_tb_titles(wg_case_count(300), 11) as $n => $title) {
    $titles[] = 'Zq' . ($n % 4) . '-' . $title;
}
$compared = $hits = 0;
$hitQuarters = [];
$mismatches = [];
foreach ($titles as $title) {
    foreach (['edit', 'create', 'move', 'new-account'] as $action) {
        $autoconfirmed = strlen($title) % 2 === 0;
        $want = wg_tb_oracle_check($oracle, $title, $action, $autoconfirmed);
        $got = $ours->check($title, $action, ['autoconfirmed' => $autoconfirmed]);
        $gotIndex = $got === null ? null : $lineToIndex[$got['line']];
        $compared++;
        $hits += $want !== null;
        if ($want !== null) {
            $hitQuarters[intdiv(4 * $want, count($lines))] = true;
        }
        if ($gotIndex !== $want) {
            $mismatches[] = sprintf('%s %s: got %s, oracle %s', json_encode($title, JSON_UNESCAPED_UNICODE), $action,
                var_export($gotIndex, true), var_export($want, true));
        }
    }
}
$stats = $ours->stats();
printf("%d lines, %d on the linear engine; compared %s checks, %d blocked (%s), %d mismatches, %d PCRE2 limit hits\n", count($lines),
    $stats['automaton'], $compared >= 4 * wg_case_count(300) ? 'all' : "only $compared", $hits,
    count($hitQuarters) === 4 ? 'by entries in every quarter of the list' : 'NOT in every quarter', count($mismatches), $stats['limit_hits']);
echo implode("\n", array_slice($mismatches, 0, 20)), "\n";
?>
--EXPECTF--
%d lines, %d on the linear engine; compared all checks, %d blocked (by entries in every quarter of the list), 0 mismatches, 0 PCRE2 limit hits
