--TEST--
phpinfo() shows a WikiGuard section: version, engine crate versions, cache stats and INI values
--EXTENSIONS--
wikiguard
--INI--
wikiguard.cache_max_mb=64
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$section = substr($info, strpos($info, "\nwikiguard\n"));
foreach (['WikiGuard => enabled', 'Version => ' . WikiGuard\version(), 'ext-php-rs => 0.16.', 'regex-automata => ', 'aho-corasick => ', 'Cache entries => ', 'Cache bytes => 0 of 67108864', 'Cache hits / misses => ', 'wikiguard.cache_max_mb => 64'] as $needle) {
    echo str_pad($needle, 40), strpos($section, $needle) !== false ? "found" : "MISSING", "\n";
}
?>
--EXPECT--
WikiGuard => enabled                    found
Version => 0.1.0                        found
ext-php-rs => 0.16.                     found
regex-automata =>                       found
aho-corasick =>                         found
Cache entries =>                        found
Cache bytes => 0 of 67108864            found
Cache hits / misses =>                  found
wikiguard.cache_max_mb => 64            found
