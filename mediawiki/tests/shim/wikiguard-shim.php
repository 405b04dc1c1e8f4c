<?php
/**
 * TEST DOUBLE, never shipped: the WikiGuard PHP API of the spam, text and IP
 * issues written in plain PHP on top of MediaWiki's own code, loaded with
 * auto_prepend_file by `run-e2e.sh --mode shim`.
 *
 * It exists so that the MediaWiki extension's glue (the blacklist types, the
 * evaluator, the title blacklist singleton, the reputation variables) runs
 * end to end in branches where the native classes are not built yet. It
 * proves the glue, not the native engine: the real proof is the native run.
 * Only the parts of the API the MediaWiki extension calls are here.
 */

namespace WikiGuard;

use Wikimedia\Equivset\Equivset;

const SHIM = true;

function shim_equivset(): Equivset {
	static $equivset = null;
	return $equivset ??= new Equivset();
}

function ccnorm( string $s ): string {
	return shim_equivset()->normalize( html_entity_decode( $s, ENT_QUOTES, 'UTF-8' ) );
}

function rmspecials( string $s ): string {
	return (string)preg_replace( '/[^\p{L}\p{N}\s]/u', '', $s );
}

function rmdoubles( string $s ): string {
	return (string)preg_replace( '/(.)\1+/us', '\1', $s );
}

function rmwhitespace( string $s ): string {
	return (string)preg_replace( '/\s+/u', '', $s );
}

function norm( string $s ): string {
	return rmwhitespace( rmspecials( rmdoubles( shim_equivset()->normalize( $s ) ) ) );
}

function specialratio( string $s ): float {
	return $s === '' ? 0.0 : 1. - mb_strlen( rmspecials( $s ) ) / mb_strlen( $s );
}

function sanitize( string $s ): string {
	return \Sanitizer::decodeCharReferences( html_entity_decode( $s, ENT_QUOTES, 'UTF-8' ) );
}

function shim_contains( string $haystack, array $needles, bool $any, bool $normalize ): bool {
	if ( $haystack === '' ) {
		return false;
	}
	if ( $normalize ) {
		$haystack = shim_equivset()->normalize( $haystack );
	}
	foreach ( $needles as $needle ) {
		if ( $normalize ) {
			$needle = shim_equivset()->normalize( $needle );
		}
		if ( $needle === '' ) {
			continue;
		}
		$found = strpos( $haystack, $needle ) !== false;
		if ( $found === $any ) {
			return $found;
		}
	}
	return !$any;
}

function contains_any( string $haystack, string ...$needles ): bool {
	return shim_contains( $haystack, $needles, true, false );
}

function contains_all( string $haystack, string ...$needles ): bool {
	return shim_contains( $haystack, $needles, false, false );
}

function ccnorm_contains_any( string $haystack, string ...$needles ): bool {
	return shim_contains( $haystack, $needles, true, true );
}

function ccnorm_contains_all( string $haystack, string ...$needles ): bool {
	return shim_contains( $haystack, $needles, false, true );
}

final class IPUtils {
	public static function isInRange( string $ip, string $range ): bool {
		return \Wikimedia\IPUtils::isInRange( $ip, $range );
	}

	public static function isInRanges( string $ip, array $ranges ): bool {
		return \Wikimedia\IPUtils::isInRanges( $ip, $ranges );
	}

	public static function isValidRange( string $range ): bool {
		return \Wikimedia\IPUtils::isValidRange( $range );
	}

	public static function isIPAddress( string $ip ): bool {
		return \Wikimedia\IPUtils::isIPAddress( $ip );
	}
}

/** SpamRegexBatch's batching and matching, re-done for one list text. */
final class PatternSet {
	private function __construct( private array $regexes ) {
	}

	public static function spam( string $listText ): self {
		return new self( self::build( $listText, '/(?:https?:)?\/\/+[a-z0-9_\-.]*(', ')' ) );
	}

	public static function email( string $listText ): self {
		return new self( self::build( $listText, '/[a-z0-9_\-.]*', '' ) );
	}

	public function isMatch( string $text ): bool {
		foreach ( $this->regexes as $regex ) {
			if ( @preg_match( $regex, $text ) ) {
				return true;
			}
		}
		return false;
	}

	public function filter( array $links, ?self $whitelist = null ) {
		$text = implode( "\n", str_replace( '．', '.', $links ) );
		foreach ( $whitelist->regexes ?? [] as $regex ) {
			$text = @preg_replace( $regex, '', $text ) ?? $text;
		}
		$hits = false;
		foreach ( $this->regexes as $regex ) {
			if ( @preg_match_all( substr( $regex, 0, strrpos( $regex, '/' ) ) . '.*/Sim', $text, $m ) ) {
				$hits = array_merge( $hits ?: [], $m[1] ?? $m[0] );
			}
		}
		return $hits === false ? false : array_values( array_unique( $hits ) );
	}

	private static function build( string $listText, string $start, string $close ): array {
		$lines = array_filter( array_map( 'trim', preg_replace( '/#.*$/', '', explode( "\n", $listText ) ) ) );
		$batch = static function ( array $lines, int $size ) use ( $start, $close ): array {
			$regexes = [];
			$build = false;
			$end = $close . ( $size > 0 ? '/Sim' : '/im' );
			foreach ( $lines as $line ) {
				if ( substr( $line, -1 ) === '\\' ) {
					continue;
				}
				if ( $build === false ) {
					$build = $line;
				} elseif ( strlen( $build ) + strlen( $line ) > $size ) {
					$regexes[] = $start . str_replace( '/', '\/', preg_replace( '|\\\*/|u', '/', $build ) ) . $end;
					$build = $line;
				} else {
					$build .= '|' . $line;
				}
			}
			if ( $build !== false ) {
				$regexes[] = $start . str_replace( '/', '\/', preg_replace( '|\\\*/|u', '/', $build ) ) . $end;
			}
			return $regexes;
		};
		$regexes = $batch( $lines, 4096 );
		foreach ( $regexes as $regex ) {
			if ( @preg_match( $regex, '' ) === false ) {
				return $batch( $lines, 0 );
			}
		}
		return $regexes;
	}
}

/** TitleBlacklistEntry's parsing and matching, for lines without magic words. */
final class TitleBlacklist {
	private function __construct( private array $entries ) {
	}

	public static function fromText( string $listText ): self {
		$entries = [];
		foreach ( explode( "\n", $listText ) as $number => $line ) {
			$line = trim( preg_replace( "/^\\s*([^#]*)\\s*((.*)?)$/", "\\1", $line ) );
			if ( $line === '' || !preg_match( '/^(.*?)(\s*<([^<>]*)>)?$/', $line, $pockets ) ) {
				continue;
			}
			$params = [];
			foreach ( preg_split( '/\s*\|\s*/', trim( $pockets[3] ?? '' ) ) as $option ) {
				$params[strtolower( $option )] = true;
			}
			$entries[] = [ 'line' => $number + 1, 'regex' => str_replace( '_', ' ', trim( $pockets[1] ) ), 'params' => $params ];
		}
		return new self( $entries );
	}

	public function check( string $title, string $action, array $flags = [] ): ?array {
		foreach ( $this->entries as $entry ) {
			$p = $entry['params'];
			$flagsRe = isset( $p['casesensitive'] ) ? '' : 'i';
			if ( $title === '' || !@preg_match( "/^(?:{$entry['regex']})$/us$flagsRe", $title ) ) {
				continue;
			}
			if ( ( isset( $p['moveonly'] ) && $action !== 'move' )
				|| ( isset( $p['newaccountonly'] ) && $action !== 'new-account' )
				|| ( !isset( $p['noedit'] ) && $action === 'edit' )
				|| ( isset( $p['reupload'] ) && $action === 'upload' )
			) {
				continue;
			}
			return $entry + [ 'errmsg' => null ];
		}
		return null;
	}
}

/** Reads the small MMDB files MmdbWriter writes (IPv4 tree, 24-bit records). */
final class IPReputation {
	private function __construct( private string $bytes, private int $nodeCount, private int $treeSize ) {
	}

	public static function open( string $path ): self {
		$bytes = (string)file_get_contents( $path );
		$meta = strrpos( $bytes, "\xAB\xCD\xEFMaxMind.com" );
		$offset = $meta + 14;
		$metadata = self::decode( $bytes, $offset, $offset );
		return new self( $bytes, $metadata['node_count'], $metadata['node_count'] * 6 );
	}

	public static function configured(): ?self {
		$path = ini_get( 'wikiguard.reputation_db' );
		return $path ? self::open( $path ) : null;
	}

	public function lookup( string $ip ): ?array {
		$long = ip2long( $ip );
		if ( $long === false ) {
			return null;
		}
		$node = 0;
		for ( $bit = 31; $bit >= 0 && $node < $this->nodeCount; $bit-- ) {
			$record = substr( $this->bytes, $node * 6 + ( ( $long >> $bit ) & 1 ) * 3, 3 );
			$node = unpack( 'N', "\0" . $record )[1];
		}
		if ( $node <= $this->nodeCount ) {
			return null;
		}
		$offset = $this->treeSize + $node - $this->nodeCount;
		$base = $this->treeSize + 16;
		return self::decode( $this->bytes, $offset, $base ) + [ 'network' => null ];
	}

	private static function decode( string $bytes, int &$offset, int $base ) {
		$control = ord( $bytes[$offset++] );
		$type = $control >> 5;
		if ( $type === 0 ) {
			$type = 7 + ord( $bytes[$offset++] );
		}
		$size = $control & 31;
		if ( $size === 29 ) {
			$size = 29 + ord( $bytes[$offset++] );
		} elseif ( $size === 30 ) {
			$size = 285 + unpack( 'n', substr( $bytes, $offset, 2 ) )[1];
			$offset += 2;
		}
		switch ( $type ) {
			case 2:
				$value = substr( $bytes, $offset, $size );
				$offset += $size;
				return $value;
			case 5: case 6: case 8: case 9:
				$value = $size ? unpack( 'J', str_pad( substr( $bytes, $offset, $size ), 8, "\0", STR_PAD_LEFT ) )[1] : 0;
				$offset += $size;
				return $value;
			case 7:
				$map = [];
				for ( $i = 0; $i < $size; $i++ ) {
					$key = self::decode( $bytes, $offset, $base );
					$map[$key] = self::decode( $bytes, $offset, $base );
				}
				return $map;
			case 11:
				$list = [];
				for ( $i = 0; $i < $size; $i++ ) {
					$list[] = self::decode( $bytes, $offset, $base );
				}
				return $list;
			case 14:
				return (bool)$size;
		}
		throw new \RuntimeException( "shim MMDB reader: type $type not supported" );
	}
}
