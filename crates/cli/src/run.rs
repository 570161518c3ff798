//! `eventyard run`: load a template, run it in the simulator on a virtual clock, print a table
//! per resource (received, delivered, filtered, failed, in DLQ, left, and empty receives when a
//! worker polls) and optionally write the whole trace as JSON Lines. Exit status: 0 after a run,
//! 1 when the template or the events file has errors (each printed with logical id, line and
//! column), 2 for unusable arguments. `--simplifications` prints what the simulator simplifies.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use eventyard_sim::{
    JsonLinesSink, NullSink, ResourceReport, Simulator, TraceSink, SIMPLIFICATIONS,
};
use eventyard_template::duration::parse_duration_ms;

#[derive(clap::Args)]
pub struct RunArgs {
    /// The template (CloudFormation-style YAML or JSON).
    #[arg(required_unless_present = "simplifications")]
    template: Option<PathBuf>,
    /// Virtual time to run until: 500ms, 30s, 10m, 2h, or seconds.
    #[arg(long, default_value = "10m", value_name = "DURATION")]
    until: String,
    /// Seed for the run (default: the template's `Metadata: Eventyard: Seed`, else 0).
    #[arg(long)]
    seed: Option<u64>,
    /// Events to send: a list shaped like `Metadata: Eventyard: Events`, or PutEvents entries.
    #[arg(long, value_name = "FILE")]
    send: Option<PathBuf>,
    /// Write the trace as JSON Lines to this file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    trace: Option<String>,
    /// Leave payloads out of the trace (smaller, faster).
    #[arg(long)]
    no_payloads: bool,
    /// Print what this simulator simplifies on purpose compared with AWS, and run nothing.
    #[arg(long, exclusive = true)]
    simplifications: bool,
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: RunArgs) -> ExitCode {
    if args.simplifications {
        print!("{}", render_simplifications());
        return ExitCode::SUCCESS;
    }
    // clap requires the template unless --simplifications is given.
    let Some(template_path) = args.template.as_ref() else {
        eprintln!("eventyard run: which template? (eventyard run TEMPLATE)");
        return ExitCode::from(2);
    };
    let Some(until_ms) = parse_duration_ms(&args.until) else {
        eprintln!(
            "eventyard run: --until {} is not a duration (try 10m, 30s, 500ms)",
            args.until
        );
        return ExitCode::from(2);
    };
    let text = match read(template_path) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("eventyard run: {message}");
            return ExitCode::from(2);
        }
    };
    let template = match eventyard_template::load(&text) {
        Ok(t) => t,
        Err(errors) => {
            for error in &errors {
                eprintln!("{}: {error}", template_path.display());
            }
            return ExitCode::from(1);
        }
    };
    let mut template = template;
    if let Some(path) = &args.send {
        let events_text = match read(path) {
            Ok(t) => t,
            Err(message) => {
                eprintln!("eventyard run: {message}");
                return ExitCode::from(2);
            }
        };
        match eventyard_template::load_events(&events_text, &template) {
            // Sent like the template's own scripted events: lazily, one at a time.
            Ok(entries) => template.playground.scripted.extend(entries),
            Err(errors) => {
                for error in &errors {
                    eprintln!("{}: {error}", path.display());
                }
                return ExitCode::from(1);
            }
        }
    }
    let mut sim = match Simulator::new(&template, args.seed) {
        Ok(s) => s,
        Err(errors) => {
            for error in &errors {
                eprintln!("{}: {error}", template_path.display());
            }
            return ExitCode::from(1);
        }
    };
    let outcome = match args.trace.as_deref() {
        None => {
            let mut sink = NullSink::default();
            sim.advance_to(until_ms, &mut sink);
            Ok(())
        }
        Some("-") => {
            let stdout = std::io::stdout();
            run_to(
                &mut sim,
                until_ms,
                BufWriter::new(stdout.lock()),
                !args.no_payloads,
            )
        }
        Some(path) => match File::create(path) {
            Ok(file) => run_to(&mut sim, until_ms, BufWriter::new(file), !args.no_payloads),
            Err(e) => Err(format!("{path}: {e}")),
        },
    };
    if let Err(message) = outcome {
        eprintln!("eventyard run: {message}");
        return ExitCode::from(2);
    }
    let table = render_table(&sim.report(), until_ms);
    if args.trace.as_deref() == Some("-") {
        eprint!("{table}");
    } else {
        print!("{table}");
    }
    ExitCode::SUCCESS
}

fn run_to<W: Write>(
    sim: &mut Simulator,
    until_ms: u64,
    writer: W,
    payloads: bool,
) -> Result<(), String> {
    let mut sink = JsonLinesSink::new(writer);
    sink.with_payloads = payloads;
    let sink_ref: &mut dyn TraceSink = &mut sink;
    sim.advance_to(until_ms, sink_ref);
    if let Some(error) = sink.error.take() {
        return Err(format!("writing the trace: {error}"));
    }
    sink.writer
        .flush()
        .map_err(|e| format!("writing the trace: {e}"))
}

/// Every simplification as `area: text`, one paragraph each, for a terminal.
pub fn render_simplifications() -> String {
    let mut out = String::from("What this simulator simplifies:\n");
    for simplification in SIMPLIFICATIONS {
        out.push_str(&format!(
            "\n{}: {}\n",
            simplification.area, simplification.text
        ));
    }
    out
}

/// The type column: AWS's type without `AWS::`; a worker (no AWS resource) in words, as the
/// page says it.
fn kind_text(kind: &str) -> String {
    match kind {
        "Eventyard::Worker" => "Worker (polls a queue)".to_string(),
        other => other.trim_start_matches("AWS::").to_string(),
    }
}

/// The table: one row per resource; "in DLQ" is the depth of a dead-letter queue, or how many
/// messages this resource moved to a dead-letter queue. "empty receives" (ReceiveMessage calls
/// that returned nothing) is shown only when a worker polls or some row counted one: in runs
/// without workers it would be a column of zeros. The page makes the same choice.
pub fn render_table(rows: &[ResourceReport], until_ms: u64) -> String {
    let empty_receives = rows
        .iter()
        .any(|row| row.kind == "Eventyard::Worker" || row.counters.empty_receives > 0);
    let mut headers = vec![
        "resource",
        "type",
        "received",
        "delivered",
        "filtered",
        "failed",
        "in DLQ",
        "left",
    ];
    if empty_receives {
        headers.push("empty receives");
    }
    let mut cells: Vec<Vec<String>> = Vec::new();
    for row in rows {
        let c = &row.counters;
        let mut line = vec![
            row.logical_id.clone(),
            kind_text(row.kind),
            row.received().to_string(),
            c.delivered.to_string(),
            c.filtered.to_string(),
            c.failed.to_string(),
            row.in_dlq().to_string(),
            row.left_in_queue()
                .map_or_else(|| "-".into(), |left| left.to_string()),
        ];
        if empty_receives {
            line.push(c.empty_receives.to_string());
        }
        cells.push(line);
    }
    let mut widths: Vec<usize> = headers.iter().map(|header| header.len()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = format!("virtual time {} ms\n", until_ms);
    let line = |values: Vec<&str>| -> String {
        let mut text = String::new();
        for (i, (value, width)) in values.iter().zip(&widths).enumerate() {
            if i < 2 {
                text.push_str(&format!("{value:<width$}  "));
            } else {
                text.push_str(&format!("{value:>width$}  "));
            }
        }
        text.trim_end().to_string() + "\n"
    };
    out.push_str(&line(headers.clone()));
    for row in &cells {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}
