//! MMDB records as PHP arrays, built once per record and shared the way
//! OPcache shares constant arrays.
//!
//! A record is decoded (with all the checks of [`crate::ip::mmdb`]) once
//! per database and data offset into a flat list of [`Op`]s, and from them
//! into persistent, immutable PHP arrays (a [`SharedRecord`]). The answer
//! to a lookup, the record's top-level array plus `network`, is made once
//! per network (at its second lookup) as one more immutable array, in one
//! allocation with its `network` string (an [`Answer`], kept in the
//! database's [`Answers`]), and returned as it is; the nested arrays and the strings
//! inside are immutable too, so PHP reads them in place and copies one
//! only when the caller writes to it (separation), as it does for literal
//! arrays under OPcache. Where an answer cannot be cached, a lookup returns
//! a request-owned copy of the top-level array (`zend_array_dup`) plus
//! `network`. The PHP values are the ones php-maxminddb gives: uint64
//! above PHP_INT_MAX as a decimal string, uint128 as a `0x…` hex string,
//! float widened to double, map keys that look like integers as integer
//! keys (PHP's array-key rule).
//!
//! The cache holds the database (so a replaced file's records are never
//! served for the new one: entries are per open database, not per path)
//! and is bounded: [`RECORD_BUDGET`] bytes per thread, emptied when full.
//! A record leaving the cache may still be referenced by arrays of the
//! running request, so it is only freed after the request
//! ([`free_retired_records`], the module's post-deactivate hook); while
//! more than [`RETIRED_BUDGET`] bytes wait, lookups build request-owned
//! arrays instead of caching more. Answers have their own bounds: they
//! start over past [`ANSWERS_BUDGET`] bytes per thread, and past
//! [`RETIRED_ANSWERS_BUDGET`] bytes let go of in one request new networks
//! get copies until the request ends.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_char;
use std::net::IpAddr;
use std::ptr::NonNull;
use std::sync::Arc;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

use crate::ip::mmdb::{self, Database, Value};
use crate::php::zend::{
    GC_IMMUTABLE, INTERNED_FLAGS, IS_IMMUTABLE_ARRAY, IS_INTERNED_STRING_EX, IS_STRING,
};

/// The longest string [`InternedStrings`] keeps.
const INTERNED_MAX_LEN: usize = 64;
/// Slots of [`InternedStrings`] (a power of two): at most this many
/// strings of at most [`INTERNED_MAX_LEN`] bytes, about 400 KB per thread.
const INTERNED_SLOTS: usize = 4096;
/// Most bytes of shared records cached per thread.
const RECORD_BUDGET: usize = 8 << 20;
/// Most bytes of records waiting for the end of the request to be freed;
/// past it lookups stop caching until then (a long CLI run replacing its
/// database many times).
const RETIRED_BUDGET: usize = 64 << 20;
/// Most databases with cached records per thread; past it the cache
/// starts over.
const MAX_DATABASES: usize = 8;
/// Most bytes of answers cached per thread (about 4,500 of the usual
/// size); past it they start over.
const ANSWERS_BUDGET: usize = 2 << 20;
/// Bits of the memory of networks looked up once (a power of two; 32 KB
/// per database and thread), see [`Answers::seen_before`].
const SEEN_BITS: usize = 1 << 18;
/// Networks that memory takes in before it starts over: an eighth of its
/// bits, so a network looked up the first time is taken for one seen
/// before at most one time in eight.
const SEEN_RESET: usize = SEEN_BITS / 8;
/// Most bytes of answers let go of during one request and waiting for its
/// end; past it new networks get request-owned copies (a long CLI run
/// over many distinct networks).
const RETIRED_ANSWERS_BUDGET: usize = 4 << 20;

extern "C" {
    fn _zend_hash_init(
        ht: *mut ZendHashTable,
        size: u32,
        destructor: Option<unsafe extern "C" fn(*mut Zval)>,
        persistent: bool,
    );
    fn zend_hash_destroy(ht: *mut ZendHashTable);
    fn zend_array_dup(source: *const ZendHashTable) -> *mut ZendHashTable;
    /// The engine's string hash (`ZSTR_H` of an interned string must be
    /// set: hash tables read it without computing it).
    fn zend_hash_func(str: *const c_char, len: usize) -> u64;
    fn zend_hash_update(ht: *mut ZendHashTable, key: *mut ZendStr, data: *mut Zval) -> *mut Zval;
    fn zend_hash_index_update(ht: *mut ZendHashTable, h: u64, data: *mut Zval) -> *mut Zval;
    fn zend_hash_next_index_insert(ht: *mut ZendHashTable, data: *mut Zval) -> *mut Zval;
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
        let string = permanent_string(bytes, hash)?;
        *slot = Some(string);
        Some(string)
    }
}

/// A persistent (malloc'd) zend_string marked interned, with its `hash`:
/// what zend_new_interned_string makes. Its owner frees it with `free`.
fn permanent_string(bytes: &[u8], hash: u64) -> Option<NonNull<ZendStr>> {
    // SAFETY: a new string that nothing else holds yet.
    unsafe {
        let string = NonNull::new(ext_php_rs::ffi::ext_php_rs_zend_string_init(
            bytes.as_ptr().cast(),
            bytes.len(),
            true,
        ))?;
        (*string.as_ptr()).gc.u.type_info |= INTERNED_FLAGS;
        (*string.as_ptr()).h = hash;
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
            unsafe { libc::free(string.as_ptr().cast()) };
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

fn interned_zval(string: NonNull<ZendStr>) -> Zval {
    let mut zval = Zval::new();
    zval.value.str_ = string.as_ptr();
    zval.u1.type_info = IS_INTERNED_STRING_EX;
    zval
}

/// Appends the ops of `value`.
fn flatten(value: &Value<'_>, strings: &mut Option<&mut InternedStrings>, ops: &mut Vec<Op>) {
    let op = match value {
        Value::Str(s) | Value::Bytes(s) => Op::Str(Str::new(s, strings)),
        Value::Double(d) => Op::Double(*d),
        Value::Float(f) => Op::Double(f64::from(*f)),
        Value::U16(n) => Op::Long(i64::from(*n)),
        Value::U32(n) => Op::Long(i64::from(*n)),
        Value::I32(n) => Op::Long(i64::from(*n)),
        Value::U64(n) => match i64::try_from(*n) {
            Ok(n) => Op::Long(n),
            Err(_) => Op::Str(Str::new(n.to_string().as_bytes(), strings)),
        },
        Value::U128(n) => Op::Str(Str::new(format!("0x{n:032X}").as_bytes(), strings)),
        Value::Bool(b) => Op::Bool(*b),
        Value::Map(entries) => {
            ops.push(Op::Map(entries.len() as u32));
            for (key, value) in entries {
                // The decoder refuses map keys that are not UTF-8.
                let name = String::from_utf8_lossy(key);
                ops.push(match ArrayKey::from(name.as_ref()) {
                    ArrayKey::Long(n) => Op::Index(n),
                    _ => Op::Key(Str::new(key, strings)),
                });
                flatten(value, strings, ops);
            }
            return;
        }
        Value::Array(items) => {
            ops.push(Op::List(items.len() as u32));
            for item in items {
                flatten(item, strings, ops);
            }
            return;
        }
    };
    ops.push(op);
}

/// A persistent zend_string of `bytes` marked interned, owned by `parts`.
fn shared_string(bytes: &[u8], parts: &mut SharedParts) -> Option<NonNull<ZendStr>> {
    // SAFETY: a valid byte range.
    let hash = unsafe { zend_hash_func(bytes.as_ptr().cast(), bytes.len()) };
    let string = permanent_string(bytes, hash)?;
    parts.strings.push(string);
    parts.held += bytes.len() + 32;
    Some(string)
}

/// A new persistent array with room for `capacity` entries, owned by
/// `parts`.
fn shared_table(capacity: u32, parts: &mut SharedParts) -> Option<NonNull<ZendHashTable>> {
    // SAFETY: malloc'd memory for one HashTable, initialized by the engine
    // as a persistent array (its buckets are malloc'd too); freed by
    // SharedRecord's drop.
    let table = unsafe {
        let table = NonNull::new(
            libc::malloc(std::mem::size_of::<ZendHashTable>()).cast::<ZendHashTable>(),
        )?;
        _zend_hash_init(table.as_ptr(), capacity, None, true);
        table
    };
    parts.tables.push(table);
    parts.held += 56 + 40 * (capacity.max(8).next_power_of_two() as usize);
    Some(table)
}

/// Marks a filled shared `table` immutable, with the count OPcache gives
/// its arrays (2, so that any write separates).
fn make_immutable(table: NonNull<ZendHashTable>) {
    // SAFETY: a live, filled table nothing writes to from here on.
    unsafe {
        (*table.as_ptr()).gc.u.type_info |= GC_IMMUTABLE;
        (*table.as_ptr()).gc.refcount = 2;
    }
}

/// A zval that references an immutable `table` without a count.
fn immutable_zval(table: NonNull<ZendHashTable>) -> Zval {
    let mut zval = Zval::new();
    zval.value.arr = table.as_ptr();
    zval.u1.type_info = IS_IMMUTABLE_ARRAY;
    zval
}

/// Where a [`Builder`] puts what it makes.
enum Target {
    /// Request memory: arrays PHP owns and frees.
    Request,
    /// Persistent, immutable arrays and strings, recorded here so that
    /// their owner frees them.
    Shared(SharedParts),
}

/// What a shared record owns.
#[derive(Default)]
struct SharedParts {
    tables: Vec<NonNull<ZendHashTable>>,
    strings: Vec<NonNull<ZendStr>>,
    /// Bytes held (an estimate: table and string sizes).
    held: usize,
}

/// Builds PHP values from ops.
struct Builder<'o> {
    ops: std::slice::Iter<'o, Op>,
    target: Target,
}

impl Builder<'_> {
    fn value(&mut self) -> Option<Zval> {
        let mut zval = Zval::new();
        match self.ops.next() {
            Some(Op::Map(len)) => {
                let table = self.map(*len, 0)?;
                self.set_table(&mut zval, table);
            }
            Some(Op::List(len)) => {
                let table = self.list(*len)?;
                self.set_table(&mut zval, table);
            }
            Some(Op::Str(s)) => return self.string(s).map(|(zval, _)| zval),
            Some(Op::Long(n)) => zval.set_long(*n),
            Some(Op::Double(d)) => zval.set_double(*d),
            Some(Op::Bool(b)) => zval.set_bool(*b),
            // Keys come only after Map ops; flatten() never ends early.
            Some(Op::Index(_) | Op::Key(_)) | None => zval.set_null(),
        }
        Some(zval)
    }

    /// `s` as a zval, and the zend_string in it (interned, or for the
    /// request a new string the zval holds).
    fn string(&mut self, s: &Str) -> Option<(Zval, NonNull<ZendStr>)> {
        let string = match (s, &mut self.target) {
            (Str::Interned(string), _) => *string,
            (Str::Owned(bytes), Target::Shared(parts)) => shared_string(bytes, parts)?,
            (Str::Owned(bytes), Target::Request) => {
                let mut string = ZendStr::new(bytes, false);
                let pointer = NonNull::from(&mut *string);
                let mut zval = Zval::new();
                zval.set_zend_string(string);
                return Some((zval, pointer));
            }
        };
        Some((interned_zval(string), string))
    }

    /// A new array with room for `capacity` entries.
    fn table(&mut self, capacity: u32) -> Option<NonNull<ZendHashTable>> {
        match &mut self.target {
            Target::Request => NonNull::new(ZBox::into_raw(ZendHashTable::with_capacity(capacity))),
            Target::Shared(parts) => shared_table(capacity, parts),
        }
    }

    /// Stores a filled `table` in `zval`: owned by the zval for the
    /// request, or made immutable (refcount 2, as OPcache sets it, so that
    /// any write separates) and referenced without a count.
    fn set_table(&self, zval: &mut Zval, table: NonNull<ZendHashTable>) {
        match self.target {
            // SAFETY: a table from `table()`, handed over to the zval.
            Target::Request => zval.set_hashtable(unsafe { ZBox::from_raw(table.as_ptr()) }),
            Target::Shared(_) => {
                make_immutable(table);
                *zval = immutable_zval(table);
            }
        }
    }

    /// A map of `len` entries, with room for `extra` more.
    fn map(&mut self, len: u32, extra: u32) -> Option<NonNull<ZendHashTable>> {
        let table = self.table(len.saturating_add(extra))?;
        for _ in 0..len {
            match self.ops.next() {
                Some(Op::Index(index)) => {
                    let value = self.value()?;
                    insert_index(table, *index, value);
                }
                Some(Op::Key(key)) => {
                    // The zval holds the key until the table has its own
                    // reference.
                    let (_holder, key) = self.string(key)?;
                    let value = self.value()?;
                    insert(table, key, value);
                }
                _ => break,
            }
        }
        Some(table)
    }

    fn list(&mut self, len: u32) -> Option<NonNull<ZendHashTable>> {
        let table = self.table(len)?;
        for _ in 0..len {
            let value = self.value()?;
            let mut value = std::mem::ManuallyDrop::new(value);
            // SAFETY: a live array, which takes over the value.
            unsafe { zend_hash_next_index_insert(table.as_ptr(), &mut *value) };
        }
        Some(table)
    }

    /// The record as the top-level array: a map as it is, anything else
    /// under `value`; with room for `extra` more entries.
    fn record(
        &mut self,
        extra: u32,
        strings: &mut Option<&mut InternedStrings>,
    ) -> Option<NonNull<ZendHashTable>> {
        if let Some(Op::Map(len)) = self.ops.as_slice().first() {
            self.ops.next();
            return self.map(*len, extra);
        }
        let table = self.table(1 + extra)?;
        let (_holder, key) = self.string(&Str::new(b"value", strings))?;
        let value = self.value()?;
        insert(table, key, value);
        Some(table)
    }
}

/// Sets `key` (not integer-like) in `table`, which takes over `value`. The
/// table takes its own reference to a request-owned key; interned keys are
/// not refcounted and carry their hash.
fn insert(table: NonNull<ZendHashTable>, key: NonNull<ZendStr>, value: Zval) {
    let mut value = std::mem::ManuallyDrop::new(value);
    // SAFETY: a live array and key.
    unsafe { zend_hash_update(table.as_ptr(), key.as_ptr(), &mut *value) };
}

fn insert_index(table: NonNull<ZendHashTable>, index: i64, value: Zval) {
    let mut value = std::mem::ManuallyDrop::new(value);
    // SAFETY: a live array, which takes over the value.
    unsafe { zend_hash_index_update(table.as_ptr(), index as u64, &mut *value) };
}

/// A record as persistent, immutable PHP arrays: never written after it is
/// built, read by any number of the thread's request arrays.
struct SharedRecord {
    top: NonNull<ZendHashTable>,
    parts: SharedParts,
}

impl SharedRecord {
    fn build(ops: &[Op], strings: &mut InternedStrings) -> Option<SharedRecord> {
        let mut builder = Builder {
            ops: ops.iter(),
            target: Target::Shared(SharedParts::default()),
        };
        // Room for `network`, added to each copy.
        let top = builder.record(1, &mut Some(strings));
        let Target::Shared(parts) = builder.target else {
            return None;
        };
        let record = SharedRecord { top: top?, parts };
        // The top-level table is copied, never referenced: immutable
        // (so `zend_array_dup` copies it as one block), not counted.
        // SAFETY: a live, filled table.
        unsafe { (*record.top.as_ptr()).gc.u.type_info |= GC_IMMUTABLE };
        Some(record)
    }

    /// A request-owned copy of the top-level array.
    fn copy(&self) -> Option<ZBox<ZendHashTable>> {
        // SAFETY: an immutable array whose values are scalars, interned
        // strings and immutable arrays: the copy references them without
        // counting, as PHP does for OPcache's arrays.
        let copy = unsafe { zend_array_dup(self.top.as_ptr()) };
        // SAFETY: a new array with one reference, now owned by the box.
        NonNull::new(copy).map(|copy| unsafe { ZBox::from_raw(copy.as_ptr()) })
    }
}

impl Drop for SharedRecord {
    /// Only after every request array that could reference the record
    /// has been destroyed (see [`Cache::retire`]).
    fn drop(&mut self) {
        for table in self.parts.tables.drain(..) {
            // SAFETY: persistent tables made by `_zend_hash_init(…, 1)`
            // holding no refcounted value; nothing references them now.
            unsafe {
                zend_hash_destroy(table.as_ptr());
                libc::free(table.as_ptr().cast());
            }
        }
        for string in self.parts.strings.drain(..) {
            // SAFETY: malloc'd by `permanent_string`, referenced by nothing.
            unsafe { libc::free(string.as_ptr().cast()) };
        }
    }
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

type RecordMap = HashMap<usize, SharedRecord, std::hash::BuildHasherDefault<OffsetHasher>>;

/// The cached records of one open database.
struct DatabaseRecords {
    database: Arc<Database>,
    records: RecordMap,
    /// Bytes held by `records`.
    held: usize,
    answers: Answers,
}

/// A network as a cache key: its masked address bits, its prefix length
/// and its family (an IPv4 lookup and an IPv6 lookup reaching the same
/// record have different `network` texts).
#[derive(Clone, Copy, PartialEq, Eq)]
struct NetworkKey {
    bits: u128,
    prefix_len: u8,
    ipv6: bool,
}

impl NetworkKey {
    fn of((ip, prefix_len): Network) -> NetworkKey {
        let (bits, width, ipv6) = match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32, false),
            IpAddr::V6(v6) => (u128::from(v6), 128, true),
        };
        let host_bits = width - u32::from(prefix_len).min(width);
        NetworkKey {
            bits: bits.checked_shr(host_bits).unwrap_or(0),
            prefix_len,
            ipv6,
        }
    }
}

impl std::hash::Hash for NetworkKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.bits as u64);
        state.write_u64((self.bits >> 64) as u64);
        state.write_u64(u64::from(self.prefix_len) << 1 | u64::from(self.ipv6));
    }
}

/// Hashes [`NetworkKey`]s by folded multiplication (the core of foldhash
/// and aHash: every input bit reaches the low bits a table indexes by)
/// from a random seed per map. The addresses come from clients, so the
/// hash must not let them pick networks that collide; a keyed hash like
/// the default SipHash would cost as much as the rest of a lookup.
#[derive(Clone)]
struct NetworkHashing {
    seed: u64,
}

impl Default for NetworkHashing {
    fn default() -> Self {
        use std::hash::BuildHasher;
        NetworkHashing {
            seed: std::collections::hash_map::RandomState::new().hash_one(0u64),
        }
    }
}

impl std::hash::BuildHasher for NetworkHashing {
    type Hasher = FoldedHasher;
    fn build_hasher(&self) -> FoldedHasher {
        FoldedHasher(self.seed)
    }
}

struct FoldedHasher(u64);

impl std::hash::Hasher for FoldedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        let product = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

/// Finished lookup results of one database: for each network looked up,
/// the record with its `network` as one persistent, immutable array,
/// returned as it is, the way OPcache returns a constant array: a repeated
/// lookup of a network allocates, copies and frees nothing. An answer
/// references its record's nested arrays, so it never outlives the record
/// (see [`Cache::retire`]).
#[derive(Default)]
struct Answers {
    map: HashMap<NetworkKey, Answer, NetworkHashing>,
    /// Bytes held by the answers in `map`.
    held: usize,
    /// One bit per network hash, set at a lookup without an answer
    /// (lazily [`SEEN_BITS`] of them, as words).
    seen: Vec<u64>,
    /// Bits set in `seen` since it last started over.
    seen_count: usize,
}

impl Answers {
    fn get(&self, network: &NetworkKey) -> Option<NonNull<ZendHashTable>> {
        self.map.get(network).map(|answer| answer.table)
    }

    /// Whether `network`, which has no answer, was looked up before (as
    /// far as the memory of the last [`SEEN_RESET`] networks goes); notes
    /// it for next time. A network gets its answer the second time (the
    /// "doorkeeper" of TinyLFU): a lookup that builds one costs about
    /// twice one that copies, which a network looked up once would pay
    /// for nothing.
    ///
    /// One bit per hash, as TinyLFU's Bloom filter: two networks that share
    /// a bit only make one of them get its answer a lookup early. (A slot
    /// holding the last hash instead made networks that share a slot, a
    /// third of 2,000 looked up in turn, forget each other every time and
    /// never get their answers.)
    fn seen_before(&mut self, network: &NetworkKey) -> bool {
        use std::hash::BuildHasher;
        if self.seen.is_empty() {
            self.seen = vec![0; SEEN_BITS / 64];
        }
        let hash = self.map.hasher().hash_one(network);
        let bit = (hash >> (64 - SEEN_BITS.trailing_zeros())) as usize;
        let mask = 1u64 << (bit % 64);
        if self.seen[bit / 64] & mask != 0 {
            return true;
        }
        if self.seen_count == SEEN_RESET {
            self.seen.fill(0);
            self.seen_count = 0;
        }
        self.seen[bit / 64] |= mask;
        self.seen_count += 1;
        false
    }

    /// Moves every answer to `retired` (the running request may still
    /// reference them); returns the bytes they hold.
    fn retire_into(&mut self, retired: &mut Retired) -> usize {
        retired
            .answers
            .extend(self.map.drain().map(|(_, answer)| answer));
        std::mem::take(&mut self.held)
    }
}

/// A network's answer: its record's top-level array with `network`
/// added, as a persistent immutable array. The array, its hash and buckets
/// and the `network` string are one `malloc` block: an answer costs one
/// allocation and a copy to make, one `free` to let go of. (Made of parts
/// like a record, with the engine's `zend_hash_copy`, an answer cost about
/// three request copies, in five allocations.) It references its record's
/// nested arrays, so it never outlives the record (see [`Cache::retire`]).
struct Answer {
    /// The array, at the start of its block.
    table: NonNull<ZendHashTable>,
    /// Bytes of the block.
    held: usize,
}

/// Zend/zend_hash.h's table flags: a list; no buckets yet (an empty
/// table); every key interned (what `zend_hash_real_init_mixed` sets).
const HASH_FLAG_PACKED: u32 = 1 << 2;
const HASH_FLAG_UNINITIALIZED: u32 = 1 << 3;
const HASH_FLAG_STATIC_KEYS: u32 = 1 << 4;
/// A persistent string's type info before it is marked interned:
/// `GC_STRING` (`IS_STRING | GC_NOT_COLLECTABLE`) with `IS_STR_PERSISTENT`,
/// as `zend_string_alloc(…, 1)` sets it.
const PERSISTENT_STRING: u32 = IS_STRING as u32 | (1 << 4) | (1 << 7);

impl Answer {
    /// The answer for `network` from `record`, with `network` under `key`;
    /// `None` when the record's top-level array has no spare bucket or is
    /// a list (a record of integer keys only): those networks get copies.
    fn build(record: &SharedRecord, network: Network, key: NonNull<ZendStr>) -> Option<Answer> {
        let source = record.top.as_ptr();
        let mut text = [0; mmdb::NETWORK_CIDR_BUFFER];
        let text_len = mmdb::write_network_cidr(network.0, network.1, &mut text);
        // SAFETY: `source` is a live, filled, immutable hash table, or an
        // empty one (checked before its buckets are read). The block holds
        // a copy of its header, its hash and bucket area (`HT_SIZE`: the
        // hash slots in front of `arData`, then `nTableSize` buckets:
        // copied, or for an empty table made as `zend_hash_real_init_mixed`
        // makes them) and a zend_string.
        // The copy takes the record's values without counting them
        // (immutable arrays, interned strings, scalars), as `zend_hash_copy`
        // without a copy constructor does. `network` goes in a spare
        // bucket, so `zend_hash_update` neither grows nor moves the bucket
        // area (it reallocates only when `nNumUsed == nTableSize`).
        unsafe {
            let flags = (*source).u.flags;
            let (used, size) = ((*source).nNumUsed, (*source).nTableSize);
            if flags & HASH_FLAG_PACKED != 0 || used >= size {
                return None;
            }
            let empty = flags & HASH_FLAG_UNINITIALIZED != 0;
            // HT_SIZE_TO_MASK for an empty table, which has the minimal mask.
            let mask = if empty {
                (size as i32).wrapping_mul(-2) as u32
            } else {
                (*source).nTableMask
            };
            let hash_bytes = (mask as i32).unsigned_abs() as usize * 4;
            let data_bytes =
                hash_bytes + size as usize * std::mem::size_of::<ext_php_rs::ffi::Bucket>();
            let header_bytes = std::mem::size_of::<ZendHashTable>();
            let string_bytes = std::mem::offset_of!(ZendStr, val) + text_len + 1;
            let held = header_bytes + data_bytes + string_bytes;
            let block = NonNull::new(libc::malloc(held).cast::<u8>())?;
            let table = block.cast::<ZendHashTable>();
            let data = block.as_ptr().add(header_bytes);
            std::ptr::copy_nonoverlapping(source, table.as_ptr(), 1);
            if empty {
                // Every hash slot HT_INVALID_IDX; no bucket is used yet.
                std::ptr::write_bytes(data, 0xff, hash_bytes);
                (*table.as_ptr()).nTableMask = mask;
                (*table.as_ptr()).u.flags =
                    flags & !HASH_FLAG_UNINITIALIZED | HASH_FLAG_STATIC_KEYS;
            } else {
                let source_data = (*source)
                    .__bindgen_anon_1
                    .arData
                    .cast::<u8>()
                    .sub(hash_bytes);
                std::ptr::copy_nonoverlapping(source_data, data, data_bytes);
            }
            (*table.as_ptr()).__bindgen_anon_1.arData = data.add(hash_bytes).cast();
            let string = data.add(data_bytes).cast::<ZendStr>();
            (*string).gc.refcount = 1;
            (*string).gc.u.type_info = PERSISTENT_STRING | INTERNED_FLAGS;
            (*string).h = zend_hash_func(text.as_ptr().cast(), text_len);
            (*string).len = text_len;
            let chars = std::ptr::addr_of_mut!((*string).val).cast::<u8>();
            std::ptr::copy_nonoverlapping(text.as_ptr(), chars, text_len);
            *chars.add(text_len) = 0;
            // Owns the block from here.
            let answer = Answer { table, held };
            insert(table, key, interned_zval(NonNull::new(string)?));
            make_immutable(table);
            Some(answer)
        }
    }
}

impl Drop for Answer {
    /// Only after every request array that could reference the answer has
    /// been destroyed (see [`Cache::retire`]).
    fn drop(&mut self) {
        // SAFETY: one malloc'd block; its string is part of it, and its
        // nested arrays belong to the record.
        unsafe { libc::free(self.table.as_ptr().cast()) };
    }
}

/// Records and answers out of the cache, freed after the request.
#[derive(Default)]
struct Retired {
    records: Vec<SharedRecord>,
    answers: Vec<Answer>,
}

#[derive(Default)]
struct Cache {
    strings: InternedStrings,
    databases: Vec<DatabaseRecords>,
    held: usize,
    /// Records and answers out of the cache, freed after the request.
    retired: Retired,
    retired_held: usize,
    /// Bytes of answers let go of during the request (in `retired`).
    retired_answers_held: usize,
    /// The interned `network` key, found once.
    network_key: Option<NonNull<ZendStr>>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

impl Cache {
    /// The `network` key (interned unless its slot is taken).
    fn network_key(&mut self) -> Str {
        if let Some(key) = self.network_key {
            return Str::Interned(key);
        }
        let key = Str::new(b"network", &mut Some(&mut self.strings));
        if let Str::Interned(interned) = key {
            self.network_key = Some(interned);
        }
        key
    }

    /// Moves `records` to the retired list: arrays of the running request
    /// may still reference them.
    fn retire(retired: &mut Retired, retired_held: &mut usize, records: &mut DatabaseRecords) {
        // Answers reference their records' arrays: they go with them.
        *retired_held += records.held + records.answers.retire_into(retired);
        retired
            .records
            .extend(records.records.drain().map(|(_, record)| record));
        records.held = 0;
    }

    /// The cached records of `database`.
    fn records(&mut self, database: &Arc<Database>) -> &mut DatabaseRecords {
        let found = self
            .databases
            .iter()
            .position(|d| Arc::ptr_eq(&d.database, database));
        let at = match found {
            Some(at) => at,
            None => {
                // Forget databases nobody else holds (replaced or closed),
                // or all of them past MAX_DATABASES.
                let keep_none = self.databases.len() >= MAX_DATABASES;
                let (retired, retired_held) = (&mut self.retired, &mut self.retired_held);
                self.databases.retain_mut(|d| {
                    let keep = !keep_none && Arc::strong_count(&d.database) > 1;
                    if !keep {
                        Cache::retire(retired, retired_held, d);
                    }
                    keep
                });
                self.held = self.databases.iter().map(|d| d.held).sum();
                self.databases.push(DatabaseRecords {
                    database: Arc::clone(database),
                    records: RecordMap::default(),
                    held: 0,
                    answers: Answers::default(),
                });
                self.databases.len() - 1
            }
        };
        &mut self.databases[at]
    }

    /// The shared record at `offset`, built now if not cached; `None` when
    /// it cannot be cached (too many retired records waiting, or no
    /// memory), and the caller builds request arrays instead.
    fn record(
        &mut self,
        database: &Arc<Database>,
        offset: usize,
    ) -> Result<Option<&SharedRecord>, mmdb::Error> {
        if !self.records(database).records.contains_key(&offset) {
            if self.retired_held > RETIRED_BUDGET {
                return Ok(None);
            }
            let value = database.decode(offset)?;
            let mut ops = Vec::new();
            flatten(&value, &mut Some(&mut self.strings), &mut ops);
            let Some(record) = SharedRecord::build(&ops, &mut self.strings) else {
                return Ok(None);
            };
            let held = record.parts.held;
            if self.held + held > RECORD_BUDGET {
                for d in &mut self.databases {
                    Cache::retire(&mut self.retired, &mut self.retired_held, d);
                }
                self.held = 0;
            }
            self.held += held;
            let records = self.records(database);
            records.held += held;
            records.records.insert(offset, record);
        }
        Ok(self.records(database).records.get(&offset))
    }
}

/// Frees the records retired during the request; the module's
/// post-deactivate hook, which PHP runs after it has destroyed every value
/// of the request.
pub(super) extern "C" fn free_retired_records() -> i32 {
    let _ = CACHE.try_with(|cell| {
        // Still borrowed only after a fatal error jumped out of a lookup;
        // the retired records then stay until the thread ends.
        if let Ok(mut cache) = cell.try_borrow_mut() {
            cache.retired = Retired::default();
            cache.retired_held = 0;
            cache.retired_answers_held = 0;
        }
    });
    0 // SUCCESS
}

/// The record at `offset` built as request-owned arrays, plus `network`
/// (when the cache cannot be used).
fn request_record(
    database: &Database,
    offset: usize,
    network: Network,
    strings: &mut Option<&mut InternedStrings>,
) -> Result<ZBox<ZendHashTable>, mmdb::Error> {
    let value = database.decode(offset)?;
    let mut ops = Vec::new();
    flatten(&value, strings, &mut ops);
    let mut builder = Builder {
        ops: ops.iter(),
        target: Target::Request,
    };
    let array = builder
        .record(1, strings)
        .ok_or_else(|| mmdb::Error::corrupt("out of memory building a record"))?;
    // SAFETY: a new request array, owned from here by the box.
    let mut array = unsafe { ZBox::from_raw(array.as_ptr()) };
    add_network(&mut array, &Str::new(b"network", strings), network);
    Ok(array)
}

/// The matching network of a lookup: the address looked up and the
/// prefix length of the record it reached.
pub(super) type Network = (IpAddr, u8);

/// Adds `network` under `key` to a request-owned record array.
fn add_network(array: &mut ZendHashTable, key: &Str, network: Network) {
    let mut builder = Builder {
        ops: [].iter(),
        target: Target::Request,
    };
    if let Some((_holder, key)) = builder.string(key) {
        insert(NonNull::from(array), key, network_zval(network));
    }
}

/// `network` in CIDR notation as a request string, written in place: a
/// string as long as the longest network is made, written and shortened.
fn network_zval((ip, prefix_len): Network) -> Zval {
    const ROOM: [u8; mmdb::NETWORK_CIDR_BUFFER] = [0; mmdb::NETWORK_CIDR_BUFFER];
    let string = ZendStr::new(ROOM, false);
    let raw = ZBox::into_raw(string);
    // SAFETY: a new request string that nothing else holds, of
    // NETWORK_CIDR_BUFFER bytes (plus its NUL); it is shortened to the text
    // written, which is NUL-terminated like every zend_string.
    // (The bytes are reached through a raw pointer to the `val` field: a
    // reference to that one-byte field would not cover the rest.)
    let string = unsafe {
        let text = std::ptr::addr_of_mut!((*raw).val).cast::<u8>();
        let len = mmdb::write_network_cidr(
            ip,
            prefix_len,
            &mut *text.cast::<[u8; mmdb::NETWORK_CIDR_BUFFER]>(),
        );
        *text.add(len) = 0;
        (*raw).len = len;
        ZBox::from_raw(raw)
    };
    let mut zval = Zval::new();
    zval.set_zend_string(string);
    zval
}

/// A lookup's result as PHP gets it: a cached answer (immutable, returned
/// without a copy or a count), or a request-owned array.
pub enum RecordArray {
    Answer(NonNull<ZendHashTable>),
    Owned(ZBox<ZendHashTable>),
}

impl IntoZval for RecordArray {
    const TYPE: DataType = DataType::Array;
    const NULLABLE: bool = false;

    fn set_zval(self, zval: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        match self {
            // The assignment releases what the zval held.
            RecordArray::Answer(table) => *zval = immutable_zval(table),
            RecordArray::Owned(array) => zval.set_hashtable(array),
        }
        Ok(())
    }
}

/// The record at data offset `offset` of `database` as a PHP array (a
/// map as it is, anything else under `value`), plus `network`.
pub(super) fn record_array(
    database: &Arc<Database>,
    offset: usize,
    network: Network,
) -> Result<RecordArray, mmdb::Error> {
    CACHE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cache) => cache.answer(database, offset, network),
        // Still borrowed: only after a fatal error jumped out of a lookup.
        // Build without the cache.
        Err(_) => request_record(database, offset, network, &mut None).map(RecordArray::Owned),
    })
}

impl Cache {
    /// The answer for `network`, whose record is at `offset`: cached, or
    /// made and cached now, or a request-owned copy when it cannot be.
    fn answer(
        &mut self,
        database: &Arc<Database>,
        offset: usize,
        network: Network,
    ) -> Result<RecordArray, mmdb::Error> {
        let key = NetworkKey::of(network);
        if let Some(top) = self.records(database).answers.get(&key) {
            return Ok(RecordArray::Answer(top));
        }
        let network_key = self.network_key();
        let admit = self.retired_answers_held <= RETIRED_ANSWERS_BUDGET
            && self.records(database).answers.seen_before(&key);
        let Some(record) = self.record(database, offset)? else {
            let strings = &mut Some(&mut self.strings);
            return request_record(database, offset, network, strings).map(RecordArray::Owned);
        };
        let answer = match network_key {
            Str::Interned(key) if admit => Answer::build(record, network, key),
            _ => None,
        };
        if let Some(answer) = answer {
            let held = answer.held;
            let answers_held: usize = self.databases.iter().map(|d| d.answers.held).sum();
            if answers_held + held > ANSWERS_BUDGET {
                // Full: the answers start over.
                for d in &mut self.databases {
                    self.retired_answers_held += d.answers.retire_into(&mut self.retired);
                }
            }
            let top = answer.table;
            let answers = &mut self.records(database).answers;
            answers.held += held;
            answers.map.insert(key, answer);
            return Ok(RecordArray::Answer(top));
        }
        let Some(mut copy) = record.copy() else {
            let strings = &mut Some(&mut self.strings);
            return request_record(database, offset, network, strings).map(RecordArray::Owned);
        };
        add_network(&mut copy, &network_key, network);
        Ok(RecordArray::Owned(copy))
    }
}

/// A decoded map (the metadata) as a PHP array; `None` for anything else.
pub(super) fn value_array(value: &Value<'_>) -> Option<ZBox<ZendHashTable>> {
    if !matches!(value, Value::Map(_)) {
        return None;
    }
    let mut ops = Vec::new();
    flatten(value, &mut None, &mut ops);
    let mut builder = Builder {
        ops: ops.iter(),
        target: Target::Request,
    };
    let table = builder.record(0, &mut None)?;
    // SAFETY: a new request array, owned from here by the box.
    Some(unsafe { ZBox::from_raw(table.as_ptr()) })
}
