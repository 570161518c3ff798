//! The x86_64 classifier: SSE2, part of the x86_64 baseline, so no runtime detection.

use super::{Masks, StringMasks};
use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
    _mm_set1_epi8,
};

/// Quote, backslash and unprintable masks of 16 bytes.
#[inline]
pub(super) fn classify_string(block: &[u8; 16]) -> StringMasks {
    // SAFETY: SSE2 is part of the x86_64 baseline, so the CPU has it.
    let [quote, backslash, unprintable, _, _] = unsafe { classify16(block) };
    StringMasks {
        quote: u32::from(quote),
        backslash: u32::from(backslash),
        unprintable: u32::from(unprintable),
    }
}

/// One bit per byte of a 64-byte block for each class (four 16-byte SSE2 passes).
#[inline]
pub(super) fn classify64(block: &[u8; 64]) -> Masks {
    let mut m = Masks {
        quote: 0,
        backslash: 0,
        open: 0,
        close: 0,
    };
    let (chunks, _) = block.as_chunks::<16>();
    for (k, chunk) in chunks.iter().enumerate() {
        let shift = 16 * k as u32;
        // SAFETY: SSE2 is part of the x86_64 baseline, so the CPU has it.
        let [quote, backslash, _, open, close] = unsafe { classify16(chunk) };
        m.quote |= u64::from(quote) << shift;
        m.backslash |= u64::from(backslash) << shift;
        m.open |= u64::from(open) << shift;
        m.close |= u64::from(close) << shift;
    }
    m
}

/// Masks of quotes, backslashes, unprintable bytes (< 0x20 or >= 0x80), opening and closing
/// brackets in 16 bytes (bit i = byte i). Unused masks cost nothing once inlined.
#[inline]
#[target_feature(enable = "sse2")]
fn classify16(chunk: &[u8; 16]) -> [u16; 5] {
    // SAFETY: the reference guarantees 16 readable bytes, whatever the event holds (callers get
    // the chunk from `first_chunk`/`as_chunks`, the bounds checks); `_mm_loadu_si128` has no
    // alignment requirement.
    let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
    // `[`/`{` and `]`/`}` differ only in bit 5
    let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    // movemask gives 16 bits in an i32; keep them unsigned
    let eq =
        |x: __m128i, c: u8| _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8))) as u16;
    [
        eq(v, b'"'),
        eq(v, b'\\'),
        // signed compare: bytes >= 0x80 are negative, so both classes fall below 0x20
        _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))) as u16,
        eq(folded, b'{'),
        eq(folded, b'}'),
    ]
}
