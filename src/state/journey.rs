//! One message's journey through a run (PRODUCT.md: "click any message to see its whole
//! journey"): the messages it came from, back to the first, and every message that came from it
//! (each trace record names its message and the message that one came from), in trace order.

use std::collections::{BTreeMap, BTreeSet};

use crate::state::playground::TraceRow;

/// Positions in `trace` of the steps of `message_id`'s journey; empty when no step names it.
pub fn journey(trace: &[TraceRow], message_id: &str) -> Vec<usize> {
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for row in trace {
        if let Some(parent) = row.parent_id.as_deref() {
            parents
                .entry(row.message_id.as_str())
                .or_default()
                .insert(parent);
            children
                .entry(parent)
                .or_default()
                .insert(row.message_id.as_str());
        }
    }
    let mut members = BTreeSet::from([message_id]);
    // Back to where it came from, then forward to all that came from it: two walks over a
    // finite graph, each message visited once, so cycles (a function that is its own
    // destination) end.
    for links in [&parents, &children] {
        let mut pending = vec![message_id];
        let mut seen = BTreeSet::from([message_id]);
        while let Some(id) = pending.pop() {
            for &next in links.get(id).into_iter().flatten() {
                if seen.insert(next) {
                    members.insert(next);
                    pending.push(next);
                }
            }
        }
    }
    trace
        .iter()
        .enumerate()
        .filter(|(_, row)| members.contains(row.message_id.as_str()))
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::journey;
    use crate::state::playground::{run, Action, PlaygroundDocument, RunOutcome, TraceRow};

    fn step(message_id: &str, parent_id: Option<&str>) -> TraceRow {
        TraceRow {
            time_ms: 0,
            resource: "R".into(),
            action: "received",
            message_id: message_id.into(),
            parent_id: parent_id.map(Into::into),
            reason: String::new(),
            payload: None,
        }
    }

    #[test]
    fn a_journey_is_the_ancestors_and_the_descendants() {
        let trace = vec![
            step("event", None),
            step("sns", Some("event")),
            step("queue-a", Some("sns")),
            step("queue-b", Some("sns")),
            step("other", None),
            step("invocation", Some("queue-a")),
            step("queue-a", None),
        ];
        assert_eq!(journey(&trace, "queue-a"), vec![0, 1, 2, 5, 6]);
        assert_eq!(journey(&trace, "event"), vec![0, 1, 2, 3, 5, 6]);
        assert_eq!(journey(&trace, "other"), vec![4]);
        assert!(journey(&trace, "unknown").is_empty());
    }

    #[test]
    fn cycles_end() {
        let trace = vec![step("a", Some("b")), step("b", Some("a"))];
        assert_eq!(journey(&trace, "a"), vec![0, 1]);
    }

    /// The donut shop: an order's journey goes from the bus through its rules to the queue and
    /// the function, and leaves out the other orders.
    #[test]
    fn an_order_of_the_donut_shop() {
        let document = PlaygroundDocument::default().apply(Action::LoadPreset("donut-shop"));
        let RunOutcome::Ran { trace, .. } = run(&document) else {
            panic!("the donut shop runs");
        };
        let first = trace
            .iter()
            .find(|row| row.resource == "DonutQueue" && row.action == "received")
            .expect("an order reaches the donut queue");
        let steps = journey(&trace, &first.message_id);
        let resources: std::collections::BTreeSet<&str> = steps
            .iter()
            .filter_map(|&i| trace.get(i))
            .map(|row| row.resource.as_str())
            .collect();
        for resource in ["ShopBus", "DonutRule", "DonutQueue", "DonutMaker"] {
            assert!(resources.contains(resource), "{resources:?}");
        }
        assert!(
            steps.len() < trace.len() / 4,
            "{} of {}",
            steps.len(),
            trace.len()
        );
    }
}
