//! One message's journey through a run (PRODUCT.md: "click any message to see its whole
//! journey"): the messages it came from, back to the first, and every message that came from it,
//! in trace order.
//!
//! Lineage comes from each message's *first* record: the message it was made from (an SNS
//! notification from an event, an SQS message from a notification). A later record of a message
//! that names another message says the message took part in it: an SQS message in a Lambda
//! batch (the invocation). The journey includes the invocations a message took part in, but
//! does not follow them to the other messages of the batch: those are its batch-mates, named but
//! not followed (a payment's journey is not the journey of the nine payments beside it).

use std::collections::{BTreeMap, BTreeSet};

use eventyard_sim::TraceRecord;

/// A journey: positions of its steps in the trace, and the messages that shared a batch with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journey {
    pub steps: Vec<usize>,
    pub batch_mates: BTreeSet<String>,
}

/// The journey of `message_id` over `records`; empty when no step names it.
pub fn journey<'a>(
    records: impl Iterator<Item = &'a TraceRecord> + Clone,
    message_id: &str,
) -> Journey {
    // message → the message it was made from; and the reverse.
    let mut lineage: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut made: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // invocation → the messages that took part in it, and message → its invocations.
    let mut participants: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut took_part_in: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for record in records.clone() {
        let id: &str = &record.message_id;
        let parent = record.parent_id.as_deref();
        match lineage.get(id) {
            None => {
                lineage.insert(id, parent);
                if let Some(parent) = parent {
                    made.entry(parent).or_default().insert(id);
                }
            }
            Some(first) => {
                if let Some(parent) = parent.filter(|p| Some(*p) != *first) {
                    participants.entry(parent).or_default().insert(id);
                    took_part_in.entry(id).or_default().insert(parent);
                }
            }
        }
    }
    let mut members = BTreeSet::from([message_id]);
    // Back to where it came from, then forward to all that came from it; each message visited
    // once, so cycles end.
    let mut at = message_id;
    let mut seen = BTreeSet::from([message_id]);
    while let Some(Some(parent)) = lineage.get(at) {
        if !seen.insert(parent) {
            break;
        }
        members.insert(parent);
        at = parent;
    }
    let mut pending = vec![message_id];
    let mut seen = BTreeSet::from([message_id]);
    while let Some(id) = pending.pop() {
        for &child in made.get(id).into_iter().flatten() {
            if seen.insert(child) {
                members.insert(child);
                pending.push(child);
            }
        }
    }
    // The batches its messages took part in, and who else was in them.
    let mut batch_mates = BTreeSet::new();
    let lineage_members = members.clone();
    for member in &lineage_members {
        for &batch in took_part_in.get(member).into_iter().flatten() {
            members.insert(batch);
            let first = lineage.get(batch).copied().flatten();
            let others = participants
                .get(batch)
                .into_iter()
                .flatten()
                .copied()
                .chain(first);
            for other in others {
                if !lineage_members.contains(other) {
                    batch_mates.insert(other.to_string());
                }
            }
        }
    }
    let steps = records
        .enumerate()
        .filter(|(_, record)| members.contains(&*record.message_id))
        .map(|(index, _)| index)
        .collect();
    Journey { steps, batch_mates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;
    use crate::state::session::Session;
    use eventyard_sim::TraceAction;
    use std::sync::Arc;

    fn step(message_id: &str, parent_id: Option<&str>) -> TraceRecord {
        TraceRecord {
            time_ms: 0,
            resource: Arc::from("R"),
            action: TraceAction::Received,
            message_id: Arc::from(message_id),
            parent_id: parent_id.map(Arc::from),
            payload: None,
            reason: String::new(),
        }
    }

    #[test]
    fn a_journey_is_the_ancestors_and_the_descendants() {
        let trace = [
            step("event", None),
            step("sns", Some("event")),
            step("queue-a", Some("sns")),
            step("queue-b", Some("sns")),
            step("other", None),
            step("invocation", Some("queue-a")),
            step("queue-a", None),
        ];
        assert_eq!(journey(trace.iter(), "queue-a").steps, vec![0, 1, 2, 5, 6]);
        assert_eq!(journey(trace.iter(), "event").steps, vec![0, 1, 2, 3, 5, 6]);
        assert_eq!(journey(trace.iter(), "other").steps, vec![4]);
        assert!(journey(trace.iter(), "unknown").steps.is_empty());
    }

    #[test]
    fn batch_mates_are_mentioned_not_followed() {
        // As the simulator writes a Lambda batch: the invocation names its first record's
        // message; each record's failure names the invocation.
        let trace = [
            step("m1", None),
            step("m2", None),
            step("batch", Some("m1")),
            step("m1", Some("batch")),
            step("m2", Some("batch")),
            step("out", Some("m2")),
        ];
        let second = journey(trace.iter(), "m2");
        assert_eq!(second.steps, vec![1, 2, 4, 5]);
        assert_eq!(second.batch_mates, BTreeSet::from(["m1".to_string()]));
        let first = journey(trace.iter(), "m1");
        assert_eq!(first.steps, vec![0, 2, 3]);
        assert_eq!(first.batch_mates, BTreeSet::from(["m2".to_string()]));
    }

    #[test]
    fn cycles_end() {
        let trace = [step("a", Some("b")), step("b", Some("a"))];
        assert_eq!(journey(trace.iter(), "a").steps, vec![0, 1]);
    }

    fn played(id: &str, until_ms: u64) -> Session {
        let preset = PRESETS.iter().find(|p| p.id == id).unwrap();
        let template = eventyard_template::load(preset.template).unwrap();
        let mut session = Session::new(template, None, &[]).unwrap();
        session.advance(until_ms, usize::MAX);
        session
    }

    /// The donut shop: an order's journey goes from the bus through its rules to the queue and
    /// the function, and leaves out the other orders.
    #[test]
    fn an_order_of_the_donut_shop() {
        let session = played("donut-shop", 120_000);
        let trace: Vec<&TraceRecord> = session.steps().iter().map(|s| &s.record).collect();
        let first = trace
            .iter()
            .find(|r| &*r.resource == "DonutQueue" && r.action == TraceAction::Received)
            .expect("an order reaches the donut queue");
        let found = journey(trace.iter().copied(), &first.message_id);
        let resources: BTreeSet<&str> = found.steps.iter().map(|&i| &*trace[i].resource).collect();
        for resource in ["ShopBus", "DonutRule", "DonutQueue", "DonutMaker"] {
            assert!(resources.contains(resource), "{resources:?}");
        }
        assert!(
            found.steps.len() < trace.len() / 4,
            "{} of {}",
            found.steps.len(),
            trace.len()
        );
    }

    /// The finding: one payment's journey had 66 steps, its whole batch's.
    #[test]
    fn a_poison_payment_in_the_dlq_has_a_short_journey_that_says_why() {
        let session = played("dlq-redrive", 110_000);
        let trace: Vec<&TraceRecord> = session.steps().iter().map(|s| &s.record).collect();
        let moved = trace
            .iter()
            .find(|r| r.action == TraceAction::MovedToDlq)
            .expect("a payment reaches the DLQ");
        let found = journey(trace.iter().copied(), &moved.message_id);
        assert!(found.steps.len() <= 20, "{} steps", found.steps.len());
        assert!(found
            .steps
            .iter()
            .any(|&i| trace[i].action == TraceAction::MovedToDlq));
    }
}
