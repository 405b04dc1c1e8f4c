//! Reputation databases shared by a whole process, replaced without a
//! restart.
//!
//! [`open`] returns the one [`Reputation`] of a path in this process
//! (opening it the first time). Each lookup takes the current
//! [`Database`] as an `Arc`, so a lookup in flight keeps the database it
//! started with. At most every reload interval a lookup also `stat`s the
//! path; when the file there is a different one (device, inode, size or
//! modification time changed — a new file renamed into place), it is
//! opened and checked, and either swapped in or refused. A refused file
//! leaves the previous database in service; the refusal is counted and its
//! reason kept for [`Reputation::stats`], and the same file is not tried
//! again until the path changes once more.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use once_cell::sync::Lazy;
use parking_lot::{Mutex, RwLock};

use super::mmdb::{Database, Error};

/// What identifies the file behind a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

fn identity(path: &Path) -> std::io::Result<FileIdentity> {
    let meta = std::fs::metadata(path)?;
    Ok(FileIdentity {
        dev: meta.dev(),
        ino: meta.ino(),
        size: meta.size(),
        mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
    })
}

/// Counters and state of one database, for `stats()` and `phpinfo()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The path as opened.
    pub path: PathBuf,
    /// Lookups answered.
    pub lookups: u64,
    /// Lookups that found a record.
    pub found: u64,
    /// Replacements swapped in.
    pub reloads: u64,
    /// Replacements refused (corrupt or unreadable).
    pub refusals: u64,
    /// Why the last replacement was refused.
    pub last_refusal: Option<String>,
    /// When the database in service was loaded (Unix seconds).
    pub loaded_at: u64,
    /// The reload interval.
    pub reload_interval: Duration,
}

struct Reload {
    /// The file in service, and a refused one not to retry.
    serving: Option<FileIdentity>,
    refused: Option<FileIdentity>,
    last_refusal: Option<String>,
    loaded_at: u64,
}

/// One reputation database of this process.
pub struct Reputation {
    path: PathBuf,
    current: RwLock<Arc<Database>>,
    reload: Mutex<Reload>,
    interval: Duration,
    /// When the next file check is due ([`now_ns`]).
    next_check: AtomicU64,
    lookups: AtomicU64,
    found: AtomicU64,
    reloads: AtomicU64,
    refusals: AtomicU64,
}

impl std::fmt::Debug for Reputation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reputation")
            .field("path", &self.path)
            .finish()
    }
}

static OPEN: Lazy<Mutex<HashMap<PathBuf, Arc<Reputation>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));

/// Monotonic nanoseconds from the coarse clock: every lookup reads it to
/// see whether a file check is due, and it costs a few nanoseconds where
/// `Instant::now()` costs tens. It advances once per kernel tick (a few
/// milliseconds), which is all the precision a reload interval needs.
fn now_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_MONOTONIC_COARSE exists on every
    // Linux since 2.6.32 (on failure `now` stays 0 and the check waits).
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut now) };
    (now.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(now.tv_nsec as u64)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The process-wide [`Reputation`] of `path`, opened on first use with
/// `reload_interval`.
pub fn open(path: &Path, reload_interval: Duration) -> Result<Arc<Reputation>, Error> {
    let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(found) = OPEN.lock().get(&key) {
        return Ok(Arc::clone(found));
    }
    // Opened outside the lock: a slow disk must not stall other paths.
    let serving = identity(&key).ok();
    let database = Database::open(&key)?;
    let reputation = Arc::new(Reputation {
        path: key.clone(),
        current: RwLock::new(Arc::new(database)),
        reload: Mutex::new(Reload {
            serving,
            refused: None,
            last_refusal: None,
            loaded_at: unix_now(),
        }),
        interval: reload_interval,
        next_check: AtomicU64::new(now_ns().saturating_add(reload_interval.as_nanos() as u64)),
        lookups: AtomicU64::new(0),
        found: AtomicU64::new(0),
        reloads: AtomicU64::new(0),
        refusals: AtomicU64::new(0),
    });
    Ok(Arc::clone(OPEN.lock().entry(key).or_insert(reputation)))
}

/// Every database this process has opened, for `phpinfo()`.
pub fn all_open() -> Vec<Arc<Reputation>> {
    let mut all: Vec<_> = OPEN.lock().values().cloned().collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    all
}

impl Reputation {
    /// The database to use for the next lookup (after a reload check when
    /// one is due).
    pub fn database(&self) -> Arc<Database> {
        let now = now_ns();
        let due = self.next_check.load(Ordering::Relaxed);
        if now >= due {
            let next = now.saturating_add(self.interval.as_nanos() as u64);
            // One caller does the check; the others go on with the current file.
            if self
                .next_check
                .compare_exchange(due, next, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                self.check_file();
            }
        }
        Arc::clone(&self.current.read())
    }

    fn check_file(&self) {
        let mut reload = self.reload.lock();
        let seen = match identity(&self.path) {
            Ok(seen) => seen,
            Err(e) => {
                // Gone or unreadable: keep serving what we have.
                reload.last_refusal = Some(format!("{}: {e}", self.path.display()));
                return;
            }
        };
        if Some(seen) == reload.serving || Some(seen) == reload.refused {
            return;
        }
        match Database::open(&self.path) {
            Ok(database) => {
                *self.current.write() = Arc::new(database);
                reload.serving = Some(seen);
                reload.refused = None;
                reload.loaded_at = unix_now();
                self.reloads.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                reload.refused = Some(seen);
                reload.last_refusal = Some(e.to_string());
                self.refusals.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Counts a lookup and whether it found a record. A load and a store
    /// rather than an atomic add: a locked instruction per counter cost
    /// more than a jump-table step, and a process of a non-threaded SAPI
    /// (php-fpm, CLI) is the only writer, so its counts stay exact; under
    /// a threaded SAPI, lookups at the same instant may count once.
    pub fn count_lookup(&self, found: bool) {
        let bump = |counter: &AtomicU64| {
            counter.store(
                counter.load(Ordering::Relaxed).wrapping_add(1),
                Ordering::Relaxed,
            );
        };
        bump(&self.lookups);
        if found {
            bump(&self.found);
        }
    }

    /// The path as opened (absolute).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counters and reload state.
    pub fn stats(&self) -> Stats {
        let reload = self.reload.lock();
        Stats {
            path: self.path.clone(),
            lookups: self.lookups.load(Ordering::Relaxed),
            found: self.found.load(Ordering::Relaxed),
            reloads: self.reloads.load(Ordering::Relaxed),
            refusals: self.refusals.load(Ordering::Relaxed),
            last_refusal: reload.last_refusal.clone(),
            loaded_at: reload.loaded_at,
            reload_interval: self.interval,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::feeds::{parse_line, Builder, Format};

    fn write_db(path: &Path, networks: &[&str]) {
        let mut b = Builder::new();
        for n in networks {
            let (net, rec) = parse_line(&Format::List, "t", n, 5.0).unwrap().unwrap();
            b.add(net, rec);
        }
        let mut out = Vec::new();
        b.into_writer("t", 1, |_, _| {})
            .unwrap()
            .write_to(&mut out)
            .unwrap();
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, out).unwrap();
        std::fs::rename(&tmp, path).unwrap();
    }

    fn found(r: &Reputation, ip: &str) -> bool {
        r.database().find(ip.parse().unwrap()).unwrap().is_some()
    }

    #[test]
    fn replacement_is_swapped_in_and_corrupt_one_refused() {
        let dir = std::env::temp_dir().join(format!("wg-rep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rep.mmdb");
        write_db(&path, &["192.0.2.1"]);
        let r = open(&path, Duration::ZERO).unwrap();
        assert!(
            Arc::ptr_eq(&r, &open(&path, Duration::ZERO).unwrap()),
            "one per path"
        );
        assert!(found(&r, "192.0.2.1") && !found(&r, "192.0.2.2"));
        let in_flight = r.database();
        write_db(&path, &["192.0.2.2"]);
        assert!(found(&r, "192.0.2.2") && !found(&r, "192.0.2.1"));
        assert!(
            in_flight
                .find("192.0.2.1".parse().unwrap())
                .unwrap()
                .is_some(),
            "in-flight lookups keep their file"
        );
        std::fs::write(dir.join("bad"), b"not a database").unwrap();
        std::fs::rename(dir.join("bad"), &path).unwrap();
        assert!(found(&r, "192.0.2.2"), "previous database stays in service");
        assert!(found(&r, "192.0.2.2"));
        let stats = r.stats();
        assert_eq!((stats.reloads, stats.refusals), (1, 1));
        assert!(stats.last_refusal.unwrap().contains("metadata marker"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
