<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\SpamBlacklist\EmailBlacklist;
use User;
use Wikimedia\AtEase\AtEase;

/**
 * SpamBlacklist's 'email' type, matching with WikiGuard\PatternSet.
 *
 * checkUser() is EmailBlacklist::checkUser() of MediaWiki 1.39 with the
 * blacklist test done natively, one scan against every cached batch; the
 * whitelist stays on PCRE as before. An address PCRE would give up on is
 * decided by the native engine (refused when it matches), never a silent pass.
 */
class NativeEmailBlacklist extends EmailBlacklist {
	private ?NativeBatches $nativeBatches = null;

	/** @inheritDoc */
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
		[ $set, $pcreOnly ] = $this->nativeBatches()->compile( $blacklists );
		if ( $set !== null && $set->isMatch( $email ) ) {
			return false;
		}
		foreach ( array_keys( $pcreOnly ) as $regex ) {
			AtEase::suppressWarnings();
			$match = preg_match( $regex, $email );
			AtEase::restoreWarnings();
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
