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
