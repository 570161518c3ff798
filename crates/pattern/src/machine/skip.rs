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
    let mut i = start;
    #[cfg(target_arch = "x86_64")]
    {
        while let Some(block) = b.get(i..i + 16) {
            if st.escaped {
                // finish the escape byte by byte before taking whole blocks again
                if let Some(end) = scalar(b, i, i + 1, &mut st, limit)? {
                    return Ok(end);
                }
                i += 1;
                continue;
            }
            let m = simd::classify(block);
            if m.backslash != 0 {
                if let Some(end) = scalar(b, i, i + 16, &mut st, limit)? {
                    return Ok(end);
                }
                i += 16;
                continue;
            }
            let mut inside = prefix_xor(m.quote);
            if st.in_string {
                inside = !inside & 0xFFFF;
            }
            let mut brackets = (m.open | m.close) & !inside & 0xFFFF;
            while brackets != 0 {
                let bit = brackets.trailing_zeros();
                brackets &= brackets - 1;
                if m.open & (1 << bit) != 0 {
                    st.level += 1;
                    if st.level > limit {
                        return Err(i + bit as usize);
                    }
                } else {
                    st.level = st.level.checked_sub(1).ok_or(i + bit as usize)?;
                    if st.level == 0 {
                        return Ok(i + bit as usize + 1);
                    }
                }
            }
            st.in_string = inside & 0x8000 != 0;
            i += 16;
        }
    }
    match scalar(b, i, b.len(), &mut st, limit)? {
        Some(end) => Ok(end),
        None => Err(b.len()),
    }
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

/// Bit i set when an odd number of bits at or below i are set in `x` (16 bits).
#[inline]
fn prefix_xor(mut x: u32) -> u32 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x & 0xFFFF
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    pub(super) struct Masks {
        pub quote: u32,
        pub backslash: u32,
        pub open: u32,
        pub close: u32,
    }

    /// One bit per byte of the 16-byte block for each class.
    #[inline]
    pub(super) fn classify(block: &[u8]) -> Masks {
        debug_assert!(block.len() >= 16);
        // SAFETY: callers pass at least 16 readable bytes (`b.get(i..i + 16)`); SSE2 is part
        // of the x86_64 baseline; `_mm_loadu_si128` has no alignment requirement.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr() as *const __m128i);
            // `[`/`{` and `]`/`}` differ only in bit 5
            let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let mask = |x| _mm_movemask_epi8(x) as u32;
            Masks {
                quote: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8))),
                backslash: mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))),
                open: mask(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'{' as i8))),
                close: mask(_mm_cmpeq_epi8(folded, _mm_set1_epi8(b'}' as i8))),
            }
        }
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
            for _ in 0..(seed % 60) {
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
