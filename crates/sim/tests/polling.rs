//! Short and long polling by declared workers (sqs-short-and-long-polling), and queues declared
//! down: SNS and EventBridge retry towards them (sns-message-delivery-retries,
//! eb-rule-retry-policy).

mod common;

use common::{count, of, run_checked, simulator};
use eventyard_sim::TraceAction;

fn worker_template(worker: &str, queue_wait_s: u64, sends: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Workers:
      W: {{QueueUrl: !Ref Q, {worker}}}
    Events:
{sends}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      ReceiveMessageWaitTimeSeconds: {queue_wait_s}
      VisibilityTimeout: 5
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt DLQ.Arn, maxReceiveCount: 2}}
  DLQ:
    Type: AWS::SQS::Queue
"
    )
}

/// Long polling waits on an empty queue: an idle minute costs one empty receive per 20 s wait,
/// and a message sent while the worker waits is received at once.
#[test]
fn long_polling_answers_when_a_message_arrives() {
    let text = worker_template(
        "WaitTimeSeconds: 20",
        0,
        "      - {At: 70s, SendMessage: {QueueUrl: !Ref Q, MessageBody: '{\"n\": 1}'}}",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    assert_eq!(
        sim.counters("W").empty_receives,
        3,
        "at 20 s, 40 s and 60 s"
    );
    assert_eq!(sim.counters("Q").empty_receives, 3);
    let records_after = run_checked(&mut sim, 75_000);
    assert!(records.is_empty());
    let sent = of(&records_after, "Q", TraceAction::Received);
    let taken = of(&records_after, "W", TraceAction::Received);
    assert_eq!((sent.len(), taken.len()), (1, 1));
    assert_eq!(
        sent[0].time_ms, taken[0].time_ms,
        "no wait for the next poll"
    );
    assert_eq!(count(&records_after, "Q", TraceAction::Deleted), 1);
}

/// Short polling answers at once: an idle minute with a one-second pause costs about sixty
/// empty receives, and messages wait for the next call.
#[test]
fn short_polling_costs_empty_receives() {
    let text = worker_template(
        "IdlePause: 1s",
        0,
        "      - {At: 500ms, Every: 2s, Count: 20, SendMessage: {QueueUrl: !Ref Q, MessageBody: '{\"n\": 1}'}}",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    let empty = sim.counters("W").empty_receives;
    assert!((40..=61).contains(&empty), "{empty} empty receives");
    assert_eq!(count(&records, "Q", TraceAction::Deleted), 20);
    // A message sent between two calls waits for the next one.
    let sent = of(&records, "Q", TraceAction::Received);
    let taken = of(&records, "W", TraceAction::Received);
    let waited: Vec<u64> = sent
        .iter()
        .zip(&taken)
        .map(|(s, t)| t.time_ms - s.time_ms)
        .collect();
    assert!(waited.iter().any(|&w| w >= 500), "{waited:?}");
}

/// Without `WaitTimeSeconds` the worker uses the queue's ReceiveMessageWaitTimeSeconds.
#[test]
fn the_queue_attribute_sets_the_default_wait() {
    let text = worker_template("MaxNumberOfMessages: 10", 10, "      []");
    let text = text.replace("    Events:\n      []\n", "");
    let mut sim = simulator(&text);
    run_checked(&mut sim, 60_000);
    assert_eq!(sim.counters("W").empty_receives, 6, "one per 10 s wait");
}

/// A worker that fails a message leaves it in the queue: it comes back after the visibility
/// timeout and, past maxReceiveCount, moves to the dead-letter queue.
#[test]
fn failed_messages_return_then_move_to_the_dlq() {
    let text = worker_template(
        "WaitTimeSeconds: 20, Duration: 100ms, FailWhen: {poison: [true]}",
        0,
        "      - {At: 1s, SendMessage: {QueueUrl: !Ref Q, MessageBody: '{\"poison\": true}'}}
      - {At: 2s, SendMessage: {QueueUrl: !Ref Q, MessageBody: '{\"poison\": false}'}}",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    assert_eq!(count(&records, "W", TraceAction::Failed), 2);
    assert_eq!(count(&records, "Q", TraceAction::MovedToDlq), 1);
    assert_eq!(count(&records, "Q", TraceAction::Deleted), 1);
    assert_eq!(
        sim.queue_bodies("DLQ"),
        vec![r#"{"poison": true}"#.to_string()]
    );
}

/// sns-message-delivery-retries: while a subscribed queue is down, SNS retries (3 immediate,
/// 2 at 1 s, then backing off); the message arrives once the queue is back.
#[test]
fn sns_retries_towards_a_queue_that_is_down() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Queues:
      Q: {Down: [{From: 0s, Until: 30s}]}
    Events:
      - {At: 1s, Publish: {TopicArn: !Ref T, Message: hello}}
Resources:
  T:
    Type: AWS::SNS::Topic
  S:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn, RawMessageDelivery: true}
  Q:
    Type: AWS::SQS::Queue
";
    let mut sim = simulator(text);
    let records = run_checked(&mut sim, 120_000);
    let retried = of(&records, "S", TraceAction::Retried);
    assert!(retried.len() > 5, "{}", retried.len());
    assert!(retried[0].reason.starts_with("SQS unavailable"));
    let arrived = of(&records, "Q", TraceAction::Received);
    assert_eq!(arrived.len(), 1);
    assert!(arrived[0].time_ms >= 30_000);
    assert_eq!(sim.queue_bodies("Q"), vec!["hello".to_string()]);
}

/// eb-rule-retry-policy: an SQS target that is down fails the delivery; after the RetryPolicy
/// the event goes to the target's DLQ with ERROR_CODE and ERROR_MESSAGE.
#[test]
fn eventbridge_retries_towards_a_queue_that_is_down() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Queues:
      Q: {Down: [{From: 0s, Until: 1h}]}
    Events:
      - {At: 1s, PutEvents: {Source: app, DetailType: x, Detail: {}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [app]}
      Targets:
        - Id: q
          Arn: !GetAtt Q.Arn
          RetryPolicy: {MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600}
          DeadLetterConfig: {Arn: !GetAtt DLQ.Arn}
  Q:
    Type: AWS::SQS::Queue
  DLQ:
    Type: AWS::SQS::Queue
";
    let mut sim = simulator(text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(count(&records, "R", TraceAction::Retried), 2);
    assert_eq!(count(&records, "R", TraceAction::MovedToDlq), 1);
    assert_eq!(sim.queue_depth("Q"), Some(0));
    assert_eq!(sim.queue_depth("DLQ"), Some(1));
}

/// A scripted SendMessage to a queue that is down fails: the sender sees the error.
#[test]
fn a_direct_send_to_a_queue_that_is_down_fails() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Queues:
      Q: {Down: [{From: 0s, Until: 10s}]}
    Events:
      - {At: 5s, SendMessage: {QueueUrl: !Ref Q, MessageBody: a}}
      - {At: 15s, SendMessage: {QueueUrl: !Ref Q, MessageBody: b}}
Resources:
  Q:
    Type: AWS::SQS::Queue
";
    let mut sim = simulator(text);
    let records = run_checked(&mut sim, 20_000);
    let failed = of(&records, "Q", TraceAction::Failed);
    assert_eq!(failed.len(), 1);
    assert!(failed[0].reason.starts_with("ServiceUnavailable"));
    assert_eq!(sim.queue_bodies("Q"), vec!["b".to_string()]);
}

/// Metadata errors point at the value.
#[test]
fn worker_and_queue_settings_are_checked() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Queues:
      Nope: {Down: [{From: 0s, Until: 10s}]}
    Workers:
      W: {QueueUrl: elsewhere}
      V: {QueueUrl: !Ref Q, WaitTimeSeconds: 21, MaxNumberOfMessages: 11}
      Q: {QueueUrl: !Ref Q}
Resources:
  Q:
    Type: AWS::SQS::Queue
";
    let errors = eventyard_template::load(text).expect_err("five errors");
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Q is already a resource's logical id")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("Nope is not a queue")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("elsewhere is not a queue")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("WaitTimeSeconds: 21")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("MaxNumberOfMessages: 11")),
        "{lines:?}"
    );
}

/// The preset's lesson: both workers get every order; the short poller pays for far more empty
/// receives, and the long poller gets each order the moment it reaches the queue.
#[test]
fn preset_short_versus_long_polling() {
    let mut sim = simulator(&common::preset("short-vs-long-polling.yaml"));
    let records = run_checked(&mut sim, 180_000);
    assert_eq!(count(&records, "ShortPollQueue", TraceAction::Deleted), 16);
    assert_eq!(count(&records, "LongPollQueue", TraceAction::Deleted), 16);
    let short = sim.counters("ShortPoller").empty_receives;
    let long = sim.counters("LongPoller").empty_receives;
    assert!(short > 20 * long, "short {short}, long {long}");
    assert!((5..=7).contains(&long), "{long}");
    let arrived = of(&records, "LongPollQueue", TraceAction::Received);
    let taken = of(&records, "LongPoller", TraceAction::Received);
    let waits: Vec<u64> = arrived
        .iter()
        .filter_map(|a| {
            taken
                .iter()
                .find(|t| t.message_id == a.message_id)
                .map(|t| t.time_ms - a.time_ms)
        })
        .collect();
    assert_eq!(waits.len(), 16);
    assert!(waits.iter().all(|&w| w <= 600), "{waits:?}");
}

/// SendMessageToHttp.retry: an HTTPS endpoint that is down gets three retries 20 s apart, then
/// the subscription's dead-letter queue.
#[test]
fn sns_retries_an_https_endpoint_three_times_then_uses_the_dlq() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Subscriptions:
      Hook: {Down: [{From: 0s, Until: 10m}]}
    Events:
      - {At: 1s, Publish: {TopicArn: !Ref T, Message: hello}}
Resources:
  T:
    Type: AWS::SNS::Topic
  Hook:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: https
      Endpoint: https://example.com/hook
      RedrivePolicy: {deadLetterTargetArn: !GetAtt DLQ.Arn}
  DLQ:
    Type: AWS::SQS::Queue
";
    let mut sim = simulator(text);
    let records = run_checked(&mut sim, 120_000);
    let retried: Vec<u64> = of(&records, "Hook", TraceAction::Retried)
        .iter()
        .map(|r| r.time_ms)
        .collect();
    assert_eq!(
        retried.len(),
        3,
        "three retries, then the policy is exhausted"
    );
    assert!(
        retried.windows(2).all(|w| w[1] - w[0] == 20_000),
        "{retried:?}"
    );
    assert_eq!(count(&records, "Hook", TraceAction::MovedToDlq), 1);
    assert_eq!(sim.queue_depth("DLQ"), Some(1));
    assert!(sim.inbox("Hook").is_empty());
}

/// Email and SMS endpoints follow the customer-managed policy (first retry after 10 s); a
/// subscription to a queue cannot be declared down (the queue is).
#[test]
fn inbox_outages_are_declared_on_inbox_subscriptions_only() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Subscriptions:
      Mail: {Down: [{From: 0s, Until: 5s}]}
      ToQueue: {Down: [{From: 0s, Until: 5s}]}
Resources:
  T:
    Type: AWS::SNS::Topic
  Mail:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref T, Protocol: email, Endpoint: ops@example.com}
  ToQueue:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn}
  Q:
    Type: AWS::SQS::Queue
";
    let errors = eventyard_template::load(text).expect_err("a queue subscription");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]
        .message
        .contains("declare the queue or function itself Down"));
    let text = text.replace("      ToQueue: {Down: [{From: 0s, Until: 5s}]}\n", "").replace(
        "Resources:",
        "    Events:\n      - {At: 1s, Publish: {TopicArn: !Ref T, Message: hello}}\nResources:",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    let retried = of(&records, "Mail", TraceAction::Retried);
    assert_eq!(retried.len(), 1);
    assert_eq!(sim.inbox("Mail").len(), 1);
    let delivered = of(&records, "Mail", TraceAction::Delivered);
    assert_eq!(delivered[0].time_ms - retried[0].time_ms, 10_000);
}

/// with-sqs: Lambda long-polls the queue of an event source mapping, so even an idle queue
/// answers empty receives: five pollers, one empty answer each per 20 s wait.
#[test]
fn lambda_pollers_of_an_idle_queue_make_empty_receives() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Eventyard:
    Events:
      - {At: 70s, SendMessage: {QueueUrl: !Ref Q, MessageBody: a}}
Resources:
  Q:
    Type: AWS::SQS::Queue
  F:
    Type: AWS::Lambda::Function
    Properties: {Handler: x, Runtime: python3.12}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref F}
";
    let mut sim = simulator(text);
    run_checked(&mut sim, 60_000);
    assert_eq!(sim.counters("Q").empty_receives, 15, "5 pollers x 3 waits");
    let records = run_checked(&mut sim, 100_000);
    assert_eq!(count(&records, "Q", TraceAction::Deleted), 1);
    // 70 s idle before the message (5 x 3), then idle again from ~70 s to 100 s (5 x 1).
    assert_eq!(sim.counters("Q").empty_receives, 20);
    let report = sim.report();
    let row = report
        .iter()
        .find(|r| r.logical_id == "Q")
        .map(|r| r.counters);
    assert_eq!(row.map(|c| c.empty_receives), Some(20));
}
