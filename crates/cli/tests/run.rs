//! `eventyard run` end to end: the table, the JSON Lines trace, determinism, and errors with
//! positions.

use std::process::Command;

fn eventyard(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eventyard"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn temp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("eventyard-run-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn prints_a_table_per_resource() {
    let (code, stdout, stderr) = eventyard(&[
        "run",
        "presets/donut-shop.yaml",
        "--until",
        "2m",
        "--seed",
        "7",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let header = stdout.lines().nth(1).unwrap();
    for column in [
        "resource",
        "received",
        "delivered",
        "filtered",
        "failed",
        "in DLQ",
        "left",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let donut_rule = stdout.lines().find(|l| l.starts_with("DonutRule")).unwrap();
    let numbers: Vec<&str> = donut_rule.split_whitespace().collect();
    // DonutRule: tested 33 times (20 orders + 13 kitchen events), delivered 13 donut orders.
    assert_eq!(&numbers[2..5], &["33", "13", "20"], "{donut_rule}");
}

#[test]
fn trace_is_json_lines_and_byte_identical_for_the_same_seed() {
    let first = temp("first.jsonl");
    let second = temp("second.jsonl");
    for path in [&first, &second] {
        let (code, _, stderr) = eventyard(&[
            "run",
            "presets/donut-shop.yaml",
            "--until",
            "1m",
            "--seed",
            "3",
            "--trace",
            path,
        ]);
        assert_eq!(code, 0, "{stderr}");
    }
    let a = std::fs::read(&first).unwrap();
    let b = std::fs::read(&second).unwrap();
    assert!(!a.is_empty());
    assert_eq!(a, b);
    for line in String::from_utf8(a).unwrap().lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            record["time_ms"].is_u64()
                && record["action"].is_string()
                && record["resource"].is_string()
        );
    }
}

#[test]
fn send_file_adds_events() {
    let events = temp("events.json");
    std::fs::write(
        &events,
        r#"[{"Source": "shop.web", "DetailType": "OrderPlaced", "EventBusName": "donut-shop",
            "Detail": "{\"orderId\": \"x-1\", \"type\": \"pie\"}"}]"#,
    )
    .unwrap();
    let trace = temp("send.jsonl");
    let (code, _, stderr) = eventyard(&[
        "run",
        "presets/donut-shop.yaml",
        "--until",
        "500ms",
        "--send",
        &events,
        "--trace",
        &trace,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(text.contains("x-1"), "{text}");
}

#[test]
fn template_errors_name_the_resource_line_and_column() {
    let path = temp("bad.yaml");
    std::fs::write(
        &path,
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 9000\n",
    )
    .unwrap();
    let (code, _, stderr) = eventyard(&["run", &path, "--until", "1s"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("line 5, column 21: Q: Invalid value for DelaySeconds: 9000"),
        "{stderr}"
    );
}

#[test]
fn bad_durations_are_usage_errors() {
    let (code, _, stderr) = eventyard(&["run", "presets/donut-shop.yaml", "--until", "soon"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a duration"));
}

#[test]
fn simplifications_are_listed_without_a_template() {
    let (code, stdout, stderr) = eventyard(&["run", "--simplifications"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("What this simulator simplifies:"),
        "{stdout}"
    );
    for simplification in eventyard_sim::SIMPLIFICATIONS {
        assert!(
            stdout.contains(&format!("{}: {}", simplification.area, simplification.text)),
            "{stdout}"
        );
    }
    assert!(stdout.contains("Short polling: "), "{stdout}");
}

/// Short polling answers at once, often empty; long polling waits up to 20 seconds per call
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html).
#[test]
fn workers_show_their_empty_receives() {
    let (code, stdout, stderr) = eventyard(&["run", "presets/short-vs-long-polling.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    let header = stdout.lines().nth(1).unwrap();
    assert!(header.ends_with("left  empty receives"), "{header}");
    let empty_receives = |name: &str| -> u64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {stdout}"));
        assert!(line.contains(" Worker (polls a queue) "), "{line}");
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    let (short, long) = (empty_receives("ShortPoller"), empty_receives("LongPoller"));
    assert!(short > 10 * long.max(1), "{stdout}");
}

#[test]
fn runs_without_workers_have_no_empty_receives_column() {
    let (code, stdout, stderr) = eventyard(&["run", "presets/donut-shop.yaml", "--until", "1m"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("empty receives"), "{stdout}");
}

/// `--trace -` writes the JSON Lines to standard output, so the table goes to standard error:
/// every line of stdout is one trace record, and a pipe into a JSON tool reads nothing else.
#[test]
fn trace_to_stdout_keeps_stdout_json_lines_only() {
    let (code, stdout, stderr) = eventyard(&[
        "run",
        "presets/donut-shop.yaml",
        "--until",
        "1m",
        "--trace",
        "-",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().count() > 10);
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a trace record ({e}): {line}"));
        assert!(record["action"].is_string());
    }
    assert!(
        stderr.contains("resource") && stderr.contains("received"),
        "{stderr}"
    );
}
