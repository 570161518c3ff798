//! One flattened event value, and the generic test of one pattern matcher against it.
//!
//! The machine indexes the common operators (see `index.rs`); everything else — and the
//! indexed operators' own unit tests — goes through [`accepts`], which states each operator's
//! meaning once, on the same terms as the reference interpreter (eb-create-pattern-operators).

use std::cell::OnceCell;

use crate::model::{AnythingBut, Literal, MatcherKind, NumberLiteral, NumericRange};
use crate::number::Decimal;

/// A leaf value of the event, borrowed from the event bytes.
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    /// A number token as written, with its double and its comparability computed on first use
    /// (most lookups need only the double; comparability matters only on a hit).
    Num(&'a [u8], OnceCell<Option<f64>>, OnceCell<bool>),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    pub(crate) fn num(token: &[u8]) -> Scalar<'_> {
        Scalar::Num(token, OnceCell::new(), OnceCell::new())
    }

    /// The nearest double of a number token.
    #[inline]
    pub(crate) fn value(&self) -> Option<f64> {
        match self {
            Scalar::Num(token, value, _) => *value.get_or_init(|| {
                std::str::from_utf8(token)
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok())
            }),
            _ => None,
        }
    }

    /// Whether numeric comparison may use this number (`interpret::comparable`).
    #[inline]
    pub(crate) fn is_comparable(&self) -> bool {
        match self {
            Scalar::Num(token, _, comparable) => *comparable.get_or_init(|| match self.value() {
                Some(x) => token_is_comparable(token, x),
                None => false,
            }),
            _ => false,
        }
    }

    /// The value, if numeric comparison may use it (see `Decimal::is_comparable`).
    ///
    /// Why a double is exact here: a comparable number *is* the shortest decimal form of its
    /// double, so two comparable numbers are equal, or ordered, exactly as their doubles are.
    /// Bounds and `anything-but` numbers in the model are comparable (validation), so every
    /// numeric test the machine makes can use doubles.
    #[inline]
    pub(crate) fn comparable(&self) -> Option<f64> {
        self.value().filter(|_| self.is_comparable())
    }
}

/// Whether an event number token is comparable, given its double.
///
/// Fast path: a token with at most 15 significant digits, no exponent and a modest length
/// survives the trip through a double unchanged (15 digits is what a double always keeps), so
/// it is comparable without the costly round-trip check.
fn token_is_comparable(token: &[u8], value: f64) -> bool {
    let Ok(text) = std::str::from_utf8(token) else {
        return false;
    };
    let significant = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count();
    let simple = significant <= 15 && text.len() < 300 && !text.contains(['e', 'E']);
    simple || round_trips(text, value)
}

/// `Decimal::is_comparable` without allocating: the token's value equals the shortest
/// round-trip form of its double (ryu, the same shortest form Rust's formatting gives).
fn round_trips(text: &str, value: f64) -> bool {
    if !value.is_finite() {
        return false;
    }
    let mut buffer = ryu::Buffer::new();
    let shortest = buffer.format_finite(value);
    // most tokens are written in the shortest form already (serializers write it): the same
    // text is the same value, with no digit-by-digit comparison
    if shortest == text {
        return true;
    }
    match (Digits::of(text.as_bytes()), Digits::of(shortest.as_bytes())) {
        (Some(a), Some(b)) => a == b,
        // more digits than any double needs: compare exactly the slow way
        _ => Decimal::parse(text).is_some_and(|d| d.is_comparable()),
    }
}

/// A decimal number's value as `±0.d1d2…dn × 10^exponent` without leading or trailing zeros
/// (zero: no digits, no sign), for at most 40 significant digits.
#[derive(PartialEq, Eq)]
struct Digits {
    negative: bool,
    digits: [u8; 40],
    len: usize,
    exponent: i64,
}

impl Digits {
    fn of(text: &[u8]) -> Option<Digits> {
        let mut d = Digits {
            negative: false,
            digits: [0; 40],
            len: 0,
            exponent: 0,
        };
        let mut i = 0;
        if text.first() == Some(&b'-') {
            d.negative = true;
            i = 1;
        }
        let mut after_point = false;
        while let Some(&c) = text.get(i) {
            match c {
                b'0'..=b'9' => {
                    if d.len == 0 && c == b'0' {
                        if after_point {
                            d.exponent -= 1;
                        }
                    } else {
                        *d.digits.get_mut(d.len)? = c;
                        d.len += 1;
                        if !after_point {
                            d.exponent += 1;
                        }
                    }
                }
                b'.' => after_point = true,
                b'e' | b'E' => {
                    let e: i64 = std::str::from_utf8(text.get(i + 1..)?).ok()?.parse().ok()?;
                    d.exponent = d.exponent.checked_add(e)?;
                    break;
                }
                _ => return None,
            }
            i += 1;
        }
        while d.len > 0 && d.digits.get(d.len - 1) == Some(&b'0') {
            d.len -= 1;
        }
        for x in d.digits.iter_mut().skip(d.len) {
            *x = 0;
        }
        if d.len == 0 {
            d.negative = false;
            d.exponent = 0;
        }
        Some(d)
    }
}

/// A numeric range with double bounds (exact for comparable numbers, see `Scalar::comparable`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub lower: Option<(f64, bool)>,
    pub upper: Option<(f64, bool)>,
}

impl Range {
    pub(crate) fn new(range: &NumericRange) -> Range {
        Range {
            lower: range
                .lower
                .as_ref()
                .map(|b| (b.value.to_f64(), b.inclusive)),
            upper: range
                .upper
                .as_ref()
                .map(|b| (b.value.to_f64(), b.inclusive)),
        }
    }

    #[inline]
    pub(crate) fn contains(&self, x: f64) -> bool {
        let above = match self.lower {
            Some((b, true)) => x >= b,
            Some((b, false)) => x > b,
            None => true,
        };
        let below = match self.upper {
            Some((b, true)) => x <= b,
            Some((b, false)) => x < b,
            None => true,
        };
        above && below
    }
}

/// The key of a comparable number in a hash map (zero has one key: `-0` equals `0`).
#[inline]
pub(crate) fn number_key(x: f64) -> u64 {
    if x == 0.0 {
        0
    } else {
        x.to_bits()
    }
}

/// Whether one matcher accepts one event value.
pub(crate) fn accepts(kind: &MatcherKind, v: &Scalar<'_>) -> bool {
    match kind {
        MatcherKind::Exact(literal) => exact(literal, v),
        MatcherKind::Prefix { value, ignore_case } => match v {
            Scalar::Str(s) => {
                if *ignore_case {
                    fold(s).starts_with(&fold(value))
                } else {
                    s.starts_with(value.as_str())
                }
            }
            _ => false,
        },
        MatcherKind::Suffix { value, ignore_case } => match v {
            Scalar::Str(s) => {
                if *ignore_case {
                    fold(s).ends_with(&fold(value))
                } else {
                    s.ends_with(value.as_str())
                }
            }
            _ => false,
        },
        MatcherKind::EqualsIgnoreCase(value) => match v {
            Scalar::Str(s) => fold(s) == fold(value),
            _ => false,
        },
        MatcherKind::AnythingBut(but) => anything_but(but, v),
        MatcherKind::Numeric(range) => v
            .comparable()
            .is_some_and(|x| Range::new(range).contains(x)),
        MatcherKind::Exists(present) => *present,
        MatcherKind::Cidr(block) => match v {
            Scalar::Str(s) => crate::cidr::block_contains(block, s),
            _ => false,
        },
        MatcherKind::Wildcard(w) => match v {
            Scalar::Str(s) => crate::wildcard::matches(w, s),
            _ => false,
        },
    }
}

fn exact(literal: &Literal, v: &Scalar<'_>) -> bool {
    match (literal, v) {
        (Literal::String(want), Scalar::Str(s)) => {
            want == s
                || crate::cidr::ip_bytes(want)
                    .is_some_and(|ip| crate::cidr::ip_bytes(s) == Some(ip))
        }
        (Literal::Number(n), Scalar::Num(token, ..)) => {
            n.text.as_bytes() == *token || (n.comparable && number_equals(n, v))
        }
        (Literal::Bool(b), Scalar::Bool(e)) => b == e,
        (Literal::Null, Scalar::Null) => true,
        _ => false,
    }
}

/// Equal by value, both sides comparable (`interpret::exact`, `anything_but_excludes`).
fn number_equals(n: &NumberLiteral, v: &Scalar<'_>) -> bool {
    v.comparable().is_some_and(|x| x == n.value.to_f64())
}

fn anything_but(but: &AnythingBut, v: &Scalar<'_>) -> bool {
    match but {
        AnythingBut::Strings(list) => match v {
            Scalar::Str(s) => !list.iter().any(|x| x == s),
            _ => true,
        },
        AnythingBut::Numbers(list) => match v {
            Scalar::Num(..) => !list.iter().any(|n| number_equals(n, v)),
            _ => true,
        },
        AnythingBut::Prefix(list) => match v {
            Scalar::Str(s) => !list.iter().any(|p| s.starts_with(p.as_str())),
            _ => true,
        },
        AnythingBut::Suffix(list) => match v {
            Scalar::Str(s) => !list.iter().any(|p| s.ends_with(p.as_str())),
            _ => true,
        },
        AnythingBut::EqualsIgnoreCase(list) => match v {
            Scalar::Str(s) => {
                let f = fold(s);
                !list.iter().any(|x| fold(x) == f)
            }
            _ => true,
        },
        AnythingBut::Wildcard(list) => match v {
            Scalar::Str(s) => !list.iter().any(|w| crate::wildcard::matches(w, s)),
            _ => true,
        },
    }
}

/// Case folding for the `equals-ignore-case` family.
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparable_like_the_decimal_rule() {
        for t in [
            "0",
            "-0",
            "1",
            "300.0",
            "3e2",
            "-122.3633011896686",
            "37.807807921694092",
            "37.80780792169409",
            "0.1",
            "0.30000000000000004",
            "0.3000000000000000444",
            "1E-325",
            "2.0e422",
            "1.00000000000000001",
            "9007199254740993",
            "5e9",
            "1e-7",
            "123456789012345678",
            "-0.000000123456789012345678",
        ] {
            let want = Decimal::parse(t).unwrap().is_comparable();
            let got = Scalar::num(t.as_bytes()).is_comparable();
            assert_eq!(got, want, "{t}");
        }
    }
}
