//! Declared outages (`Metadata: Eventyard: Queues:` and `Subscriptions:`): windows of virtual
//! time in which a queue refuses SendMessage or an inbox endpoint (email, SMS, HTTP/S) fails
//! every delivery, so senders' retry policies can be watched at work, and windows in which a
//! subscription's endpoint refuses SNS (a client-side error, which SNS does not retry).

use crate::error::Errors;
use crate::model::Template;
use crate::node::Node;
use crate::playground::{duration, OWNER};

/// `Down: [{From, Until}]`: virtual-time windows [from, until).
pub fn down_windows(down: &Node, errors: &mut Errors) -> Vec<(u64, u64)> {
    windows(down, "Down", errors)
}

/// `<key>: [{From, Until}]`: virtual-time windows [from, until).
fn windows(down: &Node, key: &str, errors: &mut Errors) -> Vec<(u64, u64)> {
    let Some(windows) = down.as_seq() else {
        errors.push(
            OWNER,
            down.pos,
            format!("{key} must be a list of {{From, Until}}"),
        );
        return Vec::new();
    };
    let mut down_ms = Vec::new();
    for window in windows {
        let from = window.get("From").and_then(|n| duration(n, "From", errors));
        let until = window
            .get("Until")
            .and_then(|n| duration(n, "Until", errors));
        match (from, until) {
            (Some(from), Some(until)) if from < until => down_ms.push((from, until)),
            _ => errors.push(
                OWNER,
                window.pos,
                format!("{key} windows need From before Until"),
            ),
        }
    }
    down_ms
}

/// `Queues: {<queue logical id or name>: {Down: [{From, Until}]}}`.
pub fn queues(settings: &Node, template: &mut Template, errors: &mut Errors) {
    let mut queue_down = Vec::new();
    if let Some(queues) = settings.get("Queues") {
        let Some(entries) = queues.as_map() else {
            errors.push(
                OWNER,
                queues.pos,
                "Queues must be an object keyed by queue logical id",
            );
            return;
        };
        for (key, node) in entries {
            let index = template
                .queues
                .iter()
                .position(|q| q.origin.logical_id == key.name || q.name == key.name);
            let Some(index) = index else {
                errors.push(
                    OWNER,
                    key.pos,
                    format!("Queues: {} is not a queue of this template", key.name),
                );
                continue;
            };
            if let Some(down) = node.get("Down") {
                queue_down.push((index, down_windows(down, errors)));
            }
        }
    }
    for (index, down_ms) in queue_down {
        if let Some(queue) = template.queues.get_mut(index) {
            queue.down_ms = down_ms;
        }
    }
}

/// `Subscriptions: {<subscription logical id>: {Down: [{From, Until}], Refused: [{From,
/// Until}]}}`. `Down` is for inbox endpoints (a queue or a function is declared down itself);
/// `Refused` is for any endpoint: SNS gets a client-side error, as when the endpoint's policy
/// no longer lets SNS deliver or the endpoint was deleted (sns-dead-letter-queues).
pub fn subscriptions(settings: &Node, template: &mut Template, errors: &mut Errors) {
    if let Some(subscriptions) = settings.get("Subscriptions") {
        let Some(entries) = subscriptions.as_map() else {
            errors.push(
                OWNER,
                subscriptions.pos,
                "Subscriptions must be an object keyed by subscription logical id",
            );
            return;
        };
        for (key, node) in entries {
            let found = template
                .subscriptions
                .iter_mut()
                .find(|s| s.origin.logical_id == key.name);
            let Some(subscription) = found else {
                errors.push(
                    OWNER,
                    key.pos,
                    format!("Subscriptions: {} is not a subscription of this template (inline subscriptions of a topic cannot be named)", key.name),
                );
                continue;
            };
            if let Some(refused) = node.get("Refused") {
                subscription.refused_ms = windows(refused, "Refused", errors);
            }
            if let Some(down) = node.get("Down") {
                if subscription.protocol.is_inbox() {
                    subscription.down_ms = down_windows(down, errors);
                } else {
                    errors.push(
                        OWNER,
                        key.pos,
                        format!(
                            "Subscriptions: {} delivers to {}; declare the queue or function itself Down",
                            key.name,
                            subscription.protocol.as_str()
                        ),
                    );
                }
            }
        }
    }
}
