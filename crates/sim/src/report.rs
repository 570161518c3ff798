//! What a run has done so far, for the run's table (`eventyard run` and the page share these
//! columns) and the page's gauges: counters per resource, queue depths and metrics.

use std::sync::Arc;

use serde::Serialize;

use crate::sim::Simulator;
use crate::sqs::{MessageState, QueueState};
use crate::trace::TraceAction;

/// Counts per resource, for the run's table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    pub received: u64,
    pub matched: u64,
    pub filtered: u64,
    pub transformed: u64,
    pub delivered: u64,
    pub failed: u64,
    pub retried: u64,
    pub moved_to_dlq: u64,
    pub expired: u64,
    pub deleted: u64,
    pub deduplicated: u64,
    /// ReceiveMessage calls that returned nothing (NumberOfEmptyReceives), on queues and workers.
    pub empty_receives: u64,
}

impl Counters {
    pub(crate) fn count(&mut self, action: TraceAction) {
        let slot = match action {
            TraceAction::Received => &mut self.received,
            TraceAction::Matched => &mut self.matched,
            TraceAction::Filtered => &mut self.filtered,
            TraceAction::Transformed => &mut self.transformed,
            TraceAction::Delivered => &mut self.delivered,
            TraceAction::Failed => &mut self.failed,
            TraceAction::Retried => &mut self.retried,
            TraceAction::MovedToDlq => &mut self.moved_to_dlq,
            TraceAction::Expired => &mut self.expired,
            TraceAction::Deleted => &mut self.deleted,
            TraceAction::Deduplicated => &mut self.deduplicated,
        };
        *slot += 1;
    }
}

/// One row of the run's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceReport {
    pub logical_id: String,
    pub kind: &'static str,
    pub counters: Counters,
    /// Messages now in this queue (visible, delayed or in flight); 0 for other resources.
    pub left: u64,
    /// Whether this queue serves as a dead-letter queue.
    pub is_dlq: bool,
}

/// The columns of the run's table, shared by the CLI and the page so they always agree.
impl ResourceReport {
    /// Messages that reached this resource. A rule "receives" every event of its bus it is
    /// tested against (matched or filtered).
    pub fn received(&self) -> u64 {
        if self.kind == "AWS::Events::Rule" {
            self.counters.matched + self.counters.filtered
        } else {
            self.counters.received
        }
    }

    /// For a dead-letter queue, its depth; for any other resource, how many messages it moved
    /// to a dead-letter queue.
    pub fn in_dlq(&self) -> u64 {
        if self.is_dlq {
            self.left
        } else {
            self.counters.moved_to_dlq
        }
    }

    /// Messages still in this queue; `None` for resources that are not queues.
    pub fn left_in_queue(&self) -> Option<u64> {
        (self.kind == "AWS::SQS::Queue").then_some(self.left)
    }
}

/// A queue's gauges for the page (PRODUCT.md "Metrics"): SQS's ApproximateNumberOfMessages
/// (visible), ...NotVisible (in flight), ...Delayed, and ApproximateAgeOfOldestMessage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueMetrics {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
    pub oldest_age_ms: u64,
}

impl Simulator {
    /// The run's table: one row per resource, in template order by kind.
    pub fn report(&self) -> Vec<ResourceReport> {
        let w = &self.world;
        let mut rows = Vec::new();
        let mut push = |id: &Arc<str>, kind: &'static str, left: u64, is_dlq: bool| {
            rows.push(ResourceReport {
                logical_id: id.to_string(),
                kind,
                counters: self.counters_of(id),
                left,
                is_dlq,
            });
        };
        for id in &w.bus_ids {
            push(id, "AWS::Events::EventBus", 0, false);
        }
        for rule in &w.rules {
            push(&rule.id, "AWS::Events::Rule", 0, false);
        }
        for id in &w.archive_ids {
            push(id, "AWS::Events::Archive", 0, false);
        }
        for id in &w.topic_ids {
            push(id, "AWS::SNS::Topic", 0, false);
        }
        for s in &w.subscriptions {
            push(&s.id, "AWS::SNS::Subscription", 0, false);
        }
        for (i, id) in w.queue_ids.iter().enumerate() {
            let left = self.queues.get(i).map_or(0, |q| q.depth() as u64);
            push(
                id,
                "AWS::SQS::Queue",
                left,
                w.queue_is_dlq.get(i).copied().unwrap_or(false),
            );
        }
        for id in &w.function_ids {
            push(id, "AWS::Lambda::Function", 0, false);
        }
        for id in &w.worker_ids {
            push(id, "Eventyard::Worker", 0, false);
        }
        rows
    }

    /// Counters of one resource by logical id.
    pub fn counters(&self, logical_id: &str) -> Counters {
        self.counters_of(logical_id)
    }

    /// A resource's counters, with the empty receives Lambda's idle pollers have made so far.
    fn counters_of(&self, logical_id: &str) -> Counters {
        let mut counters = self.counters.get(logical_id).copied().unwrap_or_default();
        let w = &self.world;
        for (mapping, state) in self.mappings.iter().enumerate() {
            let queue = w.mapping_queue.get(mapping).copied();
            let queue_id = queue.and_then(|q| w.queue_ids.get(q));
            if queue_id.is_some_and(|id| &**id == logical_id) {
                counters.empty_receives += self.idle_empty_receives(mapping, state.idle_since_ms);
            }
        }
        counters
    }

    /// A queue's state by logical id.
    fn queue_state(&self, logical_id: &str) -> Option<&QueueState> {
        let index = self
            .world
            .queue_ids
            .iter()
            .position(|id| &**id == logical_id)?;
        self.queues.get(index)
    }

    /// Messages now in a queue (visible, delayed or in flight), by logical id.
    pub fn queue_depth(&self, logical_id: &str) -> Option<usize> {
        self.queue_state(logical_id).map(QueueState::depth)
    }

    /// Gauges of a queue by logical id.
    pub fn queue_metrics(&self, logical_id: &str) -> Option<QueueMetrics> {
        let queue = self.queue_state(logical_id)?;
        let mut metrics = QueueMetrics::default();
        for message in queue.messages.values() {
            match message.state {
                MessageState::Visible => metrics.visible += 1,
                MessageState::InFlight { .. } => metrics.in_flight += 1,
                MessageState::Delayed => metrics.delayed += 1,
            }
            metrics.oldest_age_ms = metrics
                .oldest_age_ms
                .max(self.now_ms.saturating_sub(message.sent_ms));
        }
        Some(metrics)
    }

    /// Bodies of the messages now in a queue, in arrival order.
    pub fn queue_bodies(&self, logical_id: &str) -> Vec<String> {
        self.queue_state(logical_id)
            .map(|q| q.messages.values().map(|m| m.body.to_string()).collect())
            .unwrap_or_default()
    }
}

/// A message a queue holds now, for the page's node details (SQS's view of it: id, state,
/// ApproximateReceiveCount, SentTimestamp as virtual ms, body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldMessage {
    pub message_id: Arc<str>,
    /// "visible", "in flight" or "delayed", as SQS's ApproximateNumberOf... gauges split them.
    pub state: &'static str,
    pub receive_count: u64,
    pub sent_ms: u64,
    pub body: Arc<str>,
}

impl Simulator {
    /// The messages a queue holds now (visible, in flight or delayed), in arrival order.
    pub fn queue_messages(&self, logical_id: &str) -> Vec<HeldMessage> {
        let Some(queue) = self.queue_state(logical_id) else {
            return Vec::new();
        };
        queue
            .messages
            .values()
            .map(|message| HeldMessage {
                message_id: message.message_id.clone(),
                state: match message.state {
                    MessageState::Visible => "visible",
                    MessageState::InFlight { .. } => "in flight",
                    MessageState::Delayed => "delayed",
                },
                receive_count: message.receive_count,
                sent_ms: message.sent_ms,
                body: message.body.clone(),
            })
            .collect()
    }

    /// A function's invocations running now (CloudWatch's ConcurrentExecutions for one
    /// function): batches from its event source mappings and asynchronous runs started and not
    /// yet ended.
    pub fn concurrent_invocations(&self, logical_id: &str) -> u64 {
        let w = &self.world;
        let Some(function) = w.function_ids.iter().position(|id| &**id == logical_id) else {
            return 0;
        };
        let batches = self
            .invocations
            .values()
            .filter(|invocation| w.mapping_function.get(invocation.mapping) == Some(&function))
            .count();
        batches as u64 + self.async_runs_of(function)
    }
}
