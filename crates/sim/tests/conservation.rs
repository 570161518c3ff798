//! Conservation property: at every moment each message is in exactly one place (in flight, in
//! a queue, in a DLQ, consumed, filtered, expired, dropped), over random small templates and
//! seeds. Determinism: the same template and seed give a byte-identical trace, and a restored
//! snapshot replays the same future.

use eventyard_sim::{JsonLinesSink, Simulator, TraceAction, VecSink};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Topology {
    queues: Vec<QueueSpec>,
    rules: Vec<(usize, u8)>,
    subscriptions: Vec<SubscriptionSpec>,
    /// An HTTPS subscription `H`: (a Down window (from s, length s), a DLQ of its own). HTTP/S
    /// is the one protocol whose delivery policy gives up within the run (3 retries 20 s
    /// apart by default), so a server-side outage reaches its DLQ here.
    https: Option<(Option<(u64, u64)>, bool)>,
    functions: Vec<FunctionSpec>,
    workers: Vec<WorkerSpec>,
    /// A queue declared down: (queue, from s, length s).
    queue_down: Option<(usize, u64, u64)>,
    /// L0's EventInvokeConfig: (MaximumRetryAttempts, on-failure to Q0, on-success to the topic).
    invoke_config: Option<(u64, bool, bool)>,
    events: Vec<(u64, u8, u8)>,
    seed: u64,
    duplicates: u64,
    reorder: bool,
}

#[derive(Debug, Clone)]
struct QueueSpec {
    fifo: bool,
    visibility_s: u64,
    delay_s: u64,
    retention_s: u64,
    max_receive: Option<u64>,
}

/// An SNS subscription of a standard queue: (queue, filtered, raw), and the two things that
/// reach its dead-letter queue within the run: a `Refused` window (the endpoint refuses SNS, a
/// client-side error SNS does not retry: sns-dead-letter-queues) and a `RedrivePolicy` to a DLQ
/// of its own. A server-side outage of a queue would need the 23 days of SNS's delivery policy
/// for AWS endpoints, and "with the exception of HTTP/S, you can't change Amazon SNS-defined
/// delivery policies" (sns-message-delivery-retries), so that path stays a direct test
/// (payload_shapes); the server-side path is generated through the HTTPS subscription instead.
#[derive(Debug, Clone)]
struct SubscriptionSpec {
    queue: usize,
    filtered: bool,
    raw: bool,
    /// (from s, length s).
    refused: Option<(u64, u64)>,
    dead_letter: bool,
}

#[derive(Debug, Clone)]
struct FunctionSpec {
    queue: usize,
    duration_ms: u64,
    fail_percent: u64,
    fail_kind: Option<u8>,
    down: Option<(u64, u64)>,
    batch: u64,
    partial: bool,
    forward_to_bus: bool,
}

#[derive(Debug, Clone)]
struct WorkerSpec {
    queue: usize,
    wait_s: u64,
    max_messages: u64,
    fail_kind: Option<u8>,
}

const KINDS: [&str; 3] = ["donut", "pie", "cake"];

fn render(t: &Topology) -> String {
    let mut functions_meta = String::new();
    let mut resources = String::new();
    for (i, q) in t.queues.iter().enumerate() {
        resources.push_str(&format!(
            "  Q{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: {}\n      DelaySeconds: {}\n      MessageRetentionPeriod: {}\n",
            q.visibility_s, q.delay_s, q.retention_s
        ));
        if q.fifo {
            resources.push_str("      FifoQueue: true\n      ContentBasedDeduplication: true\n");
        }
        if let Some(max) = q.max_receive {
            resources.push_str(&format!(
                "      RedrivePolicy: {{deadLetterTargetArn: !GetAtt D{i}.Arn, maxReceiveCount: {max}}}\n  D{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: {}\n",
                q.retention_s
            ));
            if q.fifo {
                resources.push_str("      FifoQueue: true\n");
            }
        }
    }
    resources.push_str("  T:\n    Type: AWS::SNS::Topic\n");
    let mut subscriptions_meta = String::new();
    for (i, sub) in t.subscriptions.iter().enumerate() {
        let queue = sub.queue % t.queues.len();
        if t.queues[queue].fifo {
            continue;
        }
        resources.push_str(&format!(
            "  S{i}:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref T\n      Protocol: sqs\n      Endpoint: !GetAtt Q{queue}.Arn\n      RawMessageDelivery: {}\n",
            sub.raw
        ));
        if sub.filtered {
            resources.push_str("      FilterPolicyScope: MessageBody\n      FilterPolicy: {detail: {kind: [donut]}}\n");
        }
        if sub.dead_letter {
            resources.push_str(&format!(
                "      RedrivePolicy: {{deadLetterTargetArn: !GetAtt SD{i}.Arn}}\n  SD{i}:\n    Type: AWS::SQS::Queue\n"
            ));
        }
        if let Some((from, len)) = sub.refused {
            subscriptions_meta.push_str(&format!(
                "      S{i}: {{Refused: [{{From: {from}s, Until: {}s}}]}}\n",
                from + len
            ));
        }
    }
    for (i, (target, kind)) in t.rules.iter().enumerate() {
        let kind = KINDS[*kind as usize % KINDS.len()];
        let target = target % (t.queues.len() + 2);
        let (arn, extra) = if target == t.queues.len() {
            ("!Ref T".to_string(), String::new())
        } else if target == t.queues.len() + 1 {
            (
                "!GetAtt L0.Arn".to_string(),
                "          RetryPolicy: {MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120}\n"
                    .to_string(),
            )
        } else if t.queues[target].fifo {
            (
                format!("!GetAtt Q{target}.Arn"),
                "          SqsParameters: {MessageGroupId: g}\n".to_string(),
            )
        } else {
            (format!("!GetAtt Q{target}.Arn"), String::new())
        };
        resources.push_str(&format!(
            "  R{i}:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {{source: [test], detail: {{kind: [{kind}]}}}}\n      Targets:\n        - Id: t\n          Arn: {arn}\n{extra}"
        ));
    }
    // L0 is always there so rules can target it asynchronously.
    resources.push_str("  L0:\n    Type: AWS::Lambda::Function\n    Properties: {Handler: x, Runtime: python3.12}\n");
    functions_meta.push_str("      L0: {Duration: 100ms, FailPercent: 30}\n");
    if let Some((retries, on_failure, on_success)) = t.invoke_config {
        let mut destinations = String::new();
        if on_failure && !t.queues[0].fifo {
            destinations.push_str("        OnFailure: {Destination: !GetAtt Q0.Arn}\n");
        }
        if on_success {
            destinations.push_str("        OnSuccess: {Destination: !Ref T}\n");
        }
        let config = if destinations.is_empty() {
            String::new()
        } else {
            format!("      DestinationConfig:\n{destinations}")
        };
        resources.push_str(&format!(
            "  L0Config:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref L0\n      Qualifier: $LATEST\n      MaximumRetryAttempts: {retries}\n      MaximumEventAgeInSeconds: 120\n{config}"
        ));
    }
    for (i, f) in t.functions.iter().enumerate() {
        let queue = f.queue % t.queues.len();
        let batch = if t.queues[queue].fifo {
            f.batch.min(10)
        } else {
            f.batch
        };
        let window = if batch > 10 { 1 } else { 0 };
        let responses = if f.partial {
            "[ReportBatchItemFailures]"
        } else {
            "[]"
        };
        resources.push_str(&format!(
            "  F{i}:\n    Type: AWS::Lambda::Function\n    Properties: {{Handler: x, Runtime: python3.12, Timeout: 5}}\n  M{i}:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Q{queue}.Arn\n      FunctionName: !Ref F{i}\n      BatchSize: {batch}\n      MaximumBatchingWindowInSeconds: {window}\n      FunctionResponseTypes: {responses}\n"
        ));
        let mut meta = format!(
            "      F{i}:\n        Duration: {}ms\n        FailPercent: {}\n",
            f.duration_ms, f.fail_percent
        );
        if let Some(kind) = f.fail_kind {
            meta.push_str(&format!(
                "        FailWhen: {{kind: [{}]}}\n",
                KINDS[kind as usize % KINDS.len()]
            ));
        }
        if let Some((from, len)) = f.down {
            meta.push_str(&format!(
                "        Down: [{{From: {from}s, Until: {}s}}]\n",
                from + len
            ));
        }
        if f.forward_to_bus {
            meta.push_str("        Actions:\n          - PutEvents: {Source: forwarded, DetailType: again, Detail: '{\"kind\": \"echo\"}'}\n");
        }
        functions_meta.push_str(&meta);
    }
    let mut workers_meta = String::new();
    for (i, w) in t.workers.iter().enumerate() {
        let queue = w.queue % t.queues.len();
        let fail = w.fail_kind.map_or(String::new(), |k| {
            format!(
                ", FailWhen: {{kind: [{}]}}",
                KINDS[k as usize % KINDS.len()]
            )
        });
        workers_meta.push_str(&format!(
            "      W{i}: {{QueueUrl: !Ref Q{queue}, WaitTimeSeconds: {}, MaxNumberOfMessages: {}, IdlePause: 1s, Duration: 300ms{fail}}}\n",
            w.wait_s, w.max_messages
        ));
    }
    let queues_meta = t.queue_down.map_or(String::new(), |(queue, from, len)| {
        format!(
            "    Queues:\n      Q{}: {{Down: [{{From: {from}s, Until: {}s}}]}}\n",
            queue % t.queues.len(),
            from + len
        )
    });
    if let Some((down, dead_letter)) = t.https {
        resources.push_str("  H:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref T\n      Protocol: https\n      Endpoint: https://example.com/hook\n");
        if dead_letter {
            resources.push_str("      RedrivePolicy: {deadLetterTargetArn: !GetAtt HD.Arn}\n  HD:\n    Type: AWS::SQS::Queue\n");
        }
        if let Some((from, len)) = down {
            subscriptions_meta.push_str(&format!(
                "      H: {{Down: [{{From: {from}s, Until: {}s}}]}}\n",
                from + len
            ));
        }
    }
    let subscriptions_meta = if subscriptions_meta.is_empty() {
        String::new()
    } else {
        format!("    Subscriptions:\n{subscriptions_meta}")
    };
    let workers_meta = if workers_meta.is_empty() {
        String::new()
    } else {
        format!("    Workers:\n{workers_meta}")
    };
    let mut events = String::new();
    for (at, kind, how) in &t.events {
        let kind = KINDS[*kind as usize % KINDS.len()];
        let entry = match how % 3 {
            0 => format!("      - {{At: {at}ms, PutEvents: {{Source: test, DetailType: t, Detail: {{kind: {kind}}}}}}}\n"),
            1 => format!("      - {{At: {at}ms, Publish: {{TopicArn: !Ref T, Message: '{{\"detail\": {{\"kind\": \"{kind}\"}}}}'}}}}\n"),
            _ => {
                let group = if t.queues[0].fifo { ", MessageGroupId: g" } else { "" };
                format!("      - {{At: {at}ms, SendMessage: {{QueueUrl: !Ref Q0, MessageBody: '{kind}-{at}'{group}}}}}\n")
            }
        };
        events.push_str(&entry);
    }
    format!(
        "Metadata:\n  Eventyard:\n    Seed: {}\n    StandardQueues: {{DuplicatePercent: {}, Reorder: {}}}\n    Functions:\n{functions_meta}{workers_meta}{queues_meta}{subscriptions_meta}    Events:\n{events}Resources:\n{resources}",
        t.seed, t.duplicates, t.reorder
    )
}

fn queue_spec() -> impl Strategy<Value = QueueSpec> {
    (
        any::<bool>(),
        0u64..40,
        0u64..5,
        60u64..400,
        proptest::option::of(1u64..4),
    )
        .prop_map(
            |(fifo, visibility_s, delay_s, retention_s, max_receive)| QueueSpec {
                fifo,
                visibility_s,
                delay_s,
                retention_s,
                max_receive,
            },
        )
}

fn function_spec() -> impl Strategy<Value = FunctionSpec> {
    (
        0usize..3,
        0u64..8000,
        0u64..60,
        proptest::option::of(0u8..3),
        proptest::option::of((0u64..200, 1u64..120)),
        1u64..20,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                queue,
                duration_ms,
                fail_percent,
                fail_kind,
                down,
                batch,
                partial,
                forward_to_bus,
            )| FunctionSpec {
                queue,
                duration_ms,
                fail_percent,
                fail_kind,
                down,
                batch,
                partial,
                forward_to_bus,
            },
        )
}

fn subscription_spec() -> impl Strategy<Value = SubscriptionSpec> {
    (
        0usize..3,
        any::<bool>(),
        any::<bool>(),
        proptest::option::weighted(0.6, (0u64..100, 1u64..100)),
        proptest::bool::weighted(0.75),
    )
        .prop_map(
            |(queue, filtered, raw, refused, dead_letter)| SubscriptionSpec {
                queue,
                filtered,
                raw,
                refused,
                dead_letter,
            },
        )
}

fn worker_spec() -> impl Strategy<Value = WorkerSpec> {
    (
        0usize..3,
        prop_oneof![Just(0u64), 1u64..21],
        1u64..11,
        proptest::option::of(0u8..3),
    )
        .prop_map(|(queue, wait_s, max_messages, fail_kind)| WorkerSpec {
            queue,
            wait_s,
            max_messages,
            fail_kind,
        })
}

fn topology() -> impl Strategy<Value = Topology> {
    (
        proptest::collection::vec(queue_spec(), 1..4),
        proptest::collection::vec((0usize..6, 0u8..3), 0..5),
        (
            proptest::collection::vec(subscription_spec(), 0..3),
            proptest::option::of((
                proptest::option::weighted(0.7, (0u64..100, 1u64..200)),
                proptest::bool::weighted(0.75),
            )),
        ),
        proptest::collection::vec(function_spec(), 0..3),
        proptest::collection::vec(worker_spec(), 0..2),
        proptest::option::of((0usize..3, 0u64..100, 1u64..100)),
        proptest::option::of((0u64..3, any::<bool>(), any::<bool>())),
        proptest::collection::vec((0u64..120_000, 0u8..3, 0u8..3), 1..25),
        any::<u64>(),
        0u64..40,
        any::<bool>(),
    )
        .prop_map(
            |(
                queues,
                rules,
                (subscriptions, https),
                functions,
                workers,
                queue_down,
                invoke_config,
                events,
                seed,
                duplicates,
                reorder,
            )| {
                Topology {
                    queues,
                    rules,
                    subscriptions,
                    https,
                    functions,
                    workers,
                    queue_down,
                    invoke_config,
                    events,
                    seed,
                    duplicates,
                    reorder,
                }
            },
        )
}

fn simulator(text: &str) -> Simulator {
    let template = eventyard_template::load(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    Simulator::new(&template, None).unwrap_or_else(|e| panic!("{e:?}"))
}

fn trace_bytes(text: &str, until_ms: u64) -> Vec<u8> {
    let mut sim = simulator(text);
    let mut sink = JsonLinesSink::new(Vec::new());
    sim.advance_to(until_ms, &mut sink);
    sink.writer
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_message_is_in_exactly_one_place_at_every_moment(t in topology()) {
        let text = render(&t);
        let mut sim = simulator(&text);
        let mut sink = VecSink::default();
        let mut steps = 0;
        while sim.next_happening_ms().is_some_and(|at| at <= 900_000) && steps < 20_000 {
            sim.step(&mut sink);
            steps += 1;
            if let Err(problem) = sim.check_conservation() {
                prop_assert!(false, "{problem}\n{text}");
            }
        }
    }

    #[test]
    fn same_template_and_seed_give_a_byte_identical_trace(t in topology()) {
        let text = render(&t);
        prop_assert_eq!(trace_bytes(&text, 300_000), trace_bytes(&text, 300_000));
    }

    #[test]
    fn a_restored_snapshot_replays_the_same_future(t in topology(), cut_ms in 0u64..200_000) {
        let text = render(&t);
        let mut sim = simulator(&text);
        let mut ignored = VecSink::default();
        sim.advance_to(cut_ms, &mut ignored);
        let snapshot = sim.snapshot();
        let mut first = JsonLinesSink::new(Vec::new());
        sim.advance_to(400_000, &mut first);
        sim.restore(snapshot);
        let mut second = JsonLinesSink::new(Vec::new());
        sim.advance_to(400_000, &mut second);
        prop_assert_eq!(first.writer, second.writer);
    }
}

#[test]
fn running_in_slices_gives_the_same_trace_as_one_run() {
    let text = render(&Topology {
        queues: vec![QueueSpec {
            fifo: false,
            visibility_s: 5,
            delay_s: 1,
            retention_s: 120,
            max_receive: Some(2),
        }],
        rules: vec![(0, 0), (1, 1)],
        subscriptions: vec![SubscriptionSpec {
            queue: 0,
            filtered: true,
            raw: false,
            refused: Some((5, 20)),
            dead_letter: true,
        }],
        https: Some((Some((10, 100)), true)),
        functions: vec![FunctionSpec {
            queue: 0,
            duration_ms: 700,
            fail_percent: 20,
            fail_kind: Some(1),
            down: Some((10, 30)),
            batch: 3,
            partial: true,
            forward_to_bus: true,
        }],
        workers: vec![WorkerSpec {
            queue: 0,
            wait_s: 0,
            max_messages: 2,
            fail_kind: Some(2),
        }],
        queue_down: Some((0, 40, 20)),
        invoke_config: Some((1, true, true)),
        events: (0..40)
            .map(|i| (i * 1500, (i % 3) as u8, (i % 3) as u8))
            .collect(),
        seed: 99,
        duplicates: 10,
        reorder: true,
    });
    let whole = trace_bytes(&text, 200_000);
    let mut sim = simulator(&text);
    let mut sink = JsonLinesSink::new(Vec::new());
    let mut frame_ms = 0;
    while frame_ms < 200_000 {
        frame_ms += 16;
        while !sim.run_slice(frame_ms.min(200_000), 3, &mut sink) {}
    }
    assert_eq!(whole, sink.writer);
}

#[test]
fn generated_topologies_do_something() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut total_records = 0;
    // Messages subscriptions sent to their own dead-letter queues: after a client-side error
    // (the queue subscriptions' `Refused` windows) and after the HTTPS delivery policy gave up
    // (its `Down` window). The property test must see both paths.
    let mut client_side_dead_letters = 0;
    let mut server_side_dead_letters = 0;
    for _ in 0..20 {
        let t = topology().new_tree(&mut runner).unwrap().current();
        let mut sim = simulator(&render(&t));
        let mut sink = VecSink::default();
        sim.advance_to(600_000, &mut sink);
        total_records += sink.records.len();
        for r in &sink.records {
            if r.action == TraceAction::MovedToDlq {
                if &*r.resource == "H" {
                    server_side_dead_letters += 1;
                } else if r.resource.starts_with('S') && !r.resource.starts_with("SD") {
                    client_side_dead_letters += 1;
                }
            }
        }
        let (finals, live) = sim.outcome_counts();
        assert!(finals.iter().sum::<u64>() + live as u64 > 0);
    }
    assert!(total_records > 1_000, "{total_records}");
    assert!(client_side_dead_letters > 0);
    assert!(server_side_dead_letters > 0);
}
