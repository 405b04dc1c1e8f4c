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
		return $this->nativeOr( 'fn:ccnorm',
			fn () => new AFPData( AFPData::DSTRING, \WikiGuard\ccnorm( $args[0]->toString() ) ),
			fn () => parent::funcCCNorm( $args ) );
	}

	protected function funcNorm( $args ) {
		return $this->nativeOr( 'fn:norm',
			fn () => new AFPData( AFPData::DSTRING, \WikiGuard\norm( $args[0]->toString() ) ),
			fn () => parent::funcNorm( $args ) );
	}

	protected function funcSanitize( $args ) {
		return $this->nativeOr( 'fn:sanitize',
			fn () => new AFPData( AFPData::DSTRING, \WikiGuard\sanitize( $args[0]->toString() ) ),
			fn () => parent::funcSanitize( $args ) );
	}

	protected function funcSpecialRatio( $args ) {
		$s = $args[0]->toString();
		if ( $s === '' ) {
			// The empty string keeps the stock integer 0.
			return parent::funcSpecialRatio( $args );
		}
		return $this->nativeOr( 'fn:specialratio',
			fn () => new AFPData( AFPData::DFLOAT, \WikiGuard\specialratio( $s ) ),
			fn () => parent::funcSpecialRatio( $args ) );
	}

	protected function rmspecials( $s ) {
		return $this->nativeOr( 'fn:rmspecials', fn () => \WikiGuard\rmspecials( $s ), fn () => parent::rmspecials( $s ) );
	}

	protected function rmdoubles( $s ) {
		return $this->nativeOr( 'fn:rmdoubles', fn () => \WikiGuard\rmdoubles( $s ), fn () => parent::rmdoubles( $s ) );
	}

	protected function rmwhitespace( $s ) {
		return $this->nativeOr( 'fn:rmwhitespace', fn () => \WikiGuard\rmwhitespace( $s ), fn () => parent::rmwhitespace( $s ) );
	}

	protected function funcContainsAny( $args ) {
		return $this->nativeOr( 'fn:contains_any',
			fn () => $this->nativeContains( 'contains_any', $args ),
			fn () => parent::funcContainsAny( $args ) );
	}

	protected function funcContainsAll( $args ) {
		return $this->nativeOr( 'fn:contains_all',
			fn () => $this->nativeContains( 'contains_all', $args ),
			fn () => parent::funcContainsAll( $args ) );
	}

	protected function funcCCNormContainsAny( $args ) {
		return $this->nativeOr( 'fn:ccnorm_contains_any',
			fn () => $this->nativeContains( 'ccnorm_contains_any', $args ),
			fn () => parent::funcCCNormContainsAny( $args ) );
	}

	protected function funcCCNormContainsAll( $args ) {
		return $this->nativeOr( 'fn:ccnorm_contains_all',
			fn () => $this->nativeContains( 'ccnorm_contains_all', $args ),
			fn () => parent::funcCCNormContainsAll( $args ) );
	}

	protected function funcIPInRange( $args, int $position ) {
		return $this->nativeOr( 'ip',
			function () use ( $args, $position ) {
				$range = $this->validRange( $args[1], $position );
				return new AFPData( AFPData::DBOOL, NativeIPUtils::isInRange( $args[0]->toString(), $range ) );
			},
			fn () => parent::funcIPInRange( $args, $position ) );
	}

	protected function funcIPInRanges( $args, int $position ) {
		return $this->nativeOr( 'ip',
			function () use ( $args, $position ) {
				$ip = array_shift( $args )->toString();
				$ranges = [];
				foreach ( $args as $range ) {
					$ranges[] = $this->validRange( $range, $position );
				}
				return new AFPData( AFPData::DBOOL, NativeIPUtils::isInRanges( $ip, $ranges ) );
			},
			fn () => parent::funcIPInRanges( $args, $position ) );
	}

	/**
	 * The native computation when the loaded extension has $feature, else the
	 * stock one. A WikiGuard\Exception (input the native function refuses)
	 * also falls back to the stock code, so results never depend on it.
	 */
	private function nativeOr( string $feature, callable $native, callable $stock ) {
		if ( Capabilities::has( $feature ) ) {
			try {
				return $native();
			} catch ( \WikiGuard\Exception $e ) {
				wfDebugLog( 'WikiGuard', "AbuseFilter $feature: {$e->getMessage()}; stock code used" );
			}
		}
		return $stock();
	}

	/**
	 * The native twin of contains_any & co., with the stock argument handling
	 * (haystack and needles through toString).
	 *
	 * @param string $function name in namespace WikiGuard
	 * @param AFPData[] $args haystack first
	 */
	private function nativeContains( string $function, array $args ): AFPData {
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
