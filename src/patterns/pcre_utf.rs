//! PCRE2 patterns compiled the way PHP compiles a `/u` pattern, run on a
//! linear-time engine whenever that is exact.
//!
//! PHP's `/u` turns on both `PCRE2_UTF` and `PCRE2_UCP`, so `\d`, `\s`, `\w`
//! and `\b` are Unicode-aware. A pattern is compiled twice:
//!
//! 1. by PCRE2 itself (the library PHP links), which decides whether PHP
//!    would accept the pattern at all;
//! 2. by [`translate`], a conservative rewriter into `regex-automata` syntax
//!    that only accepts constructs whose meaning is the same in both engines
//!    and gives up (`None`) on anything else: look-around, backreferences,
//!    `\b` (PCRE2 10.42's UCP word class is `[\p{L}\p{N}_]`, not Rust's, and
//!    Unicode `\b` is a lazy-DFA cliff anyway), possessive quantifiers,
//!    atomic groups, `\p{..}` (not case-folded under `/i` in PCRE2), POSIX
//!    classes, verbs, `\Q..\E`, inline flags other than `i` and `s`, and a
//!    `$` anywhere but at the very end.
//!
//! [`plan`] does both: a translation becomes [`Plan::Automaton`], to be built
//! with [`build_automaton`] (alone or together with other patterns), and
//! runs on the meta engine: linear in the subject, no limit to hit. Anything
//! else becomes a [`PcrePattern`]: PCRE2 (JIT when available) with PHP's
//! limits, `pcre.backtrack_limit` = 1,000,000 and `pcre.recursion_limit` =
//! 100,000, set through `(*LIMIT_MATCH=…)` and `(*LIMIT_DEPTH=…)`, and PHP's
//! 192 KiB JIT stack. Hitting one is reported as [`Outcome::LimitHit`],
//! never as a silent "no match".

use regex_automata::meta;
use regex_automata::util::syntax;

/// PHP's default `pcre.backtrack_limit`, passed to PCRE2 as the match limit.
pub const MATCH_LIMIT: u32 = 1_000_000;
/// PHP's default `pcre.recursion_limit`, passed to PCRE2 as the depth limit.
pub const DEPTH_LIMIT: u32 = 100_000;

/// PHP's JIT stack maximum (`PCRE_JIT_STACK_MAX_SIZE` in ext/pcre, not
/// configurable), so that deep but finite recursion succeeds where PHP's does.
pub const JIT_STACK_MAX: usize = 192 * 1024;

/// The PCRE2 options of one compile, as PHP's pattern modifiers set them.
/// `UTF` and `UCP` (`/u`) are always on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modifiers {
    /// `/i`.
    pub caseless: bool,
    /// `/s`.
    pub dotall: bool,
    /// JIT-compile when PCRE2 has a JIT, as PHP does with `pcre.jit=1`
    /// (valgrind cannot follow JIT code: `make leakcheck` turns it off).
    pub jit: bool,
}

/// The result of one match attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The pattern matches.
    Match,
    /// The pattern does not match.
    NoMatch,
    /// PCRE2 stopped on a match, depth, heap or JIT-stack limit before it
    /// could answer. PHP's `preg_match` returns `false` here.
    LimitHit,
}

/// How a pattern that PCRE2 accepts will run.
#[derive(Debug)]
pub enum Plan {
    /// An exact translation for the meta engine, flags included: give it to
    /// [`build_automaton`] (alone or with others).
    Automaton(String),
    /// No exact translation: PCRE2 runs it.
    Pcre(PcrePattern),
}

/// Why PCRE2 (and so PHP's `preg_match`) rejects a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    message: String,
}

impl PatternError {
    /// PCRE2's message, with the offset when it gives one.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// Decides how `pattern` (the text between PHP's delimiters, compiled with
/// `/u` and `modifiers`) runs. Fails exactly when PCRE2 fails.
pub fn plan(pattern: &[u8], modifiers: Modifiers) -> Result<Plan, PatternError> {
    let pattern = std::str::from_utf8(pattern).map_err(|e| PatternError {
        message: format!(
            "UTF-8 error: the pattern is not valid UTF-8 at offset {}",
            e.valid_up_to()
        ),
    })?;
    check_with_pcre(pattern, modifiers)?;
    match translate(pattern) {
        Some(translated) => {
            let flags = if modifiers.caseless { "i" } else { "-i" };
            let dot = if modifiers.dotall { "s" } else { "-s" };
            Ok(Plan::Automaton(format!("(?{flags})(?{dot}){translated}")))
        }
        None => PcrePattern::new(pattern, modifiers).map(Plan::Pcre),
    }
}

/// Compiles translated patterns (from [`Plan::Automaton`]) into one meta
/// regex whose pattern IDs follow `patterns`, ready for
/// `which_overlapping_matches`. On an error, `BuildError::pattern()` names
/// the pattern the meta engine refused (run it on PCRE2 instead).
pub fn build_automaton<P: AsRef<str>>(
    patterns: &[P],
) -> Result<meta::Regex, Box<regex_automata::meta::BuildError>> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(regex_automata::MatchKind::All)
                // Many patterns in one lazy DFA: a small cache would make it
                // give up and fall back to a slower engine (engines.md §2.3).
                .hybrid_cache_capacity(16 * 1024 * 1024),
        )
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .build_many(patterns)
        .map_err(Box::new)
}

/// A pattern run by PCRE2 with PHP's limits.
#[derive(Debug)]
pub struct PcrePattern {
    regex: pcre2::bytes::Regex,
}

impl PcrePattern {
    /// Compiles `pattern` with `/u`, `modifiers` (JIT if `modifiers.jit` and
    /// available), and PHP's match and depth limits.
    pub fn new(pattern: &str, modifiers: Modifiers) -> Result<PcrePattern, PatternError> {
        let limited = format!("(*LIMIT_MATCH={MATCH_LIMIT})(*LIMIT_DEPTH={DEPTH_LIMIT}){pattern}");
        let regex = pcre_builder(modifiers)
            .jit_if_available(modifiers.jit)
            .max_jit_stack_size(Some(JIT_STACK_MAX))
            .build(&limited)
            .map_err(pcre_error)?;
        Ok(PcrePattern { regex })
    }

    /// Searches `subject` (unanchored, like `preg_match`).
    pub fn search(&self, subject: &str) -> Outcome {
        match self.regex.is_match(subject.as_bytes()) {
            Ok(true) => Outcome::Match,
            Ok(false) => Outcome::NoMatch,
            Err(_) => Outcome::LimitHit,
        }
    }

    /// Approximate heap bytes: PCRE2 does not report them; its compiled
    /// code is a few times the pattern length, and the JIT code a few KiB.
    pub fn heap_bytes(&self) -> usize {
        4096 + 8 * self.regex.as_str().len()
    }
}

/// Whether PCRE2 accepts `pattern` with `/u` and `modifiers`: what PHP's
/// `preg_match` would do before matching anything.
pub fn check_with_pcre(pattern: &str, modifiers: Modifiers) -> Result<(), PatternError> {
    pcre_builder(modifiers)
        .build(pattern)
        .map(drop)
        .map_err(pcre_error)
}

/// The first byte offset at which PHP's delimiter scan of `"/{body}/"` ends
/// the pattern early, or `None` when the closing delimiter is the one after
/// `body`. PHP skips any byte after a backslash and knows nothing of
/// character classes, so an unescaped `/` anywhere (even in `[/]`) ends the
/// pattern and the rest becomes unknown modifiers: `preg_match` then returns
/// `false`. A trailing odd backslash escapes the closing delimiter itself,
/// reported as offset `body.len()`.
pub fn early_delimiter(body: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < body.len() {
        match body[at] {
            b'\\' if at + 1 < body.len() => at += 2,
            b'\\' => return Some(body.len()),
            b'/' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

fn pcre_builder(modifiers: Modifiers) -> pcre2::bytes::RegexBuilder {
    let mut builder = pcre2::bytes::RegexBuilder::new();
    builder
        .utf(true)
        .ucp(true)
        .caseless(modifiers.caseless)
        .dotall(modifiers.dotall);
    builder
}

fn pcre_error(error: pcre2::Error) -> PatternError {
    PatternError {
        message: error.to_string(),
    }
}

/// PCRE2 UCP `\s`: `\p{Z}`, `\h` and `\v` (PCRE2 10.42 `PT_SPACE`).
const SPACE: &str = r"[\t\n\x0B\x0C\r\x{85}\x{180E}\p{Z}]";
const NOT_SPACE: &str = r"[^\t\n\x0B\x0C\r\x{85}\x{180E}\p{Z}]";
/// PCRE2 10.42 UCP `\w`: letters, numbers and underscore. Never case-folded:
/// PCRE2 does not fold property classes under `/i`, while `regex-automata`
/// would add U+0345 (which folds to a letter).
const WORD: &str = r"(?-i:[\p{L}\p{N}_])";
const NOT_WORD: &str = r"(?-i:[^\p{L}\p{N}_])";
const WORD_CLASS_BODY: &str = r"\p{L}\p{N}_";

/// What came last, to know whether a quantifier may follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of the pattern, of a group or of an alternative.
    Open,
    /// Something a quantifier may repeat.
    Atom,
    /// A quantifier (only the lazy `?` may follow it).
    Quantified,
    /// An assertion or a flag group: PCRE2 and Rust disagree on repeating it.
    Assertion,
}

/// Rewrites a PCRE2 `/u` pattern into `regex-automata` syntax with the same
/// meaning, or `None` when that is not certain. Only called on patterns that
/// PCRE2 accepted.
pub fn translate(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut at = 0;
    let mut depth = 0usize;
    let mut last = Last::Open;
    while at < chars.len() {
        let c = chars[at];
        at += 1;
        match c {
            '\\' => {
                let escape = *chars.get(at)?;
                at += 1;
                out.push_str(&escape_outside_class(escape, &chars, &mut at)?);
                last = Last::Atom;
            }
            '[' => {
                at = translate_class(&chars, at, &mut out)?;
                last = Last::Atom;
            }
            '(' => {
                let (group, flags_only) = translate_group_open(&chars, &mut at)?;
                out.push_str(&group);
                if flags_only {
                    last = Last::Assertion;
                } else {
                    depth += 1;
                    last = Last::Open;
                }
            }
            ')' => {
                depth = depth.checked_sub(1)?;
                out.push(')');
                last = Last::Atom;
            }
            '|' => {
                out.push('|');
                last = Last::Open;
            }
            '^' => {
                out.push('^');
                last = Last::Assertion;
            }
            // PCRE's `$` also matches before a final newline. As the very
            // last token at the top level, `\n?\z` accepts the same subjects.
            '$' if at == chars.len() && depth == 0 => {
                out.push_str(r"\n?\z");
                last = Last::Assertion;
            }
            '$' => return None,
            '.' => {
                out.push('.');
                last = Last::Atom;
            }
            '*' | '+' | '?' => {
                if last != Last::Atom {
                    return None;
                }
                out.push(c);
                at = quantifier_suffix(&chars, at, &mut out)?;
                last = Last::Quantified;
            }
            '{' => match counted_repetition(&chars, at) {
                Some(end) => {
                    if last != Last::Atom {
                        return None;
                    }
                    out.extend(&chars[at - 1..end]);
                    at = quantifier_suffix(&chars, end, &mut out)?;
                    last = Last::Quantified;
                }
                None => {
                    push_literal(&mut out, '{');
                    last = Last::Atom;
                }
            },
            _ => {
                push_literal(&mut out, c);
                last = Last::Atom;
            }
        }
    }
    (depth == 0).then_some(out)
}

/// After a quantifier: a lazy `?` is copied, a possessive `+` gives up.
fn quantifier_suffix(chars: &[char], at: usize, out: &mut String) -> Option<usize> {
    match chars.get(at) {
        Some('?') => {
            out.push('?');
            Some(at + 1)
        }
        Some('+') => None,
        _ => Some(at),
    }
}

/// PCRE2 10.42 counted repetition after `{`: `{n}`, `{n,}` or `{n,m}` with
/// ASCII digits only. Returns the index after `}`. Anything else (`{,n}`,
/// spaces) is a literal `{` in 10.42.
fn counted_repetition(chars: &[char], at: usize) -> Option<usize> {
    let mut i = at;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

/// `(` has been read. Returns the Rust text and whether it was a flag-only
/// group like `(?i)` (which opens no group).
fn translate_group_open(chars: &[char], at: &mut usize) -> Option<(String, bool)> {
    if chars.get(*at) != Some(&'?') {
        if chars.get(*at) == Some(&'*') {
            return None; // verbs: (*ACCEPT), (*UTF), ...
        }
        return Some(("(?:".into(), false));
    }
    *at += 1;
    match chars.get(*at)? {
        ':' => {
            *at += 1;
            Some(("(?:".into(), false))
        }
        // Named groups become plain groups: captures are never read, and a
        // reference to a name (\k, \g, (?P=) makes the whole pattern fall back.
        'P' if chars.get(*at + 1) == Some(&'<') => named_group(chars, at, *at + 2, '>'),
        '<' if !matches!(chars.get(*at + 1), Some('=' | '!')) => {
            named_group(chars, at, *at + 1, '>')
        }
        '\'' => named_group(chars, at, *at + 1, '\''),
        _ => {
            // Inline flags: only i and s, whose meaning both engines share.
            let start = *at;
            let mut negated = false;
            while let Some(&c) = chars.get(*at) {
                match c {
                    'i' | 's' => {}
                    '-' if !negated => negated = true,
                    ')' | ':' => break,
                    _ => return None,
                }
                *at += 1;
            }
            let flags: String = chars[start..*at].iter().collect();
            if flags.is_empty() || flags.ends_with('-') {
                return None;
            }
            let close = *chars.get(*at)?;
            *at += 1;
            Some((format!("(?{flags}{close}"), close == ')'))
        }
    }
}

fn named_group(
    chars: &[char],
    at: &mut usize,
    name_start: usize,
    close: char,
) -> Option<(String, bool)> {
    let len = chars[name_start..].iter().position(|&c| c == close)?;
    *at = name_start + len + 1;
    Some(("(?:".into(), false))
}

/// The Rust text of `\escape` outside a character class.
fn escape_outside_class(escape: char, chars: &[char], at: &mut usize) -> Option<String> {
    Some(match escape {
        'd' => r"\d".into(),
        'D' => r"\D".into(),
        's' => SPACE.into(),
        'S' => NOT_SPACE.into(),
        'w' => WORD.into(),
        'W' => NOT_WORD.into(),
        _ => {
            let mut literal = String::new();
            push_literal(&mut literal, escaped_char(escape, chars, at, false)?);
            literal
        }
    })
}

/// The character a `\escape` stands for, when it is a single character.
/// Inside a class `\b` is a backspace.
fn escaped_char(escape: char, chars: &[char], at: &mut usize, in_class: bool) -> Option<char> {
    Some(match escape {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'f' => '\x0C',
        'e' => '\x1B',
        'a' => '\x07',
        'b' if in_class => '\x08',
        'x' => hex_escape(chars, at)?,
        c if !c.is_ascii_alphanumeric() => c,
        _ => return None,
    })
}

/// `\x{h..}` or `\xhh` (exactly two digits; shorter forms give up).
fn hex_escape(chars: &[char], at: &mut usize) -> Option<char> {
    let digits: String = if chars.get(*at) == Some(&'{') {
        let len = chars[*at + 1..].iter().position(|&c| c == '}')?;
        let digits = chars[*at + 1..*at + 1 + len].iter().collect();
        *at += len + 2;
        digits
    } else {
        let digits: String = chars.get(*at..*at + 2)?.iter().collect();
        *at += 2;
        digits
    };
    if digits.is_empty() || digits.len() > 6 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
}

/// One item of a character class.
enum ClassItem {
    Char(char),
    /// A ready-made piece of Rust class syntax (`\d`, a nested class).
    Set(&'static str),
    /// `\w` / `\W`, kept out of case folding.
    Word {
        negated: bool,
    },
}

/// Translates a class; `at` is just after `[`. Returns the index after `]`.
fn translate_class(chars: &[char], mut at: usize, out: &mut String) -> Option<usize> {
    let negated = chars.get(at) == Some(&'^');
    if negated {
        at += 1;
    }
    let mut body = String::new();
    let mut words: Vec<bool> = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(at)?;
        if c == ']' && !first {
            at += 1;
            break;
        }
        first = false;
        let (item, next) = class_item(chars, at)?;
        at = next;
        match item {
            ClassItem::Char(low) => {
                // A range needs a single character on both sides.
                if chars.get(at) == Some(&'-') && chars.get(at + 1).is_some_and(|&c| c != ']') {
                    let (high, next) = class_item(chars, at + 1)?;
                    let ClassItem::Char(high) = high else {
                        return None;
                    };
                    at = next;
                    push_literal(&mut body, low);
                    body.push('-');
                    push_literal(&mut body, high);
                } else {
                    push_literal(&mut body, low);
                }
            }
            ClassItem::Set(set) => body.push_str(set),
            ClassItem::Word { negated } => words.push(negated),
        }
    }
    if words.is_empty() {
        out.push('[');
        if negated {
            out.push('^');
        }
        out.push_str(&body);
        out.push(']');
        return Some(at);
    }
    if negated {
        return None;
    }
    // [..\w..] under /i: the word part must not be case-folded, so it
    // becomes its own alternative.
    out.push_str("(?:");
    let mut alternatives: Vec<String> = Vec::new();
    if !body.is_empty() {
        alternatives.push(format!("[{body}]"));
    }
    for negated_word in words {
        let caret = if negated_word { "^" } else { "" };
        alternatives.push(format!("(?-i:[{caret}{WORD_CLASS_BODY}])"));
    }
    out.push_str(&alternatives.join("|"));
    out.push(')');
    Some(at)
}

fn class_item(chars: &[char], at: usize) -> Option<(ClassItem, usize)> {
    let c = *chars.get(at)?;
    if c == '[' && matches!(chars.get(at + 1), Some(':' | '.' | '=')) {
        return None; // POSIX classes mean Unicode properties under UCP
    }
    if c != '\\' {
        return Some((ClassItem::Char(c), at + 1));
    }
    let escape = *chars.get(at + 1)?;
    let mut next = at + 2;
    let item = match escape {
        'd' => ClassItem::Set(r"\d"),
        'D' => ClassItem::Set(r"\D"),
        's' => ClassItem::Set(SPACE),
        'S' => ClassItem::Set(NOT_SPACE),
        'w' => ClassItem::Word { negated: false },
        'W' => ClassItem::Word { negated: true },
        _ => ClassItem::Char(escaped_char(escape, chars, &mut next, true)?),
    };
    Some((item, next))
}

/// Appends `c` as a literal, escaped where `regex-automata` gives it a
/// meaning (including the class set operators `&&`, `--`, `~~`).
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_control() {
        out.push_str(&format!(r"\x{{{:X}}}", c as u32));
    } else if r"\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
        out.push(c);
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASELESS: Modifiers = Modifiers {
        caseless: true,
        dotall: true,
        jit: true,
    };

    #[test]
    fn translation_table() {
        // (PCRE2 pattern, expected translation or None for the PCRE2 fallback)
        let table: &[(&str, Option<&str>)] = &[
            ("^(?:Foo)$", Some(r"^(?:Foo)\n?\z")),
            ("a.b", Some("a.b")),
            ("a{2,3}b{2}c{,2}", Some(r"a{2,3}b{2}c\{,2\}")),
            (r"a\/b\.c", Some(r"a/b\.c")),
            (r"\d\s", Some(&format!(r"\d{SPACE}"))),
            (r"\w+", Some(r"(?-i:[\p{L}\p{N}_])+")),
            ("[a-z&&~]", Some(r"[a-z\&\&\~]")),
            ("[]a]", Some(r"[\]a]")),
            (r"[\w-]", Some(r"(?:[\-]|(?-i:[\p{L}\p{N}_]))")),
            (r"[^\w]", None),
            ("(a)(?<n>b)(?i:c)(?-i)d", Some("(?:a)(?:b)(?i:c)(?-i)d")),
            (r"\x41\x{263A}\n", Some("A☺\\x{A}")),
            (r"a\b", None),
            ("(?=a)", None),
            ("(?<!a)", None),
            (r"(a)\1", None),
            ("a*+", None),
            ("(?>a)", None),
            (r"\p{Lu}", None),
            ("[[:alpha:]]", None),
            ("a$b", None),
            ("(?m)a", None),
            ("(*UTF)a", None),
            (r"\Qa\E", None),
            ("a**", None),
        ];
        for (pattern, expected) in table {
            assert_eq!(
                translate(pattern).as_deref(),
                *expected,
                "translation of {pattern:?}"
            );
        }
    }

    /// Runs `pattern` on `subject` the way a list does: `Some(outcome)` from
    /// the automaton, or from PCRE2 (`None` for the automaton flag).
    fn run(pattern: &str, subject: &str) -> (bool, Outcome) {
        match plan(pattern.as_bytes(), CASELESS).unwrap() {
            Plan::Automaton(translated) => {
                let regex = build_automaton(&[translated]).unwrap();
                let found = regex.is_match(subject);
                (
                    true,
                    if found {
                        Outcome::Match
                    } else {
                        Outcome::NoMatch
                    },
                )
            }
            Plan::Pcre(pcre) => (false, pcre.search(subject)),
        }
    }

    #[test]
    fn pcre_decides_validity() {
        for bad in ["a(", "[a", "a{3,2}", "(?<=a+)b", "\\"] {
            assert!(plan(bad.as_bytes(), CASELESS).is_err(), "{bad}");
        }
        let invalid_utf8 = plan(b"a\xFF", CASELESS).unwrap_err();
        assert!(invalid_utf8.message().contains("offset 1"));
    }

    #[test]
    fn engines_agree_with_pcre_semantics() {
        // (pattern, subject, expected match, runs on the automaton)
        let table: &[(&str, &str, bool, bool)] = &[
            ("^(?:foo bar)$", "Foo Bar", true, true),
            ("^(?:foo)$", "foo\n", true, true),
            ("^(?:foo)$", "foo\n\n", false, true),
            (r"^(?:\w+)$", "ǅemal²", true, true),
            (r"^(?:\w)$", "\u{345}", false, true),
            (r"^(?:\s)$", "\u{85}", true, true),
            (r"^(?:\s)$", "\u{200B}", false, true),
            ("^(?:k)$", "\u{212A}", true, true),
            (r"^(?:.*\bfoo)$", "a foo", true, false),
            ("^(?:(?!x).*)$", "abc", true, false),
        ];
        for &(pattern, subject, expected, automaton) in table {
            let want = if expected {
                Outcome::Match
            } else {
                Outcome::NoMatch
            };
            assert_eq!(
                run(pattern, subject),
                (automaton, want),
                "{pattern} on {subject:?}"
            );
        }
    }

    #[test]
    fn catastrophic_fallback_reports_limit_hit() {
        let subject = format!("{}b", "a".repeat(40));
        assert_eq!(run(r"^(?:(a+)+\bb)$", &subject), (false, Outcome::LimitHit));
    }

    #[test]
    fn early_delimiter_follows_php_scan() {
        assert_eq!(early_delimiter(b"a/b"), Some(1));
        assert_eq!(early_delimiter(br"a\/b"), None);
        assert_eq!(early_delimiter(b"[/]"), Some(1));
        assert_eq!(early_delimiter(br"a\\/"), Some(3));
        assert_eq!(early_delimiter(br"a\"), Some(2));
        assert_eq!(early_delimiter(b""), None);
    }
}
