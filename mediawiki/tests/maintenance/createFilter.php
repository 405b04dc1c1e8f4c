<?php
/**
 * Creates an enabled AbuseFilter filter with the 'disallow' action through
 * AbuseFilter's own FilterStore (the validation Special:AbuseFilter runs).
 * Prints the new filter id.
 */
require_once getenv( 'MW_INSTALL_PATH' ) . '/maintenance/Maintenance.php';

use MediaWiki\Extension\AbuseFilter\AbuseFilterServices;
use MediaWiki\Extension\AbuseFilter\Filter\MutableFilter;

class CreateFilter extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addOption( 'name', 'filter description', true, true );
		$this->addOption( 'rules', 'filter rules', true, true );
		$this->requireExtension( 'Abuse Filter' );
	}

	public function execute() {
		$filter = MutableFilter::newDefault();
		$filter->setName( $this->getOption( 'name' ) );
		$filter->setRules( $this->getOption( 'rules' ) );
		$filter->setGroup( 'default' );
		$filter->setActions( [ 'disallow' => [ 'abusefilter-disallowed' ] ] );
		$status = AbuseFilterServices::getFilterStore()->saveFilter(
			User::newFromName( 'Admin' ), null, $filter, MutableFilter::newDefault() );
		if ( !$status->isGood() ) {
			$this->fatalError( $status->getWikiText( false, false, 'en' ) );
		}
		$this->output( $status->getValue()[0] . "\n" );
	}
}

$maintClass = CreateFilter::class;
require_once RUN_MAINTENANCE_IF_MAIN;
