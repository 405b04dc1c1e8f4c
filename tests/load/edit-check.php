<?php
// The load test's endpoint (served by php-fpm behind nginx): one edit check
// per request. The edit text is the request body, its kind the X-Edit-Kind
// header, the editor's address X-Forwarded-For (as a CDN would set it). The
// reputation database is INI wikiguard.reputation_db. Any exception is left
// uncaught, so a failed lookup is a 500 the load driver counts.
require __DIR__ . '/edit_check.inc';

header('Content-Type: text/plain');
$ip = $_SERVER['HTTP_X_FORWARDED_FOR'] ?? $_SERVER['REMOTE_ADDR'];
$kind = $_SERVER['HTTP_X_EDIT_KIND'] ?? '';
$check = wikiguard_load_edit_check(
    file_get_contents(__DIR__ . '/spam-list.txt'),
    file_get_contents('php://input')
);
$reputation = \WikiGuard\IPReputation::configured();
if ($reputation === null) {
    throw new RuntimeException('wikiguard.reputation_db is not set');
}
$record = $reputation->lookup($ip);
$stats = $reputation->stats();
printf(
    "ip=%s kind=%s rep=%s hits=%d links=%d norm=%d reloads=%d refusals=%d\n",
    $ip,
    $kind,
    $record === null ? '-' : implode(',', $record['sources']),
    $check['hits'],
    $check['links'],
    $check['norm'],
    $stats['reloads'],
    $stats['reload_refusals']
);
