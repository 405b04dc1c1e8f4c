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
 * returned match texts), with one native test in front of the regex loop:
 * one scan of the added links against every cached batch at once. When it
 * finds nothing — every clean edit — the loop is skipped. When it finds a
 * match, the stock PCRE loop runs as before and extracts the texts and full
 * URLs, so answers and logs are the same as before. Sources, caches, bad-line
 * checks, hooks, the API module and messages are SpamBlacklist's own.
 *
 * One deliberate difference: when PCRE gives up (backtrack or JIT limit) on
 * links the native engine matched, the edit is refused instead of let through.
 */
class NativeSpamBlacklist extends SpamBlacklist {
	private const STASH_TTL = 180;
	private const STASH_AGE_DYING = 150;

	private ?NativeBatches $nativeBatches = null;

	/** @inheritDoc */
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
			[ $set, $pcreOnly ] = $this->nativeBatches()->compile( $blacklists );
			$nativeHit = $set !== null && $set->isMatch( $links );
			foreach ( $blacklists as $regex ) {
				if ( !$nativeHit && !isset( $pcreOnly[$regex] ) ) {
					// The native engine has already answered for this regex: no match.
					continue;
				}
				AtEase::suppressWarnings();
				$matches = [];
				$check = ( preg_match_all( $regex, $links, $matches ) > 0 );
				AtEase::restoreWarnings();
				if ( $check ) {
					wfDebugLog( 'SpamBlacklist', "Match!\n" );
					$ip = RequestContext::getMain()->getRequest()->getIP();
					$fullUrls = [];
					$fullLineRegex = substr( $regex, 0, strrpos( $regex, '/' ) ) . '.*/Sim';
					preg_match_all( $fullLineRegex, $links, $fullUrls );
					$imploded = implode( ' ', $fullUrls[0] );
					wfDebugLog( 'SpamBlacklistHit', "$ip caught submitting spam: $imploded\n" );
					if ( !$preventLog && $title ) {
						$this->logFilterHit( $user, $title, $imploded );
					}
					if ( $retVal === false ) {
						$retVal = [];
					}
					$retVal = array_merge( $retVal, $fullUrls[1] );
				}
			}
			if ( $nativeHit && $retVal === false ) {
				// PCRE gave up (backtrack or JIT limit) where the native engine matched:
				// refuse with the native match texts rather than let the links through.
				wfDebugLog( 'WikiGuard', 'SpamBlacklist: PCRE failed on links the native engine matched; refusing' );
				$retVal = $set->filter( explode( "\n", $links ) ) ?: [ $links ];
				if ( !$preventLog && $title ) {
					$this->logFilterHit( $user, $title, str_replace( "\n", ' ', $links ) );
				}
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

	private function nativeBatches(): NativeBatches {
		$this->nativeBatches ??= new NativeBatches(
			$this->getRegexStart(),
			$this->getRegexEnd( 1 ),
			'spam'
		);
		return $this->nativeBatches;
	}
}
