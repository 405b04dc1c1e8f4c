--TEST--
the extension loads, reports its version and lists its API
--EXTENSIONS--
wikiguard
--FILE--
<?php
var_dump(extension_loaded('wikiguard'));
var_dump(preg_match('/^\d+\.\d+\.\d+$/', WikiGuard\version()) === 1);
var_dump(WikiGuard\version() === phpversion('wikiguard'));
$funcs = array_map('strtolower', get_extension_funcs('wikiguard'));
var_dump(in_array('wikiguard\\version', $funcs, true), in_array('wikiguard\\cache_stats', $funcs, true));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
