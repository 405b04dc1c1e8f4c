//! MMDB records as PHP arrays, built from a per-database cache of
//! decoded records.
//!
//! A record is decoded (with all the checks of [`crate::ip::mmdb`]) once
//! per database and data offset into a flat list of [`Op`]s; each lookup
//! then builds fresh PHP arrays from that list: arrays sized up front,
//! short strings shared as interned zend_strings. The PHP values are the
//! ones php-maxminddb gives: uint64 above PHP_INT_MAX as a decimal string,
//! uint128 as a `0x…` hex string, float widened to double, map keys that
//! look like integers as integer keys (PHP's array-key rule).
//!
//! The cache holds the database (so a replaced file's records are never
//! served for the new one: entries are per open database, not per path)
//! and is bounded: [`RECORD_BUDGET`] bytes per thread, emptied when full.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_char;
use std::ptr::NonNull;
use std::sync::Arc;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

use crate::ip::mmdb::{self, Database, Value};

/// The longest string [`InternedStrings`] keeps.
const INTERNED_MAX_LEN: usize = 64;
/// Slots of [`InternedStrings`] (a power of two): at most this many
/// strings of at most [`INTERNED_MAX_LEN`] bytes, about 400 KB per thread.
const INTERNED_SLOTS: usize = 4096;
/// Most bytes of decoded records cached per thread.
const RECORD_BUDGET: usize = 8 << 20;
/// Most databases with cached records per thread; past it the cache
/// starts over.
const MAX_DATABASES: usize = 8;

/// `IS_STR_INTERNED | IS_STR_PERMANENT` (Zend/zend_types.h, PHP 8.2).
const INTERNED_FLAGS: u32 = (1 << 6) | (1 << 8);
/// A zval's type for an interned string: `IS_STRING` without the
/// refcounted flag (`IS_INTERNED_STRING_EX`).
const IS_INTERNED_STRING_EX: u32 = 6;

extern "C" {
    /// The engine's string hash (`ZSTR_H` of an interned string must be
    /// set: hash tables read it without computing it).
    fn zend_hash_func(str: *const c_char, len: usize) -> u64;
    fn zend_hash_update(ht: *mut ZendHashTable, key: *mut ZendStr, data: *mut Zval) -> *mut Zval;
    fn zend_hash_index_update(ht: *mut ZendHashTable, h: u64, data: *mut Zval) -> *mut Zval;
    fn zend_hash_next_index_insert(ht: *mut ZendHashTable, data: *mut Zval) -> *mut Zval;
    /// `pefree(…, 1)` of a persistent zend_string.
    fn free(ptr: *mut std::ffi::c_void);
}

/// The short strings of MMDB records (keys such as `country` or
/// `iso_code`, values such as `en`), made once per thread as permanent
/// interned zend_strings, the kind PHP makes for literals: arrays take
/// them without allocating or hashing, and PHP never frees or changes
/// them (refcounting skips interned strings).
///
/// Direct-mapped and never evicting (an array may still hold any string
/// handed out), so the memory is bounded by the slot count; a string
/// whose slot holds another one is allocated per use instead.
#[derive(Default)]
struct InternedStrings {
    slots: Vec<Option<NonNull<ZendStr>>>,
}

impl InternedStrings {
    fn get(&mut self, bytes: &[u8]) -> Option<NonNull<ZendStr>> {
        if bytes.len() > INTERNED_MAX_LEN {
            return None;
        }
        if self.slots.is_empty() {
            self.slots = vec![None; INTERNED_SLOTS];
        }
        // SAFETY: a valid byte range.
        let hash = unsafe { zend_hash_func(bytes.as_ptr().cast(), bytes.len()) };
        let slot = &mut self.slots[hash as usize & (INTERNED_SLOTS - 1)];
        if let Some(string) = *slot {
            // SAFETY: interned strings live as long as the process.
            let held = unsafe { string.as_ref() }.as_bytes();
            return (held == bytes).then_some(string);
        }
        // SAFETY: a persistent (malloc'd) string that nothing else holds
        // yet; marking it interned and setting its hash is what
        // zend_new_interned_string does.
        let string = unsafe {
            let string = NonNull::new(ext_php_rs::ffi::ext_php_rs_zend_string_init(
                bytes.as_ptr().cast(),
                bytes.len(),
                true,
            ))?;
            (*string.as_ptr()).gc.u.type_info |= INTERNED_FLAGS;
            (*string.as_ptr()).h = hash;
            string
        };
        *slot = Some(string);
        Some(string)
    }
}

impl Drop for InternedStrings {
    /// At thread (or process) exit, after the engine has destroyed every
    /// array of the thread's requests.
    fn drop(&mut self) {
        for string in self.slots.drain(..).flatten() {
            // SAFETY: made by `zend_string_init(…, persistent)`, i.e.
            // malloc; nothing refers to it any more.
            unsafe { free(string.as_ptr().cast()) };
        }
    }
}

/// A string of a decoded record.
enum Str {
    Interned(NonNull<ZendStr>),
    Owned(Box<[u8]>),
}

impl Str {
    fn new(bytes: &[u8], strings: &mut Option<&mut InternedStrings>) -> Str {
        match strings.as_mut().and_then(|s| s.get(bytes)) {
            Some(string) => Str::Interned(string),
            None => Str::Owned(bytes.into()),
        }
    }

    fn zval(&self) -> Zval {
        let mut zval = Zval::new();
        match self {
            Str::Interned(string) => {
                zval.value.str_ = string.as_ptr();
                zval.u1.type_info = IS_INTERNED_STRING_EX;
            }
            Str::Owned(bytes) => return owned_zval(bytes),
        }
        zval
    }
}

fn owned_zval(bytes: &[u8]) -> Zval {
    let mut zval = Zval::new();
    zval.set_zend_string(ZendStr::new(bytes, false));
    zval
}

/// One step of building a record, in document order.
enum Op {
    /// A map: this many (key, value) pairs follow.
    Map(u32),
    /// A list: this many values follow.
    List(u32),
    /// A map key PHP reads as an integer.
    Index(i64),
    /// Any other map key.
    Key(Str),
    Str(Str),
    Long(i64),
    Double(f64),
    Bool(bool),
}

/// Appends the ops of `value`; returns the bytes they hold.
fn flatten(
    value: &Value<'_>,
    strings: &mut Option<&mut InternedStrings>,
    ops: &mut Vec<Op>,
) -> usize {
    let mut held = std::mem::size_of::<Op>();
    let mut string = |bytes: &[u8], strings: &mut Option<&mut InternedStrings>| {
        let s = Str::new(bytes, strings);
        if let Str::Owned(_) = s {
            held += bytes.len();
        }
        s
    };
    let mut nested = 0;
    let op = match value {
        Value::Str(s) | Value::Bytes(s) => Op::Str(string(s, strings)),
        Value::Double(d) => Op::Double(*d),
        Value::Float(f) => Op::Double(f64::from(*f)),
        Value::U16(n) => Op::Long(i64::from(*n)),
        Value::U32(n) => Op::Long(i64::from(*n)),
        Value::I32(n) => Op::Long(i64::from(*n)),
        Value::U64(n) => match i64::try_from(*n) {
            Ok(n) => Op::Long(n),
            Err(_) => Op::Str(string(n.to_string().as_bytes(), strings)),
        },
        Value::U128(n) => Op::Str(string(format!("0x{n:032X}").as_bytes(), strings)),
        Value::Bool(b) => Op::Bool(*b),
        Value::Map(entries) => {
            ops.push(Op::Map(entries.len() as u32));
            for (key, value) in entries {
                // The decoder refuses map keys that are not UTF-8.
                let name = String::from_utf8_lossy(key);
                ops.push(match ArrayKey::from(name.as_ref()) {
                    ArrayKey::Long(n) => Op::Index(n),
                    _ => Op::Key(string(key, strings)),
                });
                nested += std::mem::size_of::<Op>() + flatten(value, strings, ops);
            }
            return held + nested;
        }
        Value::Array(items) => {
            ops.push(Op::List(items.len() as u32));
            for item in items {
                nested += flatten(item, strings, ops);
            }
            return held + nested;
        }
    };
    ops.push(op);
    held
}

/// Builds PHP values from ops.
struct Builder<'o> {
    ops: std::slice::Iter<'o, Op>,
}

impl Builder<'_> {
    fn value(&mut self) -> Zval {
        let mut zval = Zval::new();
        match self.ops.next() {
            Some(Op::Map(len)) => zval.set_hashtable(self.map(*len, 0)),
            Some(Op::List(len)) => zval.set_hashtable(self.list(*len)),
            Some(Op::Str(s)) => return s.zval(),
            Some(Op::Long(n)) => zval.set_long(*n),
            Some(Op::Double(d)) => zval.set_double(*d),
            Some(Op::Bool(b)) => zval.set_bool(*b),
            // Keys come only after Map ops; flatten() never ends early.
            Some(Op::Index(_) | Op::Key(_)) | None => zval.set_null(),
        }
        zval
    }

    /// A map of `len` entries, with room for `extra` more.
    fn map(&mut self, len: u32, extra: u32) -> ZBox<ZendHashTable> {
        let mut table = ZendHashTable::with_capacity(len.saturating_add(extra));
        for _ in 0..len {
            match self.ops.next() {
                Some(Op::Index(index)) => {
                    let value = self.value();
                    insert_index(&mut table, *index, value);
                }
                Some(Op::Key(key)) => {
                    let value = self.value();
                    insert(&mut table, key, value);
                }
                _ => break,
            }
        }
        table
    }

    fn list(&mut self, len: u32) -> ZBox<ZendHashTable> {
        let mut table = ZendHashTable::with_capacity(len);
        for _ in 0..len {
            let value = self.value();
            let mut value = std::mem::ManuallyDrop::new(value);
            // SAFETY: a live array, which takes over the value.
            unsafe { zend_hash_next_index_insert(&mut *table, &mut *value) };
        }
        table
    }

    /// The record as the top-level array: a map as it is, anything else
    /// under `value`; with room for `extra` more entries.
    fn record(&mut self, extra: u32) -> ZBox<ZendHashTable> {
        if let Some(Op::Map(len)) = self.ops.as_slice().first() {
            self.ops.next();
            return self.map(*len, extra);
        }
        let mut table = ZendHashTable::with_capacity(1 + extra);
        let value = self.value();
        insert(&mut table, &Str::Owned(Box::from(&b"value"[..])), value);
        table
    }
}

/// Sets `key` (not an integer-like key) in `table`.
fn insert(table: &mut ZendHashTable, key: &Str, value: Zval) {
    let mut value = std::mem::ManuallyDrop::new(value);
    match key {
        // SAFETY: a live array, which takes over the value; interned keys
        // are not refcounted and carry their hash.
        Str::Interned(key) => unsafe {
            zend_hash_update(table, key.as_ptr(), &mut *value);
        },
        Str::Owned(bytes) => {
            let mut key = ZendStr::new(bytes, false);
            // SAFETY: as above; the table takes its own reference to a
            // non-interned key (and computes its hash), ours is dropped.
            unsafe { zend_hash_update(table, &mut *key, &mut *value) };
        }
    }
}

fn insert_index(table: &mut ZendHashTable, index: i64, value: Zval) {
    let mut value = std::mem::ManuallyDrop::new(value);
    // SAFETY: a live array, which takes over the value.
    unsafe { zend_hash_index_update(table, index as u64, &mut *value) };
}

/// Hashes a data offset with one multiplication: offsets are not chosen
/// by the caller (they come from the database's own tree), so the
/// randomized default hasher would buy nothing but cost.
#[derive(Default)]
struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type RecordMap = HashMap<usize, Box<[Op]>, std::hash::BuildHasherDefault<OffsetHasher>>;

/// The cached records of one open database.
struct DatabaseRecords {
    database: Arc<Database>,
    records: RecordMap,
    /// Bytes held by `records`.
    held: usize,
}

#[derive(Default)]
struct Cache {
    strings: InternedStrings,
    databases: Vec<DatabaseRecords>,
    held: usize,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

impl Cache {
    /// The cached records of `database`.
    fn records(&mut self, database: &Arc<Database>) -> &mut RecordMap {
        let found = self
            .databases
            .iter()
            .position(|d| Arc::ptr_eq(&d.database, database));
        let at = match found {
            Some(at) => at,
            None => {
                // Forget databases nobody else holds (replaced or closed).
                self.databases
                    .retain(|d| Arc::strong_count(&d.database) > 1);
                if self.databases.len() >= MAX_DATABASES {
                    self.databases.clear();
                }
                self.held = self.databases.iter().map(|d| d.held).sum();
                self.databases.push(DatabaseRecords {
                    database: Arc::clone(database),
                    records: RecordMap::default(),
                    held: 0,
                });
                self.databases.len() - 1
            }
        };
        &mut self.databases[at].records
    }

    /// The ops of the record at `offset`, decoded now if not cached.
    fn record(&mut self, database: &Arc<Database>, offset: usize) -> Result<&[Op], mmdb::Error> {
        if !self.records(database).contains_key(&offset) {
            let value = database.decode(offset)?;
            let mut ops = Vec::new();
            let held = flatten(&value, &mut Some(&mut self.strings), &mut ops);
            if self.held + held > RECORD_BUDGET {
                for d in &mut self.databases {
                    d.records.clear();
                    d.held = 0;
                }
                self.held = 0;
            }
            self.held += held;
            self.records(database).insert(offset, ops.into());
            if let Some(d) = self
                .databases
                .iter_mut()
                .find(|d| Arc::ptr_eq(&d.database, database))
            {
                d.held += held;
            }
        }
        Ok(self
            .records(database)
            .get(&offset)
            .map_or(&[], |ops| &ops[..]))
    }
}

/// The record at data offset `offset` of `database` as a PHP array (a
/// map as it is, anything else under `value`), plus `network`.
pub(super) fn record_array(
    database: &Arc<Database>,
    offset: usize,
    network: &[u8],
) -> Result<ZBox<ZendHashTable>, mmdb::Error> {
    CACHE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cache) => {
            let cache = &mut *cache;
            let ops = cache.record(database, offset)?;
            let mut array = Builder { ops: ops.iter() }.record(1);
            let network = owned_zval(network);
            let key = Str::new(b"network", &mut Some(&mut cache.strings));
            insert(&mut array, &key, network);
            Ok(array)
        }
        // Still borrowed: only after a fatal error jumped out of a lookup.
        // Build without the cache.
        Err(_) => {
            let value = database.decode(offset)?;
            let mut ops = Vec::new();
            flatten(&value, &mut None, &mut ops);
            let mut array = Builder { ops: ops.iter() }.record(1);
            let key = Str::Owned(Box::from(&b"network"[..]));
            insert(&mut array, &key, owned_zval(network));
            Ok(array)
        }
    })
}

/// A decoded map (the metadata) as a PHP array; `None` for anything else.
pub(super) fn value_array(value: &Value<'_>) -> Option<ZBox<ZendHashTable>> {
    if !matches!(value, Value::Map(_)) {
        return None;
    }
    let mut ops = Vec::new();
    flatten(value, &mut None, &mut ops);
    Some(Builder { ops: ops.iter() }.record(0))
}
