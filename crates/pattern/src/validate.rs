//! From spanned JSON to the validated model ([`crate::model`]), with AWS's reason texts.
//!
//! The walk mirrors event-ruler's `JsonRuleCompiler` (AWS's open-source matcher), so the
//! first mistake it meets is the one AWS names, with the same words. Recursion follows the
//! JSON nesting, which the reader already bounded ([`crate::json::MAX_NESTING_DEPTH`]).

use crate::cidr;
use crate::error::{path_index, path_key, ErrorKind, PatternError};
use crate::json::{JsonValue, Member, Span, Spanned};
use crate::model::{
    AnyOf, AnythingBut, Bound, Conjunction, FieldCondition, Literal, Matcher, MatcherKind,
    NumberLiteral, NumericRange,
};
use crate::number::Decimal;
use crate::wildcard;

/// The `$or` key (eb-event-patterns-content-based-filtering, "Or matching").
pub const OR_KEY: &str = "$or";

/// Operator names that cannot be field names inside `$or` (event-ruler's
/// `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`).
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "wildcard",
];

type Result<T> = std::result::Result<T, PatternError>;

fn fail<T>(kind: ErrorKind, reason: impl Into<String>, span: Span, json_path: &str) -> Result<T> {
    Err(PatternError::new(kind, reason, span, json_path))
}

/// A mistake a streaming reader only notices at the end of `container` (see
/// [`PatternError`]'s `decided_at`).
fn fail_closed<T>(
    kind: ErrorKind,
    reason: impl Into<String>,
    span: Span,
    json_path: &str,
    container: Span,
) -> Result<T> {
    Err(PatternError::new(kind, reason, span, json_path).decided_at_close(container))
}

/// Validates a whole pattern document.
pub fn pattern(root: &Spanned) -> Result<Conjunction> {
    let JsonValue::Object(members) = &root.value else {
        return fail(
            ErrorKind::NotAnObject,
            "Filter is not an object",
            root.span,
            "$",
        );
    };
    let mut conjunction = Conjunction {
        fields: Vec::new(),
        any_of: Vec::new(),
    };
    object(members, root.span, "", "$", false, &mut conjunction)?;
    Ok(conjunction)
}

/// Adds the members of one pattern object to `into`, whose paths start with `prefix`.
fn object(
    members: &[Member],
    span: Span,
    prefix: &str,
    json_path: &str,
    in_or: bool,
    into: &mut Conjunction,
) -> Result<()> {
    if members.is_empty() {
        return fail_closed(
            ErrorKind::EmptyObject,
            "Empty objects are not allowed",
            span,
            json_path,
            span,
        );
    }
    for member in members {
        let member_path = path_key(json_path, &member.key);
        if member.key == OR_KEY {
            let group = or_group(member, prefix, &member_path)?;
            push_group(into, group);
            continue;
        }
        if in_or && RESERVED_IN_OR.contains(&member.key.as_str()) {
            return fail(
                ErrorKind::BadOr,
                format!(
                    "{} is Ruler reserved fieldName which cannot be used inside {OR_KEY}.",
                    member.key
                ),
                member.key_span,
                &member_path,
            );
        }
        let path = if prefix.is_empty() {
            member.key.clone()
        } else {
            format!("{prefix}.{}", member.key)
        };
        match &member.value.value {
            JsonValue::Object(children) => {
                object(
                    children,
                    member.value.span,
                    &path,
                    &member_path,
                    in_or,
                    into,
                )?;
            }
            JsonValue::Array(items) => {
                let field = field(path, member, items, &member_path)?;
                push_field(into, field);
            }
            _ => {
                return fail(
                    ErrorKind::NotObjectOrArray,
                    format!("\"{}\" must be an object or an array", member.key),
                    member.value.span,
                    &member_path,
                )
            }
        }
    }
    Ok(())
}

/// Adds a field the way event-ruler's compiler builds its rule maps (`rule.put(name,
/// values)` on every sub-rule so far): the same path twice (duplicate keys, or `a.b` next to
/// `a: {b}`) keeps the later one, and a field after a `$or` overrides that path inside the
/// `$or`'s branches too.
fn push_field(into: &mut Conjunction, field: FieldCondition) {
    for group in &mut into.any_of {
        strip_path(group, &field.path);
    }
    if let Some(existing) = into.fields.iter_mut().find(|f| f.path == field.path) {
        *existing = field;
    } else {
        into.fields.push(field);
    }
}

fn strip_path(group: &mut AnyOf, path: &str) {
    for branch in &mut group.branches {
        branch.fields.retain(|f| f.path != path);
        for inner in &mut branch.any_of {
            strip_path(inner, path);
        }
    }
}

/// Adds a `$or` group. Event-ruler copies the fields seen so far into every branch, where a
/// branch's own field with the same path overrides the copy (`testWithRuleOverride`:
/// `{"name": ["a", "b"], "$or": [{"name": [{"anything-but": "a"}]}, ..]}` matches
/// `"name": "c"`). Such fields move from the conjunction into the branches.
fn push_group(into: &mut Conjunction, group: AnyOf) {
    let mut group = group;
    let mut kept = Vec::with_capacity(into.fields.len());
    for field in std::mem::take(&mut into.fields) {
        if group_defines(&group, &field.path) {
            for branch in &mut group.branches {
                push_down(branch, &field);
            }
        } else {
            kept.push(field);
        }
    }
    into.fields = kept;
    into.any_of.push(group);
}

fn group_defines(group: &AnyOf, path: &str) -> bool {
    group.branches.iter().any(|b| conjunction_defines(b, path))
}

fn conjunction_defines(c: &Conjunction, path: &str) -> bool {
    c.fields.iter().any(|f| f.path == path) || c.any_of.iter().any(|g| group_defines(g, path))
}

fn push_down(branch: &mut Conjunction, field: &FieldCondition) {
    if branch.fields.iter().any(|f| f.path == field.path) {
        return;
    }
    let mut pushed_into_group = false;
    for group in &mut branch.any_of {
        if group_defines(group, &field.path) {
            for inner in &mut group.branches {
                push_down(inner, field);
            }
            pushed_into_group = true;
        }
    }
    if !pushed_into_group {
        branch.fields.push(field.clone());
    }
}

fn or_group(member: &Member, prefix: &str, json_path: &str) -> Result<AnyOf> {
    let JsonValue::Array(items) = &member.value.value else {
        return fail(
            ErrorKind::BadOr,
            format!("It must be an Array followed with {OR_KEY}."),
            member.value.span,
            json_path,
        );
    };
    let mut branches = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_path = path_index(json_path, index);
        let JsonValue::Object(children) = &item.value else {
            return fail(
                ErrorKind::BadOr,
                format!("Only JSON object is allowed in array of {OR_KEY} relationship."),
                item.span,
                &item_path,
            );
        };
        let mut branch = Conjunction {
            fields: Vec::new(),
            any_of: Vec::new(),
        };
        object(children, item.span, prefix, &item_path, true, &mut branch)?;
        branches.push(branch);
    }
    if branches.len() < 2 {
        return fail_closed(
            ErrorKind::BadOr,
            format!("There must have at least 2 Objects in {OR_KEY} relationship."),
            member.value.span,
            json_path,
            member.value.span,
        );
    }
    Ok(AnyOf {
        branches,
        key_span: member.key_span,
        json_path: json_path.to_string(),
        prefix: prefix.to_string(),
    })
}

fn field(
    path: String,
    member: &Member,
    items: &[Spanned],
    json_path: &str,
) -> Result<FieldCondition> {
    let mut matchers = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_path = path_index(json_path, index);
        let kind = match &item.value {
            JsonValue::Object(members) => match_expression(members, item.span, &item_path)?,
            JsonValue::String(s) => MatcherKind::Exact(Literal::String(s.clone())),
            JsonValue::Number(n) => MatcherKind::Exact(Literal::Number(number_literal(&n.text))),
            JsonValue::Bool(b) => MatcherKind::Exact(Literal::Bool(*b)),
            JsonValue::Null => MatcherKind::Exact(Literal::Null),
            JsonValue::Array(_) => {
                return fail(
                    ErrorKind::BadMatchValue,
                    "Match value must be String, number, true, false, or null",
                    item.span,
                    &item_path,
                )
            }
        };
        matchers.push(Matcher {
            kind,
            span: item.span,
        });
    }
    if matchers.is_empty() {
        return fail_closed(
            ErrorKind::EmptyArray,
            "Empty arrays are not allowed",
            member.value.span,
            json_path,
            member.value.span,
        );
    }
    Ok(FieldCondition {
        path,
        json_path: json_path.to_string(),
        key_span: member.key_span,
        span: member.value.span,
        matchers,
    })
}

pub(crate) fn number_literal(text: &str) -> NumberLiteral {
    let value = Decimal::parse(text).unwrap_or_else(Decimal::zero);
    let comparable = value.is_comparable();
    NumberLiteral {
        text: text.to_string(),
        value,
        comparable,
    }
}

/// A comparable number for `numeric` and `anything-but`, else event-ruler's
/// "Cannot compare number" (a number a double cannot hold exactly).
fn comparable_number(text: &str, span: Span, json_path: &str) -> Result<NumberLiteral> {
    let literal = number_literal(text);
    if !literal.comparable {
        return fail(
            ErrorKind::NumberNotComparable,
            format!("Cannot compare number : {text}"),
            span,
            json_path,
        );
    }
    Ok(literal)
}

/// Checks that an operator object has no key after the first.
fn only_one_key(members: &[Member], json_path: &str, reason: &str) -> Result<()> {
    match members.get(1) {
        Some(extra) => fail(
            ErrorKind::OnlyOneKey,
            reason,
            extra.key_span,
            &path_key(json_path, &extra.key),
        ),
        None => Ok(()),
    }
}

const ONLY_ONE_KEY: &str = "Only one key allowed in match expression";
const TOO_MANY_NUMERIC: &str = "Too many elements in numeric expression";

fn match_expression(members: &[Member], span: Span, json_path: &str) -> Result<MatcherKind> {
    let Some(first) = members.first() else {
        return fail_closed(
            ErrorKind::BadMatchValue,
            "Match expression name not found",
            span,
            json_path,
            span,
        );
    };
    let op_path = path_key(json_path, &first.key);
    let value = &first.value;
    let bad = |kind: ErrorKind, reason: &str| -> Result<MatcherKind> {
        fail(kind, reason, value.span, &op_path)
    };
    let kind = match first.key.as_str() {
        "exactly" => match &value.value {
            JsonValue::String(s) => MatcherKind::Exact(Literal::String(s.clone())),
            _ => {
                return bad(
                    ErrorKind::BadOperand,
                    "exact match pattern must be a string",
                )
            }
        },
        "prefix" | "suffix" => {
            let is_prefix = first.key == "prefix";
            match &value.value {
                JsonValue::Object(inner) => {
                    let s = ignore_case_operand(inner, value.span, &op_path, &first.key)?;
                    only_one_key(members, json_path, ONLY_ONE_KEY)?;
                    return Ok(if is_prefix {
                        MatcherKind::Prefix {
                            value: s,
                            ignore_case: true,
                        }
                    } else {
                        MatcherKind::Suffix {
                            value: s,
                            ignore_case: true,
                        }
                    });
                }
                JsonValue::String(s) if is_prefix => MatcherKind::Prefix {
                    value: s.clone(),
                    ignore_case: false,
                },
                JsonValue::String(s) => MatcherKind::Suffix {
                    value: s.clone(),
                    ignore_case: false,
                },
                _ => {
                    return bad(
                        ErrorKind::BadOperand,
                        &format!("{} match pattern must be a string", first.key),
                    )
                }
            }
        }
        "numeric" => {
            let JsonValue::Array(items) = &value.value else {
                return bad(ErrorKind::BadNumeric, "Value of numeric must be an array.");
            };
            let range = numeric(items, value.span, &op_path)?;
            only_one_key(members, json_path, TOO_MANY_NUMERIC)?;
            return Ok(MatcherKind::Numeric(range));
        }
        "anything-but" => {
            let anything_but = anything_but(value, &op_path)?;
            only_one_key(members, json_path, TOO_MANY_NUMERIC)?;
            return Ok(MatcherKind::AnythingBut(anything_but));
        }
        "exists" => match &value.value {
            JsonValue::Bool(b) => MatcherKind::Exists(*b),
            _ => {
                return bad(
                    ErrorKind::BadOperand,
                    "exists match pattern must be either true or false.",
                )
            }
        },
        "cidr" => match &value.value {
            // event-ruler's text for a non-string CIDR really does say "prefix".
            JsonValue::String(s) => match cidr::parse_block(s) {
                Ok(block) => MatcherKind::Cidr(block),
                Err(reason) => return bad(ErrorKind::BadCidr, &reason),
            },
            _ => {
                return bad(
                    ErrorKind::BadOperand,
                    "prefix match pattern must be a string",
                )
            }
        },
        "equals-ignore-case" => match &value.value {
            JsonValue::String(s) => MatcherKind::EqualsIgnoreCase(s.clone()),
            _ => {
                return bad(
                    ErrorKind::BadOperand,
                    "equals-ignore-case match pattern must be a string",
                )
            }
        },
        "wildcard" => match &value.value {
            JsonValue::String(s) => match wildcard::parse(s) {
                Ok(w) => MatcherKind::Wildcard(w),
                Err(reason) => return bad(ErrorKind::BadWildcard, &reason),
            },
            _ => {
                return bad(
                    ErrorKind::BadOperand,
                    "wildcard match pattern must be a string",
                )
            }
        },
        other => {
            return fail(
                ErrorKind::UnrecognizedMatchType,
                format!("Unrecognized match type {other}"),
                first.key_span,
                &op_path,
            )
        }
    };
    only_one_key(members, json_path, ONLY_ONE_KEY)?;
    Ok(kind)
}

/// `{"equals-ignore-case": "x"}` inside `prefix` / `suffix`.
fn ignore_case_operand(
    inner: &[Member],
    span: Span,
    json_path: &str,
    outer: &str,
) -> Result<String> {
    let Some(first) = inner.first() else {
        let name = if outer == "prefix" {
            "Prefix"
        } else {
            "Suffix"
        };
        return fail_closed(
            ErrorKind::BadOperand,
            format!("{name} expression name not found"),
            span,
            json_path,
            span,
        );
    };
    let op_path = path_key(json_path, &first.key);
    if first.key != "equals-ignore-case" {
        return fail(
            ErrorKind::BadOperand,
            format!("Unsupported {outer} pattern: {}", first.key),
            first.key_span,
            &op_path,
        );
    }
    let JsonValue::String(s) = &first.value.value else {
        return fail(
            ErrorKind::BadOperand,
            "equals-ignore-case match pattern must be a string",
            first.value.span,
            &op_path,
        );
    };
    only_one_key(inner, json_path, ONLY_ONE_KEY)?;
    Ok(s.clone())
}

fn anything_but(value: &Spanned, json_path: &str) -> Result<AnythingBut> {
    // `{"anything-but": {"prefix": ..}}` and friends.
    if let JsonValue::Object(inner) = &value.value {
        let Some(first) = inner.first() else {
            return fail_closed(
                ErrorKind::BadOperand,
                "Anything-But expression name not found",
                value.span,
                json_path,
                value.span,
            );
        };
        let op = first.key.as_str();
        let op_path = path_key(json_path, op);
        if !matches!(op, "equals-ignore-case" | "prefix" | "suffix" | "wildcard") {
            return fail(
                ErrorKind::BadOperand,
                format!("Unsupported anything-but pattern: {op}"),
                first.key_span,
                &op_path,
            );
        }
        let operand = &first.value;
        let strings: Vec<(String, Span, String)> = match &operand.value {
            JsonValue::String(s) => vec![(s.clone(), operand.span, op_path.clone())],
            JsonValue::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = path_index(&op_path, i);
                    match &item.value {
                        JsonValue::String(s) => out.push((s.clone(), item.span, item_path)),
                        _ => {
                            let reason = match op {
                                "equals-ignore-case" => "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                                "wildcard" => "wildcard match pattern must be a string",
                                _ => "prefix/suffix match pattern must be a string",
                            };
                            return fail(ErrorKind::BadOperand, reason, item.span, &item_path);
                        }
                    }
                }
                out
            }
            JsonValue::Number(_) => {
                let reason = match op {
                    "equals-ignore-case" => "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                    "wildcard" => "wildcard match pattern must be a string",
                    _ => "prefix/suffix match pattern must be a string",
                };
                return fail(ErrorKind::BadOperand, reason, operand.span, &op_path);
            }
            _ => {
                return fail(
                    ErrorKind::BadOperand,
                    "Value of anything-but must be an array or single string/number value.",
                    operand.span,
                    &op_path,
                )
            }
        };
        if matches!(op, "prefix" | "suffix") {
            if let Some((_, span, path)) = strings.iter().find(|(s, _, _)| s.is_empty()) {
                return fail(
                    ErrorKind::BadOperand,
                    "Null prefix/suffix not allowed",
                    *span,
                    path,
                );
            }
        }
        only_one_key(inner, json_path, ONLY_ONE_KEY)?;
        return Ok(match op {
            "equals-ignore-case" => {
                AnythingBut::EqualsIgnoreCase(strings.into_iter().map(|(s, _, _)| s).collect())
            }
            "prefix" => AnythingBut::Prefix(strings.into_iter().map(|(s, _, _)| s).collect()),
            "suffix" => AnythingBut::Suffix(strings.into_iter().map(|(s, _, _)| s).collect()),
            _ => {
                let mut globs = Vec::new();
                for (s, span, path) in strings {
                    match wildcard::parse(&s) {
                        Ok(w) => globs.push(w),
                        Err(reason) => return fail(ErrorKind::BadWildcard, reason, span, &path),
                    }
                }
                AnythingBut::Wildcard(globs)
            }
        });
    }
    match &value.value {
        JsonValue::String(s) => Ok(AnythingBut::Strings(vec![s.clone()])),
        JsonValue::Number(n) => Ok(AnythingBut::Numbers(vec![comparable_number(
            &n.text, value.span, json_path,
        )?])),
        JsonValue::Array(items) => {
            let mut strings = Vec::new();
            let mut numbers = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let item_path = path_index(json_path, i);
                match &item.value {
                    JsonValue::String(s) => strings.push(s.clone()),
                    JsonValue::Number(n) => {
                        numbers.push(comparable_number(&n.text, item.span, &item_path)?)
                    }
                    _ => {
                        return fail(
                            ErrorKind::BadOperand,
                            "Inside anything but list, start|null|boolean is not supported.",
                            item.span,
                            &item_path,
                        )
                    }
                }
            }
            match (strings.is_empty(), numbers.is_empty()) {
                (false, true) => Ok(AnythingBut::Strings(strings)),
                (true, false) => Ok(AnythingBut::Numbers(numbers)),
                _ => fail_closed(
                    ErrorKind::BadOperand,
                    "Inside anything but list, either all values are number or string, mixed type is not supported",
                    value.span,
                    json_path, value.span),
            }
        }
        _ => fail(
            ErrorKind::BadOperand,
            "Value of anything-but must be an array or single string/number value.",
            value.span,
            json_path,
        ),
    }
}

/// `{"numeric": [op, n]}` or `[">"|">=", a, "<"|"<=", b]` (eb-create-pattern-operators,
/// "Numeric matching"), with event-ruler's `processNumericMatchExpression` texts.
fn numeric(items: &[Spanned], span: Span, json_path: &str) -> Result<NumericRange> {
    let at = |i: usize| -> (Span, String) {
        match items.get(i) {
            Some(item) => (item.span, path_index(json_path, i)),
            None => (
                Span {
                    start: span.end.saturating_sub(1),
                    end: span.end,
                    ..span
                },
                json_path.to_string(),
            ),
        }
    };
    let token_text = |i: usize| -> String {
        match items.get(i).map(|v| &v.value) {
            Some(JsonValue::String(s)) => s.clone(),
            Some(JsonValue::Number(n)) => n.text.clone(),
            Some(JsonValue::Bool(b)) => b.to_string(),
            Some(JsonValue::Null) => "null".to_string(),
            Some(JsonValue::Array(_)) => "[".to_string(),
            Some(JsonValue::Object(_)) => "{".to_string(),
            None => "]".to_string(),
        }
    };
    let number_at = |i: usize, op_word: &str| -> Result<NumberLiteral> {
        let (s, p) = at(i);
        match items.get(i).map(|v| &v.value) {
            // event-ruler compares the bounds once the array is closed.
            Some(JsonValue::Number(n)) => {
                comparable_number(&n.text, s, &p).map_err(|e| e.decided_at_close(span))
            }
            Some(_) => fail(
                ErrorKind::BadNumeric,
                format!("Value of {op_word} must be numeric"),
                s,
                &p,
            ),
            None => fail_closed(
                ErrorKind::BadNumeric,
                format!("Value of {op_word} must be numeric"),
                s,
                &p,
                span,
            ),
        }
    };
    let too_many = |i: usize, reason: &str| -> Result<NumericRange> {
        let (s, p) = at(i);
        fail(ErrorKind::BadNumeric, reason, s, &p)
    };
    let Some(JsonValue::String(op)) = items.first().map(|v| &v.value) else {
        let (s, p) = at(0);
        let error = PatternError::new(
            ErrorKind::BadNumeric,
            format!("Invalid member in numeric match: {}", token_text(0)),
            s,
            &p,
        );
        return Err(if items.is_empty() {
            error.decided_at_close(span)
        } else {
            error
        });
    };
    let bound = |n: NumberLiteral, inclusive: bool| Bound {
        value: n.value,
        inclusive,
        text: n.text,
    };
    match op.as_str() {
        "=" => {
            let n = number_at(1, "equals")?;
            if items.len() > 2 {
                return too_many(2, TOO_MANY_NUMERIC);
            }
            Ok(NumericRange {
                lower: Some(bound(n.clone(), true)),
                upper: Some(bound(n, true)),
            })
        }
        ">" | ">=" => {
            let inclusive_bottom = op == ">=";
            let bottom = number_at(1, op)?;
            if items.len() == 2 {
                return Ok(NumericRange {
                    lower: Some(bound(bottom, inclusive_bottom)),
                    upper: None,
                });
            }
            let (s, p) = at(2);
            let Some(JsonValue::String(op2)) = items.get(2).map(|v| &v.value) else {
                return fail(
                    ErrorKind::BadNumeric,
                    format!("Bad value in numeric range: {}", token_text(2)),
                    s,
                    &p,
                );
            };
            if op2 != "<" && op2 != "<=" {
                return fail(
                    ErrorKind::BadNumeric,
                    format!("Bad numeric range operator: {op2}"),
                    s,
                    &p,
                );
            }
            let top = number_at(3, op2)?;
            if items.len() > 4 {
                return too_many(4, "Too many terms in numeric range expression");
            }
            if bottom.value >= top.value {
                let (s, p) = at(3);
                return fail_closed(
                    ErrorKind::BadNumeric,
                    "Bottom must be less than top",
                    s,
                    &p,
                    span,
                );
            }
            Ok(NumericRange {
                lower: Some(bound(bottom, inclusive_bottom)),
                upper: Some(bound(top, op2 == "<=")),
            })
        }
        "<" | "<=" => {
            let top = number_at(1, op)?;
            if items.len() > 2 {
                return too_many(2, TOO_MANY_NUMERIC);
            }
            Ok(NumericRange {
                lower: None,
                upper: Some(bound(top, op == "<=")),
            })
        }
        other => {
            let (s, p) = at(0);
            fail(
                ErrorKind::BadNumeric,
                format!("Unrecognized numeric range operator: {other}"),
                s,
                &p,
            )
        }
    }
}
