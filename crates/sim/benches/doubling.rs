//! Doubling benchmark for the costs that used to be quadratic (issue 12): each workload is run
//! at n, 2n, 4n and 8n, and the time should roughly double at each step. Each ratio is printed;
//! the verdict is on the whole span, t(8n) / t(n), which a linear cost keeps near 8 and a
//! quadratic one takes to 64: the process exits 1 above 16, so a regression is visible without
//! reading figures, and one noisy step on a shared machine does not fail it.
//!
//! - `json-one-line`: one event on a single line, `explain` on it (the JSON reader used to
//!   count a value's column from the start of its line: a 1.3 MB line took 40 s).
//! - `yaml-keys`: a template with n resources (the duplicate-key check scanned every earlier
//!   key; 100,000 resources took 113 s). Above 500 resources the loader stops at
//!   CloudFormation's limit, after parsing, so this times the parse.
//! - `reference-chain`: a chain of resources naming each other (`!GetAtt Q{n-1}.QueueName`),
//!   up to the 500-resource limit.
//! - `sqs-retention`: n messages sent one a millisecond to a queue nobody reads, expiring one
//!   by one (the sweep scanned the whole queue for each expiring message).
//!
//! Run: `cargo bench -p eventyard-sim --bench doubling [-- NAME...]` (only the workloads whose
//! name contains one of the NAMEs; SCALE=k multiplies every n by k).

use std::time::{Duration, Instant};

use eventyard_pattern::EventPattern;
use eventyard_sim::{NullSink, Simulator};
use eventyard_template::{Scripted, Send};

/// The best of five runs, to damp noise on a shared machine.
fn time(mut run: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn one_line_event(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!("{{\"k\":\"v{i}\",\"n\":{i}}}"))
        .collect();
    format!(
        "{{\"source\":\"x\",\"detail\":{{\"items\":[{}],\"last\":\"z\"}}}}",
        items.join(",")
    )
}

fn json_one_line(n: usize) -> Duration {
    let pattern = EventPattern::parse(r#"{"detail":{"items":{"k":["nope"]},"last":["z"]}}"#)
        .expect("pattern");
    let event = one_line_event(n);
    time(|| {
        let explained = pattern.explain_text(&event).expect("event is JSON");
        assert!(!explained.matched());
    })
}

fn resources(n: usize) -> String {
    let mut text = String::from("Resources:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 1\n"
        ));
    }
    text
}

fn yaml_keys(n: usize) -> Duration {
    let text = resources(n);
    time(|| {
        let result = eventyard_template::load(&text);
        assert!(result.is_ok() == (n <= 500));
    })
}

fn reference_chain(n: usize) -> Duration {
    let mut text = String::from("Resources:\n  Q0:\n    Type: AWS::SQS::Queue\n");
    for i in 1..n {
        text.push_str(&format!(
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Q{}.QueueName\n",
            i - 1
        ));
    }
    // Ten loads a timing: one takes milliseconds, too short to time alone on a busy machine.
    time(|| {
        for _ in 0..10 {
            let template = eventyard_template::load(&text).expect("the chain loads");
            assert_eq!(template.queues.len(), n);
        }
    })
}

fn sqs_retention(n: usize) -> Duration {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 60\n";
    let mut template = eventyard_template::load(text).expect("loads");
    let arn = template.queues[0].arn.clone();
    template.playground.scripted.push(Scripted {
        at_ms: 0,
        every_ms: Some(1),
        count: n as u64,
        send: Send::SendMessage {
            queue_arn: arn,
            bodies: vec!["x".into()],
            message_group_id: None,
            message_deduplication_id: None,
        },
    });
    time(|| {
        let mut sim = Simulator::new(&template, Some(1)).expect("simulator");
        sim.advance_to(n as u64 + 120_000, &mut NullSink::default());
        let ([_, _, expired, _], live) = sim.outcome_counts();
        assert_eq!((expired, live), (n as u64, 0));
    })
}

/// One workload: its size in, its best time out.
type Workload = fn(usize) -> Duration;

fn main() {
    let scale: usize = std::env::var("SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let workloads: [(&str, usize, Workload); 4] = [
        ("json-one-line", 20_000 * scale, json_one_line),
        ("yaml-keys", 12_500 * scale, yaml_keys),
        ("reference-chain", 60 * scale.min(2), reference_chain),
        ("sqs-retention", 10_000 * scale, sqs_retention),
    ];
    let names: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let mut failed = false;
    for (name, n, run) in workloads {
        if !names.is_empty() && !names.iter().any(|wanted| name.contains(wanted.as_str())) {
            continue;
        }
        let mut previous: Option<Duration> = None;
        let mut first: Option<Duration> = None;
        for step in 0..4u32 {
            let size = n << step;
            let took = run(size);
            let ratio = previous.map(|p| took.as_secs_f64() / p.as_secs_f64().max(1e-9));
            println!(
                "{name:16} n={size:>8}  {:>10.2} ms  ratio {}",
                took.as_secs_f64() * 1000.0,
                ratio.map_or("-".to_string(), |r| format!("{r:.2}"))
            );
            first.get_or_insert(took);
            previous = Some(took);
        }
        if let (Some(first), Some(last)) = (first, previous) {
            let span = last.as_secs_f64() / first.as_secs_f64().max(1e-9);
            let verdict = if span > 16.0 {
                failed = true;
                "more than linear"
            } else {
                "linear"
            };
            println!("{name:16} t(8n)/t(n) = {span:.1}: {verdict}");
        }
    }
    if failed {
        std::process::exit(1);
    }
}
