//! `eventyard check`: pattern tests for CI pipelines. JSON Lines cases in on stdin, one JSON
//! line out per input line, in order: `{"id", "result", "reason"}`.
//!
//! EventBridge cases (`"dialect": "eventbridge"`, the default): `pattern` (a JSON value) or
//! `pattern_text` (exact text: duplicate keys, number tokens, invalid JSON), `event` or
//! `event_text` (any JSON, no envelope) → `match` | `no_match` | `invalid_pattern` |
//! `invalid_event`. SNS cases (`"dialect": "sns"`): `filter_policy` or `filter_policy_text`,
//! `scope` (`MessageAttributes`, the default, or `MessageBody`), `message_attributes` (the SNS
//! API shape), `message_body` (the published string) → `deliver` | `filter` |
//! `invalid_policy`. The `*_raw` spellings of the shared conformance corpus are accepted too.
//! Patterns take TestEventPattern's 4,096-character limit.
//!
//! A line that is not a usable case yields `{"id", "result": "error", "reason"}` for that line
//! only. When a case carries `expect` and the result differs, the exit status is 1, so a CI
//! job fails; 0 otherwise.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use eventyard_pattern::{Dialect, EventPattern, FilterPolicy, FilterPolicyScope};
use serde_json::{json, Value};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Add to each case that contradicts its `expect` a `"link"` that opens it in the pattern
    /// tester, so a red CI run is one click from the explanation.
    #[arg(long)]
    links: bool,
    /// The app's address those links open.
    #[arg(long, default_value = eventyard_links::DEFAULT_BASE, requires = "links")]
    base: String,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let base = args.links.then_some(args.base.as_str());
    match check_all(io::stdin().lock(), io::stdout().lock(), base) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eventyard check: {e}");
            ExitCode::from(2)
        }
    }
}

/// Checks every line; returns how many cases contradicted their own `expect`.
fn check_all(input: impl BufRead, output: impl Write, links: Option<&str>) -> io::Result<usize> {
    let mut out = BufWriter::new(output);
    let mut unexpected = 0;
    for (index, line) in input.split(b'\n').enumerate() {
        let mut line = line?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        // A line that is not UTF-8 is that line's error; the cases after it still run.
        let mut verdict = match String::from_utf8(line) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => check_line(&line, index + 1, links),
            Err(e) => error(
                Value::Null,
                format!("line {} is not UTF-8: {}", index + 1, e.utf8_error()),
            ),
        };
        if let (Some(expect), Some(result)) = (
            verdict.expect.as_deref(),
            verdict.answer.get("result").and_then(Value::as_str),
        ) {
            let agrees =
                expect == result || (expect == "valid_policy" && result != "invalid_policy");
            if !agrees {
                unexpected += 1;
                if let (Some(link), Some(answer)) =
                    (verdict.link.take(), verdict.answer.as_object_mut())
                {
                    answer.insert("link".into(), Value::String(link));
                }
            }
        }
        serde_json::to_writer(&mut out, &verdict.answer)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(unexpected)
}

struct Verdict {
    answer: Value,
    expect: Option<String>,
    /// The pattern-tester link of this case, when links were asked for.
    link: Option<String>,
}

fn check_line(line: &str, number: usize, links: Option<&str>) -> Verdict {
    let case: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            // Too deep (or malformed further on) for a tree: still name the case it was.
            let id = top_level_id(line).unwrap_or(Value::Null);
            return error(id, format!("line {number} is not JSON: {e}"));
        }
    };
    let id = case.get("id").cloned().unwrap_or(Value::Null);
    if !case.is_object() {
        return error(id, format!("line {number} is not a JSON object"));
    }
    let expect = case
        .get("expect")
        .and_then(Value::as_str)
        .map(str::to_string);
    let outcome = match case.get("dialect").map(|d| d.as_str()) {
        None | Some(Some("eventbridge")) => eventbridge(&case),
        Some(Some("sns")) => sns(&case),
        Some(_) => Err("\"dialect\" must be \"eventbridge\" or \"sns\"".to_string()),
    };
    let link = links.and_then(|base| case_link(&case, base));
    match outcome {
        Ok((result, reason)) => Verdict {
            answer: json!({"id": id, "result": result, "reason": reason}),
            expect,
            link,
        },
        Err(message) => {
            let mut v = error(id, format!("line {number}: {message}"));
            v.expect = expect;
            v.link = link;
            v
        }
    }
}

/// The link that opens a case in the pattern tester: its dialect, its pattern and its event as
/// the case wrote them.
fn case_link(case: &Value, base: &str) -> Option<String> {
    let text = |name: &str| text_of(case, name).ok().flatten();
    let (dialect, pattern, event) = match case.get("dialect").and_then(Value::as_str) {
        Some("sns") => {
            let body = case.get("scope").and_then(Value::as_str) == Some("MessageBody");
            let event = if body {
                // The published string as it was, not as JSON text.
                case.get("message_body")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            } else {
                text("message_attributes")
            };
            let dialect = if body { "sns-body" } else { "sns-attributes" };
            (dialect, text("filter_policy")?, event.unwrap_or_default())
        }
        _ => (
            "eventbridge",
            text("pattern")?,
            text("event").unwrap_or_default(),
        ),
    };
    Some(eventyard_links::url(
        base,
        &eventyard_links::LinkDocument::PatternTester(eventyard_links::TesterLink {
            dialect: dialect.into(),
            pattern,
            events: vec![event],
            transformer: None,
        }),
    ))
}

/// The `"id"` member of a line's top-level object, read without building the rest: a case
/// nested deeper than the reader's limit (128) still answers with its own id. Scans bytes once,
/// keeping only a depth counter, so no input can make it recurse.
fn top_level_id(line: &str) -> Option<Value> {
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    // (start, end) of the last string closed at depth 1, and whether ':' followed it.
    let mut key: Option<(usize, usize)> = None;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                if depth == 1 {
                    key = Some((start, i + 1));
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b':' if depth == 1 => {
                let name = key.take().and_then(|(s, e)| line.get(s..e));
                let name: Option<String> = name.and_then(|n| serde_json::from_str(n).ok());
                if name.as_deref() == Some("id") {
                    let rest = line.get(i + 1..)?;
                    // The id's own value ends at the first ',' or '}' outside strings at its
                    // level; a scalar (the usual id) needs no more.
                    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
                    return stream.next().and_then(Result::ok);
                }
            }
            b',' if depth == 1 => key = None,
            _ => {}
        }
        i += 1;
    }
    None
}

fn error(id: Value, reason: String) -> Verdict {
    Verdict {
        answer: json!({"id": id, "result": "error", "reason": reason}),
        expect: None,
        link: None,
    }
}

/// The text of a case field: `<name>_text` (or the corpus' `<name>_raw`) verbatim, else the
/// JSON value `<name>` serialised. None when absent.
fn text_of(case: &Value, name: &str) -> Result<Option<String>, String> {
    for exact in [format!("{name}_text"), format!("{name}_raw")] {
        match case.get(&exact) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => return Ok(Some(s.clone())),
            Some(_) => return Err(format!("\"{exact}\" must be a string")),
        }
    }
    Ok(case.get(name).map(Value::to_string))
}

fn eventbridge(case: &Value) -> Result<(&'static str, String), String> {
    let pattern_text = text_of(case, "pattern")?.ok_or("the case has no \"pattern\"")?;
    let pattern = match EventPattern::parse_for_test(&pattern_text) {
        Ok(p) => p,
        Err(e) => return Ok(("invalid_pattern", e.message_for(Dialect::EventBridge))),
    };
    let event_text = text_of(case, "event")?.ok_or("the case has no \"event\"")?;
    match pattern.explain_text(&event_text) {
        Ok(x) => Ok((if x.matched() { "match" } else { "no_match" }, x.reason())),
        Err(e) => Ok(("invalid_event", format!("Event is not valid JSON: {e}"))),
    }
}

fn sns(case: &Value) -> Result<(&'static str, String), String> {
    let policy_text = text_of(case, "filter_policy")?.ok_or("the case has no \"filter_policy\"")?;
    let scope = match case.get("scope").map(|s| s.as_str()) {
        None | Some(Some("MessageAttributes")) => FilterPolicyScope::MessageAttributes,
        Some(Some("MessageBody")) => FilterPolicyScope::MessageBody,
        Some(_) => return Err("\"scope\" must be \"MessageAttributes\" or \"MessageBody\"".into()),
    };
    let policy = match FilterPolicy::parse(&policy_text, scope) {
        Ok(p) => p,
        Err(e) => return Ok(("invalid_policy", e.message_for(Dialect::SnsSubscribe))),
    };
    let explanation = match scope {
        FilterPolicyScope::MessageAttributes => {
            let attributes = case
                .get("message_attributes")
                .cloned()
                .unwrap_or(Value::Null);
            policy.explain_attributes(&attributes)
        }
        FilterPolicyScope::MessageBody => {
            let body = match case.get("message_body") {
                None | Some(Value::Null) => "",
                Some(Value::String(s)) => s.as_str(),
                Some(_) => return Err("\"message_body\" must be a string".into()),
            };
            policy.explain_body(body)
        }
    };
    let result = if explanation.matched() {
        "deliver"
    } else {
        "filter"
    };
    Ok((result, explanation.reason()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        check_all(input.as_bytes(), &mut out, None).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn one_line_out_per_line_in() {
        let got = check(concat!(
            r#"{"id": 1, "pattern": {"a": ["x"]}, "event": {"a": "x"}}"#,
            "\n",
            "not json\n",
            r#"{"id": "t", "pattern_text": "{\"a\": [1, 1.0]}", "event_text": "{\"a\": 1.00}"}"#,
            "\n",
            r#"{"id": 3, "pattern": {"a": []}, "event": {}}"#,
            "\n",
            r#"{"id": 4, "pattern": {"a": ["x"]}, "event_text": "{"}"#,
            "\n",
        ));
        let results: Vec<&str> = got.iter().map(|v| v["result"].as_str().unwrap()).collect();
        assert_eq!(
            results,
            [
                "match",
                "error",
                "match",
                "invalid_pattern",
                "invalid_event"
            ]
        );
        assert_eq!(got[0]["id"], 1);
        assert_eq!(got[1]["id"], Value::Null);
    }

    #[test]
    fn expectations_count() {
        let mut out = Vec::new();
        let n = check_all(
            r#"{"id": 1, "pattern": {"a": ["x"]}, "event": {"a": "y"}, "expect": "match"}"#
                .as_bytes(),
            &mut out,
            None,
        )
        .unwrap();
        assert_eq!(n, 1);
    }

    /// `--links`: a case that contradicts its `expect` carries the link that opens it in the
    /// pattern tester; a case that agrees carries none.
    #[test]
    fn failing_cases_carry_the_link_that_opens_them() {
        let mut out = Vec::new();
        let input = concat!(
            r#"{"id": 1, "pattern": {"a": ["x"]}, "event": {"a": "y"}, "expect": "match"}"#,
            "\n",
            r#"{"id": 2, "pattern": {"a": ["x"]}, "event": {"a": "x"}, "expect": "match"}"#,
            "\n",
        );
        check_all(input.as_bytes(), &mut out, Some("http://app/")).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let link = lines[0]["link"].as_str().unwrap();
        assert!(
            link.starts_with("http://app/#/pattern-tester?link=1."),
            "{link}"
        );
        let eventyard_links::LinkDocument::PatternTester(opened) =
            eventyard_links::decode(eventyard_links::payload_of(link)).unwrap()
        else {
            panic!("a tester link")
        };
        assert_eq!(opened.pattern, r#"{"a":["x"]}"#);
        assert_eq!(opened.events, [r#"{"a":"y"}"#]);
        assert!(lines[1].get("link").is_none());
    }
}
