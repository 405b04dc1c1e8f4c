//! PHP 8's numeric strings and its comparison of two strings (`<=>`,
//! `sort()` with `SORT_REGULAR`, `zendi_smart_strcmp`): two numeric strings
//! compare as numbers, anything else byte by byte. IPUtils compares hex
//! bounds with it, and `SpamBlacklist::filter()` sorts links with it.

use std::cmp::Ordering;

/// A PHP numeric string's value: integer-like strings are exact, others
/// (with `.` or an exponent, or too large for an int) are floats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Numeric {
    /// An integer numeric string.
    Int(i64),
    /// A float numeric string.
    Float(f64),
}

impl Numeric {
    /// The value as a float, for comparisons.
    pub fn as_f64(self) -> f64 {
        match self {
            Numeric::Int(n) => n as f64,
            Numeric::Float(f) => f,
        }
    }

    /// PHP's `(int)` cast of the value (floats truncate; out of range or
    /// not finite gives 0, as on PHP 8 64-bit).
    pub fn to_int(self) -> i64 {
        match self {
            Numeric::Int(n) => n,
            Numeric::Float(f) if f.is_finite() && f.abs() < 9.2e18 => f.trunc() as i64,
            Numeric::Float(_) => 0,
        }
    }
}

/// PHP 8's `is_numeric()` on a string, with its value: optional leading
/// and trailing whitespace (`" \t\n\r\v\f"`), an optional sign, digits with
/// an optional fraction, an optional exponent.
pub fn numeric(s: &[u8]) -> Option<Numeric> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
    let start = s.iter().position(|&b| !is_ws(b))?;
    let end = s.iter().rposition(|&b| !is_ws(b)).map_or(start, |i| i + 1);
    let body = &s[start..end];
    let mut i = 0;
    if matches!(body.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_start = i;
    while i < body.len() && body[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut is_float = false;
    let mut frac_digits = 0;
    if i < body.len() && body[i] == b'.' {
        is_float = true;
        i += 1;
        let frac_start = i;
        while i < body.len() && body[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if i < body.len() && matches!(body[i], b'e' | b'E') {
        let mut j = i + 1;
        if matches!(body.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_start = j;
        while j < body.len() && body[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            is_float = true;
            i = j;
        }
    }
    if i != body.len() {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    if !is_float {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Numeric::Int(n));
        }
    }
    text.parse::<f64>().ok().map(Numeric::Float)
}

/// PHP 8's `$a <=> $b` for two strings: numerically when both are numeric
/// strings, else byte-wise.
pub fn compare_strings(a: &[u8], b: &[u8]) -> Ordering {
    match (numeric(a), numeric(b)) {
        (Some(Numeric::Int(x)), Some(Numeric::Int(y))) => x.cmp(&y),
        (Some(x), Some(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings_compare_as_numbers_others_as_bytes() {
        let cases: &[(&[u8], &[u8], Ordering)] = &[
            (b"10", b"9", Ordering::Greater),
            (b" 10", b"9 ", Ordering::Greater),
            (b"1e1", b"9", Ordering::Greater),
            (b"1.0", b"1", Ordering::Equal),
            (b"abc", b"abd", Ordering::Less),
            (b"ab", b"abc", Ordering::Less),
            (b"10", b"9a", Ordering::Less),
            (b"http://b", b"http://a", Ordering::Greater),
            (b".5", b"0.4", Ordering::Greater),
            (b"0x1A", b"9", Ordering::Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare_strings(a, b), *expected, "{a:?} vs {b:?}");
        }
    }
}
