//! The playground's document (a template, a seed, where playing pauses, what was sent by
//! hand) and the session built from it.

use serde::{Deserialize, Serialize};

use crate::presets::{self, Preset};
use crate::state::sends::HandSend;
use crate::state::session::Session;

/// Everything a person set up in the playground; this is what is autosaved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaygroundDocument {
    pub template: String,
    /// `None`: the seed the template's `Metadata: Eventyard:` names.
    pub seed: Option<u64>,
    /// Where playing pauses, in virtual milliseconds (Play again goes on past it).
    pub until_ms: u64,
    /// What was sent from the page, each at its virtual time.
    #[serde(default)]
    pub hand_sends: Vec<HandSend>,
}

/// The pause times people pick from.
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

/// The pause time a preset opens with: its suggested `until` when that is offered, otherwise
/// the nearest longer offered length (the longest when none is longer), so the whole lesson
/// plays.
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    LoadPreset(&'static str),
    EditTemplate(String),
    SetSeed(Option<u64>),
    SetUntil(u64),
    /// Send by hand (kept in the document so replays include it).
    Send(HandSend),
    /// Forget what was sent by hand.
    ClearSends,
    /// Put back a whole document (undo of a preset load).
    Restore(Box<PlaygroundDocument>),
}

impl Default for PlaygroundDocument {
    fn default() -> Self {
        let first = &presets::PRESETS[0];
        PlaygroundDocument {
            template: first.template.to_string(),
            seed: None,
            until_ms: run_length_for(first),
            hand_sends: Vec::new(),
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
                    self.hand_sends.clear();
                }
            }
            Action::EditTemplate(text) => self.template = text,
            Action::SetSeed(seed) => self.seed = seed,
            Action::SetUntil(until_ms) => {
                if RUN_LENGTHS_MS.iter().any(|(ms, _)| *ms == until_ms) {
                    self.until_ms = until_ms;
                }
            }
            Action::Send(send) => self.hand_sends.push(send),
            Action::ClearSends => self.hand_sends.clear(),
            Action::Restore(document) => return *document,
        }
        self
    }

    /// The preset whose template this is, unchanged, if any: the preset menu names it, and a
    /// lesson link may replace it without asking (nothing of the person's would be lost).
    pub fn unchanged_preset(&self) -> Option<&'static Preset> {
        presets::PRESETS
            .iter()
            .find(|preset| preset.template == self.template)
    }

    /// Whether replacing this document loses nothing the person wrote.
    pub fn is_pristine(&self) -> bool {
        self.unchanged_preset().is_some() && self.hand_sends.is_empty()
    }

    /// A session at time zero, or every problem of the template, each with its place.
    pub fn session(&self) -> Result<Session, Vec<String>> {
        let template = eventyard_template::load(&self.template)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        Session::new(template, self.seed, &self.hand_sends)
    }
}

/// Reads the seed field: empty is the template's seed; anything else must be a whole number
/// that fits in 64 bits, or the field says why.
pub fn parse_seed(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u64>().map(Some).map_err(|_| {
        format!(
            "“{text}” is not a seed: use a whole number from 0 to {}",
            u64::MAX
        )
    })
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

    #[test]
    fn every_preset_builds_a_session() {
        for preset in presets::PRESETS {
            let document = PlaygroundDocument::default().apply(Action::LoadPreset(preset.id));
            let session = document
                .session()
                .unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
            assert!(!session.topology.nodes.is_empty(), "{}", preset.id);
            assert!(document.is_pristine());
            assert_eq!(document.unchanged_preset().map(|p| p.id), Some(preset.id));
        }
    }

    #[test]
    fn an_edited_template_names_no_preset() {
        let document = PlaygroundDocument::default().apply(Action::EditTemplate("# mine".into()));
        assert!(document.unchanged_preset().is_none());
        assert!(!document.is_pristine());
    }

    #[test]
    fn a_broken_template_lists_its_problems_with_places() {
        let document = PlaygroundDocument::default().apply(Action::EditTemplate(
            "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      Targets:\n        - Id: t\n          Arn: !GetAtt Nowhere.Arn\n".to_string(),
        ));
        let Err(problems) = document.session() else {
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
            assert!(document.session().is_err(), "{text:?}");
        }
    }

    #[test]
    fn seeds_are_whole_64_bit_numbers_or_a_clear_message() {
        assert_eq!(parse_seed(""), Ok(None));
        assert_eq!(parse_seed(" 42 "), Ok(Some(42)));
        assert_eq!(parse_seed("18446744073709551615"), Ok(Some(u64::MAX)));
        assert!(parse_seed("abc").unwrap_err().contains("not a seed"));
        assert!(parse_seed("18446744073709551616").is_err());
        assert!(parse_seed("-1").is_err());
    }

    #[test]
    fn a_hand_send_is_kept_and_replayed() {
        let document = PlaygroundDocument::default().apply(Action::Send(HandSend {
            at_ms: 500,
            target: "ShopBus".into(),
            body: r#"{"type": "donut", "flavour": "hand-made"}"#.into(),
            source: "shop.orders".into(),
            detail_type: "Order placed".into(),
            ..HandSend::default()
        }));
        assert!(!document.is_pristine());
        let mut session = document.session().unwrap();
        session.advance(1_000, usize::MAX);
        let reached = session
            .steps()
            .iter()
            .any(|s| s.record.time_ms == 500 && &*s.record.resource == "ShopBus");
        assert!(reached, "the hand send reached the bus at 0.5 s");
        assert!(session.node(crate::state::topology::BY_HAND).is_some());
        assert_eq!(document.apply(Action::ClearSends).hand_sends, vec![]);
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
            assert!(run_ms >= until_ms, "{}", preset.id);
        }
        let preset = |until| Preset {
            until,
            ..presets::PRESETS[0]
        };
        assert_eq!(run_length_for(&preset("61s")), 120_000);
        assert_eq!(run_length_for(&preset("2d")), 24 * 60 * 60_000);
        assert_eq!(run_length_for(&preset("soon")), 600_000);
    }

    #[test]
    fn the_clock_reads_like_a_stopwatch() {
        assert_eq!(clock(0), "00:00.000");
        assert_eq!(clock(61_005), "01:01.005");
        assert_eq!(clock(3_723_004), "1:02:03.004");
    }
}
