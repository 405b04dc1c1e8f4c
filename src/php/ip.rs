//! `WikiGuard\IPUtils`, `WikiGuard\IPSet` and `WikiGuard\IPReputation`:
//! value and error conversion around [`crate::ip`].

// Rust parameter names are the PHP ones, and IPUtils has `$ipRange`.
#![allow(non_snake_case)]

use std::borrow::Cow;
use std::ffi::{c_char, c_int, CString};
use std::sync::Arc;

use ext_php_rs::binary::Binary;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

mod records;

use super::exceptions::ErrorKind;
use super::pinned_arrays::{ArrayArg, PinnedArrays};
use super::zend::{array_values, string_bytes};
use crate::ip::mmdb;
use crate::ip::php_compat::{inet_pton_addr, PhpValue};
use crate::ip::reputation::{self, Reputation};
use crate::ip::set::IpSet;
use crate::ip::utils::{self, RangeList};
use crate::registry::{Artifact, Registry};

/// Registers the IP classes and their end-of-request hooks: releasing
/// pinned range arrays (request shutdown), and freeing the reputation
/// records the lookup cache let go of during the request (post-deactivate).
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .request_shutdown_function(request_shutdown)
        .class::<IPUtils>()
        .class::<IPSet>()
        .class::<IPReputation>()
        .post_deactivate_function(records::free_retired_records)
}

/// The bytes PHP's string conversion gives an IPUtils argument (the PHP
/// class feeds its arguments to `preg_match`, which converts scalars).
fn arg_bytes<'a>(value: &'a Zval, what: &str) -> PhpResult<Cow<'a, [u8]>> {
    if let Some(s) = value.zend_str() {
        return Ok(Cow::Borrowed(s.as_bytes()));
    }
    if let Some(n) = value.long() {
        return Ok(Cow::Owned(n.to_string().into_bytes()));
    }
    if value.is_null() {
        return Ok(Cow::Borrowed(b""));
    }
    if let Some(b) = value.bool() {
        return Ok(Cow::Borrowed(if b { b"1" } else { b"" }));
    }
    Err(ErrorKind::InvalidInput.exception(format!(
        "{what} must be a string, {} given",
        value.get_type()
    )))
}

fn string_zval(bytes: &[u8]) -> Zval {
    let mut zval = Zval::new();
    zval.set_zend_string(ZendStr::new(bytes, false));
    zval
}

fn php_value(value: PhpValue) -> Zval {
    let mut zval = Zval::new();
    match value {
        PhpValue::False => zval.set_bool(false),
        PhpValue::Null => zval.set_null(),
        PhpValue::Int(n) => zval.set_long(n),
        PhpValue::Str(s) => return string_zval(&s),
    }
    zval
}

fn string_or_false(value: Option<Vec<u8>>) -> Zval {
    value.map_or(php_value(PhpValue::False), |s| string_zval(&s))
}

fn string_or_null(value: Option<Vec<u8>>) -> Zval {
    value.map_or(php_value(PhpValue::Null), |s| string_zval(&s))
}

fn pair(a: Zval, b: Zval) -> PhpResult<ZBox<ZendHashTable>> {
    let mut array = ZendHashTable::new();
    array.push(a)?;
    array.push(b)?;
    Ok(array)
}

thread_local! {
    /// The range arrays `isInRanges` saw last in this request.
    static RECENT_RANGE_LISTS: PinnedArrays<RangeList> = const { PinnedArrays::new() };
}

/// Releases what this module holds on request memory.
extern "C" fn request_shutdown(_type: i32, _module_number: i32) -> i32 {
    RECENT_RANGE_LISTS.with(PinnedArrays::clear);
    0
}

/// The `isInRanges` list of `ranges`, from the registry. Its key is the
/// ranges as one length-prefixed buffer: one hash over a contiguous buffer
/// instead of two per range.
fn compile_ranges(ranges: &ZendHashTable) -> PhpResult<Arc<RangeList>> {
    let mut key = Vec::with_capacity(ranges.len() * 24);
    for range in array_values(ranges) {
        let range = match string_bytes(range) {
            Some(bytes) => Cow::Borrowed(bytes),
            None => arg_bytes(range, "each of $ranges")?,
        };
        key.extend_from_slice(&(range.len() as u32).to_le_bytes());
        key.extend_from_slice(&range);
    }
    Registry::global().get_or_build("ip-ranges", &[&key], || {
        let parts = array_bytes(ranges, "each of $ranges")?;
        Ok::<_, PhpException>(RangeList::new(parts.iter().map(|p| p.as_ref())))
    })
}

/// The byte strings of a PHP array of strings, in order.
fn array_bytes<'a>(array: &'a ZendHashTable, what: &str) -> PhpResult<Vec<Cow<'a, [u8]>>> {
    array_values(array)
        .map(|value| arg_bytes(value, what))
        .collect()
}

impl Artifact for RangeList {
    fn heap_bytes(&self) -> usize {
        RangeList::heap_bytes(self)
    }
}

impl Artifact for IpSet {
    fn heap_bytes(&self) -> usize {
        IpSet::heap_bytes(self)
    }
}

/// `final class WikiGuard\IPUtils`: `Wikimedia\IPUtils` 5.0.0.
#[php_class]
#[php(name = "WikiGuard\\IPUtils")]
#[php(flags = ClassFlags::Final)]
pub struct IPUtils;

#[php_impl]
impl IPUtils {
    /// `IPUtils::isIPAddress`.
    #[php(name = "isIPAddress")]
    pub fn is_ip_address(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_ip_address(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isIPv4`.
    #[php(name = "isIPv4")]
    pub fn is_ipv4(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_ipv4(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isIPv6`.
    #[php(name = "isIPv6")]
    pub fn is_ipv6(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_ipv6(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isValid`.
    pub fn is_valid(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_valid(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isValidIPv4`.
    #[php(name = "isValidIPv4")]
    pub fn is_valid_ipv4(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_valid_ipv4(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isValidIPv6`.
    #[php(name = "isValidIPv6")]
    pub fn is_valid_ipv6(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_valid_ipv6(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::isValidRange`.
    pub fn is_valid_range(ipRange: &Zval) -> PhpResult<bool> {
        Ok(utils::is_valid_range(&arg_bytes(ipRange, "$ipRange")?))
    }

    /// `IPUtils::sanitizeIP`: string or null.
    #[php(name = "sanitizeIP")]
    pub fn sanitize_ip(ip: &Zval) -> PhpResult<Zval> {
        Ok(string_or_null(utils::sanitize_ip(&arg_bytes(ip, "$ip")?)))
    }

    /// `IPUtils::toHex`: string or false.
    pub fn to_hex(ip: &Zval) -> PhpResult<Zval> {
        Ok(string_or_false(utils::to_hex(&arg_bytes(ip, "$ip")?)))
    }

    /// `IPUtils::parseCIDR`: `[network, bits]` with PHP's types.
    #[php(name = "parseCIDR")]
    pub fn parse_cidr(range: &Zval) -> PhpResult<ZBox<ZendHashTable>> {
        let (network, bits) = utils::parse_cidr(&arg_bytes(range, "$range")?);
        pair(php_value(network), php_value(bits))
    }

    /// `IPUtils::parseRange`: `[start, end]` hex strings or `[false, false]`.
    pub fn parse_range(range: &Zval) -> PhpResult<ZBox<ZendHashTable>> {
        match utils::parse_range(&arg_bytes(range, "$range")?) {
            Some((start, end)) => pair(string_zval(&start), string_zval(&end)),
            None => pair(php_value(PhpValue::False), php_value(PhpValue::False)),
        }
    }

    /// `IPUtils::isInRange`; an invalid address is never in range.
    pub fn is_in_range(addr: &Zval, range: &Zval) -> PhpResult<bool> {
        Ok(utils::is_in_range(
            &arg_bytes(addr, "$addr")?,
            &arg_bytes(range, "$range")?,
        ))
    }

    /// `IPUtils::isInRanges`, on a range list compiled once per distinct
    /// list (the process-wide registry); an array passed again in the same
    /// request is recognised by its address (see `pinned_arrays`).
    pub fn is_in_ranges(ip: &Zval, ranges: ArrayArg<'_>) -> PhpResult<bool> {
        let ip = arg_bytes(ip, "$ip")?;
        let list = RECENT_RANGE_LISTS.with(|recent| match recent.get(&ranges) {
            Some(list) => Ok(list),
            None => {
                let list = compile_ranges(ranges.array())?;
                recent.insert(&ranges, Arc::clone(&list));
                Ok::<_, PhpException>(list)
            }
        })?;
        Ok(list.contains(&ip))
    }

    /// `IPUtils::canonicalize`: string or null.
    pub fn canonicalize(addr: &Zval) -> PhpResult<Zval> {
        Ok(string_or_null(utils::canonicalize(&arg_bytes(
            addr, "$addr",
        )?)))
    }

    /// `IPUtils::prettifyIP`: string or null.
    #[php(name = "prettifyIP")]
    pub fn prettify_ip(ip: &Zval) -> PhpResult<Zval> {
        Ok(string_or_null(utils::prettify_ip(&arg_bytes(ip, "$ip")?)))
    }

    /// `IPUtils::isPublic`.
    pub fn is_public(ip: &Zval) -> PhpResult<bool> {
        Ok(utils::is_public(&arg_bytes(ip, "$ip")?))
    }

    /// `IPUtils::sanitizeRange`.
    pub fn sanitize_range(range: &Zval) -> PhpResult<Zval> {
        Ok(string_zval(&utils::sanitize_range(&arg_bytes(
            range, "$range",
        )?)))
    }

    /// `IPUtils::getSubnet`: string or false.
    pub fn get_subnet(ip: &Zval) -> PhpResult<Zval> {
        Ok(string_or_false(utils::get_subnet(&arg_bytes(ip, "$ip")?)))
    }
}

extern "C" {
    /// The engine's `zend_error()`, which `trigger_error()` uses: unlike
    /// `php_error_docref`, it adds no "function(): " prefix, so the warning
    /// reads exactly as `Wikimedia\IPSet`'s.
    fn zend_error(kind: c_int, format: *const c_char, ...);
}

/// `E_USER_WARNING`.
const E_USER_WARNING: c_int = 512;

fn user_warning(message: &[u8]) {
    // zend_error's "%s" stops at a NUL byte, as PHP's display would.
    let end = message
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(message.len());
    if let Ok(text) = CString::new(&message[..end]) {
        // SAFETY: a fixed "%s" format with one NUL-terminated argument that
        // outlives the call; called on the PHP thread inside a method call.
        unsafe { zend_error(E_USER_WARNING, c"%s".as_ptr(), text.as_ptr()) };
    }
}

/// `final class WikiGuard\IPSet`: `Wikimedia\IPSet` plus `lookup()`.
#[php_class]
#[php(name = "WikiGuard\\IPSet")]
#[php(flags = ClassFlags::Final)]
pub struct IPSet {
    set: Arc<IpSet>,
}

#[php_impl]
impl IPSet {
    /// `new IPSet(array $cfg)`: bad masks raise `E_USER_WARNING` (each
    /// time, as in PHP), unparsable nets are skipped.
    pub fn __construct(cfg: &ZendHashTable) -> PhpResult<Self> {
        let cidrs = array_bytes(cfg, "each CIDR")?;
        let parts: Vec<&[u8]> = cidrs.iter().map(|c| c.as_ref()).collect();
        let set = Registry::global().get_or_build("ipset", &parts, || {
            Ok::<_, PhpException>(IpSet::new(parts.iter().copied()))
        })?;
        for warning in set.warnings() {
            user_warning(warning);
        }
        Ok(IPSet { set })
    }

    /// `IPSet::match($ip)`: strict `inet_pton` parsing.
    #[php(name = "match")]
    pub fn is_match(&self, ip: &Zval) -> PhpResult<bool> {
        Ok(self.set.contains(&arg_bytes(ip, "$ip")?))
    }

    /// The most specific entry that contains `$ip`, as given, or null.
    pub fn lookup(&self, ip: &Zval) -> PhpResult<Option<Binary<u8>>> {
        let ip = arg_bytes(ip, "$ip")?;
        Ok(self
            .set
            .lookup(&ip)
            .map(|entry| Binary::from(entry.to_vec())))
    }
}

/// `final class WikiGuard\IPReputation`: a memory-mapped MMDB reputation
/// database, shared per process and path, reloaded when replaced.
#[php_class]
#[php(name = "WikiGuard\\IPReputation")]
#[php(flags = ClassFlags::Final)]
pub struct IPReputation {
    reputation: Arc<Reputation>,
}

fn database_error(reputation: &Reputation, e: &mmdb::Error) -> PhpException {
    ErrorKind::Database.exception(format!("{}: {e}", reputation.path().display()))
}

/// An address as `inet_pton` reads it (no zone, no brackets, no padding).
fn parse_address(ip: &Zval) -> PhpResult<std::net::IpAddr> {
    let bytes = arg_bytes(ip, "$ip")?;
    match inet_pton_addr(&bytes) {
        Some(address) => Ok(address),
        None => Err(ErrorKind::InvalidInput
            .exception(format!("{} is not an IP address", quoted_prefix(&bytes)))),
    }
}

/// The longest input an error message quotes in full: the input is the
/// client's, and a message goes to logs (a 100 MB "address" once made a
/// 335 MB message).
const QUOTED_INPUT_MAX: usize = 64;

/// `'…'` around the input, or around its first `QUOTED_INPUT_MAX` bytes
/// followed by its length.
fn quoted_prefix(bytes: &[u8]) -> String {
    let shown = bytes.get(..QUOTED_INPUT_MAX).unwrap_or(bytes);
    let text = String::from_utf8_lossy(shown).replace('\0', "\\0");
    if shown.len() < bytes.len() {
        format!("'{text}…' ({} bytes)", bytes.len())
    } else {
        format!("'{text}'")
    }
}

impl IPReputation {
    fn lookup_address(&self, ip: std::net::IpAddr) -> PhpResult<Option<records::RecordArray>> {
        let database = self.reputation.database();
        let hit = match database.find(ip) {
            Ok(hit) => hit,
            Err(e) if e.kind() == mmdb::ErrorKind::Ipv6InIpv4Database => {
                return Err(ErrorKind::InvalidInput.exception(e.to_string()));
            }
            Err(e) => return Err(database_error(&self.reputation, &e)),
        };
        self.reputation.count_lookup(hit.is_some());
        let Some(hit) = hit else {
            return Ok(None);
        };
        records::record_array(&database, hit.offset, (ip, hit.prefix_len))
            .map(Some)
            .map_err(|e| database_error(&self.reputation, &e))
    }
}

#[php_impl]
impl IPReputation {
    /// Opens (once per process and path) a memory-mapped MMDB file.
    pub fn open(path: &str) -> PhpResult<IPReputation> {
        let reputation = reputation::open(
            std::path::Path::new(path),
            super::settings::reload_interval(),
        )
        .map_err(|e| ErrorKind::Database.exception(e.to_string()))?;
        Ok(IPReputation { reputation })
    }

    /// The database named by INI `wikiguard.reputation_db`, or null.
    pub fn configured() -> PhpResult<Option<IPReputation>> {
        match super::settings::reputation_db() {
            Some(path) => IPReputation::open(&path).map(Some),
            None => Ok(None),
        }
    }

    /// The record of `$ip` plus `network` (the matching CIDR), or null.
    pub fn lookup(&self, ip: &Zval) -> PhpResult<Option<records::RecordArray>> {
        self.lookup_address(parse_address(ip)?)
    }

    /// `lookup()` of each address, keyed by the address as given.
    pub fn lookup_many(&self, ips: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for ip in array_values(ips) {
            let key = arg_bytes(ip, "each of $ips")?.into_owned();
            let record = self.lookup_address(parse_address(ip)?)?;
            out.insert(String::from_utf8_lossy(&key).as_ref(), record)?;
        }
        Ok(out)
    }

    /// The database's metadata map, decoded.
    pub fn metadata(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let database = self.reputation.database();
        match database.raw_metadata() {
            Ok(metadata) => records::value_array(&metadata)
                .ok_or_else(|| ErrorKind::Database.exception("metadata is not a map")),
            Err(e) => Err(database_error(&self.reputation, &e)),
        }
    }

    /// Counters and reload state.
    pub fn stats(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let database = self.reputation.database();
        let stats = self.reputation.stats();
        let meta = database.metadata();
        let mut array = ZendHashTable::new();
        array.insert("path", stats.path.display().to_string())?;
        array.insert("database_type", meta.database_type.clone())?;
        array.insert("build_epoch", meta.build_epoch as i64)?;
        array.insert("file_size", database.file_size() as i64)?;
        array.insert("node_count", i64::from(meta.node_count))?;
        array.insert("record_size", i64::from(meta.record_size))?;
        array.insert("ip_version", i64::from(meta.ip_version))?;
        array.insert("loaded_at", stats.loaded_at as i64)?;
        array.insert("reload_interval", stats.reload_interval.as_secs_f64())?;
        array.insert("lookups", stats.lookups as i64)?;
        array.insert("found", stats.found as i64)?;
        array.insert("reloads", stats.reloads as i64)?;
        array.insert("reload_refusals", stats.refusals as i64)?;
        let mut refusal = Zval::new();
        match stats.last_refusal {
            Some(reason) => refusal = string_zval(reason.as_bytes()),
            None => refusal.set_null(),
        }
        array.insert("last_refusal", refusal)?;
        Ok(array)
    }
}

/// The `phpinfo()` rows of the reputation databases this process opened.
pub fn print_info() {
    use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};
    let open = reputation::all_open();
    if open.is_empty() {
        return;
    }
    info_table_start!();
    info_table_header!("IP reputation database", "state");
    for reputation in open {
        let stats = reputation.stats();
        let database = reputation.database();
        let state = format!(
            "{} built {}; {} lookups, {} reloads, {} refused{}",
            database.metadata().database_type,
            database.metadata().build_epoch,
            stats.lookups,
            stats.reloads,
            stats.refusals,
            stats
                .last_refusal
                .map(|r| format!(" (last: {r})"))
                .unwrap_or_default()
        );
        info_table_row!(
            stats.path.display().to_string().replace('\0', " "),
            state.replace('\0', " ")
        );
    }
    info_table_end!();
}
