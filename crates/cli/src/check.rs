//! The `check` subcommand (not written yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {}

pub fn run(_args: CheckArgs) -> ExitCode {
    eprintln!("eventyard: this subcommand is not implemented yet");
    ExitCode::from(2)
}
