//! Numbers by value, exactly.
//!
//! EventBridge compares numbers by value (`300.0` matches `[300]`, real AWS behaviour recorded
//! in LocalStack's `number_comparison_float`; eb-create-pattern-operators "Numeric matching").
//! A [`Decimal`] is the exact value of a JSON number token, so comparisons never round.
//! Event-ruler (`ComparableNumber.generate`) only compares numbers that survive a trip
//! through a double: `BigDecimal.valueOf(double)` must equal the literal, else "Cannot compare
//! number". [`Decimal::is_comparable`] reproduces that rule with Rust's shortest round-trip
//! formatting, which is what `Double.toString` aims at.

use std::cmp::Ordering;

/// The exact value of a JSON number: `±0.d1d2d3… × 10^exponent`, digits without leading or
/// trailing zeros; zero has no digits and is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    /// Parses a JSON number token (also accepts a leading `+`, as SNS attribute values may).
    /// Returns `None` for anything that is not a number.
    pub fn parse(text: &str) -> Option<Decimal> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        match bytes.first() {
            Some(b'-') => {
                negative = true;
                i = 1;
            }
            Some(b'+') => i = 1,
            _ => {}
        }
        let mut digits: Vec<u8> = Vec::new();
        let mut exponent: i64 = 0;
        let mut seen_digit = false;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_digit() {
                seen_digit = true;
                if !(digits.is_empty() && b == b'0') {
                    digits.push(b - b'0');
                    exponent = exponent.checked_add(1)?;
                }
                i += 1;
            } else {
                break;
            }
        }
        if !seen_digit {
            return None;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let mut frac_digit = false;
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_digit() {
                    frac_digit = true;
                    if digits.is_empty() && b == b'0' {
                        exponent = exponent.checked_sub(1)?;
                    } else {
                        digits.push(b - b'0');
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            if !frac_digit {
                return None;
            }
            seen_digit = true;
        }
        if !seen_digit {
            return None;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            let mut exp_negative = false;
            match bytes.get(i) {
                Some(b'-') => {
                    exp_negative = true;
                    i += 1;
                }
                Some(b'+') => i += 1,
                _ => {}
            }
            let start = i;
            let mut e: i64 = 0;
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_digit() {
                    // Saturate: an exponent beyond ±10^15 is beyond any comparison anyway.
                    e = e.saturating_mul(10).saturating_add(i64::from(b - b'0'));
                    e = e.min(1_000_000_000_000_000);
                    i += 1;
                } else {
                    break;
                }
            }
            if i == start {
                return None;
            }
            exponent = if exp_negative {
                exponent.checked_sub(e)?
            } else {
                exponent.checked_add(e)?
            };
        }
        if i != bytes.len() {
            return None;
        }
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Some(Decimal::zero());
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }

    /// Zero.
    pub fn zero() -> Decimal {
        Decimal {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
        }
    }

    /// The nearest double.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse::<f64>().unwrap_or(f64::NAN)
    }

    /// Event-ruler's rule for numbers that take part in numeric comparison
    /// (`ComparableNumber`): the literal must be a finite double whose shortest decimal form
    /// is the same value. `1E-325` (underflows) and `2.0e422` (overflows) are not; neither
    /// is a literal with more precision than a double holds.
    pub fn is_comparable(&self) -> bool {
        let double = self.to_f64();
        if !double.is_finite() {
            return false;
        }
        Decimal::from_f64(double).is_some_and(|d| d == *self)
    }

    /// The exact decimal of Rust's shortest round-trip form of a finite double.
    pub fn from_f64(value: f64) -> Option<Decimal> {
        if !value.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{value:e}"))
    }

    /// Whether the value is an integer (no fractional part).
    pub fn is_integer(&self) -> bool {
        self.digits.is_empty() || i64::try_from(self.digits.len()).is_ok_and(|n| n <= self.exponent)
    }
}

impl std::fmt::Display for Decimal {
    /// Scientific form `-0.123e4`, exact.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("0.")?;
        for d in &self.digits {
            write!(f, "{d}")?;
        }
        write!(f, "e{}", self.exponent)
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal| -> i8 {
            if d.digits.is_empty() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b {
            return a.cmp(&b);
        }
        if a == 0 {
            return Ordering::Equal;
        }
        let magnitude = self
            .exponent
            .cmp(&other.exponent)
            .then_with(|| self.digits.cmp(&other.digits));
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn equal_by_value() {
        assert_eq!(d("300"), d("300.0"));
        assert_eq!(d("3.018e2"), d("301.8"));
        assert_eq!(d("-0"), d("0"));
        assert_eq!(d("0.0e10"), d("0"));
        assert_eq!(d("1E3"), d("1000"));
    }

    #[test]
    fn ordering() {
        assert!(d("-5") < d("-4.9"));
        assert!(d("0.001") < d("0.01"));
        assert!(d("99.12") < d("100"));
        assert!(d("-1e9") < d("0"));
        assert!(d("1e-9") > d("0"));
    }

    #[test]
    fn comparable_like_event_ruler() {
        assert!(d("0.1").is_comparable());
        assert!(d("5e9").is_comparable());
        assert!(!d("1E-325").is_comparable());
        assert!(!d("2.0e422").is_comparable());
        assert!(!d("1.00000000000000001").is_comparable());
    }

    #[test]
    fn rejects_non_numbers() {
        for s in ["", "-", "1.", ".5", "1e", "abc", "1x", "0x10"] {
            assert!(Decimal::parse(s).is_none(), "{s}");
        }
    }
}
