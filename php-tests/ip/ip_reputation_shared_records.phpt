--TEST--
IPReputation: records shared between lookups (immutable cached arrays) — one record for many addresses, caller writes never reach later lookups, reload and cache overflow leave arrays already returned intact, answers equal php-maxminddb's
--EXTENSIONS--
wikiguard
maxminddb
--INI--
wikiguard.reload_interval=0
--FILE--
<?php
$cli = getenv('WIKIGUARD_DB') ?: dirname(__DIR__, 2) . '/target/cli/release/wikiguard-db';
if (!is_executable($cli)) {
    throw new RuntimeException("$cli is missing: run `make cli`");
}
$dir = sys_get_temp_dir() . '/wg-shared-records-' . getmypid();
@mkdir($dir);
/** Builds $dir/$name from JSON lines; returns its path. */
function build(string $cli, string $dir, string $name, array $lines): string {
    file_put_contents("$dir/feed.jsonl", implode("\n", array_map('json_encode', $lines)) . "\n");
    exec("$cli build -o " . escapeshellarg("$dir/$name") . " jsonl=feed:" . escapeshellarg("$dir/feed.jsonl") . ' 2>&1', $out, $rc);
    if ($rc !== 0) { throw new RuntimeException("build failed: " . implode("\n", $out)); }
    return "$dir/$name";
}
/** The lookup without `network`, for comparing with php-maxminddb. */
function record(?array $r): ?array { if ($r !== null) { unset($r['network']); } return $r; }

// 1. One record for a whole /16: every address gets equal arrays, its own network.
$path = build($cli, $dir, 'rep.mmdb', [
    ['network' => '10.1.0.0/16', 'risks' => ['TUNNEL'], 'client' => ['types' => ['DESKTOP', 'MOBILE'], 'count' => 7],
     'as' => ['organization' => str_repeat('Long organization name ', 8)], 'location' => ['city' => 'Utrecht', 'country' => 'NL']],
]);
$rep = WikiGuard\IPReputation::open($path);
$maxmind = new MaxMind\Db\Reader($path);
$first = $rep->lookup('10.1.0.1');
$same = 0;
for ($i = 0; $i < 1000; $i++) {
    $ip = '10.1.' . intdiv($i, 256) . '.' . ($i % 256);
    $r = $rep->lookup($ip);
    $same += (record($r) === record($first) && record($r) === $maxmind->get($ip) && $r['network'] === '10.1.0.0/16');
}
echo "1,000 addresses of one network, same record: $same\n";

// 2. Writes by the caller (top level, nested, by reference, sorting,
//    appending) change the caller's copy only.
$pristine = record($rep->lookup('10.1.2.3'));
$a = $rep->lookup('10.1.2.3');
$a['risks'][] = 'ADDED';
$a['connectionTypes'][0] = 'CHANGED';
rsort($a['connectionTypes']);
$a['organization'] .= ' (edited)';
foreach ($a['sources'] as &$source) { $source = strtoupper($source); }
unset($source);
$nested = $a['connectionTypes'];
$nested[] = 'ALSO';
$a['network'] = 'x';
unset($a['city']);
$b = $rep->lookup('10.1.2.3');
var_dump(record($b) === $pristine, $b['network'], $a['risks'], $a['sources'], $nested);

// 3. Arrays already returned survive a reload within the request: the
//    replaced database's records are only freed after the request.
$held = [];
for ($i = 0; $i < 50; $i++) { $held[] = $rep->lookup("10.1.9.$i"); }
$next = build($cli, $dir, 'next.mmdb', [
    ['network' => '10.1.0.0/16', 'risks' => ['CALLBACK_PROXY'], 'as' => ['organization' => 'Other'], 'location' => ['country' => 'DE']],
]);
rename($next, $path);
$after = $rep->lookup('10.1.9.1');
echo "after reload: ", json_encode([$after['risks'], $after['organization'], $after['country']]), "\n";
$intact = 0;
foreach ($held as $r) { $intact += (record($r) === $pristine); }
echo "arrays returned before the reload, intact: $intact of 50\n";

// 4. More distinct records than the per-thread cache holds (8 MiB): the
//    cache starts over mid-request; earlier arrays stay intact and every
//    answer equals php-maxminddb's.
$lines = [];
for ($i = 0; $i < 3000; $i++) {
    $lines[] = ['ip' => long2ip(0x0b000000 + $i * 7), 'as' => ['organization' => str_repeat(chr(65 + $i % 26), 900) . $i],
        'location' => ['city' => "City $i"], 'client' => ['types' => ['T' . $i, 'DESKTOP']]];
}
$big = build($cli, $dir, 'big.mmdb', $lines);
$rep = WikiGuard\IPReputation::open($big);
$maxmind = new MaxMind\Db\Reader($big);
$kept = [];
$equal = 0;
foreach ($lines as $i => $line) {
    $r = $rep->lookup($line['ip']);
    if ($i % 10 === 0) { $kept[$line['ip']] = $r; }
    $equal += (record($r) === $maxmind->get($line['ip']));
}
$intact = 0;
foreach ($kept as $ip => $r) { $intact += (record($r) === $maxmind->get($ip) && $r['organization'] === $lines[array_search($ip, array_column($lines, 'ip'))]['as']['organization']); }
echo "3,000 distinct 1 KB records: $equal equal to php-maxminddb; kept arrays intact: $intact of ", count($kept), "\n";

array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
1,000 addresses of one network, same record: 1000
bool(true)
string(11) "10.1.0.0/16"
array(2) {
  [0]=>
  string(6) "TUNNEL"
  [1]=>
  string(5) "ADDED"
}
array(1) {
  [0]=>
  string(4) "FEED"
}
array(3) {
  [0]=>
  string(6) "MOBILE"
  [1]=>
  string(7) "CHANGED"
  [2]=>
  string(4) "ALSO"
}
after reload: [["CALLBACK_PROXY"],"Other","DE"]
arrays returned before the reload, intact: 50 of 50
3,000 distinct 1 KB records: 3000 equal to php-maxminddb; kept arrays intact: 300 of 300
