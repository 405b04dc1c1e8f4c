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

#[cfg(test)]
mod tests {
    use super::*;

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
