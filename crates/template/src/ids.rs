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
    uuid_text_from_words(high, low).as_str().to_string()
}

/// [`uuid_from_words`]'s text in a fixed buffer, for a caller that keeps it in another string
/// type (the simulator's ids are `Arc<str>`), without an intermediate `String`.
pub fn uuid_text_from_words(high: u64, low: u64) -> UuidText {
    let high = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let low = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    // Written nibble by nibble into a byte array: the simulator makes one per message, and
    // `format!` with five padded hex arguments was 6 % of a simulated run (pushing chars onto
    // a `String` still half of this). Same text as "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}"
    // (tested).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (i, word) in [high, low].into_iter().enumerate() {
        for k in 0..16 {
            // dashes before hex digits 8, 12, 16 and 20 of the 32
            if matches!(16 * i + k, 8 | 12 | 16 | 20) {
                at += 1;
            }
            let nibble = (word >> (60 - 4 * k)) & 0xf;
            if let (Some(slot), Some(&digit)) = (out.get_mut(at), HEX.get(nibble as usize)) {
                *slot = digit;
            }
            at += 1;
        }
    }
    UuidText(out)
}

/// A UUID's 36 ASCII characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UuidText([u8; 36]);

impl UuidText {
    pub fn as_str(&self) -> &str {
        // only ASCII hex digits and dashes are ever written
        std::str::from_utf8(&self.0).unwrap_or("00000000-0000-4000-8000-000000000000")
    }
}

impl std::fmt::Display for UuidText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable UUID for a name.
pub fn uuid_for(name: &str) -> String {
    let high = fnv1a64(name.as_bytes());
    let low = fnv1a64(format!("{name}#eventyard").as_bytes());
    uuid_from_words(high, low)
}

/// `len` characters from `alphabet`, stable for a name: Cognito's made-up ids (the pool id's
/// suffix, the 26-character app client id).
pub fn chars_for(name: &str, len: usize, alphabet: &[u8]) -> String {
    let mut out = String::with_capacity(len);
    let mut state = fnv1a64(name.as_bytes());
    for i in 0..len {
        if i % 8 == 0 {
            state = fnv1a64(format!("{name}#{i}#{state}").as_bytes());
        }
        let index = (state % alphabet.len().max(1) as u64) as usize;
        out.push(char::from(*alphabet.get(index).unwrap_or(&b'0')));
        state /= alphabet.len().max(1) as u64;
        state = state
            .wrapping_mul(0x0000_0100_0000_01b3)
            .wrapping_add(i as u64);
    }
    out
}

/// A user pool id as Cognito makes them: `<region>_` and nine letters and digits.
pub fn user_pool_id(region: &str, logical_id: &str) -> String {
    let suffix = chars_for(
        logical_id,
        9,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    );
    format!("{region}_{suffix}")
}

/// An app client id as Cognito makes them: 26 lower-case letters and digits.
pub fn user_pool_client_id(logical_id: &str) -> String {
    chars_for(logical_id, 26, b"abcdefghijklmnopqrstuvwxyz0123456789")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_text_is_the_formatted_one() {
        let mut x: u64 = 0x0123_4567_89ab_cdef;
        for _ in 0..1000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (high, low) = (x, x.rotate_left(29) ^ 0xdead_beef);
            for (high, low) in [(high, low), (0, 0), (u64::MAX, u64::MAX)] {
                let h = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
                let l = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
                let formatted = format!(
                    "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    h >> 32,
                    (h >> 16) & 0xffff,
                    h & 0xffff,
                    l >> 48,
                    l & 0xffff_ffff_ffff
                );
                assert_eq!(uuid_from_words(high, low), formatted);
                assert_eq!(uuid_text_from_words(high, low).as_str(), formatted);
            }
        }
    }

    #[test]
    fn cognito_ids_have_cognito_shapes() {
        let pool = user_pool_id("us-east-1", "UserPool");
        assert!(pool.starts_with("us-east-1_"));
        assert_eq!(pool.len(), "us-east-1_".len() + 9);
        let client = user_pool_client_id("WebClient");
        assert_eq!(client.len(), 26);
        assert!(client
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_ne!(client, user_pool_client_id("OtherClient"));
    }

    #[test]
    fn uuid_shape_is_stable() {
        let id = uuid_for("OrdersToFunction");
        assert_eq!(id.len(), 36);
        assert_eq!(id.chars().nth(14), Some('4'));
        assert_eq!(id, uuid_for("OrdersToFunction"));
    }
}
