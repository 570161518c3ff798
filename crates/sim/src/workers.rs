//! Declared workers: consumers outside Lambda that call ReceiveMessage in a loop, process what
//! they get one message after another, and delete what succeeded. They are where short and long
//! polling differ (sqs-short-and-long-polling):
//! - Short polling (`WaitTimeSeconds` 0) answers at once from a sample of the queue's servers,
//!   so a receive may return fewer messages than are visible, or none, and every empty answer is
//!   an `empty receive` (CloudWatch's NumberOfEmptyReceives; each is a billed request).
//! - Long polling (1..20 s) waits until a message is available or the wait ends, and asks every
//!   server, so empty answers only come after the whole wait.
//!
//! AWS does not publish how large the sample is; we return each visible message of a standard
//! queue with probability [`SHORT_POLL_SAMPLE_PERCENT`] (seeded). FIFO queues are not sampled.

use std::sync::Arc;

use serde_json::Value;

use crate::sim::{down_until, shared, Happening, Simulator};
use crate::trace::{TraceAction, TraceSink};

/// Our figure for the share of visible messages a short poll sees (AWS does not publish one).
pub const SHORT_POLL_SAMPLE_PERCENT: u64 = 50;

/// How long a short poll's round trip takes (ours; AWS publishes no latency).
pub const SHORT_POLL_ROUND_TRIP_MS: u64 = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WorkerState {
    /// Bumped whenever the pending poll is replaced, so a stale long-poll deadline is ignored.
    pub generation: u64,
    /// A long poll waiting on an empty queue, until this time.
    pub waiting_until: Option<u64>,
    /// Processing a batch (no receive call outstanding).
    pub busy: bool,
}

/// A batch a worker received and is processing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WorkerBatch {
    pub worker: usize,
    pub messages: Vec<Received>,
}

/// One message of a worker's batch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Received {
    pub key: u64,
    pub receipt: u64,
    pub message_id: Arc<str>,
    /// The body parsed as JSON (or the body as a string).
    pub item: Value,
    /// Decided when the batch is received.
    pub failure: Option<String>,
}

impl Simulator {
    pub(crate) fn schedule_worker_poll(&mut self, worker: usize, at: u64) {
        let Some(state) = self.workers.get_mut(worker) else {
            return;
        };
        state.generation += 1;
        state.waiting_until = None;
        let generation = state.generation;
        self.schedule(at, Happening::WorkerPoll { worker, generation });
    }

    /// A long poll waiting on this queue returns as soon as a message is available.
    pub(crate) fn wake_workers(&mut self, queue: usize) {
        let world = self.world.clone();
        for &worker in world
            .queue_workers
            .get(queue)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let waiting = self
                .workers
                .get(worker)
                .is_some_and(|s| s.waiting_until.is_some() && !s.busy);
            if waiting {
                self.schedule_worker_poll(worker, self.now_ms);
            }
        }
    }

    /// `Some(end)` when the worker is declared down now.
    fn worker_down_until(&self, worker: usize) -> Option<u64> {
        let declared = self.world.template.playground.workers.get(worker)?;
        down_until(&declared.behaviour.down_ms, self.now_ms)
    }

    /// One ReceiveMessage call (or the end of a long poll's wait).
    pub(crate) fn worker_poll(&mut self, worker: usize, generation: u64, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(declared), Some(&queue), Some(worker_id), Some(state)) = (
            world.template.playground.workers.get(worker),
            world.worker_queue.get(worker),
            world.worker_ids.get(worker),
            self.workers.get(worker),
        ) else {
            return;
        };
        if state.generation != generation || state.busy {
            return;
        }
        let Some(queue_declared) = world.template.queues.get(queue) else {
            return;
        };
        // A worker that is down makes no calls: the queue buffers.
        if let Some(until) = self.worker_down_until(worker) {
            self.schedule_worker_poll(worker, until);
            return;
        }
        let wait_s = declared
            .wait_time_s
            .unwrap_or(queue_declared.receive_message_wait_time_s);
        let max = usize::try_from(declared.max_messages).unwrap_or(1);
        let available = self
            .queues
            .get(queue)
            .map_or(0, |q| q.count_receivable(max));
        let wanted = if wait_s == 0 && !queue_declared.fifo_queue {
            (0..available)
                .filter(|_| self.rng_sqs.chance_percent(SHORT_POLL_SAMPLE_PERCENT))
                .count()
        } else {
            available
        };
        let polling = if wait_s == 0 {
            "short polling".to_string()
        } else {
            format!("long polling, WaitTimeSeconds {wait_s}")
        };
        let taken = if wanted > 0 {
            self.receive(
                queue,
                wanted,
                &format!("worker {worker_id} ({polling})"),
                sink,
            )
        } else {
            Vec::new()
        };
        if taken.is_empty() {
            let now = self.now_ms;
            let waiting_until = self.workers.get(worker).and_then(|s| s.waiting_until);
            match waiting_until {
                // Long polling: wait for a message, or the end of the wait.
                None if wait_s > 0 => {
                    let until = now + wait_s * 1000;
                    if let Some(state) = self.workers.get_mut(worker) {
                        state.waiting_until = Some(until);
                    }
                    self.schedule(until, Happening::WorkerPoll { worker, generation });
                }
                _ => {
                    self.count_empty_receives(worker_id, 1);
                    if let Some(queue_id) = world.queue_ids.get(queue) {
                        self.count_empty_receives(queue_id, 1);
                    }
                    let pause = if wait_s == 0 {
                        declared.idle_pause_ms.max(SHORT_POLL_ROUND_TRIP_MS)
                    } else {
                        declared.idle_pause_ms
                    };
                    self.schedule_worker_poll(worker, now + pause);
                }
            }
            return;
        }
        let mut messages = Vec::with_capacity(taken.len());
        for (key, receipt, message) in taken {
            let item: Value = serde_json::from_str(&message.body)
                .unwrap_or_else(|_| Value::String(message.body.to_string()));
            let failure = self.worker_failure(worker, &item);
            let shown = item.clone();
            self.emit(
                sink,
                worker_id,
                TraceAction::Received,
                &message.message_id,
                None,
                || shared(shown),
                || "received a message to process".into(),
            );
            messages.push(Received {
                key,
                receipt,
                message_id: message.message_id.clone(),
                item,
                failure,
            });
        }
        let duration_ms = declared
            .behaviour
            .duration_ms
            .saturating_mul(messages.len() as u64);
        if let Some(state) = self.workers.get_mut(worker) {
            state.busy = true;
            state.waiting_until = None;
        }
        self.schedule(
            self.now_ms + duration_ms,
            Happening::WorkerDone(Box::new(WorkerBatch { worker, messages })),
        );
    }

    fn worker_failure(&mut self, worker: usize, item: &Value) -> Option<String> {
        let world = self.world.clone();
        let declared = world.template.playground.workers.get(worker)?;
        if world
            .worker_fail_when
            .get(worker)
            .and_then(Option::as_ref)
            .is_some_and(|p| p.matches(item))
        {
            return Some("declared failure (FailWhen matched)".into());
        }
        let percent = declared.behaviour.fail_percent;
        self.rng_fail
            .chance_percent(percent)
            .then(|| format!("declared failure (FailPercent {percent}%, seeded)"))
    }

    /// The worker finished its batch: delete what succeeded, leave the rest to its visibility
    /// timeout, run the actions, and call ReceiveMessage again.
    pub(crate) fn worker_done(&mut self, batch: WorkerBatch, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let worker = batch.worker;
        let (Some(declared), Some(&queue), Some(worker_id)) = (
            world.template.playground.workers.get(worker),
            world.worker_queue.get(worker),
            world.worker_ids.get(worker),
        ) else {
            return;
        };
        let receiver = format!("worker {worker_id}");
        for Received {
            key,
            receipt,
            message_id,
            item,
            failure,
        } in batch.messages
        {
            match failure {
                Some(why) => self.emit(
                    sink,
                    worker_id,
                    TraceAction::Failed,
                    &message_id,
                    None,
                    || None,
                    || format!("{why}; not deleted: the message returns when its visibility timeout ends"),
                ),
                None => {
                    if self.delete_message(queue, key, receipt, &receiver, sink) {
                        self.run_declared_actions(
                            &declared.behaviour.actions,
                            worker_id,
                            &declared.name,
                            &item,
                            &message_id,
                            sink,
                        );
                    }
                }
            }
        }
        if let Some(state) = self.workers.get_mut(worker) {
            state.busy = false;
        }
        self.schedule_worker_poll(worker, self.now_ms);
    }
}
