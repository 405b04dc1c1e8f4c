--TEST--
wikiguard-db build: feeds become a standard MMDB that php-maxminddb, mmdblookup and IPReputation read the same; malformed lines named by file:line; --strict; atomic output
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
require __DIR__ . '/mmdb_compare.inc';
require __DIR__ . '/../lib/cases.inc';
$cli = getenv('WIKIGUARD_DB') ?: dirname(__DIR__, 2) . '/target/cli/release/wikiguard-db';
if (!is_executable($cli)) {
    throw new RuntimeException("$cli is missing: run `make cli`");
}
$dir = sys_get_temp_dir() . '/wg-db-build-' . getmypid();
@mkdir($dir);
function run(string $cmd): array {
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    return [proc_close($p), $out, $err];
}

mt_srand(11);
$tor = "# Tor bulk exit list\n198.51.100.7\n";
$drop = "; Spamhaus DROP List 2026/11/25\n198.51.100.0/24 ; SBL000001\n";
$sfs = "\"198.51.100.9\",\"12\",\"2026-11-01 10:00:00\"\n\"192.0.2.1\",\"2\",\"2026-11-01 10:00:00\"\n";
$jsonl = json_encode(['ip' => '192.0.2.44', 'client' => ['behaviors' => ['FILE_SHARING'], 'count' => 4, 'types' => ['DESKTOP'], 'proxies' => ['OXYLABS_PROXY']],
    'as' => ['organization' => 'Example Org'], 'location' => ['city' => 'Paris', 'country' => 'FR'], 'risks' => ['TUNNEL'], 'tunnels' => [['operator' => 'NORD_VPN']]]) . "\n"
    . json_encode(['ip' => '2001:db8::/48', 'org' => 'Ipoid Org', 'client_count' => 12, 'types' => 'DESKTOP,MOBILE', 'risks' => 'CALLBACK_PROXY,GEO_MISMATCH', 'conc_city' => 'Lyon', 'conc_country' => 'FR']) . "\n";
// Many random networks, so that the readers are compared on a real tree.
// Generated networks and probes are sized by wg_case_count() (lib/cases.inc):
// the full counts at the default scale, fewer under valgrind.
for ($i = 0, $n = wg_case_count(3000); $i < $n; $i++) {
    if (mt_rand(0, 1)) {
        $tor .= long2ip(mt_rand(0, 0xffffffff)) . "\n";
    } else {
        $drop .= long2ip(mt_rand(0, 0xffffffff) & ~0xff) . '/' . mt_rand(8, 24) . " ; SBL$i\n";
        $sfs .= '"' . inet_ntop(random_bytes(16)) . '","' . mt_rand(0, 20) . "\",\"2026-11-01\"\n";
    }
}
$tor .= "not-an-ip\n";
$badLine = substr_count($tor, "\n");
file_put_contents("$dir/exits.txt", $tor);
file_put_contents("$dir/drop.txt", $drop);
file_put_contents("$dir/listed_ip_30_all.txt", $sfs);
file_put_contents("$dir/spur.jsonl", $jsonl);
$inputs = "tor:$dir/exits.txt $dir/drop.txt $dir/listed_ip_30_all.txt $dir/spur.jsonl";

[$rc, , $err] = run("$cli build -o $dir/rep.mmdb $inputs");
echo "build: exit $rc\n";
echo preg_match("~exits\\.txt:$badLine: `not-an-ip` is not an IP address~", $err) ? "malformed line reported with file:line\n" : "missing report: $err\n";
[$rc, $out] = run("$cli verify $dir/rep.mmdb");
echo "verify: exit $rc, ", strpos($out, 'OK') !== false ? 'OK' : $out, "\n";
[$rc, $out] = run("$cli info $dir/rep.mmdb");
echo "info: database_type ", json_decode($out, true)['database_type'], "\n";

$native = WikiGuard\IPReputation::open("$dir/rep.mmdb");
$reader = new MaxMind\Db\Reader("$dir/rep.mmdb");
$probes = ['198.51.100.7', '198.51.100.8', '198.51.100.9', '192.0.2.1', '192.0.2.44', '2001:db8::1', '2001:db8:1::1', '::ffff:198.51.100.7', '10.0.0.1'];
$fixedProbes = count($probes);
foreach (explode("\n", $tor . $drop) as $line) {
    if (preg_match('~^([0-9.]+)~', $line, $m) && mt_rand(0, 3) === 0) { $probes[] = $m[1]; }
}
$listed = count($probes) - $fixedProbes;
for ($i = 0, $n = wg_case_count(3000); $i < $n; $i++) { $probes[] = long2ip(mt_rand(0, 0xffffffff)); }
$cliAsked = wg_case_count(400);
$compared = $hits = $mismatches = $cliCompared = 0;
foreach ($probes as $n => $ip) {
    $record = $native->lookup($ip);
    [$expected, $prefix] = $reader->getWithPrefixLen($ip);
    $compared++;
    $hits += (int)($record !== null);
    $actual = wg_native_record($record);
    if ($actual !== wg_normalize($expected) || ($record !== null && !str_ends_with($record['network'], "/$prefix"))) {
        if (++$mismatches <= 10) { echo "MISMATCH php-maxminddb $ip\n"; }
    }
    if ($n < $cliAsked) {
        $cliCompared++;
        if (wg_mmdblookup("$dir/rep.mmdb", $ip) !== $actual && ++$mismatches <= 20) { echo "MISMATCH mmdblookup $ip\n"; }
    }
}
// Every probe taken from a feed line is in the database, and random ones
// add more: over a fifth of the probes (2,339 of 3,744 at the default scale).
printf("%s (%s found), %s; mismatches: %d\n", wg_cases_done('probes compared with php-maxminddb', $compared, count($probes)),
    $hits > $compared / 5 && $hits >= $listed ? 'many' : "$hits, $listed listed", wg_cases_done('with mmdblookup', $cliCompared, $cliAsked), $mismatches);

// The fields IPReputation's response carries, and sources merged where feeds overlap.
var_dump($native->lookup('198.51.100.7'));
$r = $native->lookup('192.0.2.44');
printf("%s %s %s %d %s %s\n", $r['organization'], $r['city'], $r['country'], $r['numUsersOnThisIP'], implode(',', $r['tunnelOperators']), $r['network']);
$r = $native->lookup('2001:db8::1');
printf("%s %s %s %s\n", implode(',', $r['connectionTypes']), implode(',', $r['risks']), $r['organization'], $r['network']);
// Below the StopForumSpam threshold: not listed by that feed.
var_dump(in_array('stopforumspam', $native->lookup('192.0.2.1')['sources'] ?? [], true));

// --strict: the malformed line is fatal, the previous database is untouched, no temp file is left.
$before = md5_file("$dir/rep.mmdb");
[$rc, , $err] = run("$cli build --strict -o $dir/rep.mmdb $inputs");
echo "strict: exit $rc, ", strpos($err, "exits.txt:$badLine:") !== false ? 'names the file and line' : $err, ", database ", md5_file("$dir/rep.mmdb") === $before ? 'unchanged' : 'CHANGED', "\n";
echo "leftovers: ", count(glob("$dir/rep.mmdb.tmp*")), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
build: exit 0
malformed line reported with file:line
verify: exit 0, OK
info: database_type WikiGuard-IP-Reputation
probes compared with php-maxminddb: %d, as asked (many found), with mmdblookup: %d, as asked; mismatches: 0
array(7) {
  ["behaviors"]=>
  array(1) {
    [0]=>
    string(3) "TOR"
  }
  ["connectionTypes"]=>
  array(0) {
  }
  ["proxies"]=>
  array(0) {
  }
  ["risks"]=>
  array(0) {
  }
  ["sources"]=>
  array(2) {
    [0]=>
    string(4) "drop"
    [1]=>
    string(3) "tor"
  }
  ["tunnelOperators"]=>
  array(0) {
  }
  ["network"]=>
  string(15) "198.51.100.7/32"
}
Example Org Paris FR 4 NORD_VPN 192.0.2.44/32
DESKTOP,MOBILE CALLBACK_PROXY,GEO_MISMATCH Ipoid Org 2001:db8::/48
bool(false)
strict: exit 1, names the file and line, database unchanged
leftovers: 0
