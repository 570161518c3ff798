//! Dead-letter queue and redrive (sqs-dead-letter-queues, sqs-configure-dead-letter-queue-redrive).

mod common;

use common::*;
use eventyard_sim::{TraceAction, VecSink};

#[test]
fn expired_cards_land_in_the_dlq_after_two_receives_and_the_rest_are_processed() {
    let mut sim = simulator(&preset("dlq-redrive.yaml"));
    let records = run_checked(&mut sim, 119_000);
    let dlq = sim.queue_bodies("PaymentsDlq");
    assert_eq!(dlq.len(), 3);
    assert!(dlq.iter().all(|b| b.contains("expired")));
    assert_eq!(count(&records, "PaymentsQueue", TraceAction::Deleted), 8);
    assert_eq!(count(&records, "PaymentsQueue", TraceAction::MovedToDlq), 3);
    assert_eq!(sim.queue_depth("PaymentsQueue"), Some(0));
}

#[test]
fn the_scripted_redrive_moves_them_back_and_while_the_bug_stays_they_return() {
    let mut sim = simulator(&preset("dlq-redrive.yaml"));
    run_checked(&mut sim, 119_000);
    let records = run_checked(&mut sim, 120_000);
    assert_eq!(
        count(&records, "PaymentsDlq", TraceAction::Delivered),
        3,
        "moved back"
    );
    assert_eq!(sim.queue_depth("PaymentsDlq"), Some(0));
    let records = run_checked(&mut sim, 240_000);
    assert_eq!(count(&records, "PaymentsQueue", TraceAction::MovedToDlq), 3);
    assert_eq!(sim.queue_depth("PaymentsDlq"), Some(3));
    // The same operation from the page: StartMessageMoveTask by API.
    let mut sink = VecSink::default();
    assert_eq!(sim.start_message_move("PaymentsDlq", &mut sink), 3);
    sim.check_conservation().unwrap();
    assert_eq!(sim.queue_depth("PaymentsQueue"), Some(3));
}

/// sns-dead-letter-queues, "Client-side errors": when the endpoint's policy no longer lets SNS
/// deliver, "Amazon SNS doesn't retry the message delivery that fails as a result of a
/// client-side error": the message goes to the subscription's DLQ at once (or is discarded
/// without one), and deliveries after the window go through again.
#[test]
fn sns_client_side_errors_go_to_the_subscription_dlq_without_retries() {
    let text = "Metadata:
  Eventyard:
    Subscriptions:
      WithDlq: {Refused: [{From: 0s, Until: 10s}]}
      WithoutDlq: {Refused: [{From: 0s, Until: 10s}]}
    Events:
      - Publish: {TopicArn: !Ref T, Message: refused}
      - At: 20s
        Publish: {TopicArn: !Ref T, Message: accepted}
Resources:
  T:
    Type: AWS::SNS::Topic
  WithDlq:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      RawMessageDelivery: true
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn}
  WithoutDlq:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: lambda
      Endpoint: !GetAtt F.Arn
  Q:
    Type: AWS::SQS::Queue
  Dlq:
    Type: AWS::SQS::Queue
  F:
    Type: AWS::Lambda::Function
    Properties: {Handler: x, Runtime: python3.12}
";
    let mut sim = simulator(text);
    let records = run_checked(&mut sim, 60_000);
    assert_eq!(count(&records, "WithDlq", TraceAction::Retried), 0);
    assert_eq!(count(&records, "WithoutDlq", TraceAction::Retried), 0);
    let moved = of(&records, "WithDlq", TraceAction::MovedToDlq);
    assert_eq!(moved.len(), 1);
    // At once: within the delivery hop, not after a retry delay.
    assert!(moved[0].time_ms < 1_000, "{}", moved[0].time_ms);
    assert_eq!(
        moved[0].reason,
        "the endpoint refused SNS (declared refused until 10 s): a client-side error, which SNS does not retry: sent to the subscription's dead-letter queue"
    );
    assert_eq!(sim.queue_bodies("Dlq"), vec!["refused".to_string()]);
    let dropped = of(&records, "WithoutDlq", TraceAction::Failed);
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        dropped[0].reason,
        "the endpoint refused SNS (declared refused until 10 s): a client-side error, which SNS does not retry and no dead-letter queue: the message is discarded"
    );
    // After the window both endpoints take the second message.
    assert_eq!(sim.queue_bodies("Q"), vec!["accepted".to_string()]);
    assert_eq!(count(&records, "WithoutDlq", TraceAction::Delivered), 1);
}
