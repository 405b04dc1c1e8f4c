//! `WikiGuard\TitleBlacklist`: the binding of [`crate::patterns::title`].
// PHP takes parameter names from the Rust ones: `$listText`, not `$list_text`,
// so that named arguments read as the stub documents.
#![allow(non_snake_case)]

use std::sync::Arc;

use ext_php_rs::binary::Binary;
use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};

use super::exceptions::ErrorKind;
use super::settings;
use crate::patterns::title::{
    CheckFlags, EngineKind, Entry, MagicWords, Param, ParseOptions, TitleBlacklist, UsernameSources,
};
use crate::registry::{Artifact, Registry};

impl Artifact for TitleBlacklist {
    fn heap_bytes(&self) -> usize {
        TitleBlacklist::heap_bytes(self)
    }
}

/// The source name of MediaWiki:Titleblacklist in `TitleBlacklist::load()`.
const DEFAULT_SOURCE: &[u8] = b"local";

#[php_class]
#[php(name = "WikiGuard\\TitleBlacklist")]
#[php(flags = ClassFlags::Final)]
pub struct PhpTitleBlacklist {
    list: Arc<TitleBlacklist>,
    source: Vec<u8>,
}

#[php_impl]
impl PhpTitleBlacklist {
    /// `TitleBlacklist::fromText(string $listText, array $options = []):
    /// TitleBlacklist`.
    pub fn from_text(
        listText: BinarySlice<u8>,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        let list_text = listText;
        let mut source = DEFAULT_SOURCE.to_vec();
        let mut parse = ParseOptions {
            pcre_jit: settings::pcre_jit(),
            ..ParseOptions::default()
        };
        for (key, value) in options.into_iter().flat_map(ZendHashTable::iter) {
            match key_name(&key).as_str() {
                "source" => source = string_option(value, "source")?.to_vec(),
                "magic_words" => parse.magic_words = magic_word_map(value)?,
                other => {
                    return Err(ErrorKind::InvalidInput.exception(format!(
                        "TitleBlacklist::fromText(): unknown option '{other}' (known: source, magic_words)"
                    )))
                }
            }
        }
        let mut words_key = vec![u8::from(parse.pcre_jit)];
        for ((name, argument), expansion) in &parse.magic_words {
            for part in [name, argument, expansion] {
                words_key.extend_from_slice(&(part.len() as u64).to_le_bytes());
                words_key.extend_from_slice(part);
            }
        }
        let list =
            Registry::global().get_or_build("titleblacklist", &[&list_text, &words_key], || {
                Ok::<_, std::convert::Infallible>(TitleBlacklist::parse(&list_text, &parse))
            });
        let Ok(list) = list;
        Ok(PhpTitleBlacklist { list, source })
    }

    /// `TitleBlacklist::magicWords(string $listText): array` — the magic words
    /// the list uses, as `"name:argument"` strings, for the caller to expand.
    pub fn magic_words(listText: BinarySlice<u8>) -> ZBox<ZendHashTable> {
        let list_text = listText;
        let mut out = ZendHashTable::new();
        for (name, argument) in crate::patterns::title::magic_words(&list_text) {
            let mut word = name;
            word.push(b':');
            word.extend_from_slice(&argument);
            // A push only fails on a full hash table (2^31 entries).
            let _ = out.push(Binary::from(word));
        }
        out
    }

    /// `check(string $title, string $action, array $flags = []): ?array`.
    pub fn check(
        &self,
        title: BinarySlice<u8>,
        action: BinarySlice<u8>,
        flags: Option<&ZendHashTable>,
    ) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        let mut autoconfirmed = false;
        let mut username_sources = UsernameSources::All;
        let mut antispoof_normalized: Option<&[u8]> = None;
        for (key, value) in flags.into_iter().flat_map(ZendHashTable::iter) {
            match key_name(&key).as_str() {
                "autoconfirmed" => autoconfirmed = value.coerce_to_bool(),
                "username_sources" => username_sources = parse_username_sources(value)?,
                "antispoof_normalized" => {
                    antispoof_normalized = if value.is_null() {
                        None
                    } else {
                        Some(string_option(value, "antispoof_normalized")?)
                    }
                }
                other => {
                    return Err(ErrorKind::InvalidInput.exception(format!(
                        "TitleBlacklist::check(): unknown flag '{other}' (known: autoconfirmed, username_sources, antispoof_normalized)"
                    )))
                }
            }
        }
        let flags = CheckFlags {
            autoconfirmed,
            source: &self.source,
            username_sources: &username_sources,
            antispoof_normalized,
        };
        let found = self.list.check(&title, &action, &flags).map_err(|e| {
            ErrorKind::InvalidInput.exception(format!("TitleBlacklist::check(): {e}"))
        })?;
        found.map(entry_array).transpose()
    }

    /// `entries(): array` — every entry, in list order.
    pub fn entries(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for entry in self.list.entries() {
            let mut array = entry_array(entry)?;
            array.insert("raw", Binary::from(entry.raw().to_vec()))?;
            let engine = match entry.engine() {
                Some(EngineKind::Automaton) => "automaton",
                Some(EngineKind::Pcre) => "pcre",
                None => "invalid",
            };
            array.insert("engine", engine)?;
            match entry.match_error() {
                Some(message) => array.insert("error", message)?,
                None => array.insert("error", ())?,
            }
            out.push(array)?;
        }
        Ok(out)
    }

    /// `badLines(): array` — the raw lines `TitleBlacklist::validate()`
    /// reports.
    pub fn bad_lines(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for entry in self.list.bad_lines() {
            out.push(Binary::from(entry.raw().to_vec()))?;
        }
        Ok(out)
    }

    /// `fallbackLines(): array` — line numbers whose regex runs on PCRE2.
    pub fn fallback_lines(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for entry in self.list.entries() {
            if entry.engine() == Some(EngineKind::Pcre) {
                out.push(entry.line() as i64)?;
            }
        }
        Ok(out)
    }

    /// `stats(): array`.
    pub fn stats(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let entries = self.list.entries();
        let count =
            |kind: Option<EngineKind>| entries.iter().filter(|e| e.engine() == kind).count() as i64;
        let mut out = ZendHashTable::new();
        out.insert("entries", entries.len() as i64)?;
        out.insert("automaton", count(Some(EngineKind::Automaton)))?;
        out.insert("fallback", count(Some(EngineKind::Pcre)))?;
        out.insert("invalid", count(None))?;
        out.insert("bad_lines", self.list.bad_lines().count() as i64)?;
        out.insert("limit_hits", self.list.limit_hits() as i64)?;
        out.insert("bytes", self.list.heap_bytes() as i64)?;
        out.insert(
            "compile_ms",
            self.list.compile_time().as_secs_f64() * 1000.0,
        )?;
        Ok(out)
    }
}

/// `['line' => int, 'regex' => string, 'params' => array, 'errmsg' => ?string]`.
fn entry_array(entry: &Entry) -> PhpResult<ZBox<ZendHashTable>> {
    let mut params = ZendHashTable::new();
    for param in entry.params() {
        match param {
            Param::ErrMsg(message) => params.insert(param.name(), Binary::from(message.clone()))?,
            _ => params.insert(param.name(), true)?,
        }
    }
    let mut array = ZendHashTable::new();
    array.insert("line", entry.line() as i64)?;
    array.insert("regex", Binary::from(entry.regex().to_vec()))?;
    array.insert("params", params)?;
    match entry.errmsg() {
        Some(message) => array.insert("errmsg", Binary::from(message.to_vec()))?,
        None => array.insert("errmsg", ())?,
    }
    Ok(array)
}

/// An array key as PHP bytes.
pub(super) fn key_bytes(key: &ArrayKey<'_>) -> Vec<u8> {
    match key {
        ArrayKey::Long(n) => n.to_string().into_bytes(),
        ArrayKey::String(s) => s.clone().into_bytes(),
        ArrayKey::Str(s) => s.as_bytes().to_vec(),
        ArrayKey::ZendString(s) => s.as_bytes().to_vec(),
    }
}

fn key_name(key: &ArrayKey<'_>) -> String {
    String::from_utf8_lossy(&key_bytes(key)).into_owned()
}

fn string_option<'a>(value: &'a Zval, name: &str) -> PhpResult<&'a [u8]> {
    value
        .zend_str()
        .map(|s| s.as_bytes())
        .ok_or_else(|| ErrorKind::InvalidInput.exception(format!("'{name}' must be a string")))
}

/// `'magic_words' => ['ns:User talk' => 'Utilisateur', 'int:msg' => '…']`.
fn magic_word_map(value: &Zval) -> PhpResult<MagicWords> {
    let array = value
        .array()
        .ok_or_else(|| ErrorKind::InvalidInput.exception("'magic_words' must be an array"))?;
    let mut map = MagicWords::new();
    for (key, expansion) in array.iter() {
        let key = key_bytes(&key);
        let Some(colon) = key.iter().position(|&b| b == b':') else {
            return Err(ErrorKind::InvalidInput.exception(format!(
                "'magic_words' key '{}' must be 'ns:ARGUMENT' or 'int:ARGUMENT'",
                String::from_utf8_lossy(&key)
            )));
        };
        let expansion = string_option(expansion, "magic_words")?;
        map.insert(
            (key[..colon].to_vec(), key[colon + 1..].to_vec()),
            expansion.to_vec(),
        );
    }
    Ok(map)
}

/// `$wgTitleBlacklistUsernameSources`, read as `filtersNewAccounts()` reads
/// it: `'*'`, then any falsy value, then an array of names.
fn parse_username_sources(value: &Zval) -> PhpResult<UsernameSources> {
    if value.zend_str().is_some_and(|s| s.as_bytes() == b"*") {
        return Ok(UsernameSources::All);
    }
    if !value.coerce_to_bool() {
        return Ok(UsernameSources::None);
    }
    let Some(array) = value.array() else {
        return Err(ErrorKind::InvalidInput.exception(
            "'username_sources' ($wgTitleBlacklistUsernameSources) must be \"*\", false or an array",
        ));
    };
    // in_array(..., true): only strings can equal a source name.
    Ok(UsernameSources::Listed(
        array
            .values()
            .filter_map(|v| v.zend_str().map(|s| s.as_bytes().to_vec()))
            .collect(),
    ))
}

/// Registers the class.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<PhpTitleBlacklist>()
}
