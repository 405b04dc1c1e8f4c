//! Unicode normalization (NFC, NFKD) with the data of ICU 72.1 (Unicode
//! 15.0), the ICU of Debian 12 that PHP's `Normalizer` uses.
//!
//! A Rust normalization crate carries its own, usually newer, Unicode
//! version; characters assigned since then would compose or reorder
//! differently from `normalizer_normalize()`. The tables here are generated
//! from intl itself (see [`crate::text::tables`]), and the algorithm is the
//! one of UAX #15: full decomposition, canonical ordering, canonical
//! composition, with Hangul syllables computed.
//!
//! NFC has a fast path: text made only of characters that are "NFC-inert"
//! (NFC_QC=Yes, combining class 0, and not changed by decomposition at the
//! start) is already normal, and each inert character is a boundary across
//! which nothing composes or reorders. Only the stretches around other
//! characters are normalized; everything else is copied.

use once_cell::sync::Lazy;

use super::code_point_set::{CodePointSet, PrefixBits};
use super::tables::icu;

const HANGUL_S_BASE: u32 = 0xAC00;
const HANGUL_L_BASE: u32 = 0x1100;
const HANGUL_V_BASE: u32 = 0x1161;
const HANGUL_T_BASE: u32 = 0x11A7;
const HANGUL_L_COUNT: u32 = 19;
const HANGUL_V_COUNT: u32 = 21;
const HANGUL_T_COUNT: u32 = 28;
const HANGUL_N_COUNT: u32 = HANGUL_V_COUNT * HANGUL_T_COUNT;
const HANGUL_S_COUNT: u32 = HANGUL_L_COUNT * HANGUL_N_COUNT;

/// Combining classes by code point: a page index over 256-entry pages.
struct CombiningClasses {
    page_of: Box<[u8]>,
    pages: Vec<[u8; 256]>,
}

static COMBINING_CLASSES: Lazy<CombiningClasses> = Lazy::new(|| {
    let mut page_of = vec![0u8; 0x11_0000 >> 8].into_boxed_slice();
    let mut pages = vec![[0u8; 256]];
    for &(cp, class) in icu::COMBINING_CLASS {
        let page = &mut page_of[(cp >> 8) as usize];
        if *page == 0 {
            // Fewer than 256 pages hold a non-zero class (checked by a test).
            *page = pages.len() as u8;
            pages.push([0u8; 256]);
        }
        pages[usize::from(*page)][(cp & 0xFF) as usize] = class;
    }
    CombiningClasses { page_of, pages }
});

static NFC_INERT: Lazy<CodePointSet> = Lazy::new(|| CodePointSet::from_ranges(icu::NFC_INERT));

/// Two-byte prefixes shared by at least one character that is not
/// NFC-inert: a character with another prefix is inert without a lookup.
static NOT_ALL_INERT: Lazy<PrefixBits> = Lazy::new(|| {
    let mut bits = PrefixBits::new();
    let mut next = 0u32;
    for &(first, last) in icu::NFC_INERT {
        if first > next {
            bits.insert_range(next, first - 1);
        }
        next = last + 1;
    }
    bits.insert_range(next, 0x10_FFFF);
    bits
});

/// The canonical combining class of `cp`.
fn combining_class(cp: u32) -> u8 {
    let classes = &*COMBINING_CLASSES;
    match classes.page_of.get((cp >> 8) as usize) {
        Some(&page) => classes.pages[usize::from(page)][(cp & 0xFF) as usize],
        None => 0,
    }
}

/// Which decomposition mapping to apply.
#[derive(Clone, Copy)]
enum Mapping {
    Canonical,
    Compatibility,
}

/// Appends the full decomposition of `c` to `out`.
fn decompose_char(c: char, mapping: Mapping, out: &mut Vec<char>) {
    let cp = c as u32;
    if (HANGUL_S_BASE..HANGUL_S_BASE + HANGUL_S_COUNT).contains(&cp) {
        let index = cp - HANGUL_S_BASE;
        let jamo = [
            HANGUL_L_BASE + index / HANGUL_N_COUNT,
            HANGUL_V_BASE + (index % HANGUL_N_COUNT) / HANGUL_T_COUNT,
            HANGUL_T_BASE + index % HANGUL_T_COUNT,
        ];
        let count = if jamo[2] == HANGUL_T_BASE { 2 } else { 3 };
        out.extend(jamo[..count].iter().filter_map(|&j| char::from_u32(j)));
        return;
    }
    let table = match mapping {
        Mapping::Canonical => icu::CANONICAL_DECOMPOSITION,
        Mapping::Compatibility => icu::COMPATIBILITY_DECOMPOSITION,
    };
    match table.binary_search_by_key(&cp, |&(key, _)| key) {
        Ok(index) => out.extend(table[index].1.chars()),
        Err(_) => out.push(c),
    }
}

/// Decomposes `text` into `buffer` and puts it in canonical order.
fn decompose(text: &str, mapping: Mapping, buffer: &mut Vec<char>) {
    for c in text.chars() {
        decompose_char(c, mapping, buffer);
    }
    canonical_order(buffer);
}

/// Sorts each run of non-starters by combining class, stably.
fn canonical_order(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        if combining_class(chars[start] as u32) == 0 {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < chars.len() && combining_class(chars[end] as u32) != 0 {
            end += 1;
        }
        chars[start..end].sort_by_key(|&c| combining_class(c as u32));
        start = end;
    }
}

/// The primary composite of `first` + `second`, if there is one.
fn compose_pair(first: char, second: char) -> Option<char> {
    let (a, b) = (first as u32, second as u32);
    if (HANGUL_L_BASE..HANGUL_L_BASE + HANGUL_L_COUNT).contains(&a)
        && (HANGUL_V_BASE..HANGUL_V_BASE + HANGUL_V_COUNT).contains(&b)
    {
        let syllable = HANGUL_S_BASE
            + ((a - HANGUL_L_BASE) * HANGUL_V_COUNT + (b - HANGUL_V_BASE)) * HANGUL_T_COUNT;
        return char::from_u32(syllable);
    }
    if (HANGUL_S_BASE..HANGUL_S_BASE + HANGUL_S_COUNT).contains(&a)
        && (a - HANGUL_S_BASE).is_multiple_of(HANGUL_T_COUNT)
        && (HANGUL_T_BASE + 1..HANGUL_T_BASE + HANGUL_T_COUNT).contains(&b)
    {
        return char::from_u32(a + (b - HANGUL_T_BASE));
    }
    icu::COMPOSITION
        .binary_search_by(|&(x, y, _)| (x, y).cmp(&(a, b)))
        .ok()
        .and_then(|index| char::from_u32(icu::COMPOSITION[index].2))
}

/// Canonical composition of a decomposed, canonically ordered sequence.
fn compose(chars: &mut Vec<char>) {
    let Some(&first) = chars.first() else {
        return;
    };
    let mut starter = 0;
    // A leading non-starter composes with nothing: 256 blocks every pair.
    let mut last_class: u16 = match combining_class(first as u32) {
        0 => 0,
        _ => 256,
    };
    let mut kept = 1;
    for index in 1..chars.len() {
        let c = chars[index];
        let class = u16::from(combining_class(c as u32));
        let blocked = last_class != 0 && last_class >= class;
        if !blocked {
            if let Some(composite) = compose_pair(chars[starter], c) {
                chars[starter] = composite;
                continue;
            }
        }
        if class == 0 {
            starter = kept;
        }
        last_class = class;
        chars[kept] = c;
        kept += 1;
    }
    chars.truncate(kept);
}

/// Appends NFC of `piece` (a stretch between boundaries) to `out`.
fn nfc_piece(piece: &str, buffer: &mut Vec<char>, out: &mut String) {
    buffer.clear();
    decompose(piece, Mapping::Canonical, buffer);
    compose(buffer);
    out.extend(buffer.iter());
}

/// `normalizer_normalize($text, Normalizer::FORM_C)` for valid UTF-8.
/// Returns `None` if `text` is already in NFC (the common case), so the
/// caller can keep its own copy.
pub fn nfc(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let inert = &*NFC_INERT;
    let not_all_inert = &*NOT_ALL_INERT;
    let mut out: Option<String> = None;
    let mut buffer = Vec::new();
    // Text before `copied_up_to` is done (copied or normalized); `boundary`
    // is the start of the last inert character seen.
    let mut copied_up_to = 0;
    let mut boundary = 0;
    let mut at = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        // Below U+0300 (lead bytes up to 0xCB) every character is inert.
        if lead < 0x80 {
            boundary = at;
            at += 1;
            continue;
        }
        if !not_all_inert.contains(lead, bytes.get(at + 1).copied().unwrap_or(0)) {
            boundary = at;
            at += super::utf8::sequence_len(lead);
            continue;
        }
        let (cp, len) = super::utf8::decode_valid(bytes, at);
        if lead < 0xCC || inert.contains(cp) {
            boundary = at;
            at += len;
            continue;
        }
        // Not inert: normalize from the last boundary to the next one.
        let mut end = at + len;
        while end < bytes.len() {
            let (next, next_len) = super::utf8::decode_valid(bytes, end);
            if next < 0x300 || inert.contains(next) {
                break;
            }
            end += next_len;
        }
        let target = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
        target.push_str(&text[copied_up_to..boundary]);
        nfc_piece(&text[boundary..end], &mut buffer, target);
        copied_up_to = end;
        boundary = end;
        at = end;
    }
    let mut out = out?;
    out.push_str(&text[copied_up_to..]);
    (out != text).then_some(out)
}

/// `normalizer_normalize($text, Normalizer::FORM_KD)` for valid UTF-8.
pub fn nfkd(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut buffer = Vec::with_capacity(text.len());
    decompose(text, Mapping::Compatibility, &mut buffer);
    buffer.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nfc_of(s: &str) -> String {
        nfc(s).unwrap_or_else(|| s.to_string())
    }

    /// (input, NFC) pairs, checked against PHP's normalizer_normalize.
    const NFC_CASES: &[(&str, &str)] = &[
        ("", ""),
        ("plain ascii", "plain ascii"),
        ("e\u{301}", "\u{E9}"),
        ("\u{E9}", "\u{E9}"),
        // Canonical ordering: ccc 220 before 230.
        ("a\u{301}\u{323}", "\u{1EA1}\u{301}"),
        // A leading combining mark stays as it is.
        ("\u{301}a", "\u{301}a"),
        // Singleton and exclusion: U+212B ANGSTROM SIGN → U+00C5.
        ("\u{212B}", "\u{C5}"),
        ("\u{958}", "\u{915}\u{93C}"),
        // Hangul: conjoining jamo compose, LV + T too.
        ("\u{1100}\u{1161}", "\u{AC00}"),
        ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),
        ("\u{AC00}\u{11A8}", "\u{AC01}"),
        ("x\u{1100}\u{1161}y", "x\u{AC00}y"),
        // Blocked: a starter between.
        ("e\u{300}\u{301}", "\u{E8}\u{301}"),
        ("Привет, мир", "Привет, мир"),
        ("и\u{306}", "й"),
    ];

    #[test]
    fn nfc_table() {
        for (input, expected) in NFC_CASES {
            assert_eq!(nfc_of(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn nfc_returns_none_when_already_normal() {
        assert_eq!(nfc("abc"), None);
        assert_eq!(nfc("日本語 한국어 Ελληνικά"), None);
        assert!(nfc("e\u{301}").is_some());
    }

    #[test]
    fn nfkd_table() {
        assert_eq!(nfkd("ﬁ"), "fi");
        assert_eq!(nfkd("\u{E9}"), "e\u{301}");
        assert_eq!(nfkd("\u{AC01}"), "\u{1100}\u{1161}\u{11A8}");
        assert_eq!(nfkd("①"), "1");
        assert_eq!(nfkd("abc"), "abc");
    }

    #[test]
    fn every_code_point_below_u0300_is_inert() {
        assert_eq!(icu::NFC_INERT[0], (0, 0x2FF));
    }

    #[test]
    fn combining_classes_fit_the_page_index() {
        let pages: std::collections::HashSet<u32> = icu::COMBINING_CLASS
            .iter()
            .map(|&(cp, _)| cp >> 8)
            .collect();
        assert!(pages.len() < 255, "{} pages", pages.len());
        assert_eq!(combining_class(0x301), 230);
        assert_eq!(combining_class(0x41), 0);
        assert_eq!(combining_class(0x10_FFFF), 0);
    }
}
