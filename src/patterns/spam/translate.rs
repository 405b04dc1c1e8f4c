//! Translation of one SpamBlacklist fragment from PCRE syntax (as PHP
//! compiles it: bytes, no `/u`, caseless, multi-line) to the syntax of
//! `regex-syntax` with Unicode off, **only where the meaning is identical**.
//!
//! The translator accepts a strict subset of PCRE and says why it refuses
//! anything else:
//!
//! * [`Refusal::PcreOnly`] — a self-contained PCRE construct with no exact
//!   linear-time equivalent (look-around, atomic groups, possessive
//!   quantifiers, `^` — PCRE's multi-line `^` does not match after a final
//!   newline —, `\Z`, `\G`, large counted repetitions). The line is run by
//!   PCRE2 instead (a "fallback line"); it does not affect its neighbours.
//! * [`Refusal::Unsupported`] — anything the translator does not model
//!   (unknown escapes, option settings such as `(?-i)`, `\Q…\E`, `\c`,
//!   backreferences, verbs, unbalanced parentheses, POSIX classes). Such a
//!   construct may change how the *neighbouring* lines of a batch parse, so
//!   the whole batch is run by PCRE2 exactly as PHP builds it.
//!
//! Everything accepted parses the same way in both engines: literals are
//! bytes (non-ASCII bytes become `\xHH`, so `é+` repeats only its last byte,
//! as in PCRE without `/u`), classes are byte sets written out as `\xHH`,
//! capturing groups become non-capturing (no fragment can refer to them),
//! and `{` that does not start a PCRE2 10.42 quantifier is a literal.

use std::fmt::Write;

/// Why a fragment is not translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Self-contained PCRE-only syntax: run this line with PCRE2.
    PcreOnly,
    /// Syntax that is not modelled and may leak into neighbouring lines: run
    /// the whole batch with PCRE2.
    Unsupported,
}

/// A translated fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Translation {
    /// The fragment in `regex-syntax` syntax (to be compiled with Unicode
    /// and UTF-8 off, case-insensitive, multi-line).
    pub regex: String,
}

/// The result of scanning a fragment: its translation, or why not, plus the
/// number of PCRE capturing groups it opens (needed to find a line's own
/// group when a batch is run by PCRE2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// The translation, or the refusal.
    pub result: Result<Translation, Refusal>,
    /// Capturing groups in the PCRE fragment.
    pub captures: usize,
    /// For a [`Refusal::PcreOnly`] fragment: a linear regex that matches
    /// everything the fragment matches and possibly more (look-around
    /// removed, `\Z` and `\G` dropped, possessive and atomic made plain,
    /// large counts made unbounded). When it does not match, PCRE2 need not
    /// run.
    pub superset: Option<String>,
    /// Whether a match can contain a newline byte. When it cannot, every
    /// match lies within one line of the `"\n"`-joined links, and lines can
    /// be searched one at a time.
    pub can_match_newline: bool,
}

/// Largest repetition (product of nested counted-repetition maxima) that is
/// translated; larger ones would make the combined automaton large, so they
/// run on PCRE2.
const MAX_REPETITION: u64 = 1000;

/// Deepest group nesting that is translated (`regex-syntax` refuses more
/// than 250 levels in the combined pattern).
const MAX_DEPTH: usize = 100;

/// Scans and translates one fragment (already munged by SpamRegexBatch: `/`
/// is written `\/`).
pub fn translate(fragment: &[u8]) -> Scan {
    let mut t = Translator {
        src: fragment,
        pos: 0,
        out: String::with_capacity(fragment.len() * 2),
        pcre_only: false,
        captures: 0,
        groups: Vec::new(),
        quantifiable: false,
        group_weight: 1,
        last_weight: 1,
        newline: false,
    };
    let mut superset = None;
    let result = t.run().and_then(|()| {
        if t.pcre_only {
            superset = Some(std::mem::take(&mut t.out));
            Err(Refusal::PcreOnly)
        } else {
            Ok(Translation {
                regex: std::mem::take(&mut t.out),
            })
        }
    });
    Scan {
        result,
        captures: t.captures,
        superset,
        can_match_newline: t.newline,
    }
}

struct Translator<'a> {
    src: &'a [u8],
    pos: usize,
    out: String,
    pcre_only: bool,
    captures: usize,
    /// For each open group, the largest weight seen in its enclosing group
    /// and, for a look-around, where its output starts (it is cut from the
    /// superset on close).
    groups: Vec<(u64, Option<usize>)>,
    /// Whether the last item may take a quantifier.
    quantifiable: bool,
    /// The largest weight (product of nested repetition counts) of an item
    /// in the current group.
    group_weight: u64,
    /// The weight of the last item, which a quantifier multiplies.
    last_weight: u64,
    /// Whether some item can match `\n`.
    newline: bool,
}

/// One byte-level item of a character class.
enum ClassItem {
    Byte(u8),
    Escape(char),
}

impl Translator<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn starts_with(&self, text: &[u8]) -> bool {
        self.src
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(text))
    }

    fn run(&mut self) -> Result<(), Refusal> {
        while let Some(byte) = self.next() {
            match byte {
                b'\\' => self.escape()?,
                b'[' => self.class()?,
                b'(' => self.open_group()?,
                b')' => {
                    let (outer, look_around) = self.groups.pop().ok_or(Refusal::Unsupported)?;
                    self.last_weight = self.group_weight;
                    self.group_weight = outer.max(self.group_weight);
                    if let Some(start) = look_around {
                        // A quantified assertion is not modelled.
                        self.out.truncate(start);
                        self.quantifiable = false;
                    } else {
                        self.out.push(')');
                        self.quantifiable = true;
                    }
                }
                b'|' => {
                    self.out.push('|');
                    self.quantifiable = false;
                }
                b'*' | b'+' | b'?' => {
                    self.quantifier_start()?;
                    let _ = self.weigh(1);
                    self.out.push(byte as char);
                    self.quantifier_end()?;
                }
                b'{' => self.brace()?,
                b'.' => {
                    self.out.push('.');
                    self.item();
                }
                b'^' => {
                    self.pcre_only = true;
                    self.out.push('^');
                    self.quantifiable = false;
                }
                b'$' => {
                    self.out.push('$');
                    self.quantifiable = false;
                }
                _ => self.literal(byte),
            }
        }
        if self.groups.is_empty() {
            Ok(())
        } else {
            Err(Refusal::Unsupported)
        }
    }

    fn literal(&mut self, byte: u8) {
        push_byte(&mut self.out, byte);
        self.newline |= byte == b'\n';
        self.item();
    }

    /// Records a quantifiable single item (literal, class, escape, `.`).
    fn item(&mut self) {
        self.quantifiable = true;
        self.last_weight = 1;
    }

    fn escape(&mut self) -> Result<(), Refusal> {
        let byte = self.next().ok_or(Refusal::Unsupported)?;
        match byte {
            b'b' | b'B' | b'A' | b'z' => {
                self.out.push('\\');
                self.out.push(byte as char);
                self.quantifiable = false;
            }
            b'Z' | b'G' => {
                self.pcre_only = true;
                self.quantifiable = false;
            }
            b'd' | b'D' | b'w' | b'W' | b's' | b'S' => {
                self.out.push('\\');
                self.out.push(byte as char);
                self.newline |= class_escape_matches_newline(byte);
                self.item();
            }
            _ => {
                let value = self.escaped_byte(byte)?;
                self.literal(value);
            }
        }
        Ok(())
    }

    /// The byte an escape that stands for one byte denotes (`\n`, `\x41`,
    /// `\012`, `\.`); `first` is the byte after the backslash.
    fn escaped_byte(&mut self, first: u8) -> Result<u8, Refusal> {
        Ok(match first {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'f' => 0x0c,
            b'e' => 0x1b,
            b'a' => 0x07,
            b'x' => self.hex_escape()?,
            b'0' => {
                let mut value: u32 = 0;
                for _ in 0..2 {
                    match self.peek() {
                        Some(digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                u8::try_from(value).map_err(|_| Refusal::Unsupported)?
            }
            // Letters and digits other than the above are classes,
            // assertions, backreferences or errors in PCRE2.
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => return Err(Refusal::Unsupported),
            // Any other byte escaped stands for itself.
            other => other,
        })
    }

    fn hex_escape(&mut self) -> Result<u8, Refusal> {
        let mut value: u32 = 0;
        if self.peek() == Some(b'{') {
            self.pos += 1;
            let mut digits = 0;
            loop {
                match self.next() {
                    Some(b'}') if digits > 0 => break,
                    Some(digit) if digit.is_ascii_hexdigit() && digits < 8 => {
                        value = value * 16 + hex_value(digit);
                        digits += 1;
                    }
                    _ => return Err(Refusal::Unsupported),
                }
            }
        } else {
            for _ in 0..2 {
                match self.peek() {
                    Some(digit) if digit.is_ascii_hexdigit() => {
                        value = value * 16 + hex_value(digit);
                        self.pos += 1;
                    }
                    _ => break,
                }
            }
        }
        // Without UTF mode a code point above 0xff is an error in PCRE2.
        u8::try_from(value).map_err(|_| Refusal::Unsupported)
    }

    fn open_group(&mut self) -> Result<(), Refusal> {
        let start = self.out.len();
        let mut look_around = None;
        if self.peek() == Some(b'*') {
            return Err(Refusal::Unsupported); // (*VERB)
        }
        if self.peek() == Some(b'?') {
            self.pos += 1;
            if self.starts_with(b":") {
                self.pos += 1;
            } else if self.starts_with(b"=")
                || self.starts_with(b"!")
                || self.starts_with(b"<=")
                || self.starts_with(b"<!")
            {
                // Look-around: parsed for structure and capture counting, run
                // by PCRE2, left out of the superset.
                self.pos += if self.peek() == Some(b'<') { 2 } else { 1 };
                self.pcre_only = true;
                look_around = Some(start);
            } else if self.starts_with(b">") {
                // Atomic group: run by PCRE2; a plain group in the superset.
                self.pos += 1;
                self.pcre_only = true;
            } else if self.starts_with(b"<") || self.starts_with(b"P<") || self.starts_with(b"'") {
                self.named_group()?;
                self.captures += 1;
            } else {
                // Option settings, comments, branch reset, recursion,
                // conditionals, …
                return Err(Refusal::Unsupported);
            }
        } else {
            self.captures += 1;
        }
        if self.groups.len() >= MAX_DEPTH {
            self.pcre_only = true;
        }
        self.out.push_str("(?:");
        self.groups.push((self.group_weight, look_around));
        self.group_weight = 1;
        self.quantifiable = false;
        Ok(())
    }

    /// Skips `<name>`, `P<name>` or `'name'`. The name only labels the group;
    /// PCRE2 checks its validity when the batch compiles.
    fn named_group(&mut self) -> Result<(), Refusal> {
        if self.peek() == Some(b'P') {
            self.pos += 1;
        }
        let close = match self.next() {
            Some(b'<') => b'>',
            Some(b'\'') => b'\'',
            _ => return Err(Refusal::Unsupported),
        };
        let mut length = 0;
        loop {
            match self.next() {
                Some(byte) if byte == close && length > 0 => return Ok(()),
                Some(byte) if (byte.is_ascii_alphanumeric() || byte == b'_') && length < 32 => {
                    if length == 0 && byte.is_ascii_digit() {
                        return Err(Refusal::Unsupported);
                    }
                    length += 1;
                }
                _ => return Err(Refusal::Unsupported),
            }
        }
    }

    fn quantifier_start(&mut self) -> Result<(), Refusal> {
        if self.quantifiable {
            Ok(())
        } else {
            // "quantifier does not follow a repeatable item", or a quantified
            // assertion: not modelled.
            Err(Refusal::Unsupported)
        }
    }

    /// Applies a quantifier of the given count to the last item: a line
    /// whose nested counts multiply past [`MAX_REPETITION`] runs on PCRE2.
    /// Returns whether the line was sent to PCRE2 for it.
    fn weigh(&mut self, count: u64) -> bool {
        let weight = self.last_weight.saturating_mul(count.max(1));
        self.group_weight = self.group_weight.max(weight);
        let too_large = weight > MAX_REPETITION;
        if too_large {
            self.pcre_only = true;
        }
        too_large
    }

    /// After a quantifier: an optional lazy `?` or possessive `+`.
    fn quantifier_end(&mut self) -> Result<(), Refusal> {
        match self.peek() {
            Some(b'?') => {
                self.pos += 1;
                self.out.push('?');
            }
            Some(b'+') => {
                self.pos += 1;
                self.pcre_only = true;
            }
            _ => {}
        }
        self.quantifiable = false;
        Ok(())
    }

    /// `{n}`, `{n,}` or `{n,m}` is a quantifier; any other `{` is a literal
    /// (PCRE2 10.42).
    fn brace(&mut self) -> Result<(), Refusal> {
        let Some((min, max, length)) = counted_repetition(&self.src[self.pos..]) else {
            self.literal(b'{');
            return Ok(());
        };
        self.quantifier_start()?;
        self.pos += length;
        if max.is_some_and(|max| max < min) || min > 65535 || max.is_some_and(|max| max > 65535) {
            return Err(Refusal::Unsupported);
        }
        if self.weigh(max.unwrap_or(min)) {
            // Too large to translate: unbounded in the superset.
            self.out.push('*');
            return self.quantifier_end();
        }
        let _ = match max {
            Some(max) if max == min => write!(self.out, "{{{min}}}"),
            Some(max) => write!(self.out, "{{{min},{max}}}"),
            None => write!(self.out, "{{{min},}}"),
        };
        self.quantifier_end()
    }

    fn class(&mut self) -> Result<(), Refusal> {
        let mut out = String::from("[");
        let negated = self.peek() == Some(b'^');
        if negated {
            self.pos += 1;
            out.push('^');
        }
        let mut has_newline = false;
        let mut first = true;
        loop {
            let byte = self.next().ok_or(Refusal::Unsupported)?;
            if byte == b']' && !first {
                break;
            }
            first = false;
            let start = self.class_item(byte)?;
            // A range needs a '-' followed by something other than ']'.
            if self.peek() == Some(b'-') && self.peek_at(1).is_some_and(|next| next != b']') {
                self.pos += 1;
                let end_byte = self.next().ok_or(Refusal::Unsupported)?;
                let end = self.class_item(end_byte)?;
                match (start, end) {
                    (ClassItem::Byte(low), ClassItem::Byte(high)) if low <= high => {
                        has_newline |= (low..=high).contains(&b'\n');
                        let _ = write!(out, "\\x{low:02X}-\\x{high:02X}");
                    }
                    // Out-of-order ranges and ranges with a class escape at
                    // either end are errors in PCRE2 10.42.
                    _ => return Err(Refusal::Unsupported),
                }
                continue;
            }
            match start {
                ClassItem::Byte(value) => {
                    has_newline |= value == b'\n';
                    let _ = write!(out, "\\x{value:02X}");
                }
                ClassItem::Escape(letter) => {
                    has_newline |= class_escape_matches_newline(letter as u8);
                    out.push('\\');
                    out.push(letter);
                }
            }
        }
        out.push(']');
        self.out.push_str(&out);
        self.newline |= has_newline != negated;
        self.item();
        Ok(())
    }

    fn class_item(&mut self, byte: u8) -> Result<ClassItem, Refusal> {
        match byte {
            b'\\' => {
                let escaped = self.next().ok_or(Refusal::Unsupported)?;
                match escaped {
                    b'd' | b'D' | b'w' | b'W' | b's' | b'S' => {
                        Ok(ClassItem::Escape(escaped as char))
                    }
                    b'b' => Ok(ClassItem::Byte(0x08)),
                    _ => self.escaped_byte(escaped).map(ClassItem::Byte),
                }
            }
            // POSIX classes and collating elements are not modelled.
            b'[' if matches!(self.peek(), Some(b':' | b'.' | b'=')) => Err(Refusal::Unsupported),
            _ => Ok(ClassItem::Byte(byte)),
        }
    }
}

/// Parses `{n}`, `{n,}` or `{n,m}` after the `{`: (min, max, length).
fn counted_repetition(rest: &[u8]) -> Option<(u64, Option<u64>, usize)> {
    let digits = |from: usize| -> (Option<u64>, usize) {
        let count = rest.get(from..).map_or(0, |tail| {
            tail.iter().take_while(|b| b.is_ascii_digit()).count()
        });
        let value = rest.get(from..from + count).and_then(|text| {
            std::str::from_utf8(text)
                .ok()
                .and_then(|text| text.parse::<u64>().ok())
        });
        (
            if count > 0 {
                value.or(Some(u64::MAX))
            } else {
                None
            },
            count,
        )
    };
    let (min, min_len) = digits(0);
    let min = min?;
    match rest.get(min_len) {
        Some(b'}') => Some((min, Some(min), min_len + 1)),
        Some(b',') => {
            let (max, max_len) = digits(min_len + 1);
            match rest.get(min_len + 1 + max_len) {
                Some(b'}') => Some((min, max, min_len + max_len + 2)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `\d`, `\D`, `\w`, `\W`, `\s` or `\S` (by its letter) matches
/// `\n`.
fn class_escape_matches_newline(letter: u8) -> bool {
    matches!(letter, b'D' | b'W' | b's')
}

fn hex_value(digit: u8) -> u32 {
    char::from(digit).to_digit(16).unwrap_or(0)
}

/// Writes one literal byte: ASCII letters and digits as themselves (so that
/// case-insensitivity folds them), other printable ASCII as itself, or
/// backslash-escaped if it is a `regex-syntax` metacharacter, and everything
/// else as `\xHH`. (`<` and `>` stay bare: `\<` is a word boundary in
/// `regex-syntax`.)
fn push_byte(out: &mut String, byte: u8) {
    let c = char::from(byte);
    if byte.is_ascii_alphanumeric() {
        out.push(c);
    } else if byte.is_ascii_graphic() || byte == b' ' {
        if regex_syntax::is_meta_character(c) {
            out.push('\\');
        }
        out.push(c);
    } else {
        let _ = write!(out, "\\x{byte:02X}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (fragment, expected translation or refusal)
    const CASES: &[(&str, Result<&str, Refusal>)] = &[
        (r"tinyurl\.com", Ok(r"tinyurl\.com")),
        (r"\bfoo\b", Ok(r"\bfoo\b")),
        (r"a\/b", Ok(r"a/b")),
        (r"(easy)?(hair|body)", Ok(r"(?:easy)?(?:hair|body)")),
        (r"a{2,3}b{2}c{1,}", Ok(r"a{2,3}b{2}c{1,}")),
        (r"a{,5}", Ok(r"a\{,5\}")),
        (r"a{x}", Ok(r"a\{x\}")),
        (r"[a-z0-9\-]+", Ok(r"[\x61-\x7A\x30-\x39\x2D]+")),
        (r"[]a]", Ok(r"[\x5D\x61]")),
        (r"[^.]*?", Ok(r"[^\x2E]*?")),
        (r"[\d\w.-]", Ok(r"[\d\w\x2E\x2D]")),
        (r"[\b]", Ok(r"[\x08]")),
        (r"[[]", Ok(r"[\x5B]")),
        (r"\x41\x{42}\0\012", Ok(r"AB\x00\x0A")),
        ("é+", Ok(r"\xC3\xA9+")),
        ("[é]", Ok(r"[\xC3\xA9]")),
        (r"(?:a|b)$", Ok(r"(?:a|b)$")),
        (r"(?<n>a)(?P<m>b)('x')", Ok(r"(?:a)(?:b)(?:'x')")),
        (r"a.b", Ok(r"a.b")),
        (r"\zoofilia", Ok(r"\zoofilia")),
        // Self-contained PCRE-only syntax: runs on PCRE2, alone.
        (r"dogsex(?!posed)", Err(Refusal::PcreOnly)),
        (r"(?<=//|\.)x\.co\b", Err(Refusal::PcreOnly)),
        (r"(?<!www\.)\bmybrute\.com\b", Err(Refusal::PcreOnly)),
        (r"(?>a+)b", Err(Refusal::PcreOnly)),
        (r"a++", Err(Refusal::PcreOnly)),
        (r"^foo", Err(Refusal::PcreOnly)),
        (r"foo\Z", Err(Refusal::PcreOnly)),
        (r"a{2000}", Err(Refusal::PcreOnly)),
        (r"a{500}b{500}c{900}", Ok(r"a{500}b{500}c{900}")),
        (r"(a{50}){50}", Err(Refusal::PcreOnly)),
        // Not modelled: the whole batch runs on PCRE2.
        (r"(?i)foo", Err(Refusal::Unsupported)),
        (r"(?-i:Foo)", Err(Refusal::Unsupported)),
        (r"\Qa|b", Err(Refusal::Unsupported)),
        (r"foo\c", Err(Refusal::Unsupported)),
        (r"(a)\1", Err(Refusal::Unsupported)),
        (r"foo)", Err(Refusal::Unsupported)),
        (r"(foo", Err(Refusal::Unsupported)),
        (r"*foo", Err(Refusal::Unsupported)),
        (r"a**", Err(Refusal::Unsupported)),
        (r"[\d-z]", Err(Refusal::Unsupported)),
        (r"[z-a]", Err(Refusal::Unsupported)),
        (r"[[:alpha:]]", Err(Refusal::Unsupported)),
        (r"[abc", Err(Refusal::Unsupported)),
        (r"\p{L}", Err(Refusal::Unsupported)),
        (r"\x{100}", Err(Refusal::Unsupported)),
        (r"(*UTF)a", Err(Refusal::Unsupported)),
        (r"a{3,2}", Err(Refusal::Unsupported)),
        (r"\bx*", Ok(r"\bx*")),
        (r"a\<b>c d", Ok(r"a<b>c d")),
        ("a\tb\x01", Ok(r"a\x09b\x01")),
        (r"\b*", Err(Refusal::Unsupported)),
    ];

    #[test]
    fn translation_table() {
        for (fragment, expected) in CASES {
            let got = translate(fragment.as_bytes()).result.map(|t| t.regex);
            let expected = expected.map(str::to_string);
            assert_eq!(got, expected, "fragment {fragment:?}");
        }
    }

    #[test]
    fn supersets_of_pcre_only_fragments() {
        let cases: &[(&str, &str)] = &[
            (r"dogsex(?!posed)", "dogsex"),
            (r"(?<=//|\.)x\.co\b", r"x\.co\b"),
            (r"(?>a+)b", "(?:a+)b"),
            (r"a++b", "a+b"),
            (r"^foo\Z", "^foo"),
            (r"a{2000}", "a*"),
            (r"\bpro-(?!speleo).*?\.ru\b", r"\bpro\-.*?\.ru\b"),
        ];
        for (fragment, expected) in cases {
            let scan = translate(fragment.as_bytes());
            assert_eq!(scan.result, Err(Refusal::PcreOnly), "{fragment}");
            assert_eq!(scan.superset.as_deref(), Some(*expected), "{fragment}");
        }
    }

    #[test]
    fn knows_which_fragments_can_match_a_newline() {
        let cases: &[(&str, bool)] = &[
            (r"foo\.com", false),
            (r"a.b", false),
            (r"a\sb", true),
            (r"a\Sb\w\d", false),
            (r"a\Wb", true),
            (r"[^x]", true),
            (r"[^\n]", false),
            (r"[\x00-\x7f]", true),
            (r"[\D]", true),
            (r"[^\s]", false),
            (r"a\n", true),
        ];
        for (fragment, expected) in cases {
            assert_eq!(
                translate(fragment.as_bytes()).can_match_newline,
                *expected,
                "{fragment}"
            );
        }
    }

    #[test]
    fn counts_capturing_groups_of_refused_fragments_too() {
        assert_eq!(translate(br"(a)(?:b)(?<n>c)(?=d)").captures, 2);
        assert_eq!(translate(br"\b(easy)?(hair(?!x))\b").captures, 2);
    }
}
