--TEST--
the stub comparison reports a drift in either direction (self-test of lib/stub_compare.inc)
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/stub_compare.inc';
$stub = file_get_contents(__DIR__ . '/../../stubs/wikiguard.stub.php');
// Drift 1: a function whose return type changed; drift 2: an extra function; drift 3: a missing class.
$stub = str_replace('function version(): string {}', 'function version(): int {}' . "\nfunction not_in_extension(): void {}", $stub);
$stub = str_replace('class DatabaseException extends Exception {}', '', $stub);
$tmp = tempnam(sys_get_temp_dir(), 'stub');
file_put_contents($tmp, $stub);
$diffs = wg_compare_stub_with_extension($tmp);
unlink($tmp);
sort($diffs);
echo implode("\n", $diffs), "\n";
?>
--EXPECT--
class WikiGuard\DatabaseException is in the extension but not in the stub
function WikiGuard\version: extension (): string, stub (): int
function wikiguard\not_in_extension is in the stub but not in the extension
