--TEST--
IPReputation: one instance per path, hot reload on atomic replacement, corrupt replacement refused (stats and phpinfo), configured()
--EXTENSIONS--
wikiguard
--INI--
wikiguard.reload_interval=0
wikiguard.reputation_db=/tmp/wg-reload-test/rep.mmdb
--FILE--
<?php
$cli = getenv('WIKIGUARD_DB') ?: dirname(__DIR__, 2) . '/target/cli/release/wikiguard-db';
if (!is_executable($cli)) {
    throw new RuntimeException("$cli is missing: run `make cli`");
}
$dir = '/tmp/wg-reload-test';
@mkdir($dir);
/** Builds a database listing $ips into $dir/$name. */
function build(string $cli, string $dir, string $name, array $ips): void {
    file_put_contents("$dir/list.txt", implode("\n", $ips) . "\n");
    exec("$cli build -o " . escapeshellarg("$dir/$name") . " list=feed:" . escapeshellarg("$dir/list.txt") . ' 2>/dev/null', $_, $rc);
    if ($rc !== 0) { throw new RuntimeException("build failed"); }
}
build($cli, $dir, 'rep.mmdb', ['192.0.2.1']);

$a = WikiGuard\IPReputation::open("$dir/rep.mmdb");
$b = WikiGuard\IPReputation::configured();
var_dump($a->lookup('192.0.2.1')['network'], $a->lookup('192.0.2.2'));

// Replaced by rename: the next lookup (interval 0) sees the new file, through every handle.
build($cli, $dir, 'next.mmdb', ['192.0.2.2']);
rename("$dir/next.mmdb", "$dir/rep.mmdb");
var_dump($a->lookup('192.0.2.1'), $b->lookup('192.0.2.2')['network']);

// A corrupt replacement is refused; the previous database stays in service.
file_put_contents("$dir/bad.mmdb", str_repeat("garbage", 100));
rename("$dir/bad.mmdb", "$dir/rep.mmdb");
var_dump($a->lookup('192.0.2.2')['network']);
$stats = $a->stats();
printf("reloads %d, refusals %d, last refusal: %s\n", $stats['reloads'], $stats['reload_refusals'], str_replace($dir, 'DIR', $stats['last_refusal']));
printf("lookups %d, found %d, type %s\n", $stats['lookups'], $stats['found'], $stats['database_type']);
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
echo preg_match('~IP reputation database.*rep\.mmdb.*1 reloads, 1 refused \(last: .*metadata marker~s', $info) ? "phpinfo shows the refusal\n" : "phpinfo lacks the refusal\n";

// A new open() of the same path in this process is the same database.
var_dump(WikiGuard\IPReputation::open("$dir/rep.mmdb")->stats()['lookups'] === $stats['lookups']);
try {
    WikiGuard\IPReputation::open("$dir/missing.mmdb");
} catch (WikiGuard\DatabaseException $e) {
    echo get_class($e), ": ", str_replace($dir, 'DIR', $e->getMessage()), "\n";
}
try {
    $a->lookup('1.2.3.4%eth0');
} catch (WikiGuard\InvalidInputException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
string(12) "192.0.2.1/32"
NULL
NULL
string(12) "192.0.2.2/32"
string(12) "192.0.2.2/32"
reloads 1, refusals 1, last refusal: DIR/rep.mmdb: no MaxMind DB metadata marker in the last 128 KiB (not an MMDB file?)
lookups 5, found 3, type WikiGuard-IP-Reputation
phpinfo shows the refusal
bool(true)
WikiGuard\DatabaseException: DIR/missing.mmdb: No such file or directory (os error 2)
WikiGuard\InvalidInputException: '1.2.3.4%eth0' is not an IP address
