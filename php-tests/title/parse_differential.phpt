--TEST--
TitleBlacklist: parsing (regex, params, errmsg, raw) and badLines() agree with TitleBlacklistEntry::newFromString() and TitleBlacklist::validate()
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/titleblacklist_oracle.inc';
require __DIR__ . '/../lib/titleblacklist_cases.inc';

$GLOBALS['wgTbMagic'] = wg_tb_magic();
$lines = wg_tb_odd_lines();
$suffixes = wg_tb_option_suffixes();
foreach (wg_tb_regexes() as $i => $regex) {
    $lines[] = $regex;
    $lines[] = $regex . $suffixes[$i % count($suffixes)];
}
foreach ($suffixes as $suffix) {
    $lines[] = 'Foo.*' . $suffix;
}
$texts = [implode("\n", $lines), implode("\r\n", $lines), "a\r\r\nb\n\n\rc\r", ''];

$compared = 0;
$mismatches = [];
foreach ($texts as $t => $text) {
    [$oracleList, $oracleEntries] = wg_tb_oracle_list($text);
    $ours = WikiGuard\TitleBlacklist::fromText($text, ['magic_words' => wg_tb_magic()]);
    $entries = $ours->entries();
    if (count($entries) !== count($oracleEntries)) {
        $mismatches[] = "text $t: " . count($entries) . ' entries, oracle ' . count($oracleEntries);
        continue;
    }
    foreach ($oracleEntries as $i => $oracle) {
        $want = [
            'regex' => $oracle->getRegex(), 'params' => $oracle->getParams(),
            'errmsg' => $oracle->getCustomMessage(), 'raw' => $oracle->getRaw(),
        ];
        $got = array_intersect_key($entries[$i], $want);
        $got = array_merge($want, $got);
        $compared++;
        if ($got !== $want) {
            $mismatches[] = "text $t entry $i: " . json_encode([$got, $want], JSON_INVALID_UTF8_SUBSTITUTE);
        }
        // The line number points at the raw line.
        $split = preg_split("/\r?\n/", $text);
        if ($split[$entries[$i]['line'] - 1] !== $oracle->getRaw()) {
            $mismatches[] = "text $t entry $i: line {$entries[$i]['line']} is not the raw line";
        }
    }
    $compared++;
    if ($ours->badLines() !== $oracleList->validate($oracleEntries)) {
        $mismatches[] = "text $t: badLines " . json_encode([$ours->badLines(), $oracleList->validate($oracleEntries)], JSON_INVALID_UTF8_SUBSTITUTE);
    }
}

// magicWords() lists what the map must hold.
var_dump(WikiGuard\TitleBlacklist::magicWords("{{ns:User_talk}}:x\n{{int:blocked}} {{ns:2}}\n#{{ns:Hidden}}\n{{foo:bar}}"));

printf("compared %d entries and lists, %d mismatches\n", $compared, count($mismatches));
echo implode("\n", array_slice($mismatches, 0, 20)), "\n";
var_dump($compared > 600);
?>
--EXPECTF--
array(3) {
  [0]=>
  string(12) "ns:User talk"
  [1]=>
  string(11) "int:blocked"
  [2]=>
  string(4) "ns:2"
}
compared %d entries and lists, 0 mismatches

bool(true)
