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

/// A set of byte values, with searches that test 16 bytes at a time: hot
/// loops skip the text that holds none of the bytes they must stop at.
pub(crate) struct ByteSet {
    members: [bool; 256],
    /// The set as two nibble tables for the SIMD search: entry `low` of
    /// `nibbles[0]` has bit `high` set if byte `high << 4 | low` is a member
    /// (`high` < 8); `nibbles[1]` the same for `high` >= 8 (bit `high - 8`).
    nibbles: [[u8; 16]; 2],
}

/// Bytes per chunk of the SIMD searches.
pub(crate) const CHUNK: usize = 16;

impl ByteSet {
    /// The empty set.
    pub(crate) fn new() -> ByteSet {
        ByteSet {
            members: [false; 256],
            nibbles: [[0; 16]; 2],
        }
    }

    pub(crate) fn insert(&mut self, byte: u8) {
        self.members[usize::from(byte)] = true;
        let (high, low) = (byte >> 4, usize::from(byte & 0x0F));
        self.nibbles[usize::from(high >> 3)][low] |= 1 << (high & 7);
    }

    #[inline]
    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.members[usize::from(byte)]
    }

    /// Bit `i` set if `chunk[i]` is a member (at most 32 bytes), a byte at
    /// a time: the portable twin of [`ByteSet::members_mask_ssse3`].
    #[inline]
    pub(crate) fn members_mask(&self, chunk: &[u8]) -> u32 {
        chunk.iter().enumerate().fold(0, |members, (i, &byte)| {
            members | (u32::from(self.contains(byte)) << i)
        })
    }

    /// [`ByteSet::members_mask`] in a few SSSE3 instructions.
    ///
    /// # Safety
    /// The CPU must have SSSE3.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "ssse3")]
    #[inline]
    pub(crate) unsafe fn members_mask_ssse3(&self, chunk: &[u8; CHUNK]) -> u32 {
        // SAFETY: the caller checked SSSE3.
        unsafe { simd::members_in(&self.nibbles, chunk) }
    }
}

/// The bytes that start a character of a set, refined for three-byte forms
/// by the high nibble of the second byte: a superset of the set's
/// characters, tested 32 bytes at a time (AVX2). It rules out what a byte
/// set cannot, such as the Hangul syllables that share lead byte 0xEA with
/// the Yi syllables Equivset maps.
pub(crate) struct StartFilter {
    /// Lead bytes of the set's characters (three-byte leads unused).
    leads: ByteSet,
    /// For a three-byte lead `0xE0 | i`: bit `n - 8` of entry `i` set if
    /// the set has a character whose second byte's high nibble is `n`
    /// (always 8..=0xB).
    seconds: [u8; 16],
}

/// Bytes per chunk of [`StartFilter::next_candidates`].
pub(crate) const WIDE_CHUNK: usize = 32;

impl StartFilter {
    /// The empty filter.
    pub(crate) fn new() -> StartFilter {
        StartFilter {
            leads: ByteSet::new(),
            seconds: [0; 16],
        }
    }

    pub(crate) fn insert(&mut self, c: char) {
        let mut buffer = [0u8; 4];
        let bytes = c.encode_utf8(&mut buffer).as_bytes();
        self.leads.insert(bytes[0]);
        if bytes.len() == 3 {
            self.seconds[usize::from(bytes[0] & 0x0F)] |= second_bit(bytes[1]);
        }
    }

    /// True if a character of the set may start with `first`, `second`.
    #[inline]
    fn may_start(&self, first: u8, second: u8) -> bool {
        if first & 0xF0 == 0xE0 {
            self.seconds[usize::from(first & 0x0F)] & second_bit(second) != 0
        } else {
            self.leads.contains(first)
        }
    }

    /// The first chunk of [`WIDE_CHUNK`] bytes from `from` (the last one
    /// shorter) holding a byte where a character of the set may start: its
    /// offset and a mask with bit `i` set for each such byte at offset +
    /// `i`.
    #[inline]
    pub(crate) fn next_candidates(&self, text: &[u8], from: usize) -> Option<(usize, u32)> {
        let mut at = from;
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            let (chunk_at, candidates) = unsafe { self.next_candidates_avx2(text, at) };
            if candidates != 0 {
                return Some((chunk_at, candidates));
            }
            at = chunk_at;
        }
        while at < text.len() {
            let candidates = self.candidates_at(text, at);
            if candidates != 0 {
                return Some((at, candidates));
            }
            at += WIDE_CHUNK;
        }
        None
    }

    /// The candidate mask of the chunk at `at`, a byte at a time: the
    /// portable twin of the AVX2 search.
    fn candidates_at(&self, text: &[u8], at: usize) -> u32 {
        let end = (at + WIDE_CHUNK).min(text.len());
        (at..end).fold(0, |candidates, i| {
            let next = text.get(i + 1).copied().unwrap_or(0);
            candidates | (u32::from(self.may_start(text[i], next)) << (i - at))
        })
    }

    /// [`StartFilter::next_candidates`] over the whole chunks from `at`
    /// that have a byte after them: the first chunk with a candidate and
    /// its mask, or else the offset after them and 0.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn next_candidates_avx2(&self, text: &[u8], mut at: usize) -> (usize, u32) {
        use std::arch::x86_64::*;
        // SAFETY: every load reads 16 bytes of a 16-byte array, or 32
        // bytes of `window` (33 bytes long); the rest is register
        // arithmetic.
        unsafe {
            let table = |bytes: &[u8; 16]| {
                _mm256_broadcastsi128_si256(_mm_loadu_si128(bytes.as_ptr().cast()))
            };
            let low_half = table(&self.leads.nibbles[0]);
            let high_half = table(&self.leads.nibbles[1]);
            let bit_of_low_high = table(&[1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0]);
            let bit_of_high_high = table(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128]);
            let seconds = table(&self.seconds);
            let bit_of_second = table(&[0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 0, 0, 0, 0]);
            let nibble = _mm256_set1_epi8(0x0F);
            let zero = _mm256_setzero_si256();
            while let Some(window) = text.get(at..at + WIDE_CHUNK + 1) {
                let bytes = _mm256_loadu_si256(window.as_ptr().cast());
                let next = _mm256_loadu_si256(window[1..].as_ptr().cast());
                let low = _mm256_and_si256(bytes, nibble);
                let high = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble);
                let next_high = _mm256_and_si256(_mm256_srli_epi16(next, 4), nibble);
                let member = _mm256_or_si256(
                    _mm256_and_si256(
                        _mm256_shuffle_epi8(low_half, low),
                        _mm256_shuffle_epi8(bit_of_low_high, high),
                    ),
                    _mm256_and_si256(
                        _mm256_shuffle_epi8(high_half, low),
                        _mm256_shuffle_epi8(bit_of_high_high, high),
                    ),
                );
                let second_fits = _mm256_and_si256(
                    _mm256_shuffle_epi8(seconds, low),
                    _mm256_shuffle_epi8(bit_of_second, next_high),
                );
                let three_byte = _mm256_cmpeq_epi8(high, _mm256_set1_epi8(0x0E));
                let candidate = _mm256_blendv_epi8(member, second_fits, three_byte);
                let misses = _mm256_movemask_epi8(_mm256_cmpeq_epi8(candidate, zero)) as u32;
                if misses != u32::MAX {
                    return (at, !misses);
                }
                at += WIDE_CHUNK;
            }
            (at, 0)
        }
    }
}

/// The bit of `second` in [`StartFilter::seconds`]: its high nibble less 8
/// (0 if it is not a continuation byte).
fn second_bit(second: u8) -> u8 {
    match second >> 4 {
        high @ 8..=0xB => 1 << (high - 8),
        _ => 0,
    }
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    /// Bit `i` set if `chunk[i]` is a member: a set membership test of 16
    /// bytes in a few instructions (two nibble-table lookups per half of the
    /// byte range).
    #[target_feature(enable = "ssse3")]
    #[inline]
    pub(super) unsafe fn members_in(nibbles: &[[u8; 16]; 2], chunk: &[u8; 16]) -> u32 {
        // SAFETY: every load reads the 16 bytes of an array of 16 bytes;
        // the rest is register arithmetic.
        unsafe {
            let low_half = _mm_loadu_si128(nibbles[0].as_ptr().cast());
            let high_half = _mm_loadu_si128(nibbles[1].as_ptr().cast());
            let bit_of_low_high =
                _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
            let bit_of_high_high =
                _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128);
            let nibble = _mm_set1_epi8(0x0F);
            let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
            let low = _mm_and_si128(bytes, nibble);
            let high = _mm_and_si128(_mm_srli_epi16(bytes, 4), nibble);
            let hits = _mm_or_si128(
                _mm_and_si128(
                    _mm_shuffle_epi8(low_half, low),
                    _mm_shuffle_epi8(bit_of_low_high, high),
                ),
                _mm_and_si128(
                    _mm_shuffle_epi8(high_half, low),
                    _mm_shuffle_epi8(bit_of_high_high, high),
                ),
            );
            let misses = _mm_movemask_epi8(_mm_cmpeq_epi8(hits, _mm_setzero_si128()));
            (!misses as u32) & 0xFFFF
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SIMD search finds what a byte-by-byte search finds, for sets
    /// and positions in every nibble combination.
    /// The SSSE3 member mask is the byte-at-a-time one, for sets and
    /// chunks in every nibble combination.
    #[test]
    fn byte_set_members_mask_agrees_with_its_twin() {
        let mut state = 0x1234_5678_9ABC_DEF1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..20_000 {
            let mut set = ByteSet::new();
            for _ in 0..round % 12 {
                set.insert(next() as u8);
            }
            let chunk: [u8; CHUNK] = std::array::from_fn(|_| next() as u8);
            let expected =
                (0..CHUNK).fold(0, |mask, i| mask | u32::from(set.contains(chunk[i])) << i);
            assert_eq!(set.members_mask(&chunk), expected);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("ssse3") {
                // SAFETY: SSSE3 is available, checked just above.
                let simd = unsafe { set.members_mask_ssse3(&chunk) };
                assert_eq!(simd, expected, "{chunk:02X?}");
            }
        }
        let mut high = ByteSet::new();
        high.insert(0xFF);
        high.insert(0x80);
        let mut chunk = [0x7Fu8; CHUNK];
        chunk[3] = 0x80;
        chunk[15] = 0xFF;
        assert_eq!(high.members_mask(&chunk), 1 << 3 | 1 << 15);
    }

    /// The AVX2 search finds the chunks and masks the byte-at-a-time twin
    /// finds, and every start of a member is a candidate.
    #[test]
    fn start_filter_search_agrees_with_its_twin() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces = [
            "a", " ", "한", "\u{A49C}", "\u{AB40}", "漢", "ж", "😀", "\u{FFFD}",
        ];
        for round in 0..500 {
            let mut filter = StartFilter::new();
            let members: Vec<char> = (0..round % 5)
                .filter_map(|_| pieces[next() as usize % pieces.len()].chars().next())
                .collect();
            members.iter().for_each(|&c| filter.insert(c));
            let mut text = Vec::new();
            for _ in 0..next() % 60 {
                if next() % 10 == 0 {
                    text.push(next() as u8);
                } else {
                    text.extend_from_slice(pieces[next() as usize % pieces.len()].as_bytes());
                }
            }
            let mut expected = Vec::new();
            let mut at = 0;
            while at < text.len() {
                let candidates = filter.candidates_at(&text, at);
                if candidates != 0 {
                    expected.push((at, candidates));
                }
                at += WIDE_CHUNK;
            }
            let mut found = Vec::new();
            let mut from = 0;
            while let Some((chunk_at, candidates)) = filter.next_candidates(&text, from) {
                found.push((chunk_at, candidates));
                from = chunk_at + WIDE_CHUNK;
            }
            assert_eq!(found, expected, "{text:02X?}");
            for (i, c) in std::str::from_utf8(&text)
                .into_iter()
                .flat_map(str::char_indices)
            {
                if members.contains(&c) {
                    let (chunk_at, mask) = (i - i % WIDE_CHUNK, 1 << (i % WIDE_CHUNK));
                    assert!(found.iter().any(|&(at, m)| at == chunk_at && m & mask != 0));
                }
            }
        }
        let mut yi = StartFilter::new();
        yi.insert('\u{A49C}');
        assert_eq!(
            yi.next_candidates("한국어 위키백과".repeat(20).as_bytes(), 0),
            None
        );
    }

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
