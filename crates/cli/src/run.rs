//! The `run` subcommand (not written yet).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct RunArgs {}

pub fn run(_args: RunArgs) -> ExitCode {
    eprintln!("eventyard: this subcommand is not implemented yet");
    ExitCode::from(2)
}
