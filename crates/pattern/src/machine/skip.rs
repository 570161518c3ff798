//! Skipping a JSON array or object no rule looks into, as fast as the bytes can be read.
//!
//! Most of a typical event is never looked at (in the citylots workload, ~700 of ~900 bytes are
//! coordinates), so this loop is where the machine spends much of its time. It only needs the
//! bracket depth, and brackets inside strings do not count. Where the target has 16-byte
//! vectors it classifies 64 bytes at a time: masks of quotes, backslashes, opening and closing
//! brackets; a block without backslashes gets its in-string mask from a prefix XOR of the quote
//! mask (the simdjson idea), so strings cost nothing extra; a block with a backslash is walked
//! byte by byte. The last partial block of the event is its final 64 bytes, classified once and
//! shifted right past the bytes already read (zeros come in at the top: no class), so the end of
//! an event costs one classification rather than a byte loop. The classifiers: SSE2 on x86_64
//! (`skip/sse2.rs`, part of the baseline; `skip/avx2.rs` instead when the CPU has AVX2 and
//! POPCNT, detected at run time, with the block loop compiled for them) and
//! `simd128` on wasm32 when built with `-C target-feature=+simd128` (`skip/simd128.rs`, as the
//! app and the wasm benchmark are, see .cargo/config.toml). Both compute the same masks, which
//! the tests compare with a byte-by-byte classification. Elsewhere (wasm without simd128) the
//! same state machine runs byte by byte.
//!
//! What is checked: bracket balance, closed strings, the nesting limit. What is not: that the
//! bracket kinds pair up, the grammar between them (a skipped part is never read, so a rule
//! cannot be fooled by it; the interpreter fails such events, the machine may not).

// One classifier per target, under the one name `simd`; the cfg below (x86_64, or wasm32 with
// simd128) is repeated on every item that needs a classifier.
#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod sse2;
#[cfg(target_arch = "x86_64")]
use sse2 as simd;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128 as simd;

/// One bit per byte of a 64-byte block (bit i = byte i) for each class the skipper needs.
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )),
    allow(dead_code)
)]
struct Masks {
    quote: u64,
    backslash: u64,
    /// `[` and `{`
    open: u64,
    /// `]` and `}`
    close: u64,
}

/// One bit per byte of a 16-byte window (bit i = byte i), for the start of a string.
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )),
    allow(dead_code)
)]
struct StringMasks {
    quote: u32,
    backslash: u32,
    /// control bytes (< 0x20) and non-ASCII bytes (>= 0x80)
    unprintable: u32,
}

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
    #[cfg(target_arch = "x86_64")]
    let wide = wide_vectors();
    #[cfg(not(target_arch = "x86_64"))]
    let wide = false;
    skip_container_with(b, start, depth, max_depth, wide)
}

/// `skip_container` with the classifier chosen by the caller: `wide` = AVX2, only ever true
/// when `wide_vectors` said the CPU has it (the tests run both paths).
#[inline(always)]
fn skip_container_with(
    b: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
    wide: bool,
) -> Result<usize, usize> {
    let _ = wide;
    let mut st = State {
        level: 0,
        in_string: false,
        escaped: false,
    };
    let limit = max_depth.saturating_sub(depth);
    #[allow(unused_mut)]
    let mut i = start;
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    {
        #[cfg(target_arch = "x86_64")]
        let step = if wide {
            // SAFETY: `wide` is true only when `wide_vectors` found AVX2 and POPCNT
            unsafe { blocks_avx2(b, i, &mut st, limit) }
        } else {
            blocks(b, i, &mut st, limit, simd::classify64, prefix_xor)
        };
        #[cfg(not(target_arch = "x86_64"))]
        let step = blocks(b, i, &mut st, limit, simd::classify64, prefix_xor);
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

/// Which classifier skips blocks on x86_64: 0 not decided yet, 1 SSE2, 2 AVX2 (+ POPCNT).
#[cfg(target_arch = "x86_64")]
static WIDE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Whether blocks are classified with AVX2: the CPU has AVX2 and POPCNT (detected once), and
/// `prefer_sse2` did not ask for the baseline. Same answers either way; only speed differs.
#[cfg(target_arch = "x86_64")]
#[inline]
fn wide_vectors() -> bool {
    use std::sync::atomic::Ordering::Relaxed;
    match WIDE.load(Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let wide = std::is_x86_feature_detected!("avx2")
                && std::is_x86_feature_detected!("popcnt")
                && std::is_x86_feature_detected!("pclmulqdq");
            WIDE.store(if wide { 2 } else { 1 }, Relaxed);
            wide
        }
    }
}

/// Benchmarks: classify with SSE2 even where AVX2 exists (`true`), or go back to detecting
/// (`false`), so both paths can be timed in one process. No effect off x86_64.
pub(crate) fn prefer_sse2(sse2: bool) {
    #[cfg(target_arch = "x86_64")]
    WIDE.store(
        if sse2 { 1 } else { 0 },
        std::sync::atomic::Ordering::Relaxed,
    );
    #[cfg(not(target_arch = "x86_64"))]
    let _ = sse2;
}

/// `blocks` compiled for AVX2, POPCNT (one instruction for the bracket counts) and PCLMULQDQ
/// (the in-string mask by one carry-less multiply instead of six dependent shift-xor steps).
///
/// # Safety
/// The CPU must have AVX2, POPCNT and PCLMULQDQ (`wide_vectors` checks it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt,pclmulqdq")]
unsafe fn blocks_avx2(b: &[u8], i: usize, st: &mut State, limit: usize) -> Step {
    blocks(
        b,
        i,
        st,
        limit,
        |block| avx2::classify64(block),
        |x| avx2::prefix_xor(x),
    )
}

/// How the block loop ended.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
enum Step {
    /// The container closed; the position after it.
    Closed(usize),
    /// Malformed or too deep at this offset.
    Failed(usize),
    /// Fewer than 64 bytes remain from here.
    Tail(usize),
}

/// Whole 64-byte blocks from `i`, classified by `classify`.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
#[inline(always)]
fn blocks(
    b: &[u8],
    mut i: usize,
    st: &mut State,
    limit: usize,
    classify: impl Fn(&[u8; 64]) -> Masks,
    prefix: impl Fn(u64) -> u64 + Copy,
) -> Step {
    // the bounds check: a block is taken only when 64 bytes remain
    while let Some(block) = chunk_at::<64>(b, i) {
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
        if let Some(step) = block_step(&m, i, st, limit, prefix) {
            return step;
        }
        i += 64;
    }
    // The last, partial block: the event's final 64 bytes, overlapping bytes already read,
    // classified once and shifted so that bit 0 is byte `i` (the bytes before `i` fall out,
    // zeros come in at the top: no class). One classification instead of a byte loop.
    if !st.escaped {
        if let Some(base) = b.len().checked_sub(64) {
            let k = i.wrapping_sub(base);
            if (1..64).contains(&k) {
                if let Some(block) = chunk_at::<64>(b, base) {
                    let m = classify(block);
                    let m = Masks {
                        quote: m.quote >> k,
                        backslash: m.backslash >> k,
                        open: m.open >> k,
                        close: m.close >> k,
                    };
                    if m.backslash == 0 {
                        // the event ends inside this block: a container still open is unclosed
                        return block_step(&m, i, st, limit, prefix)
                            .unwrap_or(Step::Failed(b.len()));
                    }
                }
            }
        }
    }
    Step::Tail(i)
}

/// One classified block without backslashes whose bit 0 is byte `i`: Some when the container
/// closes or fails in it, None when it goes on past the block (the state then describes the
/// byte after it).
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
#[inline(always)]
fn block_step(
    m: &Masks,
    i: usize,
    st: &mut State,
    limit: usize,
    prefix: impl Fn(u64) -> u64,
) -> Option<Step> {
    let mut inside = prefix(m.quote);
    if st.in_string {
        inside = !inside;
    }
    let open = m.open & !inside;
    let close = m.close & !inside;
    let (opens, closes) = (open.count_ones() as usize, close.count_ones() as usize);
    if closes < st.level && st.level + opens <= limit {
        // the container cannot close, nor nest too deep, inside this block: count instead of
        // walking the brackets one by one (no branch per bracket)
        st.level = st.level + opens - closes;
        st.in_string = inside >> 63 != 0;
        return None;
    }
    let mut brackets = open | close;
    while brackets != 0 {
        let bit = brackets.trailing_zeros();
        brackets &= brackets - 1;
        if open & (1u64 << bit) != 0 {
            st.level += 1;
            if st.level > limit {
                return Some(Step::Failed(i + bit as usize));
            }
        } else {
            match st.level.checked_sub(1) {
                Some(level) => st.level = level,
                None => return Some(Step::Failed(i + bit as usize)),
            }
            if st.level == 0 {
                return Some(Step::Closed(i + bit as usize + 1));
            }
        }
    }
    st.in_string = inside >> 63 != 0;
    None
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
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    {
        // the bounds check: the vector reads exactly these 16 bytes
        let block = chunk_at::<16>(b, start)?;
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
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        let _ = (b, start);
        None
    }
}

/// An object member written compactly, `"key":"value"`, read from one 32-byte window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShortMember {
    /// The key's bytes (fewer than 16, printable ASCII or UTF-8, no escape) start at the
    /// window's start; the first 16 bytes of the window, for packing the key.
    pub key_window: [u8; 16],
    pub key_len: usize,
    /// The position of the value string's closing quote, when the member is `"key":"value"`
    /// with a value string closing within the window (None: only the key was read).
    pub value_end: Option<usize>,
}

/// The member whose key starts at `start` (after the key's opening quote), when its key is
/// shorter than 16 bytes without escapes or control bytes and 32 bytes remain: the key, and
/// when the member is written `"key":"value"` with a value string without escapes that closes
/// within the 32 bytes, where that value ends. Most members of a machine-written event
/// (citylots' `properties`) are read so with two 16-byte classifications instead of one for the
/// key, one for the value and the scalar steps between; a member with another value costs
/// only the key's classification, which the caller then does not repeat (issue 13). The
/// value's bytes are not checked beyond its closing quote, as for any skipped string.
pub(crate) fn short_member(b: &[u8], start: usize) -> Option<ShortMember> {
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    {
        let window = chunk_at::<32>(b, start)?;
        let (low, high) = window.split_first_chunk::<16>()?;
        let l = simd::classify_string(low);
        let key_len = l.quote.trailing_zeros() as usize;
        if key_len >= 16 {
            return None;
        }
        let before_key_end = (1u32 << key_len) - 1;
        if (l.backslash | l.unprintable) & before_key_end != 0 {
            return None;
        }
        let mut member = ShortMember {
            key_window: *low,
            key_len,
            value_end: None,
        };
        // `:` right after the key's closing quote, the value's opening quote right after it
        if window.get(key_len + 1..key_len + 3) != Some(b":\"") {
            return Some(member);
        }
        let h = simd::classify_string(high.first_chunk::<16>()?);
        let quote = l.quote | h.quote << 16;
        let backslash = l.backslash | h.backslash << 16;
        let after_open = u32::MAX.checked_shl(key_len as u32 + 3).unwrap_or(0);
        let value_close = quote & after_open;
        if value_close == 0 {
            return Some(member);
        }
        let close = value_close.trailing_zeros();
        if backslash & after_open & ((1u32 << close) - 1) == 0 {
            member.value_end = Some(start + close as usize);
        }
        Some(member)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        let _ = (b, start);
        None
    }
}

/// The `N` bytes at `at`, when that many remain: the bounds check before every vector load.
/// (Spelled with `get(at..at + N)`: `get(at..)?.first_chunk()` is as safe but made the native
/// skip loop ~40 % slower, 2.0 M against 3.5 M lines/s on the citylots empty-machine probe; in
/// wasm the two measured the same.)
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
#[inline(always)]
fn chunk_at<const N: usize>(b: &[u8], at: usize) -> Option<&[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// Bit i set when an odd number of bits at or below i are set in `x`.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
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

#[cfg(test)]
mod vector_tests;

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
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
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
