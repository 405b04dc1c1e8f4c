--TEST--
the oracle (MediaWiki 1.39 from Debian) loads: IPUtils, Equivset and utfnormal answer as documented
--FILE--
<?php
require __DIR__ . '/oracle.inc';
var_dump(Wikimedia\IPUtils::toHex('1.2.3.4'));
var_dump((new Wikimedia\Equivset\Equivset())->normalize('p4ypal'));
var_dump(bin2hex(UtfNormal\Validator::cleanUp("a\xFFb")));
?>
--EXPECT--
string(8) "01020304"
string(6) "PAYPAL"
string(10) "61efbfbd62"
