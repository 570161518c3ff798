//! The x86_64 classifier with AVX2: the same masks as `sse2.rs`, 32 bytes per compare instead
//! of 16. Chosen at run time (`skip::wide_vectors`), never assumed: the SSE2 classifier stays
//! the baseline, and the tests compare both with the byte-by-byte classification.

use super::Masks;
use std::arch::x86_64::{
    __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_set1_epi8, _mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_set1_epi8, _mm_set_epi64x,
};

/// One bit per byte of a 64-byte block for each class (two 32-byte AVX2 passes).
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn classify64(block: &[u8; 64]) -> Masks {
    let mut m = Masks {
        quote: 0,
        backslash: 0,
        open: 0,
        close: 0,
    };
    let (halves, _) = block.as_chunks::<32>();
    for (k, half) in halves.iter().enumerate() {
        let shift = 32 * k as u32;
        // SAFETY: the reference guarantees 32 readable bytes, whatever the event holds (callers
        // get the block from `get`, the bounds check, and `as_chunks` splits it);
        // `_mm256_loadu_si256` has no alignment requirement; this function is compiled for
        // AVX2 and only reached after `is_x86_feature_detected!("avx2")` said the CPU has it.
        let (q, s, o, c) = unsafe {
            let v = _mm256_loadu_si256(half.as_ptr().cast::<__m256i>());
            // `[`/`{` and `]`/`}` differ only in bit 5
            let folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
            (
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'"' as i8))),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\\' as i8))),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8(b'{' as i8))),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8(b'}' as i8))),
            )
        };
        // movemask gives 32 bits in an i32; keep them unsigned
        m.quote |= u64::from(q as u32) << shift;
        m.backslash |= u64::from(s as u32) << shift;
        m.open |= u64::from(o as u32) << shift;
        m.close |= u64::from(c as u32) << shift;
    }
    m
}

/// `skip::prefix_xor` by one carry-less multiply with all ones (bit i of the product is the
/// XOR of bits 0..=i): the simdjson way to the in-string mask, one instruction where the
/// portable form is six dependent shift-xor pairs.
#[inline]
#[target_feature(enable = "pclmulqdq")]
pub(super) fn prefix_xor(x: u64) -> u64 {
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set1_epi8(-1), 0);
    _mm_cvtsi128_si64(product) as u64
}
