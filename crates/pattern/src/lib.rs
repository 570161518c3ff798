//! EventBridge event patterns and SNS subscription filter policies: parse, validate, match,
//! explain — exactly as AWS does.
//!
//! # Stages
//! text → [`json`] (spanned JSON: every key and value with line, column and byte span) →
//! [`validate`] (AWS's rules and reason texts) → [`model`] (the validated pattern, walked by
//! the interpreter, the explainer and the compiled machine) → [`interpret`] (the reference
//! matcher) and [`explain`] (why an event matches or not). [`sns`] reuses every stage for
//! filter policies. [`envelope`] checks TestEventPattern's event envelope.
//!
//! # Input safety
//! No function panics on user input: no `unwrap`, `expect` or unchecked indexing on data from
//! a pattern, policy or event; nesting is limited ([`json::MAX_NESTING_DEPTH`]) so deep
//! documents are errors, not stack overflows; lengths are checked first ([`limits`]).
//! Nothing reads a clock or the operating system's randomness.

pub mod cidr;
pub mod envelope;
pub mod error;
pub mod explain;
pub mod interpret;
pub mod json;
pub mod limits;
mod location;
pub mod machine;
pub mod model;
pub mod number;
pub mod pattern;
pub mod sns;
pub mod validate;
pub mod wildcard;

pub use envelope::{validate_test_event, INVALID_EVENT_MESSAGE};
pub use error::{Dialect, ErrorKind, Location, PatternError};
pub use explain::{AlternativeReport, Explanation, FoundValue, LeafReport};
pub use json::Span;
pub use machine::Machine;
pub use pattern::{EventPattern, PreparedEvent};
pub use sns::{FilterPolicy, FilterPolicyScope};
