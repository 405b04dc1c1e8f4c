//! The normalize loop in AVX-512 (BW, VL, VBMI, VBMI2): a block of 64 bytes
//! of text at a time, with no per-character branch.
//!
//! A block of ASCII is mapped with one 128-entry byte permutation. In any
//! other block the starts of the characters are packed into one vector
//! (`vpcompressb`) and their first three bytes fetched beside them
//! (`vpermt2b`), one character per byte lane. What each becomes is then
//! looked up in planes of bytes: ASCII with the same permutation,
//! two-byte characters with a 64-entry permutation per lead byte, and the
//! rest (three-byte characters, and the two-byte ones of a fifth lead
//! byte) gathered from the BMP table, sixteen at a time; a block that is
//! mostly three-byte characters (CJK) is gathered whole. The replacements'
//! bytes are packed back together by their counts (`vpcompressb` again).
//! Cyrillic, Arabic or CJK text, where most characters change and
//! whole-chunk shortcuts do not apply, costs about as much per character as
//! ASCII does. A block holding a four-byte character, or a character whose
//! replacement has four bytes, goes a character at a time
//! ([`Equivset::write_starts`]).

use std::arch::x86_64::*;
use std::mem::MaybeUninit;

use super::{Equivset, Short, BLOCK, BLOCK_OUT, BLOCK_WINDOW};

/// 0, 1, …, 63: the offsets of a block's bytes, packed by its starts.
const OFFSETS: [u8; BLOCK] = {
    let mut offsets = [0; BLOCK];
    let mut i = 0;
    while i < BLOCK {
        offsets[i] = i as u8;
        i += 1;
    }
    offsets
};

/// Characters looked up per gather, and emitted per store.
const GROUP: usize = 16;

/// Lead bytes of two-byte characters a block looks up by permutation; the
/// characters of any further ones are gathered.
const LEAD_PAGES_PER_BLOCK: usize = 4;

/// For group `g` of sixteen characters: byte `4k + j` of a word vector
/// takes lane `16g + k` of the first plane (`j` even) or the second (`j`
/// odd) of a pair of planes.
const INTERLEAVE: [[u8; BLOCK]; BLOCK / GROUP] = {
    let mut rows = [[0; BLOCK]; BLOCK / GROUP];
    let mut group = 0;
    while group < BLOCK / GROUP {
        let mut byte = 0;
        while byte < BLOCK {
            rows[group][byte] = ((byte & 1) * BLOCK + GROUP * group + byte / 4) as u8;
            byte += 1;
        }
        group += 1;
    }
    rows
};

/// The code points of sixteen characters of at most three bytes, from
/// their first, second and third bytes.
#[inline]
#[target_feature(enable = "avx512f")]
fn code_points(first: __m128i, second: __m128i, third: __m128i) -> __m512i {
    let c0 = _mm512_cvtepu8_epi32(first);
    let low6 = _mm512_set1_epi32(0x3F);
    let tail1 = _mm512_and_si512(_mm512_cvtepu8_epi32(second), low6);
    let tail2 = _mm512_and_si512(_mm512_cvtepu8_epi32(third), low6);
    let two_byte = _mm512_or_si512(
        _mm512_slli_epi32::<6>(_mm512_and_si512(c0, _mm512_set1_epi32(0x1F))),
        tail1,
    );
    let three_byte = _mm512_or_si512(
        _mm512_or_si512(
            _mm512_slli_epi32::<12>(_mm512_and_si512(c0, _mm512_set1_epi32(0x0F))),
            _mm512_slli_epi32::<6>(tail1),
        ),
        tail2,
    );
    let lead2 = _mm512_cmpge_epu32_mask(c0, _mm512_set1_epi32(0xC0));
    let lead3 = _mm512_cmpge_epu32_mask(c0, _mm512_set1_epi32(0xE0));
    _mm512_mask_mov_epi32(
        _mm512_mask_mov_epi32(c0, lead2, two_byte),
        lead3,
        three_byte,
    )
}

impl Equivset {
    /// [`Equivset::normalize_into`] in AVX-512, into a buffer that need
    /// not be initialized (at least [`Equivset::max_output_len`] bytes): its
    /// first bytes, as many as returned, are written.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F, BW, VL, VBMI and VBMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,popcnt,bmi1")]
    pub(super) unsafe fn normalize_into_avx512(
        &self,
        text: &[u8],
        buffer: &mut [MaybeUninit<u8>],
    ) -> usize {
        // Every store below writes 64 bytes where at most the replacements
        // of the text so far (`written` <= growth * text.len()) end.
        assert!(buffer.len() >= self.max_output_len(text.len()));
        let ascii_table = self.ascii_map.as_ref().map(|map| {
            let table = map.table();
            // SAFETY: each load reads 64 of the 128 bytes of `table`.
            unsafe {
                (
                    _mm512_loadu_si512(table.as_ptr().cast()),
                    _mm512_loadu_si512(table[64..].as_ptr().cast()),
                )
            }
        });
        let mut written = 0;
        for at in (0..text.len()).step_by(BLOCK) {
            let rest = &text[at..];
            let len = rest.len().min(BLOCK);
            let in_block = u64::MAX >> (BLOCK - len);
            // SAFETY: the masked loads read the `len` bytes of the block and
            // the (at most 64) bytes after it that `rest` still has.
            let (bytes, after) = unsafe {
                let after = match rest.len() - len {
                    0 => _mm512_setzero_si512(),
                    more => _mm512_maskz_loadu_epi8(
                        u64::MAX >> (BLOCK - more.min(BLOCK)),
                        rest[BLOCK..].as_ptr().cast(),
                    ),
                };
                (
                    _mm512_maskz_loadu_epi8(in_block, rest.as_ptr().cast()),
                    after,
                )
            };
            let non_ascii = _mm512_movepi8_mask(bytes) & in_block;
            if let (0, Some((low, high))) = (non_ascii, ascii_table) {
                // SAFETY: see the assertion at the top.
                unsafe {
                    let mapped = _mm512_permutex2var_epi8(low, bytes, high);
                    _mm512_storeu_si512(buffer.as_mut_ptr().add(written).cast(), mapped);
                }
                written += len;
                continue;
            }
            // Bytes that are not continuation bytes (0x80..=0xBF, -128..=-65
            // as i8) start a character.
            let starts = _mm512_cmpgt_epi8_mask(bytes, _mm512_set1_epi8(-65)) & in_block;
            let four_byte = _mm512_cmpge_epu8_mask(bytes, _mm512_set1_epi8(0xF0_u8 as i8));
            written = if four_byte & in_block == 0 {
                // SAFETY: as above.
                unsafe { self.lookup_block(bytes, after, starts, ascii_table, buffer, written) }
            } else {
                self.write_starts_of(bytes, after, starts, buffer, written)
            };
        }
        written
    }

    /// Writes the replacements of the characters starting at `starts` in
    /// the block `bytes` (followed by `after`), none of four bytes, to
    /// `buffer[written..]`, which has room for 64 bytes past their end;
    /// returns the new end.
    ///
    /// The characters are packed one per byte lane; what each becomes is
    /// gathered in four byte planes (its replacement's bytes and their
    /// count): ASCII with the ASCII map, two-byte characters with a 64-entry
    /// permutation per lead byte (most text uses one to four), and the rest
    /// (three-byte characters) with a gather from `bmp`, sixteen at a time,
    /// for the groups of sixteen that have any.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,popcnt,bmi1")]
    unsafe fn lookup_block(
        &self,
        bytes: __m512i,
        after: __m512i,
        starts: u64,
        ascii_table: Option<(__m512i, __m512i)>,
        buffer: &mut [MaybeUninit<u8>],
        mut written: usize,
    ) -> usize {
        let characters = starts.count_ones() as usize;
        if characters == 0 {
            // The end of a character that started in the block before.
            return written;
        }
        let valid = u64::MAX >> (BLOCK - characters);
        // SAFETY: reads the 64 bytes of OFFSETS.
        let offsets = unsafe { _mm512_loadu_si512(OFFSETS.as_ptr().cast()) };
        let at = _mm512_maskz_compress_epi8(starts, offsets);
        let one = _mm512_set1_epi8(1);
        // Lane i of `first`, `second`, `third`: the bytes of the i-th
        // character (offsets up to 65 reach into `after`).
        let mut first = _mm512_permutex2var_epi8(bytes, at, after);
        let mut second = _mm512_permutex2var_epi8(bytes, _mm512_add_epi8(at, one), after);
        let mut third =
            _mm512_permutex2var_epi8(bytes, _mm512_add_epi8(at, _mm512_add_epi8(one, one)), after);

        // The planes, for the lanes `found` so far.
        let zero = _mm512_setzero_si512();
        let [mut plane0, mut plane1, mut plane2, mut counts] = [zero; 4];
        let mut found = 0;
        // Where most characters are of three bytes (CJK), every group of
        // sixteen is gathered anyway, and the planes would only add work.
        let three_byte = _mm512_cmpge_epu8_mask(first, _mm512_set1_epi8(0xE0_u8 as i8)) & valid;
        if 2 * three_byte.count_ones() < characters as u32 {
            if let Some((low, high)) = ascii_table {
                let ascii = !_mm512_movepi8_mask(first) & valid;
                plane0 = _mm512_maskz_permutex2var_epi8(ascii, low, first, high);
                counts = _mm512_maskz_mov_epi8(ascii, one);
                found = ascii;
            }
            let mut two_byte = _mm512_cmpeq_epi8_mask(
                _mm512_and_si512(first, _mm512_set1_epi8(0xE0_u8 as i8)),
                _mm512_set1_epi8(0xC0_u8 as i8),
            ) & valid;
            if two_byte != 0 {
                let mut leads = [0u8; BLOCK];
                // SAFETY: writes the 64 bytes of `leads`.
                unsafe { _mm512_storeu_si512(leads.as_mut_ptr().cast(), first) };
                for _ in 0..LEAD_PAGES_PER_BLOCK {
                    let Some(&lead) = leads.get(two_byte.trailing_zeros() as usize) else {
                        break;
                    };
                    let lanes =
                        _mm512_mask_cmpeq_epi8_mask(two_byte, first, _mm512_set1_epi8(lead as i8));
                    let page = &self.two_byte_pages[usize::from(lead & 0x1F)];
                    // SAFETY: each load reads one 64-byte plane of `page`.
                    let plane = |i: usize| unsafe { _mm512_loadu_si512(page[i].as_ptr().cast()) };
                    // The permutation uses the low six bits of the second byte.
                    plane0 = _mm512_mask_permutexvar_epi8(plane0, lanes, second, plane(0));
                    plane1 = _mm512_mask_permutexvar_epi8(plane1, lanes, second, plane(1));
                    plane2 = _mm512_mask_permutexvar_epi8(plane2, lanes, second, plane(2));
                    counts = _mm512_mask_permutexvar_epi8(counts, lanes, second, plane(3));
                    found |= lanes;
                    two_byte &= !lanes;
                }
            }
        }
        let to_gather = valid & !found;

        // The planes interleaved into one 32-bit word per character, with
        // the gathered ones put in, sixteen characters per vector.
        let groups = characters.div_ceil(GROUP);
        let mut words = [zero; BLOCK / GROUP];
        let mut long = 0;
        for (group, words) in words.iter_mut().enumerate().take(groups) {
            let lanes = (characters - group * GROUP).min(GROUP);
            let in_group = u16::MAX >> (GROUP - lanes);
            let gather = (to_gather >> (GROUP * group)) as u16 & in_group;
            let word = if gather == in_group {
                zero
            } else {
                // SAFETY: reads the 64 bytes of one row of INTERLEAVE.
                let interleave = unsafe { _mm512_loadu_si512(INTERLEAVE[group].as_ptr().cast()) };
                _mm512_mask_blend_epi8(
                    0xCCCC_CCCC_CCCC_CCCC,
                    _mm512_permutex2var_epi8(plane0, interleave, plane1),
                    _mm512_permutex2var_epi8(plane2, interleave, counts),
                )
            };
            let word = if gather == 0 {
                word
            } else {
                let code_point = code_points(
                    _mm512_castsi512_si128(first),
                    _mm512_castsi512_si128(second),
                    _mm512_castsi512_si128(third),
                );
                // SAFETY: code points of one to three bytes index the
                // 65,536 entries of `bmp`.
                unsafe { self.gather(word, gather, code_point) }
            };
            long |= _mm512_mask_cmpge_epu32_mask(
                in_group,
                word,
                _mm512_set1_epi32((Short::LONG << 24) as i32),
            );
            *words = word;
            // The next sixteen characters to the bottom lane.
            first = _mm512_shuffle_i32x4::<0b00_11_10_01>(first, first);
            second = _mm512_shuffle_i32x4::<0b00_11_10_01>(second, second);
            third = _mm512_shuffle_i32x4::<0b00_11_10_01>(third, third);
        }
        if long != 0 {
            return self.write_starts_of(bytes, after, starts, buffer, written);
        }

        // Each word's first `count` bytes, packed.
        let count_bytes = _mm512_broadcast_i32x4(_mm_set_epi32(
            0x0F0F_0F0F,
            0x0B0B_0B0B,
            0x0707_0707,
            0x0303_0303,
        ));
        let byte_index = _mm512_set1_epi32(0x0302_0100);
        for (group, &words) in words.iter().enumerate().take(groups) {
            let lanes = (characters - group * GROUP).min(GROUP);
            let counts = _mm512_shuffle_epi8(words, count_bytes);
            let kept = _mm512_cmplt_epu8_mask(byte_index, counts) & (u64::MAX >> (64 - 4 * lanes));
            // SAFETY: `written` is at most the end of the replacements so
            // far, and the caller's buffer has 64 bytes of room past that.
            unsafe {
                _mm512_storeu_si512(
                    buffer.as_mut_ptr().add(written).cast(),
                    _mm512_maskz_compress_epi8(kept, words),
                );
            }
            written += kept.count_ones() as usize;
        }
        written
    }

    /// `words` with the lanes of `lanes` replaced by the `bmp` entries of
    /// those lanes of `code_points`. A gather costs the same whatever its
    /// mask, and one of eight lanes half as much as one of sixteen, so
    /// lanes all in one half (the last group of a block, a few three-byte
    /// characters among ASCII) are gathered with eight.
    ///
    /// # Safety
    /// The code points of `lanes` must be below 65,536.
    #[inline]
    #[target_feature(enable = "avx512f,avx512vl")]
    unsafe fn gather(&self, words: __m512i, lanes: u16, code_points: __m512i) -> __m512i {
        let table: *const i32 = self.bmp.as_ptr().cast();
        let [low, high] = lanes.to_le_bytes();
        // SAFETY: the caller's code points index the entries of `bmp`.
        unsafe {
            if high == 0 {
                let half = _mm256_mmask_i32gather_epi32::<4>(
                    _mm512_castsi512_si256(words),
                    low,
                    _mm512_castsi512_si256(code_points),
                    table,
                );
                _mm512_inserti64x4::<0>(words, half)
            } else if low == 0 {
                let half = _mm256_mmask_i32gather_epi32::<4>(
                    _mm512_extracti64x4_epi64::<1>(words),
                    high,
                    _mm512_extracti64x4_epi64::<1>(code_points),
                    table,
                );
                _mm512_inserti64x4::<1>(words, half)
            } else {
                _mm512_mask_i32gather_epi32::<4>(words, lanes, code_points, table)
            }
        }
    }

    /// [`Equivset::write_starts`] for the block `bytes` followed by `after`.
    #[target_feature(enable = "avx512f")]
    fn write_starts_of(
        &self,
        bytes: __m512i,
        after: __m512i,
        starts: u64,
        buffer: &mut [MaybeUninit<u8>],
        written: usize,
    ) -> usize {
        let mut window = [0u8; 2 * BLOCK];
        // SAFETY: the stores write the 128 bytes of `window`.
        unsafe {
            _mm512_storeu_si512(window.as_mut_ptr().cast(), bytes);
            _mm512_storeu_si512(window[BLOCK..].as_mut_ptr().cast(), after);
        }
        let Some(window) = window.first_chunk::<BLOCK_WINDOW>() else {
            return written;
        };
        let mut out = [0u8; BLOCK_OUT];
        let len = self.write_starts(window, starts, &mut out, 0);
        for (to, &byte) in buffer[written..written + len].iter_mut().zip(&out) {
            to.write(byte);
        }
        written + len
    }
}
