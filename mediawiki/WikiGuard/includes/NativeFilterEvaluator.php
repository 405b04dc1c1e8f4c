<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\AbuseFilter\Parser\AFPData;
use MediaWiki\Extension\AbuseFilter\Parser\Exception\UserVisibleException;
use MediaWiki\Extension\AbuseFilter\Parser\FilterEvaluator;
use WikiGuard\IPUtils as NativeIPUtils;

/**
 * AbuseFilter's FilterEvaluator with its text and IP functions routed to the
 * wikiguard PHP extension, one function at a time: a function the loaded
 * extension lacks keeps the stock code.
 *
 * Only the computation moves. Arguments are still converted with
 * AFPData::toString(), ranges still validated with the same user error
 * (invalidiprange), and FilterEvaluator::callFunc() still counts one
 * condition per call and caches results, so condition counts and the
 * condition limit are unchanged.
 */
class NativeFilterEvaluator extends FilterEvaluator {
	/** Whether any function runs natively, i.e. whether replacing the service is worth it. */
	public static function hasNativeFunctions(): bool {
		if ( Capabilities::has( 'ip' ) ) {
			return true;
		}
		foreach ( Capabilities::TEXT_FUNCTIONS as $name ) {
			if ( Capabilities::has( "fn:$name" ) ) {
				return true;
			}
		}
		return false;
	}

	protected function funcCCNorm( $args ) {
		if ( !Capabilities::has( 'fn:ccnorm' ) ) {
			return parent::funcCCNorm( $args );
		}
		return new AFPData( AFPData::DSTRING, \WikiGuard\ccnorm( $args[0]->toString() ) );
	}

	protected function funcNorm( $args ) {
		if ( !Capabilities::has( 'fn:norm' ) ) {
			return parent::funcNorm( $args );
		}
		return new AFPData( AFPData::DSTRING, \WikiGuard\norm( $args[0]->toString() ) );
	}

	protected function funcSanitize( $args ) {
		if ( !Capabilities::has( 'fn:sanitize' ) ) {
			return parent::funcSanitize( $args );
		}
		return new AFPData( AFPData::DSTRING, \WikiGuard\sanitize( $args[0]->toString() ) );
	}

	protected function funcSpecialRatio( $args ) {
		$s = $args[0]->toString();
		if ( $s === '' || !Capabilities::has( 'fn:specialratio' ) ) {
			// The empty string keeps the stock integer 0.
			return parent::funcSpecialRatio( $args );
		}
		return new AFPData( AFPData::DFLOAT, \WikiGuard\specialratio( $s ) );
	}

	protected function rmspecials( $s ) {
		return Capabilities::has( 'fn:rmspecials' ) ? \WikiGuard\rmspecials( $s ) : parent::rmspecials( $s );
	}

	protected function rmdoubles( $s ) {
		return Capabilities::has( 'fn:rmdoubles' ) ? \WikiGuard\rmdoubles( $s ) : parent::rmdoubles( $s );
	}

	protected function rmwhitespace( $s ) {
		return Capabilities::has( 'fn:rmwhitespace' ) ? \WikiGuard\rmwhitespace( $s ) : parent::rmwhitespace( $s );
	}

	protected function funcContainsAny( $args ) {
		return $this->nativeContains( 'contains_any', $args ) ?? parent::funcContainsAny( $args );
	}

	protected function funcContainsAll( $args ) {
		return $this->nativeContains( 'contains_all', $args ) ?? parent::funcContainsAll( $args );
	}

	protected function funcCCNormContainsAny( $args ) {
		return $this->nativeContains( 'ccnorm_contains_any', $args ) ?? parent::funcCCNormContainsAny( $args );
	}

	protected function funcCCNormContainsAll( $args ) {
		return $this->nativeContains( 'ccnorm_contains_all', $args ) ?? parent::funcCCNormContainsAll( $args );
	}

	protected function funcIPInRange( $args, int $position ) {
		if ( !Capabilities::has( 'ip' ) ) {
			return parent::funcIPInRange( $args, $position );
		}
		$ip = $args[0]->toString();
		$range = $this->validRange( $args[1], $position );
		return new AFPData( AFPData::DBOOL, NativeIPUtils::isInRange( $ip, $range ) );
	}

	protected function funcIPInRanges( $args, int $position ) {
		if ( !Capabilities::has( 'ip' ) ) {
			return parent::funcIPInRanges( $args, $position );
		}
		$ip = array_shift( $args )->toString();
		$ranges = [];
		foreach ( $args as $range ) {
			$ranges[] = $this->validRange( $range, $position );
		}
		return new AFPData( AFPData::DBOOL, NativeIPUtils::isInRanges( $ip, $ranges ) );
	}

	/**
	 * The native twin of contains_any & co., with the stock argument handling
	 * (haystack and needles through toString). Null when it is not available.
	 *
	 * @param string $function name in namespace WikiGuard
	 * @param AFPData[] $args haystack first
	 */
	private function nativeContains( string $function, array $args ): ?AFPData {
		if ( !Capabilities::has( "fn:$function" ) ) {
			return null;
		}
		$haystack = array_shift( $args )->toString();
		$needles = array_map( static fn ( AFPData $needle ) => $needle->toString(), $args );
		return new AFPData( AFPData::DBOOL, ( "WikiGuard\\$function" )( $haystack, ...$needles ) );
	}

	/** The range as a string, or the stock 'invalidiprange' user error. */
	private function validRange( AFPData $range, int $position ): string {
		$range = $range->toString();
		if ( !NativeIPUtils::isValidRange( $range ) && !NativeIPUtils::isIPAddress( $range ) ) {
			throw new UserVisibleException( 'invalidiprange', $position, [ $range ] );
		}
		return $range;
	}
}
