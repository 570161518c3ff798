//! SNS subscription filter policies (sns-subscription-filter-policies,
//! sns-message-filtering-scope, subscription-filter-policy-constraints).
//!
//! The same pattern language and the same interpreter as EventBridge, with SNS's subset of
//! operators, its limits (5 keys, 150 combinations), nesting only in `MessageBody` scope,
//! and its own message prefixes. In `MessageAttributes` scope the attributes are turned into
//! a flat JSON object first: `String` → string, `String.Array` → the JSON array in
//! `StringValue`, `Number` → number, `Number.Array` → the JSON array; `Binary` attributes
//! are left out (a filter policy never matches them).

use crate::error::{Dialect, ErrorKind, PatternError};
use crate::explain::{self, Explanation};
use crate::interpret;
use crate::json::{self, JsonValue, Member, NumberToken, Span, Spanned};
use crate::limits;
use crate::location;
use crate::model::{AnythingBut, Conjunction, MatcherKind};
use crate::number::Decimal;
use crate::pattern::{jackson_column, json_error, read, Rejection};
use crate::validate;
use std::collections::BTreeSet;

/// Where a filter policy looks (sns-message-filtering-scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FilterPolicyScope {
    /// The message attributes (the default).
    #[default]
    MessageAttributes,
    /// The message body, which must be a JSON object.
    MessageBody,
}

impl FilterPolicyScope {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicyScope::MessageAttributes => "MessageAttributes",
            FilterPolicyScope::MessageBody => "MessageBody",
        }
    }
}

/// A validated SNS filter policy.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPolicy {
    root: Conjunction,
    scope: FilterPolicyScope,
    text: String,
}

fn sns_error(
    kind: ErrorKind,
    reason: impl Into<String>,
    span: Span,
    json_path: &str,
) -> PatternError {
    PatternError::new(kind, reason, span, json_path).with_dialect(Dialect::SnsSubscribe)
}

impl FilterPolicy {
    /// Parses and validates a filter policy for a scope. Errors display with the
    /// `Subscribe` prefix (`Invalid parameter: Attributes Reason: FilterPolicy: ...`); use
    /// [`PatternError::message_for`] for the `SetSubscriptionAttributes` wording.
    pub fn parse(text: &str, scope: FilterPolicyScope) -> Result<FilterPolicy, PatternError> {
        if text.len() > limits::SNS_FILTER_POLICY_BYTES_MAX.value {
            return Err(sns_error(
                ErrorKind::SnsLimit,
                "Filter policy is too long",
                Span::default(),
                "$",
            ));
        }
        let (document, root) = read(text).map_err(|rejection| match rejection {
            // SNS parses the policy itself first, with Jackson configured not to quote the
            // source: `failed to parse JSON. Unexpected character ('i' (code 105)): was
            // expecting double-quote to start field name\n at [Source: REDACTED
            // (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]`
            // (the shared corpus' AWS-validated SetSubscriptionAttributes case).
            Rejection::Json(e) => {
                let kind = json_error(e.clone(), text).kind();
                // SNS's Jackson (2.16 or later: it has the REDACTED source) places an
                // unexpected character at its own column, not after it.
                let column = if e.message.starts_with("Unexpected character") {
                    e.span.column
                } else {
                    jackson_column(&e, text)
                };
                const SOURCE: &str =
                    "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";
                let suffix = format!(
                    "\n at [Source: {SOURCE}; line: {}, column: {column}]",
                    e.span.line
                );
                sns_error(
                    kind,
                    format!("failed to parse JSON. {}", e.message_with_source(SOURCE)),
                    e.span,
                    "$",
                )
                .with_sns_location(suffix)
            }
            Rejection::Invalid(e) => {
                let suffix = if reported_while_reading(e.kind()) {
                    location::sns_location(text, e.decided_at(), e.reason())
                } else {
                    String::new()
                };
                e.with_dialect(Dialect::SnsSubscribe)
                    .with_sns_location(suffix)
            }
        })?;
        if let JsonValue::Object(members) = &document.value {
            if scope == FilterPolicyScope::MessageAttributes {
                reject_nesting(members)?;
            }
        }
        check_operators(&root).map_err(|e| {
            // Event-ruler (SNS's dialect) stops at the operator's name: the location is where
            // Jackson stands after reading that key.
            let key = e.reason().rsplit([' ', ':']).next().unwrap_or_default();
            let from = e.location().span.start;
            let at = text
                .get(from..)
                .and_then(|rest| rest.find(&format!("\"{key}\"")))
                .map_or(from, |i| from + i);
            let suffix = location::sns_location(text, at, e.reason());
            e.with_sns_location(suffix)
        })?;
        check_limits(&root, &document)?;
        Ok(FilterPolicy {
            root,
            scope,
            text: text.to_string(),
        })
    }

    /// The validated model.
    pub fn root(&self) -> &Conjunction {
        &self.root
    }

    /// The scope it filters on.
    pub fn scope(&self) -> FilterPolicyScope {
        self.scope
    }

    /// The policy text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Attributes in the SNS API shape `{"name": {"DataType": "String", "StringValue": ".."}}`.
    pub fn matches_attributes(&self, attributes: &serde_json::Value) -> bool {
        interpret::matches(&self.root, &attributes_event(attributes))
    }

    /// The published message string; non-JSON or non-object bodies never match.
    pub fn matches_body(&self, body: &str) -> bool {
        match json::parse(body) {
            Ok(event) => interpret::matches(&self.root, &event),
            Err(_) => false,
        }
    }

    /// Whether a message passes the filter in this policy's scope.
    pub fn matches_message(&self, attributes: &serde_json::Value, body: &str) -> bool {
        match self.scope {
            FilterPolicyScope::MessageAttributes => self.matches_attributes(attributes),
            FilterPolicyScope::MessageBody => self.matches_body(body),
        }
    }

    /// Explanation against message attributes.
    pub fn explain_attributes(&self, attributes: &serde_json::Value) -> Explanation {
        explain::explain(&self.root, &attributes_event(attributes))
    }

    /// Explanation against a message body (spans into the body text).
    pub fn explain_body(&self, body: &str) -> Explanation {
        match json::parse(body) {
            Ok(event) => explain::explain(&self.root, &event),
            Err(_) => explain::explain(
                &self.root,
                &Spanned {
                    value: JsonValue::String(body.to_string()),
                    span: Span::default(),
                },
            ),
        }
    }
}

/// Whether event-ruler raises this kind of mistake while it reads the policy (a Jackson
/// `JsonParseException`, which carries the reader's location), rather than SNS or a value
/// parser afterwards: AWS prints no location for "Malformed CIDR, mask bits must be an
/// integer", "Nonstandard IP address: x", "Filter policy can not have more than 5 keys" or
/// "Filter policy is too complex" (the shared corpus' AWS-validated cases).
fn reported_while_reading(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::NotAnObject
            | ErrorKind::NotObjectOrArray
            | ErrorKind::EmptyArray
            | ErrorKind::EmptyObject
            | ErrorKind::BadOr
            | ErrorKind::BadMatchValue
            | ErrorKind::UnrecognizedMatchType
            | ErrorKind::OnlyOneKey
            | ErrorKind::BadOperand
            | ErrorKind::BadNumeric
            | ErrorKind::UnsupportedBySns
    )
}

/// "Filter policy scope MessageAttributes does not support nested filter policy".
fn reject_nesting(members: &[Member]) -> Result<(), PatternError> {
    for member in members {
        let nested = match &member.value.value {
            JsonValue::Object(_) => true,
            // `$or` branches must themselves be flat.
            JsonValue::Array(items) if member.key == validate::OR_KEY => {
                for item in items {
                    if let JsonValue::Object(inner) = &item.value {
                        reject_nesting(inner)?;
                    }
                }
                false
            }
            _ => false,
        };
        if nested {
            return Err(sns_error(
                ErrorKind::SnsLimit,
                "Filter policy scope MessageAttributes does not support nested filter policy",
                member.value.span,
                &crate::error::path_key("$", &member.key),
            ));
        }
    }
    Ok(())
}

/// SNS supports a subset of EventBridge's operators (sns-subscription-filter-policies):
/// no `wildcard`, and `anything-but` only with values or `prefix`.
fn check_operators(root: &Conjunction) -> Result<(), PatternError> {
    let mut error: Option<PatternError> = None;
    root.for_each_field(&mut |field| {
        if error.is_some() {
            return;
        }
        for matcher in &field.matchers {
            let reason = match &matcher.kind {
                MatcherKind::Wildcard(_) => Some("Unrecognized match type wildcard".to_string()),
                MatcherKind::AnythingBut(AnythingBut::Suffix(_)) => {
                    Some("Unsupported anything-but pattern: suffix".to_string())
                }
                MatcherKind::AnythingBut(AnythingBut::Wildcard(_)) => {
                    Some("Unsupported anything-but pattern: wildcard".to_string())
                }
                _ => None,
            };
            if let Some(reason) = reason {
                error = Some(sns_error(
                    ErrorKind::UnsupportedBySns,
                    reason,
                    matcher.span,
                    &field.json_path,
                ));
                return;
            }
        }
    });
    error.map_or(Ok(()), Err)
}

/// At most 5 keys and 150 combinations (subscription-filter-policy-constraints).
fn check_limits(root: &Conjunction, document: &Spanned) -> Result<(), PatternError> {
    let mut paths: Vec<&str> = Vec::new();
    root.for_each_field(&mut |field| {
        if !paths.contains(&field.path.as_str()) {
            paths.push(&field.path);
        }
    });
    if paths.len() > limits::SNS_FILTER_POLICY_KEYS_MAX.value {
        return Err(sns_error(
            ErrorKind::SnsLimit,
            "Filter policy can not have more than 5 keys",
            document.span,
            "$",
        ));
    }
    let total = match &document.value {
        JsonValue::Object(members) => combinations(members, 1),
        _ => 1,
    };
    if total > limits::SNS_FILTER_POLICY_COMBINATIONS_MAX.value as u128 {
        return Err(sns_error(
            ErrorKind::SnsLimit,
            "Filter policy is too complex",
            document.span,
            "$",
        ));
    }
    Ok(())
}

/// The total combination of values of the policy object `members` standing `depth` levels
/// deep (the root is level 1), as subscription-filter-policy-constraints computes it.
///
/// "Calculate the total combination by multiplying the number of values in each array"
/// (common constraints), and for payload-based filtering "by multiplying the number of
/// nested keys with the values in each array": in the page's worked example
/// `{"key_a": {"key_b": {"key_c": [4 values]}}, "key_d": {"key_e": [3 values]}}` "the first
/// array has four values in a three-level nested key, and the second has three values in a
/// two-level nested key", so the total is `3 x 4 x 2 x 3 = 72`. Each value array counts its
/// length times the level of its key; the counts multiply. A `$or` counts the sum of its
/// branches, each branch an object at the `$or`'s own level: that reproduces LocalStack's
/// AWS-validated `test_policy_complexity_with_or` cases (flat: `3 x (6 + 4 x (4 + 7)) = 150`
/// accepted and `4 x (6 + 4 x (4 + 4)) = 152` rejected; nested under `detail`, level 2:
/// `(3 + 2) x (2 x 2) x (1 x 2 + 3 x 2) = 160` rejected). The levels are those of the JSON
/// objects, so a dotted key (`"a.b"`) counts as one level. Of duplicate keys the last one
/// counts, as it is the one that filters.
fn combinations(members: &[Member], depth: u128) -> u128 {
    let mut total: u128 = 1;
    // From the last member back, so that each key is counted once, as its last occurrence
    // (a set keeps this linear on a policy that repeats one key many times).
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for member in members.iter().rev() {
        if !seen.insert(member.key.as_str()) {
            continue;
        }
        let count = match &member.value.value {
            JsonValue::Object(inner) => combinations(inner, depth.saturating_add(1)),
            JsonValue::Array(branches) if member.key == validate::OR_KEY => branches
                .iter()
                .map(|branch| match &branch.value {
                    JsonValue::Object(inner) => combinations(inner, depth),
                    _ => 1,
                })
                .fold(0u128, u128::saturating_add)
                .max(1),
            JsonValue::Array(values) => (values.len() as u128).saturating_mul(depth),
            _ => 1,
        };
        total = total.saturating_mul(count);
    }
    total
}

/// Message attributes in the API shape, as the flat JSON object a policy is matched on.
fn attributes_event(attributes: &serde_json::Value) -> Spanned {
    let mut members = Vec::new();
    if let serde_json::Value::Object(map) = attributes {
        for (name, attribute) in map {
            // The API shape (`DataType`/`StringValue`); the delivered-envelope shape
            // (`Type`/`Value`) is read too, since people paste what they received.
            let data_type = ["DataType", "Type"]
                .iter()
                .find_map(|k| attribute.get(*k).and_then(|v| v.as_str()))
                .unwrap_or("String");
            let string_value: Option<String> =
                ["StringValue", "Value"]
                    .iter()
                    .find_map(|k| match attribute.get(*k)? {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    });
            let string_value = string_value.as_deref();
            let value = match (data_type, string_value) {
                (t, Some(s))
                    if t == "String" || t.starts_with("String.") && !t.ends_with("Array") =>
                {
                    Some(JsonValue::String(s.to_string()))
                }
                (t, Some(s))
                    if t == "Number" || t.starts_with("Number.") && !t.ends_with("Array") =>
                {
                    Some(match Decimal::parse(s.trim()) {
                        Some(_) => JsonValue::Number(NumberToken {
                            text: s.trim().to_string(),
                        }),
                        None => JsonValue::String(s.to_string()),
                    })
                }
                (t, Some(s)) if t.ends_with(".Array") => match json::parse(s) {
                    Ok(parsed) if matches!(parsed.value, JsonValue::Array(_)) => Some(parsed.value),
                    _ => Some(JsonValue::String(s.to_string())),
                },
                _ => None, // Binary, or no StringValue.
            };
            if let Some(value) = value {
                members.push(Member {
                    key: name.clone(),
                    key_span: Span::default(),
                    value: Spanned {
                        value,
                        span: Span::default(),
                    },
                });
            }
        }
    }
    Spanned {
        value: JsonValue::Object(members),
        span: Span::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The total combination `combinations` computes for a policy text.
    fn check(policy: &str, expected: u128) {
        let document = json::parse(policy).unwrap_or_else(|e| panic!("{policy}: {e:?}"));
        let JsonValue::Object(members) = &document.value else {
            panic!("{policy}: not an object");
        };
        assert_eq!(combinations(members, 1), expected, "{policy}");
    }

    #[test]
    fn subscription_filter_policy_constraints_worked_examples() {
        // Common constraints: "3 x 1 x 2 = 6".
        check(
            r#"{"key_a": ["value_one", "value_two", "value_three"], "key_b": ["value_one"], "key_c": ["value_one", "value_two"]}"#,
            6,
        );
        // Payload-based filtering: "3 x 4 x 2 x 3 = 72".
        check(
            r#"{"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}}, "key_d": {"key_e": ["value_one", "value_two", "value_three"]}}"#,
            72,
        );
    }

    #[test]
    fn localstack_policy_complexity_with_or_totals() {
        check(
            r#"{"source": ["aws.cloudwatch", "aws.events", "aws.test"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3", "TestVal4"]}, {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"], "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4, 5, 6, 7]}]}]}"#,
            150,
        );
        check(
            r#"{"source": ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"]}, {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"], "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4]}]}]}"#,
            152,
        );
        check(
            r#"{"$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestValue"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}], "detail": {"scope": ["Service", "Test"], "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["CloudWatch Alarm State Change", "TestValue", "TestValue2"]}]}}"#,
            160,
        );
    }

    #[test]
    fn duplicate_keys_count_once_and_dotted_keys_are_one_level() {
        check(r#"{"a": [1, 2, 3], "a": [1, 2]}"#, 2);
        check(r#"{"a.b": [1, 2, 3]}"#, 3);
        check(r#"{"a": {"b": [1, 2, 3]}}"#, 6);
    }
}
