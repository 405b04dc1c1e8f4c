//! AbuseFilter's text functions (`FilterEvaluator`, MediaWiki 1.39), byte
//! for byte.
//!
//! | function | original |
//! |---|---|
//! | [`ccnorm`] | `html_entity_decode($s, ENT_QUOTES, 'UTF-8')`, then `Equivset::normalize` |
//! | [`norm`] | `Equivset::normalize`, then `rmdoubles`, `rmspecials`, `rmwhitespace` |
//! | [`rmspecials`] | `preg_replace('/[^\p{L}\p{N}\s]/u', '', $s)` |
//! | [`rmdoubles`] | `preg_replace('/(.)\1+/us', '\1', $s)` |
//! | [`rmwhitespace`] | `preg_replace('/\s+/u', '', $s)` |
//! | [`specialratio`] | `1 - mb_strlen(rmspecials($s)) / mb_strlen($s)`, 0 for `''` |
//! | [`sanitize`] | `html_entity_decode($s, ENT_QUOTES, 'UTF-8')`, then `Sanitizer::decodeCharReferences` |
//!
//! The character classes are PCRE2 10.42's (Unicode 14.0, UCP `\s`), not a
//! newer Unicode's: see [`crate::text::tables`].
//!
//! ## Input that is not UTF-8
//!
//! `preg_replace` with `/u` returns `null` when the subject is not valid
//! UTF-8. AbuseFilter does not check: `rmspecials`, `rmdoubles` and
//! `rmwhitespace` wrap that `null` in a string value, which every later use
//! reads as `''`; `norm` passes the `null` on to the next `preg_replace`,
//! which reads it as `''`, so `norm` returns `''`; `specialratio` computes
//! `1 - mb_strlen(null) / mb_strlen($s)` = `1.0`. The functions here return
//! `None` for the `null`, [`norm`] returns `''` and [`specialratio`] `1.0`.

use std::borrow::Cow;

use once_cell::sync::Lazy;

use super::char_references::decode_char_references;
use super::code_point_set::{ByteSet, CodePointSet, CHUNK};
use super::compact;
use super::equivset::Equivset;
use super::html_entity_decode::html_entity_decode;
use super::tables::pcre;
use super::utf8::decode_valid;

/// A PCRE2 character class: its set, plus a table for ASCII.
struct CharClass {
    set: CodePointSet,
    ascii: [bool; 128],
    /// The bytes that start a character of the class.
    lead_bytes: ByteSet,
}

impl CharClass {
    fn new(ranges: &[(u32, u32)]) -> CharClass {
        let set = CodePointSet::from_ranges(ranges);
        let mut ascii = [false; 128];
        for (cp, slot) in (0u32..).zip(ascii.iter_mut()) {
            *slot = set.contains(cp);
        }
        let mut lead_bytes = ByteSet::new();
        for &(first, last) in ranges {
            for c in (first..=last).filter_map(char::from_u32) {
                lead_bytes.insert(c.encode_utf8(&mut [0; 4]).as_bytes()[0]);
            }
        }
        CharClass {
            set,
            ascii,
            lead_bytes,
        }
    }

    #[inline]
    fn contains(&self, cp: u32) -> bool {
        match self.ascii.get(cp as usize) {
            Some(&in_class) => in_class,
            None => self.set.contains(cp),
        }
    }
}

static LETTER_NUMBER_SPACE: Lazy<CharClass> =
    Lazy::new(|| CharClass::new(pcre::LETTER_NUMBER_SPACE));
static SPACE: Lazy<CharClass> = Lazy::new(|| CharClass::new(pcre::SPACE));

/// `ccnorm($s)` with `equivset`. Borrows `input` when nothing changes.
pub fn ccnorm<'a>(equivset: &Equivset, input: &'a [u8]) -> Cow<'a, [u8]> {
    match html_entity_decode(input) {
        Cow::Borrowed(unchanged) => equivset.normalize_cow(unchanged),
        Cow::Owned(decoded) => match equivset.normalize_cow(&decoded) {
            Cow::Owned(normalized) => Cow::Owned(normalized),
            Cow::Borrowed(_) => Cow::Owned(decoded),
        },
    }
}

/// `sanitize($s)`. Borrows `input` when nothing is decoded.
pub fn sanitize(input: &[u8]) -> Cow<'_, [u8]> {
    match html_entity_decode(input) {
        Cow::Borrowed(unchanged) => decode_char_references(unchanged),
        Cow::Owned(decoded) => Cow::Owned(decode_char_references(&decoded).into_owned()),
    }
}

/// `rmspecials($s)`: keeps letters, numbers and white space. `None` where
/// `preg_replace` returns `null` (input not UTF-8).
pub fn rmspecials(input: &[u8]) -> Option<Vec<u8>> {
    let text = super::utf8::validate(input)?;
    let keep = &*LETTER_NUMBER_SPACE;
    Some(retain(text, |c| keep.contains(c)))
}

/// `rmwhitespace($s)`: drops white space. `None` where `preg_replace`
/// returns `null` (input not UTF-8).
pub fn rmwhitespace(input: &[u8]) -> Option<Vec<u8>> {
    let bytes = super::utf8::validate(input)?.as_bytes();
    // Slack for the fixed-size copies of `copy_run` and the chunk stores.
    let mut out = vec![0u8; bytes.len() + CHUNK];
    let written = remove_spaces(bytes, &mut out);
    out.truncate(written);
    Some(out)
}

/// Writes valid UTF-8 `bytes` without its \s characters to `out` (with
/// [`CHUNK`] bytes of slack) and returns the length.
fn remove_spaces(bytes: &[u8], out: &mut [u8]) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("ssse3") {
        // SAFETY: the CPU has SSSE3, checked just above.
        return unsafe { remove_spaces_ssse3(bytes, out) };
    }
    remove_spaces_with(bytes, out, &PortableChunks)
}

/// [`remove_spaces`] with the chunk operations in SSSE3.
///
/// # Safety
/// The CPU must have SSSE3.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
unsafe fn remove_spaces_ssse3(bytes: &[u8], out: &mut [u8]) -> usize {
    remove_spaces_with(bytes, out, &Ssse3Chunks)
}

/// The loop of [`remove_spaces`], 16 bytes at a time. Only a byte that
/// starts a \s character needs a look; where every such byte of a chunk is
/// ASCII (white space itself, as \s has no other one-byte characters) the
/// chunk is packed at once, else each is judged and the runs between them
/// are copied whole.
#[inline(always)]
fn remove_spaces_with(bytes: &[u8], out: &mut [u8], ops: &impl SpaceChunks) -> usize {
    let space = &*SPACE;
    let (mut written, mut at) = (0, 0);
    while let Some(chunk) = bytes
        .get(at..at + CHUNK)
        .and_then(|chunk| <&[u8; CHUNK]>::try_from(chunk).ok())
    {
        let Some(dest) = out
            .get_mut(written..written + CHUNK)
            .and_then(|dest| <&mut [u8; CHUNK]>::try_from(dest).ok())
        else {
            break;
        };
        let candidates = ops.members(&space.lead_bytes, chunk);
        if candidates == 0 {
            *dest = *chunk;
            written += CHUNK;
            at += CHUNK;
            continue;
        }
        if candidates & ops.non_ascii(chunk) == 0 {
            written += ops.compact(chunk, candidates, dest);
            at += CHUNK;
            continue;
        }
        let (chunk_at, mut candidates) = (at, candidates);
        while candidates != 0 {
            let next = chunk_at + candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if next < at {
                continue; // inside the character judged last
            }
            written = copy_run(out, written, bytes, at, next);
            at = judge_space(space, bytes, next, out, &mut written);
        }
        if at < chunk_at + CHUNK {
            written = copy_run(out, written, bytes, at, chunk_at + CHUNK);
            at = chunk_at + CHUNK;
        }
    }
    while at < bytes.len() {
        if space.lead_bytes.contains(bytes[at]) {
            at = judge_space(space, bytes, at, out, &mut written);
        } else {
            out[written] = bytes[at];
            written += 1;
            at += 1;
        }
    }
    written
}

/// The chunk operations of [`remove_spaces`], in SIMD or a byte at a time.
trait SpaceChunks {
    /// Bit `i` set if `chunk[i]` is in `set`.
    fn members(&self, set: &ByteSet, chunk: &[u8; CHUNK]) -> u32;
    /// Bit `i` set if `chunk[i]` is not ASCII.
    fn non_ascii(&self, chunk: &[u8; CHUNK]) -> u32;
    /// [`compact::compact`].
    fn compact(&self, chunk: &[u8; CHUNK], drop: u32, out: &mut [u8; CHUNK]) -> usize;
}

/// [`SpaceChunks`] a byte at a time: for any CPU, and the twin the SIMD one
/// is tested against.
struct PortableChunks;

impl SpaceChunks for PortableChunks {
    #[inline(always)]
    fn members(&self, set: &ByteSet, chunk: &[u8; CHUNK]) -> u32 {
        set.members_mask(chunk)
    }

    #[inline(always)]
    fn non_ascii(&self, chunk: &[u8; CHUNK]) -> u32 {
        chunk.iter().enumerate().fold(0, |mask, (i, &byte)| {
            mask | (u32::from(!byte.is_ascii()) << i)
        })
    }

    #[inline(always)]
    fn compact(&self, chunk: &[u8; CHUNK], drop: u32, out: &mut [u8; CHUNK]) -> usize {
        compact::compact(chunk, drop, out)
    }
}

/// [`SpaceChunks`] in SSSE3; used only where the CPU has it.
#[cfg(target_arch = "x86_64")]
struct Ssse3Chunks;

#[cfg(target_arch = "x86_64")]
impl SpaceChunks for Ssse3Chunks {
    #[inline(always)]
    fn members(&self, set: &ByteSet, chunk: &[u8; CHUNK]) -> u32 {
        // SAFETY: Ssse3Chunks is used only where the CPU has SSSE3.
        unsafe { set.members_mask_ssse3(chunk) }
    }

    #[inline(always)]
    fn non_ascii(&self, chunk: &[u8; CHUNK]) -> u32 {
        use std::arch::x86_64::*;
        // SAFETY: the load reads the 16 bytes of `chunk` (SSE2, which
        // every x86-64 CPU has).
        unsafe { _mm_movemask_epi8(_mm_loadu_si128(chunk.as_ptr().cast())) as u32 }
    }

    #[inline(always)]
    fn compact(&self, chunk: &[u8; CHUNK], drop: u32, out: &mut [u8; CHUNK]) -> usize {
        // SAFETY: as for `members`.
        unsafe { compact::compact_ssse3(chunk, drop, out) }
    }
}

/// Keeps the character at `bytes[at..]` (valid UTF-8) unless it is \s,
/// and returns the offset after it.
#[inline(always)]
fn judge_space(
    space: &CharClass,
    bytes: &[u8],
    at: usize,
    out: &mut [u8],
    written: &mut usize,
) -> usize {
    let (cp, len) = decode_valid(bytes, at);
    if !space.contains(cp) {
        out[*written..*written + len].copy_from_slice(&bytes[at..at + len]);
        *written += len;
    }
    at + len
}

/// Copies `bytes[from..to]` to `out[written..]` and returns the new end.
/// A short run is copied as one fixed 16-byte block where `bytes` has the
/// room (the bytes after the run are overwritten later or cut off), which
/// is much cheaper than a copy of variable length; `out` must have room
/// for the run and for [`CHUNK`] bytes past `written`.
#[inline(always)]
fn copy_run(out: &mut [u8], written: usize, bytes: &[u8], from: usize, to: usize) -> usize {
    let len = to - from;
    match bytes.get(from..from + CHUNK) {
        Some(block) if len <= CHUNK => out[written..written + CHUNK].copy_from_slice(block),
        _ => out[written..written + len].copy_from_slice(&bytes[from..to]),
    }
    written + len
}

/// `rmdoubles($s)`: every run of one code point becomes one. `None` where
/// `preg_replace` returns `null` (input not UTF-8).
pub fn rmdoubles(input: &[u8]) -> Option<Vec<u8>> {
    let text = super::utf8::validate(input)?;
    let mut previous = None;
    Some(retain(text, |c| previous.replace(c) != Some(c)))
}

/// `norm($s)` with `equivset`: `''` for input that is not UTF-8.
pub fn norm(equivset: &Equivset, input: &[u8]) -> Vec<u8> {
    let folded = equivset.normalize_cow(input);
    let Some(text) = super::utf8::validate(&folded) else {
        return Vec::new();
    };
    // rmdoubles, rmspecials and rmwhitespace in one pass: the doubles are
    // judged before anything is removed, as in the chain of preg_replaces.
    let (keep, space) = (&*LETTER_NUMBER_SPACE, &*SPACE);
    let mut previous = None;
    retain(text, |c| {
        previous.replace(c) != Some(c) && keep.contains(c) && !space.contains(c)
    })
}

/// `specialratio($s)`: the share of code points `rmspecials` removes; `0.0`
/// for `''`, `1.0` for input that is not UTF-8.
pub fn specialratio(input: &[u8]) -> f64 {
    if input.is_empty() {
        return 0.0;
    }
    let Some(text) = super::utf8::validate(input) else {
        return 1.0;
    };
    let keep = &*LETTER_NUMBER_SPACE;
    let bytes = text.as_bytes();
    let (mut total, mut kept, mut at) = (0usize, 0usize, 0);
    while at < bytes.len() {
        let (cp, len) = decode_valid(bytes, at);
        total += 1;
        kept += usize::from(keep.contains(cp));
        at += len;
    }
    1.0 - (kept as f64 / total as f64)
}

/// The UTF-8 of the characters (code points) of `text` that `keep`
/// accepts, in order.
///
/// Branch-free on the verdict: each character is written to the output and
/// the write position advances only if it is kept, so text whose kept and
/// dropped characters alternate unpredictably (words and spaces, letters and
/// marks) does not pay for mispredicted branches.
fn retain(text: &str, mut keep: impl FnMut(u32) -> bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = vec![0u8; bytes.len()];
    let mut written = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte < 0x80 {
            out[written] = byte;
            written += usize::from(keep(u32::from(byte)));
            at += 1;
            continue;
        }
        let (cp, len) = decode_valid(bytes, at);
        // Copies of a constant length compile to plain moves.
        match len {
            2 => out[written..written + 2].copy_from_slice(&bytes[at..at + 2]),
            3 => out[written..written + 3].copy_from_slice(&bytes[at..at + 3]),
            _ => out[written..written + 4].copy_from_slice(&bytes[at..at + 4]),
        }
        written += usize::from(keep(cp)) * len;
        at += len;
    }
    out.truncate(written);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `preg_replace('/\s+/u', '', $s)` a character at a time.
    fn reference_rmwhitespace(input: &[u8]) -> Option<Vec<u8>> {
        let text = std::str::from_utf8(input).ok()?;
        let kept: String = text
            .chars()
            .filter(|&c| !SPACE.contains(c as u32))
            .collect();
        Some(kept.into_bytes())
    }

    #[test]
    fn rmwhitespace_agrees_with_the_reference_on_random_text() {
        let pieces: Vec<String> = pcre::SPACE
            .iter()
            .flat_map(|&(first, last)| [first, last])
            .chain([
                0x08, 0x0E, 0x1F, 0x21, 0x84, 0x86, 0x9F, 0x167F, 0x2027, 0x200B, 0x3001, 0xAC00,
                0x4E00, 0x1F600,
            ])
            .filter_map(char::from_u32)
            .map(String::from)
            .chain(["word".to_string(), "слово".to_string()])
            .collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for case in 0..20_000 {
            let mut text = Vec::new();
            for _ in 0..next(60) {
                text.extend_from_slice(pieces[next(pieces.len())].as_bytes());
            }
            if case % 10 == 0 && !text.is_empty() {
                let at = next(text.len());
                text[at] = [0xFF, 0x80, 0xC3][next(3)];
            }
            let expected = reference_rmwhitespace(&text);
            assert_eq!(rmwhitespace(&text), expected, "input {text:02X?}");
            if let Some(expected) = expected {
                let mut out = vec![0u8; text.len() + CHUNK];
                let written = remove_spaces_with(&text, &mut out, &PortableChunks);
                assert_eq!(out[..written], expected[..], "portable, input {text:02X?}");
            }
        }
    }

    fn set() -> &'static Equivset {
        Equivset::bundled()
    }

    /// (input, rmspecials, rmdoubles, rmwhitespace), checked against PHP 8.2.
    const CASES: &[(&str, &str, &str, &str)] = &[
        ("", "", "", ""),
        (
            "Hello, World!",
            "Hello World",
            "Helo, World!",
            "Hello,World!",
        ),
        ("aa  bb\n\n", "aa  bb\n\n", "a b\n", "aabb"),
        ("v_i-a.g%r@a", "viagra", "v_i-a.g%r@a", "v_i-a.g%r@a"),
        // Marks are removed by rmspecials; U+00A0, U+2003 and U+0085 are \s.
        (
            "e\u{301}\u{A0}\u{2003}\u{85}",
            "e\u{A0}\u{2003}\u{85}",
            "e\u{301}\u{A0}\u{2003}\u{85}",
            "e\u{301}",
        ),
        // U+200B is not \s, and not a letter.
        ("a\u{200B}b", "ab", "a\u{200B}b", "a\u{200B}b"),
        // Unicode 15.0 letters are unknown to PCRE2 10.42 (Unicode 14.0).
        (
            "\u{1E030}\u{11F04}",
            "",
            "\u{1E030}\u{11F04}",
            "\u{1E030}\u{11F04}",
        ),
        ("Ж٣٣漢漢한", "Ж٣٣漢漢한", "Ж٣漢한", "Ж٣٣漢漢한"),
    ];

    #[test]
    fn regex_functions_table() {
        for (input, specials, doubles, whitespace) in CASES {
            let input = input.as_bytes();
            assert_eq!(
                rmspecials(input).as_deref(),
                Some(specials.as_bytes()),
                "rmspecials {input:?}"
            );
            assert_eq!(
                rmdoubles(input).as_deref(),
                Some(doubles.as_bytes()),
                "rmdoubles {input:?}"
            );
            assert_eq!(
                rmwhitespace(input).as_deref(),
                Some(whitespace.as_bytes()),
                "rmwhitespace {input:?}"
            );
        }
    }

    #[test]
    fn invalid_utf8_gives_what_abusefilter_gets() {
        let input = b"caf\xE9 !!";
        assert_eq!(rmspecials(input), None);
        assert_eq!(rmdoubles(input), None);
        assert_eq!(rmwhitespace(input), None);
        assert_eq!(norm(set(), input), b"");
        assert_eq!(specialratio(input), 1.0);
    }

    #[test]
    fn norm_and_ccnorm() {
        assert_eq!(norm(set(), b"v1@@gra  buy!!"), b"VIAGRABUY");
        assert_eq!(norm(set(), b"&amp;"), b"AMP");
        assert_eq!(*ccnorm(set(), b"v&#49;agra &amp;"), *b"VIAGRA &");
        assert_eq!(&*sanitize(b"&amp;lt;&#x41;"), b"<A");
        assert!(matches!(sanitize(b"plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn specialratio_counts_code_points() {
        assert_eq!(specialratio(b""), 0.0);
        assert_eq!(specialratio(b"ab!!"), 0.5);
        assert_eq!(specialratio("жж!".as_bytes()), 1.0 - 2.0 / 3.0);
    }
}
