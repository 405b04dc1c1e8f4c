--TEST--
IPReputation::lookup agrees with php-maxminddb (MaxMind\Db\Reader) and mmdblookup on every MaxMind test database
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
require __DIR__ . '/mmdb_compare.inc';
require __DIR__ . '/../lib/cases.inc';
if (trim((string)shell_exec('command -v mmdblookup')) === '') {
    throw new RuntimeException('mmdblookup (Debian mmdb-bin) is missing: run `make deps`');
}
// The probes and the mmdblookup sample are sized by wg_sweep()/wg_case_count()
// (lib/cases.inc): all of them at the default scale, a spread sample under
// valgrind.
$probes = wg_probes();
$probes = array_map(fn(int $i) => $probes[$i], wg_sweep(count($probes), 200));
[$cliHits, $cliMisses] = [wg_case_count(20, 2), wg_case_count(5, 1)];
$dbs = glob(WG_MMDB_DIR . '/test-data/*.mmdb');
$compared = $found = $viaCli = $mismatches = $refused = $dbCount = 0;
foreach ($dbs as $path) {
    $name = basename($path);
    $broken = in_array($name, WG_MMDB_BROKEN, true);
    try {
        $reference = new MaxMind\Db\Reader($path);
    } catch (Throwable $e) {
        $reference = null;
    }
    try {
        $native = WikiGuard\IPReputation::open($path);
    } catch (WikiGuard\DatabaseException $e) {
        if (!$broken && $reference !== null) { echo "MISMATCH $name: refused to open: {$e->getMessage()}\n"; $mismatches++; }
        $refused++;
        continue;
    }
    $dbCount++;
    $cliFound = $cliMissing = 0;
    foreach ($probes as $ip) {
        try {
            $expected = $reference ? $reference->getWithPrefixLen($ip) : 'error';
        } catch (InvalidArgumentException $e) {
            $expected = 'invalid'; // IPv6 address in an IPv4 database
        } catch (Throwable $e) {
            $expected = 'error';
        }
        try {
            $record = $native->lookup($ip);
            $actual = $record === null ? [null, 0] : [wg_native_record($record), (int)substr($record['network'], strpos($record['network'], '/') + 1)];
        } catch (WikiGuard\InvalidInputException $e) {
            $actual = 'invalid';
        } catch (WikiGuard\DatabaseException $e) {
            $actual = 'error';
        }
        $compared++;
        if ($expected === 'error' || $actual === 'error') {
            if (!$broken) { $mismatches++; echo "MISMATCH $name $ip: ", var_export([$expected, $actual], true), "\n"; }
            continue;
        }
        if (is_array($expected)) {
            $expected = [wg_normalize($expected[0]), $expected[0] === null ? 0 : $expected[1]];
        }
        if ($expected !== $actual) {
            if (++$mismatches <= 20) { echo "MISMATCH $name $ip: php-maxminddb ", var_export($expected, true), ' wikiguard ', var_export($actual, true), "\n"; }
            continue;
        }
        $found += (int)(is_array($actual) && $actual[0] !== null);
        // mmdblookup on a sample: the first 20 hits and 5 misses of each database.
        $hit = is_array($actual) && $actual[0] !== null;
        if (is_array($actual) && (($hit && $cliFound < $cliHits) || (!$hit && $cliMissing < $cliMisses))) {
            $hit ? $cliFound++ : $cliMissing++;
            $viaCli++;
            $cli = wg_mmdblookup($path, $ip);
            if ($cli !== $actual[0]) {
                if (++$mismatches <= 40) { echo "MISMATCH mmdblookup $name $ip: ", var_export([$cli, $actual[0]], true), "\n"; }
            }
        }
    }
}
printf("databases: %d of %d opened (%d broken ones refused)\n", $dbCount, count($dbs), $refused);
echo wg_cases_done('lookups compared with php-maxminddb', $compared, $dbCount * count($probes)), "\n";
// Over 5,000 records in 300,000 lookups; over 800 of the 25 a database
// could give mmdblookup (some databases have fewer hits or misses).
printf("records found: %s, compared with mmdblookup: %s\n", $found > $compared / 60 ? 'many' : $found,
    $viaCli > $dbCount * ($cliHits + $cliMisses) * 0.83 ? 'most of the sample' : $viaCli);
printf("mismatches: %d\n", $mismatches);
?>
--EXPECTF--
databases: %d of 40 opened (%d broken ones refused)
lookups compared with php-maxminddb: %d, as asked
records found: many, compared with mmdblookup: most of the sample
mismatches: 0
