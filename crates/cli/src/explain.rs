//! `eventyard explain`: why an event matches a pattern or not, for people.
//!
//! Prints the verdict, the deciding sentence, then every pattern leaf with its operator, what
//! the event holds at that path, and pass or fail. The event is any JSON value (no envelope
//! needed); the pattern takes TestEventPattern's 4,096-character limit. Exit status like grep:
//! 0 when the event matches, 1 when it does not, 2 when the input is not usable.

use std::fmt::Write as _;
use std::process::ExitCode;

use eventyard_pattern::{Dialect, EventPattern, Explanation};

use crate::events::read_parameter;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The event pattern: JSON text, or file://path to read it from.
    #[arg(long = "event-pattern", value_name = "JSON | file://path")]
    event_pattern: String,
    /// The event (any JSON, no envelope needed): JSON text, or file://path.
    #[arg(long = "event", value_name = "JSON | file://path")]
    event: String,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let (pattern_text, event_text) = match (
        read_parameter("event-pattern", &args.event_pattern),
        read_parameter("event", &args.event),
    ) {
        (Ok(p), Ok(e)) => (p, e),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("eventyard explain: {message}");
            return ExitCode::from(2);
        }
    };
    let pattern = match EventPattern::parse_for_test(&pattern_text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "eventyard explain: {} (line {}, column {}, at {})",
                e.message_for(Dialect::EventBridge),
                e.line(),
                e.column(),
                e.json_path()
            );
            return ExitCode::from(2);
        }
    };
    let explanation = match pattern.explain_text(&event_text) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("eventyard explain: the event is not valid JSON: {e}");
            return ExitCode::from(2);
        }
    };
    print!("{}", render(&explanation));
    if explanation.matched() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The explanation as text: verdict, reason, one line per leaf.
pub(crate) fn render(x: &Explanation) -> String {
    let mut out = String::new();
    let verdict = if x.matched() { "MATCH" } else { "NO MATCH" };
    let _ = writeln!(out, "{verdict}: {}", x.reason());
    let deciding = x.deciding_leaf().map(|l| l.json_path.as_str());
    for leaf in x.leaves() {
        let mark = if leaf.passed { "pass" } else { "FAIL" };
        let found = if leaf.found.is_empty() {
            "(missing)".to_string()
        } else {
            leaf.found
                .iter()
                .map(|v| v.json.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let branch: String = leaf
            .or_branches
            .iter()
            .map(|(path, i)| format!(" [{path} branch {i}]"))
            .collect();
        let arrow = if Some(leaf.json_path.as_str()) == deciding {
            "  <- deciding"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {mark}  {}: wants {}; event has {found}{branch}{arrow}",
            leaf.path, leaf.operator
        );
    }
    out
}
