//! IP addresses, ranges and reputation.
//!
//! | module | what it holds |
//! |---|---|
//! | [`utils`] | `Wikimedia\IPUtils` 5.0.0, method for method, plus [`utils::RangeList`] (a compiled `isInRanges`) |
//! | [`set`] | `Wikimedia\IPSet` with a most-specific-match lookup |
//! | [`php_compat`] | the PHP built-ins those two rely on (`inet_pton`, `ip2long`, `is_numeric`, …) |
//!
//! Nothing here knows about PHP the runtime: values that PHP distinguishes
//! (`false`, `null`, int, string) are modelled by [`php_compat::PhpValue`].

pub mod feeds;
pub mod mmdb;
pub mod mmdb_writer;
pub mod php_compat;
pub mod reputation;
pub mod set;
pub mod utils;
