//! The vector classifiers (SSE2 natively, simd128 in wasm) against the same classification
//! spelled out byte by byte, and the whole skipper against its byte-by-byte state machine, on
//! random byte strings. Run in wasm too (see BENCHMARKS.md, "wasm"): there it is the simd128
//! path that is compared with the portable one.

use super::{
    scalar, short_member, short_string_end, skip_container, skip_container_with, ShortMember, State,
};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Bytes that mean something to the skipper, and their neighbours: the edges of the printable
/// range, and bytes one bit away from the brackets (`;`, `[`|0x80, `{`|0x80).
const SPECIAL: &[u8] = b"\"\\[]{}:, a0\x00\x1f\x20\x7e\x7f\x80\xff\x3b\x5b\x7b\x5d\x7d\xdb\xfb";

/// Special bytes much more often than uniform bytes would give them; plus any byte at all.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(SPECIAL.to_vec()),
        1 => any::<u8>(),
    ]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        // deterministic: the same cases on every run and every target
        rng_seed: RngSeed::Fixed(0x5eed_5c1b),
        // no file system under wasm32-wasip1 without a preopened directory
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What `classify64` must compute, one byte at a time.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
fn masks_bytewise(block: &[u8; 64]) -> super::Masks {
    let bits = |class: &dyn Fn(u8) -> bool| {
        block
            .iter()
            .enumerate()
            .filter(|&(_, &c)| class(c))
            .fold(0u64, |m, (i, _)| m | 1 << i)
    };
    super::Masks {
        quote: bits(&|c| c == b'"'),
        backslash: bits(&|c| c == b'\\'),
        open: bits(&|c| c == b'[' || c == b'{'),
        close: bits(&|c| c == b']' || c == b'}'),
    }
}

/// What `classify_string` must compute, one byte at a time.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
fn string_masks_bytewise(block: &[u8; 16]) -> super::StringMasks {
    let bits = |class: &dyn Fn(u8) -> bool| {
        block
            .iter()
            .enumerate()
            .filter(|&(_, &c)| class(c))
            .fold(0u32, |m, (i, _)| m | 1 << i)
    };
    super::StringMasks {
        quote: bits(&|c| c == b'"'),
        backslash: bits(&|c| c == b'\\'),
        unprintable: bits(&|c| !(0x20..0x80).contains(&c)),
    }
}

/// What `short_string_end` must answer where vectors exist, one byte at a time: the first
/// quote among the 16 bytes from `start` (all 16 must exist), unless a backslash comes first.
fn short_string_end_bytewise(b: &[u8], start: usize) -> Option<(usize, bool)> {
    let window = b.get(start..)?.first_chunk::<16>()?;
    let n = window.iter().position(|&c| c == b'"')?;
    let before = window.get(..n)?;
    if before.contains(&b'\\') {
        return None;
    }
    let printable = before.iter().all(|c| (0x20..0x80).contains(c));
    Some((start + n, printable))
}

/// What `short_member` must answer where vectors exist, one byte at a time: all 32 bytes from
/// `start` exist and the key is under 16 printable bytes without a backslash; the value's end
/// when `:` and a quote follow the key and the value's closing quote is among the 32 with no
/// backslash before it.
fn short_member_bytewise(b: &[u8], start: usize) -> Option<ShortMember> {
    let window = b.get(start..)?.first_chunk::<32>()?;
    let key_len = window.iter().position(|&c| c == b'"')?;
    let key = window.get(..key_len)?;
    if key_len >= 16 || key.iter().any(|c| !(0x20..0x80).contains(c) || *c == b'\\') {
        return None;
    }
    let key_window = *window.first_chunk::<16>()?;
    let value_end = (|| {
        if window.get(key_len + 1..key_len + 3)? != b":\"" {
            return None;
        }
        let value = window.get(key_len + 3..)?;
        let close = value.iter().position(|&c| c == b'"')?;
        if value.get(..close)?.contains(&b'\\') {
            return None;
        }
        Some(start + key_len + 3 + close)
    })();
    Some(ShortMember {
        key_window,
        key_len,
        value_end,
    })
}

/// `skip_container` as the byte-by-byte state machine alone would answer.
fn skip_bytewise(b: &[u8], start: usize, depth: usize, max_depth: usize) -> Result<usize, usize> {
    let mut st = State {
        level: 0,
        in_string: false,
        escaped: false,
    };
    match scalar(b, start, b.len(), &mut st, max_depth.saturating_sub(depth))? {
        Some(end) => Ok(end),
        None => Err(b.len()),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[cfg(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))]
    fn classifiers_agree_with_bytewise(
        block in prop::array::uniform32(byte()),
        more in prop::array::uniform32(byte()),
    ) {
        let mut whole = [0u8; 64];
        whole[..32].copy_from_slice(&block);
        whole[32..].copy_from_slice(&more);
        prop_assert_eq!(super::simd::classify64(&whole), masks_bytewise(&whole));
        for window in whole.windows(16) {
            let window: &[u8; 16] = window.try_into().unwrap();
            prop_assert_eq!(super::simd::classify_string(window), string_masks_bytewise(window));
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn avx2_classifier_agrees_with_bytewise(
        block in prop::array::uniform32(byte()),
        more in prop::array::uniform32(byte()),
    ) {
        if super::wide_vectors() {
            let mut whole = [0u8; 64];
            whole[..32].copy_from_slice(&block);
            whole[32..].copy_from_slice(&more);
            // SAFETY: `wide_vectors` found AVX2
            prop_assert_eq!(unsafe { super::avx2::classify64(&whole) }, masks_bytewise(&whole));
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn carry_less_prefix_xor_agrees(x in any::<u64>()) {
        if super::wide_vectors() {
            // SAFETY: `wide_vectors` found PCLMULQDQ
            prop_assert_eq!(unsafe { super::avx2::prefix_xor(x) }, super::prefix_xor(x));
        }
    }

    #[test]
    fn short_member_agrees_with_bytewise(
        key in prop::collection::vec(byte(), 0..18),
        value in prop::collection::vec(byte(), 0..24),
        noise in prop::collection::vec(byte(), 0..40),
    ) {
        // a member shape most of the time, so that the fast answer is often Some
        let mut b = vec![b'"'];
        b.extend(&key);
        b.extend(b"\":\"");
        b.extend(&value);
        b.extend(b"\",");
        b.extend(&noise);
        for start in 0..=b.len() + 1 {
            let expected = if cfg!(any(
                target_arch = "x86_64",
                all(target_arch = "wasm32", target_feature = "simd128")
            )) {
                short_member_bytewise(&b, start)
            } else {
                None // no vectors: the caller reads the member the long way
            };
            prop_assert_eq!(short_member(&b, start), expected, "start {}", start);
        }
    }

    #[test]
    fn short_string_end_agrees_with_bytewise(b in prop::collection::vec(byte(), 0..40)) {
        for start in 0..=b.len() + 1 {
            let expected = if cfg!(any(
                target_arch = "x86_64",
                all(target_arch = "wasm32", target_feature = "simd128")
            )) {
                short_string_end_bytewise(&b, start)
            } else {
                None // no vectors: the caller always walks the string
            };
            prop_assert_eq!(short_string_end(&b, start), expected, "start {}", start);
        }
    }

    #[test]
    fn skipper_agrees_with_bytewise(
        open in prop::sample::select(b"[{".to_vec()),
        body in prop::collection::vec(byte(), 0..400),
        depth in 0usize..4,
        max_depth in 0usize..12,
    ) {
        let mut b = vec![b' ', open];
        b.extend_from_slice(&body);
        let expected = skip_bytewise(&b, 1, depth, max_depth);
        prop_assert_eq!(skip_container(&b, 1, depth, max_depth), expected);
        // both classifiers where the CPU has both (`skip_container` takes the wider one)
        prop_assert_eq!(skip_container_with(&b, 1, depth, max_depth, false), expected);
    }

    /// Mostly well-formed containers (closing brackets added until the state machine closes),
    /// so that the blocks where the container closes, far from the start, are exercised too.
    #[test]
    fn skipper_agrees_with_bytewise_on_closed_containers(
        body in prop::collection::vec(byte(), 0..300),
        tail_len in 0usize..150,
    ) {
        let mut b = vec![b'['];
        b.extend_from_slice(&body);
        b.extend(std::iter::repeat_n(b']', tail_len));
        b.extend_from_slice(b"\"]]]]]] trailing bytes after the container");
        let expected = skip_bytewise(&b, 0, 0, 128);
        prop_assert_eq!(skip_container(&b, 0, 0, 128), expected);
        prop_assert_eq!(skip_container_with(&b, 0, 0, 128, false), expected);
    }
}
