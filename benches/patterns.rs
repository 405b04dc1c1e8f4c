//! Criterion benches of the pattern core on the real meta spam blacklist
//! (12,145 fragments): cold compile, a clean 500-URL check, a 500-URL check
//! with blacklisted links, and a typical 10-link edit.
//!
//! The PHP side-by-side comparison is benches/php/spam.php; the figures are
//! in docs/benchmarks.md.
#![allow(missing_docs)] // criterion_group! generates undocumented items
#![allow(clippy::expect_used)] // a bench may stop on broken fixtures

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use wikiguard::patterns::spam::{Config, Flavor, PatternSet};

const META_LIST: &[u8] =
    include_bytes!("../php-tests/data/meta-global-spam-blacklist-2013-04-28.txt");

/// Hosts that no line of the meta list matches.
const CLEAN_HOSTS: &[&str] = &[
    "en.wikipedia.org",
    "www.nytimes.com",
    "archive.org",
    "www.bbc.co.uk",
    "doi.org",
    "www.theguardian.com",
    "github.com",
    "www.nature.com",
];

/// `count` clean links, the same formula as benches/php/spam.php.
fn clean_links(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            let host = CLEAN_HOSTS[i % CLEAN_HOSTS.len()];
            format!("https://{host}/wiki/Article_{i}?oldid={}", i * 7919).into_bytes()
        })
        .collect()
}

/// Clean links with every 50th replaced by a blacklisted one.
fn dirty_links(count: usize) -> Vec<Vec<u8>> {
    let mut links = clean_links(count);
    for (n, link) in links.iter_mut().enumerate().step_by(50) {
        *link = format!("http://www.tinyurl.com/spam{n}").into_bytes();
    }
    links
}

fn joined(links: &[Vec<u8>]) -> Vec<u8> {
    links.join(&b'\n')
}

fn benches(c: &mut Criterion) {
    let config = Config::new();
    let mut group = c.benchmark_group("meta-list");
    group.sample_size(10);
    group.bench_function("compile (cold)", |b| {
        b.iter(|| PatternSet::build(Flavor::Spam, black_box(META_LIST), &config))
    });
    let set = PatternSet::build(Flavor::Spam, META_LIST, &config).expect("the meta list compiles");
    group.finish();

    let clean = clean_links(500);
    let clean_text = joined(&clean);
    assert!(!set.is_match(&clean_text), "the clean URLs must not match");
    let dirty = dirty_links(500);
    assert_eq!(set.filter(&dirty, None).map(|hits| hits.len()), Some(1));
    let edit = dirty_links(10);

    let mut group = c.benchmark_group("check");
    group.bench_function("is_match, 500 clean URLs", |b| {
        b.iter(|| set.is_match(black_box(&clean_text)))
    });
    group.bench_function("filter, 500 clean URLs", |b| {
        b.iter(|| set.filter(black_box(&clean), None))
    });
    group.bench_function("filter, 500 URLs, 10 blacklisted", |b| {
        b.iter(|| set.filter(black_box(&dirty), None))
    });
    group.bench_function("filter, 10-link edit, 1 blacklisted", |b| {
        b.iter(|| set.filter(black_box(&edit), None))
    });
    group.finish();
}

criterion_group!(patterns, benches);
criterion_main!(patterns);
