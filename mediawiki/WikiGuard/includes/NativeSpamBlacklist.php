<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\SpamBlacklist\SpamBlacklist;
use MediaWiki\MediaWikiServices;
use ObjectCache;
use RequestContext;
use Title;
use User;
use Wikimedia\AtEase\AtEase;

/**
 * SpamBlacklist's 'spam' type, matching with WikiGuard\PatternSet.
 *
 * filter() is SpamBlacklist::filter() of MediaWiki 1.39 step for step (stash
 * cache, anti-spoof, added links only, whitelist stripping, hit log, the
 * returned match texts); only the per-regex test "does this batch match?" is
 * native. For a batch that matches, the stock PCRE code extracts the texts
 * and full URLs, so answers and logs are the same as before. Sources, caches,
 * bad-line checks, hooks, the API module and messages are SpamBlacklist's own.
 *
 * One deliberate difference: when PCRE gives up on a batch the native engine
 * matched (backtrack or JIT limit), the edit is refused instead of let through.
 */
class NativeSpamBlacklist extends SpamBlacklist {
	private const STASH_TTL = 180;
	private const STASH_AGE_DYING = 150;

	private ?NativeBatches $nativeBatches = null;

	public function filter(
		array $links,
		?Title $title,
		User $user,
		$preventLog = false,
		$mode = 'check'
	) {
		$statsd = MediaWikiServices::getInstance()->getStatsdDataFactory();
		$cache = ObjectCache::getLocalClusterInstance();

		if ( !$links ) {
			return false;
		}

		sort( $links );
		$key = $cache->makeKey(
			'blacklist',
			$this->getBlacklistType(),
			'pass',
			sha1( implode( "\n", $links ) ),
			md5( (string)$title )
		);
		// Skip blacklist checks if nothing matched during edit stashing...
		$knownNonMatchAsOf = $cache->get( $key );
		if ( $mode === 'check' ) {
			if ( $knownNonMatchAsOf ) {
				$statsd->increment( 'spamblacklist.check-stash.hit' );
				return false;
			}
			$statsd->increment( 'spamblacklist.check-stash.miss' );
		} elseif ( $mode === 'stash' ) {
			if ( $knownNonMatchAsOf && ( time() - $knownNonMatchAsOf ) < self::STASH_AGE_DYING ) {
				// OK; not about to expire soon
				return false;
			}
		}

		$blacklists = $this->getBlacklists();
		$whitelists = $this->getWhitelists();

		$retVal = false;
		if ( count( $blacklists ) ) {
			// poor man's anti-spoof, see bug 12896
			$newLinks = array_map( [ $this, 'antiSpoof' ], $links );

			$oldLinks = [];
			if ( $title !== null ) {
				$oldLinks = $this->getCurrentLinks( $title );
				$addedLinks = array_diff( $newLinks, $oldLinks );
			} else {
				// can't load old links, so treat all links as added.
				$addedLinks = $newLinks;
			}

			wfDebugLog( 'SpamBlacklist', "Old URLs: " . implode( ', ', $oldLinks ) );
			wfDebugLog( 'SpamBlacklist', "New URLs: " . implode( ', ', $newLinks ) );
			wfDebugLog( 'SpamBlacklist', "Added URLs: " . implode( ', ', $addedLinks ) );

			$links = implode( "\n", $addedLinks );

			# Strip whitelisted URLs from the match
			if ( is_array( $whitelists ) ) {
				foreach ( $whitelists as $regex ) {
					AtEase::suppressWarnings();
					$newLinks = preg_replace( $regex, '', $links );
					AtEase::restoreWarnings();
					if ( is_string( $newLinks ) ) {
						// If there wasn't a regex error, strip the matching URLs
						$links = $newLinks;
					}
				}
			}

			wfDebugLog( 'SpamBlacklist', "Checking text against " . count( $blacklists ) .
				" regexes (WikiGuard native)\n" );
			foreach ( $blacklists as $regex ) {
				$matchTexts = $this->matchTexts( $regex, $links );
				if ( $matchTexts === null ) {
					continue;
				}
				wfDebugLog( 'SpamBlacklist', "Match!\n" );
				$ip = RequestContext::getMain()->getRequest()->getIP();
				[ $fullUrls, $texts ] = $matchTexts;
				$imploded = implode( ' ', $fullUrls );
				wfDebugLog( 'SpamBlacklistHit', "$ip caught submitting spam: $imploded\n" );
				if ( !$preventLog && $title ) {
					$this->logFilterHit( $user, $title, $imploded );
				}
				$retVal = array_merge( $retVal ?: [], $texts );
			}
			if ( is_array( $retVal ) ) {
				$retVal = array_unique( $retVal );
			}
		}

		if ( $retVal === false ) {
			// Cache the typical negative results
			$cache->set( $key, time(), self::STASH_TTL );
			if ( $mode === 'stash' ) {
				$statsd->increment( 'spamblacklist.check-stash.store' );
			}
		}

		return $retVal;
	}

	/**
	 * Null when $regex does not match $links; otherwise [full URLs, match texts]
	 * as SpamBlacklist computes them with the regex plus '.*'.
	 *
	 * @return array{0:string[],1:string[]}|null
	 */
	private function matchTexts( string $regex, string $links ): ?array {
		$set = $this->nativeBatches()->forRegex( $regex );
		if ( $set !== null ) {
			if ( !$set->isMatch( $links ) ) {
				return null;
			}
		} else {
			AtEase::suppressWarnings();
			$hit = preg_match_all( $regex, $links ) > 0;
			AtEase::restoreWarnings();
			if ( !$hit ) {
				return null;
			}
		}
		$fullUrls = [];
		$fullLineRegex = substr( $regex, 0, strrpos( $regex, '/' ) ) . '.*/Sim';
		AtEase::suppressWarnings();
		$found = preg_match_all( $fullLineRegex, $links, $fullUrls );
		AtEase::restoreWarnings();
		if ( $found ) {
			return [ $fullUrls[0], $fullUrls[1] ];
		}
		// PCRE gave up where the native engine matched: refuse, never fail open.
		$texts = $set ? $set->filter( explode( "\n", $links ) ) : false;
		wfDebugLog( 'WikiGuard', 'PCRE failed on a batch the native engine matched; refusing' );
		return [ explode( "\n", $links ), $texts ?: [ $links ] ];
	}

	private function nativeBatches(): NativeBatches {
		$this->nativeBatches ??= new NativeBatches(
			$this->getRegexStart(),
			$this->getRegexEnd( 1 ),
			'spam'
		);
		return $this->nativeBatches;
	}
}
