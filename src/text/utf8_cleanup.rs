//! `UtfNormal\Validator::cleanUp()` of utfnormal 3.0.2, as it runs with
//! intl (`NORMALIZE_INTL`), byte for byte:
//!
//! 1. C0 controls other than tab, newline and carriage return, and the
//!    sequences of U+FFFE and U+FFFF, become U+FFFD (`replaceForNativeNormalize`,
//!    a byte-level replacement that also applies to invalid UTF-8).
//! 2. Valid UTF-8 → NFC with ICU 72.1's data ([`super::normalization::nfc`]).
//! 3. Invalid UTF-8 (where `normalizer_normalize()` fails) goes through
//!    `quickIsNFCVerify()`: each malformed sequence becomes one U+FFFD at the
//!    places that function puts them (not the WHATWG "maximal subpart"
//!    rule: a complete but overlong, surrogate or out-of-range sequence,
//!    including the old 5- and 6-byte forms, is one U+FFFD; a head byte
//!    followed by too few continuation bytes is one U+FFFD for the bytes
//!    seen; a stray continuation byte or 0xFE/0xFF is one U+FFFD each).
//!    Then, only if the text holds a character that utfnormal's own
//!    Unicode 6.0 tables mark as "maybe not NFC" or combining, NFC runs; a
//!    repaired text without such characters is returned as it is, even if
//!    ICU would have changed it — exactly like the original.

use std::borrow::Cow;

use once_cell::sync::Lazy;

use super::code_point_set::CodePointSet;
use super::normalization::nfc;
use super::tables::utfnormal;

/// U+FFFD REPLACEMENT CHARACTER in UTF-8.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

static CHECK_OR_COMBINING: Lazy<CodePointSet> =
    Lazy::new(|| CodePointSet::from_ranges(utfnormal::CHECK_OR_COMBINING));

/// `Validator::cleanUp($input)`. Borrows `input` when it is already clean
/// and in NFC.
pub fn cleanup(input: &[u8]) -> Cow<'_, [u8]> {
    let replaced = replace_for_native_normalize(input);
    match super::utf8::validate(&replaced) {
        Some(text) => match nfc(text) {
            Some(normal) => Cow::Owned(normal.into_bytes()),
            None => replaced,
        },
        None => {
            let (repaired, looks_normal) = quick_is_nfc_verify(&replaced);
            if looks_normal {
                return Cow::Owned(repaired);
            }
            match String::from_utf8(repaired) {
                Ok(text) => Cow::Owned(nfc(&text).unwrap_or(text).into_bytes()),
                // quick_is_nfc_verify always returns valid UTF-8.
                Err(e) => Cow::Owned(e.into_bytes()),
            }
        }
    }
}

/// True for the bytes `replace_for_native_normalize` has to look at: C0
/// controls other than `\t`, `\n`, `\r`, and 0xEF (U+FFFE/U+FFFF start).
const fn is_suspect(byte: u8) -> bool {
    matches!(byte, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0xEF)
}

/// True if `bytes` starts with U+FFFE or U+FFFF.
fn is_noncharacter(bytes: &[u8]) -> bool {
    matches!(bytes, [0xEF, 0xBF, 0xBE | 0xBF, ..])
}

/// The offset of the first byte `replace_for_native_normalize` replaces.
/// Blocks of 32 bytes are screened with a branch-free test (a C0 control
/// other than tab, LF, CR, or 0xEF 0xBF); only a block that fails it is
/// looked at byte by byte (U+FFC0–U+FFFD fail the screen but need nothing).
fn first_replacement(input: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut start = 0;
    for block in input.chunks(BLOCK) {
        let control = block.iter().fold(false, |hit, &b| {
            hit | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
        });
        let ef_bf = block
            .iter()
            .zip(&block[1..])
            .fold(false, |hit, (&b, &next)| {
                hit | ((b == 0xEF) & (next == 0xBF))
            });
        let across = block.last() == Some(&0xEF) && input.get(start + block.len()) == Some(&0xBF);
        let screened = control | ef_bf | across;
        if screened {
            for (offset, &byte) in block.iter().enumerate() {
                let at = start + offset;
                let replaced = match byte {
                    0xEF => is_noncharacter(&input[at..]),
                    b'\t' | b'\n' | b'\r' => false,
                    0x00..=0x1F => true,
                    _ => false,
                };
                if replaced {
                    return Some(at);
                }
            }
        }
        start += block.len();
    }
    None
}

/// `replaceForNativeNormalize()`: `preg_replace('/[\x00-\x08\x0b\x0c\x0e-\x1f]/', U+FFFD)`
/// then `str_replace([U+FFFE, U+FFFF], U+FFFD)`, both on bytes. (The two
/// passes never interact, so one pass does both.)
fn replace_for_native_normalize(input: &[u8]) -> Cow<'_, [u8]> {
    let Some(first) = first_replacement(input) else {
        return Cow::Borrowed(input);
    };
    let mut out = Vec::with_capacity(input.len() + 16);
    out.extend_from_slice(&input[..first]);
    let mut at = first;
    while at < input.len() {
        let byte = input[at];
        if !is_suspect(byte) {
            out.push(byte);
            at += 1;
        } else if byte != 0xEF {
            out.extend_from_slice(REPLACEMENT);
            at += 1;
        } else if is_noncharacter(&input[at..]) {
            out.extend_from_slice(REPLACEMENT);
            at += 3;
        } else {
            out.push(byte);
            at += 1;
        }
    }
    Cow::Owned(out)
}

/// The number of continuation bytes utfnormal expects after `head`
/// (`$tailBytes`): it still knows the 5- and 6-byte forms.
const fn tail_bytes(head: u8) -> usize {
    match head {
        0xC0..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF7 => 3,
        0xF8..=0xFB => 4,
        0xFC..=0xFD => 5,
        _ => 0,
    }
}

/// `quickIsNFCVerify()`: the repaired text and whether it "looks normal"
/// (holds no character of utfnormal's Unicode 6.0 check-or-combining set).
///
/// The original splits the text into ASCII and non-ASCII chunks; a chunk
/// ends only before an ASCII letter, which is never a continuation byte, so
/// a sequence cut by a chunk end is repaired exactly as one cut by any other
/// non-continuation byte, which is what this single pass does.
fn quick_is_nfc_verify(input: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(input.len() + 16);
    let mut looks_normal = true;
    let mut at = 0;
    while at < input.len() {
        let head = input[at];
        if head < 0x80 {
            out.push(head);
            at += 1;
            continue;
        }
        let tails = tail_bytes(head);
        if tails == 0 {
            // A continuation byte out of the blue, or 0xFE/0xFF.
            out.extend_from_slice(REPLACEMENT);
            at += 1;
            continue;
        }
        let mut end = at + 1;
        while end < input.len() && end - at <= tails && matches!(input[end], 0x80..=0xBF) {
            end += 1;
        }
        let sequence = &input[at..end];
        // Too few continuation bytes: one U+FFFD for what was seen; the
        // byte that broke the sequence is looked at again.
        if sequence.len() <= tails || !is_allowed_sequence(sequence) {
            out.extend_from_slice(REPLACEMENT);
            at = end;
            continue;
        }
        if let Some((c, _)) = super::equivset::decode_utf8(sequence) {
            if CHECK_OR_COMBINING.contains(c as u32) {
                looks_normal = false;
            }
        }
        out.extend_from_slice(sequence);
        at = end;
    }
    (out, looks_normal)
}

/// The validity checks of `quickIsNFCVerify()` on a complete sequence
/// (PHP string comparisons, which compare bytes).
fn is_allowed_sequence(sequence: &[u8]) -> bool {
    match sequence[0] {
        0xC0 | 0xC1 => false,                          // overlong
        0xE0 => sequence > b"\xE0\x9F\xBF".as_slice(), // overlong
        0xED => sequence < b"\xED\xA0\x80".as_slice(), // surrogates
        0xEF => !is_noncharacter(sequence),
        0xF0 => sequence > b"\xF0\x8F\xBF\xBF".as_slice(), // overlong
        0xF1..=0xF3 => true,
        0xF4 => sequence <= b"\xF4\x8F\xBF\xBF".as_slice(), // above U+10FFFF
        0xF5..=0xFF => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, cleanUp output), checked against utfnormal 3.0.2 with intl.
    const CASES: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"plain", b"plain"),
        (b"tab\tnl\ncr\r", b"tab\tnl\ncr\r"),
        (b"nul\0", b"nul\xEF\xBF\xBD"),
        (b"\x01\x1F\x7F", b"\xEF\xBF\xBD\xEF\xBF\xBD\x7F"),
        (b"\xEF\xBF\xBE\xEF\xBF\xBF", b"\xEF\xBF\xBD\xEF\xBF\xBD"),
        (b"a\xFFb", b"a\xEF\xBF\xBDb"),
        // Stray continuation bytes: one U+FFFD each.
        (b"\x80\x80", b"\xEF\xBF\xBD\xEF\xBF\xBD"),
        // Overlong, surrogate and out-of-range sequences: one U+FFFD each.
        (b"\xC0\x80", b"\xEF\xBF\xBD"),
        (b"\xE0\x80\x80", b"\xEF\xBF\xBD"),
        (b"\xED\xA0\x80", b"\xEF\xBF\xBD"),
        (b"\xF4\x90\x80\x80", b"\xEF\xBF\xBD"),
        (b"\xF8\x88\x80\x80\x80", b"\xEF\xBF\xBD"),
        // Truncated sequences: one U+FFFD for the bytes seen.
        (b"\xE2\x82A", b"\xEF\xBF\xBDA"),
        (b"\xE2\x82", b"\xEF\xBF\xBD"),
        // Invalid text is normalized only if utfnormal's 6.0 tables say so.
        (b"e\xCC\x81\xFF", b"\xC3\xA9\xEF\xBF\xBD"),
    ];

    #[test]
    fn cleanup_table() {
        for (input, expected) in CASES {
            assert_eq!(&*cleanup(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn clean_nfc_input_is_borrowed() {
        assert!(matches!(cleanup("Привет".as_bytes()), Cow::Borrowed(_)));
    }
}
