<?php
/**
 * Writes the e2e wiki's IP reputation database: two listed networks with
 * IPReputation's record fields; everything else is unknown.
 */
require __DIR__ . '/lib/MmdbWriter.php';

$writer = new MmdbWriter();
$writer->insert( '198.51.100.7/32', [
	'risks' => [ 'TUNNEL', 'CALLBACK_PROXY' ],
	'behaviors' => [ 'TOR' ],
	'connectionTypes' => [ 'DESKTOP' ],
	'tunnelOperators' => [ 'ExampleVPN' ],
	'proxies' => [ '3PROXY' ],
	'numUsersOnThisIP' => 12,
	'organization' => 'Example VPN Org',
	'city' => 'Nowhere',
	'country' => 'ZZ',
	'sources' => [ 'e2e' ],
] );
$writer->insert( '192.0.2.0/24', [
	'risks' => [ 'GEO_MISMATCH' ],
	'numUsersOnThisIP' => 300,
	'sources' => [ 'e2e' ],
] );
$writer->write( $argv[1], 'WikiGuard-IPReputation' );
