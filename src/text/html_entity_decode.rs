//! PHP's `html_entity_decode($s, ENT_QUOTES, 'UTF-8')` (PHP 8.2,
//! `ext/standard/html.c`, `traverse_for_entities`), byte for byte.
//!
//! * Only `&name;` of the HTML 4.01 table (252 names, case-sensitive; no
//!   `&apos;`) and numeric references are decoded; anything else is copied.
//! * Numeric references: `&#` + decimal digits, or `&#x`/`&#X` + hex digits
//!   — and, because PHP parses hex with `strtol(…, 16)`, an extra `0x`/`0X`
//!   after the `x` (`&#x0x41;` is `A`). A `;` must follow. Decoded only if
//!   the value is a tab, newline, carriage return, U+0020–U+007E,
//!   U+00A0–U+D7FF or U+E000–U+10FFFF (the HTML 4.01 rule: noncharacters
//!   are decoded, `&#0;`, other controls, DEL, C1 controls and surrogates
//!   stay as written).
//! * An `&` with fewer than three bytes after it is copied as it is.
//! * The input is not checked for UTF-8: other bytes pass through.

use std::borrow::Cow;

use once_cell::sync::Lazy;

use super::tables::entities::HTML401;

/// The longest name of the HTML 4.01 table (`thetasym`).
const NAME_MAX: usize = 8;

/// `HTML401`'s names as big-endian numbers, zero-padded on the right: they
/// sort as the names do, and a lookup compares numbers instead of calling
/// `memcmp` (which took half of `ccnorm` on wikitext).
static NAME_KEYS: Lazy<Vec<u64>> =
    Lazy::new(|| HTML401.iter().map(|(name, _)| name_key(name)).collect());

fn name_key(name: &[u8]) -> u64 {
    let mut bytes = [0u8; NAME_MAX];
    let len = name.len().min(NAME_MAX);
    bytes[..len].copy_from_slice(&name[..len]);
    u64::from_be_bytes(bytes)
}

/// `html_entity_decode($input, ENT_QUOTES, 'UTF-8')`. Borrows `input` when
/// it has no `&`.
pub fn html_entity_decode(input: &[u8]) -> Cow<'_, [u8]> {
    super::replace_references(input, |after_amp, out| {
        // PHP: `p + 3 >= lim` copies the `&`, i.e. fewer than three bytes
        // follow it.
        if after_amp.len() < 3 {
            return None;
        }
        // On `None`, the bytes the failed attempt looked at hold no `&`, so
        // copying the `&` and going on gives PHP's output.
        let (decoded, length) = decode_reference(after_amp)?;
        push_utf8(out, decoded);
        Some(length)
    })
}

/// A decoded reference: the text it stands for and the bytes it used after
/// the `&` (including the `;`).
fn decode_reference(after_amp: &[u8]) -> Option<(Decoded, usize)> {
    if let Some(rest) = after_amp.strip_prefix(b"#") {
        let (code, length) = numeric_reference(rest)?;
        return is_allowed_html401(code).then_some((Decoded::CodePoint(code), 1 + length));
    }
    // A longer name is in no table: looking further changes nothing.
    let name_length = after_amp
        .iter()
        .take(NAME_MAX + 1)
        .position(|b| !b.is_ascii_alphanumeric())?;
    if name_length == 0 || after_amp.get(name_length) != Some(&b';') {
        return None;
    }
    let index = NAME_KEYS
        .binary_search(&name_key(&after_amp[..name_length]))
        .ok()?;
    Some((Decoded::Text(HTML401[index].1), name_length + 1))
}

enum Decoded {
    CodePoint(u32),
    Text(&'static str),
}

fn push_utf8(out: &mut Vec<u8>, decoded: Decoded) {
    match decoded {
        Decoded::Text(text) => out.extend_from_slice(text.as_bytes()),
        Decoded::CodePoint(code) => {
            if let Some(c) = char::from_u32(code) {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
    }
}

/// `process_numeric_entity`: the value and the bytes used (digits, prefix
/// and `;`), or `None` if PHP does not decode it. Values saturate like
/// `strtol`, so a long run of digits is simply too large.
fn numeric_reference(rest: &[u8]) -> Option<(u32, usize)> {
    let (radix, mut at) = match rest.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let is_digit = |b: &u8| b.is_ascii_digit() || (radix == 16 && b.is_ascii_hexdigit());
    if !rest.get(at).is_some_and(is_digit) {
        return None;
    }
    // strtol with base 16 skips a "0x" prefix that is followed by a hex digit.
    if radix == 16
        && rest[at] == b'0'
        && matches!(rest.get(at + 1), Some(b'x' | b'X'))
        && rest.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        at += 2;
    }
    let mut value: u64 = 0;
    while let Some(digit) = rest.get(at).and_then(|&b| char::from(b).to_digit(radix)) {
        value = (value * u64::from(radix) + u64::from(digit)).min(u64::from(u32::MAX));
        at += 1;
    }
    if rest.get(at) != Some(&b';') || value > 0x10_FFFF {
        return None;
    }
    Some((value as u32, at + 1))
}

/// `unicode_cp_is_allowed(cp, ENT_HTML_DOC_HTML401)`.
fn is_allowed_html401(code: u32) -> bool {
    matches!(code, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0x10_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked against PHP 8.2's html_entity_decode($s, ENT_QUOTES, 'UTF-8').
    const CASES: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"no entities", b"no entities"),
        (b"&amp;&lt;&gt;&quot;", b"&<>\""),
        (b"&#39;&#039;&apos;", b"''&apos;"),
        (b"&AMP;&Amp;", b"&AMP;&Amp;"),
        (b"&amp&amp;", b"&amp&"),
        (b"&nbsp;", b"\xC2\xA0"),
        (b"&#x41;&#X42;&#65;", b"ABA"),
        (b"&#x0x41;&#X0X42;&#x0xg;", b"AB&#x0xg;"),
        (b"&#0x41;&#xx41;&#x-1;", b"&#0x41;&#xx41;&#x-1;"),
        (b"&#0;&#x7F;&#128;&#xD800;", b"&#0;&#x7F;&#128;&#xD800;"),
        (b"&#13;&#9;&#xFFFF;", b"\r\t\xEF\xBF\xBF"),
        (
            b"&#x110000;&#99999999999999999999999;",
            b"&#x110000;&#99999999999999999999999;",
        ),
        (b"&#x000000041;", b"A"),
        (b"&#65", b"&#65"),
        (b"a&b;", b"a&b;"),
        (b"&bogus;", b"&bogus;"),
        (
            b"&thetasym;&thetasymx;&thetasy;",
            b"\xCF\x91&thetasymx;&thetasy;",
        ),
        (b"&amp&amp;&;", b"&amp&&;"),
        (b"\xFF&eacute;\x00", b"\xFF\xC3\xA9\x00"),
    ];

    #[test]
    fn name_keys_sort_as_the_names() {
        assert!(NAME_KEYS.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(
            HTML401.iter().map(|(name, _)| name.len()).max(),
            Some(NAME_MAX)
        );
        for (name, text) in HTML401 {
            let reference = [b"&", *name, b";"].concat();
            assert_eq!(
                &*html_entity_decode(&reference),
                text.as_bytes(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn html_entity_decode_table() {
        for (input, expected) in CASES {
            assert_eq!(&*html_entity_decode(input), *expected, "input {input:?}");
        }
    }
}
