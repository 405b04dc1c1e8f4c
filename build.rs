//! Build script:
//!
//! * records the exact versions of the engine crates, read from
//!   `Cargo.lock`, so `phpinfo()` reports what is really linked in rather
//!   than what `Cargo.toml` asks for;
//! * refuses to build without the system's PCRE2 (see
//!   [`require_system_pcre2`]);
//! * generates the compiled-in Equivset table from the committed
//!   `data/equivset-1.4.3.json` (see `data/equivset-1.4.3.SOURCE.md`).

use std::{env, fs, path::Path};

/// Crates whose versions `phpinfo()` shows, with the environment variable
/// each one is exported as.
const REPORTED: &[(&str, &str)] = &[
    ("ext-php-rs", "WIKIGUARD_DEP_EXT_PHP_RS"),
    ("regex-automata", "WIKIGUARD_DEP_REGEX_AUTOMATA"),
    ("aho-corasick", "WIKIGUARD_DEP_AHO_CORASICK"),
];

/// The Equivset table compiled in, and the version it is.
const EQUIVSET_JSON: &str = "data/equivset-1.4.3.json";
const EQUIVSET_VERSION: &str = "1.4.3";

fn main() {
    require_system_pcre2();
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    generate_equivset(Path::new(&manifest));
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

/// Writes `$OUT_DIR/equivset_table.rs`: `EQUIVSET_VERSION` and
/// `EQUIVSET_ENTRIES`, the `(code point, replacement)` pairs sorted by code
/// point. A malformed data file stops the build: shipping a wrong table
/// would silently change every `ccnorm` answer.
fn generate_equivset(manifest: &Path) {
    let path = manifest.join(EQUIVSET_JSON);
    println!("cargo:rerun-if-changed={}", path.display());
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let mut entries: Vec<(u32, String)> = Vec::with_capacity(map.len());
    for (key, value) in map {
        if key.starts_with('_') {
            continue; // "_readme"
        }
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            fail(&format!(
                "{EQUIVSET_JSON}: key {key:?} is not one code point"
            ));
        };
        let Some(target) = value.as_str() else {
            fail(&format!(
                "{EQUIVSET_JSON}: value of {key:?} is not a string"
            ));
        };
        entries.push((c as u32, target.to_string()));
    }
    // File order is kept (serde_json's preserve_order): `Equivset::all()`
    // in PHP returns the map in that order.
    let mut out = format!(
        "/// Version of the compiled-in table.\npub const EQUIVSET_VERSION: &str = {EQUIVSET_VERSION:?};\n\
         /// (code point, replacement) pairs, in the order of the JSON file.\n\
         pub static EQUIVSET_ENTRIES: [(u32, &str); {}] = [\n",
        entries.len()
    );
    for (cp, target) in &entries {
        out.push_str(&format!("    (0x{cp:X}, {target:?}),\n"));
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    fs::write(Path::new(&out_dir).join("equivset_table.rs"), out)
        .unwrap_or_else(|e| fail(&format!("writing equivset_table.rs: {e}")));
}

/// Stops the build unless `pkg-config` finds `libpcre2-8`. Without it
/// pcre2-sys quietly compiles its own bundled PCRE2, a newer one than PHP
/// links, and the extension would then disagree with PHP about which
/// patterns compile and where they fail (error offsets differ). (A
/// pcre2-sys already compiled bundled stays so until `cargo clean -p
/// pcre2-sys`; `php-tests/pcre_version_matches_php.phpt` catches that.)
fn require_system_pcre2() {
    println!("cargo:rerun-if-env-changed=PCRE2_SYS_STATIC");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    if env::var("PCRE2_SYS_STATIC").is_ok_and(|v| v == "1") {
        fail("PCRE2_SYS_STATIC=1 would link pcre2-sys's bundled PCRE2, not the one PHP uses; unset it");
    }
    let found = std::process::Command::new("pkg-config")
        .args(["--exists", "libpcre2-8"])
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        fail(
            "pkg-config does not find libpcre2-8: install the system PCRE2 that PHP uses \
             (`make deps`, or `apt-get install libpcre2-dev pkg-config`); without it pcre2-sys \
             would compile a bundled PCRE2 that refuses patterns differently from PHP",
        );
    }
}

fn fail(message: &str) -> ! {
    eprintln!("build.rs: {message}");
    std::process::exit(1);
}
