--TEST--
Hostile input: wrong PHP types, deeply nested arrays, objects, references where every array-taking API expects strings: a clear exception naming the element (or PHP's TypeError), no crash, nothing silently dropped
--EXTENSIONS--
wikiguard
--FILE--
<?php
require __DIR__ . '/hostile.inc';
$deep = 'leaf';
for ($i = 0; $i < 100000; $i++) {
    $deep = [$deep];
}
$object = new ArrayObject(['1.2.3.4']);
$string = '1.2.3.4';
$elements = [
    'nested array' => [['1.2.3.4']],
    'deeply nested array (100,000 levels)' => $deep,
    'object' => $object,
    'closure' => fn() => 1,
    'int' => 42,
    'float' => 1.5,
    'null' => null,
    'bool' => true,
    'resource' => STDIN,
    'reference to a string' => &$string,
];
$spam = WikiGuard\PatternSet::spam("casino\n");
$db = WikiGuard\IPReputation::open(__DIR__ . '/../data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb');
$apis = [
    'PatternSet::filter' => fn($v) => $spam->filter(['http://ok.example/', $v]),
    'IPSet::__construct' => fn($v) => (new WikiGuard\IPSet(['10.0.0.0/8', $v]))->match('10.1.1.1'),
    'IPUtils::isInRanges' => fn($v) => WikiGuard\IPUtils::isInRanges('10.1.1.1', ['10.0.0.0/8', $v]),
    'KeywordSet::__construct' => fn($v) => (new WikiGuard\KeywordSet(['casino', $v]))->find('casino'),
    'IPReputation::lookupMany' => fn($v) => count($db->lookupMany(['1.2.3.4', $v])),
    'TitleBlacklist username_sources' => fn($v) => WikiGuard\TitleBlacklist::fromText("Foo.*")->check('Foo', 'new-account', ['username_sources' => [$v]]),
    'TitleBlacklist magic_words' => fn($v) => WikiGuard\TitleBlacklist::fromText("Foo.*")->check('Foo', 'create') !== null
        && WikiGuard\TitleBlacklist::fromText("{{ns:user}}.*", ['magic_words' => ['ns:user' => $v]]),
    'TitleBlacklist flags autoconfirmed' => fn($v) => WikiGuard\TitleBlacklist::fromText("Foo.*")->check('Foo', 'create', ['autoconfirmed' => $v]),
];
foreach ($apis as $api => $call) {
    echo "$api\n";
    foreach ($elements as $name => $value) {
        $outcome = hostile_throws(function () use ($call, $value, &$answer) { $answer = $call($value); });
        if ($outcome === 'no exception') {
            $outcome = 'answer ' . json_encode($answer);
        }
        printf("  %-38s %s\n", $name, substr($outcome, 0, 150));
    }
}
// Scalar parameters: PHP's own type checks run before any WikiGuard code.
foreach (['WikiGuard\norm', 'WikiGuard\utf8_cleanup', 'WikiGuard\ccnorm', 'WikiGuard\antispoof_check'] as $function) {
    printf("%s([]): %s\n", $function, hostile_throws(fn() => $function(['x'])));
}
printf("PatternSet::isMatch(object): %s\n", hostile_throws(fn() => $spam->isMatch($object)));
printf("PatternSet::spam(null): %s\n", hostile_throws(fn() => WikiGuard\PatternSet::spam(null)));
printf("IPReputation::lookup([]): %s\n", hostile_throws(fn() => $db->lookup([])));
printf("IPUtils::isValid(deep): %s\n", hostile_throws(fn() => WikiGuard\IPUtils::isValid($deep)));
echo "still running\n";
?>
--EXPECT--
PatternSet::filter
  nested array                           WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is array, not a string
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is array, not a string
  object                                 WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is object, not a string
  closure                                WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is object, not a string
  int                                    WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is int, not a string
  float                                  WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is float, not a string
  null                                   WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is null, not a string
  bool                                   WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is bool, not a string
  resource                               WikiGuard\InvalidInputException: PatternSet::filter(): $links[1] is not a string, not a string
  reference to a string                  answer false
IPSet::__construct
  nested array                           WikiGuard\InvalidInputException: each CIDR must be a string, Array given
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: each CIDR must be a string, Array given
  object                                 WikiGuard\InvalidInputException: each CIDR must be a string, Object given
  closure                                WikiGuard\InvalidInputException: each CIDR must be a string, Object given
  int                                    answer true
  float                                  WikiGuard\InvalidInputException: each CIDR must be a string, Double given
  null                                   answer true
  bool                                   answer true
  resource                               WikiGuard\InvalidInputException: each CIDR must be a string, Resource given
  reference to a string                  answer true
IPUtils::isInRanges
  nested array                           WikiGuard\InvalidInputException: each of $ranges must be a string, Array given
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: each of $ranges must be a string, Array given
  object                                 WikiGuard\InvalidInputException: each of $ranges must be a string, Object given
  closure                                WikiGuard\InvalidInputException: each of $ranges must be a string, Object given
  int                                    answer true
  float                                  WikiGuard\InvalidInputException: each of $ranges must be a string, Double given
  null                                   answer true
  bool                                   answer true
  resource                               WikiGuard\InvalidInputException: each of $ranges must be a string, Resource given
  reference to a string                  answer true
KeywordSet::__construct
  nested array                           WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  object                                 WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  closure                                WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  int                                    WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  float                                  WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  null                                   WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  bool                                   WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  resource                               WikiGuard\InvalidInputException: KeywordSet: needle #1 is not a string
  reference to a string                  answer [0]
IPReputation::lookupMany
  nested array                           WikiGuard\InvalidInputException: each of $ips must be a string, Array given
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: each of $ips must be a string, Array given
  object                                 WikiGuard\InvalidInputException: each of $ips must be a string, Object given
  closure                                WikiGuard\InvalidInputException: each of $ips must be a string, Object given
  int                                    WikiGuard\InvalidInputException: '42' is not an IP address
  float                                  WikiGuard\InvalidInputException: each of $ips must be a string, Double given
  null                                   WikiGuard\InvalidInputException: '' is not an IP address
  bool                                   WikiGuard\InvalidInputException: '1' is not an IP address
  resource                               WikiGuard\InvalidInputException: each of $ips must be a string, Resource given
  reference to a string                  answer 1
TitleBlacklist username_sources
  nested array                           answer null
  deeply nested array (100,000 levels)   answer null
  object                                 answer null
  closure                                answer null
  int                                    answer null
  float                                  answer null
  null                                   answer null
  bool                                   answer null
  resource                               answer null
  reference to a string                  answer null
TitleBlacklist magic_words
  nested array                           WikiGuard\InvalidInputException: 'magic_words' must be a string
  deeply nested array (100,000 levels)   WikiGuard\InvalidInputException: 'magic_words' must be a string
  object                                 WikiGuard\InvalidInputException: 'magic_words' must be a string
  closure                                WikiGuard\InvalidInputException: 'magic_words' must be a string
  int                                    WikiGuard\InvalidInputException: 'magic_words' must be a string
  float                                  WikiGuard\InvalidInputException: 'magic_words' must be a string
  null                                   WikiGuard\InvalidInputException: 'magic_words' must be a string
  bool                                   WikiGuard\InvalidInputException: 'magic_words' must be a string
  resource                               WikiGuard\InvalidInputException: 'magic_words' must be a string
  reference to a string                  answer true
TitleBlacklist flags autoconfirmed
  nested array                           answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  deeply nested array (100,000 levels)   answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  object                                 answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  closure                                answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  int                                    answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  float                                  answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  null                                   answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  bool                                   answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  resource                               answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
  reference to a string                  answer {"line":1,"regex":"Foo.*","params":[],"errmsg":null}
WikiGuard\norm([]): TypeError: Invalid value given for argument `s`.
WikiGuard\utf8_cleanup([]): TypeError: Invalid value given for argument `s`.
WikiGuard\ccnorm([]): TypeError: Invalid value given for argument `s`.
WikiGuard\antispoof_check([]): TypeError: Invalid value given for argument `name`.
PatternSet::isMatch(object): TypeError: Invalid value given for argument `text`.
PatternSet::spam(null): TypeError: Invalid value given for argument `listText`.
IPReputation::lookup([]): WikiGuard\InvalidInputException: $ip must be a string, Array given
IPUtils::isValid(deep): WikiGuard\InvalidInputException: $ip must be a string, Array given
still running
