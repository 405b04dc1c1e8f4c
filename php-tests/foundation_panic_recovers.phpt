--TEST--
a Rust panic inside an extension function is a catchable \Error and the same process goes on serving calls
--EXTENSIONS--
wikiguard
--INI--
wikiguard.test_hooks=1
--ENV--
RUST_BACKTRACE=0
--FILE--
<?php
$pid = getmypid();
for ($i = 1; $i <= 3; $i++) {
    try {
        WikiGuard\Internal\trigger_panic("boom $i");
        echo "not reached\n";
    } catch (\Exception $e) {
        echo "wrong: caught as \\Exception\n";
    } catch (\Error $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// Same process, extension still serving.
var_dump(getmypid() === $pid);
var_dump(is_string(WikiGuard\version()));
var_dump(is_array(WikiGuard\cache_stats()));
echo "done\n";
?>
--EXPECTF--
%AError: Rust panic: boom 1
%AError: Rust panic: boom 2
%AError: Rust panic: boom 3
bool(true)
bool(true)
bool(true)
done
