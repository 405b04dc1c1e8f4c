<?php
// Writes the load driver's expectations as a Lua file:
//   php expect.php LIST A.lookup B.lookup > expect.lua
// edits: kind → {body, hits, links, norm}, computed here in one process (the
// answer every worker must give under load); ips: address → {a, b}, the
// sources `wikiguard-db lookup` reports in databases A and B ("-" when not
// found), one of which every response must carry.
require __DIR__ . '/edit_check.inc';

[, $list_path, $lookup_a, $lookup_b] = $argv;
$list = file_get_contents($list_path);

function sources_by_ip(string $lookup_output): array
{
    $answers = [];
    foreach (explode("\n", trim($lookup_output)) as $line) {
        [$ip, $answer] = explode("\t", $line, 2);
        $record = json_decode($answer, true);
        $answers[$ip] = is_array($record) ? implode(',', $record['sources']) : '-';
    }
    return $answers;
}

function lua_string(string $s): string
{
    // %q-style escaping that survives any byte.
    return '"' . preg_replace_callback('/[^A-Za-z0-9 .,:\/?=_\[\]-]/', fn($m) => sprintf('\\%03d', ord($m[0])), $s) . '"';
}

$a = sources_by_ip(file_get_contents($lookup_a));
$b = sources_by_ip(file_get_contents($lookup_b));
echo "return {\n  edits = {\n";
foreach (wikiguard_load_edits() as $kind => $body) {
    $check = wikiguard_load_edit_check($list, $body);
    printf("    [%s] = { body = %s, hits = %d, links = %d, norm = %d },\n",
        lua_string($kind), lua_string($body), $check['hits'], $check['links'], $check['norm']);
}
echo "  },\n  ips = {\n";
foreach ($a as $ip => $answer_a) {
    printf("    [%s] = { a = %s, b = %s },\n", lua_string($ip), lua_string($answer_a), lua_string($b[$ip]));
}
echo "  },\n}\n";
