--TEST--
TitleBlacklist: every regex, alone and casesensitive, matches exactly the titles preg_match("/^(?:REGEX)$/us[i]") matches (both engines, every script)
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/titleblacklist_oracle.inc';
require __DIR__ . '/../lib/titleblacklist_cases.inc';

$GLOBALS['wgTbMagic'] = wg_tb_magic();
$titles = wg_tb_titles(400, 20261125);
$compared = 0;
$failOpen = 0;
$matched = 0;     // titles the oracle blocks: the test must see both answers
$mismatches = [];
$engines = [];
foreach (wg_tb_regexes() as $regex) {
    foreach (['', ' <casesensitive>'] as $suffix) {
        $line = $regex . $suffix;
        $oracle = wg_tb_oracle_list($line);
        $ours = WikiGuard\TitleBlacklist::fromText($line, ['magic_words' => wg_tb_magic()]);
        foreach ($ours->entries() as $entry) {
            $engines[$entry['engine']] = ($engines[$entry['engine']] ?? 0) + 1;
        }
        // The regex's own text (with _ as space) is a title too.
        $own = str_replace('_', ' ', $regex);
        foreach (array_merge($titles, [$own, strtoupper($own), $own . "\n"]) as $title) {
            if (!mb_check_encoding($title, 'UTF-8')) {
                continue; // invalid UTF-8 titles: see differences.phpt
            }
            $limitsBefore = $ours->stats()['limit_hits'];
            $want = wg_tb_oracle_check($oracle, $title, 'create', false);
            $oracleError = preg_last_error();
            $got = $ours->check($title, 'create');
            $compared++;
            $matched += $want !== null;
            $gotIndex = $got === null ? null : 0;
            if ($gotIndex === $want) {
                continue;
            }
            if ($oracleError !== PREG_NO_ERROR && $want === null && $gotIndex === 0) {
                $failOpen++;
                continue;
            }
            $mismatches[] = sprintf('%s on %s: got %s, oracle %s (limit hits +%d, preg error %d)',
                json_encode($line, JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE),
                json_encode($title, JSON_UNESCAPED_UNICODE), var_export($gotIndex, true), var_export($want, true),
                $ours->stats()['limit_hits'] - $limitsBefore, $oracleError);
        }
    }
}
ksort($engines);
printf("compared %d titles, %d mismatches, %d oracle fail-open cases answered\n", $compared, count($mismatches), $failOpen);
echo implode("\n", array_slice($mismatches, 0, 30)), "\n";
var_dump($compared > 100000, $matched > 5000, $engines['automaton'] > 150, $engines['pcre'] > 40, $engines['invalid'] > 30);
?>
--EXPECTF--
compared %d titles, 0 mismatches, %d oracle fail-open cases answered

bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
