//! Behaviours one by one, each named after the AWS page it follows.

mod common;

use common::*;
use eventyard_sim::TraceAction;

const HEADER: &str = "AWSTemplateFormatVersion: '2010-09-09'\n";

/// eb-rule-dlq: after MaximumRetryAttempts the event goes to the target's DLQ with the
/// RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE attributes.
#[test]
fn eb_rule_dlq_gets_the_event_with_error_attributes_after_retries() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Worker: {{Down: [{{From: 0s, Until: 1h}}]}}
    Events:
      - PutEvents: {{Source: app, DetailType: job, Detail: {{n: 1}}}}
Resources:
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets:
        - Id: worker
          Arn: !GetAtt Worker.Arn
          RetryPolicy: {{MaximumRetryAttempts: 3}}
          DeadLetterConfig: {{Arn: !GetAtt Dlq.Arn}}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  Dlq:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(count(&records, "R", TraceAction::Retried), 3);
    assert_eq!(count(&records, "R", TraceAction::MovedToDlq), 1);
    // The event moved is on the rule's record too.
    let moved = of(&records, "R", TraceAction::MovedToDlq)[0]
        .payload
        .as_deref()
        .expect("the event is on the record");
    assert_eq!(moved["detail"]["n"], 1);
    let received = of(&records, "Dlq", TraceAction::Received);
    let payload = received[0].payload.as_ref().unwrap();
    assert_eq!(
        payload["MessageAttributes"]["RULE_ARN"]["StringValue"],
        "arn:aws:events:us-east-1:123456789012:rule/R"
    );
    assert_eq!(
        payload["MessageAttributes"]["ERROR_CODE"]["StringValue"],
        "Lambda.TooManyRequestsException"
    );
    let body: serde_json::Value =
        serde_json::from_str(payload["MessageBody"].as_str().unwrap()).unwrap();
    assert_eq!(body["detail"]["n"], 1);
}

/// invocation-async: Lambda retries a failed asynchronous invocation twice (after 1 and 2 minutes).
#[test]
fn lambda_async_retries_twice_then_discards() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      Worker: {{FailWhen: {{detail: {{bad: [true]}}}}}}
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
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    let attempts: Vec<u64> = of(&records, "Worker", TraceAction::Received)
        .iter()
        .map(|r| r.time_ms)
        .collect();
    assert_eq!(attempts, vec![20, 60_020, 180_020]);
    let last = of(&records, "Worker", TraceAction::Failed).pop().unwrap();
    assert!(
        last.reason.contains("discarded after 3 attempts"),
        "{}",
        last.reason
    );
    // The failed step shows what the function returned: its error object.
    let error = last.payload.as_deref().expect("the error is on the record");
    assert_eq!(error["errorType"], "Error");
    assert_eq!(error["errorMessage"], "declared failure (FailWhen matched)");
}

/// eb-transform-target-input, eb-event-bus-cross: an input transformer's output reaches the
/// queue; a bus can target another bus.
#[test]
fn input_transformer_output_reaches_the_queue_through_a_second_bus() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - PutEvents: {{Source: app, DetailType: signup, Detail: {{user: {{name: Ada, plan: pro}}}}}}
Resources:
  Other:
    Type: AWS::Events::EventBus
    Properties: {{Name: other}}
  Forward:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: bus, Arn: !GetAtt Other.Arn}}]
  Shape:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Other
      EventPattern: {{detail-type: [signup]}}
      Targets:
        - Id: q
          Arn: !GetAtt Q.Arn
          InputTransformer:
            InputPathsMap: {{name: $.detail.user.name, plan: $.detail.user.plan}}
            InputTemplate: '{{\"greeting\": \"Welcome <name>\", \"plan\": <plan>, \"rule\": <aws.events.rule-name>}}'
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 10_000);
    assert_eq!(
        sim.queue_bodies("Q"),
        vec![r#"{"greeting": "Welcome Ada", "plan": "pro", "rule": "Shape"}"#.to_string()]
    );
}

/// eb-archive: an archive keeps matching events; a replay re-sends them with `replay-name`.
#[test]
fn archive_and_replay() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - {{At: 1s, Every: 1s, Count: 4, PutEvents: {{Source: app, DetailType: x, Detail: {{}}}}}}
Resources:
  A:
    Type: AWS::Events::Archive
    Properties:
      SourceArn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: q, Arn: !GetAtt Q.Arn}}]
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 10_000);
    assert_eq!(sim.start_replay("A", "again", 0, 2_500, &[]), 2);
    run_checked(&mut sim, 20_000);
    let bodies = sim.queue_bodies("Q");
    assert_eq!(bodies.len(), 6);
    assert_eq!(
        bodies
            .iter()
            .filter(|b| b.contains("\"replay-name\":\"again\""))
            .count(),
        2
    );
}

/// eb-scheduled-rule-pattern: cron(0/15 * * * ? *) fires every quarter hour with a Scheduled Event.
#[test]
fn cron_rule_fires_scheduled_events() {
    let text = format!(
        "{HEADER}Resources:
  Tick:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: cron(0/15 * * * ? *)
      Targets: [{{Id: q, Arn: !GetAtt Q.Arn}}]
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 3_600_100);
    let bodies = sim.queue_bodies("Q");
    assert_eq!(bodies.len(), 4);
    let first: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(first["detail-type"], "Scheduled Event");
    assert_eq!(first["source"], "aws.events");
    assert_eq!(first["time"], "2026-01-01T00:15:00Z");
}

/// sns-message-delivery-retries + sns-dead-letter-queues: a subscription to an unreachable
/// function retries on the SNS schedule; a RedrivePolicy DLQ receives the message at the end.
#[test]
fn sns_retries_an_unreachable_function_on_its_schedule() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{Down: [{{From: 0s, Until: 30s}}]}}
    Events:
      - Publish: {{TopicArn: !Ref T, Message: hello}}
Resources:
  T:
    Type: AWS::SNS::Topic
  S:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: lambda
      Endpoint: !GetAtt F.Arn
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dlq.Arn}}
  F:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  Dlq:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 120_000);
    let retries: Vec<u64> = of(&records, "S", TraceAction::Retried)
        .iter()
        .map(|r| r.time_ms)
        .collect();
    // 3 immediate retries, 2 at 1 s, then backing off towards 20 s.
    assert_eq!(&retries[..5], &[10, 10, 10, 10, 1_010]);
    let delivered = of(&records, "S", TraceAction::Delivered);
    assert_eq!(delivered.len(), 1);
    assert!(delivered[0].time_ms >= 30_000);
    assert_eq!(
        delivered[0].payload.as_ref().unwrap()["Records"][0]["Sns"]["Message"],
        "hello"
    );
    assert_eq!(sim.queue_depth("Dlq"), Some(0));
}

/// sqs-message-retention + sqs-delay-queues: a delayed message is invisible first; unread
/// messages expire after MessageRetentionPeriod.
#[test]
fn delay_then_retention_expiry() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: hi}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {{DelaySeconds: 5, MessageRetentionPeriod: 60}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 120_000);
    assert_eq!(count(&records, "Q", TraceAction::Expired), 1);
    assert_eq!(of(&records, "Q", TraceAction::Expired)[0].time_ms, 60_000);
    assert_eq!(sim.queue_depth("Q"), Some(0));
    let (finals, live) = sim.outcome_counts();
    assert_eq!((finals[2], live), (1, 0));
}

/// services-sqs-errorhandling: without ReportBatchItemFailures one failed record returns the
/// whole batch; with it, only the failed record returns.
#[test]
fn partial_batch_failures_return_only_the_failed_records() {
    let template = |responses: &str| {
        format!(
            "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{FailWhen: {{bad: [true]}}}}
    Events:
      - {{At: 0s, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"bad\": false}}'}}}}
      - {{At: 0s, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"bad\": true}}'}}}}
      - {{At: 0s, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"bad\": false}}'}}}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {{VisibilityTimeout: 10}}
  F:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: !Ref F
      BatchSize: 10
      MaximumBatchingWindowInSeconds: 1
      FunctionResponseTypes: {responses}
"
        )
    };
    let mut partial = simulator(&template("[ReportBatchItemFailures]"));
    let records = run_checked(&mut partial, 5_000);
    assert_eq!(count(&records, "Q", TraceAction::Deleted), 2);
    // The function's response is on its step: the failed message named in batchItemFailures.
    let failed = of(&records, "F", TraceAction::Failed);
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].payload.as_deref(),
        Some(
            &serde_json::json!({"batchItemFailures": [{"itemIdentifier": &*failed[0].message_id}]})
        )
    );
    let mut whole = simulator(&template("[]"));
    let records = run_checked(&mut whole, 5_000);
    assert_eq!(count(&records, "Q", TraceAction::Deleted), 0);
    assert_eq!(count(&records, "F", TraceAction::Failed), 3);
}

/// configuration-timeout: a function slower than its Timeout fails with "Task timed out".
#[test]
fn slow_functions_time_out() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{Duration: 10s}}
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: x}}
Resources:
  Q:
    Type: AWS::SQS::Queue
  F:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12, Timeout: 3}}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref F}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 5_000);
    let failed = of(&records, "F", TraceAction::Failed);
    assert_eq!(failed[0].time_ms, 3_000);
    assert!(failed[0]
        .reason
        .starts_with("Task timed out after 3.00 seconds"));
}

/// fifo-message-dedup + sns FIFO to SQS FIFO: group and order pass through; duplicates within
/// five minutes are dropped at the topic.
#[test]
fn sns_fifo_deduplicates_and_keeps_groups() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - {{At: 0s, Publish: {{TopicArn: !Ref T, Message: one, MessageGroupId: g}}}}
      - {{At: 1s, Publish: {{TopicArn: !Ref T, Message: one, MessageGroupId: g}}}}
      - {{At: 2s, Publish: {{TopicArn: !Ref T, Message: two, MessageGroupId: g}}}}
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties: {{TopicName: orders.fifo, FifoTopic: true, ContentBasedDeduplication: true}}
  Q:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: orders.fifo, FifoQueue: true}}
  S:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn, RawMessageDelivery: true}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 10_000);
    assert_eq!(count(&records, "T", TraceAction::Deduplicated), 1);
    assert_eq!(
        sim.queue_bodies("Q"),
        vec!["one".to_string(), "two".to_string()]
    );
}

/// services-sqs-scaling: five concurrent batches first, up to 300 more a minute while messages
/// remain; ScalingConfig.MaximumConcurrency caps it.
#[test]
fn event_source_mappings_scale_up_while_messages_remain() {
    let template = |scaling: &str| {
        format!(
            "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{Duration: 30s}}
    Events:
      - {{At: 0s, Every: 1ms, Count: 5000, SendMessage: {{QueueUrl: !Ref Q, MessageBody: x}}}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {{VisibilityTimeout: 120}}
  F:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12, Timeout: 60}}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: !Ref F
      BatchSize: 10
{scaling}"
        )
    };
    // 5,000 messages: checking conservation at every step would be quadratic here.
    let invocations_by = |text: &str, until_ms: u64| {
        let mut sim = simulator(text);
        let mut sink = eventyard_sim::VecSink::default();
        sim.advance_to(until_ms, &mut sink);
        sim.check_conservation().unwrap();
        count(&sink.records, "F", TraceAction::Received)
    };
    let free = template("");
    assert_eq!(
        invocations_by(&free, 29_999),
        5,
        "five concurrent batches to start"
    );
    // At 30 s the first five end and five more start; at 60 s 300 more slots open (and the
    // second five end and are replaced).
    let after_a_minute = invocations_by(&free, 60_000);
    assert!((310..=315).contains(&after_a_minute), "{after_a_minute}");
    let capped = template("      ScalingConfig: {MaximumConcurrency: 3}\n");
    assert_eq!(invocations_by(&capped, 29_999), 3);
    // Three slots, each refilled as its 30 s invocation ends (at 0, 1 and 2 ms, then +30 s).
    assert_eq!(invocations_by(&capped, 30_002), 6);
    assert_eq!(invocations_by(&capped, 60_002), 9);
}

/// services-sqs-errorhandling: in a FIFO batch, the messages after a failed one of the same
/// group are not processed, so the group's order holds.
#[test]
fn fifo_partial_failures_stop_the_group_at_the_first_failure() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{FailWhen: {{n: [2]}}}}
    Events:
      - {{At: 0ms, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"n\": 1}}', MessageGroupId: g}}}}
      - {{At: 1ms, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"n\": 2}}', MessageGroupId: g}}}}
      - {{At: 2ms, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"n\": 3}}', MessageGroupId: g}}}}
      - {{At: 3ms, SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{{\"n\": 4}}', MessageGroupId: h}}}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {{FifoQueue: true, ContentBasedDeduplication: true, VisibilityTimeout: 10}}
  F:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12}}
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: !Ref F
      BatchSize: 10
      MaximumBatchingWindowInSeconds: 1
      FunctionResponseTypes: [ReportBatchItemFailures]
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 1_500);
    assert_eq!(
        count(&records, "Q", TraceAction::Deleted),
        2,
        "n=1 and n=4 (other group)"
    );
    let failed = of(&records, "F", TraceAction::Failed);
    assert_eq!(failed.len(), 2);
    assert!(failed[1]
        .reason
        .starts_with("not processed: an earlier message of its FIFO group failed"));
    assert_eq!(
        sim.queue_bodies("Q"),
        vec![r#"{"n": 2}"#.to_string(), r#"{"n": 3}"#.to_string()]
    );
}

/// eb-archive-replay: a replay can be scripted like any send.
#[test]
fn scripted_replay() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - {{At: 1s, Every: 1s, Count: 3, PutEvents: {{Source: app, DetailType: x, Detail: {{}}}}}}
      - {{At: 10s, StartReplay: {{ArchiveName: kept, ReplayName: again, EventStartTime: 0s, EventEndTime: 2s}}}}
Resources:
  A:
    Type: AWS::Events::Archive
    Properties:
      ArchiveName: kept
      SourceArn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: q, Arn: !GetAtt Q.Arn}}]
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    run_checked(&mut sim, 20_000);
    let bodies = sim.queue_bodies("Q");
    assert_eq!(bodies.len(), 5);
    assert_eq!(
        bodies
            .iter()
            .filter(|b| b.contains("\"replay-name\":\"again\""))
            .count(),
        2
    );
}

/// eb-archive-replay: StartReplay's `Destination.FilterArns` sends the replayed events only to
/// the listed rules; the other rules of the bus never see them.
#[test]
fn replay_to_a_subset_of_rules() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - {{At: 1s, Every: 1s, Count: 3, PutEvents: {{Source: app, DetailType: x, Detail: {{}}}}}}
      - At: 10s
        StartReplay:
          ArchiveName: kept
          ReplayName: fix
          EventStartTime: 0s
          EventEndTime: 2s
          Destination:
            Arn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
            FilterArns: [!GetAtt Fixed.Arn]
Resources:
  A:
    Type: AWS::Events::Archive
    Properties:
      ArchiveName: kept
      SourceArn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
  Fixed:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: q, Arn: !GetAtt FixedQueue.Arn}}]
  Other:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [app]}}
      Targets: [{{Id: q, Arn: !GetAtt OtherQueue.Arn}}]
  FixedQueue:
    Type: AWS::SQS::Queue
  OtherQueue:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 20_000);
    let replayed = |queue: &str| {
        sim.queue_bodies(queue)
            .iter()
            .filter(|b| b.contains("\"replay-name\":\"fix\""))
            .count()
    };
    assert_eq!(replayed("FixedQueue"), 2);
    assert_eq!(replayed("OtherQueue"), 0);
    assert_eq!(sim.queue_bodies("OtherQueue").len(), 3);
    assert_eq!(count(&records, "Other", TraceAction::Matched), 3);
}

/// eb-archive-replay: the destination must be the archive's own bus, and each filter one of its
/// rules.
#[test]
fn replay_destination_errors_point_at_the_value() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - At: 10s
        StartReplay:
          ArchiveName: kept
          Destination:
            Arn: arn:aws:events:us-east-1:123456789012:event-bus/elsewhere
      - At: 10s
        StartReplay:
          ArchiveName: kept
          Destination:
            Arn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
            FilterArns: [nope]
Resources:
  A:
    Type: AWS::Events::Archive
    Properties:
      ArchiveName: kept
      SourceArn: !Sub 'arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/default'
"
    );
    let errors = eventyard_template::load(&text).expect_err("two bad destinations");
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("Cross event bus replay is not permitted"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("FilterArns: nope is not a rule"),
        "{lines:?}"
    );
    assert_eq!(
        (errors[0].pos.line, errors[1].pos.line),
        (9, 15),
        "{lines:?}"
    );
}
