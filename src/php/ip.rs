//! `WikiGuard\IPUtils`, `WikiGuard\IPSet` and `WikiGuard\IPReputation`:
//! value and error conversion around [`crate::ip`].

use std::borrow::Cow;
use std::ffi::{c_char, c_int, CString};
use std::sync::Arc;

use ext_php_rs::binary::Binary;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

use super::exceptions::ErrorKind;
use crate::ip::php_compat::PhpValue;
use crate::ip::set::IpSet;
use crate::ip::utils::{self, RangeList};
use crate::registry::{Artifact, Registry};

/// Registers the IP classes.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<IPUtils>().class::<IPSet>()
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

/// The byte strings of a PHP array of strings, in order.
fn array_bytes<'a>(array: &'a ZendHashTable, what: &str) -> PhpResult<Vec<Cow<'a, [u8]>>> {
    array.values().map(|value| arg_bytes(value, what)).collect()
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
    pub fn is_valid_range(ip_range: &Zval) -> PhpResult<bool> {
        Ok(utils::is_valid_range(&arg_bytes(ip_range, "$ipRange")?))
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
    /// list (the process-wide registry).
    pub fn is_in_ranges(ip: &Zval, ranges: &ZendHashTable) -> PhpResult<bool> {
        let ip = arg_bytes(ip, "$ip")?;
        let ranges = array_bytes(ranges, "each of $ranges")?;
        let parts: Vec<&[u8]> = ranges.iter().map(|r| r.as_ref()).collect();
        let list = Registry::global().get_or_build("ip-ranges", &parts, || {
            Ok::<_, PhpException>(RangeList::new(parts.iter().copied()))
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
