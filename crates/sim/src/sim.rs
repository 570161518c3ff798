//! The simulator: a virtual clock in milliseconds, a queue of happenings ordered by
//! (time, sequence), and the state of every queue, poller and invocation. Sans-IO: it reads no
//! clock and no entropy; the caller advances time (`advance_to`, `step`, `run_slice`), feeds
//! inputs (`send`), and receives trace records through a [`TraceSink`]. `Clone` is a snapshot.
//!
//! Per-service behaviour lives in `eventbridge.rs`, `sns.rs`, `queues.rs` and `lambda.rs`,
//! each an `impl Simulator` block over the state defined here.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use eventyard_template::{Send, Template};

use crate::ledger::{Ledger, Place, Token};
use crate::payload::Notification;
use crate::report::Counters;
use crate::rng::Rng;
use crate::sqs::{Dedup, MessageState, QueueState};
use crate::trace::{TraceAction, TraceRecord, TraceSink};
use crate::workers::{WorkerBatch, WorkerState};
use crate::world::{SimError, World};

/// Latencies between services. Not AWS figures (AWS publishes none): small fixed delays so
/// that hops are visible when the page animates them.
pub const EVENTBRIDGE_TO_TARGET_MS: u64 = 20;
pub const SNS_TO_SUBSCRIBER_MS: u64 = 10;

/// The clock never goes past 2^53 ms (about 285,000 years): far beyond any run, and it keeps
/// every `now + delay` sum far from overflow. Scheduling beyond it is ignored.
pub const HORIZON_MS: u64 = 1 << 53;

/// Standard-queue delivery quirks (from `Metadata: Eventyard: StandardQueues:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Standard queues: share of receives that also leave a duplicate behind (at-least-once).
    pub duplicate_percent: u64,
    /// Standard queues: receive from the first few visible messages in seeded random order.
    pub reorder: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Delivery {
    pub token: Token,
    pub rule: usize,
    pub target: usize,
    pub input: Arc<str>,
    pub event: Arc<Value>,
    pub attempt: u64,
    pub first_ms: u64,
    pub event_id: Arc<str>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SnsDelivery {
    pub token: Token,
    pub subscription: usize,
    pub notification: Arc<Notification>,
    pub deduplication_id: Option<Arc<str>>,
    pub retries: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AsyncRun {
    pub token: Token,
    pub function: usize,
    /// The Lambda event as delivered.
    pub event: Arc<Value>,
    /// `event`'s compact JSON text when the sender had it already (an EventBridge matched
    /// event): the trace copies it, and the size check and a dead-letter body read it,
    /// instead of serialising the event again.
    pub event_text: Option<Arc<str>>,
    /// What the declared behaviour looks at (the event, or the SNS message parsed).
    pub item: Arc<Value>,
    pub retries: u64,
    /// When Lambda first accepted the event (for `MaximumEventAgeInSeconds`).
    pub accepted_ms: u64,
    pub request_id: Arc<str>,
    pub parent_id: Option<Arc<str>>,
    /// Decided when the run starts.
    pub failure: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Happening {
    Scripted {
        index: usize,
        occurrence: u64,
    },
    External {
        send: Box<Send>,
    },
    Schedule {
        rule: usize,
    },
    Replay {
        archive: usize,
        event: Arc<Value>,
        name: Arc<str>,
        /// `FilterArns` as rule indexes; `None` replays to every rule of the bus.
        rules: Option<Arc<[usize]>>,
    },
    TargetDelivery(Box<Delivery>),
    SnsDelivery(Box<SnsDelivery>),
    /// End of a delay (receipt `None`) or of a visibility timeout.
    QueueTimer {
        queue: usize,
        key: u64,
        receipt: Option<u64>,
    },
    Sweep {
        queue: usize,
    },
    Poll {
        mapping: usize,
    },
    InvocationEnd {
        invocation: u64,
    },
    AsyncStart(Box<AsyncRun>),
    AsyncEnd(Box<AsyncRun>),
    /// A worker's ReceiveMessage call, or the end of its long poll's wait.
    WorkerPoll {
        worker: usize,
        generation: u64,
    },
    WorkerDone(Box<WorkerBatch>),
}

impl Happening {
    fn token(&self) -> Option<Token> {
        match self {
            Happening::TargetDelivery(d) => Some(d.token),
            Happening::SnsDelivery(d) => Some(d.token),
            Happening::AsyncStart(r) | Happening::AsyncEnd(r) => Some(r.token),
            Happening::Replay { .. } => None,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MappingState {
    /// The earliest poll already scheduled, if any (a later one may also be pending: harmless).
    pub poll_at: Option<u64>,
    pub batches_in_flight: u64,
    /// How many batches may be in flight now (scales up while messages remain).
    pub concurrency: u64,
    /// When the concurrency last grew.
    pub scaled_at_ms: u64,
    /// When the mapping's pollers found the queue empty with no batch in flight: from then on
    /// each idle poller's 20-second long poll ends empty (counted lazily, see
    /// `Simulator::idle_empty_receives`).
    pub idle_since_ms: Option<u64>,
    /// When the current batching window opened.
    pub window_opened_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InvocationRecord {
    pub key: u64,
    pub receipt: u64,
    pub message_id: Arc<str>,
    pub item: Arc<Value>,
    /// FIFO MessageGroupId.
    pub group: Option<Arc<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invocation {
    pub mapping: usize,
    pub request_id: Arc<str>,
    pub records: Vec<InvocationRecord>,
    /// The whole batch fails for this reason (down, timeout, declared percentage).
    pub failure: Option<String>,
}

/// A payload for a trace record.
pub(crate) fn shared(payload: Value) -> Option<Arc<Value>> {
    Some(Arc::new(payload))
}

/// The end of the declared outage window `now` falls in, if any (windows are [from, until)).
pub(crate) fn down_until(windows: &[(u64, u64)], now: u64) -> Option<u64> {
    windows
        .iter()
        .find(|(from, until)| (*from..*until).contains(&now))
        .map(|(_, until)| *until)
}

/// The pattern machine's reusable matching state and the rules' remembered reasons. Not part
/// of the simulation: a clone starts empty.
#[derive(Debug, Default)]
pub(crate) struct Scratch(
    pub eventyard_pattern::machine::MatchScratch,
    pub crate::reasons::ReasonCache,
);

impl Clone for Scratch {
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

#[derive(Debug, Clone)]
pub struct Simulator {
    pub(crate) scratch: Scratch,
    pub(crate) world: Arc<World>,
    pub(crate) now_ms: u64,
    seq: u64,
    happenings: BTreeMap<(u64, u64), Happening>,
    pub(crate) ledger: Ledger,
    pub(crate) queues: Vec<QueueState>,
    pub(crate) mappings: Vec<MappingState>,
    pub(crate) invocations: BTreeMap<u64, Invocation>,
    pub(crate) next_invocation: u64,
    pub(crate) next_receipt: u64,
    pub(crate) topic_dedup: Vec<Dedup>,
    pub(crate) topic_sequence: Vec<u64>,
    pub(crate) archives: Vec<Vec<(u64, Arc<Value>)>>,
    /// Per subscription: the latest inbox deliveries (see `sns::INBOX_KEEP`).
    pub(crate) inboxes: Vec<std::collections::VecDeque<(u64, Value)>>,
    pub(crate) rng_ids: Rng,
    pub(crate) rng_pick: Rng,
    pub(crate) rng_fail: Rng,
    pub(crate) rng_jitter: Rng,
    pub(crate) rng_sqs: Rng,
    pub(crate) workers: Vec<WorkerState>,
    pub(crate) counters: BTreeMap<Arc<str>, Counters>,
    pub(crate) options: Options,
}

/// A saved moment of a run, for rewind.
#[derive(Debug, Clone)]
pub struct Snapshot(Simulator);

impl Simulator {
    /// Build a simulator for a loaded template, seeded from the template (or `seed`).
    pub fn new(template: &Template, seed: Option<u64>) -> Result<Simulator, Vec<SimError>> {
        let world = World::compile(template)?;
        let seed = seed.unwrap_or(template.playground.seed);
        let options = Options {
            duplicate_percent: template.playground.duplicate_percent,
            reorder: template.playground.reorder,
        };
        let mut sim = Simulator {
            scratch: Scratch::default(),
            queues: vec![QueueState::default(); template.queues.len()],
            mappings: template
                .event_source_mappings
                .iter()
                .map(|m| MappingState {
                    concurrency: crate::lambda::initial_concurrency(m.maximum_concurrency),
                    // Pollers start long-polling when the mapping is created.
                    idle_since_ms: m.enabled.then_some(0),
                    ..MappingState::default()
                })
                .collect(),
            topic_dedup: vec![Dedup::default(); template.topics.len()],
            topic_sequence: vec![0; template.topics.len()],
            archives: vec![Vec::new(); template.archives.len()],
            inboxes: vec![std::collections::VecDeque::new(); template.subscriptions.len()],
            world: Arc::new(world),
            now_ms: 0,
            seq: 0,
            happenings: BTreeMap::new(),
            ledger: Ledger::default(),
            invocations: BTreeMap::new(),
            next_invocation: 0,
            next_receipt: 0,
            rng_ids: Rng::split(seed, "ids"),
            rng_pick: Rng::split(seed, "generators"),
            rng_fail: Rng::split(seed, "failures"),
            rng_jitter: Rng::split(seed, "jitter"),
            rng_sqs: Rng::split(seed, "sqs"),
            workers: vec![WorkerState::default(); template.playground.workers.len()],
            counters: BTreeMap::new(),
            options,
        };
        for worker in 0..template.playground.workers.len() {
            sim.schedule_worker_poll(worker, 0);
        }
        for (index, scripted) in template.playground.scripted.iter().enumerate() {
            if scripted.count > 0 {
                sim.schedule(
                    scripted.at_ms,
                    Happening::Scripted {
                        index,
                        occurrence: 0,
                    },
                );
            }
        }
        let start = template.playground.start_time_ms;
        let rules: Vec<(usize, Option<u64>)> = sim
            .world
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let first = match (&r.cron, r.rate_ms) {
                    _ if !r.enabled => None,
                    (Some(cron), _) => cron.next_after(start).map(|t| t - start),
                    (None, Some(rate)) => Some(rate),
                    _ => None,
                };
                (i, first)
            })
            .collect();
        for (rule, first) in rules {
            if let Some(at) = first {
                sim.schedule(at, Happening::Schedule { rule });
            }
        }
        Ok(sim)
    }

    pub fn template(&self) -> &Template {
        &self.world.template
    }

    /// Virtual ms since the run started.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// When the next happening is due, if any.
    pub fn next_happening_ms(&self) -> Option<u64> {
        self.happenings.keys().next().map(|(t, _)| *t)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.clone())
    }

    pub fn restore(&mut self, snapshot: Snapshot) {
        *self = snapshot.0;
    }

    pub(crate) fn schedule(&mut self, at_ms: u64, happening: Happening) -> (u64, u64) {
        let key = (at_ms.max(self.now_ms), self.seq);
        self.seq += 1;
        // Only timers and recurring sends can be that far; messages in flight never are.
        if key.0 <= HORIZON_MS || happening.token().is_some() {
            self.happenings.insert(key, happening);
        }
        key
    }

    /// Asynchronous Lambda runs of one function that have started and not ended.
    pub(crate) fn async_runs_of(&self, function: usize) -> u64 {
        self.happenings
            .values()
            .filter(|happening| matches!(happening, Happening::AsyncEnd(run) if run.function == function))
            .count() as u64
    }

    pub(crate) fn unschedule(&mut self, key: (u64, u64)) {
        self.happenings.remove(&key);
    }

    /// Send something now (the page's "send" button, the CLI's `--send`).
    pub fn send(&mut self, send: Send) {
        self.schedule(
            self.now_ms,
            Happening::External {
                send: Box::new(send),
            },
        );
    }

    /// Send something at a later virtual time.
    pub fn send_at(&mut self, at_ms: u64, send: Send) {
        self.schedule(
            at_ms,
            Happening::External {
                send: Box::new(send),
            },
        );
    }

    /// Handle the next happening. Returns its time, or `None` when nothing is pending.
    pub fn step(&mut self, sink: &mut dyn TraceSink) -> Option<u64> {
        let ((at, _), happening) = self.happenings.pop_first()?;
        self.now_ms = self.now_ms.max(at);
        self.handle(happening, sink);
        Some(at)
    }

    /// Handle everything due up to and including `until_ms`, then set the clock there.
    pub fn advance_to(&mut self, until_ms: u64, sink: &mut dyn TraceSink) {
        let until_ms = until_ms.min(HORIZON_MS);
        while self.next_happening_ms().is_some_and(|t| t <= until_ms) {
            self.step(sink);
        }
        self.now_ms = self.now_ms.max(until_ms);
    }

    /// Like `advance_to`, but stop after `max_steps` happenings so a frame stays short.
    /// Returns true when `until_ms` was reached.
    pub fn run_slice(&mut self, until_ms: u64, max_steps: usize, sink: &mut dyn TraceSink) -> bool {
        let until_ms = until_ms.min(HORIZON_MS);
        for _ in 0..max_steps {
            if self.next_happening_ms().is_none_or(|t| t > until_ms) {
                self.now_ms = self.now_ms.max(until_ms);
                return true;
            }
            self.step(sink);
        }
        if self.next_happening_ms().is_some_and(|t| t <= until_ms) {
            false
        } else {
            self.now_ms = self.now_ms.max(until_ms);
            true
        }
    }

    fn handle(&mut self, happening: Happening, sink: &mut dyn TraceSink) {
        match happening {
            Happening::Scripted { index, occurrence } => self.scripted(index, occurrence, sink),
            Happening::External { send } => self.perform_send(&send, None, sink),
            Happening::Schedule { rule } => self.scheduled_rule(rule, sink),
            Happening::Replay {
                archive,
                event,
                name,
                rules,
            } => self.replay_event(archive, event, &name, rules.as_deref(), sink),
            Happening::TargetDelivery(delivery) => self.deliver_to_target(*delivery, sink),
            Happening::SnsDelivery(delivery) => self.deliver_to_subscription(*delivery, sink),
            Happening::QueueTimer {
                queue,
                key,
                receipt,
            } => self.queue_timer(queue, key, receipt, sink),
            Happening::Sweep { queue } => self.sweep(queue, sink),
            Happening::Poll { mapping } => self.poll(mapping, sink),
            Happening::InvocationEnd { invocation } => self.end_invocation(invocation, sink),
            Happening::AsyncStart(run) => self.start_async(*run, sink),
            Happening::AsyncEnd(run) => self.end_async(*run, sink),
            Happening::WorkerPoll { worker, generation } => {
                self.worker_poll(worker, generation, sink)
            }
            Happening::WorkerDone(batch) => self.worker_done(*batch, sink),
        }
    }

    fn scripted(&mut self, index: usize, occurrence: u64, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let Some(scripted) = world.template.playground.scripted.get(index) else {
            return;
        };
        self.perform_send(&scripted.send, None, sink);
        if let Some(every) = scripted.every_ms {
            if occurrence + 1 < scripted.count {
                let at = scripted
                    .at_ms
                    .saturating_add(every.saturating_mul(occurrence + 1));
                self.schedule(
                    at,
                    Happening::Scripted {
                        index,
                        occurrence: occurrence + 1,
                    },
                );
            }
        }
    }

    pub(crate) fn count_empty_receives(&mut self, resource: &Arc<str>, n: u64) {
        self.counters
            .entry(resource.clone())
            .or_default()
            .empty_receives += n;
    }

    /// Emit one trace record and count it. `payload` is only called when the sink wants it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn emit(
        &mut self,
        sink: &mut dyn TraceSink,
        resource: &Arc<str>,
        action: TraceAction,
        message_id: &Arc<str>,
        parent_id: Option<&Arc<str>>,
        payload: impl FnOnce() -> Option<Arc<Value>>,
        reason: impl FnOnce() -> String,
    ) {
        let payload = if sink.wants_payloads() {
            payload()
        } else {
            None
        };
        let record = self.counted_record(
            sink, resource, action, message_id, parent_id, payload, reason,
        );
        sink.record(record);
    }

    /// Counts `action` on `resource` and builds its record; the reason is formatted only
    /// when the sink wants reasons.
    #[allow(clippy::too_many_arguments)]
    fn counted_record(
        &mut self,
        sink: &dyn TraceSink,
        resource: &Arc<str>,
        action: TraceAction,
        message_id: &Arc<str>,
        parent_id: Option<&Arc<str>>,
        payload: Option<Arc<Value>>,
        reason: impl FnOnce() -> String,
    ) -> TraceRecord {
        self.counters
            .entry(resource.clone())
            .or_default()
            .count(action);
        let reason = if sink.wants_reasons() {
            reason()
        } else {
            String::new()
        };
        TraceRecord {
            time_ms: self.now_ms,
            resource: resource.clone(),
            action,
            message_id: message_id.clone(),
            parent_id: parent_id.cloned(),
            payload,
            reason,
        }
    }

    /// [`Simulator::emit`] for a record whose payload is `payload`, whose compact JSON text
    /// `payload_text` the caller has already written: a sink that writes JSON copies it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn emit_with_text(
        &mut self,
        sink: &mut dyn TraceSink,
        resource: &Arc<str>,
        action: TraceAction,
        message_id: &Arc<str>,
        parent_id: Option<&Arc<str>>,
        payload: &Arc<Value>,
        payload_text: &str,
        reason: impl FnOnce() -> String,
    ) {
        let wants_payload = sink.wants_payloads();
        let record = self.counted_record(
            sink,
            resource,
            action,
            message_id,
            parent_id,
            wants_payload.then(|| payload.clone()),
            reason,
        );
        if wants_payload {
            sink.record_with_payload_text(record, payload_text);
        } else {
            sink.record(record);
        }
    }

    pub(crate) fn uuid(&mut self) -> Arc<str> {
        Arc::from(self.rng_ids.uuid_text().as_str())
    }

    /// ISO time of the current virtual moment.
    pub(crate) fn iso_now(&self) -> String {
        eventyard_template::time::format_iso_s(
            self.world.template.playground.start_time_ms + self.now_ms,
        )
    }

    pub(crate) fn iso_now_ms(&self) -> String {
        eventyard_template::time::format_iso_ms(
            self.world.template.playground.start_time_ms + self.now_ms,
        )
    }

    /// Conservation: every message the run created is in exactly one place, and the ledger
    /// agrees with the queues and the pending happenings.
    pub fn check_conservation(&self) -> Result<(), String> {
        if self.ledger.broken != 0 {
            return Err(format!(
                "{} moves of messages that were not live",
                self.ledger.broken
            ));
        }
        let finals: u64 = self.ledger.finals().iter().sum();
        if self.ledger.created() != self.ledger.live_count() as u64 + finals {
            return Err(format!(
                "created {} != live {} + finished {finals}",
                self.ledger.created(),
                self.ledger.live_count()
            ));
        }
        let mut seen: BTreeMap<Token, Place> = BTreeMap::new();
        let mut claim = |token: Token, place: Place| -> Result<(), String> {
            if seen.insert(token, place).is_some() {
                return Err(format!("message {token} is in two places"));
            }
            Ok(())
        };
        for (index, queue) in self.queues.iter().enumerate() {
            let is_dlq = self.world.queue_is_dlq.get(index).copied().unwrap_or(false);
            for message in queue.messages.values() {
                let place = match message.state {
                    MessageState::InFlight { .. } => Place::InFlight,
                    _ if is_dlq => Place::InDlq(index),
                    _ => Place::InQueue(index),
                };
                claim(message.token, place)?;
            }
        }
        for happening in self.happenings.values() {
            if let Some(token) = happening.token() {
                claim(token, Place::InFlight)?;
            }
        }
        let live: BTreeMap<Token, Place> = self.ledger.live().collect();
        if live != seen {
            let missing: Vec<_> = live
                .iter()
                .filter(|(t, p)| seen.get(t) != Some(p))
                .take(5)
                .collect();
            let extra: Vec<_> = seen
                .iter()
                .filter(|(t, p)| live.get(t) != Some(p))
                .take(5)
                .collect();
            return Err(format!(
                "ledger and state disagree: ledger-only {missing:?}, state-only {extra:?}"
            ));
        }
        Ok(())
    }

    /// Where messages ended up: (consumed, filtered, expired, dropped) and how many are live.
    pub fn outcome_counts(&self) -> ([u64; 4], usize) {
        (self.ledger.finals(), self.ledger.live_count())
    }

    pub(crate) fn queue_place(&self, queue: usize) -> Place {
        if self.world.queue_is_dlq.get(queue).copied().unwrap_or(false) {
            Place::InDlq(queue)
        } else {
            Place::InQueue(queue)
        }
    }
}
