<?php
/**
 * The SpamBlacklist check of one edit, in one process, the way the WikiGuard
 * MediaWiki extension runs it: SpamBlacklist's own cached regexes (built by
 * the 1.39 oracle's SpamRegexBatch from the 12,145-line meta list) against
 * the added links, stock (preg_match_all over every batch, as
 * SpamBlacklist::filter() does) and native (NativeBatches: the same regexes as
 * one WikiGuard\PatternSet, one isMatch scan). Clean links, so every batch is
 * tried: the common case of a save.
 *
 * Run: php -d extension=target/release/libwikiguard.so benches/mediawiki/spam-check.php
 */
require __DIR__ . '/../../php-tests/lib/oracle.inc';
wg_oracle_require( 'extensions-core/SpamBlacklist/includes/BaseBlacklist.php' );
wg_oracle_require( 'extensions-core/SpamBlacklist/includes/SpamBlacklist.php' );
wg_oracle_require( 'extensions-core/SpamBlacklist/includes/SpamRegexBatch.php' );
require __DIR__ . '/../../mediawiki/WikiGuard/includes/NativeBatches.php';
require __DIR__ . '/../lib/record.inc';

use MediaWiki\Extension\SpamBlacklist\SpamBlacklist;
use MediaWiki\Extension\SpamBlacklist\SpamRegexBatch;
use MediaWiki\Extension\WikiGuard\NativeBatches;

if ( !class_exists( 'WikiGuard\PatternSet' ) ) {
	fwrite( STDERR, "WikiGuard\\PatternSet is not available: load a wikiguard build with the spam capability\n" );
	exit( 1 );
}

$blacklist = new SpamBlacklist();
$list = file_get_contents( __DIR__ . '/../../php-tests/data/meta-global-spam-blacklist-2013-04-28.txt' );
$regexes = SpamRegexBatch::regexesFromText( $list, $blacklist );

$time = static function ( callable $fn, int $runs ): float {
	$start = hrtime( true );
	for ( $i = 0; $i < $runs; $i++ ) {
		$fn();
	}
	return ( hrtime( true ) - $start ) / 1e6 / $runs;
};

$start = hrtime( true );
[ $set ] = ( new NativeBatches( $blacklist->getRegexStart(), $blacklist->getRegexEnd( 1 ), 'spam' ) )->compile( $regexes );
$cold = ( hrtime( true ) - $start ) / 1e6;
$warm = $time( static fn () => ( new NativeBatches( $blacklist->getRegexStart(), $blacklist->getRegexEnd( 1 ), 'spam' ) )
	->compile( $regexes ), 50 );

printf( "meta list: %d batched regexes; native compile %.1f ms cold, %.3f ms warm (per request)\n\n",
	count( $regexes ), $cold, $warm );
printf( "%-16s %12s %12s %8s\n", 'links per edit', 'stock', 'native', 'ratio' );
foreach ( [ 1, 10, 100, 500 ] as $count ) {
	$links = implode( "\n", array_map( static fn ( $i ) => "https://www.example$i.org/bench/$i?q=" . md5( (string)$i ), range( 1, $count ) ) );
	$stockHit = false;
	foreach ( $regexes as $regex ) {
		$stockHit = $stockHit || preg_match_all( $regex, $links ) > 0;
	}
	if ( $stockHit !== $set->isMatch( $links ) ) {
		fwrite( STDERR, "stock and native disagree on $count links\n" );
		exit( 1 );
	}
	$runs = max( 3, intdiv( 200, $count ) );
	$stock = $time( static function () use ( $regexes, $links ) {
		foreach ( $regexes as $regex ) {
			preg_match_all( $regex, $links );
		}
	}, $runs );
	$native = $time( static fn () => $set->isMatch( $links ), $runs * 10 );
	printf( "%-16d %9.3f ms %9.3f ms %7.0fx\n", $count, $stock, $native, $stock / $native );
	wg_bench_record( 'MediaWiki SpamBlacklist check (meta list)', "$count links per edit", $stock / 1e3, $native / 1e3 );
}
