//! TitleBlacklist: which line of a title blacklist forbids an action on a
//! title.
//!
//! This reproduces `TitleBlacklistEntry::newFromString` and
//! `TitleBlacklistEntry::matches` of MediaWiki 1.39's TitleBlacklist
//! extension, and the entry selection of `TitleBlacklist::isBlacklisted` and
//! `userCannot`, for one list source.
//!
//! # Line syntax
//!
//! The text is split on `\r?\n`; line numbers are 1-based. On each line
//! everything from the first `#` is a comment, and the rest is trimmed as
//! PHP's `trim()` does. What remains is `REGEX` or `REGEX <opt|opt|…>`;
//! every `_` of the regex becomes a space (titles are matched in text form).
//! Options are compared ASCII-case-insensitively: `autoconfirmed`,
//! `moveonly`, `newaccountonly`, `noedit`, `casesensitive`, `reupload`,
//! `antispoof`, and `errmsg=<message>` (found anywhere in an option, as
//! `/errmsg\s*=\s*(.+)/i` does). Magic words `{{ns:X}}` / `{{int:X}}` are
//! replaced from the [`ParseOptions::magic_words`] map, which the caller fills
//! from MediaWiki (a word missing from the map stays as written). A regex
//! that ends up `""` or `"0"` (falsy in PHP) makes no entry.
//!
//! # Matching
//!
//! An entry matches when `preg_match("/^(?:REGEX)$/us" . (casesensitive ? ''
//! : 'i'), $title)` would return 1: see [`crate::patterns::pcre_utf`] for how
//! that runs in linear time where possible. Then the per-action rules of
//! `matches()` apply, and [`TitleBlacklist::check`] picks the entry as
//! `isBlacklisted()` followed by `userCannot()`'s autoconfirmed test does.
//!
//! Every translated regex of a list goes into one meta regex with
//! `MatchKind::All`: a check makes one overlapping pass over the title and
//! reads which entries matched, then runs the PCRE2 entries one by one. A
//! list too large for one meta regex (the engine's size limits; thousands
//! of lines) is split into as few as build, one pass each.
//!
//! # Errors and deliberate differences
//!
//! * A regex that PCRE2 rejects never matches, as in TitleBlacklist; such
//!   lines are listed by [`TitleBlacklist::bad_lines`] (the same lines as
//!   `TitleBlacklist::validate()`).
//! * Deliberate: a regex that needs the PCRE2 fallback and hits PHP's match or depth
//!   limit counts as a **match** (TitleBlacklist reads `false` as no match:
//!   fail open). Each such event is counted in [`TitleBlacklist::limit_hits`].
//! * Deliberate: a title (or AntiSpoof-normalized title) that is not valid
//!   UTF-8 is an error ([`CheckError`]); `preg_match` with `/u` returns `false` there and
//!   TitleBlacklist lets the title through. MediaWiki titles are always
//!   valid UTF-8, so only a caller bug gets here.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use regex_automata::util::syntax;
use regex_automata::{meta, Input, PatternSet};

use super::pcre_utf::{self, Modifiers, Outcome, PcrePattern, Plan};

/// One option of an entry, in the order `newFromString` first set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// `autoconfirmed`: autoconfirmed users are not affected.
    Autoconfirmed,
    /// `moveonly`: applies to moves only.
    MoveOnly,
    /// `newaccountonly`: applies to new accounts only.
    NewAccountOnly,
    /// `noedit`: also applies to edits of existing pages.
    NoEdit,
    /// `casesensitive`: the regex is matched without `/i`.
    CaseSensitive,
    /// `reupload`: does not apply to re-uploads.
    Reupload,
    /// `errmsg=…`: the message key shown instead of the default.
    ErrMsg(Vec<u8>),
    /// `antispoof`: matched against the AntiSpoof-normalized title.
    AntiSpoof,
}

impl Param {
    /// The key `TitleBlacklistEntry::getParams()` uses.
    pub fn name(&self) -> &'static str {
        match self {
            Param::Autoconfirmed => "autoconfirmed",
            Param::MoveOnly => "moveonly",
            Param::NewAccountOnly => "newaccountonly",
            Param::NoEdit => "noedit",
            Param::CaseSensitive => "casesensitive",
            Param::Reupload => "reupload",
            Param::ErrMsg(_) => "errmsg",
            Param::AntiSpoof => "antispoof",
        }
    }
}

/// Which engine runs an entry's regex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    /// The list's linear-time automata (an exact translation).
    Automaton,
    /// PCRE2, with PHP's match and depth limits.
    Pcre,
}

/// How an entry's regex is run.
#[derive(Debug)]
enum Matcher {
    /// Pattern number in the list's automata.
    Automaton(usize),
    Pcre(PcrePattern),
    /// PHP's `preg_match` fails on this regex: the entry never matches.
    Invalid(String),
}

/// An entry's matcher before the list's automata are built.
enum Prepared {
    Translated {
        translated: String,
        pattern: String,
        modifiers: Modifiers,
    },
    Ready(Matcher),
}

/// One entry of the list.
#[derive(Debug)]
pub struct Entry {
    line: usize,
    raw: Vec<u8>,
    regex: Vec<u8>,
    params: Vec<Param>,
    matcher: Matcher,
    /// The error of `validate()`'s `preg_match("/{$regex}/u", '')`, if any.
    validate_error: Option<String>,
}

impl Entry {
    /// The 1-based line of the list text.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The line as written (`getRaw()`).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The regex after `_` → space and magic words (`getRegex()`).
    pub fn regex(&self) -> &[u8] {
        &self.regex
    }

    /// The options, in `getParams()` order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The `errmsg` option (`getCustomMessage()`).
    pub fn errmsg(&self) -> Option<&[u8]> {
        self.params.iter().find_map(|p| match p {
            Param::ErrMsg(message) => Some(message.as_slice()),
            _ => None,
        })
    }

    /// The engine that runs the regex, or `None` when PHP rejects it.
    pub fn engine(&self) -> Option<EngineKind> {
        match &self.matcher {
            Matcher::Automaton(_) => Some(EngineKind::Automaton),
            Matcher::Pcre(_) => Some(EngineKind::Pcre),
            Matcher::Invalid(_) => None,
        }
    }

    /// Why `preg_match` rejects the matching regex, if it does.
    pub fn match_error(&self) -> Option<&str> {
        match &self.matcher {
            Matcher::Automaton(_) | Matcher::Pcre(_) => None,
            Matcher::Invalid(message) => Some(message),
        }
    }

    /// Why `TitleBlacklist::validate()` reports this line, if it does.
    pub fn validate_error(&self) -> Option<&str> {
        self.validate_error.as_deref()
    }

    fn has(&self, wanted: &Param) -> bool {
        self.params.contains(wanted)
    }
}

/// Magic-word expansions keyed by `(name, argument)`; ordered, so that the
/// same map always serializes the same way (it is part of a registry key).
pub type MagicWords = BTreeMap<(Vec<u8>, Vec<u8>), Vec<u8>>;

/// How list text is read.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Expansions of magic words, keyed by `(name, argument)` as the line
    /// spells them after `_` → space: `("ns", "User talk")`, `("int",
    /// "some-message")`. MediaWiki computes them with
    /// `CoreParserFunctions::ns()` and `wfMessage()->inContentLanguage()`.
    pub magic_words: MagicWords,
    /// JIT-compile the regexes that run on PCRE2 (PHP's `pcre.jit`; on by
    /// default).
    pub pcre_jit: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            magic_words: MagicWords::default(),
            pcre_jit: true,
        }
    }
}

/// Which sources may filter new accounts: `$wgTitleBlacklistUsernameSources`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsernameSources {
    /// `'*'` (the default): every source.
    All,
    /// A falsy value: no source.
    None,
    /// An array of source names.
    Listed(Vec<Vec<u8>>),
}

/// What the caller knows about the user and the title, beyond the title
/// text and the action.
#[derive(Clone, Debug)]
pub struct CheckFlags<'a> {
    /// The user has the `autoconfirmed` right: entries with `autoconfirmed`
    /// do not apply (`userCannot()`).
    pub autoconfirmed: bool,
    /// The name of this list's source (a key of `$wgTitleBlacklistSources`,
    /// or `"local"` for MediaWiki:Titleblacklist).
    pub source: &'a [u8],
    /// `$wgTitleBlacklistUsernameSources`, for the `new-account` action.
    pub username_sources: &'a UsernameSources,
    /// The title as AntiSpoof normalizes it (`checkUnicodeStringStatus()`'s
    /// value without its `v2:` prefix) when AntiSpoof is loaded and the
    /// status is OK. Entries with `antispoof` match against it; without it
    /// they match the title itself, as TitleBlacklist does when AntiSpoof
    /// is not loaded or cannot normalize.
    pub antispoof_normalized: Option<&'a [u8]>,
}

/// A title or normalized title that cannot be matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    what: &'static str,
    offset: usize,
}

impl CheckError {
    /// Which input: `"title"` or `"antispoof_normalized"`.
    pub fn input(&self) -> &'static str {
        self.what
    }

    /// The byte offset of the first invalid UTF-8 sequence.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} is not valid UTF-8 (invalid byte at offset {})",
            self.what, self.offset
        )
    }
}

impl std::error::Error for CheckError {}

/// A parsed and compiled title blacklist.
#[derive(Debug)]
pub struct TitleBlacklist {
    entries: Vec<Entry>,
    /// The translated regexes in as few meta regexes as the engine's size
    /// limits allow (one for most lists): one overlapping pass over a title
    /// per automaton says which of them match. Pattern ids run on from one
    /// automaton to the next.
    automata: Vec<meta::Regex>,
    limit_hits: AtomicU64,
    compile_time: Duration,
}

impl TitleBlacklist {
    /// Parses `text` as `TitleBlacklist::parseBlacklist()` does and compiles
    /// every entry. Never fails: bad regexes become entries that never
    /// match, reported by [`TitleBlacklist::bad_lines`].
    pub fn parse(text: &[u8], options: &ParseOptions) -> TitleBlacklist {
        let started = Instant::now();
        let mut entries = Vec::new();
        let mut translated = Vec::new();
        for (index, line) in split_lines(text).enumerate() {
            if let Some((entry, pending)) = parse_line(index + 1, line, options) {
                if let Some(prepared) = pending {
                    translated.push((entries.len(), prepared));
                }
                entries.push(entry);
            }
        }
        let automata = build_automata(&mut entries, translated);
        TitleBlacklist {
            entries,
            automata,
            limit_hits: AtomicU64::new(0),
            compile_time: started.elapsed(),
        }
    }

    /// The entries, in list order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries `TitleBlacklist::validate()` reports (it returns their
    /// raw lines).
    pub fn bad_lines(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.validate_error.is_some())
    }

    /// How long [`TitleBlacklist::parse`] took.
    pub fn compile_time(&self) -> Duration {
        self.compile_time
    }

    /// How many matches hit a PCRE2 limit (and were counted as matches).
    pub fn limit_hits(&self) -> u64 {
        self.limit_hits.load(Ordering::Relaxed)
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        self.entries
            .iter()
            .map(|e| {
                std::mem::size_of::<Entry>()
                    + e.raw.len()
                    + e.regex.len()
                    + match &e.matcher {
                        Matcher::Automaton(_) => 0,
                        Matcher::Pcre(pattern) => pattern.heap_bytes(),
                        Matcher::Invalid(message) => message.len(),
                    }
            })
            .sum::<usize>()
            + self
                .automata
                .iter()
                .map(meta::Regex::memory_usage)
                .sum::<usize>()
    }

    /// The entry that forbids `action` on `title` (`Title::getFullText()`),
    /// or `None`. The same entry `TitleBlacklist::userCannot()` returns for
    /// this list, before the whitelist and the `tboverride` rights, which
    /// the caller applies.
    ///
    /// Like `isBlacklisted()`, an entry without `autoconfirmed` wins over an
    /// earlier one with it; with `flags.autoconfirmed`, entries with
    /// `autoconfirmed` never apply.
    pub fn check(
        &self,
        title: &[u8],
        action: &[u8],
        flags: &CheckFlags<'_>,
    ) -> Result<Option<&Entry>, CheckError> {
        let title = utf8(title, "title")?;
        let normalized = flags
            .antispoof_normalized
            .map(|n| utf8(n, "antispoof_normalized"))
            .transpose()?;
        if title.is_empty() {
            return Ok(None);
        }
        let subjects = Subjects {
            title: Hits::new(title, &self.automata),
            normalized: normalized.map(|n| Hits::new(n, &self.automata)),
        };
        let mut autoconfirmed_entry = None;
        for entry in &self.entries {
            if !self.entry_applies(entry, &subjects, action, flags) {
                continue;
            }
            if !entry.has(&Param::Autoconfirmed) {
                return Ok(Some(entry));
            }
            if autoconfirmed_entry.is_none() {
                autoconfirmed_entry = Some(entry);
            }
        }
        Ok(autoconfirmed_entry.filter(|_| !flags.autoconfirmed))
    }

    /// `TitleBlacklistEntry::matches($title, $action)`.
    fn entry_applies(
        &self,
        entry: &Entry,
        subjects: &Subjects<'_>,
        action: &[u8],
        flags: &CheckFlags<'_>,
    ) -> bool {
        if action == b"new-account" && !filters_new_accounts(flags) {
            return false;
        }
        let subject = match &subjects.normalized {
            Some(normalized) if entry.has(&Param::AntiSpoof) => normalized,
            _ => &subjects.title,
        };
        let outcome = match &entry.matcher {
            Matcher::Automaton(id) => subject.automaton_outcome(*id),
            Matcher::Pcre(pattern) => pattern.search(subject.text),
            Matcher::Invalid(_) => return false,
        };
        match outcome {
            Outcome::NoMatch => return false,
            Outcome::Match => {}
            Outcome::LimitHit => {
                self.limit_hits.fetch_add(1, Ordering::Relaxed);
            }
        }
        !((entry.has(&Param::MoveOnly) && action != b"move")
            || (entry.has(&Param::NewAccountOnly) && action != b"new-account")
            || (!entry.has(&Param::NoEdit) && action == b"edit")
            || (entry.has(&Param::Reupload) && action == b"upload"))
    }
}

/// A subject of one check and which automaton patterns match it.
struct Hits<'a> {
    text: &'a str,
    matched: Vec<bool>,
}

impl<'a> Hits<'a> {
    fn new(text: &'a str, automata: &[meta::Regex]) -> Hits<'a> {
        let mut matched = Vec::new();
        for automaton in automata {
            let first_id = matched.len();
            let mut set = PatternSet::new(automaton.pattern_len());
            automaton.which_overlapping_matches(&Input::new(text), &mut set);
            matched.resize(first_id + automaton.pattern_len(), false);
            for id in set.iter() {
                matched[first_id + id.as_usize()] = true;
            }
        }
        Hits { text, matched }
    }

    fn automaton_outcome(&self, id: usize) -> Outcome {
        match self.matched.get(id) {
            Some(true) => Outcome::Match,
            _ => Outcome::NoMatch,
        }
    }
}

/// The title, and the AntiSpoof-normalized title when the caller gave one.
struct Subjects<'a> {
    title: Hits<'a>,
    normalized: Option<Hits<'a>>,
}

/// The most patterns in one automaton. Thousands of `.*word.*` patterns in
/// one meta regex make big lazy-DFA states: on a 10,000-line list, runs of
/// 300 built in 0.5 s instead of 1.5 s and checked titles in about half the
/// time, with no loss on a 600-line list (one pass per 300 lines is cheap
/// on titles of at most 255 bytes).
const AUTOMATON_PATTERNS: usize = 300;

/// Builds the automata of the translated entries: runs of at most
/// [`AUTOMATON_PATTERNS`], each split in halves until it fits the meta
/// engine's size limits, so a long list stays on the linear engine. A
/// pattern the engine refuses alone (or names) moves to PCRE2.
fn build_automata(entries: &mut [Entry], translated: Vec<(usize, Prepared)>) -> Vec<meta::Regex> {
    let mut automata = Vec::new();
    let mut next_id = 0;
    let mut runs = Vec::new();
    let mut translated = translated;
    while translated.len() > AUTOMATON_PATTERNS {
        let rest = translated.split_off(AUTOMATON_PATTERNS);
        runs.push(translated);
        translated = rest;
    }
    runs.push(translated);
    while let Some(mut run) = runs.pop() {
        if run.is_empty() {
            continue;
        }
        let patterns: Vec<&str> = run
            .iter()
            .map(|(_, prepared)| match prepared {
                Prepared::Translated { translated, .. } => translated.as_str(),
                Prepared::Ready(_) => "",
            })
            .collect();
        let refused = match pcre_utf::build_automaton(&patterns) {
            Ok(automaton) => {
                for (id, (entry, _)) in run.iter().enumerate() {
                    entries[*entry].matcher = Matcher::Automaton(next_id + id);
                }
                next_id += run.len();
                automata.push(automaton);
                continue;
            }
            Err(error) => match error.pattern() {
                Some(id) => id.as_usize(),
                // A size limit names no pattern: split the run.
                None if run.len() > 1 => {
                    let second = run.split_off(run.len() / 2);
                    runs.push(run);
                    runs.push(second);
                    continue;
                }
                None => 0,
            },
        };
        let (entry, prepared) = run.remove(refused);
        if let Prepared::Translated {
            pattern, modifiers, ..
        } = prepared
        {
            entries[entry].matcher = match PcrePattern::new(&pattern, modifiers) {
                Ok(pcre) => Matcher::Pcre(pcre),
                Err(e) => Matcher::Invalid(e.message().to_string()),
            };
        }
        runs.push(run);
    }
    automata
}

fn filters_new_accounts(flags: &CheckFlags<'_>) -> bool {
    match flags.username_sources {
        UsernameSources::All => true,
        UsernameSources::None => false,
        UsernameSources::Listed(sources) => sources.iter().any(|s| s == flags.source),
    }
}

fn utf8<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a str, CheckError> {
    std::str::from_utf8(bytes).map_err(|e| CheckError {
        what,
        offset: e.valid_up_to(),
    })
}

/// `preg_split("/\r?\n/", $list)`: a `\r` goes only with the `\n` after it.
fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let pieces: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(move |(i, line)| match i < last {
            true => line.strip_suffix(b"\r").unwrap_or(line),
            false => line,
        })
}

/// PCRE `\s` without `/u`.
fn is_pcre_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// PHP's `trim()`: `" \t\n\r\0\x0B"`.
fn php_trim(mut s: &[u8]) -> &[u8] {
    let trimmed = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0B);
    while s.first().is_some_and(trimmed) {
        s = &s[1..];
    }
    while s.last().is_some_and(trimmed) {
        s = &s[..s.len() - 1];
    }
    s
}

fn bytes_regex(pattern: &str) -> meta::Regex {
    let built = meta::Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(pattern);
    match built {
        Ok(regex) => regex,
        // The patterns are constants covered by the tests.
        #[allow(clippy::panic)]
        Err(e) => panic!("built-in pattern {pattern:?}: {e}"),
    }
}

/// `/errmsg\s*=\s*(.+)/i`, on bytes.
static ERRMSG: Lazy<meta::Regex> = Lazy::new(|| bytes_regex(r"(?i)errmsg\s*=\s*(.+)"));
/// `/{{\s*([a-z]+)\s*:\s*(.+?)\s*}}/`, on bytes.
static MAGIC_WORD: Lazy<meta::Regex> =
    Lazy::new(|| bytes_regex(r"\{\{\s*([a-z]+)\s*:\s*(.+?)\s*\}\}"));

/// The magic words (`ns` and `int`) that the regexes of `text` use, as
/// `(name, argument)`, each once, in order of appearance: the keys
/// [`ParseOptions::magic_words`] needs.
pub fn magic_words(text: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut words: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in split_lines(text) {
        let Some((regex, _)) = regex_and_options(line) else {
            continue;
        };
        for (_, name, argument) in magic_word_matches(&regex) {
            let word = (name, argument);
            if (word.0 == b"ns" || word.0 == b"int") && !words.contains(&word) {
                words.push(word);
            }
        }
    }
    words
}

/// `TitleBlacklistEntry::newFromString()`.
fn parse_line(
    line: usize,
    raw: &[u8],
    options: &ParseOptions,
) -> Option<(Entry, Option<Prepared>)> {
    let (mut regex, options_text) = regex_and_options(raw)?;
    let params = parse_params(options_text);
    expand_magic_words(&mut regex, options);
    if regex.is_empty() || regex == b"0" {
        return None;
    }
    let caseless = !params.contains(&Param::CaseSensitive);
    let (matcher, pending) = match compile_for_match(&regex, caseless, options.pcre_jit) {
        Prepared::Ready(matcher) => (matcher, None),
        // The placeholder is replaced once the automata are built.
        translated => (Matcher::Invalid(String::new()), Some(translated)),
    };
    let validate_error = validate(&regex, options.pcre_jit);
    let entry = Entry {
        line,
        raw: raw.to_vec(),
        regex,
        params,
        matcher,
        validate_error,
    };
    Some((entry, pending))
}

/// The first steps of `newFromString()`: the regex (trimmed, `_` → space,
/// magic words not yet expanded) and the trimmed option text.
fn regex_and_options(raw: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    // preg_replace("/^\s*([^#]*)\s*((.*)?)$/", "\1", $line): leading
    // whitespace goes, and everything from the first '#'.
    let start = raw
        .iter()
        .position(|&b| !is_pcre_space(b))
        .unwrap_or(raw.len());
    let uncommented = &raw[start..];
    let uncommented = match uncommented.iter().position(|&b| b == b'#') {
        Some(hash) => &uncommented[..hash],
        None => uncommented,
    };
    let text = php_trim(uncommented);
    if text.is_empty() {
        return None;
    }
    let (regex, options_text) = split_options(text);
    let regex: Vec<u8> = php_trim(regex)
        .iter()
        .map(|&b| if b == b'_' { b' ' } else { b })
        .collect();
    Some((regex, php_trim(options_text.unwrap_or(b""))))
}

/// `preg_match('/^(.*?)(\s*<([^<>]*)>)?$/', $line)`: the regex part and the
/// text between the final `<…>`, if the line ends with one.
fn split_options(text: &[u8]) -> (&[u8], Option<&[u8]>) {
    let Some(inner_end) = text.len().checked_sub(1).filter(|&i| text[i] == b'>') else {
        return (text, None);
    };
    let Some(open) = text[..inner_end].iter().rposition(|&b| b == b'<') else {
        return (text, None);
    };
    if text[open + 1..inner_end].contains(&b'>') {
        return (text, None);
    }
    // The lazy (.*?) leaves the whole whitespace run before '<' to \s*.
    let mut regex_end = open;
    while regex_end > 0 && is_pcre_space(text[regex_end - 1]) {
        regex_end -= 1;
    }
    (&text[..regex_end], Some(&text[open + 1..inner_end]))
}

/// `preg_split('/\s*\|\s*/', $opts)` and the option tests of
/// `newFromString()`.
fn parse_params(options_text: &[u8]) -> Vec<Param> {
    let mut params: Vec<Param> = Vec::new();
    let mut set = |param: Param| match params.iter_mut().find(|p| p.name() == param.name()) {
        Some(existing) => *existing = param,
        None => params.push(param),
    };
    let pieces: Vec<&[u8]> = options_text.split(|&b| b == b'|').collect();
    let last = pieces.len() - 1;
    for (i, piece) in pieces.iter().enumerate() {
        let mut option: &[u8] = piece;
        if i > 0 {
            let skip = option.iter().take_while(|&&b| is_pcre_space(b)).count();
            option = &option[skip..];
        }
        if i < last {
            let keep = option.len()
                - option
                    .iter()
                    .rev()
                    .take_while(|&&b| is_pcre_space(b))
                    .count();
            option = &option[..keep];
        }
        let lower = option.to_ascii_lowercase();
        let flag = match lower.as_slice() {
            b"autoconfirmed" => Some(Param::Autoconfirmed),
            b"moveonly" => Some(Param::MoveOnly),
            b"newaccountonly" => Some(Param::NewAccountOnly),
            b"noedit" => Some(Param::NoEdit),
            b"casesensitive" => Some(Param::CaseSensitive),
            b"reupload" => Some(Param::Reupload),
            _ => None,
        };
        if let Some(flag) = flag {
            set(flag);
        }
        let mut caps = ERRMSG.create_captures();
        ERRMSG.captures(option, &mut caps);
        if let Some(message) = caps.get_group(1) {
            set(Param::ErrMsg(option[message.range()].to_vec()));
        }
        if lower == b"antispoof" {
            set(Param::AntiSpoof);
        }
    }
    params
}

/// The magic-word loop of `newFromString()`: every match is looked up, and
/// a known one replaces all its occurrences (`str_replace`) in turn.
fn expand_magic_words(regex: &mut Vec<u8>, options: &ParseOptions) {
    if options.magic_words.is_empty() {
        return;
    }
    for (whole, name, argument) in magic_word_matches(regex) {
        if name != b"ns" && name != b"int" {
            continue;
        }
        if let Some(expansion) = options.magic_words.get(&(name, argument)) {
            *regex = replace_all(regex, &whole, expansion);
        }
    }
}

/// `preg_match_all('/{{\s*([a-z]+)\s*:\s*(.+?)\s*}}/', ...)`: the whole
/// match, the lower-cased name and the argument of each.
fn magic_word_matches(regex: &[u8]) -> Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    MAGIC_WORD
        .captures_iter(regex)
        .filter_map(|caps| {
            let whole = caps.get_match()?.range();
            let name = caps.get_group(1)?.range();
            let argument = caps.get_group(2)?.range();
            Some((
                regex[whole].to_vec(),
                regex[name].to_ascii_lowercase(),
                regex[argument].to_vec(),
            ))
        })
        .collect()
}

fn replace_all(haystack: &[u8], needle: &[u8], replacement: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = memchr::memmem::find(rest, needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(replacement);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The pattern of `matches()`: `"/^(?:{$regex})$/us" . ('i' unless
/// casesensitive)`.
fn compile_for_match(regex: &[u8], caseless: bool, jit: bool) -> Prepared {
    let mut pattern = Vec::with_capacity(regex.len() + 6);
    pattern.extend_from_slice(b"^(?:");
    pattern.extend_from_slice(regex);
    pattern.extend_from_slice(b")$");
    if let Some(offset) = pcre_utf::early_delimiter(&pattern) {
        return Prepared::Ready(Matcher::Invalid(delimiter_message(
            offset.saturating_sub(4),
        )));
    }
    let modifiers = Modifiers {
        caseless,
        dotall: true,
        jit,
    };
    match pcre_utf::plan(&pattern, modifiers) {
        Ok(Plan::Automaton(translated)) => Prepared::Translated {
            translated,
            // plan() accepted it, so it is UTF-8.
            pattern: String::from_utf8_lossy(&pattern).into_owned(),
            modifiers,
        },
        Ok(Plan::Pcre(pcre)) => Prepared::Ready(Matcher::Pcre(pcre)),
        Err(e) => Prepared::Ready(Matcher::Invalid(e.message().to_string())),
    }
}

/// `TitleBlacklist::validate()`: `preg_match("/{$regex}/u", '') === false`:
/// PHP's delimiters, PCRE2's compile, and the match on `''`.
fn validate(regex: &[u8], jit: bool) -> Option<String> {
    if let Some(offset) = pcre_utf::early_delimiter(regex) {
        return Some(delimiter_message(offset));
    }
    let modifiers = Modifiers {
        caseless: false,
        dotall: false,
        jit,
    };
    let pattern = match std::str::from_utf8(regex) {
        Ok(pattern) => pattern,
        Err(e) => {
            return Some(format!(
                "UTF-8 error: the regex is not valid UTF-8 at offset {}",
                e.valid_up_to()
            ))
        }
    };
    // preg_match() also returns false when matching '' itself fails: an
    // unbounded recursion such as `(?R)` hits a limit.
    match PcrePattern::new(pattern, modifiers) {
        Err(e) => Some(e.message().to_string()),
        Ok(pcre) => (pcre.search("") == Outcome::LimitHit)
            .then(|| "matching the empty string hits a PCRE2 limit".to_string()),
    }
}

fn delimiter_message(offset: usize) -> String {
    format!(
        "an unescaped '/' or a trailing backslash at offset {offset} ends PHP's /…/ pattern early"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: UsernameSources = UsernameSources::All;

    fn flags() -> CheckFlags<'static> {
        CheckFlags {
            autoconfirmed: false,
            source: b"local",
            username_sources: &ALL,
            antispoof_normalized: None,
        }
    }

    fn list(text: &str) -> TitleBlacklist {
        TitleBlacklist::parse(text.as_bytes(), &ParseOptions::default())
    }

    fn hit_line(
        list: &TitleBlacklist,
        title: &str,
        action: &str,
        flags: &CheckFlags,
    ) -> Option<usize> {
        list.check(title.as_bytes(), action.as_bytes(), flags)
            .unwrap()
            .map(Entry::line)
    }

    #[test]
    fn a_carriage_return_goes_only_with_a_newline() {
        let lines: Vec<&[u8]> = split_lines(b"a\r\r\nb\n\rc\r").collect();
        assert_eq!(lines, vec![&b"a\r"[..], b"b", b"\rc\r"]);
    }

    #[test]
    fn line_parsing_table() {
        // (line, regex, params)
        let table: &[(&str, Option<&str>, &[&str])] = &[
            ("  Foo_bar  ", Some("Foo bar"), &[]),
            ("# comment", None, &[]),
            ("a#b <reupload>", Some("a"), &[]),
            (
                "x <noedit | MoveOnly|errmsg = my-msg>",
                Some("x"),
                &["noedit", "moveonly", "errmsg"],
            ),
            ("x<antispoof>", Some("x"), &["antispoof"]),
            ("x <a<b>", Some("x <a"), &[]),
            ("x <a>b>", Some("x <a>b>"), &[]),
            ("0", None, &[]),
            ("0 <noedit>", None, &[]),
            ("<noedit>", None, &[]),
            ("\x0Cx", Some("x"), &[]),
            ("x <fooerrmsg=bar|errmsg=baz>", Some("x"), &["errmsg"]),
        ];
        for (line, regex, params) in table {
            let parsed = parse_line(1, line.as_bytes(), &ParseOptions::default()).map(|(e, _)| e);
            assert_eq!(
                parsed.as_ref().map(|e| e.regex.as_slice()),
                regex.map(str::as_bytes),
                "regex of {line:?}"
            );
            if let Some(entry) = parsed {
                let names: Vec<&str> = entry.params.iter().map(Param::name).collect();
                assert_eq!(names, *params, "params of {line:?}");
            }
        }
    }

    #[test]
    fn errmsg_takes_the_last_option_and_keeps_one_trailing_space() {
        let (entry, _) = parse_line(1, b"x <errmsg=a|ERRMSG=b>", &ParseOptions::default()).unwrap();
        assert_eq!(entry.errmsg(), Some(&b"b"[..]));
        assert_eq!(
            parse_params(b"errmsg=\t "),
            vec![Param::ErrMsg(b" ".to_vec())]
        );
        assert_eq!(parse_params(b"errmsg="), vec![]);
    }

    #[test]
    fn magic_words_come_from_the_map() {
        let mut options = ParseOptions::default();
        options.magic_words.insert(
            (b"ns".to_vec(), b"User talk".to_vec()),
            b"Discussion utilisateur".to_vec(),
        );
        let parsed = TitleBlacklist::parse(b"{{ns:User_talk}}:.*\n{{int:x}}y", &options);
        let regexes: Vec<&[u8]> = parsed.entries().iter().map(Entry::regex).collect();
        assert_eq!(
            regexes,
            vec![&b"Discussion utilisateur:.*"[..], b"{{int:x}}y"]
        );
        let words = magic_words(b"{{ns:User_talk}}:.*\n{{int:x}}y {{ns:User talk}} {{foo:y}}");
        assert_eq!(
            words,
            vec![
                (b"ns".to_vec(), b"User talk".to_vec()),
                (b"int".to_vec(), b"x".to_vec())
            ]
        );
    }

    #[test]
    fn action_rules_table() {
        let blacklist = list(".*foo.*\n.*bar.* <noedit>\n.*mv.* <moveonly|noedit>\n.*acct.* <newaccountonly>\n.*up.* <reupload>");
        // (title, action, expected line)
        let table: &[(&str, &str, Option<usize>)] = &[
            ("Foo", "create", Some(1)),
            ("Foo", "edit", None),
            ("Bar", "edit", Some(2)),
            ("mv", "move", Some(3)),
            ("mv", "edit", None),
            ("acct", "new-account", Some(4)),
            ("acct", "create", None),
            ("up", "upload", None),
            ("up", "create", Some(5)),
            ("", "create", None),
        ];
        for &(title, action, line) in table {
            assert_eq!(
                hit_line(&blacklist, title, action, &flags()),
                line,
                "{title} {action}"
            );
        }
    }

    #[test]
    fn autoconfirmed_entry_loses_to_a_later_plain_one() {
        let blacklist = list("Foo.* <autoconfirmed>\nFoo bar\nBaz.* <autoconfirmed>");
        assert_eq!(hit_line(&blacklist, "Foo bar", "create", &flags()), Some(2));
        assert_eq!(hit_line(&blacklist, "Foo x", "create", &flags()), Some(1));
        let confirmed = CheckFlags {
            autoconfirmed: true,
            ..flags()
        };
        assert_eq!(hit_line(&blacklist, "Foo x", "create", &confirmed), None);
        assert_eq!(
            hit_line(&blacklist, "Foo bar", "create", &confirmed),
            Some(2)
        );
    }

    #[test]
    fn username_sources_limit_new_accounts() {
        let blacklist = list("Evil.*");
        let none = UsernameSources::None;
        let listed = UsernameSources::Listed(vec![b"local".to_vec()]);
        let other = UsernameSources::Listed(vec![b"meta".to_vec()]);
        for (sources, expected) in [(&none, None), (&listed, Some(1)), (&other, None)] {
            let flags = CheckFlags {
                username_sources: sources,
                ..flags()
            };
            assert_eq!(
                hit_line(&blacklist, "Evil", "new-account", &flags),
                expected
            );
            assert_eq!(hit_line(&blacklist, "Evil", "create", &flags), Some(1));
        }
    }

    #[test]
    fn antispoof_entries_match_the_normalized_title() {
        let blacklist = list("PAYPAL <antispoof|casesensitive>\nPAYPAL <casesensitive>");
        let normalized = CheckFlags {
            antispoof_normalized: Some(b"PAYPAL"),
            ..flags()
        };
        assert_eq!(
            hit_line(&blacklist, "PayPaI", "create", &normalized),
            Some(1)
        );
        assert_eq!(hit_line(&blacklist, "PayPaI", "create", &flags()), None);
    }

    #[test]
    fn invalid_regexes_never_match_and_validate_reports_them() {
        let blacklist = list("a(\nx/y\na)(b\n[\\w/]\nok");
        assert_eq!(hit_line(&blacklist, "ab", "create", &flags()), Some(3));
        assert_eq!(hit_line(&blacklist, "x/y", "create", &flags()), None);
        let bad: Vec<usize> = blacklist.bad_lines().map(Entry::line).collect();
        assert_eq!(bad, vec![1, 2, 3, 4]);
        let unmatched: Vec<usize> = blacklist
            .entries()
            .iter()
            .filter(|e| e.engine().is_none())
            .map(Entry::line)
            .collect();
        assert_eq!(unmatched, vec![1, 2, 4]);
    }

    #[test]
    fn pattern_too_large_for_the_automaton_moves_to_pcre() {
        let blacklist = list("Small.*\n(\\w{1000}){30}x\nOther");
        let engines: Vec<Option<EngineKind>> =
            blacklist.entries().iter().map(Entry::engine).collect();
        assert_eq!(
            engines,
            vec![
                Some(EngineKind::Automaton),
                Some(EngineKind::Pcre),
                Some(EngineKind::Automaton)
            ]
        );
        let title = format!("{}x", "é".repeat(30_000));
        assert_eq!(hit_line(&blacklist, &title, "create", &flags()), Some(2));
        assert_eq!(hit_line(&blacklist, "other", "create", &flags()), Some(3));
    }

    /// Regression: beyond a few thousand lines the one shared automaton
    /// exceeded the meta engine's size limits and every line moved to PCRE2
    /// (10,000 lines: 7.6 s to compile). Long lists are now split into
    /// automata, and an entry of each answers.
    #[test]
    fn long_list_moved_every_line_to_pcre() {
        let lines: Vec<String> = (0..3 * AUTOMATON_PATTERNS + 7)
            .map(|i| format!(".*spamword{i}x.*"))
            .collect();
        let blacklist = list(&lines.join("\n"));
        assert!(blacklist.automata.len() >= 4);
        assert!(blacklist
            .entries()
            .iter()
            .all(|e| e.engine() == Some(EngineKind::Automaton)));
        for line in [
            1,
            AUTOMATON_PATTERNS,
            AUTOMATON_PATTERNS + 1,
            2 * AUTOMATON_PATTERNS + 5,
            lines.len(),
        ] {
            let title = format!("A spamword{}x page", line - 1);
            assert_eq!(
                hit_line(&blacklist, &title, "create", &flags()),
                Some(line),
                "{title}"
            );
        }
        assert_eq!(
            hit_line(&blacklist, "A clean page", "create", &flags()),
            None
        );
    }

    #[test]
    fn validate_reports_a_regex_whose_empty_match_hits_a_limit() {
        let blacklist = list("(?R)\n(?R)b");
        let bad: Vec<usize> = blacklist.bad_lines().map(Entry::line).collect();
        assert_eq!(bad, vec![1]);
        // Matching: the limit hit blocks (TitleBlacklist would let it through).
        assert_eq!(hit_line(&blacklist, "x", "create", &flags()), Some(1));
        assert_eq!(blacklist.limit_hits(), 1);
    }

    #[test]
    fn limit_hit_counts_as_a_match() {
        let blacklist = list(r"(a+)+\bb");
        let title = format!("{}b", "a".repeat(40));
        assert_eq!(hit_line(&blacklist, &title, "create", &flags()), Some(1));
        assert_eq!(blacklist.limit_hits(), 1);
    }

    #[test]
    fn invalid_utf8_title_is_an_error() {
        let blacklist = list("x");
        let error = blacklist.check(b"ab\xFF", b"create", &flags()).unwrap_err();
        assert_eq!((error.input(), error.offset()), ("title", 2));
    }
}
