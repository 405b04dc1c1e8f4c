//! Data-driven tests of the core. The PHP differential tests
//! (php-tests/patterns/) compare the same behaviour with MediaWiki's code.

use super::*;

fn spam(list: &str) -> PatternSet {
    PatternSet::build(Flavor::Spam, list.as_bytes(), &Config::new()).unwrap()
}

/// An expected hit: (line, matched text, offset).
type ExpectedHit = (u32, &'static str, usize);

/// (list, text, expected hits)
const MATCH_CASES: &[(&str, &str, &[ExpectedHit])] = &[
    (
        "tinyurl\\.com",
        "http://www.tinyurl.com/abc",
        &[(1, "tinyurl.com", 11)],
    ),
    (
        "tinyurl\\.com",
        "HTTP://WWW.TINYURL.COM/",
        &[(1, "TINYURL.COM", 11)],
    ),
    ("tinyurl\\.com", "www.tinyurl.com", &[]),
    (
        "\\bfoo\\b",
        "http://foo.bar/ http://xfoo.bar/",
        &[(1, "foo", 7)],
    ),
    // Group 1 is the fragment's text, after the greedy host prefix.
    (
        "example",
        "//a.example.org//example",
        &[(1, "example", 4), (1, "example", 17)],
    ),
    // Batch order, then text order; first alternative wins at a position.
    ("foo\nfoobar", "http://foobar", &[(1, "foo", 7)]),
    (
        "# comment\n\nbar\\.org # trailing\n0\nbaz",
        "http://bar.org http://baz",
        &[(3, "bar.org", 7), (5, "baz", 22)],
    ),
    // Slashes in fragments, with and without (any number of) backslashes.
    ("a\\.com/x", "http://a.com/x", &[(1, "a.com/x", 7)]),
    ("a\\.com\\\\/x", "http://a.com/x", &[(1, "a.com/x", 7)]),
    // Non-ASCII is bytes: é+ repeats the last byte only.
    ("caf\u{e9}+s", "http://caf\u{e9}s", &[(1, "caf\u{e9}s", 7)]),
    // A non-ASCII class is a set of bytes: it cannot match a 3-byte ➨.
    ("[\u{27a1}\u{27a8}]\\.ws", "http://\u{27a8}.ws", &[]),
    (
        "[\u{27a1}\u{27a8}]+\\.ws",
        "http://\u{27a8}.ws",
        &[(1, "\u{27a8}.ws", 7)],
    ),
    // Look-around lines run on PCRE2.
    (
        "dogsex(?!posed)",
        "http://dogsexposed.com http://dogsex.com",
        &[(1, "dogsex", 30)],
    ),
    (
        "(?<=//|\\.)x\\.co\\b",
        "http://x.co http://ax.co",
        &[(1, "x.co", 7)],
    ),
    // A trailing backslash line is skipped.
    ("foo\\\nbar", "http://foo\\ http://bar", &[(2, "bar", 19)]),
];

#[test]
fn matches_table() {
    for (list, text, expected) in MATCH_CASES {
        let set = spam(list);
        let got: Vec<(u32, String, usize)> = set
            .matches(text.as_bytes())
            .into_iter()
            .map(|hit| {
                (
                    hit.line,
                    String::from_utf8_lossy(&hit.matched).into_owned(),
                    hit.offset,
                )
            })
            .collect();
        let expected: Vec<(u32, String, usize)> = expected
            .iter()
            .map(|(l, m, o)| (*l, m.to_string(), *o))
            .collect();
        assert_eq!(got, expected, "list {list:?} text {text:?}");
        assert_eq!(
            set.is_match(text.as_bytes()),
            !expected.is_empty(),
            "is_match: list {list:?} text {text:?}"
        );
    }
}

#[test]
fn non_ascii_is_matched_as_bytes() {
    let set = spam("caf\u{e9}+s");
    assert!(set.is_match(b"http://caf\xc3\xa9\xa9\xa9s"));
    assert!(!set.is_match(b"http://caf\xc3\xa9\xc3\xa9s"));
    // Case folding is ASCII only: \u{c9} is not \u{e9} upper-cased.
    assert!(!set.is_match("http://caf\u{c9}s".as_bytes()));
    assert!(set.is_match(b"HTTP://CAF\xc3\xa9S"));
}

#[test]
fn bad_lines_only_when_a_batch_fails() {
    let set = spam("ok\\.com\nbad\\\n[unclosed\nfine");
    assert_eq!(set.bad_lines(), &[b"bad\\".to_vec(), b"[unclosed".to_vec()]);
    assert!(set.stats().per_line_mode);
    // The other lines still work in per-line mode.
    assert!(set.is_match(b"http://fine"));
    assert!(!set.is_match(b"http://[unclosed"));
    let clean = spam("ok\\.com\nbad\\");
    assert_eq!(clean.bad_lines(), &[b"bad\\".to_vec()]);
    assert!(!clean.stats().per_line_mode);
}

#[test]
fn lines_that_only_balance_together_run_as_their_php_batch() {
    // "(a" and "b)" are invalid alone but form a valid batch:
    // prefix((a|b)) — PHP accepts it and so must we.
    let set = spam("(a\nb)");
    assert!(set.bad_lines().is_empty());
    assert_eq!(set.stats().pcre_batches, 1);
    assert!(set.is_match(b"http://b"));
    let hits = set.matches(b"http://a");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].fragment, b"(a|b)");
}

#[test]
fn invalid_utf8_batch_is_the_empty_group_and_matches_every_url() {
    let set = PatternSet::build(Flavor::Spam, b"foo\nb\xffr", &Config::new()).unwrap();
    let hits = set.matches(b"http://clean.example/");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (
            hits[0].line,
            hits[0].matched.as_slice(),
            hits[0].fragment.as_slice()
        ),
        (1, &b""[..], &b""[..])
    );
    assert!(!set.is_match(b"no url here"));
}

#[test]
fn filter_reproduces_spamblacklist() {
    let set = spam("tinyurl\\.com\nbit\\.ly\nexample");
    let links = |items: &[&str]| {
        items
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect::<Vec<_>>()
    };
    assert_eq!(set.filter(&[], None), None);
    assert_eq!(set.filter(&links(&["http://clean.org/"]), None), None);
    // Sorted, joined, group 1 of each match, array_unique keeping keys.
    let got = set.filter(
        &links(&[
            "http://b.tinyurl.com/",
            "http://c.bit.ly/",
            "http://a.tinyurl.com/",
        ]),
        None,
    );
    assert_eq!(
        got,
        Some(vec![(0, b"tinyurl.com".to_vec()), (2, b"bit.ly".to_vec())])
    );
    // One text per line at most: the "full line" regex ends in `.*`.
    let got = set.filter(
        &links(&[
            "http://bit.ly/x http://tinyurl.com/y",
            "http://example.com/",
        ]),
        None,
    );
    assert_eq!(
        got,
        Some(vec![(0, b"bit.ly".to_vec()), (1, b"example".to_vec())])
    );
    // Fullwidth dot anti-spoof.
    let got = set.filter(&links(&["http://tinyurl\u{ff0e}com/"]), None);
    assert_eq!(got, Some(vec![(0, b"tinyurl.com".to_vec())]));
    // The whitelist strips whole matches first.
    let whitelist = spam("tinyurl\\.com/good");
    let got = set.filter(
        &links(&["http://tinyurl.com/good", "http://tinyurl.com/bad"]),
        Some(&whitelist),
    );
    assert_eq!(got, Some(vec![(0, b"tinyurl.com".to_vec())]));
    let got = set.filter(&links(&["http://tinyurl.com/good"]), Some(&whitelist));
    assert_eq!(got, None);
}

#[test]
fn email_whitelist_wins() {
    let build =
        |list: &str| PatternSet::build(Flavor::Email, list.as_bytes(), &Config::new()).unwrap();
    let blacklist = build("@spam\\.example$\nbad");
    let whitelist = build("^ok@");
    assert!(!blacklist.check_email(b"x@spam.example", None));
    assert!(blacklist.check_email(b"x@fine.example", None));
    assert!(!blacklist.check_email(b"baduser@fine.example", Some(&whitelist)));
    assert!(blacklist.check_email(b"ok@spam.example", Some(&whitelist)));
    assert!(build("").check_email(b"bad", None));
}

/// Regression: SpamBlacklist fails open when a fallback line hits PCRE's
/// backtrack limit; WikiGuard counts the text as a match.
#[test]
fn limit_hit_counts_as_match_never_fail_open() {
    let set = spam("(?<=/)(a+)+$\nevil\\.example");
    // The second URL matches the fallback line, but PCRE2 exhausts its
    // match limit on the first one: PHP's preg_match_all returns false.
    let mut hostile = b"http://".to_vec();
    hostile.extend(std::iter::repeat_n(b'a', 100_000));
    hostile.extend_from_slice(b"!\nhttp://aaa");
    assert!(set.is_match(&hostile));
    assert!(set.stats().limit_hits >= 1);
    // Linear lines are never affected by the limit.
    let mut with_evil = hostile.clone();
    with_evil.extend_from_slice(b"\nhttp://evil.example/");
    assert!(set
        .matches(&with_evil)
        .iter()
        .any(|hit| hit.matched == b"evil.example"));
}

#[test]
fn catastrophic_translatable_fragment_is_linear() {
    let set = spam("(a+)+$\nevil\\.example");
    assert!(set.fallback_lines().is_empty());
    let mut hostile = b"http://".to_vec();
    hostile.extend(std::iter::repeat_n(b'a', 200_000));
    hostile.extend_from_slice(b"!\nhttp://evil.example/");
    let hits = set.matches(&hostile);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched, b"evil.example");
    assert_eq!(set.stats().limit_hits, 0);
}

/// How many batches have built their identification regex.
fn identify_regexes_built(set: &PatternSet) -> usize {
    set.batches
        .iter()
        .filter(|batch| match &batch.run {
            BatchRun::Linear { identify } | BatchRun::Mixed { identify, .. } => {
                identify.get().is_some()
            }
            BatchRun::Pcre { .. } => false,
        })
        .count()
}

/// Regression: the first `is_match()` after a compile built the
/// identification regex of every batch, hit or not (about 3 ms each: 0.3 s
/// for the meta list in a fresh worker, minutes for a million lines). Only
/// batches whose literals occur build theirs.
#[test]
fn first_check_built_every_batch_regex() {
    let list = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/php-tests/data/meta-global-spam-blacklist-2013-04-28.txt"
    ))
    .unwrap();
    let set = PatternSet::build(Flavor::Spam, &list, &Config::new()).unwrap();
    assert!(set.batches.len() > 50);
    // No literal of the list occurs: nothing is built.
    let clean = b"http://qq.zz/\nhttps://zz.qq/";
    assert!(!set.is_match(clean));
    assert_eq!(set.filter(&[clean.to_vec()], None), None);
    assert_eq!(identify_regexes_built(&set), 0);
    // matches() also searches the whole text with the batches that have
    // lines without literals which may match across lines.
    assert!(set.matches(clean).is_empty());
    let across_lines = set
        .batches
        .iter()
        .filter(|batch| !batch.line_local && batch.has_unfiltered)
        .count();
    assert_eq!(identify_regexes_built(&set), across_lines);
    let hits = set.matches(b"http://www.casino-online.example.com/");
    assert!(!hits.is_empty());
    // Only the batches where a literal of the link occurs ("casino",
    // "online", …): a few of the list's batches.
    let built = identify_regexes_built(&set) - across_lines;
    assert!(
        built >= 1 && built * 10 < set.batches.len(),
        "{built} of {} batches built their regex for one link",
        set.batches.len()
    );
}
