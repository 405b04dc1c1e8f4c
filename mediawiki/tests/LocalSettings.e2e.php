
# ---- WikiGuard e2e (appended by mediawiki/tests/run-e2e.sh) ----
wfLoadExtension( 'SpamBlacklist' );
wfLoadExtension( 'AbuseFilter' );
wfLoadExtension( 'TitleBlacklist' );
wfLoadExtension( 'WikiGuard' );
$wgBlacklistSettings['spam']['files'] = [ __DIR__ . '/data/spam-blacklist.txt' ];
$wgBlacklistSettings['email']['files'] = [ __DIR__ . '/data/email-blacklist.txt' ];
$wgTitleBlacklistSources = [ 'e2e' => [ 'type' => 'file', 'src' => __DIR__ . '/data/title-blacklist.txt' ] ];
$wgLogSpamBlacklistHits = true;
$wgWikiGuardReputationDb = __DIR__ . '/data/reputation.mmdb';
# Anonymous test edits come from X-Forwarded-For addresses.
$wgCdnServers = [ '127.0.0.1' ];
$wgRateLimits['edit'] = [];
# Any stray outgoing HTTP request fails at once.
$wgHTTPProxy = 'http://127.0.0.1:9';
$wgDebugLogGroups['exception'] = __DIR__ . '/logs/exception.log';
$wgDebugLogGroups['error'] = __DIR__ . '/logs/error.log';
$wgDebugLogGroups['WikiGuard'] = __DIR__ . '/logs/wikiguard.log';
# The e2e suite turns the native engine off for one probe to test the switch.
$wgWikiGuardNative = getenv( 'WIKIGUARD_E2E_NATIVE' ) !== '0';
