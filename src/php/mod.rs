//! The ext-php-rs binding: registers the module, its INI settings, its
//! `phpinfo()` section and the PHP API of every area. Each area's binding
//! lives in its own file and only converts values and errors; the logic is
//! in the core modules.

mod exceptions;
mod ip;
mod keywords;
mod patterns;
mod pinned_arrays;
mod settings;
mod text;
mod title;
mod zend;

use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};

use crate::registry::Registry;
use exceptions::ErrorKind;

/// `WikiGuard\version(): string` — the extension version.
#[php_function]
#[php(name = "WikiGuard\\version")]
pub fn version() -> &'static str {
    crate::VERSION
}

/// `WikiGuard\cache_stats(): array` — the counters of the process-wide
/// registry of compiled artifacts.
#[php_function]
#[php(name = "WikiGuard\\cache_stats")]
pub fn cache_stats() -> PhpResult<ZBox<ZendHashTable>> {
    let stats = Registry::global().stats();
    let mut array = ZendHashTable::new();
    array.insert("entries", stats.entries as i64)?;
    array.insert("bytes", stats.bytes as i64)?;
    array.insert("capacity_bytes", stats.capacity_bytes as i64)?;
    array.insert("hits", stats.hits as i64)?;
    array.insert("misses", stats.misses as i64)?;
    array.insert("evictions", stats.evictions as i64)?;
    array.insert("compile_ms", stats.compile_time.as_secs_f64() * 1000.0)?;
    Ok(array)
}

/// `WikiGuard\Internal\trigger_panic(string $message): void` — panics inside
/// Rust, to prove that a panic reaches PHP as a catchable `\Error` and the
/// worker goes on. Refused unless INI `wikiguard.test_hooks` is on.
#[php_function]
#[php(name = "WikiGuard\\Internal\\trigger_panic")]
pub fn trigger_panic(message: &str) -> PhpResult<()> {
    if !settings::get().test_hooks {
        return Err(ErrorKind::Base.exception(
            "WikiGuard\\Internal\\trigger_panic() is disabled; set wikiguard.test_hooks=1 in php.ini to enable it",
        ));
    }
    #[allow(clippy::panic)] // the whole point of this test hook
    std::panic::panic_any(message.to_string())
}

/// MINIT: registers the INI settings and applies them.
fn startup(_ty: i32, module_number: i32) -> i32 {
    settings::register(module_number);
    Registry::global().set_capacity(settings::get().cache_max_bytes);
    if exceptions::register() {
        0 // SUCCESS
    } else {
        -1 // FAILURE: "Unable to start wikiguard module"
    }
}

/// The `phpinfo()` section.
extern "C" fn module_info(_module: *mut ModuleEntry) {
    // A panic must not cross this hand-written extern "C" boundary.
    let _ = catch_unwind(AssertUnwindSafe(print_module_info));
}

fn print_module_info() {
    let stats = Registry::global().stats();
    let rows: Vec<(&str, String)> = vec![
        ("Version", crate::VERSION.to_string()),
        ("ext-php-rs", env!("WIKIGUARD_DEP_EXT_PHP_RS").to_string()),
        (
            "regex-automata",
            env!("WIKIGUARD_DEP_REGEX_AUTOMATA").to_string(),
        ),
        (
            "aho-corasick",
            env!("WIKIGUARD_DEP_AHO_CORASICK").to_string(),
        ),
        ("PCRE2", crate::patterns::spam::pcre_version()),
        ("Cache entries", stats.entries.to_string()),
        (
            "Cache bytes",
            format!("{} of {}", stats.bytes, stats.capacity_bytes),
        ),
        (
            "Cache hits / misses",
            format!("{} / {}", stats.hits, stats.misses),
        ),
        ("Cache evictions", stats.evictions.to_string()),
        ("Equivset", text::equivset_info()),
        (
            "Compile time",
            format!("{:.1} ms", stats.compile_time.as_secs_f64() * 1000.0),
        ),
    ];
    info_table_start!();
    info_table_header!("WikiGuard", "enabled");
    for (name, value) in rows {
        info_table_row!(name, value.replace('\0', " "));
    }
    info_table_end!();
    settings::print_info();
    ip::print_info();
}

#[php_module]
#[php(startup = startup)]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .function(wrap_function!(version))
        .function(wrap_function!(cache_stats))
        .function(wrap_function!(trigger_panic))
        .info_function(module_info);
    let module = patterns::register(module);
    let module = title::register(module);
    let module = keywords::register(module);
    let module = text::register(module);
    ip::register(module)
}
