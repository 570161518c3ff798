//! Deterministic identifiers for things CloudFormation would make up at deploy time
//! (subscription ids, event source mapping UUIDs): a hash of the logical id, shaped as a UUID.

/// 64-bit FNV-1a: tiny, stable across platforms and versions (std's hashers are not).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A version-4-shaped UUID from two 64-bit words.
pub fn uuid_from_words(high: u64, low: u64) -> String {
    let high = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let low = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// A stable UUID for a name.
pub fn uuid_for(name: &str) -> String {
    let high = fnv1a64(name.as_bytes());
    let low = fnv1a64(format!("{name}#eventyard").as_bytes());
    uuid_from_words(high, low)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape_is_stable() {
        let id = uuid_for("OrdersToFunction");
        assert_eq!(id.len(), 36);
        assert_eq!(id.chars().nth(14), Some('4'));
        assert_eq!(id, uuid_for("OrdersToFunction"));
    }
}
