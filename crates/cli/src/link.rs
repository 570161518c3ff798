//! `eventyard link`: share links from the command line, the same format the page writes.
//!
//! `--pattern P --event E [--event ...] [--dialect D]` prints a pattern-tester link,
//! `--template T [--seed N]` a playground link, `--decode URL` the document inside a link as
//! JSON. `--base` is the address of the app (default: `./scripts/serve.sh`'s).

use std::process::ExitCode;

use eventyard_links::{
    decode, payload_of, url, LinkDocument, PlaygroundLink, TesterLink, DEFAULT_BASE,
};

const DIALECTS: [&str; 3] = ["eventbridge", "sns-attributes", "sns-body"];

#[derive(clap::Args)]
pub struct LinkArgs {
    /// A pattern or filter policy file: prints a pattern-tester link.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["template", "decode"])]
    pattern: Option<String>,
    /// An event file (repeat for several): events for the pattern tester.
    #[arg(long = "event", value_name = "FILE", requires = "pattern")]
    events: Vec<String>,
    /// eventbridge (default), sns-attributes or sns-body.
    #[arg(long, default_value = "eventbridge", requires = "pattern")]
    dialect: String,
    /// A template file: prints a playground link.
    #[arg(long, value_name = "FILE", conflicts_with = "decode")]
    template: Option<String>,
    /// The seed for the playground (default: the template's).
    #[arg(long, requires = "template")]
    seed: Option<u64>,
    /// A link (or just its `link=` value): prints the document inside as JSON.
    #[arg(long, value_name = "URL")]
    decode: Option<String>,
    /// The app's address the link opens.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
}

pub fn run(args: LinkArgs) -> ExitCode {
    match link(args) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("eventyard link: {message}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

fn link(args: LinkArgs) -> Result<String, String> {
    if let Some(link) = &args.decode {
        let document = decode(payload_of(link))
            .map_err(|error| format!("the link cannot be opened: {error}"))?;
        return serde_json::to_string_pretty(&document).map_err(|error| error.to_string());
    }
    let document = if let Some(pattern) = &args.pattern {
        if !DIALECTS.contains(&args.dialect.as_str()) {
            return Err(format!("--dialect must be one of {}", DIALECTS.join(", ")));
        }
        let events = args
            .events
            .iter()
            .map(|path| read(path))
            .collect::<Result<Vec<_>, _>>()?;
        LinkDocument::PatternTester(TesterLink {
            dialect: args.dialect.clone(),
            pattern: read(pattern)?,
            events: if events.is_empty() {
                vec![String::new()]
            } else {
                events
            },
            transformer: None,
        })
    } else if let Some(template) = &args.template {
        LinkDocument::Playground(PlaygroundLink {
            template: read(template)?,
            seed: args.seed,
            until_ms: None,
            time_ms: None,
            speed: None,
            following: None,
            sends: Vec::new(),
        })
    } else {
        return Err("give --pattern (with --event), --template, or --decode".into());
    };
    Ok(url(&args.base, &document))
}
