//! PHP 8's `sort()` order for strings (`SORT_REGULAR`): two numeric strings
//! compare as numbers, anything else byte by byte (`zendi_smart_strcmp`).
//! `SpamBlacklist::filter()` sorts the links before joining them, so the
//! order of its result depends on it.

use std::cmp::Ordering;

/// A PHP numeric string's value (PHP 8 rules: leading and trailing
/// whitespace allowed, no hex, integers kept exact when they fit).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Number {
    Int(i64),
    Float(f64),
}

fn numeric(text: &[u8]) -> Option<Number> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = text.iter().position(|b| !is_space(b))?;
    let end = text.iter().rposition(|b| !is_space(b))? + 1;
    let body = text.get(start..end)?;
    let mut pos = usize::from(matches!(body.first(), Some(b'+' | b'-')));
    let digits = |from: usize| {
        body.get(from..)
            .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let integer = digits(pos);
    pos += integer;
    let mut is_float = false;
    if body.get(pos) == Some(&b'.') {
        let fraction = digits(pos + 1);
        if integer == 0 && fraction == 0 {
            return None;
        }
        pos += 1 + fraction;
        is_float = true;
    } else if integer == 0 {
        return None;
    }
    if matches!(body.get(pos), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(body.get(pos + 1), Some(b'+' | b'-')));
        let exponent = digits(pos + 1 + sign);
        if exponent > 0 {
            pos += 1 + sign + exponent;
            is_float = true;
        }
    }
    if pos != body.len() {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    if !is_float {
        if let Ok(value) = text.parse::<i64>() {
            return Some(Number::Int(value));
        }
    }
    text.parse::<f64>().ok().map(Number::Float)
}

/// The order `sort()` puts two strings in.
pub fn compare(a: &[u8], b: &[u8]) -> Ordering {
    match (numeric(a), numeric(b)) {
        (Some(Number::Int(x)), Some(Number::Int(y))) => x.cmp(&y),
        (Some(x), Some(y)) => {
            let as_float = |n: Number| match n {
                Number::Int(i) => i as f64,
                Number::Float(f) => f,
            };
            as_float(x)
                .partial_cmp(&as_float(y))
                .unwrap_or(Ordering::Equal)
        }
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
            assert_eq!(compare(a, b), *expected, "{a:?} vs {b:?}");
        }
    }
}
