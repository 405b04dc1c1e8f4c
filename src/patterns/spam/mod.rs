//! SpamBlacklist and EmailBlacklist lists on a
//! linear-time engine, with the exact answers of MediaWiki's PHP code.
//!
//! # Table of contents
//!
//! * [What it reproduces](#what-it-reproduces)
//! * [How a list is compiled](#how-a-list-is-compiled)
//! * [Never failing open](#never-failing-open)
//! * [Example](#example)
//!
//! # What it reproduces
//!
//! A [`PatternSet`] is built from the text of a list in MediaWiki's
//! spam-blacklist syntax, with the semantics of SpamBlacklist 1.39
//! (`SpamRegexBatch`, `BaseBlacklist`, `SpamBlacklist`, `EmailBlacklist`):
//!
//! * [`list::strip_lines`]: `#` comments, PHP `trim`, `array_filter` (which
//!   also drops a line that is exactly `0`);
//! * lines ending in a backslash are skipped;
//! * [`list::build_batches`]: lines are joined with `|` into batches of about
//!   4 KiB, each escaped (backslashes before `/` dropped, `/` → `\/`) and
//!   wrapped as `/(?:https?:)?\/\/+[a-z0-9_\-.]*(…)/Sim` (spam) or
//!   `/[a-z0-9_\-.]*…/Sim` (email). A batch that is not valid UTF-8 becomes
//!   the empty group `()` and matches every URL, as in PHP;
//! * if PCRE2 rejects any batch, every line becomes its own regex, and the
//!   lines PCRE2 rejects are ignored ([`PatternSet::bad_lines`] lists them);
//! * matching is on bytes (no `/u`): ASCII `\b`, `\w` and case folding;
//!   non-ASCII characters are byte sequences.
//!
//! # How a list is compiled
//!
//! Each line is translated from PCRE to `regex-syntax` only where the
//! meaning is identical ([`translate`]). A literal prefilter
//! (Aho-Corasick, ASCII case-insensitive) holds the literals every match of
//! a translated line must start with — 99.7% of the meta list's lines have
//! them. The few translated lines without such literals go into one small
//! multi-pattern `regex-automata` [`meta::Regex`], one pattern per batch (the
//! URL prefix written once per batch, never once per line), run by the lazy
//! DFA ([`Config::cache_capacity`]).
//!
//! A check is one prefilter scan and one scan of the small regex; only the
//! batches whose literals occur are verified, by a per-batch regex (one
//! capture group per line, built on first use and kept), and only in the
//! links where the literal occurs when no line of the batch can match a
//! newline. (One lazy DFA of all 12,000 lines would have to build DFA states
//! out of thousands of NFA states for every new URL.)
//!
//! Lines with PCRE-only syntax (look-around, …) are *fallback lines*: they
//! run on PCRE2 (the library PHP uses) with PHP's match and depth limits,
//! only where a linear superset of them matches. A batch whose lines could
//! interfere with each other in PCRE (option settings, `\Q`, unbalanced
//! groups that balance across lines) runs on PCRE2 whole, exactly as PHP
//! builds it.
//!
//! # Never failing open
//!
//! PHP's `preg_match_all` returns `false` when it hits the backtrack limit,
//! and SpamBlacklist then skips that whole batch: a crafted URL can switch
//! the blacklist off. Here every translated line is matched in linear time,
//! and if a fallback line's PCRE2 evaluation hits a limit, the text counts
//! as a **match** (counted in [`Stats::limit_hits`]). This is the one
//! deliberate difference from SpamBlacklist.
//!
//! # Example
//!
//! ```
//! use wikiguard::patterns::spam::{Config, Flavor, PatternSet};
//!
//! let list = b"# spam\ntinyurl\\.com\n\\bcasino\\b\n";
//! let set = PatternSet::build(Flavor::Spam, list, &Config::new()).unwrap();
//! assert!(set.is_match(b"http://www.tinyurl.com/abc"));
//! let hits = set.matches(b"see http://www.tinyurl.com/abc");
//! assert_eq!(hits[0].line, 2);
//! assert_eq!(hits[0].matched, b"tinyurl.com");
//! assert_eq!(
//!     set.filter(&[b"http://www.tinyurl.com/abc".to_vec()], None),
//!     Some(vec![(0, b"tinyurl.com".to_vec())])
//! );
//! ```

pub mod list;
mod pcre;
pub mod translate;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aho_corasick::AhoCorasick;
use once_cell::sync::OnceCell;
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet as MatchedPatterns};

use crate::registry::Artifact;
use list::{Batch, Fragment, BATCH_SIZE};
pub use pcre::library_version as pcre_version;
use pcre::Pcre;
use translate::Refusal;

/// Which MediaWiki list a [`PatternSet`] follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// `SpamBlacklist`: fragments are matched in URLs, after the prefix
    /// `(?:https?:)?//+[a-z0-9_\-.]*`.
    Spam,
    /// `EmailBlacklist`: fragments are matched anywhere in an address.
    Email,
}

impl Flavor {
    /// The start of a PHP batch regex, without the delimiter.
    fn pcre_start(self) -> &'static [u8] {
        match self {
            Flavor::Spam => br"(?:https?:)?\/\/+[a-z0-9_\-.]*(",
            Flavor::Email => br"[a-z0-9_\-.]*",
        }
    }

    /// The end of a PHP batch regex, before the delimiter and flags.
    fn pcre_end(self) -> &'static [u8] {
        match self {
            Flavor::Spam => b")",
            Flavor::Email => b"",
        }
    }

    /// The prefix in `regex-syntax` form. For email the PHP prefix binds to
    /// the first alternative only and can match the empty string, so it
    /// never changes whether a batch matches: it is left out.
    fn linear_prefix(self) -> &'static str {
        match self {
            Flavor::Spam => r"(?:https?:)?//+[a-z0-9_\-.]*",
            Flavor::Email => "",
        }
    }

    /// The registry kind of a set of this flavour.
    pub fn registry_kind(self) -> &'static str {
        match self {
            Flavor::Spam => "patterns.spam",
            Flavor::Email => "patterns.email",
        }
    }
}

/// How a [`PatternSet`] is compiled and run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    cache_capacity: usize,
    match_limit: u32,
    depth_limit: u32,
    pcre_jit: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// The defaults: a 32 MiB lazy-DFA cache, PHP's `pcre.backtrack_limit`
    /// (1,000,000) and `pcre.recursion_limit` (100,000) for fallback lines.
    pub fn new() -> Config {
        Config {
            cache_capacity: 32 * 1024 * 1024,
            match_limit: pcre::DEFAULT_MATCH_LIMIT,
            depth_limit: pcre::DEFAULT_DEPTH_LIMIT,
            pcre_jit: true,
        }
    }

    /// The lazy-DFA cache of the combined regex of the lines the literal
    /// prefilter cannot cover, in bytes. A lazy DFA whose cache is too small
    /// for its automaton keeps clearing it and the meta engine falls back to
    /// a ~2,000× slower one; memory is only used as states are built.
    pub fn cache_capacity(mut self, bytes: usize) -> Config {
        self.cache_capacity = bytes;
        self
    }

    /// PCRE2's match limit for fallback lines (PHP `pcre.backtrack_limit`).
    pub fn match_limit(mut self, limit: u32) -> Config {
        self.match_limit = limit;
        self
    }

    /// PCRE2's depth limit for fallback lines (PHP `pcre.recursion_limit`).
    pub fn depth_limit(mut self, limit: u32) -> Config {
        self.depth_limit = limit;
        self
    }

    /// Whether fallback lines are JIT-compiled when PCRE2 has a JIT (PHP
    /// `pcre.jit`, on by default). Off, PCRE2 interprets them, as PHP's
    /// `preg_*` do with `pcre.jit=0`; `make leakcheck` relies on that, since
    /// valgrind cannot follow JIT-generated code.
    pub fn pcre_jit(mut self, enabled: bool) -> Config {
        self.pcre_jit = enabled;
        self
    }

    /// See [`Config::cache_capacity`].
    pub fn get_cache_capacity(&self) -> usize {
        self.cache_capacity
    }

    /// See [`Config::match_limit`].
    pub fn get_match_limit(&self) -> u32 {
        self.match_limit
    }

    /// See [`Config::depth_limit`].
    pub fn get_depth_limit(&self) -> u32 {
        self.depth_limit
    }

    /// See [`Config::pcre_jit`].
    pub fn get_pcre_jit(&self) -> bool {
        self.pcre_jit
    }

    /// The bytes that make two configs different registry keys.
    pub fn key_bytes(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(17);
        key.extend_from_slice(&(self.cache_capacity as u64).to_le_bytes());
        key.extend_from_slice(&self.match_limit.to_le_bytes());
        key.extend_from_slice(&self.depth_limit.to_le_bytes());
        key.push(u8::from(self.pcre_jit));
        key
    }
}

/// Why a list could not be compiled. Lines PCRE2 rejects are not an error
/// (they are ignored, as in PHP); this is reported only when the combined
/// automaton cannot be built at all.
#[derive(Clone, Debug)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// One hit of [`PatternSet::matches`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// 1-based line of the list text that matched.
    pub line: u32,
    /// That line as written in the list (comment cut, trimmed).
    pub fragment: Vec<u8>,
    /// The text the fragment matched (SpamBlacklist's group 1). Empty for
    /// the invalid-UTF-8 empty group and for a batch whose PCRE2 evaluation
    /// hit a limit (see [`Stats::limit_hits`]).
    pub matched: Vec<u8>,
    /// Byte offset of `matched` in the text.
    pub offset: usize,
}

/// Figures about a compiled set, from [`PatternSet::stats`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Time spent compiling.
    pub compile_time: Duration,
    /// Heap bytes of the compiled automata and list text (the lazy-DFA
    /// cache grows on top of this, up to [`Config::cache_capacity`]).
    pub memory_bytes: usize,
    /// Fragments after `stripLines`.
    pub fragments: usize,
    /// Regexes PHP would build (batches, or lines in per-line mode).
    pub batches: usize,
    /// Whether a batch failed to compile and the list was rebuilt one regex
    /// per line.
    pub per_line_mode: bool,
    /// Lines run on PCRE2 (see [`PatternSet::fallback_lines`]).
    pub fallback_lines: usize,
    /// Batches run on PCRE2 whole.
    pub pcre_batches: usize,
    /// PCRE2 evaluations that hit a limit and were counted as a match.
    pub limit_hits: u64,
}

/// A compiled SpamBlacklist or EmailBlacklist list.
pub struct PatternSet {
    flavor: Flavor,
    config: Config,
    fragments: Vec<Fragment>,
    batches: Vec<CompiledBatch>,
    /// The prefilter: every literal that a match of a translated line must
    /// start with (ASCII lower-cased, searched in a lower-cased copy of the
    /// text), for the 99.7% of the meta list's lines that have such literals
    /// of 3+ bytes.
    literals: Option<AhoCorasick>,
    /// Literal pattern → the batches with a line that starts with it.
    literal_batch: Vec<Vec<usize>>,
    /// The translated lines without such literals, one pattern per batch;
    /// `MatchKind::All` so that `which_overlapping_matches` names every batch
    /// that matches. (A combined automaton of all 12,000 lines would have to
    /// build DFA states out of thousands of NFA states for every new URL.)
    linear: Option<meta::Regex>,
    /// Pattern index of `linear` → the batches it stands for (one in
    /// batched mode; in per-line mode consecutive lines are grouped into
    /// patterns of about a batch's size, so the URL prefix is never repeated
    /// per line).
    batches_of_pattern: Vec<Vec<usize>>,
    /// All fallback lines in as few PCRE2 regexes as possible, to answer
    /// "does any fallback line match" in one pass.
    fallback_any: Vec<Pcre>,
    /// One linear pattern per fallback line of a mixed batch that matches a
    /// superset of what the line matches: PCRE2 runs only where it hits.
    fallback_filter: Option<meta::Regex>,
    /// Pattern index of `fallback_filter` → (batch, member position).
    fallback_of_pattern: Vec<(usize, usize)>,
    bad_lines: Vec<Vec<u8>>,
    fallback_lines: Vec<usize>,
    per_line_mode: bool,
    compile_time: Duration,
    memory_bytes: usize,
    limit_hits: AtomicU64,
}

impl fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatternSet")
            .field("flavor", &self.flavor)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// A line of a batch.
#[derive(Clone, Debug)]
struct Member {
    /// Index into the fragments (for the empty group: the batch's first).
    fragment: usize,
    /// The line's text in PCRE form, escaped like its batch.
    escaped: Vec<u8>,
    /// PCRE capturing groups inside the line.
    captures: usize,
    /// The translation, if the line runs on the linear engine.
    linear: Option<String>,
    /// For a fallback line: a linear superset of it (see
    /// [`translate::Scan::superset`]).
    superset: Option<String>,
    /// See [`translate::Scan::can_match_newline`].
    newline: bool,
    /// Whether the literal prefilter covers this (translated) line.
    filtered: bool,
}

struct CompiledBatch {
    members: Vec<Member>,
    /// Whether no linear line of the batch can match a newline.
    line_local: bool,
    /// Whether some translated line has no literal for the prefilter.
    has_unfiltered: bool,
    /// Whether this is the invalid-UTF-8 empty group.
    empty_group: bool,
    run: BatchRun,
}

enum BatchRun {
    /// Every line translated: identified with a per-batch linear regex.
    Linear {
        identify: OnceCell<Result<meta::Regex, String>>,
    },
    /// Translated lines plus self-contained fallback lines.
    Mixed {
        /// The translated lines alone, used when `whole` hits a limit so
        /// that their matches are still reported.
        identify: OnceCell<Result<meta::Regex, String>>,
        /// The whole batch, one capture group per line, on PCRE2.
        whole: Pcre,
        /// Each fallback line alone (member position, regex), to decide
        /// cheaply whether the batch needs evaluating.
        fallback: Vec<(usize, Pcre)>,
        has_linear: bool,
    },
    /// Lines that may interfere with each other: the PHP batch regex itself.
    Pcre {
        whole: Pcre,
        /// `filter()`'s "full line" regex: the batch regex with `.*`
        /// appended as PHP appends it — after any top-level alternation, so
        /// it binds to the last alternative only.
        full_line: Pcre,
    },
}

/// A linear filter regex and, per pattern, the (batch, member position) it
/// stands for.
type FallbackFilter = (Option<meta::Regex>, Vec<(usize, usize)>);

/// How successive matches of one batch regex are collected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Iteration {
    /// `preg_match_all($regex, …)`: every non-overlapping match.
    AllMatches,
    /// `preg_match_all($fullLineRegex, …)` in `SpamBlacklist::filter()`: the
    /// regex with `.*` appended, so a match extends to the end of its line
    /// and at most one match per line is reported.
    FirstPerLine,
}

impl Iteration {
    /// Where the search resumes after a match `start..end`.
    fn next_start(self, text: &[u8], start: usize, end: usize) -> usize {
        match self {
            Iteration::FirstPerLine => {
                let line_end = text
                    .get(end..)
                    .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                    .map_or(text.len(), |newline| end + newline);
                // An empty whole match: PCRE retries one byte further on.
                if line_end == start {
                    line_end + 1
                } else {
                    line_end
                }
            }
            // An empty match: PCRE retries one byte further on.
            Iteration::AllMatches if start == end => end + 1,
            Iteration::AllMatches => end,
        }
    }
}

/// The span of a whole match and the hit it produced.
type Found = (std::ops::Range<usize>, Hit);

impl PatternSet {
    /// Compiles a list text.
    pub fn build(flavor: Flavor, text: &[u8], config: &Config) -> Result<PatternSet, BuildError> {
        let started = Instant::now();
        let fragments = list::strip_lines(text);
        let mut bad_lines: Vec<Vec<u8>> = fragments
            .iter()
            .filter(|fragment| fragment.ends_in_backslash())
            .map(|fragment| fragment.text.clone())
            .collect();

        // validateRegexes: compile every batch; if any fails, rebuild one
        // regex per line and ignore the lines that fail.
        let batched = list::build_batches(&fragments, BATCH_SIZE);
        let batched_ok = batched
            .iter()
            .all(|batch| compile_pcre(config, &batch_source(flavor, batch), false).is_ok());
        let (batches, per_line_mode) = if batched_ok {
            (batched, false)
        } else {
            let per_line = list::build_batches(&fragments, 0);
            let mut valid = Vec::with_capacity(per_line.len());
            for batch in per_line {
                if compile_pcre(config, &batch_source(flavor, &batch), false).is_ok() {
                    valid.push(batch);
                } else if let Some(fragment) = batch.members.first().and_then(|&i| fragments.get(i))
                {
                    bad_lines.push(fragment.text.clone());
                }
            }
            (valid, true)
        };

        let mut compiled = Vec::with_capacity(batches.len());
        for batch in &batches {
            compiled.push(compile_batch(flavor, config, &fragments, batch)?);
        }
        let (literals, literal_batch) = build_literals(&mut compiled)?;
        let (linear, batches_of_pattern) = build_linear(flavor, config, &compiled)?;
        let fallback_lines: Vec<usize> = compiled
            .iter()
            .flat_map(|batch| {
                let whole = matches!(batch.run, BatchRun::Pcre { .. });
                batch
                    .members
                    .iter()
                    .filter(move |member| whole || member.linear.is_none())
                    .map(|member| member.fragment)
            })
            .collect();
        let fallback_any = build_fallback_any(flavor, config, &compiled);
        let (fallback_filter, fallback_of_pattern) = build_fallback_filter(flavor, &compiled)?;
        let memory_bytes = linear.as_ref().map_or(0, meta::Regex::memory_usage)
            + fragments.iter().map(|f| f.text.len() + 32).sum::<usize>()
            + compiled
                .iter()
                .flat_map(|b| b.members.iter())
                .map(|m| m.escaped.len() + m.linear.as_ref().map_or(0, String::len) + 64)
                .sum::<usize>();
        Ok(PatternSet {
            flavor,
            config: config.clone(),
            fragments,
            batches: compiled,
            literals,
            literal_batch,
            linear,
            batches_of_pattern,
            fallback_any,
            fallback_filter,
            fallback_of_pattern,
            bad_lines,
            fallback_lines,
            per_line_mode,
            compile_time: started.elapsed(),
            memory_bytes,
            limit_hits: AtomicU64::new(0),
        })
    }

    /// The flavour this set was built with.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Whether any line matches anywhere in `text`.
    pub fn is_match(&self, text: &[u8]) -> bool {
        if self.linear.as_ref().is_some_and(|re| re.is_match(text)) {
            return true;
        }
        let lines = line_spans(text);
        for (index, hit_lines) in self
            .literal_candidates(text, &lines)
            .into_iter()
            .enumerate()
        {
            // No literal of the batch occurs: none of its filtered lines
            // can match (its unfiltered ones are in `self.linear`), and its
            // regex need not be built.
            if hit_lines.is_empty() {
                continue;
            }
            let Some(batch) = self.batches.get(index) else {
                continue;
            };
            let identify = match &batch.run {
                BatchRun::Linear { identify } | BatchRun::Mixed { identify, .. } => identify,
                BatchRun::Pcre { .. } => continue,
            };
            let Ok(regex) = self.identify_regex(batch, identify) else {
                return true; // never fail open
            };
            let spans: Vec<std::ops::Range<usize>> = if batch.line_local {
                hit_lines
                    .iter()
                    .filter_map(|&line| lines.get(line).cloned())
                    .collect()
            } else {
                std::iter::once(0..text.len()).collect()
            };
            if spans
                .into_iter()
                .any(|span| regex.is_match(Input::new(text).range(span)))
            {
                return true;
            }
        }
        let mut unsure = false;
        let whole_batches = self.batches.iter().filter_map(|batch| match &batch.run {
            BatchRun::Pcre { whole, .. } => Some(whole),
            _ => None,
        });
        let fallback_may_match = self
            .fallback_filter
            .as_ref()
            .is_none_or(|re| re.is_match(text));
        let fallback = self.fallback_any.iter().filter(|_| fallback_may_match);
        for regex in fallback.chain(whole_batches) {
            match regex.is_match(text) {
                Ok(true) => return true,
                Ok(false) => {}
                Err(_) => unsure = true,
            }
        }
        if unsure {
            // The precise per-batch evaluation decides (and counts limits).
            return !self.matches(text).is_empty();
        }
        false
    }

    /// Every hit in `text`, batch by batch in list order and, within a
    /// batch, in text order — exactly the matches `preg_match_all` finds
    /// with each of PHP's batch regexes, each with the line that produced
    /// it.
    pub fn matches(&self, text: &[u8]) -> Vec<Hit> {
        self.found(text, Iteration::AllMatches)
            .into_iter()
            .map(|(_, hit)| hit)
            .collect()
    }

    fn found(&self, text: &[u8], mode: Iteration) -> Vec<Found> {
        // A batch none of whose lines can match a newline only ever matches
        // inside one line of the text (one link): it is searched only in the
        // lines where the combined regex says it matches, so a hit costs a
        // few short searches instead of a scan of every link per batch.
        let lines = line_spans(text);
        let mut hit_lines = self.literal_candidates(text, &lines);
        if let Some(linear) = &self.linear {
            let mut matched = MatchedPatterns::new(linear.pattern_len());
            for (line, span) in lines.iter().enumerate() {
                matched.clear();
                linear
                    .which_overlapping_matches(&Input::new(text).range(span.clone()), &mut matched);
                for pattern in matched.iter() {
                    for &batch in self
                        .batches_of_pattern
                        .get(pattern.as_usize())
                        .into_iter()
                        .flatten()
                    {
                        if let Some(hits) = hit_lines.get_mut(batch) {
                            hits.push(line);
                        }
                    }
                }
            }
        }
        // Fallback lines whose linear superset matches: only those may match.
        let mut maybe_fallback: Vec<(usize, usize)> = Vec::new();
        if let Some(filter) = &self.fallback_filter {
            let mut matched = MatchedPatterns::new(filter.pattern_len());
            filter.which_overlapping_matches(&Input::new(text), &mut matched);
            maybe_fallback.extend(
                matched
                    .iter()
                    .filter_map(|p| self.fallback_of_pattern.get(p.as_usize()).copied()),
            );
        }
        let mut found = Vec::new();
        let whole_text = 0..text.len();
        for (index, (batch, mut hit_lines)) in self.batches.iter().zip(hit_lines).enumerate() {
            hit_lines.sort_unstable();
            hit_lines.dedup();
            // A batch that may match across lines is searched in the whole
            // text: when a literal of it occurs, or when it has lines without
            // literals (the per-line search cannot see a match across lines).
            let linear_hit = !hit_lines.is_empty() || (!batch.line_local && batch.has_unfiltered);
            match &batch.run {
                BatchRun::Linear { identify } => {
                    if linear_hit {
                        self.identify_lines(
                            batch, identify, text, &lines, &hit_lines, mode, &mut found,
                        );
                    }
                }
                BatchRun::Mixed {
                    identify,
                    whole,
                    fallback,
                    has_linear,
                } => {
                    let fallback_hit = fallback.iter().any(|(position, regex)| {
                        maybe_fallback.contains(&(index, *position))
                            && regex.is_match(text) != Ok(false)
                    });
                    if !fallback_hit {
                        // A fallback line that matches nowhere never wins an
                        // alternation: the translated lines alone give PHP's
                        // answer, on the linear engine.
                        if *has_linear && linear_hit {
                            self.identify_lines(
                                batch, identify, text, &lines, &hit_lines, mode, &mut found,
                            );
                        }
                        continue;
                    }
                    let first_fallback = fallback.first().map_or(0, |(position, _)| *position);
                    let before = found.len();
                    if !self.identify_pcre(
                        batch,
                        whole,
                        true,
                        first_fallback,
                        text,
                        mode,
                        &mut found,
                    ) && *has_linear
                    {
                        // PHP would skip this batch (fail open). Report the
                        // degraded hit and what the linear lines find.
                        let degraded = found.split_off(before).pop();
                        self.identify_linear(
                            batch,
                            identify,
                            text,
                            whole_text.clone(),
                            mode,
                            &mut found,
                        );
                        found.extend(degraded);
                    }
                }
                BatchRun::Pcre { whole, full_line } => {
                    // filter() takes its texts from the full-line regex, as
                    // written (all matches of it).
                    let (regex, mode) = match mode {
                        Iteration::FirstPerLine => (full_line, Iteration::AllMatches),
                        Iteration::AllMatches => (whole, Iteration::AllMatches),
                    };
                    self.identify_pcre(batch, regex, false, 0, text, mode, &mut found);
                }
            }
        }
        found
    }

    /// The matches of a batch's translated lines: only in the lines where
    /// the combined regex found it if no line of it can match a newline,
    /// else in the whole text.
    #[allow(clippy::too_many_arguments)]
    fn identify_lines(
        &self,
        batch: &CompiledBatch,
        identify: &OnceCell<Result<meta::Regex, String>>,
        text: &[u8],
        lines: &[std::ops::Range<usize>],
        hit_lines: &[usize],
        mode: Iteration,
        found: &mut Vec<Found>,
    ) {
        if batch.line_local {
            for &line in hit_lines {
                let span = lines.get(line).cloned().unwrap_or_default();
                self.identify_linear(batch, identify, text, span, mode, found);
            }
        } else {
            self.identify_linear(batch, identify, text, 0..text.len(), mode, found);
        }
    }

    fn identify_linear(
        &self,
        batch: &CompiledBatch,
        identify: &OnceCell<Result<meta::Regex, String>>,
        text: &[u8],
        range: std::ops::Range<usize>,
        mode: Iteration,
        found: &mut Vec<Found>,
    ) {
        let Ok(regex) = self.identify_regex(batch, identify) else {
            // Cannot happen (the same lines compiled in the combined regex),
            // but never fail open: report the batch as hit.
            self.push_degraded(batch, 0, range.start, found);
            return;
        };
        // Group i + 1 is the member at positions[i].
        let positions = linear_positions(batch);
        let mut captures = regex.create_captures();
        let mut at = range.start;
        while at <= range.end && range.end <= text.len() {
            regex.search_captures(&Input::new(text).range(at..range.end), &mut captures);
            let Some(whole) = captures.get_match() else {
                break;
            };
            let member = positions.iter().enumerate().find_map(|(group, &position)| {
                captures.get_group(group + 1).map(|span| (position, span))
            });
            if let Some((position, span)) = member {
                found.push((whole.range(), self.hit(batch, position, text, span.range())));
            }
            at = mode.next_start(text, whole.start(), whole.end());
        }
    }

    /// The batch's regex of its translated lines, one capture group per
    /// line, built on first use.
    fn identify_regex<'a>(
        &self,
        batch: &CompiledBatch,
        identify: &'a OnceCell<Result<meta::Regex, String>>,
    ) -> Result<&'a meta::Regex, &'a String> {
        identify
            .get_or_init(|| {
                let alternatives: Vec<String> = linear_positions(batch)
                    .into_iter()
                    .filter_map(|p| batch.members.get(p))
                    .map(|member| format!("({})", member.linear.as_deref().unwrap_or("")))
                    .collect();
                let pattern = format!(
                    "{}(?:{})",
                    self.flavor.linear_prefix(),
                    alternatives.join("|")
                );
                meta::Regex::builder()
                    .configure(linear_config(MatchKind::LeftmostFirst, IDENTIFY_CACHE))
                    .syntax(syntax_config())
                    .build(&pattern)
                    .map_err(|error| error.to_string())
            })
            .as_ref()
    }

    /// For each batch, the lines of `text` where one of its literals occurs
    /// (a translated line can only match where its literal starts).
    fn literal_candidates(&self, text: &[u8], lines: &[std::ops::Range<usize>]) -> Vec<Vec<usize>> {
        let mut candidates = vec![Vec::new(); self.batches.len()];
        let Some(literals) = &self.literals else {
            return candidates;
        };
        // The literals are stored lower-cased; an ASCII-lower-cased copy of
        // the text keeps every offset (building the automaton with
        // `ascii_case_insensitive` costs more than half of a cold compile).
        let folded = text.to_ascii_lowercase();
        for found in literals.find_overlapping_iter(&folded) {
            let line = lines.partition_point(|span| span.end < found.start());
            for &batch in self
                .literal_batch
                .get(found.pattern().as_usize())
                .into_iter()
                .flatten()
            {
                if let Some(list) = candidates.get_mut(batch) {
                    if list.last() != Some(&line) {
                        list.push(line);
                    }
                }
            }
        }
        candidates
    }

    /// Runs a batch on PCRE2 the way `preg_match_all` does. With
    /// `line_groups`, each member is wrapped in its own capture group.
    /// Returns false if PCRE2 hit a limit (a degraded hit is then pushed).
    #[allow(clippy::too_many_arguments)]
    fn identify_pcre(
        &self,
        batch: &CompiledBatch,
        regex: &Pcre,
        line_groups: bool,
        degraded_member: usize,
        text: &[u8],
        mode: Iteration,
        found: &mut Vec<Found>,
    ) -> bool {
        // Group numbers of the members' own groups.
        let base = match self.flavor {
            Flavor::Spam => 2,
            Flavor::Email => 1,
        };
        let mut member_groups = Vec::with_capacity(batch.members.len());
        let mut next = base;
        for member in &batch.members {
            member_groups.push(next);
            next += 1 + member.captures;
        }
        let mut offset = 0;
        while offset <= text.len() {
            let spans = match regex.find_at(text, offset) {
                Ok(Some(spans)) => spans,
                Ok(None) => break,
                Err(_) => {
                    self.limit_hits.fetch_add(1, Ordering::Relaxed);
                    self.push_degraded(batch, degraded_member, offset, found);
                    return false;
                }
            };
            let Some(Some(whole)) = spans.first().copied() else {
                break;
            };
            let (position, span) = if line_groups {
                member_groups
                    .iter()
                    .enumerate()
                    .find_map(|(position, &group)| {
                        spans.get(group).copied().flatten().map(|s| (position, s))
                    })
                    .unwrap_or((0, whole))
            } else {
                // PHP reports a group that did not take part as ''.
                let group = usize::from(self.flavor == Flavor::Spam);
                (
                    0,
                    spans
                        .get(group)
                        .copied()
                        .flatten()
                        .unwrap_or((whole.0, whole.0)),
                )
            };
            let mut hit = self.hit(batch, position, text, span.0..span.1);
            if !line_groups && batch.members.len() > 1 {
                // Lines that interfere are reported as the batch they form.
                hit.fragment = batch
                    .members
                    .iter()
                    .filter_map(|m| self.fragments.get(m.fragment))
                    .map(|f| f.text.clone())
                    .collect::<Vec<_>>()
                    .join(&b'|');
            }
            found.push((whole.0..whole.1, hit));
            offset = mode.next_start(text, whole.0, whole.1);
        }
        true
    }

    fn hit(
        &self,
        batch: &CompiledBatch,
        position: usize,
        text: &[u8],
        span: std::ops::Range<usize>,
    ) -> Hit {
        let member = batch.members.get(position).or(batch.members.first());
        let fragment = member.and_then(|m| self.fragments.get(m.fragment));
        Hit {
            line: fragment.map_or(0, |f| f.line),
            fragment: if batch.empty_group {
                Vec::new()
            } else {
                fragment.map(|f| f.text.clone()).unwrap_or_default()
            },
            matched: text.get(span.clone()).unwrap_or_default().to_vec(),
            offset: span.start,
        }
    }

    /// A hit for a batch whose evaluation could not finish: it counts as a
    /// match with an empty matched text.
    fn push_degraded(
        &self,
        batch: &CompiledBatch,
        position: usize,
        offset: usize,
        found: &mut Vec<Found>,
    ) {
        let mut hit = self.hit(batch, position, b"", 0..0);
        hit.offset = offset;
        found.push((offset..offset, hit));
    }

    /// `SpamBlacklist::filter()` for these links, without MediaWiki's
    /// caching, logging and old-link subtraction: `None` (PHP `false`) when
    /// the edit may be saved, else the unique matched texts with the keys
    /// `array_unique` keeps.
    ///
    /// Steps: no links → `None`; `sort()` (PHP 8 comparison); U+FF0E → `.`;
    /// join with `"\n"`; strip every whitelist match batch by batch (a
    /// whitelist batch whose evaluation errors is skipped, as in PHP);
    /// collect group 1 of every match of every batch.
    pub fn filter(
        &self,
        links: &[Vec<u8>],
        whitelist: Option<&PatternSet>,
    ) -> Option<Vec<(usize, Vec<u8>)>> {
        if links.is_empty() || self.batches.is_empty() {
            return None;
        }
        let mut sorted: Vec<&[u8]> = links.iter().map(Vec::as_slice).collect();
        sorted.sort_by(|a, b| crate::php_strings::compare_strings(a, b));
        let mut text = Vec::new();
        for (index, link) in sorted.iter().enumerate() {
            if index > 0 {
                text.push(b'\n');
            }
            anti_spoof(link, &mut text);
        }
        if let Some(whitelist) = whitelist {
            text = whitelist.strip_matches(text);
        }
        if !self.is_match(&text) {
            return None;
        }
        // The texts come from the "full line" regex: `.*` appended, so
        // each match runs to the end of its line and the next starts there.
        let found = self.found(&text, Iteration::FirstPerLine);
        if found.is_empty() {
            return None;
        }
        let mut unique: Vec<(usize, Vec<u8>)> = Vec::new();
        for (index, (_, hit)) in found.into_iter().enumerate() {
            if !unique.iter().any(|(_, seen)| *seen == hit.matched) {
                unique.push((index, hit.matched));
            }
        }
        Some(unique)
    }

    /// `preg_replace($regex, '', $links)` for each batch regex in order.
    fn strip_matches(&self, mut text: Vec<u8>) -> Vec<u8> {
        if !self.is_match(&text) {
            return text;
        }
        let mode = Iteration::AllMatches;
        for batch in &self.batches {
            let mut found = Vec::new();
            let finished = match &batch.run {
                BatchRun::Linear { identify } => {
                    self.identify_linear(batch, identify, &text, 0..text.len(), mode, &mut found);
                    true
                }
                BatchRun::Mixed { whole, .. } => {
                    self.identify_pcre(batch, whole, true, 0, &text, mode, &mut found)
                }
                BatchRun::Pcre { whole, .. } => {
                    self.identify_pcre(batch, whole, false, 0, &text, mode, &mut found)
                }
            };
            if !finished {
                // preg_replace returned null: PHP keeps the links as they were.
                continue;
            }
            if found.is_empty() {
                continue;
            }
            let mut stripped = Vec::with_capacity(text.len());
            let mut last = 0;
            for (span, _) in &found {
                stripped.extend_from_slice(text.get(last..span.start).unwrap_or_default());
                last = span.end;
            }
            stripped.extend_from_slice(text.get(last..).unwrap_or_default());
            text = stripped;
        }
        text
    }

    /// `EmailBlacklist::checkUser()` for one address: `true` when the
    /// address may be used. An empty blacklist allows everything; a
    /// whitelist match allows; a blacklist match refuses.
    pub fn check_email(&self, email: &[u8], whitelist: Option<&PatternSet>) -> bool {
        if self.batches.is_empty() {
            return true;
        }
        if whitelist.is_some_and(|whitelist| whitelist.is_match(email)) {
            return true;
        }
        !self.is_match(email)
    }

    /// What `SpamRegexBatch::getBadLines()` returns for the list: lines that
    /// end in a backslash, then, only if a batch fails to compile, every
    /// line PCRE2 rejects on its own.
    pub fn bad_lines(&self) -> &[Vec<u8>] {
        &self.bad_lines
    }

    /// The lines run on PCRE2 rather than the linear engine, as (1-based
    /// line, text).
    pub fn fallback_lines(&self) -> Vec<(u32, &[u8])> {
        self.fallback_lines
            .iter()
            .filter_map(|&index| self.fragments.get(index))
            .map(|fragment| (fragment.line, fragment.text.as_slice()))
            .collect()
    }

    /// The number of fragments after `stripLines`.
    pub fn len(&self) -> usize {
        self.fragments.len()
    }

    /// Whether the list has no fragments.
    pub fn is_empty(&self) -> bool {
        self.fragments.is_empty()
    }

    /// Compile time, memory and fallback figures.
    pub fn stats(&self) -> Stats {
        Stats {
            compile_time: self.compile_time,
            memory_bytes: self.memory_bytes,
            fragments: self.fragments.len(),
            batches: self.batches.len(),
            per_line_mode: self.per_line_mode,
            fallback_lines: self.fallback_lines.len(),
            pcre_batches: self
                .batches
                .iter()
                .filter(|b| matches!(b.run, BatchRun::Pcre { .. }))
                .count(),
            limit_hits: self.limit_hits.load(Ordering::Relaxed),
        }
    }

    /// The configuration the set was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Artifact for PatternSet {
    fn heap_bytes(&self) -> usize {
        // The lazy-DFA caches grow with use, each up to its capacity (the
        // combined regex's, and 2 MiB per batch regex built after a hit):
        // an eighth of the combined capacity is the allowance counted
        // against the registry's cap, not a bound.
        self.memory_bytes + self.config.cache_capacity / 8
    }
}

/// Lazy-DFA cache of a per-batch identification regex (a few hundred
/// lines).
const IDENTIFY_CACHE: usize = 2 * 1024 * 1024;

/// Positions of the batch's members that run on the linear engine.
fn linear_positions(batch: &CompiledBatch) -> Vec<usize> {
    (0..batch.members.len())
        .filter(|&p| batch.members.get(p).is_some_and(|m| m.linear.is_some()))
        .collect()
}

/// The literals every match of a translated line starts with (3 bytes or
/// more each, at most 64), or `None` if it has no such set.
fn prefix_literals(regex: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // Parsed case-sensitively: the prefilter matches ASCII case-insensitively.
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(true)
        .build()
        .parse(regex)
        .ok()?;
    let mut seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    seq.optimize_for_prefix_by_preference();
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > 64 || literals.iter().any(|l| l.len() < 3) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The literal prefilter over the translated lines that have literals.
fn build_literals(
    batches: &mut [CompiledBatch],
) -> Result<(Option<AhoCorasick>, Vec<Vec<usize>>), BuildError> {
    // Each distinct literal once (ASCII case folded): the automaton's build
    // time grows with the number of patterns sharing a match.
    let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    for (index, batch) in batches.iter_mut().enumerate() {
        if batch.empty_group {
            continue;
        }
        for member in &mut batch.members {
            let Some(regex) = &member.linear else {
                continue;
            };
            if let Some(literals) = prefix_literals(regex) {
                member.filtered = true;
                for literal in literals {
                    let folded = literal.to_ascii_lowercase();
                    let pattern = *index_of.entry(folded.clone()).or_insert_with(|| {
                        patterns.push(folded);
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    if let Some(list) = owners.get_mut(pattern) {
                        if list.last() != Some(&index) {
                            list.push(index);
                        }
                    }
                }
            }
        }
        batch.has_unfiltered = batch
            .members
            .iter()
            .any(|m| m.linear.is_some() && !m.filtered);
    }
    if patterns.is_empty() {
        return Ok((None, owners));
    }
    let automaton = AhoCorasick::builder()
        .build(&patterns)
        .map_err(|error| BuildError {
            message: format!("the literal prefilter could not be built: {error}"),
        })?;
    Ok((Some(automaton), owners))
}

/// The byte ranges of the `\n`-separated lines of `text`.
fn line_spans(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (at, _) in text.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        spans.push(start..at);
        start = at + 1;
    }
    spans.push(start..text.len());
    spans
}

/// SpamBlacklist's "poor man's anti-spoof" (bug 12896): U+FF0E FULLWIDTH
/// FULL STOP becomes `.`.
fn anti_spoof(link: &[u8], out: &mut Vec<u8>) {
    const FULLWIDTH_DOT: &[u8] = "\u{FF0E}".as_bytes();
    let mut rest = link;
    while let Some(at) = rest
        .windows(FULLWIDTH_DOT.len())
        .position(|w| w == FULLWIDTH_DOT)
    {
        out.extend_from_slice(&rest[..at]);
        out.push(b'.');
        rest = &rest[at + FULLWIDTH_DOT.len()..];
    }
    out.extend_from_slice(rest);
}

/// The PHP regex (without delimiters and flags) of a batch.
fn batch_source(flavor: Flavor, batch: &Batch) -> Vec<u8> {
    let mut source = flavor.pcre_start().to_vec();
    source.extend_from_slice(batch.escaped.as_deref().unwrap_or_default());
    source.extend_from_slice(flavor.pcre_end());
    source
}

fn compile_pcre(config: &Config, source: &[u8], jit: bool) -> Result<Pcre, pcre::CompileError> {
    Pcre::new(
        source,
        config.match_limit,
        config.depth_limit,
        jit && config.pcre_jit,
    )
}

fn compile_batch(
    flavor: Flavor,
    config: &Config,
    fragments: &[Fragment],
    batch: &Batch,
) -> Result<CompiledBatch, BuildError> {
    let Some(escaped) = &batch.escaped else {
        // preg_replace(/u) failed: the batch is the empty group.
        return Ok(CompiledBatch {
            members: vec![Member {
                fragment: batch.members.first().copied().unwrap_or(0),
                escaped: Vec::new(),
                captures: 0,
                linear: Some(String::new()),
                superset: None,
                newline: false,
                filtered: false,
            }],
            has_unfiltered: true,
            line_local: true,
            empty_group: true,
            run: BatchRun::Linear {
                identify: OnceCell::new(),
            },
        });
    };
    let mut members = Vec::with_capacity(batch.members.len());
    let mut interferes = false;
    let mut has_fallback = false;
    for &index in &batch.members {
        let text = fragments
            .get(index)
            .map(|f| f.text.as_slice())
            .unwrap_or_default();
        let member_escaped = list::escape_slashes(text);
        let scan = translate::translate(&member_escaped);
        let superset = scan.superset;
        let linear = match scan.result {
            Ok(translation) => Some(translation.regex),
            Err(Refusal::PcreOnly) => {
                // Self-contained only if PCRE2 accepts it on its own.
                let mut alone = flavor.pcre_start().to_vec();
                alone.extend_from_slice(&member_escaped);
                alone.extend_from_slice(flavor.pcre_end());
                if compile_pcre(config, &alone, false).is_err() {
                    interferes = true;
                }
                has_fallback = true;
                None
            }
            Err(Refusal::Unsupported) => {
                interferes = true;
                None
            }
        };
        members.push(Member {
            fragment: index,
            escaped: member_escaped,
            captures: scan.captures,
            linear,
            superset,
            newline: scan.can_match_newline,
            filtered: false,
        });
    }
    let pcre_error = |error: pcre::CompileError| BuildError {
        message: format!(
            "PCRE2 refused a batch it had accepted: {} at offset {}",
            error.message, error.offset
        ),
    };
    let run = if interferes {
        let source = [flavor.pcre_start(), escaped, flavor.pcre_end()].concat();
        BatchRun::Pcre {
            whole: compile_pcre(config, &source, true).map_err(pcre_error)?,
            full_line: compile_pcre(config, &[source.as_slice(), b".*"].concat(), true)
                .map_err(pcre_error)?,
        }
    } else if has_fallback {
        let grouped: Vec<Vec<u8>> = members
            .iter()
            .map(|m| [b"(", m.escaped.as_slice(), b")"].concat())
            .collect();
        let whole_source = [flavor.pcre_start(), &grouped.join(&b'|'), flavor.pcre_end()].concat();
        let mut fallback = Vec::new();
        for (position, member) in members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.linear.is_none())
        {
            let alone = [
                flavor.pcre_start(),
                member.escaped.as_slice(),
                flavor.pcre_end(),
            ]
            .concat();
            fallback.push((
                position,
                compile_pcre(config, &alone, true).map_err(pcre_error)?,
            ));
        }
        BatchRun::Mixed {
            identify: OnceCell::new(),
            whole: compile_pcre(config, &whole_source, true).map_err(pcre_error)?,
            fallback,
            has_linear: members.iter().any(|m| m.linear.is_some()),
        }
    } else {
        BatchRun::Linear {
            identify: OnceCell::new(),
        }
    };
    if matches!(run, BatchRun::Pcre { .. }) {
        for member in &mut members {
            member.linear = None;
        }
    }
    let line_local = members.iter().all(|m| m.linear.is_none() || !m.newline);
    Ok(CompiledBatch {
        members,
        has_unfiltered: true,
        line_local,
        empty_group: false,
        run,
    })
}

fn syntax_config() -> syntax::Config {
    syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(true)
        .multi_line(true)
}

fn linear_config(kind: MatchKind, cache: usize) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        .utf8_empty(false)
        // Bounded: a list whose automaton would need more is refused with an
        // error instead of exhausting the worker's memory.
        .nfa_size_limit(Some(256 * 1024 * 1024))
        .hybrid_cache_capacity(cache)
}

/// The combined regex: one pattern per batch (or per group of per-line
/// batches) with the translated lines, the URL prefix written once per
/// pattern.
fn build_linear(
    flavor: Flavor,
    config: &Config,
    batches: &[CompiledBatch],
) -> Result<(Option<meta::Regex>, Vec<Vec<usize>>), BuildError> {
    let mut patterns: Vec<String> = Vec::new();
    let mut batches_of_pattern: Vec<Vec<usize>> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    let mut size = 0;
    let flush = |lines: &mut Vec<&str>,
                 members: &mut Vec<usize>,
                 patterns: &mut Vec<String>,
                 owners: &mut Vec<Vec<usize>>| {
        if lines.is_empty() {
            return;
        }
        let mut pattern =
            String::with_capacity(lines.iter().map(|l| l.len() + 5).sum::<usize>() + 40);
        pattern.push_str(flavor.linear_prefix());
        pattern.push_str("(?:");
        for (position, line) in lines.iter().enumerate() {
            if position > 0 {
                pattern.push('|');
            }
            pattern.push_str("(?:");
            pattern.push_str(line);
            pattern.push(')');
        }
        pattern.push(')');
        patterns.push(pattern);
        owners.push(std::mem::take(members));
        lines.clear();
    };
    for (index, batch) in batches.iter().enumerate() {
        if matches!(batch.run, BatchRun::Pcre { .. }) {
            continue;
        }
        let batch_lines: Vec<&str> = batch
            .members
            .iter()
            .filter(|m| !m.filtered)
            .filter_map(|m| m.linear.as_deref())
            .collect();
        if batch_lines.is_empty() {
            continue;
        }
        let batch_size: usize = batch_lines.iter().map(|l| l.len()).sum();
        if size > 0 && size + batch_size > BATCH_SIZE {
            flush(
                &mut lines,
                &mut members,
                &mut patterns,
                &mut batches_of_pattern,
            );
            size = 0;
        }
        size += batch_size;
        lines.extend(batch_lines);
        members.push(index);
    }
    flush(
        &mut lines,
        &mut members,
        &mut patterns,
        &mut batches_of_pattern,
    );
    if patterns.is_empty() {
        return Ok((None, batches_of_pattern));
    }
    let regex = meta::Regex::builder()
        .configure(linear_config(MatchKind::All, config.cache_capacity))
        .syntax(syntax_config())
        .build_many(&patterns)
        .map_err(|error| BuildError {
            message: format!("the combined automaton could not be built: {error}"),
        })?;
    Ok((Some(regex), batches_of_pattern))
}

/// The supersets of the mixed batches' fallback lines, one pattern each.
fn build_fallback_filter(
    flavor: Flavor,
    batches: &[CompiledBatch],
) -> Result<FallbackFilter, BuildError> {
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for (index, batch) in batches.iter().enumerate() {
        if !matches!(batch.run, BatchRun::Mixed { .. }) {
            continue;
        }
        for (position, member) in batch.members.iter().enumerate() {
            if member.linear.is_none() {
                let superset = member.superset.as_deref().unwrap_or("");
                patterns.push(format!("{}(?:{superset})", flavor.linear_prefix()));
                owners.push((index, position));
            }
        }
    }
    if patterns.is_empty() {
        return Ok((None, owners));
    }
    let regex = meta::Regex::builder()
        .configure(linear_config(MatchKind::All, 4 * 1024 * 1024))
        .syntax(syntax_config())
        .build_many(&patterns)
        .map_err(|error| BuildError {
            message: format!("the fallback filter could not be built: {error}"),
        })?;
    Ok((Some(regex), owners))
}

/// All fallback lines joined into one PCRE2 regex, for the "does any
/// fallback line match" check of every search. The lines are
/// self-contained, so the alternation matches exactly when one of them does.
fn build_fallback_any(flavor: Flavor, config: &Config, batches: &[CompiledBatch]) -> Vec<Pcre> {
    let lines: Vec<&[u8]> = batches
        .iter()
        .filter(|b| matches!(b.run, BatchRun::Mixed { .. }))
        .flat_map(|b| b.members.iter())
        .filter(|m| m.linear.is_none())
        .map(|m| m.escaped.as_slice())
        .collect();
    if lines.is_empty() {
        return Vec::new();
    }
    let joined = lines.join(&b'|');
    let source = [
        flavor.pcre_start(),
        b"(?:",
        &joined,
        b")",
        flavor.pcre_end(),
    ]
    .concat();
    if let Ok(regex) = compile_pcre(config, &source, true) {
        return vec![regex];
    }
    lines
        .iter()
        .filter_map(|line| {
            let source = [flavor.pcre_start(), line, flavor.pcre_end()].concat();
            compile_pcre(config, &source, true).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests;
