--TEST--
IPReputation: corrupt and denial-of-service databases give DatabaseException or clean answers, never a crash, hang or unbounded memory
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/mmdb_compare.inc';
$files = array_merge(
    glob(WG_MMDB_DIR . '/bad-data/*/*.mmdb'),
    glob(WG_MMDB_DIR . '/pypi-maxminddb-3.2.0-extra/*.mmdb'),
    array_map(fn($n) => WG_MMDB_DIR . "/test-data/$n", WG_MMDB_BROKEN)
);
$probes = array_slice(wg_probes(), 0, 200);
$unexpected = 0;
foreach ($files as $path) {
    $name = basename($path);
    try {
        $db = WikiGuard\IPReputation::open($path);
    } catch (WikiGuard\DatabaseException $e) {
        $message = $e->getMessage();
        printf("%-60s refused at open%s\n", $name, strpos($message, $path) !== false ? ' (message names the file)' : ' (message lacks the file!)');
        continue;
    }
    $answers = ['record' => 0, 'null' => 0, 'DatabaseException' => 0, 'InvalidInputException' => 0];
    try {
        $db->metadata();
    } catch (WikiGuard\DatabaseException $e) {
        $answers['DatabaseException']++;
    }
    foreach ($probes as $ip) {
        try {
            $answers[$db->lookup($ip) === null ? 'null' : 'record']++;
        } catch (WikiGuard\DatabaseException $e) {
            $answers['DatabaseException']++;
        } catch (WikiGuard\InvalidInputException $e) {
            $answers['InvalidInputException']++; // IPv6 address, IPv4-only database
        } catch (Throwable $e) {
            $unexpected++;
            echo "$name: unexpected ", get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
    printf("%-60s opened; %s\n", $name, implode(', ', array_map(fn($k, $v) => "$k " . ($v ? 'yes' : 'no'), array_keys($answers), $answers)));
}
preg_match('/VmHWM:\s+(\d+) kB/', file_get_contents('/proc/self/status'), $m);
printf("files: %d, unexpected errors: %d, peak RSS under 256 MiB: %s\n", count($files), $unexpected, $m[1] < 256 * 1024 ? 'yes' : "no ({$m[1]} kB)");
?>
--EXPECT--
libmaxminddb-corrupt-search-tree.mmdb                        opened; record yes, null no, DatabaseException no, InvalidInputException yes
libmaxminddb-deep-array-nesting.mmdb                         opened; record no, null yes, DatabaseException yes, InvalidInputException yes
libmaxminddb-deep-nesting.mmdb                               opened; record no, null yes, DatabaseException yes, InvalidInputException yes
libmaxminddb-empty-array-last-in-metadata.mmdb               opened; record yes, null no, DatabaseException no, InvalidInputException yes
libmaxminddb-empty-map-last-in-metadata.mmdb                 opened; record yes, null no, DatabaseException no, InvalidInputException yes
libmaxminddb-metadata-marker-only.mmdb                       refused at open (message names the file)
libmaxminddb-offset-integer-overflow.mmdb                    refused at open (message names the file)
libmaxminddb-oversized-array.mmdb                            opened; record no, null no, DatabaseException yes, InvalidInputException yes
libmaxminddb-oversized-map.mmdb                              opened; record no, null no, DatabaseException yes, InvalidInputException yes
libmaxminddb-separator-record-max-left.mmdb                  opened; record no, null no, DatabaseException yes, InvalidInputException yes
libmaxminddb-separator-record-min-left.mmdb                  opened; record no, null no, DatabaseException yes, InvalidInputException yes
libmaxminddb-separator-record-min-right.mmdb                 opened; record yes, null no, DatabaseException no, InvalidInputException yes
libmaxminddb-uint64-max-epoch.mmdb                           opened; record yes, null no, DatabaseException no, InvalidInputException yes
cyclic-data-structure.mmdb                                   refused at open (message names the file)
invalid-bytes-length.mmdb                                    refused at open (message names the file)
invalid-data-record-offset.mmdb                              refused at open (message names the file)
invalid-map-key-length.mmdb                                  refused at open (message names the file)
invalid-string-length.mmdb                                   refused at open (message names the file)
metadata-is-an-uint128.mmdb                                  refused at open (message names the file)
unexpected-bytes.mmdb                                        refused at open (message names the file)
bad-unicode-in-map-key.mmdb                                  opened; record no, null no, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-decode-path-shared-budget.mmdb               opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-decoder-payload-limit-over.mmdb              opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-decoder-payload-limit.mmdb                   opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-decoder-value-limit-over.mmdb                opened; record no, null no, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-decoder-value-limit-pointer-heavy.mmdb       opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-decoder-value-limit.mmdb                     opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-metadata-payload-limit.mmdb                  opened; record yes, null no, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-payload-amplification-dos-string.mmdb        opened; record no, null no, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-payload-amplification-dos-worst-case.mmdb    opened; record no, null no, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-payload-amplification-dos.mmdb               opened; record no, null no, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-pointer-decoder-dos-ipv6.mmdb                opened; record no, null no, DatabaseException yes, InvalidInputException no
MaxMind-DB-test-pointer-decoder-dos.mmdb                     opened; record no, null no, DatabaseException yes, InvalidInputException yes
GeoIP2-City-Test-Broken-Double-Format.mmdb                   opened; record no, null yes, DatabaseException no, InvalidInputException no
GeoIP2-City-Test-Invalid-Node-Count.mmdb                     refused at open (message names the file)
MaxMind-DB-test-broken-pointers-24.mmdb                      opened; record yes, null yes, DatabaseException yes, InvalidInputException yes
MaxMind-DB-test-broken-search-tree-24.mmdb                   opened; record yes, null yes, DatabaseException no, InvalidInputException yes
MaxMind-DB-test-pointer-decoder.mmdb                         opened; record yes, null yes, DatabaseException no, InvalidInputException no
files: 38, unexpected errors: 0, peak RSS under 256 MiB: yes
