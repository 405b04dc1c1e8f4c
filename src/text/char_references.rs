//! MediaWiki's `Sanitizer::decodeCharReferences()` (1.39), byte for byte.
//!
//! The original is a `preg_replace_callback` with the byte regex
//! `&([A-Za-z0-9\x80-\xff]+;)|&#([0-9]+);|&#[xX]([0-9A-Fa-f]+);|(&)`:
//!
//! * `&name;` → the HTML5 named reference (RemexHtml's table, with
//!   MediaWiki's aliases `&רלמ;` and `&رلم;` for `&rlm;`), or left as it is
//!   when the name is unknown;
//! * `&#N;` / `&#xH;` → the code point if `validateCodepoint()` accepts it
//!   (tab, newline, U+0020–U+007E, U+00A0–U+D7FF, U+E000–U+FFFD,
//!   U+10000–U+10FFFF), else U+FFFD — also for values too large for an
//!   integer (`intval` saturates, `hexdec` turns into a float);
//! * anything else is copied. The input is not checked for UTF-8.

use std::borrow::Cow;

use super::tables::entities::HTML5;

/// `Sanitizer::MW_ENTITY_ALIASES`.
const MW_ENTITY_ALIASES: &[(&[u8], &[u8])] =
    &[("רלמ;".as_bytes(), b"rlm;"), ("رلم;".as_bytes(), b"rlm;")];

/// U+FFFD REPLACEMENT CHARACTER in UTF-8.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// `Sanitizer::decodeCharReferences($input)`. Borrows `input` when it has
/// no `&`.
pub fn decode_char_references(input: &[u8]) -> Cow<'_, [u8]> {
    // `None` is the `(&)` alternative: the ampersand by itself.
    super::replace_references(input, decode_at)
}

/// Decodes the reference after an `&` into `out`; returns the bytes used,
/// or `None` if no alternative but the lone `&` matches.
fn decode_at(after_amp: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let run =
        |bytes: &[u8], accept: fn(u8) -> bool| bytes.iter().take_while(|&&b| accept(b)).count();
    if let Some(rest) = after_amp.strip_prefix(b"#") {
        let (digits, radix, prefix) = match rest.first() {
            Some(b'x' | b'X') => (run(&rest[1..], |b| b.is_ascii_hexdigit()), 16, 2),
            _ => (run(rest, |b| b.is_ascii_digit()), 10, 1),
        };
        let digits_start = prefix - 1;
        if digits == 0 || rest.get(digits_start + digits) != Some(&b';') {
            return None;
        }
        let code = rest[digits_start..digits_start + digits]
            .iter()
            .filter_map(|&b| char::from(b).to_digit(radix))
            .fold(0u64, |value, digit| {
                (value * u64::from(radix) + u64::from(digit)).min(u64::from(u32::MAX))
            });
        match u32::try_from(code)
            .ok()
            .filter(|&c| is_valid_codepoint(c))
            .and_then(char::from_u32)
        {
            Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            None => out.extend_from_slice(REPLACEMENT),
        }
        return Some(prefix + digits + 1);
    }
    let name_length = run(after_amp, |b| b.is_ascii_alphanumeric() || b >= 0x80);
    if name_length == 0 || after_amp.get(name_length) != Some(&b';') {
        return None;
    }
    let written = &after_amp[..=name_length];
    let name = MW_ENTITY_ALIASES
        .iter()
        .find(|(alias, _)| *alias == written)
        .map_or(written, |(_, target)| *target);
    match HTML5.binary_search_by(|&(key, _)| key.cmp(name)) {
        Ok(index) => out.extend_from_slice(HTML5[index].1.as_bytes()),
        // "&$name": an alias is replaced by the name it stands for.
        Err(_) => {
            out.push(b'&');
            out.extend_from_slice(name);
        }
    }
    Some(name_length + 1)
}

/// `Sanitizer::validateCodepoint()`.
fn is_valid_codepoint(code: u32) -> bool {
    matches!(code, 0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked against MediaWiki 1.39's Sanitizer::decodeCharReferences.
    const CASES: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"plain", b"plain"),
        (b"&amp;&lt;&apos;&nbsp;", b"&<'\xC2\xA0"),
        (b"&NotEqualTilde;", "\u{2242}\u{338}".as_bytes()),
        (b"&bogus;&amp", b"&bogus;&amp"),
        (b"&#65;&#x41;&#X41;", b"AAA"),
        (
            b"&#0;&#12;&#13;&#x7F;&#xD800;&#xFFFE;",
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}".as_bytes(),
        ),
        (
            b"&#99999999999999999999999;&#xFFFFFFFFFFFFFFFFFFFF;",
            "\u{FFFD}\u{FFFD}".as_bytes(),
        ),
        (b"&#;&#x;&;", b"&#;&#x;&;"),
        ("&רלמ;".as_bytes(), "\u{200F}".as_bytes()),
        (b"&\xFF;", b"&\xFF;"),
    ];

    #[test]
    fn decode_char_references_table() {
        for (input, expected) in CASES {
            assert_eq!(
                &*decode_char_references(input),
                *expected,
                "input {input:?}"
            );
        }
    }
}
