//! Skipping a JSON array or object no rule looks into, as fast as the bytes can be read.
//!
//! Most of a typical event is never looked at (in the citylots workload, ~700 of ~900 bytes are
//! coordinates), so this loop is where the machine spends much of its time. It only needs the
//! bracket depth, and brackets inside strings do not count. On x86_64 it classifies 16 bytes
//! at a time with SSE2 (part of the x86_64 baseline): masks of quotes, backslashes, opening and
//! closing brackets; a block without backslashes gets its in-string mask from a prefix XOR of
//! the quote mask (the simdjson idea), so strings cost nothing extra; a block with a backslash
//! is walked byte by byte. Elsewhere (wasm) the same state machine runs byte by byte.
//!
//! What is checked: bracket balance, closed strings, the nesting limit. What is not: that the
//! bracket kinds pair up, the grammar between them (a skipped part is never read, so a rule
//! cannot be fooled by it; the interpreter fails such events, the machine may not).

/// State carried across blocks.
struct State {
    level: usize,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
}

/// Skips the container whose opening bracket is at `start`; returns the position after its
/// closing bracket, or the offset of the problem. `depth` is the nesting depth of the container
/// itself; nesting beyond `max_depth` is an error.
pub(crate) fn skip_container(
    b: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
) -> Result<usize, usize> {
    let mut st = State {
        level: 0,
        in_string: false,
        escaped: false,
    };
    let limit = max_depth.saturating_sub(depth);
    #[allow(unused_mut)]
    let mut i = start;
    #[cfg(target_arch = "x86_64")]
    {
        let step = blocks(b, i, &mut st, limit, simd::classify64);
        match step {
            Step::Closed(end) => return Ok(end),
            Step::Failed(at) => return Err(at),
            Step::Tail(at) => i = at,
        }
    }
    match scalar(b, i, b.len(), &mut st, limit)? {
        Some(end) => Ok(end),
        None => Err(b.len()),
    }
}

/// How the block loop ended.
#[cfg(target_arch = "x86_64")]
enum Step {
    /// The container closed; the position after it.
    Closed(usize),
    /// Malformed or too deep at this offset.
    Failed(usize),
    /// Fewer than 64 bytes remain from here.
    Tail(usize),
}

/// Whole 64-byte blocks from `i`, classified by `classify`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn blocks(
    b: &[u8],
    mut i: usize,
    st: &mut State,
    limit: usize,
    classify: impl Fn(&[u8]) -> simd::Masks,
) -> Step {
    while let Some(block) = b.get(i..i + 64) {
        if st.escaped {
            // finish the escape byte by byte before taking whole blocks again
            match scalar(b, i, i + 1, st, limit) {
                Ok(Some(end)) => return Step::Closed(end),
                Ok(None) => {}
                Err(at) => return Step::Failed(at),
            }
            i += 1;
            continue;
        }
        let m = classify(block);
        if m.backslash != 0 {
            match scalar(b, i, i + 64, st, limit) {
                Ok(Some(end)) => return Step::Closed(end),
                Ok(None) => {}
                Err(at) => return Step::Failed(at),
            }
            i += 64;
            continue;
        }
        let mut inside = prefix_xor(m.quote);
        if st.in_string {
            inside = !inside;
        }
        let open = m.open & !inside;
        let close = m.close & !inside;
        let (opens, closes) = (open.count_ones() as usize, close.count_ones() as usize);
        if closes < st.level && st.level + opens <= limit {
            // the container cannot close, nor nest too deep, inside this block: count
            // instead of walking the brackets one by one (no branch per bracket)
            st.level = st.level + opens - closes;
            st.in_string = inside >> 63 != 0;
            i += 64;
            continue;
        }
        let mut brackets = open | close;
        while brackets != 0 {
            let bit = brackets.trailing_zeros();
            brackets &= brackets - 1;
            if open & (1u64 << bit) != 0 {
                st.level += 1;
                if st.level > limit {
                    return Step::Failed(i + bit as usize);
                }
            } else {
                match st.level.checked_sub(1) {
                    Some(level) => st.level = level,
                    None => return Step::Failed(i + bit as usize),
                }
                if st.level == 0 {
                    return Step::Closed(i + bit as usize + 1);
                }
            }
        }
        st.in_string = inside >> 63 != 0;
        i += 64;
    }
    Step::Tail(i)
}

/// The same state machine, one byte at a time over `from..to`. Some(end) when the container
/// closes.
#[inline]
fn scalar(
    b: &[u8],
    from: usize,
    to: usize,
    st: &mut State,
    limit: usize,
) -> Result<Option<usize>, usize> {
    for (i, &c) in b.iter().enumerate().take(to).skip(from) {
        if st.in_string {
            if st.escaped {
                st.escaped = false;
            } else if c == b'\\' {
                st.escaped = true;
            } else if c == b'"' {
                st.in_string = false;
            }
            continue;
        }
        match c {
            b'"' => st.in_string = true,
            b'{' | b'[' => {
                st.level += 1;
                if st.level > limit {
                    return Err(i);
                }
            }
            b'}' | b']' => {
                st.level = st.level.checked_sub(1).ok_or(i)?;
                if st.level == 0 {
                    return Ok(Some(i + 1));
                }
            }
            _ => {}
        }
    }
    Ok(None)
}

/// Where a short string ends: `start` is just after the opening quote. Some((position of the
/// closing quote, whether every byte before it is printable ASCII)) when the closing quote is
/// among the next 16 bytes with no backslash before it; None otherwise (the caller then walks
/// the string byte by byte). Most keys and values are that short.
#[inline]
pub(crate) fn short_string_end(b: &[u8], start: usize) -> Option<(usize, bool)> {
    #[cfg(target_arch = "x86_64")]
    {
        let block = b.get(start..start + 16)?;
        let m = simd::classify_string(block);
        if m.quote == 0 {
            return None;
        }
        let n = m.quote.trailing_zeros();
        let before = (1u32 << n) - 1;
        if m.backslash & before != 0 {
            return None;
        }
        Some((start + n as usize, m.unprintable & before == 0))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (b, start);
        None
    }
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    pub(super) struct Masks {
        pub quote: u64,
        pub backslash: u64,
        pub open: u64,
        pub close: u64,
    }

    pub(super) struct StringMasks {
        pub quote: u32,
        pub backslash: u32,
        /// control bytes (< 0x20) and non-ASCII bytes (>= 0x80)
        pub unprintable: u32,
    }

    #[inline]
    pub(super) fn classify_string(block: &[u8]) -> StringMasks {
        debug_assert!(block.len() >= 16);
        // SAFETY: callers pass at least 16 readable bytes (`b.get(start..start + 16)`); SSE2 is
        // part of the x86_64 baseline; `_mm_loadu_si128` has no alignment requirement.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr() as *const __m128i);
            StringMasks {
                quote: _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8))) as u32
                    & 0xFFFF,
                backslash: _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))) as u32
                    & 0xFFFF,
                // signed compare: bytes >= 0x80 are negative, so both classes fall below 0x20
                unprintable: _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))) as u32
                    & 0xFFFF,
            }
        }
    }

    /// One bit per byte of a 64-byte block for each class (four 16-byte SSE2 passes).
    #[inline]
    pub(super) fn classify64(block: &[u8]) -> Masks {
        let mut m = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for (k, chunk) in block.chunks_exact(16).take(4).enumerate() {
            let shift = 16 * k as u32;
            // SAFETY: `chunks_exact(16)` yields exactly 16 readable bytes; SSE2 is part of the
            // x86_64 baseline; `_mm_loadu_si128` has no alignment requirement.
            let (q, s, o, c) = unsafe {
                let v = _mm_loadu_si128(chunk.as_ptr() as *const __m128i);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(text: &str) -> Result<usize, usize> {
        skip_container(text.as_bytes(), 0, 0, 128)
    }

    #[test]
    fn brackets_in_strings_do_not_count() {
        let text = r#"{"a": "}]{[", "b": ["\"]", "\\"], "c": {"d": [1, 2, 3]}} tail"#;
        assert_eq!(skip(text), Ok(text.len() - 5));
    }

    #[test]
    fn escapes_across_block_edges() {
        for pad in 0..20 {
            let text = format!(r#"["{}\"]", 1]x"#, "y".repeat(pad));
            assert_eq!(skip(&text), Ok(text.len() - 1), "{text}");
            let text = format!(r#"["{}\\", [[]]]x"#, "y".repeat(pad));
            assert_eq!(skip(&text), Ok(text.len() - 1), "{text}");
        }
    }

    #[test]
    fn long_strings_spanning_blocks() {
        let text = format!(r#"{{"k": "{}", "z": [{{}}]}}!"#, "]".repeat(50));
        assert_eq!(skip(&text), Ok(text.len() - 1));
    }

    #[test]
    fn unbalanced_and_too_deep() {
        assert!(skip("[[1, 2]").is_err());
        assert!(skip(r#"["abc]"#).is_err());
        let deep = "[".repeat(129) + &"]".repeat(129);
        assert!(skip(&deep).is_err());
        let ok = "[".repeat(128) + &"]".repeat(128);
        assert_eq!(skip(&ok), Ok(ok.len()));
    }

    #[test]
    fn agrees_with_bytewise_on_many_shapes() {
        let pieces = [
            "[", "]", "{", "}", "\"", "\\\"", "\\\\", "a", " ", ",", ":", "1",
        ];
        // deterministic pseudo-random texts
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut text = String::from("[");
            for _ in 0..(seed % 200) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            text.push_str("]]]]]]]]]]\"]]]]]]]]]]]]]]]]");
            let mut st = State {
                level: 0,
                in_string: false,
                escaped: false,
            };
            let expected = match scalar(text.as_bytes(), 0, text.len(), &mut st, 128) {
                Ok(Some(end)) => Ok(end),
                Ok(None) => Err(text.len()),
                Err(e) => Err(e),
            };
            assert_eq!(skip(&text), expected, "{text}");
        }
    }
}

#[cfg(test)]
mod string_tests {
    use super::short_string_end;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn short_strings() {
        let text = "\"abc\", \"a\\\"b\", \"café\", \"0123456789abcdefXYZ\"        ".as_bytes();
        assert_eq!(short_string_end(text, 1), Some((4, true)));
        let escaped = text.windows(2).position(|w| w == b"a\\").unwrap();
        assert_eq!(short_string_end(text, escaped), None);
        let at = text.windows(3).position(|w| w == b"caf").unwrap();
        assert_eq!(short_string_end(text, at), Some((at + 5, false)));
        let long = text.windows(3).position(|w| w == b"012").unwrap();
        assert_eq!(short_string_end(text, long), None);
    }
}
