//! A MaxMind DB (MMDB, format 2.0) reader that never trusts the file.
//!
//! The file is memory-mapped (or held in memory) and nothing is parsed up
//! front except the metadata, so opening costs the same whatever the size
//! of the database and every process shares the same pages. Every offset
//! read from the file is bounds-checked before use:
//!
//! * **Open** checks the metadata: the marker, the required keys and their
//!   types, a record size of 24, 28 or 32, an IP version of 4 or 6, and a
//!   search tree plus separator that fit in front of the metadata.
//! * **Lookup** walks at most 128 nodes; a record that points past the
//!   data section is a [`Error`] naming the offset.
//! * **Decoding** is bounded: nesting depth [`MAX_DEPTH`], at most
//!   [`MAX_VALUES`] values and [`MAX_PAYLOAD`] bytes of strings per record
//!   (so a record built from pointers to pointers to big values cannot
//!   amplify into gigabytes), pointers may not point at pointers (the spec
//!   forbids it, and it makes cycles impossible without nesting).
//! * **Where this reader and libmaxminddb differ** (php-maxminddb reads
//!   through libmaxminddb; `php-tests/ip/ip_reputation_encodings_like_libmaxminddb.phpt`
//!   compares the two): a map key that is not a string and a boolean whose
//!   size is over 1 break the spec ("keys are always strings", a boolean's
//!   size is its value, 0 or 1) and are errors here; libmaxminddb reads
//!   such a key as an empty string and such a boolean as true. Map keys
//!   are bytes, as libmaxminddb returns them (not checked for UTF-8, like
//!   every string).
//!
//! Why not the `maxminddb` crate: its decoder has no value or payload
//! budget (the amplification DBs of maxminddb-python 3.2.0 expand without
//! bound), its mmap constructor is `unsafe` for the same file-replacement
//! reason handled here by never writing through the map, and decoding
//! into a borrowed [`Value`] lets the PHP binding build arrays straight
//! from the mapped bytes.

use std::fmt;
use std::fs::File;
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::OnceLock;

/// Deepest nesting of maps and arrays a record may have. libmaxminddb
/// allows 512, but the decoder recurses once per level and 512 levels need
/// about 400 KB of stack (over 2 MB unoptimized): more than a thread of a
/// threaded SAPI may have. Real databases nest a handful of levels.
pub const MAX_DEPTH: usize = 128;
/// Most values (containers, keys and scalars) one decoded record may
/// contain: 65,536, the limit of maxminddb-python 3.2.0's decoder.
pub const MAX_VALUES: usize = 1 << 16;
/// Most bytes of string and byte values one decoded record may contain:
/// 4 MiB, the limit of maxminddb-python 3.2.0's decoder.
pub const MAX_PAYLOAD: usize = 4 << 20;
/// The metadata marker; the metadata follows its last occurrence.
const METADATA_MARKER: &[u8] = b"\xab\xcd\xefMaxMind.com";
/// The metadata lives in the last 128 KiB of the file.
const METADATA_MAX: usize = 128 * 1024;
/// The zero bytes between the search tree and the data section.
const SEPARATOR: usize = 16;

/// Why a database cannot be opened or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    // Boxed: decoding returns `Result`s on its hot path, and a small error
    // keeps them small.
    inner: Box<(ErrorKind, String)>,
}

/// The kind of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file cannot be read.
    Io,
    /// The file is not a valid MMDB file, or a record in it is corrupt.
    Corrupt,
    /// A record exceeds the decoding limits ([`MAX_DEPTH`], [`MAX_VALUES`],
    /// [`MAX_PAYLOAD`]).
    Limit,
    /// The address is an IPv6 address and the database holds IPv4 only.
    Ipv6InIpv4Database,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new((kind, message.into())),
        }
    }

    /// A corrupt-data error (also for sinks that cannot store a value).
    pub fn corrupt(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Corrupt, message)
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.0
    }

    fn message(&self) -> &str {
        &self.inner.1
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// A decoded MMDB value, borrowing strings and bytes from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `utf8_string` (not checked for UTF-8: PHP strings are bytes).
    Str(&'a [u8]),
    /// `double`.
    Double(f64),
    /// `bytes`.
    Bytes(&'a [u8]),
    /// `uint16`.
    U16(u16),
    /// `uint32`.
    U32(u32),
    /// `map`, keys in file order.
    Map(Vec<(&'a [u8], Value<'a>)>),
    /// `int32`.
    I32(i32),
    /// `uint64`.
    U64(u64),
    /// `uint128`.
    U128(u128),
    /// `array`.
    Array(Vec<Value<'a>>),
    /// `boolean`.
    Bool(bool),
    /// `float`.
    Float(f32),
}

impl<'a> Value<'a> {
    /// The value under `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| *k == key.as_bytes())
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Receives a record as it is decoded: scalars as [`Value`]s (never `Map`
/// or `Array`), containers opened, filled and closed.
pub trait Sink<'a> {
    /// A decoded value.
    type Out;
    /// A map being filled.
    type Map;
    /// An array being filled.
    type Array;
    /// A scalar value.
    fn scalar(&mut self, value: Value<'a>) -> Result<Self::Out, Error>;
    /// A map of `len` entries begins.
    fn map(&mut self, len: usize) -> Self::Map;
    /// One entry of `map` (the key is valid UTF-8).
    fn map_entry(
        &mut self,
        map: &mut Self::Map,
        key: &'a [u8],
        value: Self::Out,
    ) -> Result<(), Error>;
    /// The map is complete.
    fn end_map(&mut self, map: Self::Map) -> Self::Out;
    /// An array of `len` items begins.
    fn array(&mut self, len: usize) -> Self::Array;
    /// One item of `array`.
    fn array_item(&mut self, array: &mut Self::Array, value: Self::Out) -> Result<(), Error>;
    /// The array is complete.
    fn end_array(&mut self, array: Self::Array) -> Self::Out;
}

/// The [`Sink`] that builds a [`Value`] tree.
#[derive(Debug, Default, Clone, Copy)]
pub struct ValueSink;

impl<'a> Sink<'a> for ValueSink {
    type Out = Value<'a>;
    type Map = Vec<(&'a [u8], Value<'a>)>;
    type Array = Vec<Value<'a>>;

    fn scalar(&mut self, value: Value<'a>) -> Result<Value<'a>, Error> {
        Ok(value)
    }
    fn map(&mut self, len: usize) -> Self::Map {
        Vec::with_capacity(len.min(64))
    }
    fn map_entry(
        &mut self,
        map: &mut Self::Map,
        key: &'a [u8],
        value: Value<'a>,
    ) -> Result<(), Error> {
        map.push((key, value));
        Ok(())
    }
    fn end_map(&mut self, map: Self::Map) -> Value<'a> {
        Value::Map(map)
    }
    fn array(&mut self, len: usize) -> Self::Array {
        Vec::with_capacity(len.min(64))
    }
    fn array_item(&mut self, array: &mut Self::Array, value: Value<'a>) -> Result<(), Error> {
        array.push(value);
        Ok(())
    }
    fn end_array(&mut self, array: Self::Array) -> Value<'a> {
        Value::Array(array)
    }
}

/// The bytes of a database: a read-only map of the file, or a buffer.
enum Source {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Mapped(map) => map,
            Source::Owned(bytes) => bytes,
        }
    }
}

/// The parts of the metadata a reader needs, plus the raw map.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// Nodes in the search tree.
    pub node_count: u32,
    /// Bits per record: 24, 28 or 32.
    pub record_size: u16,
    /// 4 or 6.
    pub ip_version: u16,
    /// `database_type`.
    pub database_type: String,
    /// `build_epoch` (seconds).
    pub build_epoch: u64,
}

/// An open MMDB database.
pub struct Database {
    source: Source,
    metadata: Metadata,
    metadata_start: usize,
    tree_size: usize,
    data_start: usize,
    /// The node reached after 96 zero bits (IPv4 addresses in an IPv6
    /// tree), and how many bits that took.
    ipv4_start: (u32, u8),
    /// Lookups left before [`Database::jump_tables`] builds the tables.
    lookups_before_jump_tables: AtomicU32,
    /// Built once, on first need; `None` when the tree is corrupt there.
    jump_tables: OnceLock<Option<Vec<JumpTable>>>,
}

/// Lookups a database answers by walking bit by bit before it builds its
/// [`JumpTable`]s: a worker that looks up a handful of addresses never
/// pays for them.
const LOOKUPS_BEFORE_JUMP_TABLES: u32 = 256;
/// Most address bits the first block of a [`JumpTable`] resolves: 2^16
/// entries of 5 bytes.
const JUMP_BITS_MAX: u8 = 16;
/// Bits each further block of a [`JumpTable`] resolves.
const JUMP_STRIDE: u8 = 8;
/// Most entries of all the blocks of one [`JumpTable`] (640 KB).
const JUMP_ENTRIES_MAX: usize = 1 << 17;
/// Trees with fewer nodes than this get blocks below the first one.
const JUMP_DEEP_NODES_MAX: u32 = 1 << 16;
/// In `walked`: the entry continues in the block numbered `reached`.
const NEXT_BLOCK: u8 = 0x80;
/// Trees with at least this many nodes (28 MB of tree and more) get the
/// [`JumpTable::below`] level.
const BELOW_NODES_MIN: u32 = 1 << 22;
/// Levels [`JumpTable::below`] resolves after the first block.
const BELOW_BITS: u8 = 4;

/// Bytes of a cache line.
const CACHE_LINE: usize = 64;
/// Cache lines a tree walk prefetches at once (see [`Database::walk`]):
/// 512 bytes, where the subtree of a /20 of a 10-million-network
/// `wikiguard-db` file ends for 99.8% of its listed hosts.
const PREFETCH_LINES: usize = 8;
const PREFETCH_BYTES: usize = PREFETCH_LINES * CACHE_LINE;

/// Asks the CPU to load the [`PREFETCH_LINES`] cache lines from byte `at`
/// of `tree` (a hint: it neither faults nor reads, even past the end).
#[inline(always)]
fn prefetch(tree: &[u8], at: usize) {
    for line in 0..PREFETCH_LINES {
        prefetch_line(tree.as_ptr().wrapping_add(at + line * CACHE_LINE));
    }
}

/// Asks for the cache line of `address` (PREFETCHT0, which never faults).
#[inline(always)]
fn prefetch_line(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 takes any address; it never faults.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

/// The first levels of the walk from one start node, done once. The first
/// block resolves `bits` bits: entry `p` holds the record reached after
/// the bits `p` (or earlier, where the walk stops at data or at "no
/// data") and how many bits that took. The top levels of a tree are the
/// same for every lookup, so this replaces up to 16 dependent reads per
/// lookup with one. In a small tree an entry whose walk goes on may
/// instead name a further block of [`JUMP_STRIDE`] bits from the node it
/// reached (deep IPv6 networks), within [`JUMP_ENTRIES_MAX`].
struct JumpTable {
    /// The node and depth this table starts from: the root, or the IPv4
    /// subtree.
    start: (u32, u8),
    bits: u8,
    reached: Box<[u32]>,
    walked: Box<[u8]>,
    /// In a big tree, one entry per prefix of `bits + BELOW_BITS` bits:
    /// the node [`BELOW_BITS`] levels below the first block's, as an offset
    /// from it, or 0 while unknown (or when it does not fit in 16 bits).
    /// Lookups fill it as they pass ([`Database::find`]): no build time,
    /// and memory only for the pages used (2 MiB at most). A lookup that
    /// finds its entry reads the node below directly, one dependent read
    /// from DRAM fewer than walking the 4 levels above it.
    below: Option<Box<[AtomicU16]>>,
}

impl JumpTable {
    /// Where the walk of `address` stands after the table's levels.
    #[inline]
    fn jump(&self, address: u128) -> (u32, u8) {
        let (mut depth, mut bits, mut base) = (self.start.1, self.bits, 0usize);
        // Blocks are numbered in the order they were made, so each step
        // goes to a later one; 16 steps cover 128 bits.
        for _ in 0..16 {
            let aligned = address.checked_shl(u32::from(depth)).unwrap_or(0);
            let entry = base + (aligned >> (128 - u32::from(bits))) as usize;
            let (Some(&reached), Some(&walked)) = (self.reached.get(entry), self.walked.get(entry))
            else {
                break;
            };
            if walked & NEXT_BLOCK == 0 {
                return (reached, depth + walked);
            }
            depth += bits;
            bits = JUMP_STRIDE;
            base = (1 << self.bits) + reached as usize * (1 << JUMP_STRIDE);
        }
        self.start
    }

    /// Whether [`Self::jump`] gave `reached`, a node after the whole first
    /// block: only from there does the [`Self::below`] entry apply.
    fn reached_below(&self, reached: (u32, u8), node_count: u32) -> bool {
        reached.0 < node_count && reached.1 == self.start.1 + self.bits
    }

    /// The [`Self::below`] entry of `address`'s prefix.
    #[inline]
    fn below_entry(&self, address: u128) -> Option<&AtomicU16> {
        let aligned = address.checked_shl(u32::from(self.start.1)).unwrap_or(0);
        let index = aligned >> (128 - u32::from(self.bits + BELOW_BITS));
        self.below.as_ref()?.get(index as usize)
    }
}

/// `len` atomics that start at 0, in zeroed memory from the allocator
/// (calloc): pages nobody writes to are never allocated.
fn zeroed_atomics(len: usize) -> Box<[AtomicU16]> {
    let zeros: Box<[u16]> = vec![0u16; len].into_boxed_slice();
    // SAFETY: AtomicU16 has the size, alignment and bit validity of u16,
    // so the allocation holds `len` valid atomics; the box's ownership
    // moves over whole.
    unsafe { Box::from_raw(Box::into_raw(zeros) as *mut [AtomicU16]) }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// A found record: its data offset, and the prefix length of the network
/// that matched (in the queried address family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Offset of the record in the data section (a cache key: records
    /// shared by many networks have one offset).
    pub offset: usize,
    /// Prefix length of the matching network, counted in the family of the
    /// address that was looked up.
    pub prefix_len: u8,
}

impl Database {
    /// Memory-maps `path` and checks its metadata.
    pub fn open(path: &Path) -> Result<Database, Error> {
        let file = File::open(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        let len = file
            .metadata()
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?
            .len();
        let source = if len == 0 {
            Source::Owned(Vec::new())
        } else {
            // SAFETY: the map is read-only and private. A writer that
            // truncates the file in place could still make a page vanish
            // (SIGBUS); databases are replaced by rename, which leaves
            // this inode and its pages intact (documented in docs/ip.md).
            let map = unsafe { memmap2::Mmap::map(&file) }
                .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
            // Pages this map reads into the page cache come in 2 MiB
            // folios, mapped with 2 MiB pages: a big tree then costs one
            // TLB entry per 2 MiB instead of a TLB miss on nearly every
            // lookup. Pages already cached keep the size they were written
            // or read with (wikiguard-db writes in 32 MiB chunks for this
            // reason). A hint: where the kernel has no transparent huge
            // pages it fails, and nothing changes.
            #[cfg(target_os = "linux")]
            let _ = map.advise(memmap2::Advice::HugePage);
            Source::Mapped(map)
        };
        Database::from_source(source)
            .map_err(|e| Error::new(e.kind(), format!("{}: {}", path.display(), e.message())))
    }

    /// A database held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Database, Error> {
        Database::from_source(Source::Owned(bytes))
    }

    fn from_source(source: Source) -> Result<Database, Error> {
        let bytes = source.bytes();
        let search_from = bytes
            .len()
            .saturating_sub(METADATA_MAX + METADATA_MARKER.len());
        let marker = bytes[search_from..]
            .windows(METADATA_MARKER.len())
            .rposition(|w| w == METADATA_MARKER)
            .map(|p| search_from + p)
            .ok_or_else(|| {
                Error::corrupt(
                    "no MaxMind DB metadata marker in the last 128 KiB (not an MMDB file?)",
                )
            })?;
        let metadata_start = marker + METADATA_MARKER.len();
        let meta_bytes = &bytes[metadata_start..];
        let mut decoder = Decoder::new(meta_bytes);
        let (raw, _) = decoder
            .decode_at(0)
            .map_err(|e| Error::new(e.kind(), format!("metadata: {}", e.message())))?;
        let metadata = parse_metadata(&raw)?;
        let tree_size = metadata.node_count as usize * usize::from(metadata.record_size) / 4;
        let data_start = tree_size + SEPARATOR;
        if data_start > marker {
            return Err(Error::corrupt(format!(
                "metadata: node_count {} with record_size {} needs a {tree_size}-byte search tree, but the metadata starts at byte {marker}",
                metadata.node_count, metadata.record_size
            )));
        }
        let mut db = Database {
            source,
            metadata,
            metadata_start: marker,
            tree_size,
            data_start,
            ipv4_start: (0, 0),
            lookups_before_jump_tables: AtomicU32::new(LOOKUPS_BEFORE_JUMP_TABLES),
            jump_tables: OnceLock::new(),
        };
        db.ipv4_start = db.find_ipv4_start()?;
        Ok(db)
    }

    fn find_ipv4_start(&self) -> Result<(u32, u8), Error> {
        if self.metadata.ip_version == 4 {
            return Ok((0, 0));
        }
        let mut node = 0u32;
        let mut depth = 0u8;
        while depth < 96 && node < self.metadata.node_count {
            node = self.record(node, 0)?;
            depth += 1;
        }
        Ok((node, depth))
    }

    /// The metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The whole metadata map, decoded.
    pub fn raw_metadata(&self) -> Result<Value<'_>, Error> {
        let bytes = &self.source.bytes()[self.metadata_start + METADATA_MARKER.len()..];
        Decoder::new(bytes).decode_at(0).map(|(v, _)| v)
    }

    /// Size of the file in bytes.
    pub fn file_size(&self) -> usize {
        self.source.bytes().len()
    }

    fn data(&self) -> &[u8] {
        &self.source.bytes()[self.data_start..self.metadata_start]
    }

    /// Record `side` (0 left, 1 right) of `node`; the caller guarantees
    /// `node < node_count`, so the read is inside the tree.
    fn record(&self, node: u32, side: u8) -> Result<u32, Error> {
        let size = usize::from(self.metadata.record_size);
        let base = node as usize * size / 4;
        let tree = &self.source.bytes()[..self.tree_size];
        let bytes = tree
            .get(base..base + size / 4)
            .ok_or_else(|| Error::corrupt(format!("search tree node {node} is out of bounds")))?;
        Ok(node_record(bytes, size, side))
    }

    /// Walks the tree from `node` (after `walked` bits of `address`) until
    /// a record that is not a node or the last bit, and with `NOTE` notes
    /// the node it passes at depth `note_at` (`u32::MAX` if none); `BYTES`
    /// is the node size (record size / 4), so each level is one bounds
    /// check and a fixed, branch-free read.
    ///
    /// A node outside the cache lines prefetched last has the
    /// [`PREFETCH_LINES`] lines from its own prefetched: in a file laid out
    /// as `wikiguard-db` writes it, they hold the next levels below it (a
    /// whole subtree where the tree is sparse), so they arrive in the time
    /// of one memory read instead of one read every level or two. In a
    /// file laid out otherwise they are only wasted bandwidth.
    fn walk<const BYTES: usize, const NOTE: bool>(
        &self,
        address: u128,
        mut node: u32,
        mut walked: u8,
        note_at: u8,
    ) -> Result<(u32, u8, u32), Error> {
        let tree = &self.source.bytes()[..self.tree_size];
        let node_count = self.metadata.node_count;
        // The remaining bits, the next one on top.
        let mut bits = address.checked_shl(u32::from(walked)).unwrap_or(0);
        // Where the last prefetched run of lines starts.
        let mut prefetched: Option<usize> = None;
        let mut noted = u32::MAX;
        while node < node_count && walked < 128 {
            if NOTE && walked == note_at {
                noted = node;
            }
            let side = (bits >> 127) as u8;
            let base = node as usize * BYTES;
            if prefetched.is_none_or(|at| base.wrapping_sub(at) > PREFETCH_BYTES - BYTES) {
                let at = base & !(CACHE_LINE - 1);
                prefetch(tree, at);
                prefetched = Some(at);
            }
            let Some(bytes) = tree
                .get(base..base + BYTES)
                .and_then(|b| <&[u8; BYTES]>::try_from(b).ok())
            else {
                return Err(Error::corrupt(format!(
                    "search tree node {node} is out of bounds"
                )));
            };
            node = node_record(bytes, BYTES * 4, side);
            bits <<= 1;
            walked += 1;
        }
        Ok((node, walked, noted))
    }

    /// [`Self::walk`] for the database's record size (noting a node only
    /// when `NOTE`: the lookups that do not fill a below-level entry keep
    /// the plain loop).
    #[inline(always)]
    fn walk_sized<const NOTE: bool>(
        &self,
        address: u128,
        node: u32,
        walked: u8,
        note_at: u8,
    ) -> Result<(u32, u8, u32), Error> {
        match self.metadata.record_size {
            24 => self.walk::<6, NOTE>(address, node, walked, note_at),
            28 => self.walk::<7, NOTE>(address, node, walked, note_at),
            _ => self.walk::<8, NOTE>(address, node, walked, note_at),
        }
    }

    /// The jump tables (the root's and the IPv4 subtree's), built after
    /// [`LOOKUPS_BEFORE_JUMP_TABLES`] lookups; `None` before, or when the
    /// top of the tree is corrupt (the walk then reports it).
    fn jump_tables(&self) -> Option<&[JumpTable]> {
        if let Some(tables) = self.jump_tables.get() {
            return tables.as_deref();
        }
        // A plain load and store, not an atomic decrement: the count only
        // has to be roughly right, and a locked instruction per lookup
        // costs more than the rest of this check.
        let left = self.lookups_before_jump_tables.load(Ordering::Relaxed);
        if left > 0 {
            self.lookups_before_jump_tables
                .store(left - 1, Ordering::Relaxed);
            return None;
        }
        self.jump_tables
            .get_or_init(|| self.build_jump_tables(self.metadata.node_count >= BELOW_NODES_MIN))
            .as_deref()
    }

    /// The root's and the IPv4 subtree's [`JumpTable`]s, with the level
    /// below or not; `None` when the top of the tree is corrupt.
    fn build_jump_tables(&self, with_below: bool) -> Option<Vec<JumpTable>> {
        let mut starts = vec![(0, if self.metadata.ip_version == 4 { 96 } else { 0 })];
        let (ipv4_node, ipv4_depth) = self.ipv4_start;
        if self.metadata.ip_version == 6 && ipv4_depth == 96 && ipv4_node < self.metadata.node_count
        {
            starts.push(self.ipv4_start);
        }
        starts
            .into_iter()
            .map(|start| self.jump_table(start, with_below))
            .collect::<Result<Vec<_>, _>>()
            .ok()
    }

    /// The [`JumpTable`] from `start`: one entry per prefix of `bits`
    /// bits, filled by walking each node of the top levels once; then, in
    /// a small tree, the further blocks, breadth first.
    fn jump_table(&self, start: (u32, u8), with_below: bool) -> Result<JumpTable, Error> {
        let node_count = self.metadata.node_count;
        // About 16 entries per node, at most 2^16: small trees get small
        // tables (a 600-node tree gets 2^13 entries, 40 KB).
        let bits = (node_count.max(2).ilog2() as u8 + 4).clamp(8, JUMP_BITS_MAX);
        let budget = if node_count < JUMP_DEEP_NODES_MAX {
            (node_count as usize * 32).clamp(1 << bits, JUMP_ENTRIES_MAX)
        } else {
            1 << bits
        };
        let mut reached = Vec::new();
        let mut walked = Vec::new();
        // Blocks to fill: (node, depth, bits), in the order they are numbered.
        let mut blocks = std::collections::VecDeque::from([(start.0, start.1, bits)]);
        let (mut entries, mut next_block) = (1usize << bits, 0u32);
        let mut stack = Vec::new();
        while let Some((root, depth, bits)) = blocks.pop_front() {
            let base = reached.len();
            reached.resize(base + (1 << bits), 0);
            walked.resize(base + (1 << bits), 0);
            stack.push((root, 0u8, 0usize));
            while let Some((node, level, prefix)) = stack.pop() {
                if node >= node_count || level == bits {
                    let deeper = node < node_count
                        && usize::from(depth) + usize::from(bits + JUMP_STRIDE) <= 128
                        && entries + (1 << JUMP_STRIDE) <= budget;
                    if deeper {
                        entries += 1 << JUMP_STRIDE;
                        blocks.push_back((node, depth + bits, JUMP_STRIDE));
                        reached[base + prefix] = next_block;
                        walked[base + prefix] = NEXT_BLOCK;
                        next_block += 1;
                        continue;
                    }
                    let span =
                        base + (prefix << (bits - level))..base + ((prefix + 1) << (bits - level));
                    reached[span.clone()].fill(node);
                    walked[span].fill(level);
                    continue;
                }
                for side in 0..2 {
                    stack.push((
                        self.record(node, side)?,
                        level + 1,
                        prefix << 1 | usize::from(side),
                    ));
                }
            }
        }
        let below = (with_below && usize::from(start.1) + usize::from(bits + BELOW_BITS) <= 128)
            .then(|| zeroed_atomics(1 << (bits + BELOW_BITS)));
        Ok(JumpTable {
            start,
            bits,
            reached: reached.into(),
            walked: walked.into(),
            below,
        })
    }

    /// Finds the record for `ip`: `None` when the database has no data for
    /// it.
    pub fn find(&self, ip: IpAddr) -> Result<Option<Hit>, Error> {
        // The address as 128 bits; an IPv4 address sits in the low 32 bits
        // (`::a.b.c.d`), where both IPv4 and IPv6 trees keep it.
        let (address, mut node, mut walked) = match ip {
            IpAddr::V4(v4) => {
                let (node, depth) = if self.metadata.ip_version == 4 {
                    (0, 96)
                } else {
                    self.ipv4_start
                };
                (u128::from(u32::from(v4)), node, depth)
            }
            IpAddr::V6(v6) => {
                if self.metadata.ip_version == 4 {
                    return Err(Error::new(
                        ErrorKind::Ipv6InIpv4Database,
                        format!(
                            "{v6} is an IPv6 address and the database holds IPv4 addresses only"
                        ),
                    ));
                }
                (u128::from(v6), 0u32, 0u8)
            }
        };
        let node_count = self.metadata.node_count;
        // The below-level entry to fill from this walk, the node above it,
        // and the depth of the node to note (none: past any depth).
        let mut fill = None;
        let mut note_at = u8::MAX;
        if let Some(table) = self
            .jump_tables()
            .and_then(|tables| tables.iter().find(|t| t.start == (node, walked)))
        {
            // The below entry's line is asked for first: its read then
            // overlaps the jump table's instead of following it.
            let below = table.below_entry(address);
            if let Some(entry) = below {
                prefetch_line(entry.as_ptr().cast());
            }
            (node, walked) = table.jump(address);
            if let Some(entry) = below.filter(|_| table.reached_below((node, walked), node_count)) {
                match entry.load(Ordering::Relaxed) {
                    0 => {
                        fill = Some((entry, node));
                        note_at = walked + BELOW_BITS;
                    }
                    // Stored from this entry's own walk, from `node`.
                    offset => (node, walked) = (node + u32::from(offset), walked + BELOW_BITS),
                }
            }
        }
        let noted;
        (node, walked, noted) = if fill.is_some() {
            self.walk_sized::<true>(address, node, walked, note_at)?
        } else {
            self.walk_sized::<false>(address, node, walked, note_at)?
        };
        if let Some((entry, above)) = fill {
            // Kept when it is a node within 65,535 after `above`
            // (wikiguard-db puts a subtree after its root; other layouts
            // may not, and keep walking).
            if let Some(offset) = noted
                .checked_sub(above)
                .and_then(|o| u16::try_from(o).ok())
                .filter(|_| noted < node_count)
            {
                entry.store(offset, Ordering::Relaxed);
            }
        }
        let prefix_len = match ip {
            IpAddr::V4(_) => walked.saturating_sub(96),
            IpAddr::V6(_) => walked,
        };
        if node == node_count {
            return Ok(None);
        }
        if node < node_count {
            // Ran out of address bits inside the tree: no data.
            return Ok(None);
        }
        let offset = (node - node_count) as usize;
        if offset < SEPARATOR || offset - SEPARATOR >= self.data().len() {
            return Err(Error::corrupt(format!(
                "search tree record {node} points to data offset {} outside the {}-byte data section",
                offset as i64 - SEPARATOR as i64,
                self.data().len()
            )));
        }
        Ok(Some(Hit {
            offset: offset - SEPARATOR,
            prefix_len,
        }))
    }

    /// Decodes the record at a data-section offset.
    pub fn decode(&self, offset: usize) -> Result<Value<'_>, Error> {
        Decoder::new(self.data()).decode_at(offset).map(|(v, _)| v)
    }

    /// Decodes the record at a data-section offset into `sink` (the PHP
    /// binding builds arrays this way, with no intermediate [`Value`]).
    pub fn decode_with<'a, S: Sink<'a>>(
        &'a self,
        offset: usize,
        sink: &mut S,
    ) -> Result<S::Out, Error> {
        Decoder::new(self.data())
            .decode(offset, 0, false, sink)
            .map(|(v, _)| v)
    }

    /// Looks `ip` up and decodes its record.
    pub fn lookup(&self, ip: IpAddr) -> Result<Option<(Value<'_>, u8)>, Error> {
        match self.find(ip)? {
            Some(hit) => Ok(Some((self.decode(hit.offset)?, hit.prefix_len))),
            None => Ok(None),
        }
    }

    /// Checks the whole file: every search tree record points to a node,
    /// to "no data" or into the data section, and every record referenced
    /// from the tree decodes within the limits. Returns (nodes, records).
    pub fn verify(&self) -> Result<(u32, usize), Error> {
        let node_count = self.metadata.node_count;
        let mut offsets = std::collections::HashSet::new();
        for node in 0..node_count {
            for side in 0..2 {
                let value = self.record(node, side)?;
                if value > node_count {
                    let offset = (value - node_count) as usize;
                    if offset < SEPARATOR || offset - SEPARATOR >= self.data().len() {
                        return Err(Error::corrupt(format!(
                            "search tree node {node} record {side} points outside the data section ({value})"
                        )));
                    }
                    offsets.insert(offset - SEPARATOR);
                }
            }
        }
        for &offset in &offsets {
            self.decode(offset).map_err(|e| {
                Error::new(
                    e.kind(),
                    format!("data record at offset {offset}: {}", e.message()),
                )
            })?;
        }
        self.raw_metadata()?;
        Ok((node_count, offsets.len()))
    }
}

/// Bytes [`write_network_cidr`] writes to: the longest network text
/// (`::ffff:255.255.255.255/128`, 45 bytes) and room for its fixed-width
/// writes past the end of the text.
pub const NETWORK_CIDR_BUFFER: usize = 64;

/// Text written part by part: each part is written whole at a fixed width
/// and the end then moves on by the part's own length (a copy of a variable
/// length is a call to `memcpy`, and a formatted address is a dozen parts).
struct CidrWriter<'a> {
    bytes: &'a mut [u8; NETWORK_CIDR_BUFFER],
    len: usize,
}

/// The widest part a [`CidrWriter`] writes.
const CIDR_PART: usize = 8;

impl CidrWriter<'_> {
    /// Writes `part` at the end and moves the end on by `len` (at most
    /// [`CIDR_PART`]).
    #[inline(always)]
    fn put(&mut self, part: [u8; CIDR_PART], len: usize) {
        // The end never passes 48 (45 bytes of text at most), so the part
        // always fits; the clamp lets the compiler drop the bounds check.
        let at = self.len.min(NETWORK_CIDR_BUFFER - CIDR_PART);
        self.bytes[at..at + CIDR_PART].copy_from_slice(&part);
        self.len = at + len.min(CIDR_PART);
    }
}

/// Writes the network of `ip` with `prefix_len` bits (`a.b.c.d/n` or
/// `…/n` by the family of the address, as `Ipv4Addr`/`Ipv6Addr` display
/// it) to the start of `out` and returns its length. Written by hand, into
/// the caller's buffer: `write!` and the padding-aware `Display` impls cost
/// more than the rest of a small lookup, and a text returned by value is
/// read back as wide loads of narrow stores, which stall.
pub fn write_network_cidr(
    ip: IpAddr,
    prefix_len: u8,
    out: &mut [u8; NETWORK_CIDR_BUFFER],
) -> usize {
    let mut out = CidrWriter { bytes: out, len: 0 };
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(prefix_len.min(32)))
                .unwrap_or(0);
            put_ipv4(&mut out, (u32::from(v4) & mask).to_be_bytes());
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(prefix_len.min(128)))
                .unwrap_or(0);
            put_ipv6(&mut out, (u128::from(v6) & mask).to_be_bytes());
        }
    }
    out.put(*b"/\0\0\0\0\0\0\0", 1);
    let (digits, len) = DECIMAL[usize::from(prefix_len)];
    out.put(digits, len);
    out.len
}

/// The decimal digits of every byte value followed by a `.`, and how many
/// digits.
static DECIMAL: [([u8; CIDR_PART], usize); 256] = {
    let mut table = [([0u8; CIDR_PART], 0usize); 256];
    let mut n = 0;
    while n < 256 {
        let len = if n >= 100 {
            3
        } else if n >= 10 {
            2
        } else {
            1
        };
        let mut part = [0u8; CIDR_PART];
        let (mut rest, mut i) = (n, len);
        while i > 0 {
            i -= 1;
            part[i] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        part[len] = b'.';
        table[n] = (part, len);
        n += 1;
    }
    table
};

fn put_ipv4(out: &mut CidrWriter<'_>, octets: [u8; 4]) {
    for octet in &octets[..3] {
        let (part, len) = DECIMAL[usize::from(*octet)];
        out.put(part, len + 1);
    }
    let (part, len) = DECIMAL[usize::from(octets[3])];
    out.put(part, len);
}

/// `Ipv6Addr`'s display: IPv4-mapped as `::ffff:a.b.c.d`, else lowercase
/// hex groups with the first longest run of two or more zero groups as
/// `::`.
fn put_ipv6(out: &mut CidrWriter<'_>, bytes: [u8; 16]) {
    if bytes[..10] == [0; 10] && bytes[10..12] == [0xff, 0xff] {
        out.put(*b"::ffff:\0", 7);
        put_ipv4(out, [bytes[12], bytes[13], bytes[14], bytes[15]]);
        return;
    }
    let groups: [u16; 8] =
        std::array::from_fn(|i| u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]));
    let (mut zeros_at, mut zeros_len, mut run_len) = (0, 0, 0);
    for (i, &group) in groups.iter().enumerate() {
        run_len = if group == 0 { run_len + 1 } else { 0 };
        if run_len > zeros_len {
            (zeros_at, zeros_len) = (i + 1 - run_len, run_len);
        }
    }
    // Each group as its hex digits without leading zeros, then a `:`.
    let put_groups = |out: &mut CidrWriter<'_>, groups: &[u16]| {
        for &group in groups {
            let digits = (16 - group.leading_zeros()).div_ceil(4).max(1) as usize;
            let aligned = group << (4 * (4 - digits));
            let hex = |shift: u32| b"0123456789abcdef"[usize::from(aligned >> shift & 0xf)];
            out.put([hex(12), hex(8), hex(4), hex(0), 0, 0, 0, 0], digits);
            out.put(*b":\0\0\0\0\0\0\0", 1);
        }
    };
    if zeros_len > 1 {
        if zeros_at == 0 {
            out.put(*b":\0\0\0\0\0\0\0", 1);
        }
        put_groups(out, &groups[..zeros_at]);
        out.put(*b":\0\0\0\0\0\0\0", 1);
        put_groups(out, &groups[zeros_at + zeros_len..]);
    } else {
        put_groups(out, &groups);
    }
    // The `:` after the last group goes, unless the address ends in `::`.
    if zeros_len < 2 || zeros_at + zeros_len < 8 {
        out.len -= 1;
    }
}

/// Record `side` of a node whose `record_size / 4` bytes are `b`. The
/// side picks byte positions arithmetically rather than by a branch: it
/// is an address bit, which a branch predictor cannot guess.
#[inline(always)]
fn node_record(b: &[u8], record_size: usize, side: u8) -> u32 {
    let side = usize::from(side & 1);
    let b = |i: usize| u32::from(b[i]);
    match record_size {
        24 => {
            let at = 3 * side;
            (b(at) << 16) | (b(at + 1) << 8) | b(at + 2)
        }
        28 => {
            // The middle byte holds the top nibble of both records.
            let at = 4 * side;
            let top = (b(3) >> (4 - 4 * side)) & 0x0F;
            (top << 24) | (b(at) << 16) | (b(at + 1) << 8) | b(at + 2)
        }
        _ => {
            let at = 4 * side;
            (b(at) << 24) | (b(at + 1) << 16) | (b(at + 2) << 8) | b(at + 3)
        }
    }
}

/// Checks the metadata map as libmaxminddb does (`read_metadata`), so a
/// file php-maxminddb refuses is refused here too: each key it requires
/// is present with the exact type it requires (`node_count` uint32;
/// `record_size`, `ip_version` and both format versions uint16;
/// `build_epoch` uint64; `database_type` a string; `languages` an array of
/// strings; `description` a map of strings), and `node_count`,
/// `record_size`, `ip_version`, `binary_format_major_version` and
/// `build_epoch` are not 0 (libmaxminddb reads 0 as "missing"), and the
/// major version is 2 (php-tests/ip/ip_reputation_metadata_like_libmaxminddb.phpt
/// compares each rule with php-maxminddb).
fn parse_metadata(raw: &Value<'_>) -> Result<Metadata, Error> {
    let Value::Map(_) = raw else {
        return Err(Error::corrupt("metadata is not a map"));
    };
    let wrong = |key: &str, what: &str| {
        Error::corrupt(format!("metadata: `{key}` is missing or not {what}"))
    };
    let get = |key: &str| raw.get(key);
    let u16_of = |key: &str| match get(key) {
        Some(&Value::U16(n)) => Ok(n),
        _ => Err(wrong(key, "a uint16")),
    };
    let not_zero = |key: &str, n: u64| {
        if n == 0 {
            Err(Error::corrupt(format!("metadata: `{key}` is 0")))
        } else {
            Ok(())
        }
    };
    let node_count = match get("node_count") {
        Some(&Value::U32(n)) => n,
        _ => return Err(wrong("node_count", "a uint32")),
    };
    not_zero("node_count", u64::from(node_count))?;
    let record_size = u16_of("record_size")?;
    if !matches!(record_size, 24 | 28 | 32) {
        return Err(Error::corrupt(format!(
            "metadata: record_size {record_size} is not 24, 28 or 32"
        )));
    }
    let ip_version = u16_of("ip_version")?;
    if !matches!(ip_version, 4 | 6) {
        return Err(Error::corrupt(format!(
            "metadata: ip_version {ip_version} is not 4 or 6"
        )));
    }
    let database_type = match get("database_type") {
        Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => return Err(wrong("database_type", "a string")),
    };
    match get("languages") {
        Some(Value::Array(items)) if items.iter().all(|v| matches!(v, Value::Str(_))) => {}
        _ => return Err(wrong("languages", "an array of strings")),
    }
    let major = u16_of("binary_format_major_version")?;
    if major != 2 {
        return Err(Error::corrupt(format!(
            "metadata: binary format {major} is not supported (only 2)"
        )));
    }
    u16_of("binary_format_minor_version")?;
    let build_epoch = match get("build_epoch") {
        Some(&Value::U64(n)) => n,
        _ => return Err(wrong("build_epoch", "a uint64")),
    };
    not_zero("build_epoch", build_epoch)?;
    match get("description") {
        Some(Value::Map(entries)) if entries.iter().all(|(_, v)| matches!(v, Value::Str(_))) => {}
        _ => return Err(wrong("description", "a map of strings")),
    }
    Ok(Metadata {
        node_count,
        record_size,
        ip_version,
        database_type,
        build_epoch,
    })
}

/// A bounded decoder over one section (data or metadata); pointers are
/// offsets into that section.
struct Decoder<'a> {
    section: &'a [u8],
    values: usize,
    payload: usize,
}

/// The MMDB data types by number.
const POINTER: u8 = 1;
const MAP: u8 = 7;
const ARRAY: u8 = 11;

impl<'a> Decoder<'a> {
    fn new(section: &'a [u8]) -> Self {
        Decoder {
            section,
            values: 0,
            payload: 0,
        }
    }

    #[inline]
    fn byte(&self, at: usize) -> Result<u8, Error> {
        self.section
            .get(at)
            .copied()
            .ok_or_else(|| Error::corrupt(format!("unexpected end of data at offset {at}")))
    }

    #[inline]
    fn slice(&self, at: usize, len: usize) -> Result<&'a [u8], Error> {
        at.checked_add(len)
            .and_then(|end| self.section.get(at..end))
            .ok_or_else(|| {
                Error::corrupt(format!(
                    "a {len}-byte value at offset {at} runs past the end of the data"
                ))
            })
    }

    /// Decodes the value at `at`; returns it and the offset after it.
    fn decode_at(&mut self, at: usize) -> Result<(Value<'a>, usize), Error> {
        self.decode(at, 0, false, &mut ValueSink)
    }

    /// The control byte at `at`: (type, size, offset of the payload).
    #[inline]
    fn control(&self, at: usize) -> Result<(u8, usize, usize), Error> {
        let ctrl = self.byte(at)?;
        let mut pos = at + 1;
        let mut kind = ctrl >> 5;
        if kind == 0 {
            kind = self
                .byte(pos)?
                .checked_add(7)
                .filter(|k| (8..=15).contains(k))
                .ok_or_else(|| Error::corrupt(format!("invalid extended type at offset {at}")))?;
            pos += 1;
        }
        if kind == POINTER {
            return Ok((kind, usize::from(ctrl), pos));
        }
        let mut size = usize::from(ctrl & 0x1f);
        if size >= 29 {
            let extra = size - 28;
            let bytes = self.slice(pos, extra)?;
            let n = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            size = match extra {
                1 => 29 + n,
                2 => 285 + n,
                _ => 65_821 + n,
            };
            pos += extra;
        }
        Ok((kind, size, pos))
    }

    fn decode<S: Sink<'a>>(
        &mut self,
        at: usize,
        depth: usize,
        via_pointer: bool,
        sink: &mut S,
    ) -> Result<(S::Out, usize), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("data nested deeper than {MAX_DEPTH} levels at offset {at}"),
            ));
        }
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("record has more than {MAX_VALUES} values"),
            ));
        }
        let (kind, size, pos) = self.control(at)?;
        let uint = |this: &Self, max: usize| -> Result<u128, Error> {
            if size > max {
                return Err(Error::corrupt(format!(
                    "a {size}-byte integer at offset {at} is wider than its type ({max})"
                )));
            }
            Ok(this
                .slice(pos, size)?
                .iter()
                .fold(0u128, |acc, &b| (acc << 8) | u128::from(b)))
        };
        let value = match kind {
            POINTER => {
                if via_pointer {
                    return Err(Error::corrupt(format!(
                        "pointer at offset {at} points to another pointer"
                    )));
                }
                let (target, after) = self.pointer(size as u8, pos)?;
                self.values -= 1; // the pointer itself is not a value
                let (value, _) = self.decode(target, depth, true, sink)?;
                return Ok((value, after));
            }
            2 | 4 => {
                self.payload += size;
                if self.payload > MAX_PAYLOAD {
                    return Err(Error::new(
                        ErrorKind::Limit,
                        format!("record has more than {MAX_PAYLOAD} bytes of strings"),
                    ));
                }
                let bytes = self.slice(pos, size)?;
                let value = if kind == 2 {
                    Value::Str(bytes)
                } else {
                    Value::Bytes(bytes)
                };
                return Ok((sink.scalar(value)?, pos + size));
            }
            3 => {
                if size != 8 {
                    return Err(Error::corrupt(format!(
                        "a double at offset {at} has {size} bytes, not 8"
                    )));
                }
                let b = self.slice(pos, 8)?;
                Value::Double(f64::from_be_bytes([
                    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                ]))
            }
            5 => Value::U16(uint(self, 2)? as u16),
            6 => Value::U32(uint(self, 4)? as u32),
            8 => Value::I32(uint(self, 4)? as u32 as i32),
            9 => Value::U64(uint(self, 8)? as u64),
            10 => Value::U128(uint(self, 16)?),
            14 => {
                if size > 1 {
                    return Err(Error::corrupt(format!(
                        "a boolean at offset {at} has value {size}"
                    )));
                }
                return Ok((sink.scalar(Value::Bool(size == 1))?, pos));
            }
            15 => {
                if size != 4 {
                    return Err(Error::corrupt(format!(
                        "a float at offset {at} has {size} bytes, not 4"
                    )));
                }
                let b = self.slice(pos, 4)?;
                Value::Float(f32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            }
            MAP => {
                self.check_count(size, at)?;
                let mut map = sink.map(size);
                let mut next = pos;
                for _ in 0..size {
                    let (key, after_key) = self.key(next, depth + 1)?;
                    let (value, after_value) = self.decode(after_key, depth + 1, false, sink)?;
                    sink.map_entry(&mut map, key, value)?;
                    next = after_value;
                }
                return Ok((sink.end_map(map), next));
            }
            ARRAY => {
                self.check_count(size, at)?;
                let mut array = sink.array(size);
                let mut next = pos;
                for _ in 0..size {
                    let (item, after) = self.decode(next, depth + 1, false, sink)?;
                    sink.array_item(&mut array, item)?;
                    next = after;
                }
                return Ok((sink.end_array(array), next));
            }
            _ => {
                return Err(Error::corrupt(format!(
                    "unsupported data type {kind} at offset {at}"
                )));
            }
        };
        Ok((sink.scalar(value)?, pos + size))
    }

    /// The target of the pointer with control byte `ctrl` whose offset
    /// bytes start at `pos`, and the offset after the pointer.
    fn pointer(&self, ctrl: u8, pos: usize) -> Result<(usize, usize), Error> {
        let ss = (ctrl >> 3) & 3;
        let v = usize::from(ctrl & 7);
        let bytes = self.slice(pos, usize::from(ss) + 1)?;
        let n = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        let target = match ss {
            0 => (v << 8) | n,
            1 => ((v << 16) | n) + 2048,
            2 => ((v << 24) | n) + 526_336,
            _ => n,
        };
        Ok((target, pos + usize::from(ss) + 1))
    }

    /// The map key at `at` (a string, maybe behind a pointer) and
    /// the offset after it, counted against the budgets as [`Self::decode`]
    /// counts it.
    fn key(&mut self, at: usize, depth: usize) -> Result<(&'a [u8], usize), Error> {
        if let Some((key, after)) = self.plain_key(at, depth) {
            self.values += 1;
            self.payload += key.len();
            return Ok((key, after));
        }
        // Anything unusual goes the general way, which reports it.
        let (key, after) = self.decode(at, depth, false, &mut ValueSink)?;
        let Value::Str(key) = key else {
            return Err(Error::corrupt(format!(
                "a map key at offset {at} is not a string"
            )));
        };
        Ok((key, after))
    }

    /// The common case of [`Self::key`] without building a [`Value`]: a
    /// valid UTF-8 string, directly or behind one pointer, within budget.
    #[inline]
    fn plain_key(&self, at: usize, depth: usize) -> Option<(&'a [u8], usize)> {
        if depth > MAX_DEPTH || self.values >= MAX_VALUES {
            return None;
        }
        let (mut kind, mut size, mut pos) = self.control(at).ok()?;
        let after = if kind == POINTER {
            let (target, after) = self.pointer(size as u8, pos).ok()?;
            (kind, size, pos) = self.control(target).ok()?;
            after
        } else {
            pos + size
        };
        if kind != 2 || self.payload + size > MAX_PAYLOAD {
            return None;
        }
        let key = self.slice(pos, size).ok()?;
        Some((key, after))
    }

    /// A container cannot hold more entries than there are bytes left
    /// (each entry is at least one byte), nor more than the value budget.
    fn check_count(&self, size: usize, at: usize) -> Result<(), Error> {
        if size > self.section.len().saturating_sub(at) {
            return Err(Error::corrupt(format!(
                "a container at offset {at} claims {size} entries, more than the bytes left"
            )));
        }
        if self.values + size > MAX_VALUES {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("record has more than {MAX_VALUES} values"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::mmdb_writer::{encode, Data};

    /// `db` opened twice: one copy that builds its jump tables at once,
    /// one that never does.
    fn with_and_without_jump_tables(bytes: &[u8]) -> Option<(Database, Database)> {
        let tables = Database::from_bytes(bytes.to_vec()).ok()?;
        tables
            .lookups_before_jump_tables
            .store(0, Ordering::Relaxed);
        let walk = Database::from_bytes(bytes.to_vec()).ok()?;
        walk.lookups_before_jump_tables
            .store(u32::MAX, Ordering::Relaxed);
        Some((tables, walk))
    }

    /// Addresses that reach every depth of a tree: the probes the PHPT
    /// tests use, plus pseudo-random IPv4 and IPv6 addresses.
    fn probe_addresses() -> Vec<IpAddr> {
        let probes = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/php-tests/data/mmdb/probes.txt"
        ))
        .unwrap();
        let mut addresses: Vec<IpAddr> = probes.lines().filter_map(|l| l.parse().ok()).collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            addresses.push(IpAddr::from((x as u32).to_be_bytes()));
            addresses.push(IpAddr::from(
                (u128::from(x) << 64 | u128::from(x.rotate_left(17))).to_be_bytes(),
            ));
        }
        addresses
    }

    /// A one-node IPv4 database whose metadata is `metadata`.
    fn database_with_metadata(metadata: Vec<(String, Data)>) -> Result<Database, Error> {
        // Both records of node 0 point to data offset 0 (node_count 1 + 16).
        let mut file = vec![0, 0, 17, 0, 0, 17];
        file.extend([0; SEPARATOR]);
        encode(
            &Data::Map(vec![("a".into(), Data::Str("b".into()))]),
            &mut file,
        );
        file.extend(METADATA_MARKER);
        encode(&Data::Map(metadata), &mut file);
        Database::from_bytes(file)
    }

    #[test]
    fn metadata_is_checked_as_libmaxminddb_checks_it() {
        use Data::{Array, Map, Str, U16, U32, U64};
        let valid = || {
            vec![
                ("binary_format_major_version", U16(2)),
                ("binary_format_minor_version", U16(0)),
                ("build_epoch", U64(1_700_000_000)),
                ("database_type", Str("t".into())),
                ("description", Map(vec![("en".into(), Str("d".into()))])),
                ("ip_version", U16(4)),
                ("languages", Array(vec![Str("en".into())])),
                ("node_count", U32(1)),
                ("record_size", U16(24)),
            ]
        };
        // (key, its new value or None to leave it out, the error or None
        // when the database opens)
        let cases: Vec<(&str, Option<Data>, Option<&str>)> = vec![
            (
                "node_count",
                Some(U16(1)),
                Some("`node_count` is missing or not a uint32"),
            ),
            ("node_count", Some(U32(0)), Some("`node_count` is 0")),
            ("node_count", None, Some("`node_count` is missing")),
            (
                "record_size",
                Some(U32(24)),
                Some("`record_size` is missing or not a uint16"),
            ),
            (
                "record_size",
                Some(U16(20)),
                Some("record_size 20 is not 24, 28 or 32"),
            ),
            (
                "ip_version",
                Some(U32(4)),
                Some("`ip_version` is missing or not a uint16"),
            ),
            (
                "ip_version",
                Some(U16(5)),
                Some("ip_version 5 is not 4 or 6"),
            ),
            (
                "database_type",
                Some(U16(1)),
                Some("`database_type` is missing or not a string"),
            ),
            ("languages", None, Some("`languages` is missing")),
            (
                "languages",
                Some(Array(vec![U16(1)])),
                Some("not an array of strings"),
            ),
            ("languages", Some(Array(vec![])), None),
            (
                "binary_format_major_version",
                Some(U32(2)),
                Some("not a uint16"),
            ),
            (
                "binary_format_major_version",
                Some(U16(3)),
                Some("binary format 3 is not supported"),
            ),
            (
                "binary_format_minor_version",
                None,
                Some("`binary_format_minor_version` is missing"),
            ),
            ("build_epoch", Some(U64(0)), Some("`build_epoch` is 0")),
            (
                "build_epoch",
                Some(U32(5)),
                Some("`build_epoch` is missing or not a uint64"),
            ),
            ("description", None, Some("`description` is missing")),
            (
                "description",
                Some(Map(vec![("en".into(), U16(1))])),
                Some("not a map of strings"),
            ),
            ("description", Some(Map(vec![])), None),
        ];
        assert!(
            database_with_metadata(valid().into_iter().map(|(k, v)| (k.into(), v)).collect())
                .is_ok()
        );
        for (key, value, error) in cases {
            let metadata = valid()
                .into_iter()
                .filter_map(|(k, v)| match k == key {
                    true => value.clone().map(|value| (k.to_string(), value)),
                    false => Some((k.to_string(), v)),
                })
                .collect();
            let opened = database_with_metadata(metadata);
            match error {
                None => assert!(opened.is_ok(), "{key} = {value:?}: {:?}", opened.err()),
                Some(error) => {
                    let message = opened.expect_err(key).to_string();
                    assert!(message.contains(error), "{key} = {value:?}: {message}");
                }
            }
        }
    }

    #[test]
    fn jump_tables_find_what_the_walk_finds() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/php-tests/data/mmdb/test-data");
        let addresses = probe_addresses();
        let (mut files, mut indexed, mut deep) = (0, 0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let Some((tables, walk)) = with_and_without_jump_tables(&bytes) else {
                continue;
            };
            files += 1;
            for &ip in &addresses {
                assert_eq!(tables.find(ip), walk.find(ip), "{ip}");
            }
            if let Some(Some(built)) = tables.jump_tables.get() {
                indexed += 1;
                deep += built
                    .iter()
                    .filter(|t| t.reached.len() > 1 << t.bits)
                    .count();
            }
            assert!(walk.jump_tables.get().is_none());
        }
        assert!(files >= 30, "only {files} test databases opened");
        assert!(indexed >= files - 2, "{indexed} of {files} indexed");
        assert!(deep >= 10, "only {deep} tables with blocks below the first");
    }

    /// A wikiguard-db tree of 20,000 IPv4 hosts, 2,000 IPv4 /24 and 2,000
    /// IPv6 /48 networks, and its IPv4 hosts: big enough for 16-bit jump
    /// tables without deeper blocks.
    fn written_tree() -> (Vec<u8>, Vec<IpAddr>) {
        use crate::ip::mmdb_writer::{Data, Writer};
        let mut w = Writer::new("Test", "test", 1);
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut hosts = Vec::new();
        for i in 0..24_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let label = Data::Map(vec![("n".into(), Data::U32(i % 7))]);
            let id = w.intern(&label).unwrap();
            let (address, len) = match i % 12 {
                0 => (u128::from(x) << 64 & !(u128::MAX >> 48), 48),
                1 => (u128::from(x as u32 & !0xff), 96 + 24),
                _ => (u128::from(x as u32), 128),
            };
            w.insert(address, len, id, |_, _, new| Ok(new)).unwrap();
            if len == 128 {
                hosts.push(IpAddr::from((x as u32).to_be_bytes()));
            }
        }
        w.alias_ipv4_mapped().unwrap();
        let mut out = Vec::new();
        w.write_to(&mut out).unwrap();
        (out, hosts)
    }

    #[test]
    fn the_level_below_the_jump_tables_finds_what_the_walk_finds() {
        // Forced on whatever the tree's size: MaxMind's test databases
        // (laid out so that few offsets are kept) and a wikiguard-db tree
        // (where they are).
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/php-tests/data/mmdb/test-data");
        let mut files: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .collect();
        let (written, hosts) = written_tree();
        files.push(written);
        let mut addresses = probe_addresses();
        addresses.extend(hosts);
        let (mut files_with_below, mut kept_in_written) = (0, 0);
        for bytes in &files {
            let Some((_, walk)) = with_and_without_jump_tables(bytes) else {
                continue;
            };
            let below = Database::from_bytes(bytes.clone()).unwrap();
            let Some(tables) = below.build_jump_tables(true) else {
                continue;
            };
            assert!(below.jump_tables.set(Some(tables)).is_ok());
            // The first pass fills the entries, the second reads them.
            for _ in 0..2 {
                for &ip in &addresses {
                    assert_eq!(below.find(ip), walk.find(ip), "{ip}");
                }
            }
            let Some(Some(tables)) = below.jump_tables.get() else {
                unreachable!()
            };
            let kept = tables
                .iter()
                .filter_map(|t| t.below.as_deref())
                .flatten()
                .filter(|e| e.load(Ordering::Relaxed) != 0)
                .count();
            files_with_below += 1;
            if std::ptr::eq(bytes, files.last().unwrap()) {
                kept_in_written = kept;
            }
        }
        assert!(files_with_below >= 30, "{files_with_below} files");
        assert!(kept_in_written > 10_000, "{kept_in_written} offsets kept");
    }

    #[test]
    fn network_cidr_writes_what_display_writes() {
        let mut addresses = probe_addresses();
        // Zero runs of every length and place, ties, IPv4-mapped and
        // IPv4-compatible forms.
        for mask in 0u32..256 {
            let groups: [u16; 8] = std::array::from_fn(|i| {
                if mask >> i & 1 == 1 {
                    0
                } else {
                    // One to four digits, in every position.
                    [0x1, 0xab, 0xf00, 0xabcd][(i + mask as usize) % 4]
                }
            });
            addresses.push(IpAddr::from(groups));
        }
        addresses.push("::ffff:1.2.3.4".parse().unwrap());
        addresses.push("::1.2.3.4".parse().unwrap());
        addresses.push("::ffff:0:0".parse().unwrap());
        for ip in addresses {
            for prefix_len in [0u8, 1, 7, 16, 24, 31, 32, 48, 64, 96, 127, 128] {
                let expected = match ip {
                    IpAddr::V4(v4) => {
                        let len = prefix_len.min(32);
                        let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
                        format!(
                            "{}/{prefix_len}",
                            std::net::Ipv4Addr::from(u32::from(v4) & mask)
                        )
                    }
                    IpAddr::V6(v6) => {
                        let mask = u128::MAX
                            .checked_shl(128 - u32::from(prefix_len))
                            .unwrap_or(0);
                        format!(
                            "{}/{prefix_len}",
                            std::net::Ipv6Addr::from(u128::from(v6) & mask)
                        )
                    }
                };
                let mut text = [0; NETWORK_CIDR_BUFFER];
                let len = write_network_cidr(ip, prefix_len, &mut text);
                assert_eq!(std::str::from_utf8(&text[..len]), Ok(&*expected));
            }
        }
    }

    #[test]
    fn node_record_reads_each_record_size_and_side() {
        // (record size, node bytes, left, right): the layouts of the MMDB
        // spec, with every nibble distinct so a swapped byte shows.
        let table: &[(usize, &[u8], u32, u32)] = &[
            (
                24,
                &[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc],
                0x12_3456,
                0x78_9abc,
            ),
            (
                28,
                &[0x12, 0x34, 0x56, 0xf7, 0x89, 0xab, 0xcd],
                0x0f12_3456,
                0x0789_abcd,
            ),
            (
                32,
                &[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0],
                0x1234_5678,
                0x9abc_def0,
            ),
        ];
        for &(size, bytes, left, right) in table {
            assert_eq!(node_record(bytes, size, 0), left, "{size}-bit left");
            assert_eq!(node_record(bytes, size, 1), right, "{size}-bit right");
        }
    }
}
