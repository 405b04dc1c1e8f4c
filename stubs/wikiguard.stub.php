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
