//! FIFO ordering and deduplication versus a standard queue (FIFO-queues-message-order,
//! FIFO-queues-exactly-once-processing, standard-queues).

mod common;

use common::*;
use eventyard_sim::TraceAction;

fn processed_bodies(records: &[eventyard_sim::TraceRecord], function: &str) -> Vec<String> {
    of(records, function, TraceAction::Received)
        .iter()
        .map(|r| {
            r.payload.as_ref().unwrap()["Records"][0]["body"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn each_fifo_group_is_processed_in_order_and_the_resent_message_is_deduplicated() {
    let mut sim = simulator(&preset("fifo-ordering.yaml"));
    let records = run_checked(&mut sim, 60_000);
    let bodies = processed_bodies(&records, "FifoConsumer");
    assert_eq!(bodies.len(), 6);
    let group = |g: &str| {
        bodies
            .iter()
            .filter(|b| b.starts_with(g))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(group("a-"), vec!["a-1", "a-2", "a-3"]);
    assert_eq!(group("b-"), vec!["b-1", "b-2", "b-3"]);
    assert_eq!(count(&records, "OrdersFifo", TraceAction::Deduplicated), 1);
    let fifo_records: Vec<_> = of(&records, "OrdersFifo", TraceAction::Delivered);
    assert!(fifo_records
        .iter()
        .all(|r| r.payload.as_ref().unwrap()["Attributes"]["MessageGroupId"].is_string()));
}

#[test]
fn the_standard_queue_delivers_at_least_once_in_best_effort_order() {
    let mut sim = simulator(&preset("fifo-ordering.yaml"));
    let records = run_checked(&mut sim, 60_000);
    let bodies = processed_bodies(&records, "StandardConsumer");
    let mut unique = bodies.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 6, "every message arrives");
    assert!(bodies.len() > 6, "this seed shows duplicates: {bodies:?}");
}
