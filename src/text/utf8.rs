//! UTF-8 decoding for the hot loops: a checked decoder for bytes that may be
//! malformed, and an unchecked one for text already validated.

/// `bytes` as text if it is valid UTF-8 (SIMD-accelerated; the same verdict
/// as `std::str::from_utf8`).
#[inline]
pub(crate) fn validate(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// The well-formed code point at the start of `bytes` and its length, or
/// `None` (overlong forms, surrogates, values above U+10FFFF, truncated or
/// stray bytes), per the Unicode table of well-formed byte sequences.
#[inline]
pub(crate) fn decode(bytes: &[u8]) -> Option<(char, usize)> {
    let first = *bytes.first()?;
    if first < 0x80 {
        return Some((char::from(first), 1));
    }
    let (len, second_range) = match first {
        0xC2..=0xDF => (2, 0x80..=0xBF),
        0xE0 => (3, 0xA0..=0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
        0xED => (3, 0x80..=0x9F),
        0xF0 => (4, 0x90..=0xBF),
        0xF1..=0xF3 => (4, 0x80..=0xBF),
        0xF4 => (4, 0x80..=0x8F),
        _ => return None,
    };
    let sequence = bytes.get(..len)?;
    if !second_range.contains(&sequence[1]) || !sequence[2..].iter().all(|&b| b & 0xC0 == 0x80) {
        return None;
    }
    let (c, _) = decode_valid(sequence, 0);
    char::from_u32(c).map(|c| (c, len))
}

/// The length of the sequence led by `lead` in valid UTF-8 (not for
/// continuation bytes).
#[inline]
pub(crate) fn sequence_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// The code point at `bytes[at..]` and its length, for text known to be
/// valid UTF-8 (garbage in, garbage out otherwise; never out of bounds).
#[inline]
pub(crate) fn decode_valid(bytes: &[u8], at: usize) -> (u32, usize) {
    let byte = |i: usize| u32::from(bytes.get(at + i).copied().unwrap_or(0x80) & 0x3F);
    let first = u32::from(bytes[at]);
    match first {
        0x00..=0x7F => (first, 1),
        0x80..=0xDF => (((first & 0x1F) << 6) | byte(1), 2),
        0xE0..=0xEF => (((first & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3),
        _ => (
            ((first & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
            4,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_agrees_with_std_on_every_two_and_three_byte_prefix() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for c in [0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                    for d in [0x41, 0x80, 0xBF] {
                        let bytes = [a, b, c, d];
                        let expected = std::str::from_utf8(&bytes[..1])
                            .ok()
                            .or_else(|| (2..=4).find_map(|n| std::str::from_utf8(&bytes[..n]).ok()))
                            .and_then(|s| s.chars().next())
                            .map(|ch| (ch, ch.len_utf8()));
                        assert_eq!(decode(&bytes), expected, "{bytes:02X?}");
                    }
                }
            }
        }
    }

    #[test]
    fn decode_valid_round_trips() {
        for c in ['a', 'é', 'Ж', '漢', '한', '😀', '\u{10FFFF}'] {
            let s = c.to_string();
            assert_eq!(decode_valid(s.as_bytes(), 0), (c as u32, c.len_utf8()));
        }
    }
}
