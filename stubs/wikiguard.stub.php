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
// Spam patterns: TitleBlacklist and AbuseFilter keyword search.
// (docs/titleblacklist.md, docs/keywords.md)
// ---------------------------------------------------------------------------

/**
 * A title blacklist (MediaWiki:Titleblacklist syntax), with the semantics of
 * the TitleBlacklist extension of MediaWiki 1.39: TitleBlacklistEntry's line
 * syntax, options and per-action rules, and the entry choice of
 * TitleBlacklist::userCannot(), for ONE list source.
 *
 * Regexes run as preg_match("/^(?:REGEX)$/us" . ('i' unless casesensitive))
 * would: on a linear-time engine where the translation is exact, otherwise on
 * PCRE2 with PHP's default limits (see fallbackLines()).
 *
 * Deliberate differences from TitleBlacklist (each tested):
 * - a regex on PCRE2 that hits the match or depth limit counts as a MATCH
 *   (TitleBlacklist reads preg_match's false as no match: fail open); every
 *   such event is counted in stats()['limit_hits'];
 * - a title that is not valid UTF-8 throws InvalidInputException
 *   (preg_match with /u returns false and TitleBlacklist lets it through;
 *   MediaWiki titles are always valid UTF-8).
 * A regex that PHP's preg_match rejects never matches, exactly as in
 * TitleBlacklist; badLines() reports the lines TitleBlacklist::validate()
 * reports.
 */
final class TitleBlacklist
{
    /**
     * Not constructible: use fromText().
     *
     * @throws \Exception "You cannot instantiate this class from PHP."
     */
    public function __construct() {}

    /**
     * Parses and compiles a list. Lines that do not compile are kept as
     * entries that never match. The same text and options in a later request
     * of the worker come from the registry (cache_stats()).
     *
     * @param array{source?: string, magic_words?: array<string, string>}|null $options
     *   source: the list's source name (a key of $wgTitleBlacklistSources;
     *   default "local", MediaWiki:Titleblacklist's), used by the
     *   username_sources flag of check().
     *   magic_words: expansions of {{ns:X}} and {{int:X}} keyed "ns:X" /
     *   "int:X" as written in the list (after _ → space), computed by the
     *   caller with CoreParserFunctions::ns() and
     *   wfMessage(X)->inContentLanguage()->text(). A word missing from the map
     *   stays as written. magicWords() lists the keys a list needs.
     * @throws InvalidInputException on an unknown option or a malformed map
     */
    public static function fromText(string $listText, ?array $options = null): TitleBlacklist {}

    /**
     * The magic words ("ns:X", "int:X") the list's regexes use, each once,
     * in order of appearance: the keys of fromText()'s magic_words option.
     *
     * @return list<string>
     */
    public static function magicWords(string $listText): array {}

    /**
     * The entry that forbids $action on $title, or null: what
     * TitleBlacklist::userCannot($title, $user, $action) returns for this
     * list, before the whitelist (check MediaWiki:Titlewhitelist with a second
     * TitleBlacklist, source 'whitelist', same flags but autoconfirmed false:
     * a non-null answer there allows the title) and the
     * tboverride / tboverride-account rights, which stay in PHP.
     *
     * @param string $title Title::getFullText() (spaces, not underscores).
     * @param string $action edit, create, move, upload or new-account.
     * @param array{autoconfirmed?: bool, username_sources?: string|false|array, antispoof_normalized?: ?string}|null $flags
     *   autoconfirmed: the user has the 'autoconfirmed' right, so entries
     *   with <autoconfirmed> do not apply (default false).
     *   username_sources: $wgTitleBlacklistUsernameSources ('*' by default,
     *   false for none, or a list of source names) for new-account.
     *   antispoof_normalized: the title as AntiSpoof normalizes it
     *   (AntiSpoof::checkUnicodeStringStatus() value without "v2:"), when
     *   AntiSpoof is loaded and the status is OK; <antispoof> entries match
     *   against it. Null or absent: they match the title itself.
     * @return array{line: int, regex: string, params: array<string, true|string>, errmsg: ?string}|null
     *   line: 1-based line in the list text; regex and params as
     *   TitleBlacklistEntry::getRegex() / getParams(); errmsg as
     *   getCustomMessage().
     * @throws InvalidInputException if the title or antispoof_normalized is
     *   not valid UTF-8 (the message gives the offset), on an unknown flag,
     *   or on a username_sources that is not '*', falsy or an array.
     */
    public function check(string $title, string $action, ?array $flags = null): ?array {}

    /**
     * Every entry, in list order: check()'s keys plus raw (the line as
     * written), engine ('automaton', 'pcre' or 'invalid') and error (why
     * preg_match rejects the regex, or null).
     *
     * @return list<array{line: int, regex: string, params: array<string, true|string>, errmsg: ?string, raw: string, engine: string, error: ?string}>
     */
    public function entries(): array {}

    /**
     * The raw lines TitleBlacklist::validate() reports for this list
     * (preg_match("/{$regex}/u", '') === false).
     *
     * @return list<string>
     */
    public function badLines(): array {}

    /**
     * Line numbers whose regex has no exact linear-time translation
     * (look-around, backreferences, \b, possessive quantifiers, \p{..}, ...)
     * and runs on PCRE2 with PHP's limits.
     *
     * @return list<int>
     */
    public function fallbackLines(): array {}

    /**
     * @return array{entries: int, automaton: int, fallback: int, invalid: int, bad_lines: int, limit_hits: int, bytes: int, compile_ms: float}
     *   automaton/fallback/invalid: entries per engine (invalid: preg_match
     *   rejects the regex; it never matches); bad_lines: count(badLines());
     *   bytes: approximate memory of the compiled list; compile_ms: the
     *   build time (of the first build: a registry hit shares it).
     *   limit_hits counts matches on PCRE2 that hit a limit and were counted
     *   as matches, since the list was compiled (shared by every request of
     *   the worker that uses the same list).
     */
    public function stats(): array {}
}

/**
 * A needle list compiled once (Aho-Corasick) for AbuseFilter-style keyword
 * tests. containsAny()/containsAll() answer exactly as contains_any() /
 * contains_all() (or the ccnorm_ variants with the ccnorm option) would with
 * the same needles. Needles are identified by their 0-based position in
 * $needles (keys are ignored).
 */
final class KeywordSet
{
    /**
     * @param list<string> $needles
     * @param array{ccnorm?: bool, case_insensitive?: bool}|null $options
     *   ccnorm: Equivset-normalize needles and haystacks (no entity decoding).
     *   case_insensitive: fold ASCII letters only, as PHP 8.2's stripos()
     *   (after ccnorm when both are on).
     * @throws InvalidInputException on a non-string needle or unknown option
     */
    public function __construct(array $needles, ?array $options = null) {}

    /** False for an empty $s; otherwise whether some non-empty needle occurs. */
    public function containsAny(string $s): bool {}

    /** False for an empty $s; otherwise whether every non-empty needle occurs. */
    public function containsAll(string $s): bool {}

    /**
     * Positions of the needles that occur in $s, ascending, including needles
     * inside or overlapping others. Empty needles and an empty $s give none.
     *
     * @return list<int>
     */
    public function find(string $s): array {}
}

/**
 * AbuseFilter's contains_any(): false for an empty haystack; empty needles
 * are skipped (T62203); otherwise true if strpos() finds any needle
 * (bytes, case-sensitive).
 */
function contains_any(string $haystack, string ...$needles): bool {}

/**
 * AbuseFilter's contains_all(): false for an empty haystack; empty needles
 * are skipped (T62203); otherwise true if strpos() finds every needle.
 */
function contains_all(string $haystack, string ...$needles): bool {}

/**
 * AbuseFilter's ccnorm_contains_any(): contains_any() after
 * Equivset::normalize() of the haystack (after the empty test) and of each
 * needle; a needle empty after normalization is skipped.
 */
function ccnorm_contains_any(string $haystack, string ...$needles): bool {}

/** AbuseFilter's ccnorm_contains_all(), normalized as ccnorm_contains_any(). */
function ccnorm_contains_all(string $haystack, string ...$needles): bool {}

}

namespace WikiGuard {

// ---------------------------------------------------------------------------
// Input sanitization: Equivset, AbuseFilter's text functions, UtfNormal
// clean-up, AntiSpoof (docs/text.md). Byte-identical to MediaWiki 1.39's PHP
// (equivset 1.4.3, utfnormal 3.0.2 with intl/ICU 72.1, PCRE2 10.42) for every
// input; where the original fails, the documented answer below.
//
// String parameters take any bytes but must be PHP strings: an int, float,
// bool or null is a TypeError (as under declare(strict_types=1)), where the
// originals would convert it. AbuseFilter always passes strings.
// ---------------------------------------------------------------------------

/**
 * Wikimedia\Equivset\Equivset::normalize(): strtr($s, $map) with the active
 * table. Bytes that are not UTF-8 pass through unchanged.
 *
 * @throws Exception if INI wikiguard.equivset_path names a file that could not
 *   be loaded (no silent fallback to the bundled table)
 */
function equivset_normalize(string $s): string {}

/**
 * The active Equivset table: "1.4.3" for the bundled one (as in MediaWiki
 * 1.39), "file:<path>" for the file named by INI wikiguard.equivset_path
 * (loaded once per process, on first use).
 *
 * @throws Exception if that file could not be loaded; phpinfo() shows the error
 */
function equivset_version(): string {}

/**
 * AbuseFilter ccnorm(): html_entity_decode($s, ENT_QUOTES, 'UTF-8'), then
 * Equivset::normalize().
 *
 * @throws Exception if the configured Equivset table could not be loaded
 */
function ccnorm(string $s): string {}

/**
 * AbuseFilter norm(): Equivset::normalize(), then rmdoubles, rmspecials and
 * rmwhitespace. Returns '' for input that is not valid UTF-8 (the original's
 * preg_replace gives null, which the next preg_replace reads as '').
 *
 * @throws Exception if the configured Equivset table could not be loaded
 */
function norm(string $s): string {}

/**
 * AbuseFilter rmspecials(): preg_replace('/[^\p{L}\p{N}\s]/u', '', $s) with
 * PCRE2 10.42's Unicode 14.0 classes. Returns '' for input that is not valid
 * UTF-8: the original's preg_replace returns null, which AbuseFilter carries
 * as its string value and every later use reads as ''.
 */
function rmspecials(string $s): string {}

/**
 * AbuseFilter rmdoubles(): preg_replace('/(.)\1+/us', '\1', $s), every run of
 * one code point becomes one. Returns '' for input that is not valid UTF-8
 * (as rmspecials()).
 */
function rmdoubles(string $s): string {}

/**
 * AbuseFilter rmwhitespace(): preg_replace('/\s+/u', '', $s) with UCP \s
 * (U+00A0, U+0085, U+2003, … but not U+200B). Returns '' for input that is
 * not valid UTF-8 (as rmspecials()).
 */
function rmwhitespace(string $s): string {}

/**
 * AbuseFilter specialratio(): 1 - mb_strlen(rmspecials($s)) / mb_strlen($s);
 * 0.0 for '' (the original's int 0); 1.0 for input that is not valid UTF-8
 * (the original computes 1 - mb_strlen(null) / mb_strlen($s)).
 */
function specialratio(string $s): float {}

/**
 * AbuseFilter sanitize(): html_entity_decode($s, ENT_QUOTES, 'UTF-8'), then
 * Sanitizer::decodeCharReferences(). Works on any bytes.
 */
function sanitize(string $s): string {}

/**
 * UtfNormal\Validator::cleanUp() (utfnormal 3.0.2 with intl): C0 controls
 * other than tab, newline and carriage return, U+FFFE and U+FFFF become
 * U+FFFD; valid text is put in NFC (ICU 72.1 data); invalid sequences become
 * U+FFFD where quickIsNFCVerify() puts them (one per malformed sequence), and
 * the repaired text is put in NFC only if utfnormal's own tables say it may
 * not be — exactly as the original.
 */
function utf8_cleanup(string $s): string {}

/**
 * AntiSpoof's checkUnicodeStringStatus($name) (extension AntiSpoof at
 * 197ba1cd3c993ce0d59485165674da78e155ee2c, with its default configuration):
 * NFKD, script checks, Equivset, VV→W, RN→M, spaces removed. The
 * prohibited-character check is inert on PHP 8 and so it is here. Input that
 * is not valid UTF-8 gives antispoof-noletters, as in the original.
 *
 * @return array{ok: bool, normalized: ?string, error: ?string}
 *   ok: the name is acceptable; normalized: "v2:…" (what spoofuser.su_normname
 *   stores) when ok, else null; error: the antispoof-* message key when not
 *   ok (antispoof-empty, -combining, -unassigned, -deprecated, -noletters,
 *   -mixedscripts, -tooshort), else null.
 * @throws Exception if the configured Equivset table could not be loaded
 */
function antispoof_check(string $name): array {}

/**
 * Wikimedia\Equivset\Equivset over the active table (bundled 1.4.3 or INI
 * wikiguard.equivset_path). Not iterable: use all().
 */
final class Equivset {
    /** @throws Exception if the configured table could not be loaded */
    public function __construct() {}

    /** strtr($value, $this->all()). */
    public function normalize(string $value): string {}

    /** normalize($str1) === normalize($str2). */
    public function isEqual(string $str1, string $str2): bool {}

    /** True if $key is one character of the table. */
    public function has(string $key): bool {}

    /**
     * The equivalent of $key.
     *
     * @throws \LogicException "Equivalent Character Not Found", as the original
     */
    public function get(string $key): string {}

    /**
     * The whole map, in the order of the table file, digit keys as integers:
     * the same array as the original's all().
     *
     * @return array<string|int, string>
     */
    public function all(): array {}
}

}

namespace WikiGuard {

// ---------------------------------------------------------------------------
// IP ranges and reputation: IPUtils, IPSet, IPReputation (docs/ip.md).
// ---------------------------------------------------------------------------

/**
 * Wikimedia\IPUtils as shipped with MediaWiki 1.39 (wikimedia/ip-utils
 * 5.0.0): the same methods with the same results and result types,
 * checked by php-tests/ip/ip_utils_differential.phpt. Switching from the
 * PHP class is a `use` change.
 *
 * Arguments are converted to strings as preg_match() converts them (an
 * int, null, a bool); an array or object throws InvalidInputException.
 *
 * Deliberate differences, on invalid input only:
 * - isInRange()/isInRanges(): an invalid address is never in range.
 *   5.0.0 answers true for two invalid inputs (isInRange('x', 'x')), a
 *   quirk fixed in ip-utils 6.
 * - Where PHP throws ValueError because a NUL byte reached ip2long() or
 *   inet_pton() (parseCIDR("1.2.3.4\0/8")), the input is simply invalid.
 */
final class IPUtils {
    /** Not instantiable: every method is static. @throws \Exception always */
    public function __construct() {}

    /** An IPv4 or IPv6 address, optionally with a CIDR prefix. */
    public static function isIPAddress(mixed $ip): bool {}

    /** An IPv4 address (zero-padded octets allowed), optionally with a prefix. */
    public static function isIPv4(mixed $ip): bool {}

    /** An IPv6 address, optionally with a prefix (IPv4-mapped dotted forms and zones are not). */
    public static function isIPv6(mixed $ip): bool {}

    /** An address of either family, no prefix. */
    public static function isValid(mixed $ip): bool {}

    public static function isValidIPv4(mixed $ip): bool {}

    public static function isValidIPv6(mixed $ip): bool {}

    /** A CIDR, or an explicit "a - b" range. */
    public static function isValidRange(mixed $ipRange): bool {}

    /**
     * Trimmed; leading zeros removed; IPv6 upper-cased and expanded.
     * @return string|null null for an empty string; a non-IP comes back trimmed
     */
    public static function sanitizeIP(mixed $ip): mixed {}

    /**
     * @return string|false 8 hex digits (IPv4) or "v6-" and 32 (IPv6); false if invalid
     */
    public static function toHex(mixed $ip): mixed {}

    /**
     * @return array{0: int|string|false, 1: int|string|false} IPv4: [int, the prefix
     *   string as given]; IPv6: [decimal string, int]; invalid: [false, false]
     */
    public static function parseCIDR(mixed $range): array {}

    /** @return array{0: string|false, 1: string|false} [start hex, end hex] or [false, false] */
    public static function parseRange(mixed $range): array {}

    /** Whether $addr is inside $range; an invalid $addr never is (see the class note). */
    public static function isInRange(mixed $addr, mixed $range): bool {}

    /**
     * Whether $ip is inside any of $ranges. The list is compiled once per
     * distinct content (process-wide registry); each call then hashes the
     * list to find it, plus one binary search. The last four arrays passed
     * are remembered by address until the end of the request (the same
     * array passed again is not hashed): the extension holds a reference to
     * them, so PHP copies such an array before changing it, and they are
     * freed at the end of the request at the latest.
     * @param array<string> $ranges
     * @throws InvalidInputException if an element is not a string or scalar
     */
    public static function isInRanges(mixed $ip, array $ranges): bool {}

    /** @return string|null the address without zone, IPv4-mapped forms as IPv4; null if invalid */
    public static function canonicalize(mixed $addr): mixed {}

    /** @return string|null compressed lower-case IPv6; other input as sanitizeIP() gives it */
    public static function prettifyIP(mixed $ip): mixed {}

    /** Not private, loopback or link-local (IPSet's strict parsing: invalid input is "public"). */
    public static function isPublic(mixed $ip): bool {}

    /** @return string "start/bits", or the start of the range ("0.0.0.0" when invalid) */
    public static function sanitizeRange(mixed $range): mixed {}

    /** @return string|false the /64 start of an IPv6 address in hex, or the first three IPv4 octets */
    public static function getSubnet(mixed $ip): mixed {}
}

/**
 * Wikimedia\IPSet (ip-utils 5.0.0): match() parses addresses with
 * inet_pton (no leading zeros, no spaces, no CIDR; an IPv4-mapped IPv6
 * address does not match an IPv4 net). A bad mask raises the same
 * E_USER_WARNING "IPSet: Bad mask '…' from '…', ignored"; a net inet_pton
 * cannot parse is skipped silently. Sets are compiled once per distinct
 * list (process-wide registry).
 *
 * Deliberate difference: PHP's inet_pton throws ValueError on a NUL byte;
 * here such a net is skipped and such an address does not match.
 */
final class IPSet {
    /** @param array<string> $cfg CIDRs or single addresses */
    public function __construct(array $cfg) {}

    /** Whether $ip is in the set. */
    public function match(mixed $ip): bool {}

    /**
     * The most specific entry that contains $ip, exactly as given to the
     * constructor (the first one given if a network appears twice), or null.
     */
    public function lookup(mixed $ip): ?string {}
}

/**
 * A MaxMind DB (MMDB) file, memory-mapped and shared by every request of
 * the process: nothing is parsed up front, one instance per path per
 * process, replaced in service when the file at the path is replaced
 * (atomic rename) — checked at most every wikiguard.reload_interval
 * seconds (INI, default 5) by the next lookup. Lookups in flight keep the
 * file they started with. A corrupt replacement is refused and the
 * previous database stays in service; stats() and phpinfo() show the
 * refusal.
 *
 * Databases built by `wikiguard-db build` hold IPReputation's response
 * fields: risks, behaviors, connectionTypes, tunnelOperators, proxies,
 * sources (lists, always present), numUsersOnThisIP, organization, city,
 * country (when a feed gave them). Other MMDB files (GeoIP2-Anonymous-IP,
 * …) come back as stored, with php-maxminddb's conventions (uint64 above
 * PHP_INT_MAX as a decimal string, uint128 as a "0x…" hex string).
 *
 * Corrupt files give DatabaseException (naming the file and offset), at
 * open or at the lookup that reaches the damage; a record is decoded with
 * limits (128 levels, 65,536 values, 4 MiB of strings). A file opens and
 * a record decodes exactly when php-maxminddb (libmaxminddb) opens and
 * decodes them, with two deliberate differences that break the MMDB spec
 * and are DatabaseException here: a map key that is not a string
 * (libmaxminddb: an empty key) and a boolean of size 2 or more
 * (libmaxminddb: true).
 */
final class IPReputation {
    /** Not instantiable: use open() or configured(). @throws \Exception always */
    public function __construct() {}

    /** @throws DatabaseException if the file is missing, unreadable or not a valid MMDB file */
    public static function open(string $path): IPReputation {}

    /**
     * The database named by INI wikiguard.reputation_db, or null when it is not set.
     * @throws DatabaseException
     */
    public static function configured(): ?IPReputation {}

    /**
     * The record of $ip plus "network" (the matching CIDR, in the family of
     * $ip), or null when the database has no data for it. A record that is
     * not a map comes back as ["value" => record, "network" => …].
     * @throws InvalidInputException if $ip is not an address inet_pton accepts
     *   (zones, brackets, ports, leading zeros are refused; so are the inet_aton
     *   forms and IPv6 scope numbers that php-maxminddb's getaddrinfo takes,
     *   such as "1359103392" or "0121.2.69.160"), or is IPv6 and the
     *   database IPv4-only
     * @throws DatabaseException if the part of the file the lookup reaches is corrupt
     */
    public function lookup(mixed $ip): ?array {}

    /**
     * lookup() of each address, keyed by the address as given.
     * @param array<string> $ips
     * @return array<string, ?array>
     * @throws InvalidInputException|DatabaseException as lookup()
     */
    public function lookupMany(array $ips): array {}

    /** The database's metadata map (node_count, record_size, ip_version, database_type, build_epoch, …). */
    public function metadata(): array {}

    /**
     * @return array{path: string, database_type: string, build_epoch: int, file_size: int, node_count: int,
     *   record_size: int, ip_version: int, loaded_at: int, reload_interval: float, lookups: int, found: int,
     *   reloads: int, reload_refusals: int, last_refusal: ?string}
     */
    public function stats(): array {}
}

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
     * @param string $listText the list, any bytes
     * @throws InvalidPatternException if the compiled automaton would exceed
     *   its size limit (256 MiB); lines PHP would reject are not an error
     */
    public static function spam(string $listText): PatternSet {}

    /**
     * Compiles a list in the same syntax with EmailBlacklist's regex
     * wrapper.
     *
     * @throws InvalidPatternException as spam()
     */
    public static function email(string $listText): PatternSet {}

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
