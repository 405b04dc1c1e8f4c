<?php
/**
 * Prints, as JSON, which implementation each piece runs with in this process
 * and a few answers that are only reachable from inside MediaWiki: the email
 * blacklist, the title blacklist, the IP reputation variables and
 * AbuseFilter's per-filter profiles (conditions counted).
 */
require_once getenv( 'MW_INSTALL_PATH' ) . '/maintenance/Maintenance.php';

use MediaWiki\Extension\AbuseFilter\AbuseFilterServices;
use MediaWiki\Extension\SpamBlacklist\BaseBlacklist;
use MediaWiki\Extension\TitleBlacklist\TitleBlacklist;
use MediaWiki\Extension\WikiGuard\Capabilities;
use MediaWiki\Extension\WikiGuard\ReputationVariables;

class Probe extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addOption( 'filters', 'comma-separated filter ids whose profiles to report', false, true );
	}

	public function execute() {
		$out = [
			'mode' => Capabilities::describe(),
			'extension_loaded' => extension_loaded( 'wikiguard' ),
			'features' => Capabilities::features(),
			'missing' => Capabilities::missing(),
			'classes' => [
				'spam' => get_class( BaseBlacklist::getSpamBlacklist() ),
				'email' => get_class( BaseBlacklist::getEmailBlacklist() ),
				'rulechecker' => get_class( AbuseFilterServices::getRuleCheckerFactory()->newRuleChecker() ),
				'titleblacklist' => get_class( TitleBlacklist::singleton() ),
			],
		];
		foreach ( [ 'spammer@spam-e2e.example', 'someone@fine.example', 'x@sub.spam-e2e.example' ] as $email ) {
			$user = new User();
			$user->setEmail( $email );
			$out['email'][$email] = BaseBlacklist::getEmailBlacklist()->checkUser( $user );
		}
		foreach ( [ 'E2E forbidden page', 'E2E allowed page', 'Talk:E2E forbidden page' ] as $title ) {
			foreach ( [ 'create', 'edit', 'move' ] as $action ) {
				$entry = TitleBlacklist::singleton()->isBlacklisted( $title, $action );
				$out['titles']["$action $title"] = $entry ? $entry->getRaw() : false;
			}
		}
		foreach ( [ '198.51.100.7', '192.0.2.55', '203.0.113.9' ] as $ip ) {
			foreach ( [ 'ip_reputation_ipoid_known', 'ip_reputation_risk_types', 'ip_reputation_client_count',
				'ip_reputation_tunnel_operators', 'ip_reputation_client_proxies', 'ip_reputation_client_behaviors' ] as $var
			) {
				$out['reputation'][$ip][$var] = ReputationVariables::value( $var, ReputationVariables::record( $ip ) );
			}
		}
		$profiler = AbuseFilterServices::getFilterProfiler();
		foreach ( array_filter( explode( ',', $this->getOption( 'filters', '' ) ) ) as $id ) {
			$profile = $profiler->getFilterProfile( (int)$id );
			$out['profiles'][$id] = [ 'count' => $profile['count'], 'matches' => $profile['matches'],
				'total-cond' => $profile['total-cond'] ];
		}
		$this->output( json_encode( $out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
	}
}

$maintClass = Probe::class;
require_once RUN_MAINTENANCE_IF_MAIN;
