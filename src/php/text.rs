//! PHP binding of the text functions (`crate::text`): converts strings and
//! errors, nothing else. Every string parameter is taken as bytes, so input
//! that is not UTF-8 reaches the core (which reproduces what the PHP
//! originals do with it) instead of raising a TypeError.

use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::{ce, ClassEntry};
use once_cell::sync::OnceCell;
use std::borrow::Cow;

use super::exceptions::ErrorKind;
use super::settings;
use crate::text::equivset::{decode_utf8, Equivset};
use crate::text::{abusefilter, antispoof, utf8_cleanup};

/// The table named by INI `wikiguard.equivset_path`, loaded on first use,
/// once per process; the error message if it could not be loaded.
static CONFIGURED_EQUIVSET: OnceCell<Result<Equivset, String>> = OnceCell::new();

/// The active Equivset table. A configured table that failed to load makes
/// every function that needs it throw (rather than silently falling back to
/// the older bundled table); `phpinfo()` shows the error too.
fn active_equivset() -> PhpResult<&'static Equivset> {
    let path = &settings::get().equivset_path;
    if path.is_empty() {
        return Ok(Equivset::bundled());
    }
    CONFIGURED_EQUIVSET
        .get_or_init(|| load_equivset(path))
        .as_ref()
        .map_err(|message| ErrorKind::Base.exception(message.clone()))
}

fn load_equivset(path: &str) -> Result<Equivset, String> {
    let json = std::fs::read(path).map_err(|e| format!("wikiguard.equivset_path {path}: {e}"))?;
    Equivset::from_json(&json, format!("file:{path}"))
        .map_err(|e| format!("wikiguard.equivset_path {path}: {}", e.message()))
}

/// The `phpinfo()` row of the Equivset table: its version or the error.
pub fn equivset_info() -> String {
    match active_equivset() {
        Ok(set) => format!("{} ({} mappings)", set.version(), set.len()),
        Err(_) => CONFIGURED_EQUIVSET
            .get()
            .and_then(|loaded| loaded.as_ref().err())
            .map_or_else(String::new, |message| format!("error: {message}")),
    }
}

fn php_string(bytes: impl Into<Vec<u8>>) -> Binary<u8> {
    Binary::new(bytes)
}

/// A string argument as bytes that keeps its zval, so that a result equal to
/// the argument can be returned as the same PHP string, without a copy.
pub struct StringArg<'a> {
    zval: &'a Zval,
    bytes: &'a [u8],
}

impl<'a> FromZval<'a> for StringArg<'a> {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let bytes = zval.zend_str()?.as_bytes();
        Some(StringArg { zval, bytes })
    }
}

/// A string result: the argument itself when the function left it as it
/// was (the common case for clean text), else new bytes.
pub enum StringResult {
    Unchanged(Zval),
    New(Vec<u8>),
}

impl StringResult {
    fn of(arg: &StringArg<'_>, result: Cow<'_, [u8]>) -> StringResult {
        match result {
            Cow::Borrowed(bytes) if std::ptr::eq(bytes, arg.bytes) => {
                StringResult::Unchanged(arg.zval.shallow_clone())
            }
            other => StringResult::New(other.into_owned()),
        }
    }
}

impl IntoZval for StringResult {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        match self {
            StringResult::Unchanged(same) => *zv = same,
            StringResult::New(bytes) => zv.set_binary(bytes),
        }
        Ok(())
    }
}

/// `WikiGuard\equivset_normalize(string $s): string`
#[php_function]
#[php(name = "WikiGuard\\equivset_normalize")]
pub fn equivset_normalize(s: StringArg<'_>) -> PhpResult<StringResult> {
    Ok(StringResult::of(
        &s,
        active_equivset()?.normalize_cow(s.bytes),
    ))
}

/// `WikiGuard\equivset_version(): string`
#[php_function]
#[php(name = "WikiGuard\\equivset_version")]
pub fn equivset_version() -> PhpResult<String> {
    Ok(active_equivset()?.version().to_string())
}

/// `WikiGuard\ccnorm(string $s): string`
#[php_function]
#[php(name = "WikiGuard\\ccnorm")]
pub fn ccnorm(s: StringArg<'_>) -> PhpResult<StringResult> {
    Ok(StringResult::of(
        &s,
        abusefilter::ccnorm(active_equivset()?, s.bytes),
    ))
}

/// `WikiGuard\norm(string $s): string`
#[php_function]
#[php(name = "WikiGuard\\norm")]
pub fn norm(s: BinarySlice<u8>) -> PhpResult<Binary<u8>> {
    Ok(php_string(abusefilter::norm(active_equivset()?, &s)))
}

/// `WikiGuard\rmspecials(string $s): string` (`''` for invalid UTF-8)
#[php_function]
#[php(name = "WikiGuard\\rmspecials")]
pub fn rmspecials(s: BinarySlice<u8>) -> Binary<u8> {
    php_string(abusefilter::rmspecials(&s).unwrap_or_default())
}

/// `WikiGuard\rmdoubles(string $s): string` (`''` for invalid UTF-8)
#[php_function]
#[php(name = "WikiGuard\\rmdoubles")]
pub fn rmdoubles(s: BinarySlice<u8>) -> Binary<u8> {
    php_string(abusefilter::rmdoubles(&s).unwrap_or_default())
}

/// `WikiGuard\rmwhitespace(string $s): string` (`''` for invalid UTF-8)
#[php_function]
#[php(name = "WikiGuard\\rmwhitespace")]
pub fn rmwhitespace(s: BinarySlice<u8>) -> Binary<u8> {
    php_string(abusefilter::rmwhitespace(&s).unwrap_or_default())
}

/// `WikiGuard\specialratio(string $s): float`
#[php_function]
#[php(name = "WikiGuard\\specialratio")]
pub fn specialratio(s: BinarySlice<u8>) -> f64 {
    abusefilter::specialratio(&s)
}

/// `WikiGuard\sanitize(string $s): string`
#[php_function]
#[php(name = "WikiGuard\\sanitize")]
pub fn sanitize(s: StringArg<'_>) -> StringResult {
    StringResult::of(&s, abusefilter::sanitize(s.bytes))
}

/// `WikiGuard\utf8_cleanup(string $s): string`
#[php_function]
#[php(name = "WikiGuard\\utf8_cleanup")]
pub fn utf8_cleanup(s: StringArg<'_>) -> StringResult {
    StringResult::of(&s, utf8_cleanup::cleanup(s.bytes))
}

/// `WikiGuard\antispoof_check(string $name): array`
#[php_function]
#[php(name = "WikiGuard\\antispoof_check")]
pub fn antispoof_check(name: BinarySlice<u8>) -> PhpResult<ZBox<ZendHashTable>> {
    let result = antispoof::check_unicode_string(active_equivset()?, &name);
    let mut array = ZendHashTable::new();
    array.insert("ok", result.is_ok())?;
    array.insert(
        "normalized",
        result.as_ref().ok().map(|v| php_string(v.as_slice())),
    )?;
    array.insert(
        "error",
        result.err().map(antispoof::SpoofError::message_key),
    )?;
    Ok(array)
}

/// `WikiGuard\Equivset`: `Wikimedia\Equivset\Equivset` over the active
/// table.
#[php_class]
#[php(name = "WikiGuard\\Equivset")]
#[php(flags = ClassFlags::Final)]
pub struct PhpEquivset {
    table: &'static Equivset,
}

/// The exception `Equivset::get()` throws for an unknown character.
fn logic_exception(message: &str) -> PhpException {
    let class: &'static ClassEntry =
        ClassEntry::try_find("LogicException").unwrap_or_else(ce::exception);
    PhpException::new(message.to_string(), 0, class)
}

/// The one code point `key` is, if it is exactly one.
fn single_char(key: &[u8]) -> Option<char> {
    decode_utf8(key)
        .filter(|&(_, len)| len == key.len())
        .map(|(c, _)| c)
}

#[php_impl]
impl PhpEquivset {
    /// Uses the active table (bundled, or `wikiguard.equivset_path`).
    pub fn __construct() -> PhpResult<Self> {
        Ok(PhpEquivset {
            table: active_equivset()?,
        })
    }

    /// `strtr($value, $this->all())`.
    pub fn normalize(&self, value: BinarySlice<u8>) -> Binary<u8> {
        php_string(self.table.normalize(&value))
    }

    /// `normalize($str1) === normalize($str2)`.
    pub fn is_equal(&self, str1: BinarySlice<u8>, str2: BinarySlice<u8>) -> bool {
        self.table.normalize_cow(&str1) == self.table.normalize_cow(&str2)
    }

    /// True if `$key` is a character of the table.
    pub fn has(&self, key: BinarySlice<u8>) -> bool {
        single_char(&key).is_some_and(|c| self.table.get(c).is_some())
    }

    /// The equivalent of `$key`; `LogicException` if it has none.
    pub fn get(&self, key: BinarySlice<u8>) -> PhpResult<Binary<u8>> {
        single_char(&key)
            .and_then(|c| self.table.get(c))
            .map(|target| php_string(target.as_bytes()))
            .ok_or_else(|| logic_exception("Equivalent Character Not Found"))
    }

    /// The whole map, in the file's order; digit keys are integers, as in
    /// PHP.
    pub fn all(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut array = ZendHashTable::with_capacity(self.table.len() as u32);
        for (c, target) in self.table.entries_in_file_order() {
            match c.to_digit(10) {
                Some(digit) => array.insert_at_index(i64::from(digit), target)?,
                None => array.insert(c.encode_utf8(&mut [0; 4]) as &str, target)?,
            }
        }
        Ok(array)
    }
}

/// Registers the functions and the class.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<PhpEquivset>()
        .function(wrap_function!(equivset_normalize))
        .function(wrap_function!(equivset_version))
        .function(wrap_function!(ccnorm))
        .function(wrap_function!(norm))
        .function(wrap_function!(rmspecials))
        .function(wrap_function!(rmdoubles))
        .function(wrap_function!(rmwhitespace))
        .function(wrap_function!(specialratio))
        .function(wrap_function!(sanitize))
        .function(wrap_function!(utf8_cleanup))
        .function(wrap_function!(antispoof_check))
}
