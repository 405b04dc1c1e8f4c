<?php
/**
 * Edit-save latency through api.php: logs in as the admin (no rate limits),
 * does one untimed warm-up edit, then N timed edits each creating a new page
 * with K distinct clean external links, timed on the client around the
 * POST action=edit. Prints one JSON line: label, links and the timings (ms).
 * With --stats FILE... instead, reads such lines and prints median and p95
 * (nearest rank) per label and link count as a markdown table.
 *
 * Usage: php edit-latency.php --api URL --password P --label L --edits N --links K [--round R]
 *        php edit-latency.php --stats FILE
 */
require __DIR__ . '/../../mediawiki/tests/lib/ApiClient.php';
require __DIR__ . '/../lib/record.inc';

$opts = getopt( '', [ 'api:', 'password:', 'label:', 'edits:', 'links:', 'round:', 'stats:' ] );
if ( isset( $opts['stats'] ) ) {
	$series = [];
	foreach ( file( $opts['stats'], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
		$run = json_decode( $line, true );
		$key = "{$run['label']}|{$run['links']}";
		$series[$key] = array_merge( $series[$key] ?? [], $run['ms'] );
	}
	echo "| configuration | links per edit | edits | median | p95 |\n|---|---|---|---|---|\n";
	$summary = [];
	foreach ( $series as $key => $ms ) {
		[ $label, $links ] = explode( '|', $key );
		sort( $ms );
		$n = count( $ms );
		$median = $n % 2 ? $ms[intdiv( $n, 2 )] : ( $ms[$n / 2 - 1] + $ms[$n / 2] ) / 2;
		$p95 = $ms[(int)ceil( 0.95 * $n ) - 1];
		printf( "| %s | %d | %d | %.1f ms | %.1f ms |\n", $label, $links, $n, $median, $p95 );
		$summary[(int)$links][$label] = [ 'median' => $median, 'p95' => $p95 ];
	}
	foreach ( $summary as $links => $by ) {
		foreach ( [ 'median', 'p95' ] as $stat ) {
			if ( isset( $by['stock'][$stat], $by['native'][$stat] ) ) {
				wg_bench_record( 'MediaWiki edit save (api.php, meta list)', "$stat, $links links per edit",
					$by['stock'][$stat], $by['native'][$stat], null, 'ms' );
			}
		}
	}
	exit( 0 );
}
$edits = (int)( $opts['edits'] ?? 30 );
$links = (int)( $opts['links'] ?? 10 );
$label = $opts['label'];
$round = $opts['round'] ?? '1';

$client = new ApiClient( $opts['api'] );
$client->login( 'Admin', $opts['password'] );
$token = $client->token();

$page = static function ( int $i ) use ( $links, $label ): string {
	$text = "Benchmark page $i.\n";
	for ( $k = 0; $k < $links; $k++ ) {
		$text .= "* https://www.example$k.org/bench/$i/$k?q=" . md5( "$i/$k" ) . "\n";
	}
	return $text;
};

$warmup = $client->edit( "Bench $label $links $round warmup", $page( -1 ), $token );
if ( ( $warmup['edit']['result'] ?? null ) !== 'Success' ) {
	fwrite( STDERR, 'warm-up edit failed: ' . json_encode( $warmup ) . "\n" );
	exit( 1 );
}
$ms = [];
for ( $i = 0; $i < $edits; $i++ ) {
	$answer = $client->edit( "Bench $label $links $round $i", $page( $i ), $token );
	if ( ( $answer['edit']['result'] ?? null ) !== 'Success' ) {
		fwrite( STDERR, "edit $i failed: " . json_encode( $answer ) . "\n" );
		exit( 1 );
	}
	$ms[] = $client->lastSeconds * 1000;
}
echo json_encode( [ 'label' => $label, 'links' => $links, 'ms' => $ms ] ), "\n";
