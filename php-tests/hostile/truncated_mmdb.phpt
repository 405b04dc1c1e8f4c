--TEST--
Hostile input: truncated and bit-flipped MMDB files (every truncation point class, 300 random flips of a real database): DatabaseException naming the file, or answers; never a crash, hang or unbounded memory
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/hostile.inc';
$source = __DIR__ . '/../data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb';
$good = file_get_contents($source);
$dir = sys_get_temp_dir() . '/wg-hostile-mmdb-' . getmypid();
mkdir($dir);
$probes = ['1.2.0.1', '81.2.69.1', '::1.2.0.1', '2001:db8::1', '255.255.255.255', '::'];
$outcomes = [];
$unexpected = 0;
/** Opens $bytes as a database (a fresh path each time: one instance per path) and looks up every probe. */
function try_database(string $dir, string $bytes, int $n, array $probes, int &$unexpected): string {
    $path = "$dir/db-$n.mmdb";
    file_put_contents($path, $bytes);
    try {
        $db = WikiGuard\IPReputation::open($path);
    } catch (WikiGuard\DatabaseException $e) {
        return str_contains($e->getMessage(), $path) ? 'refused at open (names the file)' : 'refused at open (MESSAGE LACKS THE FILE)';
    } catch (Throwable $e) {
        $unexpected++;
        return 'unexpected ' . get_class($e) . ': ' . $e->getMessage();
    }
    $seen = [];
    foreach ($probes as $ip) {
        try {
            $db->lookup($ip);
            $seen['answer'] = true;
        } catch (WikiGuard\DatabaseException $e) {
            $seen['DatabaseException'] = true;
        } catch (WikiGuard\InvalidInputException $e) {
            $seen['InvalidInputException'] = true;
        } catch (Throwable $e) {
            $unexpected++;
            $seen['unexpected ' . get_class($e)] = true;
        }
    }
    ksort($seen);
    return 'opened; lookups gave ' . implode(' and ', array_keys($seen));
}
$n = 0;
$size = strlen($good);
$cuts = array_unique(array_merge(range(0, 64), range($size - 200, $size - 1), range(0, $size - 1, 97)));
$peak = hostile_peak_mib(function () use ($cuts, $good, $dir, $probes, &$n, &$unexpected, &$outcomes) {
    foreach ($cuts as $length) {
        $outcome = try_database($dir, substr($good, 0, $length), $n++, $probes, $unexpected);
        $outcomes["truncated: $outcome"] = ($outcomes["truncated: $outcome"] ?? 0) + 1;
    }
    mt_srand(7);
    for ($i = 0; $i < 300; $i++) {
        $bytes = $good;
        for ($flips = 0; $flips < 4; $flips++) {
            $at = mt_rand(0, strlen($bytes) - 1);
            $bytes[$at] = chr(ord($bytes[$at]) ^ (1 << mt_rand(0, 7)));
        }
        $outcome = try_database($dir, $bytes, $n++, $probes, $unexpected);
        $outcomes["bit flips: $outcome"] = ($outcomes["bit flips: $outcome"] ?? 0) + 1;
    }
});
array_map('unlink', glob("$dir/*"));
rmdir($dir);
ksort($outcomes);
foreach ($outcomes as $outcome => $count) {
    echo "$outcome\n";
}
printf("databases tried: %d, unexpected: %d, peak under 128 MiB: %s\n", $n, $unexpected, $peak < 128 ? 'yes' : "NO ($peak MiB)");
?>
--EXPECT--
bit flips: opened; lookups gave DatabaseException
bit flips: opened; lookups gave DatabaseException and answer
bit flips: opened; lookups gave answer
bit flips: refused at open (names the file)
truncated: refused at open (names the file)
databases tried: 613, unexpected: 0, peak under 128 MiB: yes
