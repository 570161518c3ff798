//! `eventyard events ...`: EventBridge API calls (not written yet).

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum EventsCommand {
    /// Tests whether an event matches a pattern, as `aws events test-event-pattern` does.
    TestEventPattern {},
}

pub fn run(_command: EventsCommand) -> ExitCode {
    eprintln!("eventyard: this subcommand is not implemented yet");
    ExitCode::from(2)
}
