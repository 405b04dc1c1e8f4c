--TEST--
stubs/wikiguard.stub.php describes exactly the loaded extension, both ways
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/lib/stub_compare.inc';
$diffs = wg_compare_stub_with_extension(__DIR__ . '/../stubs/wikiguard.stub.php');
echo $diffs ? implode("\n", $diffs) . "\n" : "stub and extension agree\n";
$ext = new ReflectionExtension('wikiguard');
// The comparison must have seen the API, not two empty sets.
var_dump(count($ext->getFunctions()) >= 3, count($ext->getClassNames()) >= 4);
?>
--EXPECT--
stub and extension agree
bool(true)
bool(true)
