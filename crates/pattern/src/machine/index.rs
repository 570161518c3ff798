//! The value index of one field: given one event value, which atoms (field × matcher pairs,
//! shared by every rule that uses them) accept it.
//!
//! Why an index and not a loop over rules: the cost of a lookup follows the distinct *kinds*
//! of test on the field (one hash probe for all exact strings, one per distinct prefix length),
//! not the number of rules. Operators that do not index well (anything-but, wildcard, cidr,
//! numeric ranges, exact IP addresses) are tested one by one with `leaf::accepts`, which is
//! always right; AWS caps wildcard rules per bus, and numeric/anything-but sets are small in
//! practice.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::leaf::{self, Range, Scalar};
use crate::model::{AnythingBut, Literal, MatcherKind};
use crate::number::Decimal;

/// Values up to this many bytes, when ASCII, are case-folded in a stack buffer (for ASCII,
/// `str::to_lowercase` is exactly `u8::to_ascii_lowercase` per byte).
const FOLD_ON_STACK: usize = 64;

/// At most this many distinct exact numbers on one field are listed for the magnitude
/// prefilter (`ValueIndex::may_equal_listed`); more, and every event number is parsed.
const MAGNITUDES: usize = 16;

/// An atom: one matcher on one field, shared by all conditions that contain it.
pub(crate) type AtomId = u32;

/// Strings keyed by a fixed-length piece (whole value, prefix or suffix).
#[derive(Debug, Default, Clone)]
struct PieceMap {
    map: FxHashMap<Box<[u8]>, Vec<AtomId>>,
    /// Distinct key lengths, ascending: one probe per length.
    lengths: Vec<usize>,
}

impl PieceMap {
    fn insert(&mut self, key: &[u8], atom: AtomId) {
        self.map.entry(key.into()).or_default().push(atom);
        if let Err(at) = self.lengths.binary_search(&key.len()) {
            self.lengths.insert(at, key.len());
        }
    }

    #[inline]
    fn prefixes(&self, s: &[u8], out: &mut Vec<AtomId>) {
        for &n in &self.lengths {
            let Some(key) = s.get(..n) else { break };
            if let Some(atoms) = self.map.get(key) {
                out.extend_from_slice(atoms);
            }
        }
    }

    #[inline]
    fn suffixes(&self, s: &[u8], out: &mut Vec<AtomId>) {
        for &n in &self.lengths {
            let Some(start) = s.len().checked_sub(n) else {
                break;
            };
            if let Some(atoms) = s.get(start..).and_then(|key| self.map.get(key)) {
                out.extend_from_slice(atoms);
            }
        }
    }

    #[inline]
    fn exact(&self, s: &[u8], out: &mut Vec<AtomId>) {
        if let Some(atoms) = self.map.get(s) {
            out.extend_from_slice(atoms);
        }
    }

    fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// All the tests on one field.
#[derive(Debug, Default, Clone)]
pub(crate) struct ValueIndex {
    exact: PieceMap,
    prefix: PieceMap,
    suffix: PieceMap,
    /// equals-ignore-case family, keyed by the folded text
    folded_exact: PieceMap,
    folded_prefix: PieceMap,
    folded_suffix: PieceMap,
    /// exact comparable numbers by `leaf::number_key`
    numbers: FxHashMap<u64, Vec<AtomId>>,
    /// the magnitudes of the doubles in `numbers` (at most `MAGNITUDES`; empty with
    /// `numbers` non-empty means too many to list): a plain event number whose integer part
    /// puts it far from all of them is not parsed for the exact lookup (`may_equal_listed`)
    magnitudes: Vec<f64>,
    numeric: Vec<(Range, AtomId)>,
    /// `numeric` sorted for lookup, built on first use after the last insert
    numeric_index: OnceLock<NumericIndex>,
    /// `anything-but` with a list of numbers: every value but these (comparable) numbers
    numbers_but: Vec<(Box<[f64]>, AtomId)>,
    trues: Vec<AtomId>,
    falses: Vec<AtomId>,
    nulls: Vec<AtomId>,
    /// `exists: true`: any leaf value
    any: Vec<AtomId>,
    /// `anything-but` with a list of strings: every string but these, and every non-string
    strings_but: Vec<(Box<[Box<str>]>, AtomId)>,
    /// tested one by one
    others: Vec<(MatcherKind, AtomId)>,
}

impl ValueIndex {
    /// Adds a matcher (never `exists: false`, which the compiler keeps out of the machine).
    pub(crate) fn insert(&mut self, kind: &MatcherKind, atom: AtomId) {
        match kind {
            MatcherKind::Exact(Literal::String(s)) if crate::cidr::ip_bytes(s).is_none() => {
                self.exact.insert(s.as_bytes(), atom)
            }
            MatcherKind::Exact(Literal::Bool(true)) => self.trues.push(atom),
            MatcherKind::Exact(Literal::Bool(false)) => self.falses.push(atom),
            MatcherKind::Exact(Literal::Null) => self.nulls.push(atom),
            MatcherKind::Prefix {
                value,
                ignore_case: false,
            } => self.prefix.insert(value.as_bytes(), atom),
            MatcherKind::Suffix {
                value,
                ignore_case: false,
            } => self.suffix.insert(value.as_bytes(), atom),
            MatcherKind::Prefix {
                value,
                ignore_case: true,
            } => self
                .folded_prefix
                .insert(leaf::fold(value).as_bytes(), atom),
            MatcherKind::Suffix {
                value,
                ignore_case: true,
            } => self
                .folded_suffix
                .insert(leaf::fold(value).as_bytes(), atom),
            MatcherKind::EqualsIgnoreCase(value) => {
                self.folded_exact.insert(leaf::fold(value).as_bytes(), atom)
            }
            MatcherKind::Exists(true) => self.any.push(atom),
            MatcherKind::Numeric(range) => {
                self.numeric.push((Range::new(range), atom));
                self.numeric_index = OnceLock::new();
            }
            MatcherKind::AnythingBut(AnythingBut::Numbers(list)) => self
                .numbers_but
                .push((list.iter().map(|n| n.value.to_f64()).collect(), atom)),
            MatcherKind::AnythingBut(AnythingBut::Strings(list)) => self
                .strings_but
                .push((list.iter().map(|s| s.as_str().into()).collect(), atom)),
            other => self.others.push((other.clone(), atom)),
        }
    }

    /// Adds an exact number literal whose event-side value is `value` (see the compiler).
    pub(crate) fn insert_number(&mut self, value: &Decimal, atom: AtomId) {
        let x = value.to_f64();
        let listed = !self.numbers.is_empty();
        self.numbers
            .entry(leaf::number_key(x))
            .or_default()
            .push(atom);
        // the magnitudes prefilter only while every listed number is in it
        let m = x.abs();
        if listed && self.magnitudes.is_empty() {
            return; // already too many
        }
        if !m.is_finite() || self.magnitudes.len() >= MAGNITUDES {
            self.magnitudes.clear();
        } else if !self.magnitudes.contains(&m) {
            self.magnitudes.push(m);
        }
    }

    /// Whether the number token (valid JSON, as the scanner checked) may equal one of the
    /// listed exact numbers, without parsing it: a token without exponent and with at most 15
    /// integer digits I lies in [I, I + 1] in magnitude once rounded to a double (I is exactly
    /// representable and rounding is monotonic), so it cannot equal a listed double whose
    /// magnitude is outside. Anything else (an exponent, a long integer part, too many listed
    /// numbers) says "maybe", and the exact lookup decides.
    #[inline]
    fn may_equal_listed(&self, token: &[u8]) -> bool {
        if self.magnitudes.is_empty() {
            return true;
        }
        let digits = token.strip_prefix(b"-").unwrap_or(token);
        let mut int: u64 = 0;
        let mut n = 0;
        let mut fraction = false;
        for &c in digits {
            match c {
                b'0'..=b'9' if !fraction => {
                    n += 1;
                    if n > 15 {
                        return true;
                    }
                    int = int * 10 + u64::from(c - b'0');
                }
                b'0'..=b'9' => {}
                b'.' => fraction = true,
                _ => return true, // an exponent
            }
        }
        let low = int as f64;
        self.magnitudes.iter().any(|&m| low <= m && m <= low + 1.0)
    }

    fn has_folded(&self) -> bool {
        !(self.folded_exact.is_empty()
            && self.folded_prefix.is_empty()
            && self.folded_suffix.is_empty())
    }

    /// Appends to `out` every atom that accepts `v` (an atom may appear twice).
    #[inline]
    pub(crate) fn lookup(&self, v: &Scalar<'_>, out: &mut Vec<AtomId>) {
        match v {
            Scalar::Str(s) => {
                let b = s.as_bytes();
                self.exact.exact(b, out);
                self.prefix.prefixes(b, out);
                self.suffix.suffixes(b, out);
                if self.has_folded() {
                    // short ASCII values (most of them) fold on the stack: no allocation
                    let mut buf = [0u8; FOLD_ON_STACK];
                    let owned;
                    let fb: &[u8] = match buf.get_mut(..b.len()) {
                        Some(dst) if b.is_ascii() => {
                            for (d, c) in dst.iter_mut().zip(b) {
                                *d = c.to_ascii_lowercase();
                            }
                            dst
                        }
                        _ => {
                            owned = leaf::fold(s);
                            owned.as_bytes()
                        }
                    };
                    self.folded_exact.exact(fb, out);
                    self.folded_prefix.prefixes(fb, out);
                    self.folded_suffix.suffixes(fb, out);
                }
                for (list, atom) in &self.strings_but {
                    if !list.iter().any(|x| x.as_ref() == *s) {
                        out.push(*atom);
                    }
                }
                out.extend(self.numbers_but.iter().map(|(_, a)| *a));
            }
            Scalar::Num(token, ..) => {
                let exact = !self.numbers.is_empty() && self.may_equal_listed(token);
                // parsing (costly for long tokens) only when some test needs the double, and
                // comparability (costlier) only on a hit
                let needed = exact || !self.numeric.is_empty() || !self.numbers_but.is_empty();
                let value = if needed { v.value() } else { None };
                match value {
                    Some(x) => {
                        if exact {
                            if let Some(atoms) = self.numbers.get(&leaf::number_key(x)) {
                                if v.is_comparable() {
                                    out.extend_from_slice(atoms);
                                }
                            }
                        }
                        if !self.numeric.is_empty() {
                            let index = self
                                .numeric_index
                                .get_or_init(|| NumericIndex::new(&self.numeric));
                            let before = out.len();
                            index.lookup(x, out);
                            if out.len() > before && !v.is_comparable() {
                                out.truncate(before);
                            }
                        }
                        for (list, atom) in &self.numbers_but {
                            // excluded only when comparable and listed
                            if !(list.contains(&x) && v.is_comparable()) {
                                out.push(*atom);
                            }
                        }
                    }
                    // not needed (and then there is no anything-but number either) or no double
                    _ => out.extend(self.numbers_but.iter().map(|(_, a)| *a)),
                }
                out.extend(self.strings_but.iter().map(|(_, a)| *a));
            }
            Scalar::Bool(true) => {
                out.extend_from_slice(&self.trues);
                out.extend(self.numbers_but.iter().map(|(_, a)| *a));
                out.extend(self.strings_but.iter().map(|(_, a)| *a));
            }
            Scalar::Bool(false) => {
                out.extend_from_slice(&self.falses);
                out.extend(self.numbers_but.iter().map(|(_, a)| *a));
                out.extend(self.strings_but.iter().map(|(_, a)| *a));
            }
            Scalar::Null => {
                out.extend_from_slice(&self.nulls);
                out.extend(self.numbers_but.iter().map(|(_, a)| *a));
                out.extend(self.strings_but.iter().map(|(_, a)| *a));
            }
        }
        out.extend_from_slice(&self.any);
        for (kind, atom) in &self.others {
            if leaf::accepts(kind, v) {
                out.push(*atom);
            }
        }
    }
}

/// Numeric ranges arranged so a lookup costs about log(n) plus the ranges that hold the value:
/// one-sided ranges sorted by their bound (every candidate on one side of a binary search
/// holds or sits on the bound), two-sided ones sorted by their lower bound, searched from
/// `x - widest` to `x`.
#[derive(Debug, Clone, Default)]
struct NumericIndex {
    /// `>`/`>=` only, by bound
    above: Vec<(f64, Range, AtomId)>,
    /// `<`/`<=` only, by bound
    below: Vec<(f64, Range, AtomId)>,
    /// both bounds, by lower bound
    between: Vec<(f64, Range, AtomId)>,
    widest: f64,
}

impl NumericIndex {
    fn new(ranges: &[(Range, AtomId)]) -> NumericIndex {
        let mut index = NumericIndex::default();
        for &(range, atom) in ranges {
            match (range.lower, range.upper) {
                (Some((lo, _)), Some((hi, _))) => {
                    index.widest = index.widest.max(hi - lo);
                    index.between.push((lo, range, atom));
                }
                (Some((lo, _)), None) => index.above.push((lo, range, atom)),
                (None, Some((hi, _))) => index.below.push((hi, range, atom)),
                // validation never lets a range without bounds through; keep it correct anyway
                (None, None) => index.above.push((f64::NEG_INFINITY, range, atom)),
            }
        }
        for list in [&mut index.above, &mut index.below, &mut index.between] {
            list.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        index
    }

    #[inline]
    fn lookup(&self, x: f64, out: &mut Vec<AtomId>) {
        let end = self.above.partition_point(|r| r.0 <= x);
        for (_, range, atom) in self.above.get(..end).unwrap_or(&[]) {
            if range.contains(x) {
                out.push(*atom);
            }
        }
        let start = self.below.partition_point(|r| r.0 < x);
        for (_, range, atom) in self.below.get(start..).unwrap_or(&[]) {
            if range.contains(x) {
                out.push(*atom);
            }
        }
        // a containing range has lo >= x - (hi - lo); the margin covers the rounding of both
        // subtractions (candidates are checked exactly below)
        let reach = self.widest + (x.abs() + self.widest) * 1e-9;
        let from = self.between.partition_point(|r| r.0 < x - reach);
        let to = self.between.partition_point(|r| r.0 <= x);
        for (_, range, atom) in self.between.get(from..to).unwrap_or(&[]) {
            if range.contains(x) {
                out.push(*atom);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(listed: &[&str]) -> ValueIndex {
        let mut index = ValueIndex::default();
        for (atom, text) in listed.iter().enumerate() {
            let value = Decimal::parse(text).expect("number");
            index.insert_number(&value, atom as AtomId);
        }
        index
    }

    #[test]
    fn magnitude_prefilter_never_hides_an_equal_number() {
        let i = index(&["37.807807921694092", "-5", "0", "1e3"]);
        // may equal: same integer part, rounding up to the next integer, exponents, signs
        for token in [
            "37.8078079216940920",
            "37.80780792169409",
            "-37.8",
            "4.99999999999999999999",
            "-5.0",
            "0.0",
            "-0",
            "999.9999999999999999",
            "1E3",
            "1000.0",
            "1234567890123456.0",
        ] {
            assert!(i.may_equal_listed(token.as_bytes()), "{token}");
        }
        // cannot: every listed magnitude is outside [I, I + 1]
        for token in ["-122.3633011896686", "36.5", "2", "100"] {
            assert!(!i.may_equal_listed(token.as_bytes()), "{token}");
        }
        // too many listed numbers: no prefilter
        let many: Vec<String> = (0..40).map(|n| n.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(index(&refs).may_equal_listed(b"-122.5"));
    }
}
