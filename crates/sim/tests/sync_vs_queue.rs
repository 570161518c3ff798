//! Synchronous call versus queue with a failing receiver (SEMANTICS.md presets; AWS pages
//! eb-rule-retry-policy, sqs-dead-letter-queues, services-sqs-errorhandling).

mod common;

use common::*;
use eventyard_sim::TraceAction;

const OUTAGE_START_MS: u64 = 60_000;
const OUTAGE_END_MS: u64 = 150_000;

#[test]
fn after_the_outage_the_queue_drains_and_the_three_poison_messages_sit_in_the_dlq() {
    let mut sim = simulator(&preset("sync-vs-queue.yaml"));
    let records = run_checked(&mut sim, 600_000);
    assert_eq!(sim.queue_depth("OrdersQueue"), Some(0), "the queue drained");
    let dlq = sim.queue_bodies("PoisonDlq");
    assert_eq!(dlq.len(), 3, "{dlq:?}");
    assert!(dlq.iter().all(|body| body.contains("poison-")), "{dlq:?}");
    // Nothing polled while the receiver was down: the queue buffered.
    let polled_during_outage = of(&records, "QueueReceiver", TraceAction::Received)
        .iter()
        .filter(|r| (OUTAGE_START_MS..OUTAGE_END_MS).contains(&r.time_ms))
        .count();
    assert_eq!(polled_during_outage, 0);
    // Every healthy order was processed through the queue.
    assert_eq!(count(&records, "OrdersQueue", TraceAction::Deleted), 60);
}

#[test]
fn the_direct_call_loses_orders_while_the_receiver_is_down() {
    let mut sim = simulator(&preset("sync-vs-queue.yaml"));
    let records = run_checked(&mut sim, 600_000);
    let dropped = of(&records, "DirectCall", TraceAction::Failed);
    assert!(!dropped.is_empty());
    assert!(
        dropped.iter().all(|r| r
            .reason
            .contains("no dead-letter queue: the event is dropped")),
        "{:?}",
        dropped[0].reason
    );
    assert!(count(&records, "DirectCall", TraceAction::Retried) >= dropped.len() * 2);
    let (finals, _) = sim.outcome_counts();
    assert!(
        finals[3] >= dropped.len() as u64,
        "dropped messages are counted as dropped"
    );
}

#[test]
fn during_the_outage_the_queue_depth_and_age_grow() {
    let mut sim = simulator(&preset("sync-vs-queue.yaml"));
    run_checked(&mut sim, 149_000);
    let metrics = sim.queue_metrics("OrdersQueue").unwrap();
    assert!(metrics.visible >= 15, "{metrics:?}");
    assert!(metrics.oldest_age_ms >= 80_000, "{metrics:?}");
    run_checked(&mut sim, 400_000);
    let metrics = sim.queue_metrics("OrdersQueue").unwrap();
    assert_eq!(
        metrics.visible + metrics.in_flight + metrics.delayed,
        0,
        "{metrics:?}"
    );
}
