//! The pattern tester's input transformer tab: `InputPathsMap` and `InputTemplate` as typed,
//! checked against the rules EventBridge's PutTargets enforces, then applied to each event by
//! the simulator's own `transform::apply`, so the tab and the playground agree byte for byte.
//!
//! The rules (eb-transform-target-input and the `InputTransformer` API reference): at most 100
//! variables; names of letters, digits, `_` and `-`, never an `aws.` predefined name; every path
//! a JSONPath in dot notation starting with `$`; a template of 1 to 8,192 characters; in a
//! template that is a JSON object a placeholder cannot be an object key; a template that is
//! JSON must stay JSON once its placeholders are filled.

use eventyard_sim::transform::{apply, Predefined};
use eventyard_template::InputTransformer;
use serde_json::Value;

use crate::state::pattern_tester::TransformerText;

pub const MAX_VARIABLES: usize = 100;
pub const MAX_TEMPLATE: usize = 8_192;
/// What `<aws.events.rule-name>` and friends stand for in the tab.
pub const RULE_NAME: &str = "tester-rule";
pub const RULE_ARN: &str = "arn:aws:events:us-east-1:123456789012:rule/tester-rule";

const PREDEFINED: [&str; 5] = [
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];

/// A mistake in the transformer, with the box it is in and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransformerProblem {
    /// `InputPathsMap` or `InputTemplate`.
    pub field: &'static str,
    pub message: String,
    /// Byte range in that box's text.
    pub span: Option<(usize, usize)>,
}

/// What the target receives for one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// The exact text sent to the target.
    Input(String),
    /// The event is not JSON, so nothing is sent.
    NotAnEvent(String),
}

/// Checks the transformer; the first mistake found, in the order PutTargets reads them.
pub fn check(text: &TransformerText) -> Result<InputTransformer, TransformerProblem> {
    let paths_problem = |message: String, span: Option<(usize, usize)>| TransformerProblem {
        field: "InputPathsMap",
        message,
        span,
    };
    let mut input_paths_map = Vec::new();
    if !text.paths.trim().is_empty() {
        let map: serde_json::Map<String, Value> =
            serde_json::from_str(&text.paths).map_err(|error| {
                let at = crate::state::editor::offset_of(
                    &text.paths,
                    error.line() as u32,
                    error.column() as u32,
                );
                paths_problem(
                    format!("InputPathsMap must be a JSON object of variable names to JSON paths: {error}"),
                    Some((at.saturating_sub(1), at)),
                )
            })?;
        if map.len() > MAX_VARIABLES {
            return Err(paths_problem(
                format!("InputPathsMap has more than {MAX_VARIABLES} variables"),
                None,
            ));
        }
        for (name, path) in map {
            let span = find_quoted(&text.paths, &name);
            if PREDEFINED.contains(&name.as_str()) || name.to_ascii_lowercase().starts_with("aws.")
            {
                return Err(paths_problem(
                    format!("InputPathsMap variable {name} is reserved: names starting with aws. are EventBridge's predefined variables"),
                    span,
                ));
            }
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(paths_problem(
                    format!("InputPathsMap variable name \"{name}\" is not valid: use letters, digits, _ and -"),
                    span,
                ));
            }
            let Value::String(path) = path else {
                return Err(paths_problem(
                    format!("InputPathsMap {name}: the path must be a string"),
                    span,
                ));
            };
            if !valid_path(&path) {
                return Err(paths_problem(
                    format!("InputPathsMap {name}: \"{path}\" is not a valid JSON path (dot notation starting with $, e.g. $.detail.state)"),
                    find_quoted(&text.paths, &path).or(span),
                ));
            }
            input_paths_map.push((name, path));
        }
    }
    let template_problem = |message: String, span: Option<(usize, usize)>| TransformerProblem {
        field: "InputTemplate",
        message,
        span,
    };
    let template = &text.template;
    if template.is_empty() {
        return Err(template_problem(
            "Property InputTemplate cannot be empty.".into(),
            None,
        ));
    }
    if template.chars().count() > MAX_TEMPLATE {
        return Err(template_problem(
            format!("InputTemplate is longer than {MAX_TEMPLATE} characters"),
            None,
        ));
    }
    let transformer = InputTransformer {
        input_paths_map,
        input_template: template.clone(),
    };
    if template.trim_start().starts_with('{') {
        if let Some(span) = placeholder_key(template) {
            return Err(template_problem(
                format!(
                    "InputTemplate: the placeholder {} cannot be used as an object key",
                    &template[span.0..span.1]
                ),
                Some(span),
            ));
        }
        // Filled with a sample of every kind, the template must read as JSON.
        let filled = apply(&transformer, &Value::String("x".into()), &predefined("x"));
        if let Err(error) = serde_json::from_str::<Value>(&filled) {
            return Err(template_problem(
                format!(
                    "InputTemplate is not valid JSON once its placeholders are filled: {error}"
                ),
                None,
            ));
        }
    }
    Ok(transformer)
}

/// The target input for each event text.
pub fn outputs(transformer: &InputTransformer, events: &[String]) -> Vec<Output> {
    events
        .iter()
        .map(|event| match serde_json::from_str::<Value>(event) {
            Err(error) => Output::NotAnEvent(format!("The event is not valid JSON: {error}")),
            Ok(value) => {
                let time = value
                    .get("time")
                    .and_then(Value::as_str)
                    .unwrap_or("2026-01-01T00:00:00Z")
                    .to_string();
                Output::Input(apply(transformer, &value, &predefined(&time)))
            }
        })
        .collect()
}

fn predefined(time: &str) -> Predefined<'_> {
    Predefined {
        rule_arn: RULE_ARN,
        rule_name: RULE_NAME,
        ingestion_time: time,
    }
}

/// `$`, then `.name` segments (letters, digits, `_`, `-`, `/`, `*`) or `[n]` indexes.
fn valid_path(path: &str) -> bool {
    let Some(mut rest) = path.strip_prefix('$') else {
        return false;
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_-/*@:".contains(c))
            {
                return false;
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return false;
            };
            let index = &after[..end];
            if index != "*" && (index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit())) {
                return false;
            }
            rest = &after[end + 1..];
        } else {
            return false;
        }
    }
    true
}

/// The first `"text"` in `source`, with its quotes.
fn find_quoted(source: &str, text: &str) -> Option<(usize, usize)> {
    let quoted = serde_json::to_string(text).ok()?;
    source.find(&quoted).map(|at| (at, at + quoted.len()))
}

/// A `<placeholder>` standing where an object key goes (right after `{` or `,` outside strings).
fn placeholder_key(template: &str) -> Option<(usize, usize)> {
    let mut in_string = false;
    let mut escaped = false;
    let mut expect_key = false;
    for (at, c) in template.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                expect_key = false;
            }
            '{' | ',' => expect_key = true,
            '<' if expect_key => {
                let end = template[at..]
                    .find('>')
                    .map_or(template.len(), |i| at + i + 1);
                // Only when followed by a colon: a placeholder as an array element is fine.
                if template[end..].trim_start().starts_with(':') {
                    return Some((at, end));
                }
                expect_key = false;
            }
            c if c.is_whitespace() => {}
            _ => expect_key = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::samples::{SAMPLES, TRANSFORMER_PATHS, TRANSFORMER_TEMPLATE};

    fn text(paths: &str, template: &str) -> TransformerText {
        TransformerText {
            paths: paths.into(),
            template: template.into(),
        }
    }

    #[test]
    fn the_example_gives_the_exact_target_input() {
        let transformer = check(&text(TRANSFORMER_PATHS, TRANSFORMER_TEMPLATE)).unwrap();
        let outputs = outputs(&transformer, &[SAMPLES[0].event.to_string()]);
        assert_eq!(
            outputs,
            [Output::Input(
                r#"{"summary": "EC2 Instance State-change Notification from aws.ec2 at 2026-11-11T21:29:54Z", "detail": {"instance-id":"i-1234567890abcdef0","state":"stopped"}, "rule": "tester-rule"}"#.into()
            )]
        );
    }

    #[test]
    fn a_plain_text_template_and_a_missing_path() {
        let transformer = check(&text(
            r#"{"s": "$.detail.state", "gone": "$.detail.nope"}"#,
            "<s> and <gone>!",
        ))
        .unwrap();
        assert_eq!(
            outputs(
                &transformer,
                &[r#"{"detail": {"state": "up"}}"#.into(), "nope".into()]
            )[0],
            Output::Input("\"up\" and \"\"!".into())
        );
    }

    #[test]
    fn aws_rules_are_errors_with_their_place() {
        let problem = check(&text(r#"{"s": "detail.state"}"#, "<s>")).unwrap_err();
        assert_eq!(problem.field, "InputPathsMap");
        assert!(
            problem.message.contains("not a valid JSON path"),
            "{}",
            problem.message
        );
        assert_eq!(problem.span, Some((6, 20)));

        let problem = check(&text(r#"{"aws.events.rule-name": "$.x"}"#, "<s>")).unwrap_err();
        assert!(problem.message.contains("reserved"));

        let problem = check(&text(r#"{"s": "$.x"}"#, "")).unwrap_err();
        assert_eq!(problem.message, "Property InputTemplate cannot be empty.");

        let problem = check(&text(r#"{"s": "$.x"}"#, r#"{<s>: 1}"#)).unwrap_err();
        assert!(problem.message.contains("cannot be used as an object key"));
        assert_eq!(problem.span, Some((1, 4)));

        let problem = check(&text(r#"{"s": "$.x"}"#, r#"{"a": <s> "b": 1}"#)).unwrap_err();
        assert!(
            problem.message.contains("not valid JSON once"),
            "{}",
            problem.message
        );

        let problem = check(&text("[1]", "x")).unwrap_err();
        assert!(problem
            .message
            .starts_with("InputPathsMap must be a JSON object"));

        let many: Vec<String> = (0..101).map(|i| format!("\"v{i}\": \"$.x\"")).collect();
        let problem = check(&text(&format!("{{{}}}", many.join(",")), "x")).unwrap_err();
        assert_eq!(problem.message, "InputPathsMap has more than 100 variables");
    }

    #[test]
    fn paths_in_dot_notation_with_indexes() {
        assert!(valid_path("$"));
        assert!(valid_path("$.detail.rides[0].ride-id"));
        assert!(!valid_path("$.detail['x']"));
        assert!(!valid_path("$..x"));
    }
}
