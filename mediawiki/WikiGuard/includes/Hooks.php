<?php

namespace MediaWiki\Extension\WikiGuard;

use ExtensionRegistry;
use MediaWiki\Extension\AbuseFilter\KeywordsManager;
use MediaWiki\Extension\AbuseFilter\Parser\RuleCheckerFactory;
use MediaWiki\Extension\AbuseFilter\Variables\VariablesManager;
use MediaWiki\Extension\SpamBlacklist\BaseBlacklist;
use MediaWiki\Extension\TitleBlacklist\TitleBlacklist;
use MediaWiki\Logger\LoggerFactory;
use MediaWiki\MediaWikiServices;
use ObjectCache;
use Wikimedia\Equivset\Equivset;

/**
 * Wires the native classes into SpamBlacklist, AbuseFilter and TitleBlacklist,
 * each only when both the MediaWiki extension and the native capability are there.
 */
final class Hooks {
	/** extension.json callback: runs once the extensions' autoloaders and globals are set up. */
	public static function onRegistration(): void {
		if ( Capabilities::has( 'spam' ) && class_exists( BaseBlacklist::class ) ) {
			BaseBlacklist::addBlacklistType( 'spam', NativeSpamBlacklist::class );
			BaseBlacklist::addBlacklistType( 'email', NativeEmailBlacklist::class );
		}
		if ( Capabilities::has( 'titleblacklist' ) && class_exists( TitleBlacklist::class ) ) {
			NativeTitleBlacklist::install();
		}
	}

	/**
	 * Replaces AbuseFilter's rule checker factory with one whose evaluator runs the
	 * text and IP functions natively. Everything else about the service stays as
	 * AbuseFilter's ServiceWiring.php builds it.
	 *
	 * @param MediaWikiServices $services
	 */
	public static function onMediaWikiServices( MediaWikiServices $services ): void {
		if ( !NativeFilterEvaluator::hasNativeFunctions()
			|| !$services->hasService( RuleCheckerFactory::SERVICE_NAME )
		) {
			return;
		}
		$services->redefineService(
			RuleCheckerFactory::SERVICE_NAME,
			static function ( MediaWikiServices $services ): RuleCheckerFactory {
				return new NativeRuleCheckerFactory(
					$services->getContentLanguage(),
					ObjectCache::getLocalServerInstance( 'hash' ),
					LoggerFactory::getInstance( 'AbuseFilter' ),
					$services->getService( KeywordsManager::SERVICE_NAME ),
					$services->get( VariablesManager::SERVICE_NAME ),
					$services->getStatsdDataFactory(),
					new Equivset(),
					$services->getMainConfig()->get( 'AbuseFilterConditionLimit' )
				);
			}
		);
	}

	/** Says once per request which mode is active (debug log group 'WikiGuard'). */
	public static function onSetupAfterCache(): void {
		wfDebugLog( 'WikiGuard', 'WikiGuard mode: ' . Capabilities::describe() );
	}

	/**
	 * Adds the active mode to Special:Version's "Installed software" table.
	 *
	 * @param array &$software
	 */
	public static function onSoftwareInfo( array &$software ): void {
		$software['[https://www.mediawiki.org/wiki/Extension:WikiGuard WikiGuard engine]'] =
			Capabilities::describe();
	}

	/** Whether AbuseFilter's IP reputation variables are WikiGuard's to provide. */
	public static function providesReputationVariables(): bool {
		return !ExtensionRegistry::getInstance()->isLoaded( 'IPReputation' );
	}
}
