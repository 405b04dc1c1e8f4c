//! `WikiGuard\PatternSet`: the binding of [`crate::patterns::spam`]. It only
//! converts values and errors.
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
use crate::patterns::spam::{Config, Flavor, Hit, PatternSet};
use crate::registry::Registry;

#[php_class]
#[php(name = "WikiGuard\\PatternSet")]
#[php(flags = ClassFlags::Final)]
pub struct PhpPatternSet {
    set: Arc<PatternSet>,
}

#[php_impl]
impl PhpPatternSet {
    /// `PatternSet::spam(string $listText): PatternSet`.
    pub fn spam(listText: BinarySlice<u8>) -> PhpResult<Self> {
        build(Flavor::Spam, &listText)
    }

    /// `PatternSet::email(string $listText): PatternSet`.
    pub fn email(listText: BinarySlice<u8>) -> PhpResult<Self> {
        build(Flavor::Email, &listText)
    }

    /// `filter(array $links, ?PatternSet $whitelist = null): array|false`
    /// (declared `mixed`: ext-php-rs cannot declare a union type).
    pub fn filter(
        &self,
        links: &ZendHashTable,
        whitelist: Option<&PhpPatternSet>,
    ) -> PhpResult<Zval> {
        if self.set.flavor() != Flavor::Spam {
            return Err(ErrorKind::InvalidInput.exception(
                "PatternSet::filter(): this is an email list; EmailBlacklist cannot filter links (use checkEmail())",
            ));
        }
        if whitelist.is_some_and(|w| w.set.flavor() != Flavor::Spam) {
            return Err(ErrorKind::InvalidInput.exception(
                "PatternSet::filter(): the whitelist must be a spam list (PatternSet::spam())",
            ));
        }
        let mut owned = Vec::with_capacity(links.len());
        for (key, value) in links.iter() {
            let Some(link) = value.zend_str() else {
                return Err(ErrorKind::InvalidInput.exception(format!(
                    "PatternSet::filter(): $links[{}] is {}, not a string",
                    key_text(&key),
                    php_type_name(value)
                )));
            };
            owned.push(link.as_bytes().to_vec());
        }
        let mut result = Zval::new();
        match self.set.filter(&owned, whitelist.map(|w| w.set.as_ref())) {
            None => result.set_bool(false),
            Some(hits) => {
                let mut array = ZendHashTable::new();
                for (index, text) in hits {
                    array.insert_at_index(index as i64, Binary::from(text))?;
                }
                result.set_hashtable(array);
            }
        }
        Ok(result)
    }

    /// `matches(string $text): array` — every hit with its line.
    pub fn matches(&self, text: BinarySlice<u8>) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for hit in self.set.matches(&text) {
            out.push(hit_array(hit)?)?;
        }
        Ok(out)
    }

    /// `isMatch(string $text): bool`.
    pub fn is_match(&self, text: BinarySlice<u8>) -> bool {
        self.set.is_match(&text)
    }

    /// `checkEmail(string $email, ?PatternSet $whitelist = null): bool` —
    /// `EmailBlacklist::checkUser()`: true when the address is allowed.
    pub fn check_email(&self, email: BinarySlice<u8>, whitelist: Option<&PhpPatternSet>) -> bool {
        self.set
            .check_email(&email, whitelist.map(|w| w.set.as_ref()))
    }

    /// `badLines(): array` — `SpamRegexBatch::getBadLines()`.
    pub fn bad_lines(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for line in self.set.bad_lines() {
            out.push(Binary::from(line.clone()))?;
        }
        Ok(out)
    }

    /// `fallbackLines(): array` — `[['line' => int, 'fragment' => string], …]`.
    pub fn fallback_lines(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for (line, fragment) in self.set.fallback_lines() {
            let mut entry = ZendHashTable::new();
            entry.insert("line", i64::from(line))?;
            entry.insert("fragment", Binary::from(fragment.to_vec()))?;
            out.push(entry)?;
        }
        Ok(out)
    }

    /// `count(): int` — fragments after `stripLines`.
    pub fn count(&self) -> i64 {
        self.set.len() as i64
    }

    /// `stats(): array`.
    pub fn stats(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let stats = self.set.stats();
        let mut out = ZendHashTable::new();
        out.insert("compile_ms", stats.compile_time.as_secs_f64() * 1000.0)?;
        out.insert("memory_bytes", stats.memory_bytes as i64)?;
        out.insert(
            "cache_capacity_bytes",
            self.set.config().get_cache_capacity() as i64,
        )?;
        out.insert("fragments", stats.fragments as i64)?;
        out.insert("batches", stats.batches as i64)?;
        out.insert("per_line_mode", stats.per_line_mode)?;
        out.insert("fallback_lines", stats.fallback_lines as i64)?;
        out.insert("pcre_batches", stats.pcre_batches as i64)?;
        out.insert("limit_hits", stats.limit_hits as i64)?;
        Ok(out)
    }
}

fn build(flavor: Flavor, list_text: &[u8]) -> PhpResult<PhpPatternSet> {
    let config = Config::new().pcre_jit(settings::pcre_jit());
    let set = Registry::global()
        .get_or_build(
            flavor.registry_kind(),
            &[list_text, &config.key_bytes()],
            || PatternSet::build(flavor, list_text, &config),
        )
        .map_err(|error| ErrorKind::InvalidPattern.exception(format!("PatternSet: {error}")))?;
    Ok(PhpPatternSet { set })
}

fn hit_array(hit: Hit) -> PhpResult<ZBox<ZendHashTable>> {
    let mut array = ZendHashTable::new();
    array.insert("line", i64::from(hit.line))?;
    array.insert("fragment", Binary::from(hit.fragment))?;
    array.insert("match", Binary::from(hit.matched))?;
    array.insert("offset", hit.offset as i64)?;
    Ok(array)
}

fn key_text(key: &ArrayKey) -> String {
    match key {
        ArrayKey::Long(index) => index.to_string(),
        other => format!("'{other}'"),
    }
}

/// The PHP name of a value's type, for error messages.
fn php_type_name(value: &Zval) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_bool() {
        "bool"
    } else if value.is_long() {
        "int"
    } else if value.is_double() {
        "float"
    } else if value.is_array() {
        "array"
    } else if value.is_object() {
        "object"
    } else {
        "not a string"
    }
}

/// Registers the class.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.class::<PhpPatternSet>()
}
