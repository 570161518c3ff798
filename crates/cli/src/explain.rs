//! The `explain` subcommand (not written yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExplainArgs {}

pub fn run(_args: ExplainArgs) -> ExitCode {
    eprintln!("eventyard: this subcommand is not implemented yet");
    ExitCode::from(2)
}
