//! A live run of the playground: the simulator on a virtual clock that plays, steps and rewinds.
//!
//! The invariant the page promises: the state shown at virtual time t is always the same state,
//! however the person got there. Three rules keep it:
//! - the clock only ever rests on a whole millisecond: every happening due at or before the
//!   time shown has been handled (a slice that stops mid-millisecond finishes that millisecond);
//! - rewinding restores the latest checkpoint at or before t and replays forward to t, and the
//!   simulator is deterministic (seeded, virtual clock), so the replay is the first run again;
//! - what the person sends by hand is part of the document (a time and a message), scheduled
//!   when the session is built, so a replay includes it at the same place in the order.
//!
//! The session never reads the wall clock: the page's driver (`services/frames.rs`) says how far
//! to go and how many happenings a frame may handle, so no frame blocks the page.

use std::collections::HashMap;
use std::sync::Arc;

use eventyard_sim::{
    Counters, Fnv1a64, HeldMessage, JsonLinesSink, QueueMetrics, Simulator, Snapshot, TraceRecord,
    TraceSink, HORIZON_MS,
};
use eventyard_template::Template;

use crate::state::layout::{layout, Layout};
use crate::state::sends::HandSend;
use crate::state::topology::{
    is_dead_letter_target, send_target, topology, Node, Topology, BY_HAND, SCRIPTED,
};

/// The most trace records a session keeps; past it the run stops and says why (a rule that
/// feeds its own bus, or a send every millisecond, would otherwise grow without end).
pub const MAX_RECORDS: usize = 300_000;
/// Virtual time between checkpoints at first; doubled whenever there are too many.
const CHECKPOINT_MS: u64 = 5_000;
const MAX_CHECKPOINTS: usize = 256;
/// Virtual time between chart samples at first; doubled whenever there are too many.
const SAMPLE_MS: u64 = 1_000;
const MAX_SAMPLES: usize = 1_200;

/// One moment of the charts: every queue's gauges and every function's running invocations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub time_ms: u64,
    /// In template order of queues.
    pub queues: Vec<QueueMetrics>,
    /// In template order of functions.
    pub functions: Vec<u64>,
}

/// How far a call to [`Session::advance`] got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The clock is at the target.
    Reached,
    /// The step budget ran out first; the clock rests on a whole millisecond before the target.
    Partial,
    /// The run stopped for good (see [`Session::halted`]).
    Halted,
}

/// A record kept for the page, with the edge of the diagram it travelled, if any.
#[derive(Clone, Debug)]
pub struct Step {
    pub record: TraceRecord,
    /// Index into the topology's edges.
    pub edge: Option<usize>,
}

pub struct Session {
    template: Template,
    sim: Simulator,
    checkpoints: Vec<(u64, Snapshot)>,
    checkpoint_every: u64,
    next_checkpoint: u64,
    samples: Vec<Sample>,
    sample_every: u64,
    next_sample: u64,
    /// Every record up to the frontier, in order.
    steps: Vec<Step>,
    /// The latest time the run has reached, `None` before it handled time zero. The clock rests
    /// on whole milliseconds, so every record up to the frontier is kept and a replay below it
    /// adds nothing.
    frontier: Option<u64>,
    digest: JsonLinesSink<Fnv1a64>,
    halted: Option<String>,
    /// [`MAX_RECORDS`], lower in tests.
    record_limit: usize,
    pub topology: Topology,
    pub layout: Layout,
    edge_index: HashMap<(usize, usize), usize>,
    node_index: HashMap<String, usize>,
    /// The resource each message was last seen at, to find the edge of its next hop.
    last_seen: HashMap<Arc<str>, usize>,
    hand_times: Vec<u64>,
    /// Times of the scripted sends (the timeline's marks), up to a bound.
    pub scripted_marks: Vec<u64>,
    /// When the last scripted send happens (every send has a count, so the script always
    /// ends); 0 when there is none.
    pub script_end_ms: u64,
}

impl Session {
    /// A session at time zero. `hand_sends` are what the person sent from the page.
    pub fn new(
        template: Template,
        seed: Option<u64>,
        hand_sends: &[HandSend],
    ) -> Result<Session, Vec<String>> {
        let mut sim = Simulator::new(&template, seed)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        let mut hand_targets = Vec::new();
        let mut hand_times = Vec::new();
        let mut problems = Vec::new();
        for hand in hand_sends {
            match hand.to_send(&template) {
                Ok(send) => {
                    if let Some(target) = send_target(&send) {
                        hand_targets.push(target.to_string());
                    }
                    hand_times.push(hand.at_ms);
                    sim.send_at(hand.at_ms, send);
                }
                Err(problem) => problems.push(problem),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let topology = topology(&template, &hand_targets);
        let pairs: Vec<(usize, usize)> = topology.edges.iter().map(|e| (e.from, e.to)).collect();
        let layout = layout(topology.nodes.len(), &pairs);
        let edge_index = pairs
            .iter()
            .enumerate()
            .map(|(i, pair)| (*pair, i))
            .collect();
        let node_index = topology
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| (node.id.clone(), i))
            .collect();
        let (scripted_marks, script_end_ms) = scripted_times(&template);
        let start = sim.snapshot();
        let mut session = Session {
            template,
            sim,
            checkpoints: vec![(0, start)],
            checkpoint_every: CHECKPOINT_MS,
            next_checkpoint: CHECKPOINT_MS,
            samples: Vec::new(),
            sample_every: SAMPLE_MS,
            next_sample: SAMPLE_MS,
            steps: Vec::new(),
            frontier: None,
            digest: JsonLinesSink::new(Fnv1a64::default()),
            halted: None,
            record_limit: MAX_RECORDS,
            topology,
            layout,
            edge_index,
            node_index,
            last_seen: HashMap::new(),
            hand_times,
            scripted_marks,
            script_end_ms,
        };
        // Time zero itself: what is due at 0 ms is part of the state at 0 ms.
        session.advance(0, usize::MAX);
        session.take_sample();
        Ok(session)
    }

    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The virtual time shown: every happening due at or before it has been handled.
    pub fn now_ms(&self) -> u64 {
        self.sim.now_ms()
    }

    /// The latest time the run has reached (the scrubber's extent).
    pub fn frontier_ms(&self) -> u64 {
        self.frontier.unwrap_or(0)
    }

    /// When something next happens, if anything is pending.
    pub fn next_happening_ms(&self) -> Option<u64> {
        self.sim.next_happening_ms()
    }

    pub fn halted(&self) -> Option<&str> {
        self.halted.as_deref()
    }

    /// Records up to the frontier (the page shows those at or before [`Session::now_ms`]).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The records at or before the time shown.
    pub fn steps_now(&self) -> &[Step] {
        let now = self.now_ms();
        let end = self
            .steps
            .partition_point(|step| step.record.time_ms <= now);
        &self.steps[..end]
    }

    /// The fingerprint of the trace up to the frontier: the same digest `eventyard run --trace`
    /// gives a run of that length.
    pub fn fingerprint(&self) -> String {
        format!("{:016x}", self.digest.writer.0)
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn counters(&self, logical_id: &str) -> Counters {
        self.sim.counters(logical_id)
    }

    pub fn queue_metrics(&self, logical_id: &str) -> Option<QueueMetrics> {
        self.sim.queue_metrics(logical_id)
    }

    pub fn queue_messages(&self, logical_id: &str) -> Vec<HeldMessage> {
        self.sim.queue_messages(logical_id)
    }

    pub fn concurrent_invocations(&self, logical_id: &str) -> u64 {
        self.sim.concurrent_invocations(logical_id)
    }

    /// The simulator at the time shown (inboxes, reports).
    pub fn simulator(&self) -> &Simulator {
        &self.sim
    }

    /// Moves the clock to `target_ms`, handling at most about `max_steps` happenings. Going back
    /// restores the latest checkpoint at or before the target first.
    pub fn advance(&mut self, target_ms: u64, max_steps: usize) -> Progress {
        if self.halted.is_some() {
            return Progress::Halted;
        }
        if target_ms < self.sim.now_ms() {
            self.rewind(target_ms);
        }
        let target_ms = target_ms.min(HORIZON_MS);
        let mut budget = max_steps;
        loop {
            let segment_end = target_ms.min(self.next_boundary());
            let mut sink = FrontierSink {
                kept_below_ms: self.frontier.map_or(0, |frontier| frontier + 1),
                taken: Vec::new(),
                handled: 0,
            };
            let reached = self.sim.run_slice(segment_end, budget.max(1), &mut sink);
            if !reached {
                // Rest on a whole millisecond: finish what is due at the time reached.
                let now = self.sim.now_ms();
                self.sim.advance_to(now, &mut sink);
            }
            budget = budget.saturating_sub(sink.handled.max(1));
            self.keep(sink.taken);
            self.frontier = Some(self.frontier_ms().max(self.sim.now_ms()));
            self.on_boundaries();
            if self.steps.len() > self.record_limit {
                self.halted = Some(format!(
                    "The run stopped at {}: it made more than {} steps, the most this \
                     page keeps. A rule whose target is its own bus, or a send every millisecond, \
                     grows without end; change the template to go on.",
                    crate::state::playground::clock(self.sim.now_ms()),
                    self.record_limit
                ));
                return Progress::Halted;
            }
            if !reached {
                return Progress::Partial;
            }
            if self.sim.now_ms() >= target_ms {
                return Progress::Reached;
            }
            if budget == 0 {
                return Progress::Partial;
            }
        }
    }

    /// Keeps at most `limit` records (tests use a small one).
    pub fn with_record_limit(mut self, limit: usize) -> Session {
        self.record_limit = limit;
        self
    }

    /// Advances to the next time something happens (all of what happens then).
    pub fn step(&mut self) -> Progress {
        match self.sim.next_happening_ms() {
            Some(next) => self.advance(next, usize::MAX),
            None => Progress::Reached,
        }
    }

    fn rewind(&mut self, target_ms: u64) {
        let index = self
            .checkpoints
            .partition_point(|(time, _)| *time <= target_ms)
            .saturating_sub(1);
        if let Some((_, snapshot)) = self.checkpoints.get(index) {
            self.sim.restore(snapshot.clone());
        }
    }

    fn next_boundary(&self) -> u64 {
        let mut next = u64::MAX;
        if self.next_sample > self.sim.now_ms() {
            next = next.min(self.next_sample);
        }
        if self.next_checkpoint > self.sim.now_ms() {
            next = next.min(self.next_checkpoint);
        }
        next
    }

    /// Samples and checkpoints, taken only when the frontier reaches their time (a replay
    /// below the frontier passes the same boundaries and must not take them twice).
    fn on_boundaries(&mut self) {
        let now = self.sim.now_ms();
        if Some(now) != self.frontier {
            return;
        }
        if now == self.next_sample {
            self.take_sample();
            self.next_sample += self.sample_every;
            if self.samples.len() > MAX_SAMPLES {
                let kept: Vec<Sample> = self.samples.iter().step_by(2).cloned().collect();
                self.samples = kept;
                self.sample_every *= 2;
                self.next_sample = now - now % self.sample_every + self.sample_every;
            }
        }
        if now == self.next_checkpoint {
            self.checkpoints.push((now, self.sim.snapshot()));
            self.next_checkpoint += self.checkpoint_every;
            if self.checkpoints.len() > MAX_CHECKPOINTS {
                let kept: Vec<(u64, Snapshot)> =
                    self.checkpoints.iter().step_by(2).cloned().collect();
                self.checkpoints = kept;
                self.checkpoint_every *= 2;
                self.next_checkpoint = now - now % self.checkpoint_every + self.checkpoint_every;
            }
        }
    }

    fn take_sample(&mut self) {
        let sample = Sample {
            time_ms: self.sim.now_ms(),
            queues: self
                .template
                .queues
                .iter()
                .map(|q| {
                    self.sim
                        .queue_metrics(&q.origin.logical_id)
                        .unwrap_or_default()
                })
                .collect(),
            functions: self
                .template
                .functions
                .iter()
                .map(|f| self.sim.concurrent_invocations(&f.origin.logical_id))
                .collect(),
        };
        if self
            .samples
            .last()
            .is_some_and(|last| last.time_ms == sample.time_ms)
        {
            self.samples.pop();
        }
        self.samples.push(sample);
    }

    fn keep(&mut self, records: Vec<TraceRecord>) {
        for record in records {
            self.digest.record(record.clone());
            let edge = self.edge_of(&record);
            self.steps.push(Step { record, edge });
        }
    }

    /// The edge a record's message travelled to reach its resource: from where the message was
    /// last seen, else from where its parent was, else from the producer that sent it.
    fn edge_of(&mut self, record: &TraceRecord) -> Option<usize> {
        let to = *self.node_index.get(&*record.resource)?;
        let from = self
            .last_seen
            .get(&record.message_id)
            .or_else(|| {
                record
                    .parent_id
                    .as_ref()
                    .and_then(|p| self.last_seen.get(p))
            })
            .copied()
            .or_else(|| {
                let producer = if self.hand_times.contains(&record.time_ms) {
                    BY_HAND
                } else {
                    SCRIPTED
                };
                self.node_index.get(producer).copied()
            });
        self.last_seen.insert(record.message_id.clone(), to);
        let from = from.filter(|from| *from != to)?;
        self.edge_index.get(&(from, to)).copied()
    }

    /// The node's index in the topology, by logical id.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.node_index.get(id).copied()
    }

    /// The topology's node of a resource, by logical id.
    pub fn resource(&self, id: &str) -> Option<&Node> {
        self.topology.nodes.get(self.node(id)?)
    }

    /// Whether a node is a queue that serves as a dead-letter queue (another queue's
    /// `RedrivePolicy` names it), read from the template, not from the node's display note.
    pub fn is_dead_letter_queue(&self, id: &str) -> bool {
        self.template
            .queues
            .iter()
            .find(|queue| queue.origin.logical_id == id)
            .is_some_and(|queue| is_dead_letter_target(&self.template, queue))
    }
}

/// Takes the records past the session's frontier; counts every happening's records so the step
/// budget holds.
struct FrontierSink {
    kept_below_ms: u64,
    taken: Vec<TraceRecord>,
    handled: usize,
}

impl TraceSink for FrontierSink {
    fn record(&mut self, record: TraceRecord) {
        self.handled += 1;
        if record.time_ms >= self.kept_below_ms {
            self.taken.push(record);
        }
    }
}

/// The scripted sends' times for the timeline (at most a few hundred marks) and when the last
/// one happens.
fn scripted_times(template: &Template) -> (Vec<u64>, u64) {
    const MARKS: usize = 400;
    let mut marks = Vec::new();
    let mut end = 0u64;
    for scripted in &template.playground.scripted {
        if scripted.count == 0 {
            continue;
        }
        let every = scripted.every_ms.unwrap_or(0);
        let last = scripted
            .at_ms
            .saturating_add(every.saturating_mul(scripted.count.saturating_sub(1)));
        end = end.max(last);
        let shown = scripted.count.min(MARKS as u64);
        for occurrence in 0..shown {
            if marks.len() >= MARKS {
                break;
            }
            marks.push(
                scripted
                    .at_ms
                    .saturating_add(every.saturating_mul(occurrence)),
            );
        }
    }
    marks.sort_unstable();
    (marks, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;

    fn session(id: &str) -> Session {
        let preset = PRESETS.iter().find(|p| p.id == id).unwrap();
        let template = eventyard_template::load(preset.template).unwrap();
        Session::new(template, None, &[]).unwrap()
    }

    fn figures(session: &Session) -> Vec<(String, Counters, Option<QueueMetrics>)> {
        session
            .topology
            .nodes
            .iter()
            .map(|n| {
                (
                    n.id.clone(),
                    session.counters(&n.id),
                    session.queue_metrics(&n.id),
                )
            })
            .collect()
    }

    #[test]
    fn seeking_back_shows_exactly_the_state_first_seen_there() {
        for preset in PRESETS {
            let mut live = session(preset.id);
            let mut seen = Vec::new();
            // Small budgets, so slices end mid-run as they do in the browser.
            for target in (0..=120_000).step_by(7_919) {
                while live.advance(target, 37) == Progress::Partial {}
                seen.push((target, figures(&live), live.steps_now().len()));
            }
            for (target, expected, count) in seen.iter().rev() {
                assert_eq!(live.advance(*target, usize::MAX), Progress::Reached);
                assert_eq!(live.now_ms(), *target);
                assert_eq!(&figures(&live), expected, "{} at {target}", preset.id);
                assert_eq!(live.steps_now().len(), *count, "{} at {target}", preset.id);
            }
        }
    }

    #[test]
    fn the_fingerprint_equals_a_whole_run_of_the_same_length() {
        let preset = PRESETS.iter().find(|p| p.id == "dlq-redrive").unwrap();
        let template = eventyard_template::load(preset.template).unwrap();
        let mut whole = Simulator::new(&template, None).unwrap();
        let mut sink = JsonLinesSink::new(Fnv1a64::default());
        whole.advance_to(240_000, &mut sink);
        let mut live = session("dlq-redrive");
        // Play, go back, play past it again in pieces: records are kept once.
        while live.advance(100_000, 50) == Progress::Partial {}
        live.advance(20_000, usize::MAX);
        while live.advance(240_000, 50) == Progress::Partial {}
        assert_eq!(live.fingerprint(), format!("{:016x}", sink.writer.0));
    }

    #[test]
    fn step_goes_to_the_next_happening_and_rests_there() {
        let mut live = session("donut-shop");
        let next = live.next_happening_ms().unwrap();
        live.step();
        assert_eq!(live.now_ms(), next);
        assert!(live.steps_now().iter().all(|s| s.record.time_ms <= next));
    }

    #[test]
    fn hops_are_drawn_on_the_edges_they_travel() {
        let mut live = session("donut-shop");
        live.advance(10_000, usize::MAX);
        let rule = live.node("DonutRule").unwrap();
        let filtered: Vec<&Step> = live
            .steps()
            .iter()
            .filter(|s| {
                &*s.record.resource == "DonutRule"
                    && s.record.action == eventyard_sim::TraceAction::Filtered
            })
            .collect();
        assert!(!filtered.is_empty());
        for step in filtered {
            let edge = &live.topology.edges[step.edge.expect("a filtered event came over an edge")];
            assert_eq!(edge.to, rule);
        }
    }

    #[test]
    fn a_runaway_run_halts_with_a_reason() {
        let text = "Metadata:\n  Eventyard:\n    Events:\n      - At: 0s\n        Every: 1ms\n        Count: 100000000\n        SendMessage:\n          QueueUrl: !Ref Q\n          MessageBody: x\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let template = eventyard_template::load(text).unwrap();
        let mut live = Session::new(template, None, &[])
            .unwrap()
            .with_record_limit(20_000);
        let mut frames = 0;
        loop {
            frames += 1;
            match live.advance(u64::MAX / 4, 1_000) {
                Progress::Partial => continue,
                Progress::Halted => break,
                Progress::Reached => panic!("a flood cannot end"),
            }
        }
        assert!(frames > 10, "the work came in slices");
        assert!(live.halted().unwrap().contains("stopped"));
        assert_eq!(live.script_end_ms, 99_999_999);
    }
}
