//! Fuzz target bodies (feature `fuzzing`, and `cfg(test)`).
//!
//! Each function takes arbitrary bytes, drives one area of the core and
//! asserts properties beyond "does not crash": valid UTF-8 where the PHP
//! original guarantees it, idempotence where it holds, bounded output,
//! agreement of the linear engine with PCRE2. The cargo-fuzz project in
//! `fuzz/` calls them from libFuzzer; the test at the end of this file
//! replays every committed input of `fuzz/corpus/<target>/` through them, so
//! `cargo test` runs the seeds and the saved crashes without libFuzzer.
//!
//! Inputs that carry two parts (a list and a text, needles and a haystack)
//! are split at the first [`SEPARATOR`] line, which keeps seeds readable.
//!
//! See `docs/fuzzing.md` for the properties and how to run the fuzzers.

use std::net::IpAddr;

use once_cell::sync::Lazy;
use regex_automata::meta;
use regex_automata::util::syntax;

use crate::ip::{mmdb, set::IpSet, utils};
use crate::patterns::keywords::{self, KeywordOptions, KeywordSet};
use crate::patterns::spam::{list, translate, Config, Flavor, PatternSet};
use crate::patterns::title::{CheckFlags, ParseOptions, TitleBlacklist, UsernameSources};
use crate::text::{abusefilter, antispoof, equivset::Equivset, html_entity_decode, utf8_cleanup};

/// Splits a two-part input.
pub const SEPARATOR: &[u8] = b"\n--\n";

/// A target body: panics when a property fails.
pub type Target = fn(&[u8]);

/// Every target, by the name of its fuzz binary and corpus directory.
pub const TARGETS: &[(&str, Target)] = &[
    ("spam_list", spam_list),
    ("spam_meta", spam_meta),
    ("spam_translate", spam_translate),
    ("title", title),
    ("keywords", keywords),
    ("ip_utils", ip_utils),
    ("mmdb", mmdb_bytes),
    ("mmdb_mutated", mmdb_mutated),
    ("text", text),
];

fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memmem::find(data, SEPARATOR) {
        Some(at) => (&data[..at], &data[at + SEPARATOR.len()..]),
        None => (data, b""),
    }
}

/// The linear engine as the spam module configures it: bytes, ASCII case
/// folding, multi-line.
fn linear_regex(pattern: &str) -> Option<meta::Regex> {
    meta::Regex::builder()
        .syntax(
            syntax::Config::new()
                .unicode(false)
                .utf8(false)
                .case_insensitive(true)
                .multi_line(true),
        )
        .configure(meta::Config::new().utf8_empty(false))
        .build(pattern)
        .ok()
}

/// PHP's `preg_match('/…/Sim', …)`: PCRE2, no UTF mode. `None` when the
/// pattern does not compile; `Some(None)` when the evaluation errors (a
/// limit), where PHP's answer is `false` and WikiGuard's is "match".
fn pcre_is_match(pattern: &[u8], text: &[u8]) -> Option<Option<bool>> {
    let pattern = std::str::from_utf8(pattern).ok()?;
    let regex = pcre2::bytes::RegexBuilder::new()
        .caseless(true)
        .multi_line(true)
        .build(pattern)
        .ok()?;
    Some(regex.is_match(text).ok())
}

/// Checks that hits are well formed and agree with `is_match`.
fn check_hits(set: &PatternSet, text: &[u8]) {
    let hits = set.matches(text);
    assert_eq!(set.is_match(text), !hits.is_empty(), "is_match vs matches");
    for hit in &hits {
        assert!(hit.line >= 1, "hit on line 0");
        if !hit.matched.is_empty() {
            assert_eq!(
                text.get(hit.offset..hit.offset + hit.matched.len()),
                Some(&hit.matched[..]),
                "hit text is not at its offset"
            );
        }
    }
}

/// `spam_list`: an arbitrary list text and a text. The list compiles (or
/// fails with an error) for both flavours; hits agree with `is_match`; for
/// SpamBlacklist, `is_match` agrees with PCRE2 running the batch regexes
/// PHP would build, wherever PCRE2 answers.
pub fn spam_list(data: &[u8]) {
    let (list_text, text) = split(data);
    for flavor in [Flavor::Spam, Flavor::Email] {
        let Ok(set) = PatternSet::build(flavor, list_text, &Config::new()) else {
            continue;
        };
        check_hits(&set, text);
        if flavor == Flavor::Email {
            let _ = set.check_email(text, None);
            continue;
        }
        let _ = set.filter(&[text.to_vec()], None);
        if let Some(expected) = php_spam_is_match(list_text, text) {
            // A PCRE2 evaluation that hits PHP's (lower) limit counts as a
            // match here (never failing open).
            let limits_before = set.stats().limit_hits;
            let got = set.is_match(text);
            let hit_limit = set.stats().limit_hits > limits_before;
            assert!(
                got == expected || (got && hit_limit),
                "linear engine vs PCRE2"
            );
        }
    }
}

/// SpamBlacklist's answer with PCRE2 alone, or `None` where PCRE2 cannot
/// answer (a limit), a batch is not UTF-8 (the empty-group rule) or
/// per-line mode would apply (a batch that does not compile).
fn php_spam_is_match(list_text: &[u8], text: &[u8]) -> Option<bool> {
    let fragments = list::strip_lines(list_text);
    let mut any = false;
    for batch in list::build_batches(&fragments, list::BATCH_SIZE) {
        let mut source = br"(?:https?:)?\/\/+[a-z0-9_\-.]*(".to_vec();
        source.extend_from_slice(batch.escaped.as_deref()?);
        source.push(b')');
        any |= pcre_is_match(&source, text)??;
    }
    Some(any)
}

static META_LIST: Lazy<Option<PatternSet>> = Lazy::new(|| {
    let text = include_bytes!("../php-tests/data/meta-global-spam-blacklist-2013-04-28.txt");
    PatternSet::build(Flavor::Spam, text, &Config::new()).ok()
});

/// `spam_meta`: arbitrary text (links, edit text) against the real meta
/// blacklist: hits agree with `is_match`, `filter` names only hit texts.
pub fn spam_meta(data: &[u8]) {
    let set = META_LIST.as_ref();
    assert!(set.is_some(), "the meta list does not compile");
    let Some(set) = set else { return };
    check_hits(set, data);
    let links: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    // filter() joins the sorted links with "\n" (and maps U+FF0E to '.'):
    // a link that matches alone still matches in the joined text (the
    // meta list has no \A, \z or \Z).
    let filtered = set.filter(&links, None);
    if links.iter().any(|link| set.is_match(link)) {
        assert!(filtered.is_some(), "filter missed a matching link");
    }
}

/// `spam_translate`: one fragment and a text. A translated fragment matches
/// exactly where PCRE2 matches it; the linear superset of a PCRE-only
/// fragment matches wherever PCRE2 does.
pub fn spam_translate(data: &[u8]) {
    let (fragment, text) = split(data);
    if fragment.contains(&b'\n') {
        return;
    }
    let escaped = list::escape_slashes(fragment);
    let scan = translate::translate(&escaped);
    let Some(Some(pcre)) = pcre_is_match(&escaped, text) else {
        return;
    };
    match &scan.result {
        Ok(translation) => {
            if let Some(linear) = linear_regex(&translation.regex) {
                assert_eq!(linear.is_match(text), pcre, "translation vs PCRE2");
            }
        }
        Err(translate::Refusal::PcreOnly) => {
            if let Some(linear) = scan.superset.as_deref().and_then(linear_regex) {
                assert!(!pcre || linear.is_match(text), "superset misses a match");
            }
        }
        Err(translate::Refusal::Unsupported) => {}
    }
}

/// `title`: an arbitrary TitleBlacklist text and a title: parsing never
/// fails, a check returns an entry of the list or an error for non-UTF-8.
pub fn title(data: &[u8]) {
    let (list_text, title) = split(data);
    let list = TitleBlacklist::parse(list_text, &ParseOptions::default());
    let _ = list.bad_lines().count();
    let _ = list.heap_bytes();
    let sources = UsernameSources::All;
    for (action, autoconfirmed) in [
        (&b"edit"[..], false),
        (b"create", true),
        (b"new-account", false),
    ] {
        let flags = CheckFlags {
            autoconfirmed,
            source: b"local",
            username_sources: &sources,
            antispoof_normalized: None,
        };
        match list.check(title, action, &flags) {
            Ok(Some(entry)) => assert!(
                list.entries().iter().any(|e| std::ptr::eq(e, entry)),
                "check returned an entry that is not in the list"
            ),
            Ok(None) => {}
            Err(_) => assert!(
                std::str::from_utf8(title).is_err(),
                "error on a UTF-8 title"
            ),
        }
    }
}

/// `keywords`: needles (one per line) and a haystack. `KeywordSet` agrees
/// with the one-shot functions, which agree with a naive search.
pub fn keywords(data: &[u8]) {
    let (needles, haystack) = split(data);
    let needles: Vec<&[u8]> = needles.split(|&b| b == b'\n').collect();
    let naive = |needle: &[u8]| memchr::memmem::find(haystack, needle).is_some();
    if !haystack.is_empty() {
        // Empty needles are skipped (T62203).
        let any = needles.iter().any(|n| !n.is_empty() && naive(n));
        let all = needles.iter().all(|n| n.is_empty() || naive(n));
        assert_eq!(
            keywords::contains_any(haystack, &needles),
            any,
            "contains_any vs naive"
        );
        assert_eq!(
            keywords::contains_all(haystack, &needles),
            all,
            "contains_all vs naive"
        );
    }
    for ccnorm in [false, true] {
        let options = KeywordOptions {
            ccnorm,
            case_insensitive: false,
        };
        let Ok(set) = KeywordSet::new(&needles, options) else {
            continue;
        };
        let (any, all) = if ccnorm {
            (
                keywords::ccnorm_contains_any(haystack, &needles),
                keywords::ccnorm_contains_all(haystack, &needles),
            )
        } else {
            (
                keywords::contains_any(haystack, &needles),
                keywords::contains_all(haystack, &needles),
            )
        };
        assert_eq!(
            set.contains_any(haystack),
            any,
            "KeywordSet::contains_any (ccnorm {ccnorm})"
        );
        assert_eq!(
            set.contains_all(haystack),
            all,
            "KeywordSet::contains_all (ccnorm {ccnorm})"
        );
        let found = set.find(haystack);
        assert!(
            found.windows(2).all(|w| w[0] < w[1]),
            "find is not ascending"
        );
        assert!(
            found.iter().all(|&i| i < needles.len()),
            "find names a missing needle"
        );
        let case_folded = KeywordOptions {
            ccnorm,
            case_insensitive: true,
        };
        if let Ok(folded) = KeywordSet::new(&needles, case_folded) {
            assert!(!set.contains_any(haystack) || folded.contains_any(haystack));
        }
    }
}

/// `ip_utils`: every IPUtils function on arbitrary bytes (the first line is
/// an address, the second a range, the rest an IPSet), with the relations
/// between the validators.
pub fn ip_utils(data: &[u8]) {
    let mut lines = data.split(|&b| b == b'\n');
    let addr = lines.next().unwrap_or_default();
    let range = lines.next().unwrap_or_default();
    let rest: Vec<&[u8]> = lines.collect();
    for s in [addr, range] {
        let valid = utils::is_valid(s);
        assert_eq!(valid, utils::is_valid_ipv4(s) || utils::is_valid_ipv6(s));
        let _ = (
            utils::is_ip_address(s),
            utils::is_ipv4(s),
            utils::is_ipv6(s),
        );
        let _ = (utils::is_valid_range(s), utils::is_public(s));
        let _ = (
            utils::sanitize_ip(s),
            utils::prettify_ip(s),
            utils::to_hex(s),
        );
        let _ = (
            utils::parse_cidr(s),
            utils::parse_range(s),
            utils::canonicalize(s),
        );
        let _ = (utils::sanitize_range(s), utils::get_subnet(s));
        if let Some(hex) = utils::to_hex(s) {
            assert!(hex.len() <= 40, "toHex longer than v6-+32 hex digits");
        }
    }
    let _ = utils::is_in_range(addr, range);
    let set = IpSet::new(rest.iter().copied());
    let _ = (set.warnings().len(), set.heap_bytes(), set.len());
    if set.lookup(addr).is_some() {
        assert!(set.contains(addr), "lookup found what contains denies");
    }
    // The compiled list answers as isInRange over each range in turn.
    assert_eq!(
        utils::RangeList::new(rest.iter().copied()).contains(addr),
        rest.iter().any(|range| utils::is_in_range(addr, range)),
        "RangeList disagrees with isInRange"
    );
}

/// Addresses every database lookup is tried with: fixed ones, plus 16 bytes
/// of the input as an IPv6 and 4 as an IPv4 address.
fn probe_addresses(data: &[u8]) -> Vec<IpAddr> {
    let mut probes: Vec<IpAddr> = [
        "1.1.1.1",
        "81.2.69.160",
        "2001:218::",
        "::",
        "255.255.255.255",
    ]
    .iter()
    .filter_map(|s| s.parse().ok())
    .collect();
    if let Some(bytes) = data.get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
        probes.push(IpAddr::from(bytes));
    }
    if let Some(bytes) = data.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()) {
        probes.push(IpAddr::from(bytes));
    }
    probes
}

fn exercise_database(bytes: Vec<u8>, probes: &[IpAddr]) {
    let Ok(db) = mmdb::Database::from_bytes(bytes) else {
        return;
    };
    let _ = db.raw_metadata();
    let verified = db.verify();
    for &ip in probes {
        if let Ok(Some(hit)) = db.find(ip) {
            let decoded = db.decode(hit.offset);
            if verified.is_ok() {
                assert!(
                    decoded.is_ok(),
                    "verify() passed but a record does not decode"
                );
            }
        }
        let _ = db.lookup(ip);
    }
}

/// `mmdb`: arbitrary bytes as a database file, then lookups.
pub fn mmdb_bytes(data: &[u8]) {
    exercise_database(data.to_vec(), &probe_addresses(data));
}

/// `mmdb_mutated`: a valid test database with bytes overwritten: the input
/// is a list of (offset: u16 little-endian, byte) triples.
pub fn mmdb_mutated(data: &[u8]) {
    let mut db =
        include_bytes!("../php-tests/data/mmdb/test-data/GeoIP2-Anonymous-IP-Test.mmdb").to_vec();
    for edit in data.chunks_exact(3) {
        let at = usize::from(u16::from_le_bytes([edit[0], edit[1]]));
        let len = db.len();
        if let Some(byte) = db.get_mut(at % len) {
            *byte = edit[2];
        }
    }
    let mut probes = probe_addresses(data);
    probes.extend(
        ["1.2.0.0", "81.2.69.0", "::1.2.0.0", "186.30.236.0"]
            .iter()
            .filter_map(|s| s.parse::<IpAddr>().ok()),
    );
    exercise_database(db, &probes);
}

fn assert_utf8(what: &str, bytes: &[u8]) {
    assert!(
        std::str::from_utf8(bytes).is_ok(),
        "{what}: output is not UTF-8"
    );
}

/// `text`: every text function on arbitrary bytes.
pub fn text(data: &[u8]) {
    let equivset = Equivset::bundled();
    let is_utf8 = std::str::from_utf8(data).is_ok();

    let cleaned = utf8_cleanup::cleanup(data);
    assert_utf8("utf8_cleanup", &cleaned);
    assert!(
        cleaned.len() <= 3 * data.len(),
        "utf8_cleanup grew more than 3x"
    );
    assert_eq!(
        utf8_cleanup::cleanup(&cleaned),
        cleaned,
        "utf8_cleanup is not idempotent"
    );

    let decoded = html_entity_decode::html_entity_decode(data);
    assert!(decoded.len() <= data.len(), "html_entity_decode grew");
    let sanitized = abusefilter::sanitize(data);
    let normalized = equivset.normalize(data);
    let ccnormed = abusefilter::ccnorm(equivset, data);
    let normed = abusefilter::norm(equivset, data);
    assert_utf8("norm", &normed);
    if is_utf8 {
        assert_utf8("html_entity_decode", &decoded);
        assert_utf8("sanitize", &sanitized);
        assert_utf8("equivset normalize", &normalized);
        assert_utf8("ccnorm", &ccnormed);
    }

    for (name, rm) in [
        (
            "rmspecials",
            abusefilter::rmspecials as fn(&[u8]) -> Option<Vec<u8>>,
        ),
        ("rmwhitespace", abusefilter::rmwhitespace),
        ("rmdoubles", abusefilter::rmdoubles),
    ] {
        let out = rm(data);
        assert_eq!(out.is_some(), is_utf8, "{name}: None iff not UTF-8");
        if let Some(out) = out {
            assert!(out.len() <= data.len(), "{name} grew");
            assert_eq!(
                rm(&out).as_deref(),
                Some(&out[..]),
                "{name} is not idempotent"
            );
        }
    }
    assert_eq!(
        abusefilter::rmwhitespace(&normed).as_deref(),
        Some(&normed[..]),
        "norm left white space"
    );
    assert_eq!(
        abusefilter::rmspecials(&normed).as_deref(),
        Some(&normed[..]),
        "norm left specials"
    );

    let ratio = abusefilter::specialratio(data);
    assert!(
        (0.0..=1.0).contains(&ratio),
        "specialratio {ratio} out of [0, 1]"
    );

    if let Ok(name) = antispoof::check_unicode_string(equivset, data) {
        assert!(name.starts_with(b"v2:"), "AntiSpoof name without v2:");
        assert_utf8("antispoof", &name);
    }
    let _ = Equivset::from_json(data, "fuzz");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every committed input of `fuzz/corpus/<target>/` (seeds and the
    /// crashes found) through its target.
    #[test]
    fn replay_fuzz_corpora() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        let mut replayed = 0;
        for (name, target) in TARGETS {
            let dir = root.join(name);
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|entry| entry.unwrap().path())
                .collect();
            paths.sort();
            assert!(!paths.is_empty(), "no seeds for {name}");
            for path in paths {
                let data = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| target(&data));
                assert!(outcome.is_ok(), "{name}: {} fails", path.display());
                replayed += 1;
            }
        }
        eprintln!("replayed {replayed} fuzz inputs");
    }

    /// Found by the corpus replay: libmaxminddb's deep-nesting test
    /// database overflowed the 2 MB stack of a test thread, because the
    /// decoder recursed 512 levels (libmaxminddb's limit) before refusing
    /// the record. With 128 levels it is refused within a 1 MB stack even
    /// unoptimized (a thread of a threaded SAPI may have no more).
    #[test]
    fn deep_record_nesting_overflowed_a_thread_stack() {
        let db = include_bytes!(
            "../php-tests/data/mmdb/bad-data/libmaxminddb/libmaxminddb-deep-nesting.mmdb"
        );
        let refused = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let db = mmdb::Database::from_bytes(db.to_vec()).unwrap();
                let probes = probe_addresses(b"");
                probes.iter().any(|&ip| db.lookup(ip).is_err())
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(refused, "the over-deep record must be refused");
    }
}
