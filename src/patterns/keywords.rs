//! Keyword search: AbuseFilter's `contains_any`, `contains_all`,
//! `ccnorm_contains_any` and `ccnorm_contains_all`, and [`KeywordSet`], the
//! same tests over a needle list compiled once into an Aho-Corasick
//! automaton.
//!
//! # AbuseFilter's semantics (`FilterEvaluator::contains()`, 1.39)
//!
//! * An empty haystack gives `false`, for *any* and *all* alike.
//! * The ccnorm variants then apply `Equivset::normalize` to the haystack
//!   (after the empty test, so a haystack is never empty only after
//!   normalization) and to every needle. There is no HTML entity decoding.
//! * A needle that is empty (after normalization, for the ccnorm variants)
//!   is skipped (T62203): `contains_all("abc", "")` is `true` and
//!   `contains_any("abc", "")` is `false`.
//! * The test is a byte `strpos`, case-sensitive.
//!
//! [`KeywordSet`] answers the same way for its whole needle list, and can
//! also fold ASCII case the way PHP 8.2's `stripos` does.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::text::equivset::Equivset;

/// How a [`KeywordSet`] compares text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeywordOptions {
    /// Normalize needles and haystacks with the bundled Equivset table, as
    /// `ccnorm_contains_*` do.
    pub ccnorm: bool,
    /// Fold ASCII letters only, as PHP 8.2's `stripos` does (after ccnorm,
    /// when both are on).
    pub case_insensitive: bool,
}

/// A needle list that cannot be compiled (too large for the automaton).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordError {
    message: String,
}

impl KeywordError {
    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for KeywordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KeywordError {}

/// A compiled needle list.
///
/// Needles are identified by their 0-based position in the list given to
/// [`KeywordSet::new`]. Equal needles (after normalization) share one
/// automaton pattern, and needles that are empty after normalization are
/// skipped as AbuseFilter skips them.
#[derive(Debug)]
pub struct KeywordSet {
    options: KeywordOptions,
    /// `None` when every needle is empty.
    searcher: Option<AhoCorasick>,
    /// For each automaton pattern, the positions of the needles it stands for.
    positions: Vec<Vec<usize>>,
    needle_bytes: usize,
}

impl KeywordSet {
    /// Compiles `needles` with `options`.
    pub fn new<N: AsRef<[u8]>>(
        needles: &[N],
        options: KeywordOptions,
    ) -> Result<KeywordSet, KeywordError> {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut positions: Vec<Vec<usize>> = Vec::new();
        let mut index_of: std::collections::HashMap<Vec<u8>, usize> =
            std::collections::HashMap::new();
        for (position, needle) in needles.iter().enumerate() {
            let mut needle = prepare(needle.as_ref(), options.ccnorm);
            if options.case_insensitive {
                needle.make_ascii_lowercase();
            }
            if needle.is_empty() {
                continue;
            }
            let next = patterns.len();
            let pattern = *index_of.entry(needle.clone()).or_insert(next);
            if pattern == next {
                patterns.push(needle);
                positions.push(Vec::new());
            }
            positions[pattern].push(position);
        }
        let needle_bytes = patterns.iter().map(Vec::len).sum();
        let searcher = if patterns.is_empty() {
            None
        } else {
            Some(build_searcher(&patterns, options.case_insensitive)?)
        };
        Ok(KeywordSet {
            options,
            searcher,
            positions,
            needle_bytes,
        })
    }

    /// The options the set was built with.
    pub fn options(&self) -> KeywordOptions {
        self.options
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        self.searcher.as_ref().map_or(0, AhoCorasick::memory_usage)
            + self.needle_bytes
            + self
                .positions
                .iter()
                .map(|p| p.capacity() * std::mem::size_of::<usize>())
                .sum::<usize>()
    }

    /// `contains_any(haystack, ...needles)` (`ccnorm_contains_any` with
    /// `ccnorm`).
    pub fn contains_any(&self, haystack: &[u8]) -> bool {
        if haystack.is_empty() {
            return false;
        }
        let Some(searcher) = &self.searcher else {
            return false;
        };
        let haystack = prepare(haystack, self.options.ccnorm);
        searcher.is_match(&haystack[..])
    }

    /// `contains_all(haystack, ...needles)` (`ccnorm_contains_all` with
    /// `ccnorm`).
    pub fn contains_all(&self, haystack: &[u8]) -> bool {
        if haystack.is_empty() {
            return false;
        }
        let Some(searcher) = &self.searcher else {
            return true;
        };
        let haystack = prepare(haystack, self.options.ccnorm);
        let mut seen = vec![false; self.positions.len()];
        let mut missing = seen.len();
        for found in searcher.find_overlapping_iter(&haystack[..]) {
            let slot = &mut seen[found.pattern().as_usize()];
            if !*slot {
                *slot = true;
                missing -= 1;
                if missing == 0 {
                    return true;
                }
            }
        }
        false
    }

    /// The positions of the needles present in `haystack`, ascending. Every
    /// needle is reported, including needles inside other needles and
    /// overlapping ones. An empty haystack contains nothing.
    pub fn find(&self, haystack: &[u8]) -> Vec<usize> {
        let (Some(searcher), false) = (&self.searcher, haystack.is_empty()) else {
            return Vec::new();
        };
        let haystack = prepare(haystack, self.options.ccnorm);
        let mut seen = vec![false; self.positions.len()];
        for found in searcher.find_overlapping_iter(&haystack[..]) {
            seen[found.pattern().as_usize()] = true;
        }
        let mut present: Vec<usize> = seen
            .iter()
            .zip(&self.positions)
            .filter(|(seen, _)| **seen)
            .flat_map(|(_, positions)| positions.iter().copied())
            .collect();
        present.sort_unstable();
        present
    }
}

fn build_searcher(
    patterns: &[Vec<u8>],
    case_insensitive: bool,
) -> Result<AhoCorasick, KeywordError> {
    let mut builder = AhoCorasick::builder();
    // Standard semantics: the only kind that reports overlapping matches, so
    // find() sees a needle even when it sits inside another one.
    builder
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(case_insensitive);
    // A DFA scans fastest; past a few hundred needles its memory grows
    // quickly, so larger lists take the contiguous NFA.
    if patterns.len() <= 500 {
        builder.kind(Some(AhoCorasickKind::DFA));
    }
    builder.build(patterns).map_err(|e| KeywordError {
        message: format!("cannot compile {} needles: {e}", patterns.len()),
    })
}

fn prepare(text: &[u8], ccnorm: bool) -> Vec<u8> {
    if ccnorm {
        Equivset::bundled().normalize(text)
    } else {
        text.to_vec()
    }
}

/// `FilterEvaluator::contains()`, step for step.
fn contains<N: AsRef<[u8]>>(haystack: &[u8], needles: &[N], is_any: bool, normalize: bool) -> bool {
    if haystack.is_empty() {
        return false;
    }
    let normalized;
    let haystack = if normalize {
        normalized = Equivset::bundled().normalize(haystack);
        &normalized[..]
    } else {
        haystack
    };
    for needle in needles {
        let normalized_needle;
        let needle = if normalize {
            normalized_needle = Equivset::bundled().normalize(needle.as_ref());
            &normalized_needle[..]
        } else {
            needle.as_ref()
        };
        if needle.is_empty() {
            continue; // T62203
        }
        let is_found = memchr::memmem::find(haystack, needle).is_some();
        if is_found == is_any {
            return is_found;
        }
    }
    !is_any
}

/// AbuseFilter's `contains_any(haystack, ...needles)`.
pub fn contains_any<N: AsRef<[u8]>>(haystack: &[u8], needles: &[N]) -> bool {
    contains(haystack, needles, true, false)
}

/// AbuseFilter's `contains_all(haystack, ...needles)`.
pub fn contains_all<N: AsRef<[u8]>>(haystack: &[u8], needles: &[N]) -> bool {
    contains(haystack, needles, false, false)
}

/// AbuseFilter's `ccnorm_contains_any(haystack, ...needles)`.
pub fn ccnorm_contains_any<N: AsRef<[u8]>>(haystack: &[u8], needles: &[N]) -> bool {
    contains(haystack, needles, true, true)
}

/// AbuseFilter's `ccnorm_contains_all(haystack, ...needles)`.
pub fn ccnorm_contains_all<N: AsRef<[u8]>>(haystack: &[u8], needles: &[N]) -> bool {
    contains(haystack, needles, false, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abusefilter_functions_table() {
        // (haystack, needles, any, all)
        let table: &[(&str, &[&str], bool, bool)] = &[
            ("", &["a"], false, false),
            ("", &[], false, false),
            ("abc", &[], false, true),
            ("abc", &[""], false, true),
            ("abc", &["", "b"], true, true),
            ("abc", &["B"], false, false),
            ("abc", &["x", "c"], true, false),
            ("a\0b", &["\0"], true, true),
        ];
        for &(haystack, needles, any, all) in table {
            assert_eq!(
                contains_any(haystack.as_bytes(), needles),
                any,
                "any {haystack:?} {needles:?}"
            );
            assert_eq!(
                contains_all(haystack.as_bytes(), needles),
                all,
                "all {haystack:?} {needles:?}"
            );
        }
    }

    #[test]
    fn ccnorm_normalizes_both_sides() {
        let equivset = Equivset::bundled();
        let lookalike = "\u{0440}ay\u{0440}al"; // Cyrillic er
        assert_eq!(
            equivset.normalize(lookalike.as_bytes()),
            equivset.normalize(b"paypal")
        );
        assert!(ccnorm_contains_any(lookalike.as_bytes(), &["PAYPAL"]));
        assert!(!contains_any(lookalike.as_bytes(), &["paypal"]));
    }

    #[test]
    fn keyword_set_agrees_with_the_functions() {
        let needles = ["he", "she", "hers", "", "his", "she"];
        let set = KeywordSet::new(&needles, KeywordOptions::default()).unwrap();
        for haystack in ["", "ushers", "his", "nothing", "she"] {
            let h = haystack.as_bytes();
            assert_eq!(set.contains_any(h), contains_any(h, &needles), "{haystack}");
            assert_eq!(set.contains_all(h), contains_all(h, &needles), "{haystack}");
        }
        assert_eq!(set.find(b"ushers"), vec![0, 1, 2, 5]);
        assert_eq!(set.find(b""), Vec::<usize>::new());
    }

    #[test]
    fn case_insensitive_folds_ascii_only() {
        let options = KeywordOptions {
            case_insensitive: true,
            ..KeywordOptions::default()
        };
        let set = KeywordSet::new(&["ViAgRa", "É"], options).unwrap();
        assert_eq!(set.find("buy VIAGRA é".as_bytes()), vec![0]);
    }

    #[test]
    fn needles_empty_after_ccnorm_are_skipped() {
        let options = KeywordOptions {
            ccnorm: true,
            ..KeywordOptions::default()
        };
        let set = KeywordSet::new(&[""], options).unwrap();
        assert!(set.contains_all(b"x"));
        assert!(!set.contains_any(b"x"));
    }
}
