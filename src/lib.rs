//! # WikiGuard
//!
//! WikiGuard is a native PHP extension that MediaWiki calls inline, with no
//! network hop, for three jobs:
//!
//! 1. **Spam-pattern matching** — the regex lists of SpamBlacklist,
//!    EmailBlacklist and TitleBlacklist, and AbuseFilter's keyword functions,
//!    on linear-time engines.
//! 2. **IP reputation lookup** — IPUtils/IPSet-compatible range checks and a
//!    memory-mapped reputation database shared by every PHP worker.
//! 3. **Input sanitization** — AbuseFilter's `ccnorm`/`norm`/`rm*`/`sanitize`,
//!    Equivset, UtfNormal clean-up and AntiSpoof, byte for byte.
//!
//! ## Layout
//!
//! This crate is a pure-Rust core that knows nothing of PHP, plus a thin
//! binding:
//!
//! | module | what it holds |
//! |---|---|
//! | [`patterns`] | spam-pattern matching: [`patterns::spam`] (SpamBlacklist, EmailBlacklist), [`patterns::title`] (TitleBlacklist), [`patterns::keywords`] (AbuseFilter keyword search) |
//! | [`php_strings`] | PHP 8's numeric strings and string comparison, shared by `ip` and `patterns` |
//! | [`registry`] | the process-wide, memory-capped cache of compiled artifacts |
//! | [`text`] | sanitization: Equivset, AbuseFilter's text functions, UtfNormal, AntiSpoof |
//! | [`ip`] | IPUtils/IPSet-compatible ranges, MMDB reputation databases (reader, writer, feeds) |
//! | `php` (feature `php`, on by default) | the ext-php-rs binding: converts values and errors, nothing else |
//!
//! The core is tested with `cargo test --no-default-features`: a test binary
//! that links ext-php-rs would need libphp at link time, which a PHP
//! extension never has. The PHP side is tested by the `.phpt` suite in
//! `php-tests/` against the built `.so`.
//!
//! ## Version
//!
//! [`VERSION`] is the extension version reported by `WikiGuard\version()`
//! and `phpinfo()`.

#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod ip;
pub mod patterns;
pub mod php_strings;
pub mod registry;
pub mod text;

#[cfg(feature = "php")]
mod php;

/// The extension version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
