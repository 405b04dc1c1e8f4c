--TEST--
text: INI wikiguard.equivset_path loads another equivset.json once per process
--EXTENSIONS--
wikiguard
--INI--
wikiguard.equivset_path={PWD}/fixtures/equivset-custom.json
--FILE--
<?php
var_dump(str_ends_with(WikiGuard\equivset_version(), '/fixtures/equivset-custom.json'));
var_dump(str_starts_with(WikiGuard\equivset_version(), 'file:'));
var_dump(WikiGuard\equivset_normalize("a1\u{416}b"));
var_dump(WikiGuard\ccnorm('&amp;a'), WikiGuard\norm('aa11 b'));
$e = new WikiGuard\Equivset();
var_dump($e->all());
var_dump(WikiGuard\antispoof_check('a')['normalized']);
?>
--EXPECT--
bool(true)
bool(true)
string(3) "ZLb"
string(2) "&Z"
string(3) "ZLb"
array(3) {
  ["a"]=>
  string(1) "Z"
  [1]=>
  string(1) "L"
  ["Ж"]=>
  string(0) ""
}
string(4) "v2:Z"
