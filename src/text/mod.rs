//! Input sanitization: the text functions of AbuseFilter, Equivset,
//! UtfNormal clean-up and AntiSpoof, byte for byte.
//!
//! Every function here works on bytes, because PHP strings are bytes: input
//! that is not valid UTF-8 is handled exactly as the PHP original handles it,
//! or as its documentation says where the original fails.
//!
//! | module | replaces |
//! |---|---|
//! | [`equivset`] | `Wikimedia\Equivset\Equivset` (1.4.3) |
//! | [`abusefilter`] | AbuseFilter's `ccnorm`, `norm`, `rmspecials`, `rmdoubles`, `rmwhitespace`, `specialratio`, `sanitize` |
//! | [`html_entity_decode`] | PHP's `html_entity_decode($s, ENT_QUOTES, 'UTF-8')` |
//! | [`char_references`] | `Sanitizer::decodeCharReferences` |
//! | [`utf8_cleanup`] | `UtfNormal\Validator::cleanUp` (utfnormal 3.0.2 with intl) |
//! | [`normalization`] | intl's `Normalizer` NFC and NFKD (ICU 72.1) |
//! | [`antispoof`] | AntiSpoof's `checkUnicodeStringStatus` |

pub mod abusefilter;
pub mod antispoof;
pub mod char_references;
mod code_point_set;
pub mod equivset;
pub mod html_entity_decode;
pub mod normalization;
pub mod tables;
mod utf8;
pub mod utf8_cleanup;
