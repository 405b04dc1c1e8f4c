<?php

namespace MediaWiki\Extension\WikiGuard;

use WikiGuard\PatternSet;

/**
 * Turns the regexes SpamBlacklist builds and caches (SpamRegexBatch: start +
 * fragments joined by '|' + end) back into native pattern sets, one per regex.
 *
 * The fragment text between the start and the end is itself valid list text:
 * SpamRegexBatch's munging (drop backslashes before '/', then escape every
 * '/') gives the same text when applied again, and '#', newlines and a final
 * backslash cannot occur in it. So PatternSet::spam()/email() of that text
 * matches exactly when the cached regex does, and SpamBlacklist's sources,
 * caches and batching stay the single source of truth.
 */
final class NativeBatches {
	/** @var array<string,PatternSet|null> regex => its pattern set, or null when it must stay on PCRE */
	private array $sets = [];

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
	 * The pattern set that matches exactly when $regex does, or null when
	 * $regex must run on PCRE: it has an unexpected shape, the empty group that
	 * invalid UTF-8 leaves behind (which matches every URL), or native code
	 * rejected it.
	 */
	public function forRegex( string $regex ): ?PatternSet {
		if ( array_key_exists( $regex, $this->sets ) ) {
			return $this->sets[$regex];
		}
		$this->sets[$regex] = null;
		$fragments = $this->fragments( $regex );
		if ( $fragments !== null && $fragments !== '' ) {
			try {
				$this->sets[$regex] = PatternSet::{$this->factory}( $fragments );
			} catch ( \WikiGuard\Exception $e ) {
				wfDebugLog( 'WikiGuard', "regex left on PCRE: {$e->getMessage()}" );
			}
		}
		return $this->sets[$regex];
	}

	/** The fragment text inside a batched (/Sim) or per-line (/im) regex. */
	private function fragments( string $regex ): ?string {
		$batchedEnd = $this->regexEnd;
		$perLineEnd = str_replace( '/Sim', '/im', $batchedEnd );
		if ( !str_starts_with( $regex, $this->regexStart ) ) {
			return null;
		}
		foreach ( [ $batchedEnd, $perLineEnd ] as $end ) {
			if ( str_ends_with( $regex, $end ) ) {
				return substr( $regex, strlen( $this->regexStart ), -strlen( $end ) );
			}
		}
		return null;
	}
}
