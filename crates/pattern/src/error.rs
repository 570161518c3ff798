//! Errors are values: a kind, AWS's reason text and a location (line, column, byte span,
//! JSON path) in the pattern text, so the UI can underline the place AWS complains about.

use std::fmt;

use crate::json::Span;

/// Which service's wording to use in [`PatternError`]'s `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// EventBridge: `Event pattern is not valid. Reason: ...`.
    EventBridge,
    /// SNS `Subscribe`: `Invalid parameter: Attributes Reason: FilterPolicy: ...`.
    SnsSubscribe,
    /// SNS `SetSubscriptionAttributes`: `Invalid parameter: FilterPolicy: ...`.
    SnsSetSubscriptionAttributes,
}

/// The kinds of mistakes, one per family of AWS reason texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON (Jackson's message).
    MalformedJson,
    /// Arrays and objects nested deeper than [`crate::json::MAX_NESTING_DEPTH`].
    TooDeep,
    /// Longer than the character limit of the API (eb-quota, API_TestEventPattern).
    TooLong,
    /// The pattern is not a JSON object: "Filter is not an object".
    NotAnObject,
    /// A field's value is neither an object nor an array.
    NotObjectOrArray,
    /// `[]`: "Empty arrays are not allowed".
    EmptyArray,
    /// `{}`: "Empty objects are not allowed".
    EmptyObject,
    /// A malformed `$or`.
    BadOr,
    /// An array or object where a match value belongs.
    BadMatchValue,
    /// An unknown operator name (case-sensitive): "Unrecognized match type X".
    UnrecognizedMatchType,
    /// A second key in `{"op": ..}`.
    OnlyOneKey,
    /// The value of an operator has the wrong type or form.
    BadOperand,
    /// A `numeric` expression is malformed.
    BadNumeric,
    /// A number cannot be compared ("Cannot compare number : x").
    NumberNotComparable,
    /// A malformed CIDR block or IP address.
    BadCidr,
    /// A malformed wildcard ("Consecutive wildcard characters at pos N", ...).
    BadWildcard,
    /// Too many wildcard paths: "Rule is too complex - ...".
    TooComplex,
    /// An operator SNS does not support in filter policies.
    UnsupportedBySns,
    /// An SNS policy limit (5 keys, 150 combinations, nesting in MessageAttributes scope).
    SnsLimit,
}

/// Where an error is: the byte span and 1-based line and column of its start, and the JSON
/// path of the value (e.g. `$.detail.flavor[0].prefix`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The span in the pattern text.
    pub span: Span,
    /// JSON path of the offending value; `$` for the whole document.
    pub json_path: String,
}

/// A rejected pattern or filter policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    kind: ErrorKind,
    reason: String,
    location: Location,
    dialect: Dialect,
    /// Byte offset of the token at which a streaming reader (Jackson, as AWS uses) would
    /// notice the mistake: the offending token for most, the closing bracket for those
    /// that need the whole container (`[]`, a `$or` with one branch, numeric bounds).
    decided_at: usize,
    /// What SNS prints after the reason: Jackson's location, `\n at [Source: ...; line: L,
    /// column: C]`, for the mistakes event-ruler reports while it reads the policy (empty for
    /// the checks SNS makes afterwards: keys, combinations, CIDR blocks).
    sns_location: String,
}

impl PatternError {
    pub(crate) fn new(
        kind: ErrorKind,
        reason: impl Into<String>,
        span: Span,
        json_path: &str,
    ) -> Self {
        PatternError {
            kind,
            reason: reason.into(),
            location: Location {
                span,
                json_path: json_path.to_string(),
            },
            dialect: Dialect::EventBridge,
            decided_at: span.start,
            sns_location: String::new(),
        }
    }

    /// Sets the location suffix SNS prints after the reason.
    pub(crate) fn with_sns_location(mut self, suffix: String) -> Self {
        self.sns_location = suffix;
        self
    }

    /// Marks the mistake as noticed only at the end of `container`.
    pub(crate) fn decided_at_close(mut self, container: Span) -> Self {
        self.decided_at = container.end.saturating_sub(1);
        self
    }

    pub(crate) fn decided_at(&self) -> usize {
        self.decided_at
    }

    /// Keeps the span inside a text of `len` bytes (spans of containers a syntax error cut
    /// short end at [`crate::json::INCOMPLETE_END`]).
    pub(crate) fn clamp_span(mut self, len: usize) -> Self {
        self.location.span.end = self.location.span.end.min(len);
        self.location.span.start = self.location.span.start.min(self.location.span.end);
        self
    }

    pub(crate) fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// The kind of mistake.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// AWS's reason text alone, e.g. `Empty arrays are not allowed`.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Where the mistake is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// 1-based line of the mistake.
    pub fn line(&self) -> u32 {
        self.location.span.line
    }

    /// 1-based column (in characters) of the mistake.
    pub fn column(&self) -> u32 {
        self.location.span.column
    }

    /// JSON path of the mistake.
    pub fn json_path(&self) -> &str {
        &self.location.json_path
    }

    /// The full message in another service's wording. SNS has two prefixes, one per API
    /// (`Subscribe` passes the policy in `Attributes`, `SetSubscriptionAttributes` alone), and
    /// ends with Jackson's location when event-ruler raised the error while reading.
    pub fn message_for(&self, dialect: Dialect) -> String {
        match dialect {
            Dialect::EventBridge => format!("Event pattern is not valid. Reason: {}", self.reason),
            Dialect::SnsSubscribe => {
                format!(
                    "Invalid parameter: Attributes Reason: FilterPolicy: {}{}",
                    self.reason, self.sns_location
                )
            }
            Dialect::SnsSetSubscriptionAttributes => {
                format!(
                    "Invalid parameter: FilterPolicy: {}{}",
                    self.reason, self.sns_location
                )
            }
        }
    }

    /// The location suffix SNS prints after the reason (empty when it prints none).
    pub fn sns_location(&self) -> &str {
        &self.sns_location
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_for(self.dialect))
    }
}

impl std::error::Error for PatternError {}

/// Appends a key to a JSON path: `$.a`, or `$["a.b"]` when the key is not a plain name.
pub(crate) fn path_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{parent}.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("{parent}[{quoted}]")
    }
}

/// Appends an array index to a JSON path.
pub(crate) fn path_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}
