<?php

namespace MediaWiki\Extension\WikiGuard;

use WikiGuard\PatternSet;

/**
 * Turns the regexes SpamBlacklist builds and caches (SpamRegexBatch: start +
 * fragments joined by '|' + end) back into one native pattern set.
 *
 * The fragment text between a regex's start and end is itself valid list
 * text: SpamRegexBatch's munging (drop backslashes before '/', then escape
 * every '/') gives the same text when applied again, and '#', newlines and a
 * final backslash cannot occur in it. Each regex becomes one line of the
 * pattern set, so PatternSet::isMatch() is true exactly when one of the
 * cached regexes matches, and SpamBlacklist's sources, caches and batching
 * stay the single source of truth.
 */
final class NativeBatches {
	private ?string $compiledText = null;

	private ?PatternSet $set = null;

	/** @var array<string,true> regexes that must run on PCRE */
	private array $pcreOnly = [];

	/**
	 * @param string $regexStart the blacklist's getRegexStart()
	 * @param string $regexEnd the blacklist's getRegexEnd(1), i.e. the batched ending
	 * @param string $factory 'spam' or 'email': the PatternSet constructor
	 */
	public function __construct(
		private string $regexStart,
		private string $regexEnd,
		private string $factory
	) {
	}

	/**
	 * The pattern set of every regex that can run natively (null if none can),
	 * and the regexes that must stay on PCRE: an unexpected shape, or the empty
	 * group that invalid UTF-8 leaves behind (which matches every URL). If native
	 * code rejects the list, every regex stays on PCRE.
	 *
	 * @param string[] $regexes
	 * @return array{0:?PatternSet,1:array<string,true>}
	 */
	public function compile( array $regexes ): array {
		$lines = [];
		$pcreOnly = [];
		foreach ( $regexes as $regex ) {
			$fragments = $this->fragments( $regex );
			if ( $fragments === null || $fragments === '' ) {
				$pcreOnly[$regex] = true;
			} else {
				$lines[] = $fragments;
			}
		}
		$text = implode( "\n", $lines );
		if ( $text !== $this->compiledText ) {
			$this->compiledText = $text;
			$this->set = null;
			$this->pcreOnly = $pcreOnly;
			if ( $lines ) {
				try {
					$this->set = PatternSet::{$this->factory}( $text );
				} catch ( \WikiGuard\Exception $e ) {
					wfDebugLog( 'WikiGuard', "{$this->factory} list left on PCRE: {$e->getMessage()}" );
					$this->pcreOnly = array_fill_keys( $regexes, true );
				}
			}
		}
		return [ $this->set, $this->pcreOnly ];
	}

	/** The fragment text inside a batched (/Sim) or per-line (/im) regex. */
	private function fragments( string $regex ): ?string {
		if ( !str_starts_with( $regex, $this->regexStart ) ) {
			return null;
		}
		$perLineEnd = substr( $this->regexEnd, 0, -4 ) . '/im';
		foreach ( [ $this->regexEnd, $perLineEnd ] as $end ) {
			if ( str_ends_with( $regex, $end ) ) {
				return substr( $regex, strlen( $this->regexStart ), -strlen( $end ) );
			}
		}
		return null;
	}
}
