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
     * distinct content (process-wide registry), then each call is a hash of
     * the list plus one binary search.
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
 * limits (512 levels, 65,536 values, 4 MiB of strings).
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
     *   (zones, brackets, ports, leading zeros are refused), or is IPv6 and the
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
