//! IP addresses and CIDR blocks (eb-create-pattern-operators, "IP address matching").
//!
//! Follows event-ruler's `CIDR.java` in what it accepts: IPv4 masks must be below 32 and
//! IPv6 masks below 128, and a string that is not an IP address simply does not match. The
//! block is the whole network, host bits of the written address ignored
//! (`220.160.153.171/31` contains `220.160.153.170`: event-ruler's
//! `testIPAddressOfCIDRIsEqualToMaximumOfRange`). Addresses are parsed with `std::net`, which (like event-ruler's regular
//! expressions) rejects host names, so nothing here ever resolves a name.

use std::net::IpAddr;

use crate::model::CidrBlock;

/// The bytes of an IPv4 (4) or IPv6 (16) address literal, if `text` is one.
pub fn ip_bytes(text: &str) -> Option<Vec<u8>> {
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.octets().to_vec()),
        IpAddr::V6(v6) => Some(v6.octets().to_vec()),
    }
}

/// Parses a `{"cidr": ...}` operand, with event-ruler's reason texts.
pub fn parse_block(text: &str) -> Result<CidrBlock, String> {
    let parts: Vec<&str> = text.split('/').collect();
    let [address, mask] = parts.as_slice() else {
        return Err("Malformed CIDR, one '/' required".to_string());
    };
    let mask_bits: i64 = mask
        .parse::<i32>()
        .map(i64::from)
        .map_err(|_| "Malformed CIDR, mask bits must be an integer".to_string())?;
    if mask_bits < 0 {
        return Err("Malformed CIDR, mask bits must not be negative".to_string());
    }
    let first = ip_bytes(address).ok_or_else(|| format!("Nonstandard IP address: {address}"))?;
    let total_bits: i64 = if first.len() == 4 { 32 } else { 128 };
    if mask_bits >= total_bits {
        return Err(if first.len() == 4 {
            "IPv4 mask bits must be < 32".to_string()
        } else {
            "IPv6 mask bits must be < 128".to_string()
        });
    }
    let mut first = first;
    let mut last = first.clone();
    let mut host_bits = total_bits - mask_bits;
    for (low, high) in first.iter_mut().zip(last.iter_mut()).rev() {
        if host_bits >= 8 {
            *low = 0;
            *high = 0xff;
        } else if host_bits > 0 {
            let host_mask = (1u8 << host_bits) - 1;
            *low &= !host_mask;
            *high |= host_mask;
        }
        host_bits -= 8;
    }
    Ok(CidrBlock {
        first,
        last,
        text: text.to_string(),
    })
}

/// Whether the event string is an IP address inside the block.
pub fn block_contains(block: &CidrBlock, event_text: &str) -> bool {
    match ip_bytes(event_text) {
        Some(ip) => {
            ip.len() == block.first.len()
                && ip.as_slice() >= block.first.as_slice()
                && ip.as_slice() <= block.last.as_slice()
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // eb-create-pattern-operators, "IP address matching".
    #[test]
    fn ipv4_block() {
        let b = parse_block("10.0.0.7/24").unwrap();
        assert!(block_contains(&b, "10.0.0.255"));
        assert!(block_contains(&b, "10.0.0.0"));
        assert!(!block_contains(&b, "10.0.1.0"));
        assert!(!block_contains(&b, "10.0.0.256"));
        assert!(!block_contains(&b, "not an ip"));
    }

    #[test]
    fn ipv6_block() {
        let b = parse_block("2001:db8:1234:1a00::/64").unwrap();
        assert!(block_contains(&b, "2001:db8:1234:1a00::1"));
        assert!(block_contains(
            &b,
            "2001:0db8:1234:1a00:ffff:ffff:ffff:ffff"
        ));
        assert!(!block_contains(&b, "2001:db8:1234:1a01::"));
        assert!(!block_contains(&b, "10.0.0.1"));
    }

    #[test]
    fn reasons() {
        assert_eq!(
            parse_block("10.0.0.0").unwrap_err(),
            "Malformed CIDR, one '/' required"
        );
        assert_eq!(
            parse_block("10.0.0.0/x").unwrap_err(),
            "Malformed CIDR, mask bits must be an integer"
        );
        assert_eq!(
            parse_block("xxxx:db8:1234:1a00::/64").unwrap_err(),
            "Nonstandard IP address: xxxx:db8:1234:1a00::"
        );
        assert_eq!(
            parse_block("10.0.0.0/32").unwrap_err(),
            "IPv4 mask bits must be < 32"
        );
    }
}
