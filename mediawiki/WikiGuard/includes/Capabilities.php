<?php

namespace MediaWiki\Extension\WikiGuard;

/**
 * What the loaded wikiguard PHP extension can do, feature by feature.
 *
 * Every piece of this MediaWiki extension asks here before it routes work to
 * native code, so that without the PHP extension, with $wgWikiGuardNative =
 * false, or with an older build that lacks a class or function, that piece
 * steps aside and the stock PHP code runs.
 */
final class Capabilities {
	/** AbuseFilter functions that have a native twin of the same name in namespace WikiGuard. */
	public const TEXT_FUNCTIONS = [
		'ccnorm', 'norm', 'rmspecials', 'rmdoubles', 'rmwhitespace', 'specialratio', 'sanitize',
		'contains_any', 'contains_all', 'ccnorm_contains_any', 'ccnorm_contains_all',
	];

	/** Required methods per native class. */
	private const CLASSES = [
		'spam' => [ 'WikiGuard\\PatternSet', [ 'spam', 'email', 'filter', 'isMatch' ] ],
		'ip' => [ 'WikiGuard\\IPUtils', [ 'isInRange', 'isInRanges', 'isValidRange', 'isIPAddress' ] ],
		'titleblacklist' => [ 'WikiGuard\\TitleBlacklist', [ 'fromText', 'check' ] ],
		'reputation' => [ 'WikiGuard\\IPReputation', [ 'open', 'configured', 'lookup' ] ],
	];

	/** @var array<string,bool>|null feature => available, computed once per request */
	private static ?array $features = null;

	/** True when the wikiguard PHP extension is loaded and $wgWikiGuardNative allows using it. */
	public static function enabled(): bool {
		return extension_loaded( 'wikiguard' ) && ( $GLOBALS['wgWikiGuardNative'] ?? true ) !== false;
	}

	/**
	 * Whether a feature runs natively: 'spam', 'ip', 'titleblacklist', 'reputation',
	 * or 'fn:<name>' for one of TEXT_FUNCTIONS.
	 */
	public static function has( string $feature ): bool {
		return self::features()[$feature] ?? false;
	}

	/** @return array<string,bool> every feature => whether it runs natively */
	public static function features(): array {
		if ( self::$features !== null ) {
			return self::$features;
		}
		$enabled = self::enabled();
		$features = [];
		foreach ( self::CLASSES as $feature => [ $class, $methods ] ) {
			$features[$feature] = $enabled && self::classHas( $class, $methods );
		}
		foreach ( self::TEXT_FUNCTIONS as $name ) {
			$features["fn:$name"] = $enabled && function_exists( "WikiGuard\\$name" );
		}
		self::$features = $features;
		return $features;
	}

	/** @return string[] features the loaded extension lacks (empty when it is not loaded or disabled) */
	public static function missing(): array {
		if ( !self::enabled() ) {
			return [];
		}
		return array_keys( array_filter( self::features(), static fn ( $has ) => !$has ) );
	}

	/** One line for Special:Version and the debug log. */
	public static function describe(): string {
		if ( !extension_loaded( 'wikiguard' ) ) {
			return 'stock PHP (the wikiguard PHP extension is not loaded)';
		}
		$version = phpversion( 'wikiguard' ) ?: '?';
		if ( !self::enabled() ) {
			return "stock PHP (wikiguard $version loaded, disabled by \$wgWikiGuardNative)";
		}
		$native = array_keys( array_filter( self::features() ) );
		$line = "native (wikiguard $version): " . ( $native ? implode( ', ', $native ) : 'nothing' );
		$missing = self::missing();
		if ( $missing ) {
			$line .= '; stock PHP for: ' . implode( ', ', $missing );
		}
		return $line;
	}

	private static function classHas( string $class, array $methods ): bool {
		if ( !class_exists( $class, false ) ) {
			return false;
		}
		foreach ( $methods as $method ) {
			if ( !method_exists( $class, $method ) ) {
				return false;
			}
		}
		return true;
	}
}
