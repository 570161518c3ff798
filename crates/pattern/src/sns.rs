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
                let suffix = format!(
                    "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: {}, column: {column}]",
                    e.span.line
                );
                sns_error(kind, format!("failed to parse JSON. {}", e.message), e.span, "$")
                    .with_sns_location(suffix)
            }
            Rejection::Invalid(e) => {
                let suffix = if reported_while_reading(e.kind()) {
                    location::sns_location(text, e.decided_at(), e.reason())
                } else {
                    String::new()
                };
                e.with_dialect(Dialect::SnsSubscribe).with_sns_location(suffix)
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
        check_limits(&root, document.span)?;
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
fn check_limits(root: &Conjunction, span: Span) -> Result<(), PatternError> {
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
            span,
            "$",
        ));
    }
    if combinations(root) > limits::SNS_FILTER_POLICY_COMBINATIONS_MAX.value as u128 {
        return Err(sns_error(
            ErrorKind::SnsLimit,
            "Filter policy is too complex",
            span,
            "$",
        ));
    }
    Ok(())
}

/// The number of value combinations: the product of the value counts of a conjunction's
/// fields, times, for each `$or`, the sum over its branches. An `$or` nested under a key
/// (MessageBody scope) is counted once more by the number of values in its branches: that
/// is what reproduces AWS's answer on LocalStack's AWS-validated
/// `test_policy_complexity_with_or` cases (150 accepted, 152 and 160 rejected).
fn combinations(conjunction: &Conjunction) -> u128 {
    let mut total: u128 = 1;
    for field in &conjunction.fields {
        total = total.saturating_mul(field.matchers.len() as u128);
    }
    for group in &conjunction.any_of {
        let sum = group
            .branches
            .iter()
            .fold(0u128, |acc, b| acc.saturating_add(combinations(b)));
        total = total.saturating_mul(sum.max(1));
        if !group.prefix.is_empty() {
            let mut values: u128 = 0;
            for branch in &group.branches {
                branch.for_each_field(&mut |f| {
                    values = values.saturating_add(f.matchers.len() as u128)
                });
            }
            total = total.saturating_mul(values.max(1));
        }
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
