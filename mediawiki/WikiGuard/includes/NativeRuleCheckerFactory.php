<?php

namespace MediaWiki\Extension\WikiGuard;

use BagOStuff;
use IBufferingStatsdDataFactory;
use Language;
use MediaWiki\Extension\AbuseFilter\KeywordsManager;
use MediaWiki\Extension\AbuseFilter\Parser\FilterEvaluator;
use MediaWiki\Extension\AbuseFilter\Parser\RuleCheckerFactory;
use MediaWiki\Extension\AbuseFilter\Variables\VariableHolder;
use MediaWiki\Extension\AbuseFilter\Variables\VariablesManager;
use Psr\Log\LoggerInterface;
use Wikimedia\Equivset\Equivset;

/**
 * AbuseFilter's RuleCheckerFactory, handing out NativeFilterEvaluator.
 * Registered in place of the stock service by Hooks::onMediaWikiServices.
 */
class NativeRuleCheckerFactory extends RuleCheckerFactory {
	/** @var array the FilterEvaluator constructor arguments, in order, without $vars */
	private array $evaluatorArgs;

	public function __construct(
		Language $contLang,
		BagOStuff $cache,
		LoggerInterface $logger,
		KeywordsManager $keywordsManager,
		VariablesManager $varManager,
		IBufferingStatsdDataFactory $statsdDataFactory,
		Equivset $equivset,
		int $conditionsLimit
	) {
		parent::__construct( ...func_get_args() );
		$this->evaluatorArgs = func_get_args();
	}

	public function newRuleChecker( VariableHolder $vars = null ): FilterEvaluator {
		return new NativeFilterEvaluator( ...[ ...$this->evaluatorArgs, $vars ] );
	}
}
