//! `eventyard`: the command-line face of the same engine the playground runs.
//!
//! Each subcommand lives in its own module; this file only parses arguments and dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod events;
mod explain;
mod link;
mod matcher;
mod run;

#[derive(Parser)]
#[command(
    name = "eventyard",
    version,
    about = "EventBridge patterns, SNS filter policies and a deterministic AWS event-flow simulator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// EventBridge API calls, as the AWS CLI spells them.
    #[command(subcommand)]
    Events(events::EventsCommand),
    /// Explain, for people, why an event matches a pattern or not.
    Explain(explain::ExplainArgs),
    /// Grep for events: print the names of the rules each JSON Lines event matches.
    Match(matcher::MatchArgs),
    /// Pattern tests for CI pipelines: JSON Lines cases in on stdin, one verdict line out per case.
    Check(check::CheckArgs),
    /// Run a template in the simulator and print what happened to every resource.
    Run(run::RunArgs),
    /// Share links: print the link that opens a pattern test or a template in the page, or
    /// decode one.
    Link(link::LinkArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Events(command) => events::run(command),
        Command::Explain(args) => explain::run(args),
        Command::Match(args) => matcher::run(args),
        Command::Check(args) => check::run(args),
        Command::Run(args) => run::run(args),
        Command::Link(args) => link::run(args),
    }
}
