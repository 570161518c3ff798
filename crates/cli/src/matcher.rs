//! The `matcher` subcommand (not written yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct MatchArgs {}

pub fn run(_args: MatchArgs) -> ExitCode {
    eprintln!("eventyard: this subcommand is not implemented yet");
    ExitCode::from(2)
}
