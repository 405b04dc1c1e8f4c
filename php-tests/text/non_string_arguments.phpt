--TEST--
text: string parameters must be strings (TypeError otherwise, as under strict_types), including invalid UTF-8 strings, which are accepted
--EXTENSIONS--
wikiguard
--FILE--
<?php
$functions = ['equivset_normalize', 'ccnorm', 'norm', 'rmspecials', 'rmdoubles', 'rmwhitespace', 'specialratio',
    'sanitize', 'utf8_cleanup', 'antispoof_check'];
$typeErrors = 0;
$accepted = 0;
foreach ($functions as $name) {
    $function = "WikiGuard\\$name";
    foreach ([123, 1.5, true, null, []] as $argument) {
        try {
            $function($argument);
        } catch (TypeError $e) {
            $typeErrors++;
        }
    }
    // Bytes of any kind are fine.
    $function("\xFF\x00\xC0\x80 &#0; \u{FFFE}");
    $accepted++;
}
echo "TypeErrors: $typeErrors of ", count($functions) * 5, "\n";
echo "byte strings accepted: $accepted\n";
try {
    (new WikiGuard\Equivset())->normalize(123);
} catch (TypeError $e) {
    echo "Equivset::normalize(123): TypeError\n";
}
?>
--EXPECT--
TypeErrors: 50 of 50
byte strings accepted: 10
Equivset::normalize(123): TypeError
