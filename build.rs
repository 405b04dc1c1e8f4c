//! Build script: records the exact versions of the engine crates, read from
//! `Cargo.lock`, so `phpinfo()` and `WikiGuard\version()` report what is
//! really linked in rather than what `Cargo.toml` asks for.

use std::{env, fs, path::Path};

/// Crates whose versions `phpinfo()` shows, with the environment variable
/// each one is exported as.
const REPORTED: &[(&str, &str)] = &[
    ("ext-php-rs", "WIKIGUARD_DEP_EXT_PHP_RS"),
    ("regex-automata", "WIKIGUARD_DEP_REGEX_AUTOMATA"),
    ("aho-corasick", "WIKIGUARD_DEP_AHO_CORASICK"),
];

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let lock_path = Path::new(&manifest).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock = fs::read_to_string(&lock_path).unwrap_or_default();
    for (krate, var) in REPORTED {
        let version = locked_version(&lock, krate).unwrap_or_else(|| "not linked".into());
        println!("cargo:rustc-env={var}={version}");
    }
}

/// The version of `krate` in a `Cargo.lock`, if it is listed.
fn locked_version(lock: &str, krate: &str) -> Option<String> {
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = lock[start..].find('"')? + start;
    Some(lock[start..end].to_string())
}
