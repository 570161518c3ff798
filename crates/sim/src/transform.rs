//! Target input as EventBridge builds it (eb-transform-target-input): `Input` (constant),
//! `InputPath` (a JSONPath into the event) and `InputTransformer` (`InputPathsMap` +
//! `InputTemplate` with `<var>` placeholders). Declared functions build the bodies they send
//! the same way. A string variable is quoted or not depending on whether the placeholder
//! stands inside a JSON string in the template.

use serde_json::Value;

use eventyard_template::InputTransformer;

use crate::payload::json_text;

/// Follow a JSONPath of the subset EventBridge accepts: `$`, `.name` (dashes allowed), `[n]`.
pub fn json_path<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let rest = path.trim().strip_prefix('$')?;
    let mut current = root;
    let mut chars = rest;
    while !chars.is_empty() {
        if let Some(after) = chars.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let (name, tail) = after.split_at(end);
            current = current.get(name)?;
            chars = tail;
        } else if let Some(after) = chars.strip_prefix('[') {
            let end = after.find(']')?;
            let (index, tail) = after.split_at(end);
            let index = index.trim();
            current = if let Ok(i) = index.parse::<usize>() {
                current.get(i)?
            } else {
                let key = index.trim_matches(|c| c == '\'' || c == '"');
                current.get(key)?
            };
            chars = tail.strip_prefix(']').unwrap_or(tail);
        } else {
            return None;
        }
    }
    Some(current)
}

/// Values the predefined variables stand for.
pub struct Predefined<'a> {
    pub rule_arn: &'a str,
    pub rule_name: &'a str,
    pub ingestion_time: &'a str,
}

/// Apply an input transformer to `input`. Returns the text the target receives.
pub fn apply(transformer: &InputTransformer, input: &Value, predefined: &Predefined<'_>) -> String {
    let template = transformer.input_template.as_str();
    let mut out = String::with_capacity(template.len() + 32);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let name = &rest[1..end];
                if let Some(value) = variable(transformer, input, predefined, name) {
                    insert(&mut out, &value, in_string);
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn variable(
    transformer: &InputTransformer,
    input: &Value,
    predefined: &Predefined<'_>,
    name: &str,
) -> Option<Value> {
    match name {
        "aws.events.rule-arn" => return Some(Value::String(predefined.rule_arn.to_string())),
        "aws.events.rule-name" => return Some(Value::String(predefined.rule_name.to_string())),
        "aws.events.event.ingestion-time" => {
            return Some(Value::String(predefined.ingestion_time.to_string()))
        }
        "aws.events.event.json" => return Some(input.clone()),
        // The event without `detail`, its keys in camelCase (`detailType`), as AWS gives it.
        "aws.events.event" => {
            let Value::Object(map) = input else {
                return Some(input.clone());
            };
            let event = map
                .iter()
                .filter(|(key, _)| *key != "detail")
                .map(|(key, value)| (camel_case(key), value.clone()))
                .collect();
            return Some(Value::Object(event));
        }
        _ => {}
    }
    let (_, path) = transformer
        .input_paths_map
        .iter()
        .find(|(variable, _)| variable == name)?;
    // A path the event does not have gives an empty string (eb-transform-target-input).
    Some(
        json_path(input, path)
            .cloned()
            .unwrap_or(Value::String(String::new())),
    )
}

/// `detail-type` → `detailType`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn insert(out: &mut String, value: &Value, in_string: bool) {
    match (value, in_string) {
        // An object or array placed inside text goes in as JSON, without extra quoting.
        (Value::Object(_) | Value::Array(_), true) => out.push_str(&json_text(value)),
        // Inside a JSON string: the text itself, escaped so the string stays valid.
        (Value::String(s), true) => {
            let quoted = serde_json::to_string(s).unwrap_or_default();
            out.push_str(
                quoted
                    .get(1..quoted.len().saturating_sub(1))
                    .unwrap_or_default(),
            );
        }
        (Value::Null, true) => {}
        (other, true) => {
            let quoted = serde_json::to_string(&json_text(other)).unwrap_or_default();
            out.push_str(
                quoted
                    .get(1..quoted.len().saturating_sub(1))
                    .unwrap_or_default(),
            );
        }
        (other, false) => out.push_str(&json_text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(paths: &[(&str, &str)], template: &str, event: Value, expected: &str) {
        let transformer = InputTransformer {
            input_paths_map: paths
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            input_template: template.to_string(),
        };
        let predefined = Predefined {
            rule_arn: "arn:aws:events:us-east-1:123456789012:rule/r",
            rule_name: "r",
            ingestion_time: "2026-01-01T00:00:00Z",
        };
        assert_eq!(apply(&transformer, &event, &predefined), expected);
    }

    #[test]
    fn strings_are_quoted_outside_json_strings_only() {
        // eb-transform-target-input: "<status>" inside quotes inserts the raw text.
        check(
            &[("status", "$.detail.status"), ("n", "$.detail.n")],
            r#"{"state": <status>, "text": "is <status> now", "n": <n>}"#,
            json!({"detail": {"status": "up", "n": 3}}),
            r#"{"state": "up", "text": "is up now", "n": 3}"#,
        );
    }

    #[test]
    fn predefined_variables_and_missing_paths() {
        check(
            &[("gone", "$.detail.gone")],
            r#"{"rule": <aws.events.rule-name>, "gone": <gone>, "id": "<gone>"}"#,
            json!({"detail": {}}),
            r#"{"rule": "r", "gone": "", "id": ""}"#,
        );
    }

    /// eb-transform-target-input: objects and arrays inside text are inserted as JSON, and
    /// `<aws.events.event>` is the event without `detail`, keys in camelCase.
    #[test]
    fn objects_in_text_and_the_predefined_event() {
        check(
            &[("o", "$.detail.o"), ("a", "$.detail.a")],
            r#"{"text": "got <o> and <a>"}"#,
            json!({"detail": {"o": {"k": "v"}, "a": [1, "x"]}}),
            r#"{"text": "got {"k":"v"} and [1,"x"]"}"#,
        );
        check(
            &[],
            r#"<aws.events.event>"#,
            json!({"version": "0", "id": "i", "detail-type": "t", "source": "s", "detail": {"x": 1}}),
            r#"{"version":"0","id":"i","detailType":"t","source":"s"}"#,
        );
    }

    #[test]
    fn json_path_subset() {
        let event = json!({"detail": {"rides": [{"ride-id": "r1"}]}});
        assert_eq!(
            json_path(&event, "$.detail.rides[0].ride-id"),
            Some(&json!("r1"))
        );
        assert_eq!(json_path(&event, "$"), Some(&event));
        assert_eq!(json_path(&event, "$.nope"), None);
        assert_eq!(json_path(&event, "detail"), None);
    }
}
