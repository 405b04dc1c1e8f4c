//! Dropping the bytes of a 16-byte chunk marked by a bit mask, keeping the
//! rest in order: how `rmwhitespace` removes ASCII white space without a
//! branch per space.

use super::code_point_set::CHUNK;

/// Writes the bytes of `chunk` whose bit in `drop` is clear to the start
/// of `out` (which must have room for [`CHUNK`] bytes: the bytes after the
/// kept ones are filler) and returns how many were kept. A byte at a time:
/// the portable twin of [`compact_ssse3`].
#[inline]
pub(crate) fn compact(chunk: &[u8; CHUNK], drop: u32, out: &mut [u8; CHUNK]) -> usize {
    let mut kept = 0;
    for (i, &byte) in chunk.iter().enumerate() {
        if drop & (1 << i) == 0 {
            out[kept] = byte;
            kept += 1;
        }
    }
    kept
}

/// For each byte `keep`, the offsets of its set bits, in order, then
/// filler: the `pshufb` control that packs the kept bytes of 8.
#[cfg(target_arch = "x86_64")]
static PACK_EIGHT: [[u8; 8]; 256] = {
    let mut table = [[0u8; 8]; 256];
    let mut keep = 0;
    while keep < 256 {
        let (mut bit, mut kept) = (0, 0);
        while bit < 8 {
            if keep & (1 << bit) != 0 {
                table[keep][kept] = bit as u8;
                kept += 1;
            }
            bit += 1;
        }
        keep += 1;
    }
    table
};

/// [`compact`] with SSSE3: each half of the chunk packed by one shuffle
/// from a table of 256 controls, the halves stored one after the other.
///
/// # Safety
/// The CPU must have SSSE3.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
#[inline]
pub(crate) unsafe fn compact_ssse3(chunk: &[u8; CHUNK], drop: u32, out: &mut [u8; CHUNK]) -> usize {
    use std::arch::x86_64::*;
    let keep = !drop & 0xFFFF;
    let (low, high) = ((keep & 0xFF) as usize, (keep >> 8) as usize);
    let low_kept = low.count_ones() as usize;
    let mut control = [0u8; CHUNK];
    control[..8].copy_from_slice(&PACK_EIGHT[low]);
    for (slot, &offset) in control[8..].iter_mut().zip(&PACK_EIGHT[high]) {
        *slot = offset + 8;
    }
    let mut packed = [0u8; CHUNK];
    // SAFETY: the loads read the 16 bytes of `chunk` and `control`, the
    // store writes the 16 bytes of `packed`.
    unsafe {
        let bytes = _mm_loadu_si128(chunk.as_ptr().cast());
        let shuffled = _mm_shuffle_epi8(bytes, _mm_loadu_si128(control.as_ptr().cast()));
        _mm_storeu_si128(packed.as_mut_ptr().cast(), shuffled);
    }
    // The kept bytes of the high half follow those of the low half.
    out[..8].copy_from_slice(&packed[..8]);
    out[low_kept..low_kept + 8].copy_from_slice(&packed[8..]);
    low_kept + high.count_ones() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(chunk: &[u8; CHUNK], drop: u32) -> Vec<u8> {
        (0..CHUNK)
            .filter(|&i| drop & (1 << i) == 0)
            .map(|i| chunk[i])
            .collect()
    }

    /// Both versions keep exactly the unmarked bytes, in order, for every
    /// mask of the low and high halves.
    #[test]
    fn compact_keeps_the_unmarked_bytes_in_order() {
        let chunk: [u8; CHUNK] = std::array::from_fn(|i| b'a' + i as u8);
        for drop in (0..=0xFFFFu32)
            .step_by(7)
            .chain([0, 0xFF, 0xFF00, 0xFFFF, 0x8000, 1])
        {
            let expected = reference(&chunk, drop);
            let mut out = [0u8; CHUNK];
            let kept = compact(&chunk, drop, &mut out);
            assert_eq!(out[..kept], expected[..], "drop {drop:04X}");
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("ssse3") {
                let mut out = [0u8; CHUNK];
                // SAFETY: SSSE3 is available, checked just above.
                let kept = unsafe { compact_ssse3(&chunk, drop, &mut out) };
                assert_eq!(out[..kept], expected[..], "SSSE3, drop {drop:04X}");
            }
        }
    }
}
