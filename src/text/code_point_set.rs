//! A set of code points with constant-time membership, built once from the
//! sorted inclusive ranges of a generated table.

/// Number of 256-code-point pages that cover U+0000..=U+10FFFF.
const PAGE_COUNT: usize = 0x11_0000 >> 8;

/// A set of code points: a page index over 256-bit pages, so a lookup is two
/// array reads whatever the script.
pub(crate) struct CodePointSet {
    /// Page number → index into `pages`; pages are deduplicated, so the
    /// all-out and all-in pages are stored once each.
    page_of: Box<[u16]>,
    pages: Vec<[u64; 4]>,
}

impl CodePointSet {
    /// The set of the code points in `ranges` (inclusive, any order).
    pub(crate) fn from_ranges(ranges: &[(u32, u32)]) -> CodePointSet {
        let mut bits = vec![[0u64; 4]; PAGE_COUNT];
        for &(first, last) in ranges {
            for cp in first..=last.min(0x10_FFFF) {
                let page = &mut bits[(cp >> 8) as usize];
                page[((cp >> 6) & 3) as usize] |= 1 << (cp & 63);
            }
        }
        let mut pages: Vec<[u64; 4]> = Vec::new();
        let mut page_of = vec![0u16; PAGE_COUNT].into_boxed_slice();
        for (number, page) in bits.iter().enumerate() {
            let index = match pages.iter().position(|p| p == page) {
                Some(index) => index,
                None => {
                    pages.push(*page);
                    pages.len() - 1
                }
            };
            // At most PAGE_COUNT (4352) distinct pages: fits in u16.
            page_of[number] = index as u16;
        }
        CodePointSet { page_of, pages }
    }

    /// True if `cp` is in the set (anything above U+10FFFF is not).
    #[inline]
    pub(crate) fn contains(&self, cp: u32) -> bool {
        let Some(&page) = self.page_of.get((cp >> 8) as usize) else {
            return false;
        };
        self.pages[usize::from(page)][((cp >> 6) & 3) as usize] & (1 << (cp & 63)) != 0
    }
}

/// One bit per two-byte UTF-8 prefix (lead byte, second byte): a
/// character's first two bytes name the character itself (2-byte forms), its
/// block of 64 (3-byte forms) or of 4,096 (4-byte forms). Hot loops test a
/// prefix before decoding, and skip whole characters that cannot matter.
pub(crate) struct PrefixBits {
    bits: Box<[u64]>,
}

impl PrefixBits {
    /// All bits clear.
    pub(crate) fn new() -> PrefixBits {
        PrefixBits {
            bits: vec![0u64; 65536 / 64].into_boxed_slice(),
        }
    }

    /// Sets the bit of the prefix of `c`.
    pub(crate) fn insert(&mut self, c: char) {
        let index = Self::index_of(c);
        self.bits[index >> 6] |= 1 << (index & 63);
    }

    /// Sets the bit of the prefix of every code point in `first..=last`.
    pub(crate) fn insert_range(&mut self, first: u32, last: u32) {
        let mut cp = first;
        while cp <= last.min(0x10_FFFF) {
            if let Some(c) = char::from_u32(cp) {
                self.insert(c);
            }
            // Code points sharing a prefix come in aligned blocks.
            let block = match cp {
                0..=0x7FF => 1,
                0x800..=0xFFFF => 64,
                _ => 4096,
            };
            cp = (cp | (block - 1)) + 1;
        }
    }

    fn index_of(c: char) -> usize {
        let mut buffer = [0u8; 4];
        let bytes = c.encode_utf8(&mut buffer).as_bytes();
        (usize::from(bytes[0]) << 8) | usize::from(bytes.get(1).copied().unwrap_or(0))
    }

    /// True if the bit of the prefix `first`, `second` is set.
    #[inline]
    pub(crate) fn contains(&self, first: u8, second: u8) -> bool {
        let index = (usize::from(first) << 8) | usize::from(second);
        self.bits[index >> 6] & (1 << (index & 63)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bits_cover_blocks() {
        let mut bits = PrefixBits::new();
        bits.insert('é'); // C3 A9
        bits.insert_range(0x4E00, 0x4E00); // E4 B8 80: the block U+4E00..U+4E3F
        assert!(bits.contains(0xC3, 0xA9));
        assert!(!bits.contains(0xC3, 0xA8));
        assert!(bits.contains(0xE4, 0xB8));
        assert!(!bits.contains(0xE4, 0xB9));
        let mut all = PrefixBits::new();
        all.insert_range(0x80, 0x10_FFFF);
        assert!(all.contains(0xF4, 0x8F) && all.contains(0xC2, 0x80) && all.contains(0xED, 0x9F));
    }

    #[test]
    fn membership_follows_the_ranges() {
        let set =
            CodePointSet::from_ranges(&[(0x41, 0x5A), (0x300, 0x36F), (0x10_FFFF, 0x10_FFFF)]);
        for (cp, expected) in [
            (0x40, false),
            (0x41, true),
            (0x5A, true),
            (0x5B, false),
            (0x2FF, false),
            (0x300, true),
            (0x36F, true),
            (0x370, false),
            (0x10_FFFE, false),
            (0x10_FFFF, true),
            (0x11_0000, false),
            (u32::MAX, false),
        ] {
            assert_eq!(set.contains(cp), expected, "U+{cp:04X}");
        }
    }
}
