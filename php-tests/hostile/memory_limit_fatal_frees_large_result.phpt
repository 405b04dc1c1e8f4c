--TEST--
A memory_limit fatal error while PHP copies a large result frees the Rust buffer (RSS flat afterwards, as a long-lived worker needs)
--EXTENSIONS--
wikiguard
--SKIPIF--
<?php
// Without the Zend allocator (valgrind runs) memory_limit is not enforced.
if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_limit needs the Zend allocator');
?>
--INI--
memory_limit=128M
--FILE--
<?php
function rss_mib(): int {
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return intdiv((int)$m[1], 1024);
}
// 60 MB in; utf8_cleanup() turns each \xFF into U+FFFD (3 bytes): a 100 MB
// result, which PHP cannot copy within memory_limit.
$input = str_repeat("ab\xFF", 20_000_000);
$before = rss_mib();
register_shutdown_function(function () use ($before) {
    $growth = rss_mib() - $before;
    echo "\nRSS growth after the fatal error: ", $growth < 30 ? 'under 30 MiB' : "$growth MiB (the result leaked)", "\n";
});
WikiGuard\utf8_cleanup($input);
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of %d bytes exhausted%s

RSS growth after the fatal error: under 30 MiB
