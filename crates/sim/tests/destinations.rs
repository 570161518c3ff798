//! Lambda asynchronous invocation settings and destinations, end to end: MaximumRetryAttempts
//! and MaximumEventAgeInSeconds (invocation-async-error-handling), and the invocation records
//! sent to on-success / on-failure destinations (invocation-async-retain-records). Every run is
//! checked for conservation after every step (`run_checked`).

mod common;

use common::*;
use eventyard_sim::{TraceAction, TraceRecord};
use serde_json::Value;

const HEADER: &str = "AWSTemplateFormatVersion: '2010-09-09'\n";

/// A rule sends one `{bad: true}` event to Worker (asynchronously, 20 ms after PutEvents);
/// Worker fails on it. `config` is Worker's EventInvokeConfig properties; `extra` more resources.
fn failing(behaviour: &str, config: &str, extra: &str) -> String {
    format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Worker: {{FailWhen: {{detail: {{bad: [true]}}}}{behaviour}}}
    Events:
      - PutEvents: {{Source: app, DetailType: job, Detail: {{bad: true}}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: w, Arn: !GetAtt Worker.Arn}}]
  Worker:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
{config}
  Failed:
    Type: AWS::SQS::Queue
{extra}"
    )
}

fn attempts(records: &[TraceRecord], function: &str) -> Vec<u64> {
    of(records, function, TraceAction::Received)
        .iter()
        .map(|r| r.time_ms)
        .collect()
}

/// The one record in a queue, parsed.
fn only_record(sim: &eventyard_sim::Simulator, queue: &str) -> Value {
    let bodies = sim.queue_bodies(queue);
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    serde_json::from_str(&bodies[0]).expect("the record is JSON")
}

/// invocation-async-error-handling: MaximumRetryAttempts 0 means one attempt; the on-failure
/// record (invocation-async-retain-records) is the SQS message body.
#[test]
fn on_failure_to_sqs_after_one_attempt_with_maximum_retry_attempts_0() {
    let text = failing(
        "",
        "      MaximumRetryAttempts: 0
      DestinationConfig:
        OnFailure: {Destination: !GetAtt Failed.Arn}",
        "",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(attempts(&records, "Worker"), vec![20]);
    assert_eq!(count(&records, "Worker", TraceAction::Retried), 0);
    let failed = of(&records, "Worker", TraceAction::Failed);
    assert!(
        failed[0].reason.contains("retries exhausted after 1 attempt (MaximumRetryAttempts 0): the invocation record goes to the on-failure destination"),
        "{}",
        failed[0].reason
    );
    let record = only_record(&sim, "Failed");
    assert_eq!(record["version"], "1.0");
    assert_eq!(
        record["requestContext"]["functionArn"],
        "arn:aws:lambda:us-east-1:123456789012:function:Worker:$LATEST"
    );
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 1);
    assert_eq!(record["requestPayload"]["detail"]["bad"], true);
    assert_eq!(record["requestPayload"]["source"], "app");
    assert_eq!(
        record["responseContext"],
        serde_json::json!({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"})
    );
    assert_eq!(
        record["responsePayload"],
        serde_json::json!({"errorType": "Error", "errorMessage": "declared failure (FailWhen matched)"})
    );
    assert_eq!(record["timestamp"], "2026-01-01T00:00:00.020Z");
    // The record is a new message whose parent is the invocation (its request id).
    let request_id = &failed[0].message_id;
    assert_eq!(
        record["requestContext"]["requestId"].as_str(),
        Some(&**request_id)
    );
    let arrived = of(&records, "Failed", TraceAction::Received);
    assert_eq!(arrived[0].parent_id.as_ref(), Some(request_id));
    assert_eq!(count(&records, "Worker", TraceAction::Delivered), 1);
    sim.check_conservation().unwrap();
    // The event lives on as the record: nothing was dropped.
    assert_eq!(sim.outcome_counts().0[3], 0);
}

/// invocation-async: by default two retries, one then two minutes after the failed attempt
/// (the schedule of `lambda_async_retry_delay_ms`); the record counts three attempts.
#[test]
fn on_failure_to_sqs_after_three_attempts_by_default() {
    let text = failing(
        ", Duration: 1s",
        "      DestinationConfig:
        OnFailure: {Destination: !GetAtt Failed.Arn}",
        "",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(attempts(&records, "Worker"), vec![20, 61_020, 182_020]);
    let retried: Vec<String> = of(&records, "Worker", TraceAction::Retried)
        .iter()
        .map(|r| r.reason.clone())
        .collect();
    assert_eq!(
        retried,
        vec![
            "Lambda retries asynchronous invocations: retry 1 of 2 in 60 s",
            "Lambda retries asynchronous invocations: retry 2 of 2 in 120 s"
        ]
    );
    let record = only_record(&sim, "Failed");
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 3);
    assert_eq!(
        of(&records, "Failed", TraceAction::Received)[0].time_ms,
        183_020
    );
}

/// invocation-async-error-handling: MaximumRetryAttempts 1 allows one retry.
#[test]
fn maximum_retry_attempts_1_gives_two_attempts_and_no_destination_discards() {
    let text = failing("", "      MaximumRetryAttempts: 1", "");
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(attempts(&records, "Worker"), vec![20, 60_020]);
    let last = of(&records, "Worker", TraceAction::Failed).pop().unwrap();
    assert!(
        last.reason.contains(
            "discarded after 2 attempts (MaximumRetryAttempts 1, no on-failure destination)"
        ),
        "{}",
        last.reason
    );
    assert!(sim.queue_bodies("Failed").is_empty());
    assert_eq!(sim.outcome_counts().0[3], 1, "the event was dropped");
}

/// invocation-async-error-handling: an event that reaches MaximumEventAgeInSeconds before its
/// next attempt is discarded instead of retried, with condition EventAgeExceeded.
#[test]
fn event_age_exceeded_before_the_first_retry() {
    // Accepted at 20 ms, fails at 1,020 ms; the retry would be at 61,020 ms, after the event
    // turns 60 s old at 60,020 ms.
    let text = failing(
        ", Duration: 1s",
        "      MaximumEventAgeInSeconds: 60
      DestinationConfig:
        OnFailure: {Destination: !GetAtt Failed.Arn}",
        "",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(attempts(&records, "Worker"), vec![20]);
    assert_eq!(count(&records, "Worker", TraceAction::Retried), 0);
    let failed = of(&records, "Worker", TraceAction::Failed);
    assert!(
        failed[0]
            .reason
            .contains("retry 1 of 2 would come in 60 s, after the event reaches MaximumEventAgeInSeconds (60 s)"),
        "{}",
        failed[0].reason
    );
    let expired = of(&records, "Worker", TraceAction::Expired);
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].time_ms, 60_020);
    assert!(
        expired[0].reason.starts_with("EventAgeExceeded: the event has waited 60 s in Lambda's asynchronous queue after 1 failed attempt, and MaximumEventAgeInSeconds is 60: discarded instead of retried"),
        "{}",
        expired[0].reason
    );
    let record = only_record(&sim, "Failed");
    assert_eq!(record["requestContext"]["condition"], "EventAgeExceeded");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 1);
    assert_eq!(record["responseContext"]["functionError"], "Unhandled");
    assert_eq!(
        record["responsePayload"]["errorMessage"],
        "declared failure (FailWhen matched)"
    );
}

#[test]
fn event_age_exceeded_after_one_retry_without_destination_counts_as_expired() {
    // Attempts at 20 and 61,020 ms; the second retry would be at 182,020 ms, after the event
    // turns 120 s old at 120,020 ms.
    let text = failing(", Duration: 1s", "      MaximumEventAgeInSeconds: 120", "");
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(attempts(&records, "Worker"), vec![20, 61_020]);
    let expired = of(&records, "Worker", TraceAction::Expired);
    assert_eq!(expired[0].time_ms, 120_020);
    assert!(expired[0].reason.contains("after 2 failed attempts"));
    // consumed (the bus event, fanned out), filtered, expired, dropped.
    assert_eq!(sim.outcome_counts().0, [1, 0, 1, 0]);
}

/// A timeout is Lambda's own error (`Sandbox.Timedout`) in the record.
#[test]
fn a_timed_out_invocation_records_sandbox_timedout() {
    let text = failing(
        ", Duration: 5s",
        "      MaximumRetryAttempts: 0
      DestinationConfig:
        OnFailure: {Destination: !GetAtt Failed.Arn}",
        "",
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 600_000);
    let record = only_record(&sim, "Failed");
    assert_eq!(record["responsePayload"]["errorType"], "Sandbox.Timedout");
    let message = record["responsePayload"]["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("RequestId: ")
            && message.ends_with(" Error: Task timed out after 3.00 seconds"),
        "{message}"
    );
}

/// invocation-async-retain-records: to an event bus, the record is the detail of an event with
/// source `lambda` and detail-type "Lambda Function Invocation Result - Success", which rules
/// match like any other.
#[test]
fn on_success_to_an_event_bus_matched_by_a_rule() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - PutEvents: {{Source: app, DetailType: job, Detail: {{order: 7}}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: w, Arn: !GetAtt Worker.Arn}}]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {{Type: EventBridge, Destination: !GetAtt Results.Arn}}
  Results:
    Type: AWS::Events::EventBus
    Properties: {{Name: results}}
  Succeeded:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Results
      EventPattern:
        source: [lambda]
        detail-type: [Lambda Function Invocation Result - Success]
        detail:
          requestContext: {{condition: [Success]}}
          requestPayload: {{detail: {{order: [7]}}}}
      Targets: [{{Id: audit, Arn: !GetAtt Audit.Arn}}]
  Audit:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    assert_eq!(count(&records, "Succeeded", TraceAction::Matched), 1);
    let event = only_record(&sim, "Audit");
    assert_eq!(event["source"], "lambda");
    assert_eq!(
        event["detail-type"],
        "Lambda Function Invocation Result - Success"
    );
    assert_eq!(
        event["resources"],
        serde_json::json!([
            "arn:aws:events:us-east-1:123456789012:event-bus/results",
            "arn:aws:lambda:us-east-1:123456789012:function:Worker:$LATEST"
        ])
    );
    let record = &event["detail"];
    assert_eq!(record["requestContext"]["condition"], "Success");
    assert_eq!(record["requestContext"]["approximateInvokeCount"], 1);
    assert_eq!(
        record["responseContext"],
        serde_json::json!({"statusCode": 200, "executedVersion": "$LATEST"})
    );
    assert_eq!(record["responsePayload"], Value::Null);
    // The bus event's parent is the invocation.
    let invoked = of(&records, "Worker", TraceAction::Received);
    let on_bus = of(&records, "Results", TraceAction::Received);
    assert_eq!(on_bus[0].parent_id.as_ref(), Some(&invoked[0].message_id));
}

/// To SNS the record is the Message; to Lambda it is the event of an asynchronous invocation.
#[test]
fn on_success_to_a_topic_and_on_failure_to_a_function() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Worker: {{FailWhen: {{detail: {{bad: [true]}}}}}}
    Events:
      - PutEvents: {{Source: app, DetailType: job, Detail: {{bad: false}}}}
      - PutEvents: {{Source: app, DetailType: job, Detail: {{bad: true}}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: w, Arn: !GetAtt Worker.Arn}}]
  Worker:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !GetAtt Worker.Arn
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
      DestinationConfig:
        OnSuccess: {{Destination: !Ref Done}}
        OnFailure: {{Destination: !GetAtt Collector.Arn}}
  Done:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{{Protocol: sqs, Endpoint: !GetAtt Log.Arn}}]
  Log:
    Type: AWS::SQS::Queue
  Collector:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    let envelope = only_record(&sim, "Log");
    assert_eq!(envelope["Type"], "Notification");
    let message: Value = serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
    assert_eq!(message["requestContext"]["condition"], "Success");
    assert_eq!(message["requestPayload"]["detail"]["bad"], false);
    let collected = of(&records, "Collector", TraceAction::Received);
    assert_eq!(collected.len(), 1);
    let event = collected[0].payload.as_ref().unwrap();
    assert_eq!(event["requestContext"]["condition"], "RetriesExhausted");
    assert_eq!(event["requestPayload"]["detail"]["bad"], true);
    let worker_failed = of(&records, "Worker", TraceAction::Failed);
    assert_eq!(
        collected[0].parent_id.as_ref(),
        Some(&worker_failed[0].message_id)
    );
    // Lambda hands the record over a short hop later (10 ms, DESTINATION_INVOKE_MS; not an
    // AWS figure).
    assert_eq!(collected[0].time_ms, worker_failed[0].time_ms + 10);
}

/// with-sns: SNS invokes a function asynchronously, so the function's destinations apply; the
/// record's requestPayload is the SNS event (`Records[].Sns`).
#[test]
fn an_sns_invoked_function_sends_its_record_with_the_sns_event() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Notified: {{FailWhen: {{greeting: [hello]}}}}
    Events:
      - Publish: {{TopicArn: !Ref Jobs, Message: '{{\"greeting\": \"hello\"}}'}}
Resources:
  Jobs:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{{Protocol: lambda, Endpoint: !GetAtt Notified.Arn}}]
  Notified:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        DestinationConfig:
          OnFailure: {{Type: SQS, Destination: !GetAtt Failed.Arn}}
  Failed:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 60_000);
    let record = only_record(&sim, "Failed");
    assert_eq!(record["requestContext"]["condition"], "RetriesExhausted");
    let sns_record = &record["requestPayload"]["Records"][0];
    assert_eq!(sns_record["EventSource"], "aws:sns");
    assert_eq!(sns_record["Sns"]["Message"], "{\"greeting\": \"hello\"}");
}

/// invocation-async-retain-records: Lambda does not deliver records to FIFO queues; it counts a
/// DestinationDeliveryFailures metric. The event is then lost.
#[test]
fn a_fifo_queue_destination_is_a_delivery_failure() {
    let text = failing(
        "",
        "      MaximumRetryAttempts: 0
      DestinationConfig:
        OnFailure: {Destination: !GetAtt Ordered.Arn}",
        "  Ordered:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true}
",
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 60_000);
    assert!(sim.queue_bodies("Ordered.fifo").is_empty() && sim.queue_bodies("Ordered").is_empty());
    let failed = of(&records, "Worker", TraceAction::Failed);
    assert!(failed
        .iter()
        .any(|r| r.reason.starts_with("DestinationDeliveryFailures")));
    assert_eq!(sim.outcome_counts().0[3], 1);
}

/// with-sqs / API_OnSuccess: an event source mapping invokes synchronously; destinations of the
/// function's EventInvokeConfig never see its batches (the queue's own redrive policy applies).
#[test]
fn sqs_event_source_mapping_invocations_send_no_records() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Worker: {{FailWhen: {{bad: [true]}}}}
    Events:
      - SendMessage: {{QueueUrl: !Ref Jobs, MessageBody: '{{\"bad\": true}}'}}
      - SendMessage: {{QueueUrl: !Ref Jobs, MessageBody: '{{\"bad\": false}}'}}
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      Events:
        Jobs: {{Type: SQS, Properties: {{Queue: !GetAtt Jobs.Arn, BatchSize: 1}}}}
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {{Type: SQS, Destination: !GetAtt Records.Arn}}
          OnFailure: {{Type: SQS, Destination: !GetAtt Records.Arn}}
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {{VisibilityTimeout: 10}}
  Records:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 120_000);
    assert!(count(&records, "Worker", TraceAction::Received) >= 2);
    assert!(sim.queue_bodies("Records").is_empty());
    assert_eq!(count(&records, "Worker", TraceAction::Delivered), 0);
}

/// A function that is its own on-success destination keeps invoking itself, but every hop
/// moves the clock, so a run ends.
#[test]
fn a_function_that_is_its_own_destination_advances_the_clock() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - PutEvents: {{Source: app, DetailType: job, Detail: {{n: 1}}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: w, Arn: !GetAtt Worker.Arn}}]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {{Type: Lambda, Destination: !GetAtt Worker.Arn}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 1_000);
    // 20 ms to the first invocation, then one every DESTINATION_INVOKE_MS (10 ms).
    assert_eq!(count(&records, "Worker", TraceAction::Received), 99);
    let second = &of(&records, "Worker", TraceAction::Received)[1];
    assert_eq!(
        second.payload.as_ref().unwrap()["requestContext"]["condition"],
        "Success"
    );
}

/// Conservation with every kind of destination, both conditions, retries and event ages, over
/// many seeds: functions invoked by EventBridge and SNS fail at random (FailPercent) and send
/// records to a queue, a topic, a bus and a function, which are themselves subscribed, routed
/// and invoked asynchronously. `run_checked` checks the ledger after every step.
#[test]
fn conservation_holds_with_destinations_of_every_kind() {
    for seed in 0..40 {
        let text = format!(
            "{HEADER}Metadata:
  Eventyard:
    Seed: {seed}
    Functions:
      Worker: {{FailPercent: 50, Duration: 2s}}
      Notified: {{FailPercent: 50}}
      Collector: {{FailPercent: 30}}
    Events:
      - At: 0s
        Every: 7s
        Count: 30
        PutEvents: {{Source: app, DetailType: job, Detail: {{n: 1}}}}
      - At: 1s
        Every: 11s
        Count: 20
        Publish: {{TopicArn: !Ref Jobs, Message: hello}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: w, Arn: !GetAtt Worker.Arn}}]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        MaximumEventAgeInSeconds: 90
        DestinationConfig:
          OnSuccess: {{Type: SNS, Destination: !Ref Done}}
          OnFailure: {{Type: SQS, Destination: !GetAtt Failed.Arn}}
  Jobs:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{{Protocol: lambda, Endpoint: !GetAtt Notified.Arn}}]
  Notified:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {{Type: EventBridge, Destination: !GetAtt Results.Arn}}
          OnFailure: {{Type: Lambda, Destination: !GetAtt Collector.Arn}}
  Collector:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        DestinationConfig:
          OnFailure: {{Type: SQS, Destination: !GetAtt Failed.Arn}}
  Done:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{{Protocol: sqs, Endpoint: !GetAtt Log.Arn}}]
  Log:
    Type: AWS::SQS::Queue
  Failed:
    Type: AWS::SQS::Queue
  Results:
    Type: AWS::Events::EventBus
    Properties: {{Name: results}}
  Forward:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Results
      EventPattern: {{source: [lambda]}}
      Targets: [{{Id: log, Arn: !GetAtt Log.Arn}}]
"
        );
        let mut sim = simulator(&text);
        let records = run_checked(&mut sim, 900_000);
        let sent = count(&records, "Worker", TraceAction::Delivered)
            + count(&records, "Notified", TraceAction::Delivered)
            + count(&records, "Collector", TraceAction::Delivered);
        assert!(sent > 0, "seed {seed}: no record was sent");
        // Every event ends somewhere: nothing is left in flight once retries are over.
        let (_, live) = sim.outcome_counts();
        let queued = sim.queue_depth("Log").unwrap_or(0) + sim.queue_depth("Failed").unwrap_or(0);
        assert_eq!(live, queued, "seed {seed}");
    }
}
