--TEST--
text: a wikiguard.equivset_path that cannot be loaded makes every Equivset user throw (no silent fallback), shows in phpinfo, and leaves the other functions working
--EXTENSIONS--
wikiguard
--INI--
wikiguard.equivset_path={PWD}/fixtures/equivset-broken.json
--FILE--
<?php
$calls = [
    'equivset_version' => fn() => WikiGuard\equivset_version(),
    'equivset_normalize' => fn() => WikiGuard\equivset_normalize('a'),
    'ccnorm' => fn() => WikiGuard\ccnorm('a'),
    'norm' => fn() => WikiGuard\norm('a'),
    'antispoof_check' => fn() => WikiGuard\antispoof_check('a'),
    'new Equivset' => fn() => new WikiGuard\Equivset(),
];
foreach ($calls as $name => $call) {
    try {
        $call();
        echo "$name: no exception\n";
    } catch (WikiGuard\Exception $e) {
        echo "$name: ", get_class($e), ': ', str_replace(__DIR__, 'DIR', $e->getMessage()), "\n";
    }
}
var_dump(WikiGuard\rmspecials('a!'), WikiGuard\sanitize('&amp;'), WikiGuard\utf8_cleanup("a\xFF"));
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'Equivset => error: wikiguard.equivset_path'));
?>
--EXPECT--
equivset_version: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
equivset_normalize: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
ccnorm: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
norm: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
antispoof_check: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
new Equivset: WikiGuard\Exception: wikiguard.equivset_path DIR/fixtures/equivset-broken.json: key "bc" is not exactly one code point
string(1) "a"
string(1) "&"
string(4) "a�"
bool(true)
