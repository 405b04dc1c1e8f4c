--TEST--
Regression: IPReputation::lookup()'s InvalidInputException quoted the whole invalid address, so a 100 MB X-Forwarded-For made a 335 MB message for the logs; now at most 64 bytes and the length
--EXTENSIONS--
wikiguard
--INI--
memory_limit=-1
--FILE--
<?php
$db = WikiGuard\IPReputation::open(__DIR__ . '/../data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb');
foreach ([str_repeat("a\0", 50 * 1024 * 1024), str_repeat('x', 65), str_repeat('x', 64)] as $address) {
    foreach ([fn() => $db->lookup($address), fn() => $db->lookupMany(['ok' => '1.2.3.4', 'bad' => $address])] as $call) {
        try {
            $call();
            echo "no exception\n";
        } catch (WikiGuard\InvalidInputException $e) {
            printf("%d bytes: %s\n", strlen($e->getMessage()), substr($e->getMessage(), 0, 40) . '…' . substr($e->getMessage(), -40));
        }
    }
}
?>
--EXPECT--
140 bytes: 'a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0…' (104857600 bytes) is not an IP address
140 bytes: 'a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0a\0…' (104857600 bytes) is not an IP address
101 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxx…' (65 bytes) is not an IP address
101 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxx…' (65 bytes) is not an IP address
87 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxxxxxxxxxx' is not an IP address
87 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxxxxxxxxxx' is not an IP address
