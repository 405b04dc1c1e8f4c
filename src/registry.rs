//! The process-wide registry of compiled artifacts.
//!
//! A PHP-FPM worker serves thousands of requests, and MediaWiki rebuilds the
//! same spam blacklist, title blacklist or IP set in each of them. The
//! registry keeps what was compiled once and hands it back on the next
//! request for the cost of hashing the input.
//!
//! * **Keys.** An artifact is keyed by its kind (`"spam"`, `"ipset"`, …) and
//!   a seeded 128-bit XXH3 hash of the exact input bytes. The seed is drawn
//!   once per process, so an editor who controls list text cannot aim a
//!   collision at another list.
//! * **Memory cap.** Each artifact reports its heap size. When the sum goes
//!   over the capacity (INI `wikiguard.cache_max_mb`, default 256 MiB), the
//!   least recently used entries are dropped. An artifact larger than the
//!   whole capacity is built and returned, but not kept.
//! * **Lifetimes.** Callers get an `Arc`. Evicting an entry only drops the
//!   registry's reference: a PHP object that still holds the artifact keeps
//!   it alive until that object is freed.
//! * **Building.** The lock is not held while an artifact compiles, so a slow
//!   build never blocks lookups of other artifacts. If two threads (ZTS) build
//!   the same key at once, the first one stored wins and both get it.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use parking_lot::Mutex;

/// Default capacity: 256 MiB, the default of `wikiguard.cache_max_mb`.
pub const DEFAULT_CAPACITY_BYTES: usize = 256 * 1024 * 1024;

/// Something the registry can keep: it must say how much memory it holds.
pub trait Artifact: Any + Send + Sync {
    /// Approximate heap bytes owned by this artifact, used for the cap.
    fn heap_bytes(&self) -> usize;
}

/// Counters reported by [`Registry::stats`] (and `WikiGuard\cache_stats()`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegistryStats {
    /// Artifacts currently kept.
    pub entries: usize,
    /// Sum of their [`Artifact::heap_bytes`].
    pub bytes: usize,
    /// The configured cap in bytes.
    pub capacity_bytes: usize,
    /// Lookups answered from the registry.
    pub hits: u64,
    /// Lookups that had to build.
    pub misses: u64,
    /// Entries dropped to stay under the cap (including artifacts too large
    /// to keep at all).
    pub evictions: u64,
    /// Total time spent building artifacts after a miss.
    pub compile_time: Duration,
}

/// The key of one artifact: its kind and the hash of its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    kind: &'static str,
    hash: u128,
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    bytes: usize,
    last_used: u64,
}

struct State {
    entries: HashMap<Key, Entry>,
    clock: u64,
    stats: RegistryStats,
}

/// A memory-capped, least-recently-used store of compiled artifacts.
pub struct Registry {
    seed: u64,
    state: Mutex<State>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("stats", &self.stats())
            .finish()
    }
}

static GLOBAL: Lazy<Registry> = Lazy::new(|| Registry::new(DEFAULT_CAPACITY_BYTES));

impl Registry {
    /// An empty registry that keeps at most `capacity_bytes`.
    pub fn new(capacity_bytes: usize) -> Self {
        Registry {
            seed: process_seed(),
            state: Mutex::new(State {
                entries: HashMap::new(),
                clock: 0,
                stats: RegistryStats {
                    capacity_bytes,
                    ..RegistryStats::default()
                },
            }),
        }
    }

    /// The registry shared by the whole process (every request of a PHP
    /// worker).
    pub fn global() -> &'static Registry {
        &GLOBAL
    }

    /// Changes the cap, evicting at once if the registry is now over it.
    pub fn set_capacity(&self, capacity_bytes: usize) {
        let mut state = self.state.lock();
        state.stats.capacity_bytes = capacity_bytes;
        evict_to_capacity(&mut state);
    }

    /// Returns the artifact of `kind` built from `input`, building it with
    /// `build` if the registry does not have it.
    ///
    /// `input` is every byte string the artifact depends on (list text,
    /// options, …); each part is hashed with its length, so `["ab", "c"]` and
    /// `["a", "bc"]` are different keys. A build error is returned as is and
    /// nothing is stored.
    pub fn get_or_build<T, E>(
        &self,
        kind: &'static str,
        input: &[&[u8]],
        build: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E>
    where
        T: Artifact,
    {
        let key = Key {
            kind,
            hash: self.hash(input),
        };
        if let Some(found) = self.lookup::<T>(key) {
            return Ok(found);
        }
        let started = Instant::now();
        let built = Arc::new(build()?);
        let elapsed = started.elapsed();
        Ok(self.store(key, built, elapsed))
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> RegistryStats {
        self.state.lock().stats.clone()
    }

    /// Drops every entry (counters other than `entries` and `bytes` stay).
    pub fn clear(&self) {
        let mut state = self.state.lock();
        state.entries.clear();
        state.stats.entries = 0;
        state.stats.bytes = 0;
    }

    fn hash(&self, input: &[&[u8]]) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::with_seed(self.seed);
        for part in input {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.digest128()
    }

    fn lookup<T: Artifact>(&self, key: Key) -> Option<Arc<T>> {
        let mut state = self.state.lock();
        state.clock += 1;
        let now = state.clock;
        let found = state.entries.get_mut(&key).and_then(|entry| {
            entry.last_used = now;
            Arc::clone(&entry.value).downcast::<T>().ok()
        });
        match found {
            Some(_) => state.stats.hits += 1,
            None => state.stats.misses += 1,
        }
        found
    }

    fn store<T: Artifact>(&self, key: Key, built: Arc<T>, elapsed: Duration) -> Arc<T> {
        let bytes = built.heap_bytes();
        let mut state = self.state.lock();
        state.stats.compile_time += elapsed;
        state.clock += 1;
        let now = state.clock;
        // Another thread may have stored the same key while we built.
        if let Some(existing) = state.entries.get_mut(&key) {
            existing.last_used = now;
            if let Ok(existing) = Arc::clone(&existing.value).downcast::<T>() {
                return existing;
            }
        }
        if bytes > state.stats.capacity_bytes {
            state.stats.evictions += 1;
            return built;
        }
        let value: Arc<dyn Any + Send + Sync> = built.clone();
        if let Some(replaced) = state.entries.insert(
            key,
            Entry {
                value,
                bytes,
                last_used: now,
            },
        ) {
            state.stats.bytes -= replaced.bytes;
            state.stats.entries -= 1;
        }
        state.stats.bytes += bytes;
        state.stats.entries += 1;
        evict_to_capacity(&mut state);
        built
    }
}

fn evict_to_capacity(state: &mut State) {
    while state.stats.bytes > state.stats.capacity_bytes {
        let oldest = state
            .entries
            .iter()
            .min_by_key(|(_, entry)| entry.last_used)
            .map(|(key, _)| *key);
        let Some(oldest) = oldest else { break };
        if let Some(evicted) = state.entries.remove(&oldest) {
            state.stats.bytes -= evicted.bytes;
            state.stats.entries -= 1;
            state.stats.evictions += 1;
        }
    }
}

/// A per-process seed from the standard library's randomly keyed hasher.
fn process_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct Blob(usize);
    impl Artifact for Blob {
        fn heap_bytes(&self) -> usize {
            self.0
        }
    }

    fn build_counting(counter: &Cell<u32>, size: usize) -> impl FnOnce() -> Result<Blob, ()> + '_ {
        move || {
            counter.set(counter.get() + 1);
            Ok(Blob(size))
        }
    }

    #[test]
    fn second_lookup_of_same_input_does_not_rebuild() {
        let registry = Registry::new(1000);
        let builds = Cell::new(0);
        let a = registry
            .get_or_build("t", &[b"list"], build_counting(&builds, 10))
            .unwrap();
        let b = registry
            .get_or_build("t", &[b"list"], build_counting(&builds, 10))
            .unwrap();
        assert_eq!(builds.get(), 1);
        assert!(Arc::ptr_eq(&a, &b));
        let stats = registry.stats();
        assert_eq!(
            (stats.hits, stats.misses, stats.entries, stats.bytes),
            (1, 1, 1, 10)
        );
    }

    #[test]
    fn kind_and_part_boundaries_are_part_of_the_key() {
        let registry = Registry::new(1000);
        let builds = Cell::new(0);
        registry
            .get_or_build("a", &[b"ab", b"c"], build_counting(&builds, 1))
            .unwrap();
        registry
            .get_or_build("a", &[b"a", b"bc"], build_counting(&builds, 1))
            .unwrap();
        registry
            .get_or_build("b", &[b"ab", b"c"], build_counting(&builds, 1))
            .unwrap();
        assert_eq!(builds.get(), 3);
        assert_eq!(registry.stats().entries, 3);
    }

    #[test]
    fn least_recently_used_entry_is_evicted_first() {
        let registry = Registry::new(100);
        let builds = Cell::new(0);
        registry
            .get_or_build("t", &[b"one"], build_counting(&builds, 40))
            .unwrap();
        registry
            .get_or_build("t", &[b"two"], build_counting(&builds, 40))
            .unwrap();
        // Touch "one" so that "two" becomes the oldest.
        registry
            .get_or_build("t", &[b"one"], build_counting(&builds, 40))
            .unwrap();
        registry
            .get_or_build("t", &[b"three"], build_counting(&builds, 40))
            .unwrap();
        let stats = registry.stats();
        assert_eq!((stats.entries, stats.bytes, stats.evictions), (2, 80, 1));
        assert_eq!(builds.get(), 3);
        registry
            .get_or_build("t", &[b"one"], build_counting(&builds, 40))
            .unwrap();
        assert_eq!(builds.get(), 3, "one must have survived");
        registry
            .get_or_build("t", &[b"two"], build_counting(&builds, 40))
            .unwrap();
        assert_eq!(builds.get(), 4, "two must have been evicted");
    }

    #[test]
    fn artifact_larger_than_capacity_is_returned_but_not_kept() {
        let registry = Registry::new(10);
        let builds = Cell::new(0);
        let big = registry
            .get_or_build("t", &[b"big"], build_counting(&builds, 11))
            .unwrap();
        assert_eq!(big.0, 11);
        let stats = registry.stats();
        assert_eq!((stats.entries, stats.bytes, stats.evictions), (0, 0, 1));
    }

    #[test]
    fn build_error_is_returned_and_nothing_is_stored() {
        let registry = Registry::new(100);
        let failed: Result<Arc<Blob>, &str> =
            registry.get_or_build("t", &[b"x"], || Err("bad line 3"));
        assert_eq!(failed.err(), Some("bad line 3"));
        assert_eq!(registry.stats().entries, 0);
    }

    #[test]
    fn shrinking_capacity_evicts_immediately() {
        let registry = Registry::new(100);
        let builds = Cell::new(0);
        registry
            .get_or_build("t", &[b"a"], build_counting(&builds, 30))
            .unwrap();
        registry
            .get_or_build("t", &[b"b"], build_counting(&builds, 30))
            .unwrap();
        registry.set_capacity(40);
        let stats = registry.stats();
        assert_eq!(
            (stats.entries, stats.bytes, stats.capacity_bytes),
            (1, 30, 40)
        );
    }

    #[test]
    fn clear_empties_the_registry() {
        let registry = Registry::new(100);
        registry
            .get_or_build("t", &[b"a"], || Ok::<_, ()>(Blob(5)))
            .unwrap();
        registry.clear();
        assert_eq!((registry.stats().entries, registry.stats().bytes), (0, 0));
    }
}
