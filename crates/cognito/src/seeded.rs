//! Everything Cognito would make up at random (codes, `sub`s, `jti`s, salts), made from a seed
//! and a counter instead, so a run replays exactly and the engine never reads OS randomness.
//! The counter is part of the persisted store, so a reload does not hand out the same codes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Seeds {
    pub seed: u64,
    pub counter: u64,
}

impl Seeds {
    pub fn new(seed: u64) -> Seeds {
        Seeds { seed, counter: 0 }
    }

    /// 32 fresh bytes for `label`.
    pub fn bytes(&mut self, label: &str) -> [u8; 32] {
        self.counter = self.counter.wrapping_add(1);
        let mut hasher = Sha256::new();
        hasher.update(self.seed.to_le_bytes());
        hasher.update(self.counter.to_le_bytes());
        hasher.update(label.as_bytes());
        hasher.finalize().into()
    }

    /// A six-digit code, as Cognito's emails carry.
    pub fn code(&mut self, label: &str) -> String {
        let bytes = self.bytes(label);
        let value = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) % 1_000_000;
        format!("{value:06}")
    }

    /// A version-4-shaped UUID (`sub`, `jti`, `event_id`, authorization codes).
    pub fn uuid(&mut self, label: &str) -> String {
        let b = self.bytes(label);
        format!(
            "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-4{:01x}{:02x}-{:01x}{:01x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5], b[6] & 0x0f, b[7],
            8 | (b[8] & 0x3), b[9] & 0x0f, b[10], b[11], b[12], b[13], b[14], b[15], b[16]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values_and_the_counter_moves_on() {
        let mut a = Seeds::new(7);
        let mut b = Seeds::new(7);
        assert_eq!(a.code("signup"), b.code("signup"));
        let first = a.code("signup");
        assert_ne!(first, a.code("signup"));
        let uuid = a.uuid("sub");
        assert_eq!(uuid.len(), 36);
        assert_eq!(uuid.chars().nth(14), Some('4'));
        assert_eq!(a.code("x").len(), 6);
    }
}
