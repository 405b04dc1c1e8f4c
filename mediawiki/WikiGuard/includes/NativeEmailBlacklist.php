<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\SpamBlacklist\EmailBlacklist;
use User;
use Wikimedia\AtEase\AtEase;

/**
 * SpamBlacklist's 'email' type, matching with WikiGuard\PatternSet.
 *
 * checkUser() is EmailBlacklist::checkUser() of MediaWiki 1.39 with the
 * blacklist test done natively per cached regex; the whitelist stays on PCRE
 * as before. A blacklist regex PCRE would give up on is a match here (the
 * address is refused), never a silent pass.
 */
class NativeEmailBlacklist extends EmailBlacklist {
	private ?NativeBatches $nativeBatches = null;

	public function checkUser( User $user ) {
		$blacklists = $this->getBlacklists();
		$whitelists = $this->getWhitelists();

		// The email to check
		$email = $user->getEmail();

		if ( !count( $blacklists ) ) {
			// Nothing to check
			return true;
		}

		// Check for whitelisted email addresses
		if ( is_array( $whitelists ) ) {
			foreach ( $whitelists as $regex ) {
				AtEase::suppressWarnings();
				$match = preg_match( $regex, $email );
				AtEase::restoreWarnings();
				if ( $match ) {
					// Whitelisted email
					return true;
				}
			}
		}

		wfDebugLog( 'SpamBlacklist', "Checking e-mail address against " . count( $blacklists ) .
			" regexes (WikiGuard native)\n" );
		foreach ( $blacklists as $regex ) {
			$set = $this->nativeBatches()->forRegex( $regex );
			if ( $set !== null ) {
				$match = $set->isMatch( $email );
			} else {
				AtEase::suppressWarnings();
				$match = preg_match( $regex, $email );
				AtEase::restoreWarnings();
			}
			if ( $match ) {
				return false;
			}
		}

		return true;
	}

	private function nativeBatches(): NativeBatches {
		$this->nativeBatches ??= new NativeBatches(
			$this->getRegexStart(),
			$this->getRegexEnd( 1 ),
			'email'
		);
		return $this->nativeBatches;
	}
}
