//! The x86_64 classifier: SSE2, part of the x86_64 baseline, so no runtime detection.

use super::{Masks, StringMasks};
use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
    _mm_set1_epi8,
};

/// Quote, backslash and unprintable masks of 16 bytes.
#[inline]
pub(super) fn classify_string(block: &[u8; 16]) -> StringMasks {
    // SAFETY: the reference guarantees 16 readable bytes, whatever the event holds (callers get
    // the chunk from `get`, the bounds check); `_mm_loadu_si128` has no alignment
    // requirement; SSE2 is part of the x86_64 baseline, so the CPU has every intrinsic used.
    let (quote, backslash, unprintable) = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        (
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8))),
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))),
            // signed compare: bytes >= 0x80 are negative, so both classes fall below 0x20
            _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))),
        )
    };
    // movemask gives 16 bits in an i32; keep them unsigned
    StringMasks {
        quote: u32::from(quote as u16),
        backslash: u32::from(backslash as u16),
        unprintable: u32::from(unprintable as u16),
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
        // SAFETY: the reference guarantees 16 readable bytes, whatever the event holds (callers
        // get the block from `get`, the bounds check, and `as_chunks` splits it);
        // `_mm_loadu_si128` has no alignment requirement; SSE2 is part of the x86_64 baseline.
        let (q, s, o, c) = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            // `[`/`{` and `]`/`}` differ only in bit 5
            let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'{' as i8))),
                _mm_movemask_epi8(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'}' as i8))),
            )
        };
        // movemask gives 16 bits in an i32; keep them unsigned
        m.quote |= u64::from(q as u16) << shift;
        m.backslash |= u64::from(s as u16) << shift;
        m.open |= u64::from(o as u16) << shift;
        m.close |= u64::from(c as u16) << shift;
    }
    m
}
