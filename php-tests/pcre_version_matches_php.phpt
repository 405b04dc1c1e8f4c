--TEST--
The PCRE2 linked into WikiGuard is the one PHP's preg_* uses (phpinfo's "PCRE2" row equals PCRE_VERSION): a build against pcre2-sys's bundled copy refuses patterns at other offsets
--EXTENSIONS--
wikiguard
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$section = substr($info, strpos($info, "\nwikiguard\n"));
if (!preg_match('/^PCRE2 => (.+)$/m', $section, $m)) {
    exit("no PCRE2 row in the wikiguard section\n");
}
var_dump(preg_match('/^\d+\.\d+ \d{4}-\d\d-\d\d$/', $m[1]));
echo $m[1] === PCRE_VERSION ? "same PCRE2\n" : "WikiGuard links PCRE2 {$m[1]}, PHP " . PCRE_VERSION . "\n";
?>
--EXPECT--
int(1)
same PCRE2
