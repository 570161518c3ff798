//! The validated pattern model: what a pattern means, independent of how it was written.
//!
//! Produced by [`crate::validate`] from the spanned JSON of a pattern, consumed by the
//! reference interpreter ([`crate::interpret`]), the explainer and the compiled `Machine`.
//! Invariants, established by validation and relied on by every consumer:
//! - A pattern is a [`Conjunction`]: every [`FieldCondition`] and every [`AnyOf`] (`$or`)
//!   must hold (eb-event-patterns: "keys are AND'd").
//! - Field paths are flattened and dot-joined from the root, so `{"a.b": [..]}` and
//!   `{"a": {"b": [..]}}` give the same [`FieldCondition::path`] `a.b` (dot-joining is how
//!   event-ruler names fields; an event's `{"a.b": 1}` and `{"a": {"b": 1}}` flatten the same).
//! - `$or` branches carry full paths too (the path prefix of the object holding `$or` is
//!   applied to every branch).
//! - A field's [`Matcher`]s are OR'd; there is at least one.
//! - Every literal is already checked (numbers in `numeric`/`anything-but` are comparable,
//!   CIDR blocks parsed, wildcards tokenised), so matching cannot fail.

use crate::json::Span;
use crate::number::Decimal;

/// All of these must hold: the fields and the `$or` groups of one object level (and, after
/// flattening, of all nested objects below it).
#[derive(Debug, Clone, PartialEq)]
pub struct Conjunction {
    /// Leaf conditions, in pattern order.
    pub fields: Vec<FieldCondition>,
    /// `$or` groups: one branch of each must hold.
    pub any_of: Vec<AnyOf>,
}

/// A `$or` group (eb-event-patterns-content-based-filtering, "Or matching"): at least two
/// branches, one of which must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct AnyOf {
    /// The branches.
    pub branches: Vec<Conjunction>,
    /// The `"$or"` key in the pattern text.
    pub key_span: Span,
    /// JSON path of the `$or` array, e.g. `$.detail["$or"]`.
    pub json_path: String,
    /// Dot-joined path of the object that holds the `$or` (empty at the root).
    pub prefix: String,
}

/// One field of the event and the values it may have (eb-event-patterns: "values in one
/// array are OR'd").
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCondition {
    /// Dot-joined path of the event field, e.g. `detail.state.name`.
    pub path: String,
    /// JSON path of the value array in the pattern, e.g. `$.detail.state.name`.
    pub json_path: String,
    /// Where the (last) key of this field is in the pattern text.
    pub key_span: Span,
    /// Where the value array is in the pattern text.
    pub span: Span,
    /// The alternatives; at least one.
    pub matchers: Vec<Matcher>,
}

/// One alternative of a field, with its place in the pattern text.
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    /// What it accepts.
    pub kind: MatcherKind,
    /// Where it is written (the literal, or the whole `{"op": ..}` object).
    pub span: Span,
}

/// The operators of eb-create-pattern-operators.
#[derive(Debug, Clone, PartialEq)]
pub enum MatcherKind {
    /// A bare literal: the event value must be equal (numbers by value).
    Exact(Literal),
    /// `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`: strings only.
    Prefix {
        /// The prefix.
        value: String,
        /// Case-insensitive variant.
        ignore_case: bool,
    },
    /// `{"suffix": "x"}` or `{"suffix": {"equals-ignore-case": "x"}}`: strings only.
    Suffix {
        /// The suffix.
        value: String,
        /// Case-insensitive variant.
        ignore_case: bool,
    },
    /// `{"equals-ignore-case": "x"}`: strings only.
    EqualsIgnoreCase(String),
    /// `{"anything-but": ...}`: any present value (including null) except these.
    AnythingBut(AnythingBut),
    /// `{"numeric": [...]}`: comparable numbers within the range.
    Numeric(NumericRange),
    /// `{"exists": true|false}`: a leaf value is present / no leaf value is present.
    Exists(bool),
    /// `{"cidr": "10.0.0.0/24"}`: strings that are IP addresses in the block.
    Cidr(CidrBlock),
    /// `{"wildcard": "a*b"}`: strings matching the glob.
    Wildcard(WildcardPattern),
}

/// An exact value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string. If it is an IP address, it also matches other spellings of that address
    /// (event-ruler's `CIDR.ipToRangeIfPossible`).
    String(String),
    /// A number.
    Number(NumberLiteral),
    /// `true` / `false`.
    Bool(bool),
    /// `null` (not the string "null", not a missing field: eb-event-patterns-null-values).
    Null,
}

/// A number as written and its exact value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberLiteral {
    /// The token as written (an exact match falls back to the text when the value is not
    /// comparable, like an account number with more digits than a double holds).
    pub text: String,
    /// The exact value.
    pub value: Decimal,
    /// Whether event-ruler can compare it numerically (see [`Decimal::is_comparable`]).
    pub comparable: bool,
}

/// The forms of `anything-but`.
#[derive(Debug, Clone, PartialEq)]
pub enum AnythingBut {
    /// `{"anything-but": "x"}` / `[..strings]`: anything except these strings.
    Strings(Vec<String>),
    /// `{"anything-but": 5}` / `[..numbers]`: anything except these numbers (by value).
    Numbers(Vec<NumberLiteral>),
    /// `{"anything-but": {"prefix": "x"}}`: anything except strings with these prefixes.
    Prefix(Vec<String>),
    /// `{"anything-but": {"suffix": "x"}}`: anything except strings with these suffixes.
    Suffix(Vec<String>),
    /// `{"anything-but": {"equals-ignore-case": ..}}`: anything except these, ignoring case.
    EqualsIgnoreCase(Vec<String>),
    /// `{"anything-but": {"wildcard": ..}}`: anything except strings matching these globs.
    Wildcard(Vec<WildcardPattern>),
}

/// A numeric range; `=` is a range whose bounds are equal and inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumericRange {
    /// Lower bound, if any.
    pub lower: Option<Bound>,
    /// Upper bound, if any.
    pub upper: Option<Bound>,
}

/// One end of a numeric range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The bound.
    pub value: Decimal,
    /// Whether the bound itself is in the range (`>=`, `<=`, `=`).
    pub inclusive: bool,
    /// The number as written.
    pub text: String,
}

/// An IPv4 or IPv6 block: every address whose network bits equal those written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrBlock {
    /// First address of the range (4 or 16 bytes).
    pub first: Vec<u8>,
    /// Last address of the range (same length).
    pub last: Vec<u8>,
    /// The block as written.
    pub text: String,
}

/// A wildcard glob: literal pieces separated by `*` (escapes `\*` and `\\` resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WildcardPattern {
    /// The pattern as written.
    pub text: String,
    /// The literal pieces: `a*b*` is `["a", "b", ""]`; there is one more piece than stars.
    pub pieces: Vec<String>,
}

impl Conjunction {
    /// Visits every field condition, including those inside `$or` branches.
    pub fn for_each_field<'a>(&'a self, f: &mut dyn FnMut(&'a FieldCondition)) {
        for field in &self.fields {
            f(field);
        }
        for group in &self.any_of {
            for branch in &group.branches {
                branch.for_each_field(f);
            }
        }
    }
}
