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
