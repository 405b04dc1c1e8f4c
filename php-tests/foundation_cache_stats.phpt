--TEST--
cache_stats() reports the registry counters with their types; wikiguard.cache_max_mb sets the cap
--EXTENSIONS--
wikiguard
--INI--
wikiguard.cache_max_mb=3
--FILE--
<?php
$s = WikiGuard\cache_stats();
var_dump(array_keys($s));
foreach (['entries', 'bytes', 'capacity_bytes', 'hits', 'misses', 'evictions'] as $k) {
    if (!is_int($s[$k]) || $s[$k] < 0) echo "bad $k\n";
}
var_dump(is_float($s['compile_ms']));
var_dump($s['capacity_bytes'] === 3 * 1024 * 1024);
// PHP_INI_SYSTEM: the cap is process-wide and cannot change per request.
var_dump(ini_set('wikiguard.cache_max_mb', '9'));
var_dump(ini_get('wikiguard.cache_max_mb'));
?>
--EXPECT--
array(7) {
  [0]=>
  string(7) "entries"
  [1]=>
  string(5) "bytes"
  [2]=>
  string(14) "capacity_bytes"
  [3]=>
  string(4) "hits"
  [4]=>
  string(6) "misses"
  [5]=>
  string(9) "evictions"
  [6]=>
  string(10) "compile_ms"
}
bool(true)
bool(true)
bool(false)
string(1) "3"
