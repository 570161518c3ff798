//! The playground's document (a template, a seed, how long to run) and a run of it through the
//! simulator, summarised for the page.

use eventyard_sim::{Fnv1a64, JsonLinesSink, ResourceReport, Simulator, TraceRecord, TraceSink};
use serde::{Deserialize, Serialize};

use crate::presets::{self, Preset};
use crate::state::inboxes::{inboxes, Inbox};

/// Everything a person set up in the playground; this is what is autosaved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaygroundDocument {
    pub template: String,
    /// `None`: the seed the template's `Metadata: Eventyard:` names.
    pub seed: Option<u64>,
    /// How long to run, in virtual milliseconds.
    pub until_ms: u64,
}

/// The run lengths people pick from; a run is always finite.
pub const RUN_LENGTHS_MS: [(u64, &str); 8] = [
    (60_000, "1 minute"),
    (2 * 60_000, "2 minutes"),
    (3 * 60_000, "3 minutes"),
    (4 * 60_000, "4 minutes"),
    (5 * 60_000, "5 minutes"),
    (10 * 60_000, "10 minutes"),
    (60 * 60_000, "1 hour"),
    (24 * 60 * 60_000, "1 day"),
];

/// A run's length when nothing suggests one.
const DEFAULT_RUN_MS: u64 = 10 * 60_000;
const LONGEST_RUN_MS: u64 = 24 * 60 * 60_000;

/// The run length a preset opens with: its suggested `until` when that is offered, otherwise the
/// nearest longer offered length (the longest when none is longer), so the whole lesson plays.
pub fn run_length_for(preset: &Preset) -> u64 {
    let Some(until_ms) = preset.until_ms() else {
        return DEFAULT_RUN_MS;
    };
    RUN_LENGTHS_MS
        .iter()
        .map(|(ms, _)| *ms)
        .find(|ms| *ms >= until_ms)
        .unwrap_or(LONGEST_RUN_MS)
}

/// The most trace records the page lists; the totals still count every record.
pub const TRACE_ROWS_MAX: usize = 2_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    LoadPreset(&'static str),
    EditTemplate(String),
    SetSeed(Option<u64>),
    SetUntil(u64),
}

impl Default for PlaygroundDocument {
    fn default() -> Self {
        let first = &presets::PRESETS[0];
        PlaygroundDocument {
            template: first.template.to_string(),
            seed: None,
            until_ms: run_length_for(first),
        }
    }
}

impl PlaygroundDocument {
    pub fn apply(mut self, action: Action) -> PlaygroundDocument {
        match action {
            Action::LoadPreset(id) => {
                if let Some(preset) = presets::find(id) {
                    self.template = preset.template.to_string();
                    self.seed = None;
                    self.until_ms = run_length_for(preset);
                }
            }
            Action::EditTemplate(text) => self.template = text,
            Action::SetSeed(seed) => self.seed = seed,
            Action::SetUntil(until_ms) => {
                if RUN_LENGTHS_MS.iter().any(|(ms, _)| *ms == until_ms) {
                    self.until_ms = until_ms;
                }
            }
        }
        self
    }
}

/// One row of the per-resource table, as the CLI prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRow {
    pub logical_id: String,
    pub kind: &'static str,
    pub received: u64,
    pub delivered: u64,
    pub filtered: u64,
    pub failed: u64,
    pub in_dlq: u64,
    /// Messages still in the queue; `None` for resources that are not queues.
    pub left: Option<u64>,
    /// ReceiveMessage calls that returned nothing (a queue's NumberOfEmptyReceives; a worker's
    /// own calls).
    pub empty_receives: u64,
}

/// The kind of a table row as people read it: AWS's type names as CloudFormation spells them,
/// and a worker, which is no AWS resource but a consumer of the template's own, said in words.
pub fn kind_label(kind: &'static str) -> &'static str {
    match kind {
        "Eventyard::Worker" => "Worker (polls a queue)",
        other => other,
    }
}

/// Whether the table shows the "Empty receives" column: only when a worker polls or some row
/// has counted one, because in runs without workers the column would be zeros only.
pub fn shows_empty_receives(rows: &[ResourceRow]) -> bool {
    rows.iter()
        .any(|row| row.kind == "Eventyard::Worker" || row.empty_receives > 0)
}

impl ResourceRow {
    fn from_report(report: &ResourceReport) -> ResourceRow {
        ResourceRow {
            logical_id: report.logical_id.clone(),
            kind: report.kind,
            received: report.received(),
            delivered: report.counters.delivered,
            filtered: report.counters.filtered,
            failed: report.counters.failed,
            in_dlq: report.in_dlq(),
            left: report.left_in_queue(),
            empty_receives: report.counters.empty_receives,
        }
    }
}

/// One step of one message, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceRow {
    pub time_ms: u64,
    pub resource: String,
    pub action: &'static str,
    pub message_id: String,
    /// The message this one came from, when it came from another.
    pub parent_id: Option<String>,
    pub reason: String,
    /// The payload in AWS's shape at this hop, pretty-printed, when there is one.
    pub payload: Option<String>,
}

/// What a run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// The template could not be loaded or simulated: every problem, each with its place.
    Invalid(Vec<String>),
    Ran {
        resources: Vec<ResourceRow>,
        trace: Vec<TraceRow>,
        /// Every record of the run, including those past [`TRACE_ROWS_MAX`].
        records_total: u64,
        /// The whole trace as JSON Lines, byte for byte what `eventyard run --trace` writes.
        trace_digest: String,
        /// The template's email, SMS and HTTP/S subscriptions in template order, with what
        /// reached them; empty when it has none.
        inboxes: Vec<Inbox>,
    },
}

/// Keeps the first rows for the page and digests every record, so memory stays bounded.
struct PageSink {
    rows: Vec<TraceRow>,
    total: u64,
    json_lines: JsonLinesSink<Fnv1a64>,
}

impl TraceSink for PageSink {
    fn record(&mut self, record: TraceRecord) {
        self.total += 1;
        if self.rows.len() < TRACE_ROWS_MAX {
            self.rows.push(TraceRow {
                time_ms: record.time_ms,
                resource: record.resource.to_string(),
                action: record.action.as_str(),
                message_id: record.message_id.to_string(),
                parent_id: record.parent_id.as_deref().map(str::to_string),
                reason: record.reason.clone(),
                payload: record
                    .payload
                    .as_deref()
                    .and_then(|payload| serde_json::to_string_pretty(payload).ok()),
            });
        }
        self.json_lines.record(record);
    }
}

/// Loads the template and runs it for `until_ms` of virtual time. Never panics on any text.
pub fn run(document: &PlaygroundDocument) -> RunOutcome {
    let template = match eventyard_template::load(&document.template) {
        Ok(template) => template,
        Err(errors) => {
            return RunOutcome::Invalid(errors.iter().map(ToString::to_string).collect())
        }
    };
    let mut simulator = match Simulator::new(&template, document.seed) {
        Ok(simulator) => simulator,
        Err(errors) => {
            return RunOutcome::Invalid(errors.iter().map(ToString::to_string).collect())
        }
    };
    let mut sink = PageSink {
        rows: Vec::new(),
        total: 0,
        json_lines: JsonLinesSink::new(Fnv1a64::default()),
    };
    simulator.advance_to(document.until_ms, &mut sink);
    let report = simulator.report();
    RunOutcome::Ran {
        resources: report.iter().map(ResourceRow::from_report).collect(),
        trace: sink.rows,
        records_total: sink.total,
        trace_digest: format!("{:016x}", sink.json_lines.writer.0),
        inboxes: inboxes(&template, &simulator, &report),
    }
}

/// `mm:ss.mmm` (or `h:mm:ss.mmm` past an hour) of virtual time.
pub fn clock(time_ms: u64) -> String {
    let (hours, minutes) = (time_ms / 3_600_000, time_ms / 60_000 % 60);
    let (seconds, millis) = (time_ms / 1_000 % 60, time_ms % 1_000);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{minutes:02}:{seconds:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(document: &PlaygroundDocument) -> (Vec<ResourceRow>, Vec<TraceRow>, u64, String) {
        match run(document) {
            RunOutcome::Ran {
                resources,
                trace,
                records_total,
                trace_digest,
                ..
            } => (resources, trace, records_total, trace_digest),
            RunOutcome::Invalid(problems) => panic!("{problems:?}"),
        }
    }

    #[test]
    fn every_preset_runs_and_the_table_names_its_resources() {
        for preset in presets::PRESETS {
            let document = PlaygroundDocument::default().apply(Action::LoadPreset(preset.id));
            let (resources, trace, total, _) = ran(&document);
            assert!(!resources.is_empty(), "{}", preset.id);
            assert!(total > 0 && !trace.is_empty(), "{}", preset.id);
            // The same columns as `eventyard run`: a rule receives what its bus tests it on and
            // delivers each match to each of its targets, at most five
            // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html), and only
            // queues have messages left.
            for row in &resources {
                if row.kind == "AWS::Events::Rule" {
                    assert!(row.received * 5 >= row.delivered, "{}: {row:?}", preset.id);
                }
                assert_eq!(row.left.is_some(), row.kind == "AWS::SQS::Queue", "{row:?}");
            }
        }
    }

    #[test]
    fn the_donut_maker_never_receives_a_pie_order() {
        // The preset's pie orders are the apple ones; its donuts are glazed or chocolate.
        let (_, trace, _, _) = ran(&PlaygroundDocument::default());
        let payloads_at = |resource: &str| -> Vec<String> {
            trace
                .iter()
                .filter(|row| row.resource == resource)
                .filter_map(|row| row.payload.clone())
                .collect()
        };
        for resource in ["DonutQueue", "DonutMaker"] {
            let payloads = payloads_at(resource);
            assert!(
                payloads.iter().any(|payload| payload.contains("glazed")),
                "{resource}"
            );
            assert!(
                payloads.iter().all(|payload| !payload.contains("apple")),
                "{resource}"
            );
        }
    }

    #[test]
    fn the_same_document_gives_the_same_trace() {
        let document = PlaygroundDocument::default().apply(Action::LoadPreset("sync-vs-queue"));
        assert_eq!(ran(&document).3, ran(&document).3);
        assert_eq!(ran(&document).2, ran(&document).2);
    }

    #[test]
    fn a_broken_template_lists_its_problems_with_places() {
        let document = PlaygroundDocument::default().apply(Action::EditTemplate(
            "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      Targets:\n        - Id: t\n          Arn: !GetAtt Nowhere.Arn\n".to_string(),
        ));
        let RunOutcome::Invalid(problems) = run(&document) else {
            panic!("a broken template ran");
        };
        assert!(
            problems
                .iter()
                .any(|problem| problem.contains("line ") && problem.contains("Nowhere")),
            "{problems:?}"
        );
    }

    #[test]
    fn not_yaml_at_all_is_a_problem_not_a_panic() {
        for text in ["", "{", "- - -", "Resources: 5", "\u{0}\u{1}"] {
            let document =
                PlaygroundDocument::default().apply(Action::EditTemplate(text.to_string()));
            assert!(matches!(run(&document), RunOutcome::Invalid(_)), "{text:?}");
        }
    }

    fn row<'a>(rows: &'a [ResourceRow], logical_id: &str) -> &'a ResourceRow {
        rows.iter()
            .find(|row| row.logical_id == logical_id)
            .unwrap_or_else(|| panic!("no row {logical_id} in {rows:?}"))
    }

    /// Short polling answers at once, often empty; long polling waits up to 20 seconds per call
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html).
    #[test]
    fn the_short_poller_makes_far_more_empty_receives_than_the_long_poller() {
        let document =
            PlaygroundDocument::default().apply(Action::LoadPreset("short-vs-long-polling"));
        let (resources, _, _, _) = ran(&document);
        let short = row(&resources, "ShortPoller");
        let long = row(&resources, "LongPoller");
        assert_eq!(kind_label(short.kind), "Worker (polls a queue)");
        assert!(
            short.empty_receives > 10 * long.empty_receives.max(1),
            "{short:?} {long:?}"
        );
        // The queue counts the same empty calls as the one worker that polls it.
        assert_eq!(
            row(&resources, "ShortPollQueue").empty_receives,
            short.empty_receives
        );
        assert!(shows_empty_receives(&resources));
    }

    #[test]
    fn runs_where_nothing_polls_leave_out_the_empty_receives_column() {
        let template = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n".to_string();
        let document = PlaygroundDocument::default().apply(Action::EditTemplate(template));
        let (resources, _, _, _) = ran(&document);
        assert!(resources.iter().all(|row| row.empty_receives == 0));
        assert!(!shows_empty_receives(&resources));
    }

    /// with-sqs: Lambda's pollers long-poll an idle queue, so a preset with an event source
    /// mapping shows the column too.
    #[test]
    fn lambda_pollers_count_empty_receives_on_their_queue() {
        let (resources, _, _, _) = ran(&PlaygroundDocument::default());
        assert!(shows_empty_receives(&resources));
    }

    #[test]
    fn aws_kinds_read_as_cloudformation_spells_them() {
        assert_eq!(kind_label("AWS::SQS::Queue"), "AWS::SQS::Queue");
        assert_eq!(kind_label("Eventyard::Worker"), "Worker (polls a queue)");
    }

    #[test]
    fn a_preset_opens_with_its_suggested_run_length_or_the_next_longer_one() {
        for preset in presets::PRESETS {
            let until_ms = preset.until_ms().unwrap();
            let run_ms = PlaygroundDocument::default()
                .apply(Action::SetUntil(LONGEST_RUN_MS))
                .apply(Action::LoadPreset(preset.id))
                .until_ms;
            assert_eq!(run_ms, run_length_for(&preset));
            assert!(RUN_LENGTHS_MS.iter().any(|(ms, _)| *ms == run_ms));
            assert!(run_ms >= until_ms, "{}", preset.id);
            // Nothing shorter that is offered would still cover the lesson.
            assert!(
                RUN_LENGTHS_MS
                    .iter()
                    .all(|(ms, _)| *ms >= run_ms || *ms < until_ms),
                "{}",
                preset.id
            );
        }
        let preset = |until| Preset {
            until,
            ..presets::PRESETS[0]
        };
        assert_eq!(run_length_for(&preset("1m")), 60_000);
        assert_eq!(run_length_for(&preset("3m")), 180_000);
        assert_eq!(run_length_for(&preset("61s")), 120_000);
        assert_eq!(run_length_for(&preset("6m")), 600_000);
        assert_eq!(run_length_for(&preset("2d")), 24 * 60 * 60_000);
        assert_eq!(run_length_for(&preset("soon")), 600_000);
    }

    #[test]
    fn only_offered_run_lengths_are_taken() {
        let document = PlaygroundDocument::default();
        assert_eq!(
            document.clone().apply(Action::SetUntil(5)).until_ms,
            document.until_ms
        );
        assert_eq!(document.apply(Action::SetUntil(60_000)).until_ms, 60_000);
    }

    #[test]
    fn the_clock_reads_like_a_stopwatch() {
        assert_eq!(clock(0), "00:00.000");
        assert_eq!(clock(61_005), "01:01.005");
        assert_eq!(clock(3_723_004), "1:02:03.004");
    }
}
