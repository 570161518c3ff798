//! `eventyard events ...`: EventBridge API calls, spelled and answered as the AWS CLI does.
//!
//! `test-event-pattern` follows API_TestEventPattern: the pattern is validated with
//! TestEventPattern's 4,096-character limit, the event must carry the envelope fields
//! (`id`, `account`, `source`, `time`, `region`, `resources`, `detail-type`), and the answer
//! is `{"Result": true|false}` printed as the AWS CLI prints JSON (4-space indent). Errors go
//! to stderr in the AWS CLI's words with its exit codes: 254 for a service error, 252 for a
//! parameter the CLI cannot read.

use std::process::ExitCode;

use eventyard_pattern::{Dialect, EventPattern, INVALID_EVENT_MESSAGE};

/// The AWS CLI's exit code when the service returned an error.
pub(crate) const EXIT_SERVICE_ERROR: u8 = 254;
/// The AWS CLI's exit code when a parameter could not be parsed or loaded.
pub(crate) const EXIT_PARAMETER_ERROR: u8 = 252;

#[derive(clap::Subcommand)]
pub enum EventsCommand {
    /// Tests whether an event matches a pattern, as `aws events test-event-pattern` does.
    TestEventPattern(TestEventPatternArgs),
}

#[derive(clap::Args)]
pub struct TestEventPatternArgs {
    /// The event pattern: JSON text, or file://path to read it from.
    #[arg(long = "event-pattern", value_name = "JSON | file://path")]
    event_pattern: String,
    /// The event, with its envelope: JSON text, or file://path to read it from.
    #[arg(long = "event", value_name = "JSON | file://path")]
    event: String,
    /// Not an AWS CLI option: when the event does not match (or the pattern is refused), also
    /// print to stderr the link that opens this test in Eventyard's pattern tester.
    #[arg(long)]
    links: bool,
    /// The app's address that link opens.
    #[arg(long, default_value = eventyard_links::DEFAULT_BASE, requires = "links")]
    base: String,
}

pub fn run(command: EventsCommand) -> ExitCode {
    match command {
        EventsCommand::TestEventPattern(args) => test_event_pattern(args),
    }
}

/// A parameter's text: the value itself, or the content of the file a `file://` value names
/// (the AWS CLI's paramfile convention).
pub(crate) fn read_parameter(name: &str, value: &str) -> Result<String, String> {
    match value.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            format!("Error parsing parameter '--{name}': Unable to load paramfile {value}: {e}")
        }),
        None => Ok(value.to_string()),
    }
}

/// An error the way the AWS CLI prints a service's error response.
pub(crate) fn service_error(code: &str, operation: &str, message: &str) -> ExitCode {
    eprintln!("\nAn error occurred ({code}) when calling the {operation} operation: {message}");
    ExitCode::from(EXIT_SERVICE_ERROR)
}

fn test_event_pattern(args: TestEventPatternArgs) -> ExitCode {
    const OPERATION: &str = "TestEventPattern";
    let (pattern_text, event_text) = match (
        read_parameter("event-pattern", &args.event_pattern),
        read_parameter("event", &args.event),
    ) {
        (Ok(p), Ok(e)) => (p, e),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("\n{message}");
            return ExitCode::from(EXIT_PARAMETER_ERROR);
        }
    };
    // stdout stays exactly the AWS CLI's; the link goes to stderr.
    let print_link = || {
        if args.links {
            let link = eventyard_links::url(
                &args.base,
                &eventyard_links::LinkDocument::PatternTester(eventyard_links::TesterLink {
                    dialect: "eventbridge".into(),
                    pattern: pattern_text.clone(),
                    events: vec![event_text.clone()],
                    transformer: None,
                }),
            );
            eprintln!("Open this test in Eventyard: {link}");
        }
    };
    let pattern = match EventPattern::parse_for_test(&pattern_text) {
        Ok(p) => p,
        Err(e) => {
            print_link();
            return service_error(
                "InvalidEventPatternException",
                OPERATION,
                &e.message_for(Dialect::EventBridge),
            );
        }
    };
    let envelope_ok = serde_json::from_str::<serde_json::Value>(&event_text)
        .ok()
        .is_some_and(|v| eventyard_pattern::validate_test_event(&v).is_ok());
    if !envelope_ok {
        return service_error("ValidationException", OPERATION, INVALID_EVENT_MESSAGE);
    }
    // the text as written: number tokens exactly, the last duplicate key winning
    let result = pattern.matches_text(&event_text).unwrap_or(false);
    println!("{{\n    \"Result\": {result}\n}}");
    if !result {
        print_link();
    }
    ExitCode::SUCCESS
}
