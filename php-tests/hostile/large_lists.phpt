--TEST--
Hostile input: million-entry lists for KeywordSet, IPSet, IPUtils::isInRanges and lookupMany; a 10,000-link edit through PatternSet::filter — right answers, bounded memory
--EXTENSIONS--
wikiguard
--INI--
memory_limit=-1
--FILE--
<?php
require __DIR__ . '/hostile.inc';
$n = 1000000;
$needles = [];
$ranges = [];
for ($i = 0; $i < $n; $i++) {
    $needles[] = "needle$i;";
    $ranges[] = long2ip(0x0A000000 + $i * 4) . '/30';
}
$last = long2ip(0x0A000000 + ($n - 1) * 4 + 3);
$peak = hostile_peak_mib(function () use ($needles) {
    $set = new WikiGuard\KeywordSet($needles);
    return [$set->containsAny('x needle999999; y'), $set->containsAny('needle1000000;'), $set->find("needle7; needle999999;")];
}, $result);
printf("KeywordSet, %d needles: %s; peak under 1 GiB: %s\n", count($needles), json_encode($result), $peak < 1024 ? 'yes' : "NO ($peak MiB)");
$peak = hostile_peak_mib(function () use ($ranges, $last) {
    $set = new WikiGuard\IPSet($ranges);
    return [$set->match($last), $set->match('11.0.0.1'), $set->lookup('10.0.0.5')];
}, $result);
printf("IPSet, %d nets: %s; peak under 512 MiB: %s\n", count($ranges), json_encode($result), $peak < 512 ? 'yes' : "NO ($peak MiB)");
$peak = hostile_peak_mib(fn() => [WikiGuard\IPUtils::isInRanges($last, $ranges), WikiGuard\IPUtils::isInRanges('11.0.0.1', $ranges)], $result);
printf("IPUtils::isInRanges, %d ranges: %s; peak under 512 MiB: %s\n", count($ranges), json_encode($result), $peak < 512 ? 'yes' : "NO ($peak MiB)");

$db = WikiGuard\IPReputation::open(__DIR__ . '/../data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb');
$addresses = array_map(fn($i) => long2ip(0x01000000 + $i * 7919), range(0, 99999));
$peak = hostile_peak_mib(fn() => $db->lookupMany($addresses), $result);
printf("lookupMany, %d addresses: %d answers, %d found; peak under 512 MiB: %s\n", count($addresses), count($result),
    count(array_filter($result)), $peak < 512 ? 'yes' : "NO ($peak MiB)");

// A 10,000-link edit (and 100,000) against the meta list: exactly the spam links come back.
$spam = WikiGuard\PatternSet::spam(file_get_contents(__DIR__ . '/../data/meta-global-spam-blacklist-2013-04-28.txt'));
foreach ([10000, 100000] as $count) {
    $links = [];
    for ($i = 0; $i < $count; $i++) {
        $links[] = $i % 1000 === 999 ? "http://www.casino-online.example.com/$i" : "https://www.example.org/wiki/Page_$i?\xff\0";
    }
    $peak = hostile_peak_mib(fn() => $spam->filter($links), $hits);
    printf("filter, %d links: %d hits (%s); peak under 256 MiB: %s\n", $count, count($hits),
        implode(',', array_unique($hits)), $peak < 256 ? 'yes' : "NO ($peak MiB)");
}
?>
--EXPECT--
KeywordSet, 1000000 needles: [true,false,[7,999999]]; peak under 1 GiB: yes
IPSet, 1000000 nets: [true,false,"10.0.0.4\/30"]; peak under 512 MiB: yes
IPUtils::isInRanges, 1000000 ranges: [true,false]; peak under 512 MiB: yes
lookupMany, 100000 addresses: 100000 answers, 97881 found; peak under 512 MiB: yes
filter, 10000 links: 1 hits (casino-online); peak under 256 MiB: yes
filter, 100000 links: 1 hits (casino-online); peak under 256 MiB: yes
