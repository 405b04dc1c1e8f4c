//! The PHP built-ins that IPUtils and IPSet lean on, reproduced byte for
//! byte: `ip2long`/`inet_pton` (glibc's parsers), `is_numeric` and PHP 8's
//! comparison of two strings, `Wikimedia\base_convert`, `trim`, and the
//! anchoring of `preg_match('/^…$/')`, whose `$` also matches before one
//! final newline.
//!
//! Where PHP throws `ValueError` (a NUL byte given to `ip2long` or
//! `inet_pton`), these functions answer "invalid" instead: attacker input
//! must not turn into an exception the caller did not expect.

pub use crate::php_strings::{compare_strings, numeric, Numeric};

/// A PHP value as IPUtils returns it: the difference between `false`,
/// `null`, an int and a string is part of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhpValue {
    /// `false`.
    False,
    /// `null`.
    Null,
    /// An `int`.
    Int(i64),
    /// A (byte) string.
    Str(Vec<u8>),
}

impl PhpValue {
    /// A string value from anything byte-like.
    pub fn str(bytes: impl Into<Vec<u8>>) -> Self {
        PhpValue::Str(bytes.into())
    }

    /// The value as PHP's `(string)` cast gives it (`false` and `null` are
    /// `""`).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PhpValue::False | PhpValue::Null => Vec::new(),
            PhpValue::Int(n) => n.to_string().into_bytes(),
            PhpValue::Str(s) => s.clone(),
        }
    }
}

/// Whether `^X$` (no `D` modifier) matches `s`, given a matcher `x` for the
/// whole of `X`: PCRE's `$` also matches before a final `"\n"`.
pub fn anchored(s: &[u8], x: impl Fn(&[u8]) -> bool) -> bool {
    x(s) || matches!(s.split_last(), Some((b'\n', rest)) if x(rest))
}

/// PHP's `trim()` with its default characters `" \t\n\r\0\x0B"`.
pub fn trim(s: &[u8]) -> &[u8] {
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0B);
    let start = s.iter().position(|b| !is_ws(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !is_ws(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// glibc `inet_pton(AF_INET)`: four decimal octets, no leading zeros, no
/// other characters. A NUL byte makes the input invalid (PHP would throw).
pub fn inet_pton4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut octets = 0usize;
    let mut saw_digit = false;
    let mut current: u32 = 0;
    for &ch in s {
        match ch {
            b'0'..=b'9' => {
                if saw_digit && current == 0 {
                    return None;
                }
                current = current * 10 + u32::from(ch - b'0');
                if current > 255 {
                    return None;
                }
                if !saw_digit {
                    octets += 1;
                    if octets > 4 {
                        return None;
                    }
                    saw_digit = true;
                }
                out[octets - 1] = current as u8;
            }
            b'.' if saw_digit => {
                if octets == 4 {
                    return None;
                }
                saw_digit = false;
                current = 0;
            }
            _ => return None,
        }
    }
    (octets == 4 && saw_digit).then_some(out)
}

/// PHP's `ip2long()` on a 64-bit build: the address as an unsigned value,
/// or `None` where PHP returns `false` (or throws, for a NUL byte).
pub fn ip2long(s: &[u8]) -> Option<i64> {
    inet_pton4(s).map(|o| i64::from(u32::from_be_bytes(o)))
}

/// glibc `inet_pton(AF_INET6)`, including an embedded dotted IPv4 tail.
pub fn inet_pton6(s: &[u8]) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let mut tp = 0usize;
    let mut colon_at: Option<usize> = None;
    let mut src = 0usize;
    if s.is_empty() {
        return None;
    }
    if s[0] == b':' {
        src = 1;
        if s.get(1) != Some(&b':') {
            return None;
        }
    }
    let mut token_start = src;
    let mut digits = 0;
    let mut value: u32 = 0;
    while src < s.len() {
        let ch = s[src];
        src += 1;
        let d = u32::from(HEX_DIGITS[usize::from(ch)]);
        if d < 16 {
            if digits == 4 {
                return None;
            }
            value = (value << 4) | d;
            digits += 1;
            continue;
        }
        if ch == b':' {
            token_start = src;
            if digits == 0 {
                if colon_at.is_some() {
                    return None;
                }
                colon_at = Some(tp);
                continue;
            } else if src == s.len() {
                return None;
            }
            if tp + 2 > 16 {
                return None;
            }
            out[tp] = (value >> 8) as u8;
            out[tp + 1] = value as u8;
            tp += 2;
            digits = 0;
            value = 0;
            continue;
        }
        if ch == b'.' && tp + 4 <= 16 {
            let v4 = inet_pton4(&s[token_start..])?;
            out[tp..tp + 4].copy_from_slice(&v4);
            tp += 4;
            digits = 0;
            break;
        }
        return None;
    }
    if digits > 0 {
        if tp + 2 > 16 {
            return None;
        }
        out[tp] = (value >> 8) as u8;
        out[tp + 1] = value as u8;
        tp += 2;
    }
    if let Some(colon) = colon_at {
        if tp == 16 {
            return None;
        }
        let n = tp - colon;
        out.copy_within(colon..tp, 16 - n);
        out[colon..16 - n].fill(0);
        tp = 16;
    }
    (tp == 16).then_some(out)
}

/// PHP's `inet_pton()`: IPv6 when the string has a `:`, IPv4 when it has a
/// `.`, else invalid.
pub fn inet_pton(s: &[u8]) -> Option<Vec<u8>> {
    Some(match inet_pton_addr(s)? {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
    })
}

/// [`inet_pton`] as an address, without allocating.
pub fn inet_pton_addr(s: &[u8]) -> Option<std::net::IpAddr> {
    // One pass instead of three `contains`: this runs on every lookup.
    let (mut colon, mut dot) = (false, false);
    for &b in s {
        match b {
            0 => return None,
            b':' => colon = true,
            b'.' => dot = true,
            _ => {}
        }
    }
    if colon {
        inet_pton6(s).map(std::net::IpAddr::from)
    } else if dot {
        inet_pton4(s).map(std::net::IpAddr::from)
    } else {
        None
    }
}

/// The value of each byte as a hex digit, 0xFF for the others.
const HEX_DIGITS: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// `Wikimedia\base_convert($input, $from, $to, $pad, $lowercase)` for the
/// bases IPUtils uses (2, 10, 16): `None` (PHP `false`) unless the input
/// is one or more digits of `from` (plus the `$` newline allowance).
pub fn base_convert(
    input: &[u8],
    from: u32,
    to: u32,
    pad: usize,
    lowercase: bool,
) -> Option<Vec<u8>> {
    let digits_ok = |s: &[u8]| !s.is_empty() && s.iter().all(|&c| (c as char).is_digit(from));
    if !anchored(input, digits_ok) {
        return None;
    }
    let body = input
        .strip_suffix(b"\n")
        .filter(|b| digits_ok(b))
        .unwrap_or(input);
    // Big-number long division on base-`to` limbs: inputs are at most 128
    // bits, so a digit vector is plenty.
    let mut value: Vec<u32> = Vec::new(); // little-endian digits in base `to`
    for &c in body {
        let d = (c as char).to_digit(from).unwrap_or(0);
        let mut carry = d;
        for limb in value.iter_mut() {
            let v = *limb * from + carry;
            *limb = v % to;
            carry = v / to;
        }
        while carry > 0 {
            value.push(carry % to);
            carry /= to;
        }
    }
    let mut out: Vec<u8> = value
        .iter()
        .rev()
        .map(|&d| {
            let c = std::char::from_digit(d, to).unwrap_or('0');
            (if lowercase { c } else { c.to_ascii_uppercase() }) as u8
        })
        .collect();
    if out.is_empty() {
        out.push(b'0');
    }
    Some(str_pad_left(&out, pad, b'0'))
}

/// `str_pad($s, $len, $pad, STR_PAD_LEFT)` with a one-byte pad.
pub fn str_pad_left(s: &[u8], len: usize, pad: u8) -> Vec<u8> {
    let mut out = vec![pad; len.saturating_sub(s.len())];
    out.extend_from_slice(s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn inet_pton4_follows_glibc() {
        for (input, ok) in [
            ("1.2.3.4", true),
            ("255.255.255.255", true),
            ("0.0.0.0", true),
            ("01.2.3.4", false),
            ("1.2.3", false),
            ("1.2.3.4.", false),
            ("1.2.3.256", false),
            ("1..3.4", false),
            (" 1.2.3.4", false),
            ("", false),
        ] {
            assert_eq!(inet_pton4(input.as_bytes()).is_some(), ok, "{input}");
        }
    }

    #[test]
    fn inet_pton6_follows_glibc() {
        for (input, ok) in [
            ("::", true),
            ("::1", true),
            ("1::", true),
            ("1:2:3:4:5:6:7:8", true),
            ("1:2:3:4:5:6:7::", true),
            ("::ffff:1.2.3.4", true),
            ("1:2:3:4:5:6:1.2.3.4", true),
            ("1:2:3:4:5:6:7:8:9", false),
            (":1::", false),
            ("1::2::3", false),
            ("12345::", false),
            ("1:2:3:4:5:6:7:8::", false),
            ("::1.2.3", false),
            ("1:", false),
        ] {
            assert_eq!(inet_pton6(input.as_bytes()).is_some(), ok, "{input}");
        }
    }

    #[test]
    fn numeric_strings_follow_php8() {
        assert_eq!(numeric(b" 24"), Some(Numeric::Int(24)));
        assert_eq!(numeric(b"24 "), Some(Numeric::Int(24)));
        assert_eq!(numeric(b"2.4e1"), Some(Numeric::Float(24.0)));
        assert_eq!(numeric(b"1e"), None);
        assert_eq!(numeric(b"."), None);
        assert_eq!(numeric(b"5."), Some(Numeric::Float(5.0)));
        assert_eq!(numeric(b"0x1A"), None);
        assert_eq!(numeric(b""), None);
        assert_eq!(compare_strings(b"01020304", b"10000000"), Ordering::Less);
        assert_eq!(compare_strings(b"1E000001", b"1F000000"), Ordering::Less);
    }

    #[test]
    fn base_convert_matches_wikimedia() {
        assert_eq!(base_convert(b"ff", 16, 10, 1, true), Some(b"255".to_vec()));
        assert_eq!(
            base_convert(b"0000", 16, 2, 8, true),
            Some(b"00000000".to_vec())
        );
        assert_eq!(
            base_convert(b"255", 10, 16, 4, false),
            Some(b"00FF".to_vec())
        );
        assert_eq!(base_convert(b"xyz", 16, 10, 1, true), None);
        assert_eq!(base_convert(b"", 16, 10, 1, true), None);
    }
}
