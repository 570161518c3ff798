//! The simulator's own seeded generator: SplitMix64 (Steele, Lea and Flood 2014). Tiny, fast,
//! identical on every platform and in wasm, and never seeded from the OS. Each purpose (ids,
//! failures, jitter, SQS delivery quirks, event generators) gets its own stream split from the
//! seed, so adding a draw in one place does not change the others.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for one purpose.
    pub fn split(seed: u64, purpose: &str) -> Rng {
        let mut rng = Rng::new(seed ^ eventyard_template::ids::fnv1a64(purpose.as_bytes()));
        // Warm up so that close seeds diverge at once.
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (0 when bound is 0), by Lemire's multiply-shift.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// True with probability `percent`/100.
    pub fn chance_percent(&mut self, percent: u64) -> bool {
        percent > 0 && self.below(100) < percent
    }

    /// A version-4 UUID.
    pub fn uuid(&mut self) -> String {
        self.uuid_text().as_str().to_string()
    }

    /// [`Rng::uuid`]'s text without allocating.
    pub fn uuid_text(&mut self) -> eventyard_template::ids::UuidText {
        let high = self.next_u64();
        let low = self.next_u64();
        eventyard_template::ids::uuid_text_from_words(high, low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_purposes_differ() {
        let mut a = Rng::split(7, "ids");
        let mut b = Rng::split(7, "ids");
        let mut c = Rng::split(7, "jitter");
        let first = a.next_u64();
        assert_eq!(first, b.next_u64());
        assert_ne!(first, c.next_u64());
        assert!((0..1000).all(|_| a.below(10) < 10));
        assert_eq!(a.uuid().len(), 36);
    }
}
