--TEST--
Regression: a pool's php_admin_value[wikiguard.reputation_db] was ignored by IPReputation::configured() (settings read at MINIT, php-fpm applies pool values later), so reputation checks were silently skipped
--EXTENSIONS--
wikiguard
--SKIPIF--
<?php
if (!is_executable('/usr/sbin/php-fpm8.2')) die('skip php-fpm8.2 not installed');
?>
--FILE--
<?php
// The extension as this process loaded it, so the fpm workers run the same build.
preg_match('~\s(/\S*wikiguard\S*\.so)$~m', file_get_contents('/proc/self/maps'), $so);
$cli = getenv('WIKIGUARD_DB') ?: dirname(__DIR__, 2) . '/target/cli/release/wikiguard-db';
$dir = sys_get_temp_dir() . '/wg-fpm-pool-' . getmypid();
mkdir($dir);
file_put_contents("$dir/feed.txt", "192.0.2.7\n");
exec("$cli build -o $dir/pool.mmdb list=poolfeed:$dir/feed.txt 2>/dev/null", $_, $rc);
file_put_contents("$dir/probe.php", '<?php
$r = WikiGuard\IPReputation::configured();
echo json_encode([ini_get("wikiguard.reputation_db") !== "", $r === null ? null : $r->lookup("192.0.2.7")["sources"], $r?->stats()["reload_interval"]]);');
file_put_contents("$dir/fpm.conf", "[global]\npid = $dir/fpm.pid\nerror_log = $dir/fpm.log\ndaemonize = no\n"
    . "[pool]\nlisten = $dir/fpm.sock\npm = static\npm.max_children = 1\n"
    . "php_admin_value[wikiguard.reputation_db] = $dir/pool.mmdb\nphp_admin_value[wikiguard.reload_interval] = 0.5\n");
$fpm = proc_open(['/usr/sbin/php-fpm8.2', '-n', '-R', '-y', "$dir/fpm.conf", '-d', "extension={$so[1]}"], [], $pipes);

/** One FastCGI request for $script; the response body. */
function fastcgi_get(string $socket, string $script): string {
    $record = fn(int $type, string $content) => pack('CCnnCx', 1, $type, 1, strlen($content), 0) . $content;
    $params = '';
    foreach (['SCRIPT_FILENAME' => $script, 'REQUEST_METHOD' => 'GET'] as $k => $v) {
        $params .= chr(strlen($k)) . chr(strlen($v)) . $k . $v;
    }
    $s = stream_socket_client("unix://$socket", $errno, $error, 5);
    stream_set_timeout($s, 10);
    fwrite($s, $record(1, pack('nCx5', 1, 0)) . $record(4, $params) . $record(4, '') . $record(5, ''));
    $out = '';
    while (strlen($header = fread($s, 8)) === 8) {
        $h = unpack('Cversion/Ctype/nid/nlength/Cpadding', $header);
        $content = $h['length'] ? fread($s, $h['length']) : '';
        if ($h['padding']) fread($s, $h['padding']);
        if ($h['type'] === 6) $out .= $content;
        if ($h['type'] === 3) break;
    }
    return substr($out, strpos($out, "\r\n\r\n") + 4);
}

for ($i = 0; $i < 100 && !file_exists("$dir/fpm.sock"); $i++) usleep(100000);
echo fastcgi_get("$dir/fpm.sock", "$dir/probe.php"), "\n";
proc_terminate($fpm);
proc_close($fpm);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
[true,["poolfeed"],0.5]
