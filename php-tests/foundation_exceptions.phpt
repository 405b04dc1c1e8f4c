--TEST--
WikiGuard\Exception hierarchy: every kind extends WikiGuard\Exception, which extends \Exception, and behaves like one
--EXTENSIONS--
wikiguard
--FILE--
<?php
foreach (['InvalidPatternException', 'DatabaseException', 'InvalidInputException'] as $short) {
    $class = "WikiGuard\\$short";
    $e = new $class("what went wrong", 7, new RuntimeException('cause'));
    printf("%s: parent=%s message=%s code=%d previous=%s\n", $class, get_parent_class($e), $e->getMessage(), $e->getCode(), get_class($e->getPrevious()));
    try {
        throw $e;
    } catch (WikiGuard\Exception $caught) {
        echo "  caught as WikiGuard\\Exception\n";
    }
}
var_dump(get_parent_class('WikiGuard\Exception'));
// Errors WikiGuard raises are of this family too.
try {
    WikiGuard\Internal\trigger_panic('disabled without the INI switch');
} catch (WikiGuard\Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
WikiGuard\InvalidPatternException: parent=WikiGuard\Exception message=what went wrong code=7 previous=RuntimeException
  caught as WikiGuard\Exception
WikiGuard\DatabaseException: parent=WikiGuard\Exception message=what went wrong code=7 previous=RuntimeException
  caught as WikiGuard\Exception
WikiGuard\InvalidInputException: parent=WikiGuard\Exception message=what went wrong code=7 previous=RuntimeException
  caught as WikiGuard\Exception
string(9) "Exception"
WikiGuard\Exception: WikiGuard\Internal\trigger_panic() is disabled; set wikiguard.test_hooks=1 in php.ini to enable it
