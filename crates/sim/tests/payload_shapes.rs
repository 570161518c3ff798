//! Each hop's payload in AWS's shape, pinned one test per hop (issue 12, "Payload shapes, hop
//! by hop"). Each test names the AWS page whose example or rule it follows.

mod common;

use common::*;
use eventyard_sim::{TraceAction, VecSink};

const HEADER: &str = "AWSTemplateFormatVersion: '2010-09-09'\n";

/// API_ReceiveMessage + sqs-message-metadata: a message with attributes carries them with
/// `MD5OfMessageAttributes` (SQS's algorithm); one without carries neither, not `{}`. The
/// SendMessage record shows the request as made (API_SendMessage), nothing else.
#[test]
fn sqs_records_carry_attributes_and_their_digest_only_when_there_are_some() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - Publish: {{TopicArn: !Ref T, Message: hello, MessageAttributes: {{SellerName: {{DataType: String, StringValue: Example Store}}}}}}
      - {{At: 1s, SendMessage: {{QueueUrl: !Ref Q, MessageBody: plain}}}}
    Workers:
      W: {{QueueUrl: !Ref Q, WaitTimeSeconds: 20, MaxNumberOfMessages: 10, IdlePause: 1s, Duration: 10ms}}
Resources:
  T:
    Type: AWS::SNS::Topic
  S:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn, RawMessageDelivery: true}}
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 5_000);
    let sends = of(&records, "Q", TraceAction::Received);
    assert_eq!(sends.len(), 2);
    let request = sends[1].payload.as_ref().unwrap();
    assert_eq!(
        request.to_string(),
        r#"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/Q","MessageBody":"plain"}"#
    );
    // What ReceiveMessage returned: the queue's `delivered` records.
    let messages: Vec<&serde_json::Value> = of(&records, "Q", TraceAction::Delivered)
        .iter()
        .filter_map(|r| r.payload.as_deref())
        .collect();
    let raw = messages
        .iter()
        .find(|m| m["Body"] == "hello")
        .expect("the raw delivery is received");
    assert_eq!(
        raw["MD5OfMessageAttributes"],
        "cd28f3b68aeee4b2eac9c66f2f694b58"
    );
    assert_eq!(
        raw["MessageAttributes"]["SellerName"]["StringValue"],
        "Example Store"
    );
    let plain = messages
        .iter()
        .find(|m| m["Body"] == "plain")
        .expect("the plain message is received");
    assert!(
        plain.get("MessageAttributes").is_none() && plain.get("MD5OfMessageAttributes").is_none()
    );
}

/// sns-message-and-json-formats + sns-verify-signature-of-message: the signature has a real
/// one's shape (base64 of 256 bytes) and the topic's SignatureVersion; sns-fifo-topics: a FIFO
/// topic's notification has no signature fields, and may go to a standard queue.
#[test]
fn sns_envelopes_follow_the_topics_signature_version_and_fifo_topics_sign_nothing() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - Publish: {{TopicArn: !Ref T, Message: hello}}
      - Publish: {{TopicArn: !Ref F, Message: ordered, MessageGroupId: g, MessageDeduplicationId: d1}}
      - Publish: {{TopicArn: !Ref F, Message: again, MessageGroupId: g, MessageDeduplicationId: d1}}
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties: {{SignatureVersion: '2'}}
  F:
    Type: AWS::SNS::Topic
    Properties: {{TopicName: f.fifo, FifoTopic: true}}
  ToQ:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn}}
  FifoToStandard:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref F, Protocol: sqs, Endpoint: !GetAtt Q.Arn}}
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 5_000);
    let signed = of(&records, "ToQ", TraceAction::Delivered)[0]
        .payload
        .as_ref()
        .unwrap();
    assert_eq!(signed["SignatureVersion"], "2");
    let signature = signed["Signature"].as_str().unwrap();
    assert_eq!(signature.len(), 344);
    assert!(signature.ends_with("=="));
    assert!(signature
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)));
    // The FIFO topic delivers to the standard queue once: the second publish is deduplicated.
    let fifo = of(&records, "FifoToStandard", TraceAction::Delivered);
    assert_eq!(fifo.len(), 1);
    let envelope = fifo[0].payload.as_ref().unwrap();
    assert_eq!(envelope["Message"], "ordered");
    assert!(envelope.get("SequenceNumber").is_some());
    for absent in ["Signature", "SignatureVersion", "SigningCertURL"] {
        assert!(envelope.get(absent).is_none(), "{absent}: {envelope}");
    }
    assert_eq!(count(&records, "F", TraceAction::Deduplicated), 1);
    assert_eq!(sim.queue_depth("Q"), Some(2));
}

/// sns-dead-letter-queues: a raw-delivery subscription's DLQ receives the raw message with its
/// attributes as SQS message attributes; a FIFO subscription's FIFO DLQ keeps the group and
/// deduplication ids (the message used to be lost with an error). Here the endpoints are down,
/// so the DLQ is reached after the delivery policy's 23 days; the conservation property test
/// reaches subscription DLQs through `Refused` endpoints (client-side errors) instead.
#[test]
fn subscription_dead_letter_queues_get_what_the_subscription_would_have_delivered() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Queues:
      Q: {{Down: [{{From: 0s, Until: 3000000s}}]}}
      FQ: {{Down: [{{From: 0s, Until: 3000000s}}]}}
    Events:
      - Publish: {{TopicArn: !Ref T, Message: hello, MessageAttributes: {{a: {{DataType: String, StringValue: x}}}}}}
      - Publish: {{TopicArn: !Ref F, Message: ordered, MessageGroupId: g, MessageDeduplicationId: d1}}
Resources:
  T:
    Type: AWS::SNS::Topic
  F:
    Type: AWS::SNS::Topic
    Properties: {{TopicName: f.fifo, FifoTopic: true}}
  Raw:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      RawMessageDelivery: true
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dlq.Arn}}
  Fifo:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref F
      Protocol: sqs
      Endpoint: !GetAtt FQ.Arn
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt FDlq.Arn}}
  Q:
    Type: AWS::SQS::Queue
  Dlq:
    Type: AWS::SQS::Queue
  FQ:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: fq.fifo, FifoQueue: true}}
  FDlq:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: fdlq.fifo, FifoQueue: true, MessageRetentionPeriod: 1209600}}
"
    );
    let mut sim = simulator(&text);
    let mut sink = VecSink::default();
    // The delivery policy to AWS endpoints spans about 23 days (100,015 attempts).
    sim.advance_to(30 * 24 * 3_600_000, &mut sink);
    sim.check_conservation().expect("conservation");
    let records = sink.records;
    assert_eq!(count(&records, "Raw", TraceAction::MovedToDlq), 1);
    assert_eq!(count(&records, "Fifo", TraceAction::MovedToDlq), 1);
    let raw = of(&records, "Dlq", TraceAction::Received)[0]
        .payload
        .as_ref()
        .unwrap();
    assert_eq!(raw["MessageBody"], "hello");
    assert_eq!(raw["MessageAttributes"]["a"]["StringValue"], "x");
    let fifo = of(&records, "FDlq", TraceAction::Received)[0]
        .payload
        .as_ref()
        .unwrap();
    assert_eq!(fifo["MessageGroupId"], "g");
    assert_eq!(fifo["MessageDeduplicationId"], "d1");
    assert_eq!(sim.queue_depth("FDlq"), Some(1));
}

/// sqs-dead-letter-queues: a message a redrive moves carries `DeadLetterQueueSourceArn`, and
/// both records of the move carry the whole message.
#[test]
fn redrive_names_the_source_queue() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: poison}}
    Workers:
      W: {{QueueUrl: !Ref Q, WaitTimeSeconds: 20, MaxNumberOfMessages: 1, IdlePause: 1s, Duration: 10ms, FailPercent: 100}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 1
      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 1}}
  Dlq:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 30_000);
    let moved = of(&records, "Q", TraceAction::MovedToDlq);
    assert_eq!(moved.len(), 1);
    let arrived = of(&records, "Dlq", TraceAction::Received)[0]
        .payload
        .as_ref()
        .unwrap();
    assert_eq!(
        arrived["Attributes"]["DeadLetterQueueSourceArn"],
        "arn:aws:sqs:us-east-1:123456789012:Q"
    );
    assert_eq!(arrived["Body"], "poison");
    assert!(arrived.get("ReceiptHandle").is_none());
    assert_eq!(moved[0].payload.as_deref(), Some(&**arrived));
}

/// gettingstarted-limits / sqs-quotas / eb-putevent-size: the 1 MB payload limits of 2026.
/// An SQS message over 1 MiB is refused with SQS's error; a message just under is accepted.
#[test]
fn sqs_messages_up_to_one_mebibyte_are_accepted() {
    let under = "x".repeat(1_048_576 - 16);
    let over = "x".repeat(1_048_577);
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{under}'}}
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{over}'}}
Resources:
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let mut sink = VecSink::default();
    sim.advance_to(1_000, &mut sink);
    assert_eq!(sim.queue_depth("Q"), Some(1));
    let failed = of(&sink.records, "Q", TraceAction::Failed);
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].reason,
        "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    );
}

/// invocation-async-retain-records, "Dead-letter queues": after its retries, a failed
/// asynchronous event goes to the function's own DeadLetterConfig target with RequestID,
/// ErrorCode and ErrorMessage attributes (it used to be ignored).
#[test]
fn a_functions_dead_letter_queue_receives_the_failed_event() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Functions:
      F: {{FailPercent: 100}}
    Events:
      - Publish: {{TopicArn: !Ref T, Message: '{{\"order\": 7}}'}}
Resources:
  T:
    Type: AWS::SNS::Topic
  S:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref T, Protocol: lambda, Endpoint: !GetAtt F.Arn}}
  F:
    Type: AWS::Lambda::Function
    Properties:
      Handler: x
      Runtime: python3.12
      DeadLetterConfig: {{TargetArn: !GetAtt Dlq.Arn}}
  Dlq:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(count(&records, "F", TraceAction::MovedToDlq), 1);
    let arrived = of(&records, "Dlq", TraceAction::Received)[0]
        .payload
        .as_ref()
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_str(arrived["MessageBody"].as_str().unwrap()).unwrap();
    assert_eq!(body["Records"][0]["Sns"]["Message"], "{\"order\": 7}");
    let attributes = &arrived["MessageAttributes"];
    assert_eq!(attributes["ErrorCode"]["StringValue"], "200");
    assert_eq!(attributes["ErrorCode"]["DataType"], "Number");
    assert!(attributes["RequestID"]["StringValue"].is_string());
    assert!(attributes["ErrorMessage"]["StringValue"].is_string());
    assert_eq!(sim.queue_depth("Dlq"), Some(1));
}

/// sns-fifo-topics + FIFO-queues-message-order: the envelope's SequenceNumber is the topic's,
/// the received message's Attributes.SequenceNumber the queue's own, counted apart.
#[test]
fn a_fifo_queue_numbers_messages_apart_from_the_topic() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: direct, MessageGroupId: g, MessageDeduplicationId: a}}
      - {{At: 1s, Publish: {{TopicArn: !Ref F, Message: via-topic, MessageGroupId: g, MessageDeduplicationId: b}}}}
    Workers:
      W: {{QueueUrl: !Ref Q, WaitTimeSeconds: 20, MaxNumberOfMessages: 10, IdlePause: 1s, Duration: 10ms}}
Resources:
  F:
    Type: AWS::SNS::Topic
    Properties: {{TopicName: f.fifo, FifoTopic: true}}
  S:
    Type: AWS::SNS::Subscription
    Properties: {{TopicArn: !Ref F, Protocol: sqs, Endpoint: !GetAtt Q.Arn}}
  Q:
    Type: AWS::SQS::Queue
    Properties: {{QueueName: q.fifo, FifoQueue: true}}
"
    );
    let mut sim = simulator(&text);
    let records = run_checked(&mut sim, 10_000);
    let received: Vec<&serde_json::Value> = of(&records, "Q", TraceAction::Delivered)
        .iter()
        .filter_map(|r| r.payload.as_deref())
        .collect();
    let via_topic = received
        .iter()
        .find(|m| m["Body"].as_str().is_some_and(|b| b.contains("via-topic")))
        .expect("received");
    let envelope: serde_json::Value =
        serde_json::from_str(via_topic["Body"].as_str().unwrap()).unwrap();
    assert_eq!(envelope["SequenceNumber"], "00000000000000000001");
    assert_eq!(
        via_topic["Attributes"]["SequenceNumber"],
        "00000000000000000002"
    );
}

/// eb-putevent-size: an entry over 1 MB (since January 2026) is refused with AWS's error, and
/// the refused record shows the entry as sent.
#[test]
fn a_put_events_entry_over_one_megabyte_is_refused() {
    let big = "x".repeat(1_048_576);
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - PutEvents: {{Source: app, DetailType: big, Detail: {{blob: '{big}'}}}}
      - PutEvents: {{Source: app, DetailType: small, Detail: {{blob: x}}}}
Resources:
  Q:
    Type: AWS::SQS::Queue
"
    );
    let mut sim = simulator(&text);
    let mut sink = VecSink::default();
    sim.advance_to(1_000, &mut sink);
    let failed = of(&sink.records, "default", TraceAction::Failed);
    assert_eq!(failed.len(), 1);
    assert!(failed[0].reason.starts_with(
        "ValidationException: Total size of the entries in the request is over the limit."
    ));
    let entry = failed[0].payload.as_deref().unwrap();
    assert_eq!(entry["DetailType"], "big");
    assert_eq!(count(&sink.records, "default", TraceAction::Received), 1);
}

/// sqs-quotas: a queue's MaximumMessageSize (1,024 bytes to 1 MiB) is its limit.
#[test]
fn a_queues_maximum_message_size_is_its_limit() {
    let text = format!(
        "{HEADER}Metadata:
  Eventyard:
    Events:
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{}'}}
      - SendMessage: {{QueueUrl: !Ref Q, MessageBody: '{}'}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {{MaximumMessageSize: 1024}}
",
        "x".repeat(1_024),
        "x".repeat(1_025)
    );
    let mut sim = simulator(&text);
    let mut sink = VecSink::default();
    sim.advance_to(1_000, &mut sink);
    assert_eq!(sim.queue_depth("Q"), Some(1));
    let failed = of(&sink.records, "Q", TraceAction::Failed);
    assert_eq!(
        failed[0].reason,
        "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."
    );
}
