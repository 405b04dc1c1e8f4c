//! A map of each ASCII byte to one ASCII byte, applied 16 bytes at a time.
//!
//! Equivset changes nearly every ASCII letter and digit (`a` → `A`,
//! `0` → `O`), so in mostly-ASCII text a per-character table walk is the
//! whole cost. Where every ASCII mapping is one ASCII byte, a chunk of
//! text is mapped with eight 16-entry table lookups (SSSE3 `pshufb`), and
//! the bytes from its first non-ASCII byte on are left to the caller.

use super::code_point_set::CHUNK;

/// The byte each ASCII byte becomes (each below 0x80).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AsciiMap {
    table: [u8; 128],
}

impl AsciiMap {
    /// The map `table`, if every value is ASCII (else the bytes could not
    /// be mapped in place).
    pub(crate) fn new(table: [u8; 128]) -> Option<AsciiMap> {
        table.iter().all(u8::is_ascii).then_some(AsciiMap { table })
    }

    /// The byte each ASCII byte becomes.
    pub(crate) fn table(&self) -> &[u8; 128] {
        &self.table
    }

    /// `chunk` with its ASCII bytes mapped and the others as they are, and
    /// the number of ASCII bytes it starts with: a byte at a time, the
    /// portable twin of [`Ssse3AsciiMap::map_chunk`].
    #[inline]
    pub(crate) fn map_chunk(&self, chunk: &[u8; CHUNK]) -> ([u8; CHUNK], usize) {
        let mapped = chunk.map(|byte| self.table.get(usize::from(byte)).copied().unwrap_or(byte));
        let ascii = chunk.iter().position(|&b| !b.is_ascii()).unwrap_or(CHUNK);
        (mapped, ascii)
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use ssse3::Ssse3AsciiMap;

#[cfg(target_arch = "x86_64")]
mod ssse3 {
    use std::arch::x86_64::*;

    use super::{AsciiMap, CHUNK};

    /// An [`AsciiMap`] loaded into SSSE3 registers: one 16-byte table per
    /// high nibble 0..=7.
    #[derive(Clone, Copy)]
    pub(crate) struct Ssse3AsciiMap {
        tables: [__m128i; 8],
    }

    impl Ssse3AsciiMap {
        /// # Safety
        /// The CPU must have SSSE3.
        #[target_feature(enable = "ssse3")]
        #[inline]
        pub(crate) unsafe fn new(map: &AsciiMap) -> Ssse3AsciiMap {
            Ssse3AsciiMap {
                tables: std::array::from_fn(|high| {
                    let mut row = [0u8; 16];
                    row.copy_from_slice(&map.table[high * 16..high * 16 + 16]);
                    // SAFETY: reads the 16 bytes of `row`.
                    unsafe { _mm_loadu_si128(row.as_ptr().cast()) }
                }),
            }
        }

        /// [`AsciiMap::map_chunk`]: for each high nibble, the bytes of that
        /// nibble are XORed to 0x0_, which a saturating add of 0x70 keeps
        /// below 0x80 (so `pshufb` looks up the low nibble) while every other
        /// byte, non-ASCII ones included, goes to 0x80 or above (`pshufb`
        /// gives 0); the eight lookups are ORed, and the non-ASCII bytes
        /// put back.
        ///
        /// # Safety
        /// The CPU must have SSSE3.
        #[target_feature(enable = "ssse3")]
        #[inline]
        pub(crate) unsafe fn map_chunk(&self, chunk: &[u8; CHUNK]) -> ([u8; CHUNK], usize) {
            // SAFETY: the load reads the 16 bytes of `chunk`, the store
            // writes the 16 bytes of `mapped`; the rest is register
            // arithmetic.
            unsafe {
                let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
                let bias = _mm_set1_epi8(0x70);
                let mut mapped = _mm_setzero_si128();
                for (high, table) in (0i8..).zip(&self.tables) {
                    let index = _mm_adds_epu8(_mm_xor_si128(bytes, _mm_set1_epi8(high << 4)), bias);
                    mapped = _mm_or_si128(mapped, _mm_shuffle_epi8(*table, index));
                }
                let non_ascii = _mm_cmplt_epi8(bytes, _mm_setzero_si128());
                mapped = _mm_or_si128(mapped, _mm_and_si128(bytes, non_ascii));
                let mask = _mm_movemask_epi8(non_ascii) as u32;
                let mut out = [0u8; CHUNK];
                _mm_storeu_si128(out.as_mut_ptr().cast(), mapped);
                (out, (mask | 1 << CHUNK).trailing_zeros() as usize)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equivset-like: letters to upper case, some digits to letters.
    fn sample_map() -> AsciiMap {
        let mut table: [u8; 128] = std::array::from_fn(|b| b as u8);
        for b in b'a'..=b'z' {
            table[usize::from(b)] = b.to_ascii_uppercase();
        }
        table[usize::from(b'0')] = b'O';
        table[usize::from(b'1')] = b'I';
        table[0x7F] = b'?';
        table[0] = b'!';
        AsciiMap::new(table).unwrap()
    }

    #[test]
    fn only_ascii_values_make_a_map() {
        let mut table = [0u8; 128];
        assert!(AsciiMap::new(table).is_some());
        table[5] = 0x80;
        assert!(AsciiMap::new(table).is_none());
    }

    #[test]
    fn scalar_map_chunk_maps_ascii_and_counts_the_ascii_prefix() {
        let map = sample_map();
        let mut chunk = *b"ab01\x7F\0zZ!@xyzwvu";
        assert_eq!(map.map_chunk(&chunk), (*b"ABOI?!ZZ!@XYZWVU", 16));
        chunk[3] = 0xC3;
        chunk[9] = 0xFF;
        assert_eq!(map.map_chunk(&chunk), (*b"ABO\xC3?!ZZ!\xFFXYZWVU", 3));
        chunk[0] = 0x80;
        assert_eq!(map.map_chunk(&chunk).1, 0);
    }

    /// The SSSE3 twin gives what the scalar one gives on every byte value
    /// in every position, and on random chunks of mixed bytes.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn ssse3_map_chunk_agrees_with_the_scalar_twin() {
        if !std::arch::is_x86_feature_detected!("ssse3") {
            return;
        }
        let mut state = 0x0123_4567_89AB_CDEFu64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let random_table: [u8; 128] = std::array::from_fn(|_| (next() & 0x7F) as u8);
        for map in [sample_map(), AsciiMap::new(random_table).unwrap()] {
            // SAFETY: SSSE3 is available, checked above.
            let simd = unsafe { Ssse3AsciiMap::new(&map) };
            let check = |chunk: [u8; CHUNK]| {
                // SAFETY: as above.
                let got = unsafe { simd.map_chunk(&chunk) };
                assert_eq!(got, map.map_chunk(&chunk), "{chunk:02X?}");
            };
            for byte in 0..=255u8 {
                for position in 0..CHUNK {
                    let mut chunk = *b"plain ascii text";
                    chunk[position] = byte;
                    check(chunk);
                }
                check([byte; CHUNK]);
            }
            for _ in 0..20_000 {
                let ascii_only = next() % 2 == 0;
                check(std::array::from_fn(|_| {
                    let byte = next() as u8;
                    if ascii_only && next() % 8 != 0 {
                        byte & 0x7F
                    } else {
                        byte
                    }
                }));
            }
        }
    }
}
