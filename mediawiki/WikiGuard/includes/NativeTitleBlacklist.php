<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\TitleBlacklist\TitleBlacklist;
use Title;
use WikiGuard\TitleBlacklist as NativeList;

/**
 * TitleBlacklist's singleton, answering "no entry matches" natively.
 *
 * TitleBlacklist has no registration point for another matcher, but its
 * singleton lives in a protected static property, so this subclass can
 * install itself without patching the extension. Its sources, cache,
 * whitelist, override rights, hooks, API and messages stay TitleBlacklist's.
 *
 * The native list is built from the parsed entries (regex after magic-word
 * expansion, plus 'noedit' and 'casesensitive' only), so it matches a title
 * whenever any stock entry's regex does, whatever the action options say.
 * When it matches nothing, the stock answer is false and is returned at once;
 * when it matches, the stock code decides, so answers are identical.
 */
class NativeTitleBlacklist extends TitleBlacklist {
	/** @var NativeList|false|null false: this list must stay on PCRE */
	private $nativeList = null;

	public static function install(): void {
		self::$instance = new self;
	}

	public function isBlacklisted( $title, $action = 'edit' ) {
		$native = $this->nativeList();
		if ( $native !== false ) {
			$text = $title instanceof Title ? $title : Title::newFromText( (string)$title );
			try {
				if ( $text instanceof Title && $native->check( $text->getFullText(), $action ) === null ) {
					return false;
				}
			} catch ( \WikiGuard\Exception $e ) {
				wfDebugLog( 'WikiGuard', "title blacklist: {$e->getMessage()}; stock code used" );
			}
		}
		return parent::isBlacklisted( $title, $action );
	}

	/** @return NativeList|false */
	private function nativeList() {
		if ( $this->nativeList !== null ) {
			return $this->nativeList;
		}
		$this->nativeList = false;
		$lines = [];
		foreach ( $this->getBlacklist() as $entry ) {
			$regex = $entry->getRegex();
			$params = $entry->getParams();
			// Text the native parser would read differently than the parsed entry:
			// underscores or comments brought in by {{int:}}, or AntiSpoof folding.
			if ( isset( $params['antispoof'] ) || strpbrk( $regex, "_#\n" ) !== false
				|| str_contains( $regex, '{{' )
			) {
				return false;
			}
			$lines[] = $regex . ( isset( $params['casesensitive'] ) ? ' <noedit|casesensitive>' : ' <noedit>' );
		}
		try {
			$this->nativeList = NativeList::fromText( implode( "\n", $lines ) );
		} catch ( \WikiGuard\Exception $e ) {
			wfDebugLog( 'WikiGuard', "title blacklist left on PCRE: {$e->getMessage()}" );
		}
		return $this->nativeList;
	}
}
