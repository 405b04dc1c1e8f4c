//! `Wikimedia\IPSet` (wikimedia/ip-utils 5.0.0): a set of CIDR networks
//! with `inet_pton`'s strict parsing, plus [`IpSet::lookup`], which names
//! the most specific network that matched.
//!
//! Construction follows `IPSet::addCidr` exactly: a string with a `:` is
//! IPv6; a net without a mask is a host; a mask that is not all digits or
//! is larger than the family's maximum gives the warning
//! `IPSet: Bad mask '…' from '…', ignored` (returned by
//! [`IpSet::warnings`]; the binding raises it as PHP's `E_USER_WARNING`);
//! a net `inet_pton` cannot parse is skipped silently.
//!
//! Instead of PHP's nested-array trie, the networks become sorted,
//! disjoint address intervals, each labelled with the most specific
//! network covering it (CIDR blocks are either nested or disjoint, so one
//! sweep with a stack finds it). A query is one binary search.
//!
//! Deliberate difference: PHP's `inet_pton` throws `ValueError` on a NUL
//! byte; here such a net is skipped and such an address does not match.

use super::php_compat::inet_pton;

/// One disjoint interval `[start, end]` and the index of the most specific
/// entry covering it.
type Segment = (u128, u128, u32);

/// A compiled IPSet.
#[derive(Debug, Clone, Default)]
pub struct IpSet {
    v4: Vec<Segment>,
    v6: Vec<Segment>,
    entries: Vec<Vec<u8>>,
    warnings: Vec<Vec<u8>>,
}

/// A network being inserted: family, first and last address, entry index.
struct Net {
    v6: bool,
    start: u128,
    end: u128,
    entry: u32,
}

impl IpSet {
    /// Builds the set from CIDR strings, as `new IPSet($cidrs)` does.
    pub fn new<'a>(cidrs: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut set = IpSet::default();
        let mut nets = Vec::new();
        for cidr in cidrs {
            let entry = set.entries.len() as u32;
            if let Some(net) = set.parse(cidr, entry) {
                set.entries.push(cidr.to_vec());
                nets.push(net);
            }
        }
        let (v6, v4): (Vec<Net>, Vec<Net>) = nets.into_iter().partition(|n| n.v6);
        set.v4 = segments(v4);
        set.v6 = segments(v6);
        set
    }

    fn parse(&mut self, cidr: &[u8], entry: u32) -> Option<Net> {
        let v6 = cidr.contains(&b':');
        let max_mask: u32 = if v6 { 128 } else { 32 };
        let (net, mask) = match cidr.iter().position(|&c| c == b'/') {
            None => (cidr, max_mask),
            Some(slash) => {
                let mask = &cidr[slash + 1..];
                let digits = !mask.is_empty() && mask.iter().all(u8::is_ascii_digit);
                let value = digits
                    .then(|| php_int_of_digits(mask))
                    .filter(|&m| m <= u64::from(max_mask));
                let Some(value) = value else {
                    let mut warning = b"IPSet: Bad mask '".to_vec();
                    warning.extend_from_slice(mask);
                    warning.extend_from_slice(b"' from '");
                    warning.extend_from_slice(cidr);
                    warning.extend_from_slice(b"', ignored");
                    self.warnings.push(warning);
                    return None;
                };
                (&cidr[..slash], value as u32)
            }
        };
        let raw = inet_pton(net)?;
        // A family mismatch needs a NUL byte, which inet_pton refuses.
        if (raw.len() == 16) != v6 {
            return None;
        }
        let bits = raw.len() as u32 * 8;
        let value = raw.iter().fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
        let host_bits = bits - mask;
        let host_mask = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        Some(Net {
            v6,
            start: value & !host_mask,
            end: value | host_mask,
            entry,
        })
    }

    /// The `E_USER_WARNING` messages PHP would raise while building.
    pub fn warnings(&self) -> &[Vec<u8>] {
        &self.warnings
    }

    /// `IPSet::match($ip)`.
    pub fn contains(&self, ip: &[u8]) -> bool {
        self.find(ip).is_some()
    }

    /// The most specific entry (as given to [`IpSet::new`]) that contains
    /// `ip`; the first given when the same network was given twice.
    pub fn lookup(&self, ip: &[u8]) -> Option<&[u8]> {
        self.find(ip)
            .and_then(|i| self.entries.get(i as usize))
            .map(Vec::as_slice)
    }

    fn find(&self, ip: &[u8]) -> Option<u32> {
        let raw = inet_pton(ip)?;
        let value = raw.iter().fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
        let segments = if raw.len() == 4 { &self.v4 } else { &self.v6 };
        let after = segments.partition_point(|s| s.0 <= value);
        let (_, end, entry) = *segments.get(after.checked_sub(1)?)?;
        (value <= end).then_some(entry)
    }

    /// Number of networks kept (bad masks and unparsable nets excluded).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no network was kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Approximate heap bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.v4.len() + self.v6.len()) * std::mem::size_of::<Segment>()
            + self.entries.iter().map(|e| e.len() + 24).sum::<usize>()
            + self.warnings.iter().map(|w| w.len() + 24).sum::<usize>()
    }
}

/// PHP's `(int)` of an all-digit string, saturating like PHP does.
fn php_int_of_digits(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// Disjoint intervals, each labelled with its most specific network.
fn segments(mut nets: Vec<Net>) -> Vec<Segment> {
    // Wider first at the same start; the first given first among equals.
    nets.sort_by(|a, b| {
        (a.start.cmp(&b.start))
            .then(b.end.cmp(&a.end))
            .then(a.entry.cmp(&b.entry))
    });
    let mut out: Vec<Segment> = Vec::with_capacity(nets.len());
    // The open networks, each nested in the one below it; `cursor` is the
    // first address not yet given to a segment (None: past the end).
    let mut stack: Vec<&Net> = Vec::new();
    let mut cursor: Option<u128> = Some(0);
    let emit = |out: &mut Vec<Segment>, cursor: &mut Option<u128>, end: u128, entry: u32| {
        if let Some(start) = cursor.filter(|&start| start <= end) {
            out.push((start, end, entry));
            *cursor = end.checked_add(1);
        }
    };
    for net in &nets {
        while let Some(top) = stack.last().filter(|top| top.end < net.start) {
            emit(&mut out, &mut cursor, top.end, top.entry);
            stack.pop();
        }
        if let Some(top) = stack.last() {
            if top.start == net.start && top.end == net.end {
                continue; // the same network again: the first given wins
            }
            if net.start > 0 {
                emit(&mut out, &mut cursor, net.start - 1, top.entry);
            }
        }
        cursor = Some(net.start);
        stack.push(net);
    }
    while let Some(top) = stack.pop() {
        emit(&mut out, &mut cursor, top.end, top.entry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cidrs: &[&str]) -> IpSet {
        IpSet::new(cidrs.iter().map(|c| c.as_bytes()))
    }

    #[test]
    fn matches_like_ipset() {
        let s = set(&[
            "10.0.0.0/8",
            "10.1.0.0/16",
            "192.0.2.1",
            "2001:db8::/32",
            "::1",
        ]);
        for (ip, expected) in [
            ("10.2.3.4", Some("10.0.0.0/8")),
            ("10.1.3.4", Some("10.1.0.0/16")),
            ("11.0.0.0", None),
            ("192.0.2.1", Some("192.0.2.1")),
            ("192.0.2.2", None),
            ("2001:db8:1::", Some("2001:db8::/32")),
            ("::1", Some("::1")),
            ("::ffff:10.0.0.1", None),
            ("010.0.0.1", None),
            (" 10.0.0.1", None),
            ("10.0.0.1/8", None),
            ("10.0.0.1\0", None),
        ] {
            let ip = ip.replace("\\0", "\0");
            assert_eq!(
                s.lookup(ip.as_bytes())
                    .map(|e| String::from_utf8_lossy(e).into_owned())
                    .as_deref(),
                expected,
                "{ip:?}"
            );
        }
    }

    #[test]
    fn bad_masks_warn_and_unparsable_nets_are_skipped() {
        let s = set(&[
            "1.2.3.4/33",
            "1.2.3.4/x",
            "1.2.3.4/",
            "::/129",
            "bogus",
            "1.2.3.4/032",
        ]);
        let warnings: Vec<String> = s
            .warnings()
            .iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect();
        assert_eq!(
            warnings,
            [
                "IPSet: Bad mask '33' from '1.2.3.4/33', ignored",
                "IPSet: Bad mask 'x' from '1.2.3.4/x', ignored",
                "IPSet: Bad mask '' from '1.2.3.4/', ignored",
                "IPSet: Bad mask '129' from '::/129', ignored",
            ]
        );
        assert_eq!(s.len(), 1);
        assert!(s.contains(b"1.2.3.4"));
    }

    #[test]
    fn zero_masks_cover_the_family() {
        let s = set(&["0.0.0.0/0", "1.2.3.0/24"]);
        assert_eq!(s.lookup(b"255.255.255.255"), Some(b"0.0.0.0/0".as_slice()));
        assert_eq!(s.lookup(b"1.2.3.255"), Some(b"1.2.3.0/24".as_slice()));
        assert_eq!(s.lookup(b"1.2.4.0"), Some(b"0.0.0.0/0".as_slice()));
        assert!(!s.contains(b"::"));
        let s = set(&["::/0", "ffff::/16"]);
        assert_eq!(
            s.lookup(b"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            Some(b"ffff::/16".as_slice())
        );
    }

    #[test]
    fn duplicate_network_keeps_first_entry() {
        let s = set(&["1.2.3.4/24", "1.2.3.0/24"]);
        assert_eq!(s.lookup(b"1.2.3.9"), Some(b"1.2.3.4/24".as_slice()));
    }
}
