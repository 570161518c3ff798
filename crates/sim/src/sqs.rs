//! One SQS queue's contents (sqs-visibility-timeout, sqs-dead-letter-queues, FIFO-queues-*):
//! messages by arrival, the visible ones in receive order, FIFO groups blocked while one of
//! their messages is in flight, and the five-minute deduplication window (kept even after
//! delete). Plain data: the simulator schedules the timers.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use serde_json::Value;

use crate::ledger::Token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    /// Waiting out DelaySeconds.
    Delayed,
    Visible,
    /// Received; invisible until the visibility timeout ends (key of that timer).
    InFlight {
        receipt: u64,
        timer: (u64, u64),
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SqsMessage {
    pub token: Token,
    pub message_id: Arc<str>,
    pub parent_id: Option<Arc<str>>,
    pub body: Arc<str>,
    pub message_attributes: Arc<Value>,
    /// Virtual ms the message was first sent (kept when moved to a DLQ: retention counts from it).
    pub sent_ms: u64,
    pub first_receive_ms: Option<u64>,
    pub receive_count: u64,
    pub group: Option<Arc<str>>,
    pub deduplication_id: Option<Arc<str>>,
    pub sequence_number: Option<u64>,
    /// The queue a redrive moved the message from (`DeadLetterQueueSourceArn`).
    pub dead_letter_source_arn: Option<Arc<str>>,
    pub state: MessageState,
    /// Position among visible messages.
    pub order: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueState {
    /// By arrival key.
    pub messages: BTreeMap<u64, SqsMessage>,
    /// (order, key) of visible messages.
    pub visible: BTreeSet<(u64, u64)>,
    /// (sent ms, key) of every message: the retention sweep reads the oldest and takes the
    /// expired ones from the front, instead of scanning the queue once per expiring message.
    pub by_sent: BTreeSet<(u64, u64)>,
    /// FIFO: messages in flight per group.
    pub groups_in_flight: BTreeMap<Arc<str>, u64>,
    pub dedup: Dedup,
    pub next_key: u64,
    pub next_order: u64,
    pub next_sequence: u64,
    /// When the retention sweep is scheduled, if it is.
    pub sweep_at_ms: Option<u64>,
}

/// FIFO deduplication ids (SQS FIFO queues and SNS FIFO topics) and when they stop counting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dedup {
    ids: BTreeMap<Arc<str>, u64>,
    expiry: VecDeque<(u64, Arc<str>)>,
}

impl Dedup {
    /// Record an id; false when it was seen within the window (even if since deleted).
    pub fn remember(&mut self, id: Arc<str>, now_ms: u64, window_ms: u64) -> bool {
        while let Some((expiry, _)) = self.expiry.front() {
            if *expiry > now_ms {
                break;
            }
            if let Some((expiry, old)) = self.expiry.pop_front() {
                if self.ids.get(&old) == Some(&expiry) {
                    self.ids.remove(&old);
                }
            }
        }
        if self.ids.contains_key(&id) {
            return false;
        }
        let expiry = now_ms + window_ms;
        self.ids.insert(id.clone(), expiry);
        self.expiry.push_back((expiry, id));
        true
    }
}

impl QueueState {
    pub fn insert(&mut self, mut message: SqsMessage) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        message.order = self.next_order;
        self.next_order += 1;
        if message.state == MessageState::Visible {
            self.visible.insert((message.order, key));
        }
        self.by_sent.insert((message.sent_ms, key));
        self.messages.insert(key, message);
        key
    }

    /// Make a message visible (after a delay or a visibility timeout). FIFO keeps arrival
    /// order; standard queues put returning messages at the back (best-effort order).
    pub fn make_visible(&mut self, key: u64, fifo: bool) {
        let next_order = self.next_order;
        let Some(message) = self.messages.get_mut(&key) else {
            return;
        };
        if let MessageState::InFlight { .. } = message.state {
            if let Some(group) = &message.group {
                release_group(&mut self.groups_in_flight, group);
            }
        }
        message.state = MessageState::Visible;
        if !fifo {
            message.order = next_order;
            self.next_order += 1;
        }
        self.visible.insert((message.order, key));
    }

    /// Remove a message (deleted, expired or moved), releasing its FIFO group.
    pub fn remove(&mut self, key: u64) -> Option<SqsMessage> {
        let message = self.messages.remove(&key)?;
        self.by_sent.remove(&(message.sent_ms, key));
        match message.state {
            MessageState::Visible => {
                self.visible.remove(&(message.order, key));
            }
            MessageState::InFlight { .. } => {
                if let Some(group) = &message.group {
                    release_group(&mut self.groups_in_flight, group);
                }
            }
            MessageState::Delayed => {}
        }
        Some(message)
    }

    /// Keys of up to `max` messages a ReceiveMessage could return now: in order, skipping FIFO
    /// groups that have a message in flight.
    pub fn receivable(&self, max: usize) -> Vec<u64> {
        let mut out = Vec::new();
        for (_, key) in &self.visible {
            if out.len() >= max {
                break;
            }
            let Some(message) = self.messages.get(key) else {
                continue;
            };
            if let Some(group) = &message.group {
                // A group with a message in flight is blocked; within one batch a group's
                // messages come in order, so several of them may be taken together.
                if self.groups_in_flight.contains_key(group) {
                    continue;
                }
            }
            out.push(*key);
        }
        out
    }

    pub fn count_receivable(&self, max: usize) -> usize {
        self.receivable(max).len()
    }

    /// Mark a message received: invisible, counted.
    pub fn take(&mut self, key: u64, receipt: u64, timer: (u64, u64), now_ms: u64) {
        let Some(message) = self.messages.get_mut(&key) else {
            return;
        };
        self.visible.remove(&(message.order, key));
        message.receive_count += 1;
        message.first_receive_ms.get_or_insert(now_ms);
        message.state = MessageState::InFlight { receipt, timer };
        if let Some(group) = &message.group {
            *self.groups_in_flight.entry(group.clone()).or_insert(0) += 1;
        }
    }

    pub fn depth(&self) -> usize {
        self.messages.len()
    }

    /// Oldest sent time of any message (for the retention sweep).
    pub fn oldest_sent_ms(&self) -> Option<u64> {
        self.by_sent.first().map(|(sent, _)| *sent)
    }

    /// Keys of the messages sent at or before `sent_ms`, oldest first.
    pub fn sent_by(&self, sent_ms: u64) -> Vec<u64> {
        self.by_sent
            .range(..=(sent_ms, u64::MAX))
            .map(|(_, key)| *key)
            .collect()
    }
}

fn release_group(groups: &mut BTreeMap<Arc<str>, u64>, group: &Arc<str>) {
    if let Some(count) = groups.get_mut(group) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            groups.remove(group);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(token: Token, group: Option<&str>) -> SqsMessage {
        SqsMessage {
            token,
            message_id: Arc::from(format!("m{token}")),
            parent_id: None,
            body: Arc::from("x"),
            message_attributes: Arc::new(Value::Null),
            sent_ms: 0,
            first_receive_ms: None,
            receive_count: 0,
            group: group.map(Arc::from),
            deduplication_id: None,
            sequence_number: None,
            dead_letter_source_arn: None,
            state: MessageState::Visible,
            order: 0,
        }
    }

    /// FIFO-queues-understanding-logic: a group with a message in flight is blocked; other
    /// groups are not; the group's order survives a visibility timeout.
    #[test]
    fn fifo_groups_block_while_in_flight_and_keep_order() {
        let mut q = QueueState::default();
        let a1 = q.insert(message(1, Some("a")));
        let a2 = q.insert(message(2, Some("a")));
        let b1 = q.insert(message(3, Some("b")));
        assert_eq!(q.receivable(10), vec![a1, a2, b1]);
        q.take(a1, 7, (0, 0), 0);
        assert_eq!(q.receivable(10), vec![b1], "group a is blocked");
        q.make_visible(a1, true);
        assert_eq!(q.receivable(10), vec![a1, a2, b1], "a-1 comes back first");
        q.take(a1, 8, (0, 0), 0);
        assert!(q.remove(a1).is_some());
        assert_eq!(q.receivable(1), vec![a2], "deleting a-1 unblocks the group");
    }

    #[test]
    fn standard_queues_put_returning_messages_at_the_back() {
        let mut q = QueueState::default();
        let first = q.insert(message(1, None));
        let second = q.insert(message(2, None));
        q.take(first, 1, (0, 0), 0);
        q.make_visible(first, false);
        assert_eq!(q.receivable(10), vec![second, first]);
    }

    #[test]
    fn dedup_window_holds_then_expires() {
        let mut d = Dedup::default();
        assert!(d.remember(Arc::from("x"), 0, 300_000));
        assert!(!d.remember(Arc::from("x"), 299_999, 300_000));
        assert!(d.remember(Arc::from("x"), 300_000, 300_000));
    }
}
