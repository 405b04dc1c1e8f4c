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

$stats = WikiGuard\cache_stats();
printf("Registry: %d compiled artifacts, %d bytes, %d hits, %d misses\n\n", $stats['entries'], $stats['bytes'], $stats['hits'], $stats['misses']);

echo $reasons ? "Verdict: REFUSE\n  - " . implode("\n  - ", $reasons) . "\n" : "Verdict: ALLOW\n";
