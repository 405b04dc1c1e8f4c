<?php

namespace MediaWiki\Extension\WikiGuard;

use MediaWiki\Extension\AbuseFilter\Variables\VariableHolder;
use RecentChange;
use User;
use Wikimedia\IPUtils;
use WikiGuard\IPReputation;

/**
 * The six IP reputation variables of the IPReputation extension, for wikis
 * that do not run it: the same names and meanings, answered from a local
 * reputation database (MMDB) by WikiGuard\IPReputation instead of an HTTP
 * service.
 *
 * As in IPReputation they are lazy (looked up only when a filter reads one)
 * and set only for IP users; with no record for the address,
 * ip_reputation_ipoid_known is false and the others are null. The variables
 * are declared whenever IPReputation is absent, so filters using them stay
 * valid when the PHP extension is removed; then no address has a record.
 */
final class ReputationVariables {
	private const COMPUTE_METHOD = 'wikiguard-ip-reputation';

	/** variable => the record field it reads (null: whether there is a record) */
	private const VARIABLES = [
		'ip_reputation_tunnel_operators' => 'tunnelOperators',
		'ip_reputation_risk_types' => 'risks',
		'ip_reputation_client_proxies' => 'proxies',
		'ip_reputation_client_behaviors' => 'behaviors',
		'ip_reputation_client_count' => 'numUsersOnThisIP',
		'ip_reputation_ipoid_known' => null,
	];

	/** @var array<string,array|null> address => record, for this request */
	private static array $records = [];

	/**
	 * AbuseFilter-builder: declares the variables (what KeywordsManager::varExists consults).
	 *
	 * @param array &$realValues
	 */
	public static function onAbuseFilterBuilder( array &$realValues ): void {
		if ( !Hooks::providesReputationVariables() ) {
			return;
		}
		foreach ( array_keys( self::VARIABLES ) as $name ) {
			$realValues['vars'][$name] = str_replace( '_', '-', $name );
		}
	}

	/**
	 * AbuseFilter-generateUserVars: lazy variables for IP users.
	 *
	 * @param VariableHolder $vars
	 * @param User $user
	 * @param ?RecentChange $rc
	 */
	public static function onAbuseFilterGenerateUserVars( VariableHolder $vars, User $user, ?RecentChange $rc ): void {
		if ( !Hooks::providesReputationVariables() || $user->isRegistered() ) {
			return;
		}
		$ip = $user->getName();
		if ( !IPUtils::isIPAddress( $ip ) ) {
			return;
		}
		foreach ( array_keys( self::VARIABLES ) as $name ) {
			$vars->setLazyLoadVar( $name, self::COMPUTE_METHOD, [ 'ip' => $ip, 'variable' => $name ] );
		}
	}

	/**
	 * AbuseFilter-computeVariable: returns false (handled) for our method.
	 *
	 * @param string $method
	 * @param VariableHolder $vars
	 * @param array $parameters
	 * @param mixed &$result
	 * @return bool
	 */
	public static function onAbuseFilterComputeVariable( string $method, VariableHolder $vars, array $parameters, &$result ): bool {
		if ( $method !== self::COMPUTE_METHOD ) {
			return true;
		}
		$result = self::value( $parameters['variable'], self::record( $parameters['ip'] ) );
		return false;
	}

	/** The variable's value for a record (null: the address is not in the database). */
	public static function value( string $variable, ?array $record ) {
		if ( !array_key_exists( $variable, self::VARIABLES ) ) {
			throw new \InvalidArgumentException( "unknown variable $variable" );
		}
		$field = self::VARIABLES[$variable];
		if ( $field === null ) {
			return $record !== null;
		}
		return $record[$field] ?? null;
	}

	/** The address's record, or null when it has none or no database is available. */
	public static function record( string $ip ): ?array {
		if ( !array_key_exists( $ip, self::$records ) ) {
			$database = self::database();
			self::$records[$ip] = null;
			if ( $database !== null ) {
				try {
					self::$records[$ip] = $database->lookup( $ip );
				} catch ( \WikiGuard\Exception $e ) {
					wfDebugLog( 'WikiGuard', "reputation lookup failed: {$e->getMessage()}" );
				}
			}
		}
		return self::$records[$ip];
	}

	/** The database named by $wgWikiGuardReputationDb, else INI wikiguard.reputation_db. */
	private static function database(): ?IPReputation {
		if ( !Capabilities::has( 'reputation' ) ) {
			return null;
		}
		$path = $GLOBALS['wgWikiGuardReputationDb'] ?? null;
		try {
			return $path !== null && $path !== '' ? IPReputation::open( $path ) : IPReputation::configured();
		} catch ( \WikiGuard\Exception $e ) {
			wfDebugLog( 'WikiGuard', "reputation database unavailable: {$e->getMessage()}" );
			return null;
		}
	}
}
