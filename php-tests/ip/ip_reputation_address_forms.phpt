--TEST--
IPReputation::lookup takes addresses as inet_pton does (as IPUtils does); php-maxminddb goes through getaddrinfo, which also takes inet_aton's forms (octal, hex, fewer than four parts, one number) and IPv6 scope numbers: those are refused here on purpose (InvalidInputException), where they would name a different address than the text shows
--EXTENSIONS--
wikiguard
maxminddb
--FILE--
<?php
$path = __DIR__ . '/../data/mmdb/test-data/GeoIP2-City-Test.mmdb';
$maxmind = new MaxMind\Db\Reader($path);
$rep = WikiGuard\IPReputation::open($path);
/** What $lookup gives for $ip: the network found, "none" or the exception class. */
function outcome(callable $lookup, string $ip): string {
    try {
        $r = $lookup($ip);
        return $r === null ? 'none' : 'found';
    } catch (Throwable $e) {
        return (new ReflectionClass($e))->getShortName();
    }
}
foreach ([
    // The same in both: inet_pton's forms, and what neither takes.
    '81.2.69.160', '::ffff:81.2.69.160', '2a02:cf40::1', '081.2.69.160', '2a02:cf40::1%eth0', ' 81.2.69.160', '81.2.69.160/32',
    // getaddrinfo only: 81.2.69.160 written as inet_aton allows, a
    // leading zero read as octal (0160 = 112), a numeric IPv6 scope.
    '81.2.17824', '81.148896', '1359103392', '0x51.2.69.160', '0121.2.69.160', '81.2.69.0160', 'fe80::1%1',
] as $ip) {
    printf("%-20s php-maxminddb %-26s WikiGuard %s\n", $ip, outcome(fn($ip) => $maxmind->get($ip), $ip), outcome(fn($ip) => $rep->lookup($ip), $ip));
}
?>
--EXPECT--
81.2.69.160          php-maxminddb found                      WikiGuard found
::ffff:81.2.69.160   php-maxminddb found                      WikiGuard found
2a02:cf40::1         php-maxminddb found                      WikiGuard found
081.2.69.160         php-maxminddb InvalidArgumentException   WikiGuard InvalidInputException
2a02:cf40::1%eth0    php-maxminddb InvalidArgumentException   WikiGuard InvalidInputException
 81.2.69.160         php-maxminddb InvalidArgumentException   WikiGuard InvalidInputException
81.2.69.160/32       php-maxminddb InvalidArgumentException   WikiGuard InvalidInputException
81.2.17824           php-maxminddb found                      WikiGuard InvalidInputException
81.148896            php-maxminddb found                      WikiGuard InvalidInputException
1359103392           php-maxminddb found                      WikiGuard InvalidInputException
0x51.2.69.160        php-maxminddb found                      WikiGuard InvalidInputException
0121.2.69.160        php-maxminddb found                      WikiGuard InvalidInputException
81.2.69.0160         php-maxminddb none                       WikiGuard InvalidInputException
fe80::1%1            php-maxminddb none                       WikiGuard InvalidInputException
