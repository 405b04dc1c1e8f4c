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
mod ascii_map;
pub mod char_references;
mod code_point_set;
mod compact;
pub mod equivset;
pub mod html_entity_decode;
pub mod normalization;
pub mod tables;
mod utf8;
pub mod utf8_cleanup;

/// The scan both entity decoders share: copies `input`, replacing each `&…`
/// that `decode` recognises. `decode` gets the bytes after the `&`, appends
/// what they stand for to `out` and returns how many it used, or `None` to
/// keep the `&` as it is (the bytes after it are then scanned normally).
/// Borrows `input` when it has no `&`.
fn replace_references(
    input: &[u8],
    mut decode: impl FnMut(&[u8], &mut Vec<u8>) -> Option<usize>,
) -> std::borrow::Cow<'_, [u8]> {
    let Some(first) = memchr::memchr(b'&', input) else {
        return std::borrow::Cow::Borrowed(input);
    };
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&input[..first]);
    let mut at = first;
    while at < input.len() {
        let Some(next) = memchr::memchr(b'&', &input[at..]) else {
            out.extend_from_slice(&input[at..]);
            break;
        };
        out.extend_from_slice(&input[at..at + next]);
        at += next;
        match decode(&input[at + 1..], &mut out) {
            Some(length) => at += 1 + length,
            None => {
                out.push(b'&');
                at += 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}
