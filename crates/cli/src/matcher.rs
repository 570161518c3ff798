//! `eventyard match`: grep for events. Compiles every rule of `rules.json` into one
//! [`Machine`] (the engine the playground runs) and streams JSON Lines events through it.
//!
//! Output: one line per event with the names of the matching rules in `rules.json` order
//! (`["r0","r3"]`), or `null` for a line that is not a JSON event (with a message on stderr);
//! with `--count`, only one `{"rule": name, "count": n}` line per rule at the end. Blank lines
//! are skipped. Memory stays constant: events are matched in place in one reused 1 MiB read
//! buffer (grown only for a longer line), with one reused match scratch and 64 KiB of
//! buffered output. Exit status: 0, or 1 when some lines were
//! not JSON events, 2 when the rules cannot be used.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use eventyard_pattern::json::{self, Duplicates, JsonValue};
use eventyard_pattern::machine::MatchScratch;
use eventyard_pattern::{Dialect, EventPattern, Machine};

#[derive(clap::Args)]
pub struct MatchArgs {
    /// A JSON object mapping rule names to event patterns (objects, or pattern strings).
    #[arg(long, value_name = "rules.json")]
    rules: PathBuf,
    /// Print one total per rule at the end instead of one line per event.
    #[arg(long)]
    count: bool,
    /// JSON Lines files of events; standard input when none is given (or for `-`).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(args: MatchArgs) -> ExitCode {
    let machine = match load_rules(&args.rules) {
        Ok(m) => m,
        Err(message) => {
            eprintln!("eventyard match: {message}");
            return ExitCode::from(2);
        }
    };
    match stream(&machine, &args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        // a closed pipe (`| head`) is a normal end for a filter
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eventyard match: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads `rules.json` and compiles it. Object patterns keep their exact text (number tokens,
/// duplicate keys) by slicing the source, since validation depends on it.
pub(crate) fn load_rules(path: &std::path::Path) -> Result<Machine, String> {
    let shown = path.display();
    let raw = path.to_string_lossy();
    let path = raw
        .strip_prefix("file://")
        .map(PathBuf::from)
        .unwrap_or(path.to_path_buf());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{shown}: {e}"))?;
    let document = json::parse_with(&text, Duplicates::Keep)
        .map_err(|e| format!("{shown}: not valid JSON: {e}"))?;
    let JsonValue::Object(members) = &document.value else {
        return Err(format!(
            "{shown}: must be a JSON object mapping rule names to patterns"
        ));
    };
    let mut machine = Machine::new();
    let mut seen = std::collections::HashSet::new();
    for member in members {
        let name = &member.key;
        if !seen.insert(name.as_str()) {
            return Err(format!("{shown}: rule \"{name}\" is defined twice"));
        }
        let pattern_text = match &member.value.value {
            JsonValue::String(s) => s.clone(),
            JsonValue::Object(_) => text
                .get(member.value.span.start..member.value.span.end)
                .unwrap_or_default()
                .to_string(),
            other => {
                return Err(format!(
                    "{shown}: rule \"{name}\": the pattern must be an object or a string, not {}",
                    other.type_name()
                ))
            }
        };
        let pattern = EventPattern::parse(&pattern_text).map_err(|e| {
            format!(
                "{shown}: rule \"{name}\": {}",
                e.message_for(Dialect::EventBridge)
            )
        })?;
        machine.add_rule(name, &pattern);
    }
    Ok(machine)
}

/// Streams every source through the machine; returns how many lines were not JSON events.
fn stream(machine: &Machine, args: &MatchArgs) -> io::Result<usize> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    // each rule name, JSON-encoded once
    let names: Vec<Vec<u8>> = (0..machine.rule_count() as u32)
        .map(|id| serde_json::to_vec(machine.rule_name(id)).unwrap_or_default())
        .collect();
    let mut counts = vec![0u64; names.len()];
    let mut scratch = MatchScratch::default();
    let mut bad = 0usize;
    let stdin_only = [PathBuf::from("-")];
    let sources = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    for source in sources {
        let mut input: Box<dyn Read> = if source.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(
                File::open(source)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", source.display())))?,
            )
        };
        let mut lines = Lines::new();
        let mut number = 0u64;
        while let Some(line) = lines.next(&mut input)? {
            number += 1;
            let event = trim(line);
            if event.is_empty() {
                continue;
            }
            match machine.try_matching_ids(event, &mut scratch) {
                Ok(ids) => {
                    if args.count {
                        for &id in ids {
                            if let Some(c) = counts.get_mut(id as usize) {
                                *c += 1;
                            }
                        }
                    } else {
                        out.write_all(b"[")?;
                        for (i, &id) in ids.iter().enumerate() {
                            if i > 0 {
                                out.write_all(b",")?;
                            }
                            out.write_all(names.get(id as usize).map_or(&[][..], |n| n))?;
                        }
                        out.write_all(b"]\n")?;
                    }
                }
                Err(e) => {
                    bad += 1;
                    eprintln!("eventyard match: {}:{number}: {e}", source.display());
                    if !args.count {
                        out.write_all(b"null\n")?;
                    }
                }
            }
        }
    }
    if args.count {
        for (name, count) in names.iter().zip(&counts) {
            out.write_all(b"{\"rule\":")?;
            out.write_all(name)?;
            writeln!(out, ",\"count\":{count}}}")?;
        }
    }
    out.flush()?;
    Ok(bad)
}

/// Lines read in large blocks and handed out in place (no copy per line): the buffer holds
/// whole lines plus the start of the next; a line longer than the buffer grows it.
struct Lines {
    buffer: Vec<u8>,
    /// bytes of `buffer` holding data
    filled: usize,
    /// start of the next line in `buffer`
    at: usize,
    /// bytes from `at` already searched for a line end (a long line arriving in small reads
    /// is searched once, not once per read)
    searched: usize,
    eof: bool,
}

impl Lines {
    const BLOCK: usize = 1024 * 1024;

    fn new() -> Lines {
        Lines {
            buffer: vec![0; Lines::BLOCK],
            filled: 0,
            at: 0,
            searched: 0,
            eof: false,
        }
    }

    /// The next line without its `\n`, or None at the end of the input.
    fn next(&mut self, input: &mut dyn Read) -> io::Result<Option<&[u8]>> {
        loop {
            let unsearched = self
                .buffer
                .get(self.at + self.searched..self.filled)
                .unwrap_or(&[]);
            if let Some(n) = memchr::memchr(b'\n', unsearched) {
                let start = self.at;
                let end = self.at + self.searched + n;
                self.at = end + 1;
                self.searched = 0;
                return Ok(self.buffer.get(start..end));
            }
            self.searched = self.filled - self.at;
            if self.eof {
                if self.at < self.filled {
                    let start = self.at;
                    self.at = self.filled;
                    self.searched = 0;
                    return Ok(self.buffer.get(start..self.filled));
                }
                return Ok(None);
            }
            // keep the partial line, make room, read more
            if self.at > 0 {
                self.buffer.copy_within(self.at..self.filled, 0);
                self.filled -= self.at;
                self.at = 0;
            }
            if self.filled == self.buffer.len() {
                self.buffer.resize(self.buffer.len() * 2, 0);
            }
            let read = match input.read(self.buffer.get_mut(self.filled..).unwrap_or(&mut [])) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if read == 0 {
                self.eof = true;
            }
            self.filled += read;
        }
    }
}

/// The line without surrounding whitespace (and its `\r\n`).
fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    line.get(start..end).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read, like a pipe.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn all_lines(data: &[u8], step: usize) -> Vec<Vec<u8>> {
        let mut input = Trickle { data, step };
        let mut lines = Lines::new();
        let mut out = Vec::new();
        while let Some(line) = lines.next(&mut input).unwrap() {
            out.push(line.to_vec());
        }
        out
    }

    #[test]
    fn lines_across_reads_and_longer_than_the_buffer() {
        let long = "x".repeat(3 * Lines::BLOCK);
        let text = format!("a\n\nbc\r\n{long}\nlast");
        for step in [4096, 65536, usize::MAX] {
            let got = all_lines(text.as_bytes(), step);
            assert_eq!(got.len(), 5, "step {step}");
            assert_eq!(got[0], b"a");
            assert_eq!(got[1], b"");
            assert_eq!(trim(&got[2]), b"bc");
            assert_eq!(got[3].len(), long.len());
            assert_eq!(got[4], b"last");
        }
        for step in [1, 2, 7] {
            let got = all_lines(b"ab\ncd\r\n\nefg", step);
            assert_eq!(
                got,
                vec![b"ab".to_vec(), b"cd\r".to_vec(), vec![], b"efg".to_vec()]
            );
        }
        assert!(all_lines(b"", 10).is_empty());
        assert_eq!(all_lines(b"one\n", 10), vec![b"one".to_vec()]);
    }
}
