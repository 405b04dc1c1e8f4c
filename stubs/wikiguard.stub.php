<?php
/**
 * WikiGuard — the PHP API of the `wikiguard` extension.
 *
 * This file documents every function, class, method, parameter, return type
 * and exception of the extension, for IDEs and static analysers (Phan,
 * Psalm, PHPStan). It is never loaded at run time. The test
 * php-tests/stubs_match_extension.phpt compares it with the loaded
 * extension through Reflection, both ways, so the two cannot drift.
 *
 * Strings are bytes: every string parameter accepts any byte sequence,
 * including invalid UTF-8 and NUL bytes, unless its documentation says
 * otherwise.
 *
 * @generate-function-entries
 */

namespace WikiGuard {

// ---------------------------------------------------------------------------
// Foundation: exceptions, version, the registry of compiled artifacts.
// ---------------------------------------------------------------------------

/**
 * The root of every exception WikiGuard throws on purpose. A Rust panic is
 * not one of them: it surfaces as an \Error whose message starts with
 * "Rust panic: ", and the worker goes on serving requests.
 */
class Exception extends \Exception {}

/** A pattern list, or a pattern in it, cannot be used. The message names the line. */
class InvalidPatternException extends Exception {}

/** A database file is missing, unreadable or corrupt. The message names the file and the offset. */
class DatabaseException extends Exception {}

/** An argument is outside what the function accepts (too large, malformed). The message says which. */
class InvalidInputException extends Exception {}

/**
 * The extension version (semver), as shown by phpinfo().
 */
function version(): string {}

/**
 * Counters of the process-wide registry of compiled artifacts (pattern
 * lists, IP sets, …). A PHP-FPM worker that builds the same list again in a
 * later request gets it back from the registry without recompiling.
 *
 * @return array{entries: int, bytes: int, capacity_bytes: int, hits: int, misses: int, evictions: int, compile_ms: float}
 *   entries: artifacts kept; bytes: their approximate heap size;
 *   capacity_bytes: the cap (INI wikiguard.cache_max_mb); hits/misses:
 *   lookups answered from the registry / that had to build; evictions:
 *   entries dropped to stay under the cap; compile_ms: total build time.
 */
function cache_stats(): array {}

}

namespace WikiGuard\Internal {

/**
 * Panics inside Rust. For tests only: proves that a panic reaches PHP as a
 * catchable \Error ("Rust panic: $message") and the process goes on.
 *
 * @throws \WikiGuard\Exception unless INI wikiguard.test_hooks=1
 */
function trigger_panic(string $message): void {}

}

namespace WikiGuard {

// ---------------------------------------------------------------------------
// Spam patterns: SpamBlacklist and EmailBlacklist lists (docs/patterns.md).
// ---------------------------------------------------------------------------

/**
 * A compiled SpamBlacklist or EmailBlacklist list, with the semantics of
 * MediaWiki 1.39's SpamBlacklist extension (SpamRegexBatch, BaseBlacklist,
 * SpamBlacklist, EmailBlacklist):
 *
 * - lines: everything from '#' is a comment; lines are trimmed; empty lines
 *   and lines that are exactly "0" are dropped (array_filter); lines ending
 *   in a backslash are skipped;
 * - lines are joined with '|' into batches of about 4 KiB, backslashes
 *   before '/' are dropped and '/' is escaped, and each batch is matched as
 *   /(?:https?:)?\/\/+[a-z0-9_\-.]*(BATCH)/Sim (spam) or
 *   /[a-z0-9_\-.]*BATCH/Sim (email). A batch that is not valid UTF-8 becomes
 *   the empty group "()" and matches every URL, exactly as in PHP;
 * - if PCRE rejects any batch, every line becomes its own regex and the
 *   lines PCRE rejects are ignored (badLines() lists them);
 * - matching is on bytes (no /u): \b, \w and case-insensitivity are
 *   ASCII-only; a non-ASCII character is a sequence of bytes.
 *
 * Lines run on a linear-time engine; lines that use PCRE-only syntax
 * (look-around, …) run on PCRE2 with PHP's default limits (fallbackLines()).
 *
 * The one deliberate difference: SpamBlacklist treats a PCRE error (backtrack
 * limit, JIT stack) as "no match" and skips the whole batch, so a crafted URL
 * can switch the blacklist off (fail open). WikiGuard never fails open: the
 * translated lines have no limit to hit, and a fallback line whose PCRE2
 * evaluation hits a limit counts as a MATCH (its hit has 'match' => ''),
 * counted in stats()['limit_hits'].
 *
 * Not constructible with new: use spam() or email(). The same text in a later
 * request of the worker comes from the registry (cache_stats()).
 */
final class PatternSet
{
    /**
     * Not constructible: use spam() or email().
     *
     * @throws \Exception "You cannot instantiate this class from PHP."
     */
    public function __construct() {}

    /**
     * Compiles a list in MediaWiki spam-blacklist syntax (SpamBlacklist).
     *
     * @param string $list_text the list, any bytes
     * @throws InvalidPatternException if the compiled automaton would exceed
     *   its size limit (256 MiB); lines PHP would reject are not an error
     */
    public static function spam(string $list_text): PatternSet {}

    /**
     * Compiles a list in the same syntax with EmailBlacklist's regex
     * wrapper.
     *
     * @throws InvalidPatternException as spam()
     */
    public static function email(string $list_text): PatternSet {}

    /**
     * SpamBlacklist::filter() for these links, without MediaWiki's caching,
     * logging and old-link subtraction (pass only the added links): false
     * when the edit may be saved, else the matched texts.
     *
     * Steps, as in PHP: no links → false; sort($links); U+FF0E "．" → ".";
     * join with "\n"; remove every match of each whitelist batch (a batch
     * whose PCRE2 evaluation errors is skipped, as in PHP); for each
     * blacklist batch that matches, the text its fragment matched (group 1)
     * in the first match of each line ("full line" regex with .*); then
     * array_unique(), which keeps the original keys — the result can have
     * gaps (compare with ===, keys included).
     *
     * Declared mixed because the binding cannot declare a union type.
     *
     * @param array<array-key, string> $links
     * @param PatternSet|null $whitelist a spam list (MediaWiki:Spam-whitelist)
     * @return array<int, string>|false
     * @throws InvalidInputException if an element of $links is not a string,
     *   if this is an email list, or if $whitelist is an email list
     */
    public function filter(array $links, ?PatternSet $whitelist = null): mixed {}

    /**
     * Every hit in $text, batch by batch in list order and, within a batch,
     * in text order: the matches preg_match_all() finds with each batch
     * regex, each with the line that produced it. array_column($hits,
     * 'match') of the first hit per line is what filter() returns.
     *
     * @return list<array{line: int, fragment: string, match: string, offset: int}>
     *   line: 1-based line in the list text; fragment: that line (comment
     *   cut, trimmed; '' for the invalid-UTF-8 empty group; the whole batch
     *   joined with '|' for lines that only parse together); match: the text
     *   the fragment matched ('' for a PCRE2 limit hit); offset: byte offset
     *   of match in $text.
     */
    public function matches(string $text): array {}

    /** Whether any line matches anywhere in $text (preg_match_all() > 0 for some batch). */
    public function isMatch(string $text): bool {}

    /**
     * EmailBlacklist::checkUser() for one address: true when it may be used.
     * An empty list allows everything; a whitelist match allows; a blacklist
     * match refuses.
     */
    public function checkEmail(string $email, ?PatternSet $whitelist = null): bool {}

    /**
     * What SpamRegexBatch::getBadLines() returns for the list: lines ending in
     * a backslash, then, only if some batch fails to compile, every line
     * PCRE rejects on its own.
     *
     * @return list<string>
     */
    public function badLines(): array {}

    /**
     * Lines run on PCRE2 instead of the linear-time engine (look-around,
     * atomic groups, possessive quantifiers, ^, \Z, large counted
     * repetitions, and every line of a batch whose lines only parse together).
     *
     * @return list<array{line: int, fragment: string}>
     */
    public function fallbackLines(): array {}

    /** Fragments after comment and blank-line stripping. */
    public function count(): int {}

    /**
     * @return array{compile_ms: float, memory_bytes: int, cache_capacity_bytes: int, fragments: int, batches: int, per_line_mode: bool, fallback_lines: int, pcre_batches: int, limit_hits: int}
     *   memory_bytes: the compiled list (lazy-DFA caches grow on top, up to
     *   cache_capacity_bytes); batches: regexes PHP would build;
     *   per_line_mode: a batch failed and the list was rebuilt per line;
     *   pcre_batches: batches run on PCRE2 whole; limit_hits: PCRE2
     *   evaluations that hit a limit and were counted as a match.
     */
    public function stats(): array {}
}

}
