//! End-to-end tests of the pattern subcommands, running the built `eventyard` binary:
//! `events test-event-pattern` (API_TestEventPattern), `explain`, `match`, `check`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The corpus reader of the pattern crate's conformance test, shared rather than copied.
#[path = "../../pattern/tests/support/python_json.rs"]
mod python_json;
use python_json::python_json;

fn eventyard(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventyard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the eventyard binary runs");
    // write from another thread: a large input and a large output would otherwise fill both
    // pipes and wait on each other
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_string();
    let writer = std::thread::spawn(move || {
        // the child may exit before reading everything (an error path): not a failure here
        let _ = input.write_all(text.as_bytes());
    });
    let output = child.wait_with_output().expect("eventyard finishes");
    let _ = writer.join();
    output
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file with `content` in this test binary's scratch folder.
fn file(name: &str, content: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pattern_commands");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("scratch file");
    path
}

const ENVELOPE: &str = r#"{"id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "Order Placed",
  "source": "donut.shop", "account": "123456789012", "time": "2026-11-25T00:00:00Z",
  "region": "us-east-1", "resources": [], "detail": {"flavor": "donut", "count": 300.0}}"#;

// ---- events test-event-pattern (API_TestEventPattern) ----------------------------------

#[test]
fn test_event_pattern_prints_the_result_as_the_aws_cli_does() {
    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            r#"{"detail": {"flavor": ["donut"], "count": [300]}}"#,
            "--event",
            ENVELOPE,
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\n    \"Result\": true\n}\n");

    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            r#"{"detail": {"flavor": ["pie"]}}"#,
            "--event",
            ENVELOPE,
        ],
        "",
    );
    assert!(o.status.success());
    assert_eq!(stdout(&o), "{\n    \"Result\": false\n}\n");
}

#[test]
fn test_event_pattern_reads_file_parameters() {
    let pattern = file("pattern.json", r#"{"source": [{"prefix": "donut."}]}"#);
    let event = file("event.json", ENVELOPE);
    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            &format!("file://{}", pattern.display()),
            "--event",
            &format!("file://{}", event.display()),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"Result\": true"));

    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            "file:///nonexistent/pattern.json",
            "--event",
            ENVELOPE,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(252));
    assert!(stderr(&o).contains("Unable to load paramfile file:///nonexistent/pattern.json"));
}

#[test]
fn test_event_pattern_invalid_pattern_is_an_aws_error() {
    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            r#"{"detail": {"flavor": []}}"#,
            "--event",
            ENVELOPE,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(254));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains(
            "An error occurred (InvalidEventPatternException) when calling the TestEventPattern \
             operation: Event pattern is not valid. Reason: Empty arrays are not allowed"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn test_event_pattern_checks_the_envelope() {
    let o = eventyard(
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            r#"{"detail": {"flavor": ["donut"]}}"#,
            "--event",
            r#"{"detail": {"flavor": "donut"}}"#,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(254));
    assert_eq!(
        stderr(&o).trim(),
        "An error occurred (ValidationException) when calling the TestEventPattern operation: \
         Parameter Event is not valid."
    );
}

// ---- explain -------------------------------------------------------------------------

#[test]
fn explain_lists_every_leaf_and_the_deciding_reason() {
    let o = eventyard(
        &[
            "explain",
            "--event-pattern",
            r#"{"source": ["donut.shop"], "detail": {"flavor": ["donut"]}}"#,
            "--event",
            r#"{"source": "donut.shop", "detail": {"flavor": "pie"}}"#,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("NO MATCH: "), "{text}");
    assert!(lines[0].contains("detail.flavor"), "{text}");
    assert!(lines.iter().any(|l| l.contains("pass  source")), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("FAIL  detail.flavor") && l.contains("\"pie\"")),
        "{text}"
    );

    let o = eventyard(
        &[
            "explain",
            "--event-pattern",
            r#"{"detail": {"flavor": ["pie"]}}"#,
            "--event",
            r#"{"detail": {"flavor": "pie"}}"#,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("MATCH: "));
}

#[test]
fn explain_reports_unusable_input() {
    let o = eventyard(
        &[
            "explain",
            "--event-pattern",
            r#"{"a": "x"}"#,
            "--event",
            "{}",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Event pattern is not valid. Reason:"),
        "{}",
        stderr(&o)
    );
    let o = eventyard(
        &[
            "explain",
            "--event-pattern",
            r#"{"a": ["x"]}"#,
            "--event",
            "{",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid JSON"));
}

// ---- match ---------------------------------------------------------------------------

const RULES: &str = r#"{
  "r0": {"detail": {"flavor": ["donut"]}},
  "r1": "{\"source\": [{\"prefix\": \"donut\"}]}",
  "r2": {"detail": {"count": [{"numeric": [">", 10]}]}},
  "r3": {"detail": {"flavor": [{"anything-but": "donut"}]}}
}"#;

const EVENTS: &str = concat!(
    r#"{"source": "donut.shop", "detail": {"flavor": "donut", "count": 12}}"#,
    "\n",
    r#"{"source": "pie.shop", "detail": {"flavor": "pie", "count": 3}}"#,
    "\r\n",
    "\n",
    r#"{"source": "x", "detail": {"flavor": ["donut", "pie"]}}"#,
    "\n",
    "{not json\n",
    r#"{"source": "donut"}"#,
);

#[test]
fn match_prints_one_line_per_event() {
    let rules = file("rules.json", RULES);
    let o = eventyard(&["match", "--rules", rules.to_str().unwrap()], EVENTS);
    assert_eq!(
        o.status.code(),
        Some(1),
        "one line is not JSON: {}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&o),
        "[\"r0\",\"r1\",\"r2\"]\n[\"r3\"]\n[\"r0\",\"r3\"]\nnull\n[\"r1\"]\n"
    );
    assert!(stderr(&o).contains("-:5:"), "{}", stderr(&o));
}

#[test]
fn match_counts_and_reads_files() {
    let rules = file("rules_count.json", RULES);
    let events = file("events.jsonl", EVENTS);
    let o = eventyard(
        &[
            "match",
            "--rules",
            &format!("file://{}", rules.display()),
            "--count",
            events.to_str().unwrap(),
            events.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        concat!(
            "{\"rule\":\"r0\",\"count\":4}\n",
            "{\"rule\":\"r1\",\"count\":4}\n",
            "{\"rule\":\"r2\",\"count\":2}\n",
            "{\"rule\":\"r3\",\"count\":4}\n"
        )
    );
}

#[test]
fn match_rejects_bad_rules() {
    let rules = file(
        "bad_rules.json",
        r#"{"ok": {"a": ["x"]}, "bad": {"a": "x"}}"#,
    );
    let o = eventyard(&["match", "--rules", rules.to_str().unwrap()], "{}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("rule \"bad\": Event pattern is not valid. Reason:"));
    let o = eventyard(&["match", "--rules", "/nonexistent/rules.json"], "");
    assert_eq!(o.status.code(), Some(2));
    let rules = file("array_rules.json", "[]");
    let o = eventyard(&["match", "--rules", rules.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("must be a JSON object"));
}

// ---- check ---------------------------------------------------------------------------

#[test]
fn check_answers_every_line_in_order() {
    let input = [
        r#"{"id": "eb-match", "pattern": {"detail": {"n": [300]}}, "event": {"detail": {"n": 300.0}}, "expect": "match"}"#,
        r#"{"id": "eb-no", "pattern": {"a": [{"prefix": "x"}]}, "event": {"a": "yx"}, "expect": "no_match"}"#,
        r#"{"id": "eb-bad", "pattern_text": "{\"a\": [{\"NUMERIC\": [\"<\", 1]}]}", "event": {}, "expect": "invalid_pattern"}"#,
        r#"{"id": "eb-dup", "dialect": "eventbridge", "pattern_text": "{\"a\": [\"x\"], \"a\": [\"y\"]}", "event_text": "{\"a\": \"y\"}"}"#,
        r#"{"id": "eb-event", "pattern": {"a": ["x"]}, "event_text": "{\"a\": "}"#,
        "this line is not JSON",
        r#"{"id": "sns-attr", "dialect": "sns", "filter_policy": {"attr1": [{"numeric": [">", 0, "<=", 100]}]}, "scope": "MessageAttributes", "message_attributes": {"attr1": {"DataType": "Number", "StringValue": "99"}}, "expect": "deliver"}"#,
        r#"{"id": "sns-body", "dialect": "sns", "filter_policy": {"a": {"b": ["x"]}}, "scope": "MessageBody", "message_body": "{\"a\": {\"b\": \"y\"}}", "expect": "filter"}"#,
        r#"{"id": "sns-body-text", "dialect": "sns", "filter_policy": {"a": ["x"]}, "scope": "MessageBody", "message_body": "not json"}"#,
        r#"{"id": "sns-bad", "dialect": "sns", "filter_policy": {"a": {"b": ["x"]}}, "scope": "MessageAttributes", "expect": "invalid_policy"}"#,
        r#"{"id": "odd", "dialect": "kinesis"}"#,
    ]
    .join("\n");
    let o = eventyard(&["check"], &input);
    assert_eq!(
        o.status.code(),
        Some(0),
        "every expectation holds: {}",
        stdout(&o)
    );
    let out: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    let summary: Vec<(String, String)> = out
        .iter()
        .map(|v| {
            (
                v["id"].to_string(),
                v["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("\"eb-match\"", "match"),
        ("\"eb-no\"", "no_match"),
        ("\"eb-bad\"", "invalid_pattern"),
        ("\"eb-dup\"", "match"),
        ("\"eb-event\"", "invalid_event"),
        ("null", "error"),
        ("\"sns-attr\"", "deliver"),
        ("\"sns-body\"", "filter"),
        ("\"sns-body-text\"", "filter"),
        ("\"sns-bad\"", "invalid_policy"),
        ("\"odd\"", "error"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(summary, expected);
    assert!(out[2]["reason"]
        .as_str()
        .unwrap()
        .contains("Unrecognized match type NUMERIC"));
    assert!(out.iter().all(|v| v["reason"].is_string()));
    // the key order of every answer
    assert!(stdout(&o).lines().all(|l| l.starts_with("{\"id\":")
        && l.contains(",\"result\":")
        && l.contains(",\"reason\":")));
}

/// One line of invalid UTF-8 used to abort the run ("stream did not contain valid UTF-8") and
/// lose every later case; it is that line's error now, with its number, and the run goes on.
#[test]
fn check_reports_a_line_of_invalid_utf8_and_goes_on() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventyard"))
        .arg("check")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the eventyard binary runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(b"{\"id\": \"a\", \"pattern\": {\"a\": [\"x\"]}, \"event\": {\"a\": \"x\"}}\n{\"id\": \"\xff\xfe\"}\r\n{\"id\": \"c\", \"pattern\": {\"a\": [\"x\"]}, \"event\": {\"a\": \"y\"}}\n")
        .expect("write");
    drop(input);
    let o = child.wait_with_output().expect("eventyard finishes");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", stdout(&o));
    assert_eq!(lines[0]["result"], "match");
    assert_eq!(lines[1]["result"], "error");
    assert!(lines[1]["reason"]
        .as_str()
        .unwrap()
        .starts_with("line 2 is not UTF-8: invalid utf-8 sequence"));
    assert_eq!(
        (&lines[2]["id"], &lines[2]["result"]),
        (&serde_json::json!("c"), &serde_json::json!("no_match"))
    );
}

/// A case nested deeper than the reader's 128 levels answered `"id": null`; it keeps its id.
#[test]
fn check_keeps_the_id_of_a_case_nested_too_deep() {
    let deep = format!(
        r#"{{"other": {{"id": 0}}, "id": "deep-1", "pattern": {{"a": ["x"]}}, "event": {{"a": {}{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let o = eventyard(&["check"], &deep);
    let answer: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
    assert_eq!(answer["id"], "deep-1");
    assert_eq!(answer["result"], "error");
    assert!(answer["reason"]
        .as_str()
        .unwrap()
        .starts_with("line 1 is not JSON: recursion limit exceeded"));
}

#[test]
fn check_fails_the_run_when_an_expectation_does_not_hold() {
    let o = eventyard(
        &["check"],
        r#"{"id": 1, "pattern": {"a": ["x"]}, "event": {"a": "x"}, "expect": "no_match"}"#,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("\"result\":\"match\""));
}

/// The shared conformance corpus through `eventyard check`: every case must give its expected
/// answer unless the pattern crate's allowlist explains why not.
#[test]
fn check_over_the_conformance_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/conformance");
    if !dir.is_dir() {
        // Written past the test harness's capture, so scripts/test.sh counts this test as
        // skipped (it checked nothing), never as passed.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "eventyard-skipped: check_over_the_conformance_corpus (the conformance corpus is absent at {})",
            dir.display()
        );
        return;
    }
    let allow =
        std::fs::read_to_string(root.join("crates/pattern/tests/conformance_allowlist.txt"))
            .unwrap_or_default();
    let mut checked = 0;
    for name in [
        "eventbridge_cases.jsonl",
        "sns_filter_cases.jsonl",
        "sns_valid_policy_cases.jsonl",
    ] {
        let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        let dialect = if name.starts_with("sns") {
            "sns"
        } else {
            "eventbridge"
        };
        let input: Vec<String> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut case: serde_json::Value =
                    serde_json::from_str(&python_json(l)).expect("corpus lines are JSON");
                case["dialect"] = dialect.into();
                case.to_string()
            })
            .collect();
        let o = eventyard(&["check"], &input.join("\n"));
        let answers: Vec<serde_json::Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON answer"))
            .collect();
        assert_eq!(answers.len(), input.len(), "{name}: one answer per case");
        for (case, answer) in input.iter().zip(&answers) {
            let case: serde_json::Value = serde_json::from_str(case).unwrap();
            let id = case["id"].as_str().unwrap_or_default();
            let expect = case["expect"].as_str().unwrap_or_default();
            let result = answer["result"].as_str().unwrap_or_default();
            let agrees =
                expect == result || (expect == "valid_policy" && result != "invalid_policy");
            assert!(
                agrees || allow.contains(id),
                "{name}: {id}: expected {expect}, got {result} ({})",
                answer["reason"]
            );
            assert_eq!(answer["id"], case["id"]);
            checked += 1;
        }
    }
    assert!(checked > 900, "checked {checked} cases");
}
