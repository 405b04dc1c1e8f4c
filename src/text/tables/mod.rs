//! Character data generated from the oracle by `scripts/gen-text-tables.php`
//! (PHP 8.2.36 with PCRE2 10.42 and ICU 72.1, as in Debian 12), so that each
//! function uses the Unicode version of the PHP code it replaces: PCRE2's
//! Unicode 14.0 for the AbuseFilter regexes, ICU's Unicode 15.0 for
//! normalization, utfnormal's Unicode 6.0 for its own quick check.

#![allow(missing_docs)]

pub mod entities;
pub mod icu;
pub mod pcre;
pub mod utfnormal;
