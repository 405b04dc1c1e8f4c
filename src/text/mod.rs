//! Input sanitization: the text functions of AbuseFilter, Equivset,
//! UtfNormal clean-up and AntiSpoof, byte for byte.
//!
//! Every function here works on bytes, because PHP strings are bytes: input
//! that is not valid UTF-8 is handled exactly as the PHP original handles it,
//! or as its documentation says where the original fails.

pub mod equivset;
