//! The wasm32 classifier: `simd128`, compiled in only when the build enables the feature
//! (`-C target-feature=+simd128`, set in .cargo/config.toml for both wasm targets). It
//! computes exactly what `sse2.rs` computes, instruction for instruction: `i8x16_eq` for
//! `_mm_cmpeq_epi8`, `i8x16_lt` (signed) for `_mm_cmplt_epi8`, `i8x16_bitmask` for
//! `_mm_movemask_epi8`, `v128_or` for `_mm_or_si128`. Every browser that runs the app (Chrome
//! 91+, Firefox 89+, Safari 16.4+) and Node 16+ have fixed-width SIMD.

use super::{Masks, StringMasks};
use core::arch::wasm32::{
    i8x16_bitmask, i8x16_eq, i8x16_lt, i8x16_splat, v128, v128_load, v128_or,
};

/// Quote, backslash and unprintable masks of 16 bytes.
#[inline]
pub(super) fn classify_string(block: &[u8; 16]) -> StringMasks {
    let [quote, backslash, unprintable, _, _] = classify16(block);
    StringMasks {
        quote: u32::from(quote),
        backslash: u32::from(backslash),
        unprintable: u32::from(unprintable),
    }
}

/// One bit per byte of a 64-byte block for each class (four 16-byte passes).
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
        let [quote, backslash, _, open, close] = classify16(chunk);
        m.quote |= u64::from(quote) << shift;
        m.backslash |= u64::from(backslash) << shift;
        m.open |= u64::from(open) << shift;
        m.close |= u64::from(close) << shift;
    }
    m
}

/// Masks of quotes, backslashes, unprintable bytes (< 0x20 or >= 0x80), opening and closing
/// brackets in 16 bytes (bit i = byte i). Unused masks cost nothing once inlined. (In wasm,
/// calling the simd128 intrinsics is safe: a module using an instruction the engine lacks fails
/// validation as a whole, it never runs one.)
#[inline]
fn classify16(chunk: &[u8; 16]) -> [u16; 5] {
    // SAFETY: the reference guarantees 16 readable bytes, whatever the event holds (callers get
    // the chunk from `get`, the bounds check, and `as_chunks`); `v128_load` is a 1-aligned
    // load, so any address is fine.
    let v = unsafe { v128_load(chunk.as_ptr().cast::<v128>()) };
    // `[`/`{` and `]`/`}` differ only in bit 5
    let folded = v128_or(v, i8x16_splat(0x20));
    let eq = |x: v128, c: u8| i8x16_bitmask(i8x16_eq(x, i8x16_splat(c as i8)));
    [
        eq(v, b'"'),
        eq(v, b'\\'),
        // signed compare: bytes >= 0x80 are negative, so both classes fall below 0x20
        i8x16_bitmask(i8x16_lt(v, i8x16_splat(0x20))),
        eq(folded, b'{'),
        eq(folded, b'}'),
    ]
}
