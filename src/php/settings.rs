//! INI settings: declared at MINIT, read once there, never on the hot path
//! (`ExecutorGlobals::ini_values()` builds a map of every INI value on each
//! call) — except the reputation database settings, read per use with one
//! hash lookup (`current()`), because php-fpm applies a pool's
//! `php_admin_value[...]` in each worker after MINIT.

use ext_php_rs::ffi::zend_ini_entry;
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, IniEntryDefs};
use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};
use once_cell::sync::OnceCell;

use crate::registry::DEFAULT_CAPACITY_BYTES;

/// The settings, all `PHP_INI_SYSTEM`: they shape process-wide state, so
/// they come from php.ini (or `-d`), not from `ini_set()`.
static INI: IniEntryDefs<6> = IniEntryDefs::new([
    IniEntryDef::new(
        c"wikiguard.cache_max_mb",
        c"256",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(c"wikiguard.test_hooks", c"0", IniEntryPermission::System),
    IniEntryDef::new(c"wikiguard.equivset_path", c"", IniEntryPermission::System),
    // IPReputation::configured(): the MMDB file, and how often (seconds)
    // a lookup checks whether it was replaced.
    IniEntryDef::new(c"wikiguard.reputation_db", c"", IniEntryPermission::System),
    IniEntryDef::new(
        c"wikiguard.reload_interval",
        c"5",
        IniEntryPermission::System,
    ),
    IniEntryDef::end(),
]);

/// The values read at MINIT.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `wikiguard.cache_max_mb` in bytes.
    pub cache_max_bytes: usize,
    /// `wikiguard.test_hooks`: enables `WikiGuard\Internal\*`.
    pub test_hooks: bool,
    /// `wikiguard.equivset_path`: an equivset.json to use instead of the
    /// bundled table; empty for the bundled one.
    pub equivset_path: String,
    /// Every `wikiguard.*` value as given, for `phpinfo()`.
    pub raw: Vec<(String, String)>,
}

static SETTINGS: OnceCell<Settings> = OnceCell::new();

/// The default of `wikiguard.reload_interval`.
const DEFAULT_RELOAD_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Registers the INI entries and reads their values.
pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
    let values = ExecutorGlobals::get().ini_values();
    let mut raw: Vec<(String, String)> = values
        .into_iter()
        .filter(|(name, _)| name.starts_with("wikiguard."))
        .map(|(name, value)| (name, value.unwrap_or_default()))
        .collect();
    raw.sort();
    let value = |name: &str| {
        raw.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default()
    };
    let cache_max_bytes = value("wikiguard.cache_max_mb")
        .parse::<usize>()
        .map(|mb| mb.saturating_mul(1024 * 1024))
        .unwrap_or(DEFAULT_CAPACITY_BYTES);
    let test_hooks = matches!(
        value("wikiguard.test_hooks").as_str(),
        "1" | "on" | "On" | "true" | "yes"
    );
    let equivset_path = value("wikiguard.equivset_path");
    let _ = SETTINGS.set(Settings {
        cache_max_bytes,
        test_hooks,
        equivset_path,
        raw,
    });
}

/// The settings read at MINIT (defaults if MINIT has not run).
pub fn get() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings {
        cache_max_bytes: DEFAULT_CAPACITY_BYTES,
        test_hooks: false,
        equivset_path: String::new(),
        raw: Vec::new(),
    })
}

/// `wikiguard.reputation_db` as it is now, if set.
pub fn reputation_db() -> Option<String> {
    current("wikiguard.reputation_db").filter(|path| !path.is_empty())
}

/// `wikiguard.reload_interval` as it is now (the default if unparsable).
pub fn reload_interval() -> std::time::Duration {
    current("wikiguard.reload_interval")
        .and_then(|seconds| seconds.parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .map_or(DEFAULT_RELOAD_INTERVAL, std::time::Duration::from_secs_f64)
}

/// PHP's `pcre.jit` as it is now (on if unset), read as `zend_ini_parse_bool`
/// does: WikiGuard's PCRE2 fallbacks JIT-compile exactly when `preg_*` do.
pub fn pcre_jit() -> bool {
    current("pcre.jit").is_none_or(|value| {
        ["true", "yes", "on"]
            .iter()
            .any(|word| value.eq_ignore_ascii_case(word))
            || value
                .bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0u64, |n, d| {
                    n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
                })
                != 0
    })
}

/// The current value of one INI entry, trimmed: what `ini_get()` returns,
/// including a value php-fpm set for the worker's pool after MINIT.
fn current(name: &str) -> Option<String> {
    // SAFETY: EG(ini_directives) is null before engine start-up (handled by
    // as_ref) and then valid for the life of the process; its values are
    // zend_ini_entry pointers owned by the table, read on the thread that
    // owns the executor globals.
    let entry = unsafe {
        let directives = ExecutorGlobals::get().ini_directives.as_ref()?;
        directives.get(name)?.ptr::<zend_ini_entry>()?.as_ref()?
    };
    // SAFETY: an entry's value is null or a live zend_string.
    let value = unsafe { entry.value.as_ref() }?;
    Some(String::from_utf8_lossy(value.as_bytes()).trim().to_string())
}

/// The INI table of the `phpinfo()` section.
pub fn print_info() {
    info_table_start!();
    info_table_header!("Directive", "Value at startup");
    for (name, value) in &get().raw {
        info_table_row!(name.replace('\0', " "), value.replace('\0', " "));
    }
    info_table_end!();
}
