//! `WikiGuard\KeywordSet` and `WikiGuard\contains_any()` & co.: the binding
//! of [`crate::patterns::keywords`].

use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::exceptions::ErrorKind;
use super::title::key_bytes;
use crate::patterns::keywords::{self, KeywordOptions, KeywordSet};
use crate::registry::{Artifact, Registry};

impl Artifact for KeywordSet {
    fn heap_bytes(&self) -> usize {
        KeywordSet::heap_bytes(self)
    }
}

#[php_class]
#[php(name = "WikiGuard\\KeywordSet")]
#[php(flags = ClassFlags::Final)]
pub struct PhpKeywordSet {
    set: Arc<KeywordSet>,
}

#[php_impl]
impl PhpKeywordSet {
    /// `new KeywordSet(array $needles, array $options = [])`.
    pub fn __construct(
        needles: &ZendHashTable,
        options: Option<&ZendHashTable>,
    ) -> PhpResult<Self> {
        let mut keyword_options = KeywordOptions::default();
        for (key, value) in options.into_iter().flat_map(ZendHashTable::iter) {
            match String::from_utf8_lossy(&key_bytes(&key)).as_ref() {
                "ccnorm" => keyword_options.ccnorm = value.coerce_to_bool(),
                "case_insensitive" => keyword_options.case_insensitive = value.coerce_to_bool(),
                other => {
                    return Err(ErrorKind::InvalidInput.exception(format!(
                        "KeywordSet: unknown option '{other}' (known: ccnorm, case_insensitive)"
                    )))
                }
            }
        }
        let mut list: Vec<&[u8]> = Vec::with_capacity(needles.len());
        for (position, needle) in needles.values().enumerate() {
            list.push(needle_bytes(needle).ok_or_else(|| {
                ErrorKind::InvalidInput
                    .exception(format!("KeywordSet: needle #{position} is not a string"))
            })?);
        }
        // The key: the options, then each needle with its length.
        let flags = [
            u8::from(keyword_options.ccnorm),
            u8::from(keyword_options.case_insensitive),
        ];
        let mut key: Vec<&[u8]> = Vec::with_capacity(list.len() + 1);
        key.push(&flags);
        key.extend_from_slice(&list);
        let set = Registry::global()
            .get_or_build("keywords", &key, || KeywordSet::new(&list, keyword_options))
            .map_err(|e| ErrorKind::InvalidInput.exception(format!("KeywordSet: {e}")))?;
        Ok(PhpKeywordSet { set })
    }

    /// `containsAny(string $s): bool`.
    pub fn contains_any(&self, s: BinarySlice<u8>) -> bool {
        self.set.contains_any(&s)
    }

    /// `containsAll(string $s): bool`.
    pub fn contains_all(&self, s: BinarySlice<u8>) -> bool {
        self.set.contains_all(&s)
    }

    /// `find(string $s): array` — positions of the needles present.
    pub fn find(&self, s: BinarySlice<u8>) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for position in self.set.find(&s) {
            out.push(position as i64)?;
        }
        Ok(out)
    }
}

fn needle_bytes(needle: &Zval) -> Option<&[u8]> {
    needle.zend_str().map(|s| s.as_bytes())
}

/// `WikiGuard\contains_any(string $haystack, string ...$needles): bool`.
#[php_function]
#[php(name = "WikiGuard\\contains_any")]
pub fn contains_any(haystack: BinarySlice<u8>, needles: &[BinarySlice<u8>]) -> bool {
    let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
    keywords::contains_any(&haystack, &needles)
}

/// `WikiGuard\contains_all(string $haystack, string ...$needles): bool`.
#[php_function]
#[php(name = "WikiGuard\\contains_all")]
pub fn contains_all(haystack: BinarySlice<u8>, needles: &[BinarySlice<u8>]) -> bool {
    let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
    keywords::contains_all(&haystack, &needles)
}

/// `WikiGuard\ccnorm_contains_any(string $haystack, string ...$needles): bool`.
#[php_function]
#[php(name = "WikiGuard\\ccnorm_contains_any")]
pub fn ccnorm_contains_any(haystack: BinarySlice<u8>, needles: &[BinarySlice<u8>]) -> bool {
    let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
    keywords::ccnorm_contains_any(&haystack, &needles)
}

/// `WikiGuard\ccnorm_contains_all(string $haystack, string ...$needles): bool`.
#[php_function]
#[php(name = "WikiGuard\\ccnorm_contains_all")]
pub fn ccnorm_contains_all(haystack: BinarySlice<u8>, needles: &[BinarySlice<u8>]) -> bool {
    let needles: Vec<&[u8]> = needles.iter().map(|n| &n[..]).collect();
    keywords::ccnorm_contains_all(&haystack, &needles)
}

/// Registers the keyword functions and class.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .class::<PhpKeywordSet>()
        .function(wrap_function!(contains_any))
        .function(wrap_function!(contains_all))
        .function(wrap_function!(ccnorm_contains_any))
        .function(wrap_function!(ccnorm_contains_all))
}
