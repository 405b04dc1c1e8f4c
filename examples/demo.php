<?php
/**
 * WikiGuard demo: checks one sample edit the way MediaWiki would — its
 * links against a small bundled spam blacklist, the editor's IP against a
 * small bundled reputation list, its text through AbuseFilter's
 * normalizers — and prints a readable verdict.
 *
 * Run with `make demo` (it installs, builds and loads the extension).
 */

if (!extension_loaded('wikiguard')) {
    fwrite(STDERR, "The wikiguard extension is not loaded: run `make demo`.\n");
    exit(1);
}

$edit = [
    'title' => 'Cheap watches',
    'editor_ip' => '198.51.100.7',
    'text' => "Buy cheap v1agra and replica watches at http://www.tinyurl.com/abc or https://example.org/ok",
    'links' => ['http://www.tinyurl.com/abc', 'https://example.org/ok'],
];

printf("WikiGuard %s\n", WikiGuard\version());
printf("Sample edit to \"%s\" by %s with %d links\n\n", $edit['title'], $edit['editor_ip'], count($edit['links']));

$reasons = [];

// Each capability adds its section here as it lands: spam patterns
// (PatternSet), IP reputation (IPSet / IPReputation), text normalizers.

// --- Spam patterns: the links against a SpamBlacklist list (PatternSet) ---
$blacklist = WikiGuard\PatternSet::spam(file_get_contents(__DIR__ . '/spam-blacklist.txt'));
echo "Spam blacklist: {$blacklist->count()} fragments, ", count($blacklist->fallbackLines()), " on PCRE2 (look-around)\n";
$blocked = $blacklist->filter($edit['links']);
if ($blocked === false) {
    echo "  links: none blacklisted\n";
} else {
    foreach ($blacklist->matches(implode("\n", $edit['links'])) as $hit) {
        printf("  link text \"%s\" matched line %d: %s\n", $hit['match'], $hit['line'], $hit['fragment']);
    }
    $reasons[] = 'blacklisted link(s): ' . implode(', ', $blocked);
}
echo "\n";

// --- TitleBlacklist and keyword search (docs/titleblacklist.md, docs/keywords.md)
$titleBlacklist = WikiGuard\TitleBlacklist::fromText(<<<'LIST'
# A small title blacklist in MediaWiki:Titleblacklist syntax
.*[Vv][Ii1][Aa@4]gr[Aa@4].*
(Cheap|Discount)[ _](watches|rolex).* <errmsg=titleblacklist-custom-watches>
.*grawp.*                              <autoconfirmed|noedit>
LIST);
$hit = $titleBlacklist->check($edit['title'], 'create');
printf("Title blacklist (%d entries): \"%s\" %s\n", count($titleBlacklist->entries()), $edit['title'],
    $hit ? "matches line {$hit['line']} ({$hit['regex']}, message {$hit['errmsg']})" : 'is allowed');
if ($hit) {
    $reasons[] = "title blacklisted by line {$hit['line']}: {$hit['regex']}";
}
$keywords = new WikiGuard\KeywordSet(['viagra', 'replica watches', 'casino'], ['ccnorm' => true]);
$found = $keywords->find($edit['text']);
printf("Keywords (ccnorm, so v1agra reads as viagra): %s\n\n", $found ? 'found needles #' . implode(', #', $found) : 'none');
if ($found) {
    $reasons[] = 'spam keywords: ' . count($found) . ' of 3';
}
// --- Text normalizers (docs/text.md): AbuseFilter's ccnorm/norm fold
// look-alikes (1→I, 4→A, @→A, Cyrillic а→A, …), so a keyword filter on the
// normalized text catches "v1agra" as VIAGRA.
$ccnorm = WikiGuard\ccnorm($edit['text']);
$norm = WikiGuard\norm($edit['text']);
printf("Text normalizers (equivset %s):\n  ccnorm: %s\n  norm:   %s\n", WikiGuard\equivset_version(), $ccnorm, $norm);
printf("  specialratio: %.3f, antispoof(\"%s\"): %s\n", WikiGuard\specialratio($edit['text']), $edit['title'],
    WikiGuard\antispoof_check($edit['title'])['normalized'] ?? 'refused');
// The raw text does not contain "viagra" in any case; norm(text) does.
if (stripos($edit['text'], 'viagra') === false && str_contains($norm, 'VIAGRA')) {
    echo "  keyword VIAGRA: not in the raw text, found in norm(text)\n";
    $reasons[] = 'AbuseFilter-style keyword VIAGRA in norm(text) ("v1agra")';
}
echo "\n";

// --- IP reputation: the editor's IP against an IPSet of blocked ranges and
// a small reputation database (`make demo` builds build/demo-reputation.mmdb
// from examples/data/reputation/ with wikiguard-db).
$blockedRanges = new WikiGuard\IPSet(['192.0.2.0/24', '198.51.100.0/24', '2001:db8::/32']);
if (($range = $blockedRanges->lookup($edit['editor_ip'])) !== null) {
    printf("IPSet: %s is in the blocked range %s\n", $edit['editor_ip'], $range);
    $reasons[] = "editor IP {$edit['editor_ip']} is in blocked range $range";
}
printf("IPUtils: %s is %s, sanitized %s, getSubnet %s\n", $edit['editor_ip'],
    WikiGuard\IPUtils::isPublic($edit['editor_ip']) ? 'public' : 'private', WikiGuard\IPUtils::sanitizeIP($edit['editor_ip']),
    WikiGuard\IPUtils::getSubnet($edit['editor_ip']));
$reputationDb = __DIR__ . '/../build/demo-reputation.mmdb';
if (is_file($reputationDb)) {
    $reputation = WikiGuard\IPReputation::open($reputationDb)->lookup($edit['editor_ip']);
    if ($reputation !== null) {
        printf("IPReputation: %s (network %s) listed by %s; behaviors %s, risks %s, %d users, %s, %s\n",
            $edit['editor_ip'], $reputation['network'], implode(', ', $reputation['sources']),
            implode(', ', $reputation['behaviors']), implode(', ', $reputation['risks']),
            $reputation['numUsersOnThisIP'] ?? 0, $reputation['organization'] ?? '?', $reputation['country'] ?? '?');
        $reasons[] = sprintf("editor IP is listed by %s (%s)", implode(', ', $reputation['sources']), implode(', ', $reputation['behaviors']));
    }
} else {
    echo "IPReputation: build/demo-reputation.mmdb is missing (run `make demo`)\n";
}
echo "\n";

$stats = WikiGuard\cache_stats();
printf("Registry: %d compiled artifacts, %d bytes, %d hits, %d misses\n\n", $stats['entries'], $stats['bytes'], $stats['hits'], $stats['misses']);

echo $reasons ? "Verdict: REFUSE\n  - " . implode("\n  - ", $reasons) . "\n" : "Verdict: ALLOW\n";
