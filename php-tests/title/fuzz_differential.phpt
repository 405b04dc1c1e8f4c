--TEST--
TitleBlacklist: randomly generated regexes (a grammar of PCRE constructs) match exactly what preg_match("/^(?:REGEX)$/us[i]") matches
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/../lib/titleblacklist_oracle.inc';

// A small grammar: atoms, classes, groups, quantifiers, flags, anchors,
// escapes, non-ASCII letters with case pairs. Invalid and fallback regexes
// come out of it too.
$atoms = ['a', 'b', 'A', 'B', 'a', 'b', 'A', 'B', 'ab', 'k', 'K', 'ß', 'ǅ', 'σ', 'Σ', 'ς', 'é', 'É', 'я', 'Я', '東', '😀', ' ', '.', '\d', '\D', '\s', '\S',
    '\w', '\W', '\.', '\-', '\x41', '\x{3C3}', '\b', '\B', '[ab]', '[^ab]', '[a-z]', '[A-Z]', '[\w-]', '[^\w]', '[\s\d]',
    '[σς]', '[]a]', '[a\]]', '[.-]', '[&&]', '\p{Lu}', '\p{L}', '$', '^', '\z', '\A', '\1', '-', '_', '#x', '/', '\/', '{', '}', '{2}'];
$quantifiers = ['', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{1,3}', '{2,}', '{,2}', '*+', '++'];
$groupOpen = ['(', '(?:', '(?i)', '(?-i)', '(?i:', '(?-i:', '(?s:', '(?=', '(?!', '(?<=', '(?>', '(?<n>'];

mt_srand(31337);
$gen = function (int $depth) use (&$gen, $atoms, $quantifiers, $groupOpen): string {
    $out = '';
    for ($i = mt_rand(1, 4); $i > 0; $i--) {
        if ($depth < 2 && mt_rand(0, 4) === 0) {
            $open = $groupOpen[mt_rand(0, count($groupOpen) - 1)];
            $out .= $open === '(?i)' || $open === '(?-i)' ? $open : $open . $gen($depth + 1) . (mt_rand(0, 2) ? '' : '|' . $gen($depth + 1)) . ')';
        } else {
            $out .= $atoms[mt_rand(0, count($atoms) - 1)];
        }
        $out .= $quantifiers[mt_rand(0, count($quantifiers) - 1)];
    }
    return mt_rand(0, 5) ? $out : $out . '|' . $gen($depth + 1);
};
$letters = ['a', 'b', 'A', 'B', 'k', 'K', "\u{212A}", 'ß', 'ẞ', 'ss', 'ǅ', 'Ǆ', 'ǆ', 'σ', 'Σ', 'ς', 'é', 'É', "e\u{301}", 'я', 'Я',
    '東', '😀', ' ', "\n", '1', '²', '٣', '-', '_', '.', ']', '&', 'x', '#', '/', '{', '}', "\u{345}", "\u{A0}", '0'];
// Half the titles use a tiny alphabet, so that random regexes match often.
$title = function () use ($letters): string {
    $pool = mt_rand(0, 1) ? $letters : ['a', 'b', 'A', 'B', ' ', 'ab'];
    $t = '';
    for ($i = mt_rand(1, 6); $i > 0; $i--) {
        $t .= $pool[mt_rand(0, count($pool) - 1)];
    }
    return $t;
};

$compared = 0;
$matched = 0;
$failOpen = 0;
$engines = [];
$mismatches = [];
for ($r = 0; $r < 700; $r++) {
    $regex = $gen(0);
    $line = $regex . (mt_rand(0, 2) ? '' : ' <casesensitive>');
    $oracle = wg_tb_oracle_list($line);
    $ours = WikiGuard\TitleBlacklist::fromText($line);
    foreach ($ours->entries() as $entry) {
        $engines[$entry['engine']] = ($engines[$entry['engine']] ?? 0) + 1;
    }
    for ($t = 0; $t < 80; $t++) {
        $subject = $title();
        $want = wg_tb_oracle_check($oracle, $subject, 'create', false);
        $error = preg_last_error();
        $got = $ours->check($subject, 'create') === null ? null : 0;
        $compared++;
        $matched += $want !== null;
        if ($got === $want) {
            continue;
        }
        if ($error !== PREG_NO_ERROR && $want === null) {
            $failOpen++;
            continue;
        }
        $mismatches[] = sprintf('%s on %s: got %s', json_encode($line, JSON_UNESCAPED_UNICODE), json_encode($subject, JSON_UNESCAPED_UNICODE), var_export($got, true));
    }
}
printf("compared %d, %d mismatches\n", $compared, count($mismatches));
echo implode("\n", array_slice($mismatches, 0, 20)), "\n";
var_dump($compared === 56000, $matched > 800, $engines['automaton'] > 150, $engines['pcre'] > 100, $engines['invalid'] > 50);
?>
--EXPECTF--
compared %d, 0 mismatches

bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
