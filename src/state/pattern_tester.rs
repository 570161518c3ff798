//! The pattern tester's document (dialect, pattern, events), its edits, and its evaluation by
//! the same engine the CLI runs.

use eventyard_pattern::{
    envelope, Dialect as ErrorDialect, EventPattern, Explanation, FilterPolicy, FilterPolicyScope,
    PatternError,
};
use serde::{Deserialize, Serialize};

use crate::state::editor::{Mark, MarkKind};

use crate::state::samples;

/// Which language the pattern is written in, and so what an "event" is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dialect {
    /// An EventBridge event pattern against JSON events.
    EventBridge,
    /// An SNS filter policy against message attributes (`{"name": {"DataType", "StringValue"}}`).
    SnsAttributes,
    /// An SNS filter policy against the message body (the published string).
    SnsBody,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [
        Dialect::EventBridge,
        Dialect::SnsAttributes,
        Dialect::SnsBody,
    ];

    /// The stable name used in the dialect selector and in saved documents.
    pub fn id(self) -> &'static str {
        match self {
            Dialect::EventBridge => "eventbridge",
            Dialect::SnsAttributes => "sns-attributes",
            Dialect::SnsBody => "sns-body",
        }
    }

    pub fn from_id(id: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|dialect| dialect.id() == id)
    }

    /// What people read in the selector.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::EventBridge => "EventBridge event pattern",
            Dialect::SnsAttributes => "SNS filter policy on message attributes",
            Dialect::SnsBody => "SNS filter policy on message body",
        }
    }

    /// What the pattern box holds in this dialect.
    pub fn pattern_noun(self) -> &'static str {
        match self {
            Dialect::EventBridge => "Event pattern",
            Dialect::SnsAttributes | Dialect::SnsBody => "Filter policy",
        }
    }

    /// What each event box holds in this dialect.
    pub fn event_noun(self) -> &'static str {
        match self {
            Dialect::EventBridge => "Event",
            Dialect::SnsAttributes => "Message attributes",
            Dialect::SnsBody => "Message body",
        }
    }
}

/// Everything a person typed into the pattern tester; this is what is autosaved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TesterDocument {
    pub dialect: Dialect,
    pub pattern: String,
    pub events: Vec<String>,
    /// The input transformer tab (EventBridge); empty until someone writes one.
    #[serde(default)]
    pub transformer: TransformerText,
}

/// An input transformer as typed: `InputPathsMap` (a JSON object) and `InputTemplate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransformerText {
    pub paths: String,
    pub template: String,
}

impl TransformerText {
    pub fn is_empty(&self) -> bool {
        self.paths.trim().is_empty() && self.template.trim().is_empty()
    }
}

/// The most events one document holds: enough for any lesson, small enough to stay responsive.
pub const EVENTS_MAX: usize = 50;

/// One edit of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Switches the dialect. The texts stay as they are: switching never loses work.
    SetDialect(Dialect),
    EditPattern(String),
    EditEvent(usize, String),
    AddEvent,
    RemoveEvent(usize),
    /// Replaces everything with the dialect's example (the person asked for it).
    LoadExample(Dialect),
    /// Replaces everything with a link's document (the person agreed, or had nothing of theirs).
    Replace(TesterDocument),
    /// Replaces the pattern and events with a sample from the library (`samples::SAMPLES`).
    LoadSample(usize),
    /// Replaces the pattern and events with an operator's example (`samples::OPERATORS`).
    LoadOperator(usize),
    /// Replaces the pattern (one made from picked event fields).
    SetPattern(String),
    EditPaths(String),
    EditTemplate(String),
    /// Puts in the transformer example (EventBridge's own documentation example).
    LoadTransformerExample,
}

impl Action {
    /// The field a typing edit changes, so that a burst of typing is one undo step; `None` for
    /// loads and buttons, each a step of its own.
    pub fn typing_field(&self) -> Option<String> {
        match self {
            Action::EditPattern(_) => Some("pattern".into()),
            Action::EditEvent(index, _) => Some(format!("event-{index}")),
            Action::EditPaths(_) => Some("paths".into()),
            Action::EditTemplate(_) => Some("template".into()),
            _ => None,
        }
    }
}

impl TesterDocument {
    /// The example a first visit shows: the donut shop, where pie orders are not for the donut
    /// maker.
    pub fn example(dialect: Dialect) -> TesterDocument {
        let (pattern, events): (&str, &[&str]) = match dialect {
            Dialect::EventBridge => (EB_PATTERN, &[EB_DONUT_EVENT, EB_PIE_EVENT]),
            Dialect::SnsAttributes => (
                SNS_ATTRIBUTES_POLICY,
                &[SNS_ATTRIBUTES_BIG, SNS_ATTRIBUTES_SMALL],
            ),
            Dialect::SnsBody => (SNS_BODY_POLICY, &[SNS_BODY_DONUT, SNS_BODY_NOT_JSON]),
        };
        TesterDocument {
            dialect,
            pattern: pattern.to_string(),
            events: events.iter().map(|event| event.to_string()).collect(),
            transformer: TransformerText::default(),
        }
    }

    /// Whether this is an example, unchanged: replacing it loses nothing the person wrote.
    pub fn is_pristine(&self) -> bool {
        Dialect::ALL
            .into_iter()
            .any(|dialect| *self == TesterDocument::example(dialect))
    }

    /// This document with another pattern and events (a sample, an operator's example); the
    /// transformer stays.
    fn loaded(self, dialect: Dialect, pattern: &str, events: &[&str]) -> TesterDocument {
        TesterDocument {
            dialect,
            pattern: pattern.to_string(),
            events: events.iter().map(|event| event.to_string()).collect(),
            transformer: self.transformer,
        }
    }

    /// The document after `action`. Edits that make no sense (an index past the end, a
    /// removal of the last event, an event beyond [`EVENTS_MAX`]) leave it unchanged.
    pub fn apply(mut self, action: Action) -> TesterDocument {
        match action {
            Action::SetDialect(dialect) => self.dialect = dialect,
            Action::EditPattern(text) => self.pattern = text,
            Action::EditEvent(index, text) => {
                if let Some(event) = self.events.get_mut(index) {
                    *event = text;
                }
            }
            Action::AddEvent => {
                if self.events.len() < EVENTS_MAX {
                    self.events.push(String::new());
                }
            }
            Action::RemoveEvent(index) => {
                if self.events.len() > 1 && index < self.events.len() {
                    self.events.remove(index);
                }
            }
            Action::LoadExample(dialect) => {
                return TesterDocument {
                    transformer: self.transformer,
                    ..TesterDocument::example(dialect)
                }
            }
            Action::Replace(document) => return document,
            Action::LoadSample(index) => {
                if let Some(sample) = samples::SAMPLES.get(index) {
                    return self.loaded(Dialect::EventBridge, sample.pattern, &[sample.event]);
                }
            }
            Action::LoadOperator(index) => {
                if let Some(op) = samples::OPERATORS.get(index) {
                    // In an SNS dialect, an operator SNS has stays SNS (as a message-body policy,
                    // where the example's nesting reads the same); the others are EventBridge's.
                    let sns = self.dialect != Dialect::EventBridge
                        && FilterPolicy::parse(op.pattern, FilterPolicyScope::MessageBody).is_ok();
                    let dialect = if sns { Dialect::SnsBody } else { op.dialect };
                    return self.loaded(dialect, op.pattern, op.events);
                }
            }
            Action::SetPattern(text) => self.pattern = text,
            Action::EditPaths(text) => self.transformer.paths = text,
            Action::EditTemplate(text) => self.transformer.template = text,
            Action::LoadTransformerExample => {
                self.transformer = TransformerText {
                    paths: samples::TRANSFORMER_PATHS.to_string(),
                    template: samples::TRANSFORMER_TEMPLATE.to_string(),
                }
            }
        }
        self
    }
}

/// A mistake in a text box, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// AWS's message (for patterns) or the JSON parser's (for events).
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// The JSON path of the offending value, when there is one.
    pub json_path: Option<String>,
    /// Where it is in the text (bytes), when the reader knows; else the editor finds the token
    /// at the line and column.
    pub span: Option<(usize, usize)>,
}

impl Problem {
    fn from_pattern_error(error: &PatternError, dialect: ErrorDialect) -> Problem {
        Problem {
            message: error.message_for(dialect),
            line: error.line(),
            column: error.column(),
            json_path: Some(error.json_path().to_string()),
            span: Some((error.location().span.start, error.location().span.end)),
        }
    }
}

/// One pattern leaf judged against one event, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafLine {
    pub path: String,
    pub operator: String,
    /// The event's values there as JSON, or empty when the field is missing.
    pub found: Vec<String>,
    pub passed: bool,
    /// Where the leaf (its key through its values) is in the pattern text, in bytes.
    pub pattern_span: (usize, usize),
    /// Where each found value is in the event text (empty spans when not read from text).
    pub found_spans: Vec<(usize, usize)>,
}

/// What the engine says of one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The pattern is invalid, so no event can be judged.
    PatternInvalid,
    /// The event box is empty.
    Empty,
    /// The event is not valid input (malformed JSON, wrong shape).
    InvalidEvent(Problem),
    Judged {
        matched: bool,
        reason: String,
        leaves: Vec<LeafLine>,
        /// The leaf the reason is about, an index into `leaves`.
        deciding: Option<usize>,
        /// For EventBridge: why TestEventPattern would refuse this event, if it would.
        envelope_note: Option<String>,
    },
}

impl Verdict {
    /// Match or no match, for an event that was judged.
    pub fn matched(&self) -> Option<bool> {
        match self {
            Verdict::Judged { matched, .. } => Some(*matched),
            _ => None,
        }
    }
}

/// What the engine says of the whole document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub pattern: Result<(), Problem>,
    pub events: Vec<Verdict>,
}

enum Compiled {
    Pattern(EventPattern),
    Policy(FilterPolicy),
}

/// Runs the engine over the document. Never panics, whatever the texts hold.
pub fn evaluate(document: &TesterDocument) -> Evaluation {
    let compiled = match document.dialect {
        Dialect::EventBridge => EventPattern::parse(&document.pattern)
            .map(Compiled::Pattern)
            .map_err(|e| Problem::from_pattern_error(&e, ErrorDialect::EventBridge)),
        Dialect::SnsAttributes => {
            FilterPolicy::parse(&document.pattern, FilterPolicyScope::MessageAttributes)
                .map(Compiled::Policy)
                .map_err(|e| Problem::from_pattern_error(&e, ErrorDialect::SnsSubscribe))
        }
        Dialect::SnsBody => FilterPolicy::parse(&document.pattern, FilterPolicyScope::MessageBody)
            .map(Compiled::Policy)
            .map_err(|e| Problem::from_pattern_error(&e, ErrorDialect::SnsSubscribe)),
    };
    let events = document
        .events
        .iter()
        .map(|event| match &compiled {
            Err(_) => Verdict::PatternInvalid,
            Ok(compiled) => judge(compiled, document.dialect, event),
        })
        .collect();
    Evaluation {
        pattern: compiled.map(|_| ()),
        events,
    }
}

fn judge(compiled: &Compiled, dialect: Dialect, event: &str) -> Verdict {
    // A message body may be any string, even an empty one; other inputs must hold JSON.
    if dialect != Dialect::SnsBody && event.trim().is_empty() {
        return Verdict::Empty;
    }
    match (compiled, dialect) {
        (Compiled::Pattern(pattern), _) => match pattern.explain_text(event) {
            Err(error) => Verdict::InvalidEvent(Problem {
                message: error.message.clone(),
                line: error.span.line,
                column: error.span.column,
                json_path: None,
                span: Some((error.span.start, error.span.end)),
            }),
            Ok(explanation) => {
                let envelope_note = serde_json::from_str::<serde_json::Value>(event)
                    .ok()
                    .and_then(|value| envelope::missing_envelope_field(&value))
                    .map(|field| {
                        format!(
                            "TestEventPattern would refuse this event (\"Parameter Event is not valid.\"): it has no `{field}`. Rules still match events without the full envelope."
                        )
                    });
                judged(&explanation, envelope_note)
            }
        },
        (Compiled::Policy(policy), Dialect::SnsBody) => judged(&policy.explain_body(event), None),
        (Compiled::Policy(policy), _) => match serde_json::from_str::<serde_json::Value>(event) {
            Err(error) => Verdict::InvalidEvent(Problem {
                message: format!("Message attributes are not valid JSON: {error}"),
                line: u32::try_from(error.line()).unwrap_or(u32::MAX),
                column: u32::try_from(error.column()).unwrap_or(u32::MAX),
                json_path: None,
                span: None,
            }),
            Ok(attributes) if !attributes.is_object() => Verdict::InvalidEvent(Problem {
                message: "Message attributes must be a JSON object: {\"name\": {\"DataType\": \"String\", \"StringValue\": \"...\"}}".to_string(),
                line: 1,
                column: 1,
                json_path: Some("$".to_string()),
                span: None,
            }),
            Ok(attributes) => judged(&policy.explain_attributes(&attributes), None),
        },
    }
}

fn judged(explanation: &Explanation, envelope_note: Option<String>) -> Verdict {
    Verdict::Judged {
        matched: explanation.matched(),
        reason: explanation.reason(),
        leaves: leaf_lines(explanation),
        deciding: explanation.deciding_leaf().and_then(|deciding| {
            explanation
                .leaves()
                .iter()
                .position(|leaf| std::ptr::eq(leaf, deciding))
        }),
        envelope_note,
    }
}

/// Each leaf of an explanation as a line to show (the tester and the playground's journeys).
pub fn leaf_lines(explanation: &Explanation) -> Vec<LeafLine> {
    explanation
        .leaves()
        .iter()
        .map(|leaf| LeafLine {
            path: leaf.path.clone(),
            operator: leaf.operator.clone(),
            found: leaf.found.iter().map(|value| value.json.clone()).collect(),
            passed: leaf.passed,
            pattern_span: (
                leaf.pattern_key_span.start.min(leaf.pattern_span.start),
                leaf.pattern_span.end.max(leaf.pattern_key_span.end),
            ),
            found_spans: leaf
                .found
                .iter()
                .map(|value| (value.span.start, value.span.end))
                .collect(),
        })
        .collect()
}

/// How a rule's pattern judged an event the simulator delivered to it, shown as the tester shows
/// it: the leaves, the event as pretty JSON, and the deciding field marked in both the pattern
/// and that text. `None` when the pattern text does not parse (it did at load, so only for
/// foreign text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDecision {
    pub leaves: Vec<LeafLine>,
    pub event_text: String,
    pub pattern_marks: Vec<Mark>,
    pub event_marks: Vec<Mark>,
}

pub fn rule_decision(pattern: &str, event: &serde_json::Value) -> Option<RuleDecision> {
    let parsed = EventPattern::parse(pattern).ok()?;
    let event_text = serde_json::to_string_pretty(event).ok()?;
    let explanation = parsed.explain_text(&event_text).ok()?;
    let leaves = leaf_lines(&explanation);
    let deciding = explanation.deciding_leaf().and_then(|deciding| {
        explanation
            .leaves()
            .iter()
            .position(|leaf| std::ptr::eq(leaf, deciding))
    });
    let field = |(start, end): (usize, usize)| Mark {
        start,
        end,
        kind: MarkKind::Field,
    };
    let (pattern_marks, event_marks) = match deciding.and_then(|i| leaves.get(i)) {
        Some(leaf) => (
            vec![field(leaf.pattern_span)],
            leaf.found_spans.iter().copied().map(field).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Some(RuleDecision {
        leaves,
        event_text,
        pattern_marks,
        event_marks,
    })
}

const EB_PATTERN: &str = r#"{
  "source": ["com.donut-shop"],
  "detail-type": ["Order Placed"],
  "detail": {
    "product": [{ "prefix": "donut" }]
  }
}"#;

const EB_DONUT_EVENT: &str = r#"{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Order Placed",
  "source": "com.donut-shop",
  "account": "123456789012",
  "time": "2026-11-25T09:00:00Z",
  "region": "us-east-1",
  "resources": [],
  "detail": { "orderId": "o-1", "product": "donut-glazed", "quantity": 12 }
}"#;

const EB_PIE_EVENT: &str = r#"{
  "version": "0",
  "id": "0d3bd4c5-67bc-4a41-9c8b-9bd0a5e9e3b2",
  "detail-type": "Order Placed",
  "source": "com.donut-shop",
  "account": "123456789012",
  "time": "2026-11-25T09:01:00Z",
  "region": "us-east-1",
  "resources": [],
  "detail": { "orderId": "o-2", "product": "pie-apple", "quantity": 1 }
}"#;

const SNS_ATTRIBUTES_POLICY: &str = r#"{
  "store": ["donut-shop"],
  "quantity": [{ "numeric": [">=", 12] }]
}"#;

const SNS_ATTRIBUTES_BIG: &str = r#"{
  "store": { "DataType": "String", "StringValue": "donut-shop" },
  "quantity": { "DataType": "Number", "StringValue": "24" }
}"#;

const SNS_ATTRIBUTES_SMALL: &str = r#"{
  "store": { "DataType": "String", "StringValue": "donut-shop" },
  "quantity": { "DataType": "Number", "StringValue": "2" }
}"#;

const SNS_BODY_POLICY: &str = r#"{
  "order": {
    "product": [{ "prefix": "donut" }]
  }
}"#;

const SNS_BODY_DONUT: &str = r#"{ "order": { "id": "o-1", "product": "donut-glazed" } }"#;

const SNS_BODY_NOT_JSON: &str = "order o-2: one apple pie";

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(document: &TesterDocument) -> Vec<Option<bool>> {
        evaluate(document)
            .events
            .iter()
            .map(Verdict::matched)
            .collect()
    }

    #[test]
    fn every_example_has_one_event_that_matches_and_one_that_does_not() {
        for dialect in Dialect::ALL {
            let document = TesterDocument::example(dialect);
            assert_eq!(evaluate(&document).pattern, Ok(()), "{dialect:?}");
            assert_eq!(
                verdicts(&document),
                [Some(true), Some(false)],
                "{dialect:?}"
            );
        }
    }

    #[test]
    fn the_donut_shop_explains_why_pie_is_not_for_the_donut_maker() {
        let evaluation = evaluate(&TesterDocument::example(Dialect::EventBridge));
        let Some(Verdict::Judged {
            reason,
            leaves,
            envelope_note,
            ..
        }) = evaluation.events.get(1)
        else {
            panic!("the pie order was not judged: {evaluation:?}");
        };
        assert!(reason.contains("detail.product"), "{reason}");
        assert!(reason.contains("pie-apple"), "{reason}");
        assert!(leaves
            .iter()
            .any(|leaf| leaf.path == "detail.product" && !leaf.passed));
        assert_eq!(envelope_note, &None);
    }

    #[test]
    fn an_invalid_pattern_reports_aws_text_and_position_and_judges_no_event() {
        let document = TesterDocument::example(Dialect::EventBridge)
            .apply(Action::EditPattern("{\n  \"source\": []\n}".to_string()));
        let evaluation = evaluate(&document);
        let problem = evaluation.pattern.unwrap_err();
        assert_eq!(
            problem.message,
            "Event pattern is not valid. Reason: Empty arrays are not allowed"
        );
        assert_eq!(problem.line, 2);
        assert!(evaluation
            .events
            .iter()
            .all(|verdict| *verdict == Verdict::PatternInvalid));
    }

    #[test]
    fn the_deciding_leaf_has_its_spans_in_the_pattern_and_the_event() {
        let document = TesterDocument::example(Dialect::EventBridge);
        let evaluation = evaluate(&document);
        let Some(Verdict::Judged {
            leaves,
            deciding: Some(deciding),
            ..
        }) = evaluation.events.get(1)
        else {
            panic!("no deciding leaf: {evaluation:?}");
        };
        let leaf = &leaves[*deciding];
        assert_eq!(leaf.path, "detail.product");
        let (start, end) = leaf.pattern_span;
        assert_eq!(
            &document.pattern[start..end],
            r#""product": [{ "prefix": "donut" }]"#
        );
        let (start, end) = leaf.found_spans[0];
        assert_eq!(&document.events[1][start..end], r#""pie-apple""#);
    }

    #[test]
    fn a_pattern_error_carries_the_span_of_the_mistake() {
        let pattern = "{\n  \"source\": []\n}";
        let document = TesterDocument::example(Dialect::EventBridge)
            .apply(Action::EditPattern(pattern.into()));
        let (start, end) = evaluate(&document).pattern.unwrap_err().span.unwrap();
        assert_eq!(&pattern[start..end], "[]");
    }

    #[test]
    fn loads_keep_the_transformer_and_typing_has_a_field() {
        let document = TesterDocument::example(Dialect::EventBridge)
            .apply(Action::LoadTransformerExample)
            .apply(Action::LoadSample(0))
            .apply(Action::LoadExample(Dialect::SnsBody));
        assert!(!document.transformer.is_empty());
        assert_eq!(
            Action::EditEvent(2, String::new())
                .typing_field()
                .as_deref(),
            Some("event-2")
        );
        assert_eq!(Action::LoadSample(0).typing_field(), None);
        // A document saved before the transformer existed still reads.
        let old = r#"{"dialect":"EventBridge","pattern":"{}","events":["{}"]}"#;
        let read: TesterDocument = serde_json::from_str(old).unwrap();
        assert!(read.transformer.is_empty());
    }

    #[test]
    fn a_malformed_event_reports_line_and_column() {
        let document = TesterDocument::example(Dialect::EventBridge).apply(Action::EditEvent(
            0,
            "{\n  \"source\": \"x\",,\n}".to_string(),
        ));
        let Some(Verdict::InvalidEvent(problem)) = evaluate(&document).events.first().cloned()
        else {
            panic!("a malformed event was judged");
        };
        assert_eq!(problem.line, 2);
    }

    #[test]
    fn an_event_without_the_envelope_still_matches_but_says_what_test_event_pattern_would_do() {
        let document = TesterDocument::example(Dialect::EventBridge).apply(Action::EditEvent(
            0,
            r#"{"source": "com.donut-shop", "detail-type": "Order Placed", "detail": {"product": "donut"}}"#.to_string(),
        ));
        let Some(Verdict::Judged {
            matched,
            envelope_note,
            ..
        }) = evaluate(&document).events.first().cloned()
        else {
            panic!("not judged");
        };
        assert!(matched);
        assert!(envelope_note.is_some_and(|note| note.contains("`id`")));
    }

    #[test]
    fn sns_errors_use_sns_wording() {
        let document = TesterDocument::example(Dialect::SnsAttributes)
            .apply(Action::EditPattern(r#"{"a": {"b": ["c"]}}"#.to_string()));
        let problem = evaluate(&document).pattern.unwrap_err();
        assert!(
            problem
                .message
                .starts_with("Invalid parameter: Attributes Reason: FilterPolicy: "),
            "{}",
            problem.message
        );
    }

    #[test]
    fn switching_dialect_keeps_the_texts() {
        let document = TesterDocument::example(Dialect::EventBridge);
        let switched = document.clone().apply(Action::SetDialect(Dialect::SnsBody));
        assert_eq!(switched.pattern, document.pattern);
        assert_eq!(switched.events, document.events);
    }

    #[test]
    fn the_last_event_cannot_be_removed_and_out_of_range_edits_change_nothing() {
        let one = TesterDocument::example(Dialect::EventBridge).apply(Action::RemoveEvent(0));
        assert_eq!(one.events.len(), 1);
        assert_eq!(one.clone().apply(Action::RemoveEvent(0)), one);
        assert_eq!(one.clone().apply(Action::EditEvent(7, "x".into())), one);
        assert_eq!(one.clone().apply(Action::RemoveEvent(7)), one);
    }

    #[test]
    fn events_stop_at_the_maximum() {
        let mut document = TesterDocument::example(Dialect::EventBridge);
        for _ in 0..EVENTS_MAX + 5 {
            document = document.apply(Action::AddEvent);
        }
        assert_eq!(document.events.len(), EVENTS_MAX);
    }

    #[test]
    fn an_empty_event_box_is_not_judged_except_an_empty_message_body() {
        let document = TesterDocument::example(Dialect::EventBridge).apply(Action::AddEvent);
        assert_eq!(evaluate(&document).events.last(), Some(&Verdict::Empty));
        let body = TesterDocument::example(Dialect::SnsBody).apply(Action::AddEvent);
        assert!(matches!(
            evaluate(&body).events.last(),
            Some(Verdict::Judged { matched: false, .. })
        ));
    }

    #[test]
    fn dialect_ids_read_back() {
        for dialect in Dialect::ALL {
            assert_eq!(Dialect::from_id(dialect.id()), Some(dialect));
        }
        assert_eq!(Dialect::from_id("nope"), None);
    }

    #[test]
    fn a_rule_decision_marks_the_deciding_field_in_the_pattern_and_the_event_text() {
        let pattern = r#"{"source": ["shop.web"], "detail": {"type": ["donut"]}}"#;
        let event = serde_json::json!({"source": "shop.web", "detail": {"type": "pie"}});
        let decision = rule_decision(pattern, &event).unwrap();
        let [mark] = decision.pattern_marks.as_slice() else {
            panic!("{decision:?}")
        };
        assert!(pattern[mark.start..mark.end].contains("donut"), "{mark:?}");
        let [found] = decision.event_marks.as_slice() else {
            panic!("{decision:?}")
        };
        assert_eq!(&decision.event_text[found.start..found.end], "\"pie\"");
        assert!(rule_decision("not json", &event).is_none());
    }
}
