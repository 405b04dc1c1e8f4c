//! Writes MaxMind DB (format 2.0) files: an IPv6 search tree (IPv4 at
//! `::/96`, aliased at `::ffff:0:0/96`), a data section with one copy of
//! each distinct record, and the metadata.
//!
//! The tree is built in memory as an array of nodes (8 bytes each); a
//! network inserted inside a network that already has data splits it, and
//! the caller's `merge` decides what the more specific part holds (insert
//! wider networks first). Record size is the smallest of 24, 28 and 32
//! bits that fits.
//!
//! Nodes are written in blocks of `BLOCK_LEVELS` (4) levels, depth first
//! (`Writer::layout`): a block's nodes (level by level), then the
//! subtree below each of its bottom nodes, left to right, laid out the same
//! way. Records are node numbers, so any order is a standard file; in this
//! one the subtree under any node at a depth that is a multiple of 4 is
//! one contiguous run of the file, its top 4 levels (at most 15 nodes, 2
//! or 3 cache lines) first. The reader prefetches a few cache lines ahead
//! of the node it reaches ([`crate::ip::mmdb`]), so one memory latency
//! brings in 4 levels in dense parts of the tree and a whole sparse subtree
//! (a /20 of a 10-million-network feed) at once, where creation order
//! scatters a lookup's nodes over the whole file.

use std::collections::HashMap;

/// An empty record.
const EMPTY: u32 = u32::MAX;
/// Tag of a record that holds a data id rather than a node index.
const DATA: u32 = 1 << 31;

/// A node not yet given its number in the file.
const UNPLACED: u32 = u32::MAX;
/// Levels of the tree per block of [`Writer::layout`]: 15 nodes of at most
/// 8 bytes, within 2 cache lines when aligned, 3 at worst.
const BLOCK_LEVELS: u8 = 4;

/// A value to store in the data section.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// `utf8_string`.
    Str(String),
    /// `uint32`.
    U32(u32),
    /// `uint64`.
    U64(u64),
    /// `uint16`.
    U16(u16),
    /// `map` (written in the given order).
    Map(Vec<(String, Data)>),
    /// `array`.
    Array(Vec<Data>),
}

/// Why a database cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

/// An MMDB file being built.
#[derive(Debug)]
pub struct Writer {
    nodes: Vec<[u32; 2]>,
    /// Serialized records by id.
    records: Vec<Vec<u8>>,
    record_ids: HashMap<Vec<u8>, u32>,
    database_type: String,
    description: String,
    build_epoch: u64,
}

impl Writer {
    /// An empty database of `database_type`.
    pub fn new(database_type: &str, description: &str, build_epoch: u64) -> Self {
        Writer {
            nodes: vec![[EMPTY, EMPTY]],
            records: Vec::new(),
            record_ids: HashMap::new(),
            database_type: database_type.to_string(),
            description: description.to_string(),
            build_epoch,
        }
    }

    /// The id of `data` in the data section, adding it if it is new.
    pub fn intern(&mut self, data: &Data) -> Result<u32, WriteError> {
        let mut bytes = Vec::new();
        encode(data, &mut bytes);
        if let Some(&id) = self.record_ids.get(&bytes) {
            return Ok(id);
        }
        let id = u32::try_from(self.records.len())
            .ok()
            .filter(|&id| id < DATA - 1)
            .ok_or_else(|| WriteError("too many distinct records".into()))?;
        self.record_ids.insert(bytes.clone(), id);
        self.records.push(bytes);
        Ok(id)
    }

    /// Sets the network `address/prefix_len` (IPv6 bit numbering; an IPv4
    /// network is `::a.b.c.d/96+len`) to record `id`. Where the network,
    /// or a wider one containing it, already holds data `old`, the network
    /// gets `merge(old, id)`. Networks inside it are overwritten, so insert
    /// wider networks first.
    pub fn insert(
        &mut self,
        address: u128,
        prefix_len: u8,
        id: u32,
        mut merge: impl FnMut(&mut Self, u32, u32) -> Result<u32, WriteError>,
    ) -> Result<(), WriteError> {
        if prefix_len == 0 {
            return Err(WriteError(
                "a /0 network cannot be stored (it would replace the whole tree)".into(),
            ));
        }
        let mut node = 0usize;
        for depth in 0..prefix_len {
            let bit = ((address >> (127 - depth)) & 1) as usize;
            let child = self.nodes[node][bit];
            if depth + 1 == prefix_len {
                let value = if child == EMPTY {
                    id
                } else if child & DATA != 0 {
                    merge(self, child & !DATA, id)?
                } else {
                    // Finer networks are already there: each keeps its
                    // data merged under the new one, the gaps get the new.
                    return self.merge_subtree(child, id, &mut merge);
                };
                self.nodes[node][bit] = DATA | value;
                return Ok(());
            }
            let next = match child {
                EMPTY => self.push_node([EMPTY, EMPTY])?,
                data if data & DATA != 0 => self.push_node([data, data])?,
                next => next as usize,
            };
            self.nodes[node][bit] = next as u32;
            node = next;
        }
        Ok(())
    }

    fn merge_subtree(
        &mut self,
        root: u32,
        id: u32,
        merge: &mut impl FnMut(&mut Self, u32, u32) -> Result<u32, WriteError>,
    ) -> Result<(), WriteError> {
        let mut stack = vec![root as usize];
        while let Some(node) = stack.pop() {
            for side in 0..2 {
                let child = self.nodes[node][side];
                if child == EMPTY {
                    self.nodes[node][side] = DATA | id;
                } else if child & DATA != 0 {
                    let merged = merge(self, id, child & !DATA)?;
                    self.nodes[node][side] = DATA | merged;
                } else {
                    stack.push(child as usize);
                }
            }
        }
        Ok(())
    }

    fn push_node(&mut self, node: [u32; 2]) -> Result<usize, WriteError> {
        if self.nodes.len() >= (DATA - 1) as usize {
            return Err(WriteError("search tree too large".into()));
        }
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }
}

impl Writer {
    /// Makes `::ffff:0:0/96` (IPv4-mapped addresses) lead to the IPv4
    /// subtree at `::/96`, unless IPv6 data already covers that range.
    pub fn alias_ipv4_mapped(&mut self) -> Result<(), WriteError> {
        let mut ipv4_root = 0u32;
        for _ in 0..96 {
            if ipv4_root == EMPTY || ipv4_root & DATA != 0 {
                break;
            }
            ipv4_root = self.nodes[ipv4_root as usize][0];
        }
        if ipv4_root == EMPTY {
            return Ok(());
        }
        let mapped: u128 = 0xffff << 32;
        let mut node = 0usize;
        for depth in 0..96u8 {
            let bit = ((mapped >> (127 - depth)) & 1) as usize;
            let child = self.nodes[node][bit];
            if depth == 95 {
                if child == EMPTY {
                    self.nodes[node][bit] = ipv4_root;
                }
                return Ok(());
            }
            node = match child {
                EMPTY => {
                    let next = self.push_node([EMPTY, EMPTY])?;
                    self.nodes[node][bit] = next as u32;
                    next
                }
                data if data & DATA != 0 => return Ok(()),
                next => next as usize,
            };
        }
        Ok(())
    }

    /// Number of nodes in the search tree.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The file order of the nodes: `(position, nodes)`, where
    /// `position[old]` is a node's number in the file and `nodes[new]` the
    /// node written there. Blocks of [`BLOCK_LEVELS`] levels, depth first:
    /// a block (level by level), then the subtree below each node of its
    /// bottom level, left to right. The root stays node 0.
    fn layout(&self) -> (Vec<u32>, Vec<u32>) {
        let mut position = vec![UNPLACED; self.nodes.len()];
        let mut nodes = Vec::with_capacity(self.nodes.len());
        // Roots of the blocks still to place, the next one on top.
        let mut blocks = vec![0u32];
        let (mut level, mut below) = (Vec::new(), Vec::new());
        while let Some(root) = blocks.pop() {
            level.clear();
            level.push(root);
            for _ in 0..BLOCK_LEVELS {
                below.clear();
                for &node in &level {
                    // Placed already: the IPv4 subtree, reached a second
                    // time through its `::ffff:0:0/96` alias.
                    if position[node as usize] != UNPLACED {
                        continue;
                    }
                    position[node as usize] = nodes.len() as u32;
                    nodes.push(node);
                    below.extend(
                        self.nodes[node as usize]
                            .iter()
                            .filter(|&&child| child != EMPTY && child & DATA == 0),
                    );
                }
                std::mem::swap(&mut level, &mut below);
            }
            blocks.extend(level.iter().rev());
        }
        // Every node is reachable from the root; this keeps the file whole
        // even if one were not.
        for (old, at) in position.iter_mut().enumerate() {
            if *at == UNPLACED {
                *at = nodes.len() as u32;
                nodes.push(old as u32);
            }
        }
        (position, nodes)
    }

    /// Writes the database.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> Result<(), WriteError> {
        let io = |e: std::io::Error| WriteError(format!("write failed: {e}"));
        let node_count = self.nodes.len() as u64;
        // Only records the tree still references go into the data section.
        let mut offsets: Vec<Option<u64>> = vec![None; self.records.len()];
        let mut data_len = 0u64;
        let mut order = Vec::new();
        for node in &self.nodes {
            for &record in node {
                if record != EMPTY && record & DATA != 0 {
                    let id = (record & !DATA) as usize;
                    if offsets[id].is_none() {
                        offsets[id] = Some(data_len);
                        data_len += self.records[id].len() as u64;
                        order.push(id);
                    }
                }
            }
        }
        let max_value = node_count + 16 + data_len;
        let record_size: u16 = match max_value {
            v if v < 1 << 24 => 24,
            v if v < 1 << 28 => 28,
            v if v < 1 << 32 => 32,
            _ => {
                return Err(WriteError(format!(
                    "{max_value} exceeds what 32-bit records can address"
                )))
            }
        };
        let (position, layout) = self.layout();
        let value_of = |record: u32| -> u64 {
            if record == EMPTY {
                node_count
            } else if record & DATA != 0 {
                node_count + 16 + offsets[(record & !DATA) as usize].unwrap_or(0)
            } else {
                u64::from(position[record as usize])
            }
        };
        let mut buf = Vec::with_capacity(8);
        for &old in &layout {
            let node = &self.nodes[old as usize];
            let (l, r) = (value_of(node[0]), value_of(node[1]));
            buf.clear();
            match record_size {
                24 => {
                    buf.extend_from_slice(&l.to_be_bytes()[5..]);
                    buf.extend_from_slice(&r.to_be_bytes()[5..]);
                }
                28 => {
                    buf.extend_from_slice(&l.to_be_bytes()[5..]);
                    buf.push((((l >> 24) & 0x0f) << 4 | ((r >> 24) & 0x0f)) as u8);
                    buf.extend_from_slice(&r.to_be_bytes()[5..]);
                }
                _ => {
                    buf.extend_from_slice(&l.to_be_bytes()[4..]);
                    buf.extend_from_slice(&r.to_be_bytes()[4..]);
                }
            }
            out.write_all(&buf).map_err(io)?;
        }
        out.write_all(&[0u8; 16]).map_err(io)?;
        for id in order {
            out.write_all(&self.records[id]).map_err(io)?;
        }
        let metadata = Data::Map(vec![
            ("binary_format_major_version".into(), Data::U16(2)),
            ("binary_format_minor_version".into(), Data::U16(0)),
            ("build_epoch".into(), Data::U64(self.build_epoch)),
            (
                "database_type".into(),
                Data::Str(self.database_type.clone()),
            ),
            (
                "description".into(),
                Data::Map(vec![("en".into(), Data::Str(self.description.clone()))]),
            ),
            ("ip_version".into(), Data::U16(6)),
            ("languages".into(), Data::Array(Vec::new())),
            ("node_count".into(), Data::U32(node_count as u32)),
            ("record_size".into(), Data::U16(record_size)),
        ]);
        let mut meta = b"\xab\xcd\xefMaxMind.com".to_vec();
        encode(&metadata, &mut meta);
        out.write_all(&meta).map_err(io)?;
        Ok(())
    }
}

/// Appends the MMDB encoding of `data`.
pub fn encode(data: &Data, out: &mut Vec<u8>) {
    match data {
        Data::Str(s) => {
            control(2, s.len(), out);
            out.extend_from_slice(s.as_bytes());
        }
        Data::U16(n) => unsigned(5, u64::from(*n), out),
        Data::U32(n) => unsigned(6, u64::from(*n), out),
        Data::U64(n) => unsigned(9, *n, out),
        Data::Map(entries) => {
            control(7, entries.len(), out);
            for (key, value) in entries {
                encode(&Data::Str(key.clone()), out);
                encode(value, out);
            }
        }
        Data::Array(items) => {
            control(11, items.len(), out);
            for item in items {
                encode(item, out);
            }
        }
    }
}

fn unsigned(kind: u8, n: u64, out: &mut Vec<u8>) {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    control(kind, 8 - skip, out);
    out.extend_from_slice(&bytes[skip..]);
}

/// The control byte(s) of a value of `kind` and `size`.
fn control(kind: u8, size: usize, out: &mut Vec<u8>) {
    let (size_bits, extra): (u8, Vec<u8>) = match size {
        s if s < 29 => (s as u8, Vec::new()),
        s if s < 285 => (29, vec![(s - 29) as u8]),
        s if s < 65_821 => (30, ((s - 285) as u16).to_be_bytes().to_vec()),
        s => (31, ((s - 65_821) as u32).to_be_bytes()[1..].to_vec()),
    };
    if kind <= 7 {
        out.push((kind << 5) | size_bits);
    } else {
        out.push(size_bits);
        out.push(kind - 7);
    }
    out.extend_from_slice(&extra);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ip::mmdb::{Database, Value};
    use std::net::IpAddr;

    fn v4(net: &str) -> (u128, u8) {
        let (addr, len) = net.split_once('/').unwrap();
        let addr: std::net::Ipv4Addr = addr.parse().unwrap();
        (u128::from(u32::from(addr)), 96 + len.parse::<u8>().unwrap())
    }

    fn label(s: &str) -> Data {
        Data::Map(vec![("label".into(), Data::Str(s.into()))])
    }

    fn build(nets: &[(&str, &str)]) -> Database {
        let mut w = Writer::new("Test", "test", 1);
        for (net, l) in nets {
            let (addr, len) = if net.contains(':') {
                let (a, b) = net.split_once('/').unwrap();
                (
                    u128::from(a.parse::<std::net::Ipv6Addr>().unwrap()),
                    b.parse().unwrap(),
                )
            } else {
                v4(net)
            };
            let id = w.intern(&label(l)).unwrap();
            // The newer (more specific) label wins.
            w.insert(addr, len, id, |_, _, new| Ok(new)).unwrap();
        }
        w.alias_ipv4_mapped().unwrap();
        let mut out = Vec::new();
        w.write_to(&mut out).unwrap();
        Database::from_bytes(out).unwrap()
    }

    fn lookup(db: &Database, ip: &str) -> Option<(String, u8)> {
        let ip: IpAddr = ip.parse().unwrap();
        db.lookup(ip).unwrap().map(|(v, len)| match v.get("label") {
            Some(Value::Str(s)) => (String::from_utf8_lossy(s).into_owned(), len),
            _ => panic!("no label"),
        })
    }

    #[test]
    fn written_database_reads_back() {
        let db = build(&[
            ("10.0.0.0/8", "wide"),
            ("10.1.0.0/16", "narrow"),
            ("2001:db8::/32", "v6"),
        ]);
        // The /8 was split around the /16: readers report the leaf network.
        assert_eq!(lookup(&db, "10.2.0.1"), Some(("wide".into(), 15)));
        assert_eq!(lookup(&db, "10.128.0.1"), Some(("wide".into(), 9)));
        assert_eq!(lookup(&db, "10.1.2.3"), Some(("narrow".into(), 16)));
        assert_eq!(lookup(&db, "::ffff:10.1.2.3"), Some(("narrow".into(), 112)));
        assert_eq!(lookup(&db, "11.0.0.0"), None);
        assert_eq!(lookup(&db, "2001:db8::1"), Some(("v6".into(), 32)));
        assert_eq!(lookup(&db, "2001:db9::1"), None);
        assert_eq!(db.verify().unwrap().1, 3);
    }

    /// A pseudo-random sequence (xorshift).
    fn xorshift() -> impl FnMut() -> u64 {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    /// 3,000 random IPv4 and IPv6 networks, wider ones first, each
    /// labelled with its index, in a writer.
    fn random_tree(next: &mut impl FnMut() -> u64) -> (Writer, Vec<(u128, u8)>) {
        let mut networks: Vec<(u128, u8)> = (0..3000)
            .map(|i| {
                let r = next();
                if i % 3 == 0 {
                    let len = 16 + (r % 49) as u8;
                    let addr = u128::from(r) << 64 | u128::from(next());
                    (addr & (u128::MAX << (128 - u32::from(len))), len)
                } else {
                    let len = 8 + (r % 25) as u8;
                    let addr = u128::from((r >> 32) as u32);
                    (addr & (u128::MAX << (128 - 96 - u32::from(len))), 96 + len)
                }
            })
            .collect();
        networks.sort_by_key(|&(_, len)| len);
        networks.dedup();
        let mut w = Writer::new("Test", "test", 1);
        for (i, &(addr, len)) in networks.iter().enumerate() {
            let id = w.intern(&label(&i.to_string())).unwrap();
            w.insert(addr, len, id, |_, _, new| Ok(new)).unwrap();
        }
        w.alias_ipv4_mapped().unwrap();
        (w, networks)
    }

    #[test]
    fn layout_keeps_every_answer_of_a_random_tree() {
        // Each address must get the label of the longest prefix that holds it.
        let mut next = xorshift();
        let (w, networks) = random_tree(&mut next);
        let (position, nodes) = w.layout();
        assert_eq!((position[0], nodes[0]), (0, 0), "the root stays node 0");
        let mut seen = vec![false; nodes.len()];
        for &old in &nodes {
            assert!(!std::mem::replace(&mut seen[old as usize], true));
        }
        let mut out = Vec::new();
        w.write_to(&mut out).unwrap();
        let db = Database::from_bytes(out).unwrap();
        db.verify().unwrap();
        let contains = |&(net, len): &(u128, u8), addr: u128| {
            (net ^ addr).checked_shr(128 - u32::from(len)).unwrap_or(0) == 0
        };
        for i in 0..20_000 {
            let r = next();
            // Half the probes inside a listed network, half anywhere.
            let (net, len) = networks[(r % networks.len() as u64) as usize];
            let noise = u128::from(next()) << 64 | u128::from(next());
            let inside = noise.checked_shr(u32::from(len)).unwrap_or(0);
            let addr = match i % 4 {
                0 => net | inside,
                1 => u128::from(r as u32),
                2 => noise,
                _ => net | inside & u128::from(u32::MAX),
            };
            let expected = networks
                .iter()
                .enumerate()
                .filter(|(_, n)| contains(n, addr))
                .max_by_key(|(_, n)| n.1)
                .map(|(i, _)| i.to_string());
            let ip = if addr >> 32 == 0 {
                IpAddr::from((addr as u32).to_be_bytes())
            } else {
                IpAddr::from(addr.to_be_bytes())
            };
            assert_eq!(lookup(&db, &ip.to_string()).map(|x| x.0), expected, "{ip}");
        }
    }

    #[test]
    fn layout_keeps_the_subtree_of_each_block_root_contiguous() {
        // What the reader's prefetch relies on: the subtree under a node
        // at a depth that is a multiple of BLOCK_LEVELS is one run of the
        // file, starting with that node. A node's parent is its first
        // referrer in file order (the IPv4 subtree has two: its alias).
        let (w, _) = random_tree(&mut xorshift());
        let (position, nodes) = w.layout();
        let n = nodes.len();
        let mut parent = vec![UNPLACED; n];
        let mut depth = vec![0u32; n];
        for &old in &nodes {
            for &child in &w.nodes[old as usize] {
                if child != EMPTY
                    && child & DATA == 0
                    && child != 0
                    && parent[child as usize] == UNPLACED
                {
                    assert!(
                        position[child as usize] > position[old as usize],
                        "a child before its parent"
                    );
                    parent[child as usize] = old;
                    depth[child as usize] = depth[old as usize] + 1;
                }
            }
        }
        // (first, last, count) of each subtree's positions, children first.
        let mut span: Vec<(u32, u32, u32)> = position.iter().map(|&p| (p, p, 1)).collect();
        for &old in nodes.iter().rev() {
            let up = parent[old as usize];
            if up != UNPLACED {
                let (first, last, count) = span[old as usize];
                let above = &mut span[up as usize];
                *above = (above.0.min(first), above.1.max(last), above.2 + count);
            }
        }
        let mut roots = 0;
        for old in 0..n {
            if depth[old] % u32::from(BLOCK_LEVELS) == 0 {
                let (first, last, count) = span[old];
                assert_eq!(
                    (first, last - first + 1),
                    (position[old], count),
                    "node {old}"
                );
                roots += 1;
            }
        }
        assert!(
            roots > 1000 && depth.iter().max() > Some(&100),
            "{roots} block roots"
        );
    }

    #[test]
    fn wider_network_inserted_later_fills_the_gaps_only() {
        let db = build(&[("10.1.0.0/16", "narrow"), ("10.0.0.0/8", "wide")]);
        // merge(wide, narrow) keeps `narrow` where it was (closure returns
        // its second argument, the narrower record).
        assert_eq!(lookup(&db, "10.1.0.1").map(|x| x.0), Some("narrow".into()));
        assert_eq!(lookup(&db, "10.2.0.1").map(|x| x.0), Some("wide".into()));
    }

    #[test]
    fn sizes_use_the_right_control_bytes() {
        for len in [0usize, 28, 29, 284, 285, 65_820, 65_821, 70_000] {
            let mut out = Vec::new();
            encode(&Data::Str("x".repeat(len)), &mut out);
            let db_bytes = out.clone();
            let _ = db_bytes;
            assert_eq!(
                out.len() - len,
                match len {
                    l if l < 29 => 1,
                    l if l < 285 => 2,
                    l if l < 65_821 => 3,
                    _ => 4,
                }
            );
        }
    }
}
