//! The citylots bench binary: event-ruler's and quamina's standard workload, run by the
//! procedure of `shared/bench/README.md` (summarised below).
//!
//! For each category: one `Machine` with all its patterns (compilation not timed); the event
//! file fully in memory, one byte string per line; one warm-up pass, then N measured passes
//! (5 by default); a pass matches every line in file order on one thread and counts the names
//! returned; events/s = lines / time of the pass; the median pass is reported. Every pattern's
//! count must equal `workload.json`, else the figure is marked VOID. The baseline, a full
//! `serde_json::Value` parse of the same lines, is measured in the same run, per event file,
//! before and after the categories (the two medians are averaged), and every figure is also
//! given as a multiple of it (context only: this workspace's serde_json has `preserve_order`,
//! which makes the parse ~20 % slower and every "× parse" flattering).
//!
//! The figure that counts is the side-by-side one: quamina-rs (the `quamina` crate, a
//! bench-only dev-dependency) runs every category whose patterns it accepts, called as its
//! README and its own citylots benchmark call it (`matches_for_event` per line, numeric ids),
//! its passes interleaved with the Machine's (Machine, quamina-rs, Machine, ...), its counts
//! checked against `workload.json` too; the ratio printed is the median of the per-pair
//! ratios, so load from other processes on a shared machine hits both sides of a pair alike.
//!
//! Run: `cargo bench -p eventyard-pattern --bench citylots -- [--passes N] [--only NAME,...]
//! [--no-scaling] [--no-categories] [--no-quamina] [--no-stop-early] [--no-baseline] [--probes]
//! [--first N]`. The event files are read from `$EVENTYARD_BENCH_DATA` or
//! `<workspace>/bench-data`; when absent, this binary runs `shared/bench/make-data.sh` into
//! that folder (about 40 s), or says how to.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eventyard_pattern::machine::MatchScratch;
use eventyard_pattern::{EventPattern, Machine};

/// The workload's pattern sets and expected counts are read from `shared/bench/` beside the
/// project (or `$EVENTYARD_BENCH_SPEC`), never copied into it, so they cannot drift.
fn bench_spec(file: &str) -> String {
    let dir = std::env::var_os("EVENTYARD_BENCH_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/bench"));
    let path = dir.join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the citylots workload lives in shared/bench/ beside the project \
             (or set EVENTYARD_BENCH_SPEC)",
            path.display()
        )
    })
}

/// quamina-only operators, not EventBridge: reported as unsupported.
const NOT_EVENTBRIDGE: [&str; 2] = ["SHELLSTYLE", "REGEXP"];

struct Options {
    passes: usize,
    only: Option<Vec<String>>,
    categories: bool,
    scaling: bool,
    /// use only the first N lines (development runs; match counts then do not count)
    first: Option<usize>,
    /// also run the probes that show where the time goes
    probes: bool,
    /// skip the parse baseline (for profiling the matcher alone; ratios are then missing)
    baseline: bool,
    /// run quamina-rs beside the Machine where it accepts the category's patterns
    quamina: bool,
    /// also run the Machine's opt-in early stop (`try_matching_ids_stop_early`), a third side
    /// of each interleaved pair, reported in columns of its own
    stop_early: bool,
}

fn options() -> Options {
    let mut o = Options {
        passes: 5,
        only: None,
        categories: true,
        scaling: true,
        baseline: true,
        probes: false,
        first: None,
        quamina: true,
        stop_early: true,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--passes" => {
                i += 1;
                o.passes = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
            }
            "--only" => {
                i += 1;
                o.only = args
                    .get(i)
                    .map(|s| s.split(',').map(str::to_string).collect());
            }
            "--no-scaling" => o.scaling = false,
            "--no-categories" => o.categories = false,
            "--no-baseline" => o.baseline = false,
            "--no-quamina" => o.quamina = false,
            "--no-stop-early" => o.stop_early = false,
            // skip unread containers with SSE2 even where AVX2 exists (x86_64)
            "--sse2" => eventyard_pattern::machine::prefer_sse2_skipping(true),
            "--probes" => o.probes = true,
            "--first" => {
                i += 1;
                o.first = args.get(i).and_then(|s| s.parse().ok());
            }
            _ => {} // `cargo bench` adds `--bench`
        }
        i += 1;
    }
    o
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data_dir() -> PathBuf {
    std::env::var_os("EVENTYARD_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("bench-data"))
}

/// An event file in memory: one byte string per line, all in one buffer, in file order (as a
/// streaming reader would see them).
struct Lines {
    text: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Lines {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let (start, end) = self.spans[i];
        &self.text[start..end]
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans
            .iter()
            .map(|&(start, end)| &self.text[start..end])
    }

    fn first(&self, n: usize) -> Lines {
        let end = self
            .spans
            .get(n.min(self.len()).saturating_sub(1))
            .map_or(0, |s| s.1);
        Lines {
            text: self.text[..end].to_vec(),
            spans: self.spans.iter().copied().take(n).collect(),
        }
    }
}

/// The lines of one event file, generating the files first when they are missing.
fn load_lines(file: &str) -> Lines {
    let dir = data_dir();
    let path = dir.join(file);
    if !path.exists() {
        let script = workspace_root().join("../shared/bench/make-data.sh");
        eprintln!("{} missing: running {}", path.display(), script.display());
        let ok = std::process::Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!(
                "could not build the citylots data: run `bash shared/bench/make-data.sh {}` \
                 (or set EVENTYARD_BENCH_DATA to a folder holding {file})",
                dir.display()
            );
            std::process::exit(2);
        }
    }
    let gz = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::io::BufReader::new(gz))
        .read_to_end(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            if i > start {
                spans.push((start, i));
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        spans.push((start, text.len()));
    }
    Lines { text, spans }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Warm-up + `passes` timed passes of `f`; returns the median and the last pass's result.
fn measure<T>(passes: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = f();
    let mut times = Vec::with_capacity(passes);
    for _ in 0..passes {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed());
    }
    (median(times), last)
}

fn parse_pass(lines: &Lines) -> usize {
    let mut objects = 0;
    for line in lines.iter() {
        if let Ok(serde_json::Value::Object(_)) = serde_json::from_slice(line) {
            objects += 1;
        }
    }
    objects
}

fn match_pass(machine: &Machine, lines: &Lines, counts: &mut [u64]) {
    counts.iter_mut().for_each(|c| *c = 0);
    let mut scratch = MatchScratch::default();
    for line in lines.iter() {
        for &rule in machine.matching_ids(line, &mut scratch) {
            counts[rule as usize] += 1;
        }
    }
}

/// A pass with the opt-in early stop: correct here because every line is serde-style output
/// (well-formed, no repeated key, no dotted key), the promise that entry point needs.
fn stop_early_pass(machine: &Machine, lines: &Lines, counts: &mut [u64]) {
    counts.iter_mut().for_each(|c| *c = 0);
    let mut scratch = MatchScratch::default();
    for line in lines.iter() {
        if let Ok(ids) = machine.try_matching_ids_stop_early(line, &mut scratch) {
            for &rule in ids {
                counts[rule as usize] += 1;
            }
        }
    }
}

/// One pass of quamina-rs over every line, called as its README and its own citylots
/// benchmark do: `matches_for_event` per line, pattern ids numeric.
fn quamina_pass(q: &quamina::Quamina<usize>, lines: &Lines, counts: &mut [u64]) {
    counts.iter_mut().for_each(|c| *c = 0);
    for line in lines.iter() {
        if let Ok(ids) = q.matches_for_event(line) {
            for id in ids {
                if let Some(c) = counts.get_mut(id) {
                    *c += 1;
                }
            }
        }
    }
}

fn rate(lines: usize, d: Duration) -> f64 {
    lines as f64 / d.as_secs_f64()
}

struct Baseline {
    before: Duration,
    after: Duration,
}

impl Baseline {
    fn rate(&self, lines: usize) -> f64 {
        rate(lines, (self.before + self.after) / 2)
    }
}

fn main() {
    let o = options();
    let patterns: serde_json::Value =
        serde_json::from_str(&bench_spec("patterns.json")).expect("patterns.json");
    let workload: serde_json::Value =
        serde_json::from_str(&bench_spec("workload.json")).expect("workload.json");
    let categories = workload["categories"]
        .as_array()
        .expect("categories")
        .clone();
    println!(
        "citylots bench: {} measured passes after one warm-up, median reported",
        o.passes
    );

    if o.categories {
        let mut files: Vec<String> = categories
            .iter()
            .map(|c| c["event_file"].as_str().unwrap_or_default().to_string())
            .collect();
        files.dedup();
        for file in files {
            let mut lines = load_lines(&file);
            if let Some(n) = o.first {
                lines = lines.first(n);
            }
            // the parse, measured before and after the categories (context only; None with
            // --no-baseline, and then nothing is printed as if it had been measured)
            let baseline = |o: &Options| {
                o.baseline.then(|| {
                    let (time, objects) = measure(o.passes, || parse_pass(&lines));
                    assert_eq!(
                        objects,
                        lines.len(),
                        "every line of {file} is a JSON object"
                    );
                    time
                })
            };
            let before = baseline(&o);
            let mut rows = Vec::new();
            if o.only.is_none() || o.probes {
                rows.extend(probes(&lines, o.passes));
            }
            for c in categories
                .iter()
                .filter(|c| c["event_file"] == file.as_str())
            {
                let name = c["name"].as_str().unwrap_or_default();
                if o.only
                    .as_ref()
                    .is_some_and(|only| !only.iter().any(|n| n == name))
                {
                    continue;
                }
                rows.push(run_category(name, c, &patterns, &lines, &o));
            }
            let parse_rate = match (before, baseline(&o)) {
                (Some(before), Some(after)) => {
                    let rate_of = Baseline { before, after }.rate(lines.len());
                    println!();
                    println!(
                        "{file}: {} lines; serde_json::Value parse {:.0} events/s (before {:.0}, after {:.0})",
                        lines.len(),
                        rate_of,
                        rate(lines.len(), before),
                        rate(lines.len(), after)
                    );
                    Some(rate_of)
                }
                _ => {
                    println!();
                    println!(
                        "{file}: {} lines; parse baseline not measured (--no-baseline)",
                        lines.len()
                    );
                    None
                }
            };
            println!(
                "| category | Eventyard events/s | quamina-rs events/s | Eventyard ÷ quamina-rs \
                 (median of {} interleaved pairs) | counts | Eventyard × parse | opt-in early \
                 stop (trusted input) events/s | early stop ÷ quamina-rs |",
                o.passes
            );
            println!("|---|---:|---:|---:|---|---:|---:|---:|");
            for row in rows {
                match row {
                    Row::Measured {
                        name,
                        time,
                        ok,
                        quamina,
                        early,
                    } => {
                        let r = rate(lines.len(), time);
                        let (q_rate, ratio, counts) = match quamina {
                            Some(q) => (
                                format!("{:.0}", rate(lines.len(), q.time)),
                                format!("{:.2}", q.ratio),
                                match (ok, q.ok) {
                                    (true, true) => "exact (both)".to_string(),
                                    (m, q) => format!(
                                        "VOID: counts differ ({})",
                                        if !m && !q {
                                            "both"
                                        } else if !m {
                                            "Eventyard"
                                        } else {
                                            "quamina-rs"
                                        }
                                    ),
                                },
                            ),
                            None => (
                                "NA".to_string(),
                                "NA".to_string(),
                                if ok { "exact" } else { "VOID: counts differ" }.to_string(),
                            ),
                        };
                        let (e_rate, e_ratio) = match &early {
                            Some(e) => (
                                format!(
                                    "{:.0}{}",
                                    rate(lines.len(), e.time),
                                    if e.ok { "" } else { " VOID" }
                                ),
                                e.ratio.map_or("NA".to_string(), |x| format!("{x:.2}")),
                            ),
                            None => ("NA".to_string(), "NA".to_string()),
                        };
                        let times_parse =
                            parse_rate.map_or("NA".to_string(), |p| format!("{:.2}", r / p));
                        println!(
                            "| {name} | {r:.0} | {q_rate} | {ratio} | {counts} | {times_parse} | {e_rate} | {e_ratio} |"
                        );
                    }
                    Row::Unsupported { name, reason } => {
                        println!("| {name} | NA | NA | NA | unsupported: {reason} | NA |")
                    }
                }
            }
        }
    }
    if o.scaling {
        scaling(o.passes);
    }
}

/// Where the time goes: an empty machine (the scanner skips each whole line: the floor of any
/// pattern set) and one exact rule on a field at the start of every line.
fn probes(lines: &Lines, passes: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut counts = Vec::new();
    let empty = Machine::new();
    let (time, ()) = measure(passes, || match_pass(&empty, lines, &mut counts));
    rows.push(Row::Measured {
        name: "(probe) no rules: scan and skip every line".to_string(),
        time,
        ok: true,
        quamina: None,
        early: None,
    });
    let mut one = Machine::new();
    let p = EventPattern::parse(r#"{"type": ["Feature"]}"#).expect("probe pattern");
    one.add_rule("r0", &p);
    let mut counts = vec![0u64; 1];
    let (time, ()) = measure(passes, || match_pass(&one, lines, &mut counts));
    rows.push(Row::Measured {
        name: "(probe) one exact rule on the first field".to_string(),
        time,
        ok: counts[0] == lines.len() as u64,
        quamina: None,
        early: None,
    });
    rows
}

enum Row {
    Measured {
        name: String,
        time: Duration,
        ok: bool,
        /// quamina-rs on the same lines, passes interleaved with the Machine's
        quamina: Option<Beside>,
        /// the opt-in early stop, interleaved too
        early: Option<Early>,
    },
    Unsupported {
        name: String,
        reason: String,
    },
}

/// quamina-rs measured beside the Machine.
struct Beside {
    /// median pass
    time: Duration,
    /// every pattern's count equals `workload.json`
    ok: bool,
    /// median over the passes of (quamina-rs pass time ÷ Machine pass time), each pair run
    /// back to back, so load from other processes hits both sides of a pair alike
    ratio: f64,
}

/// The Machine's opt-in early stop measured in the same pairs.
struct Early {
    time: Duration,
    ok: bool,
    /// median of (quamina-rs pass time ÷ early-stop pass time), when quamina-rs ran
    ratio: Option<f64>,
}

/// quamina-rs with the category's patterns (ids = pattern positions), or None when it rejects
/// one of them (it lacks most anything-but and ignore-case operators).
fn quamina_for(texts: &[&str]) -> Option<quamina::Quamina<usize>> {
    let mut q = quamina::Quamina::<usize>::new();
    for (i, text) in texts.iter().enumerate() {
        if let Err(e) = q.add_pattern(i, text) {
            eprintln!("quamina-rs rejects pattern r{i}: {e}");
            return None;
        }
    }
    Some(q)
}

fn run_category(
    name: &str,
    category: &serde_json::Value,
    patterns: &serde_json::Value,
    lines: &Lines,
    o: &Options,
) -> Row {
    let texts: Vec<&str> = patterns[name]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
        .unwrap_or_default();
    let mut machine = Machine::new();
    for (i, text) in texts.iter().enumerate() {
        match EventPattern::parse(text) {
            Ok(p) => machine.add_rule(&format!("r{i}"), &p),
            Err(e) => {
                let reason = if NOT_EVENTBRIDGE.contains(&name) {
                    format!("not an EventBridge operator ({e})")
                } else {
                    e.to_string()
                };
                return Row::Unsupported {
                    name: name.to_string(),
                    reason,
                };
            }
        }
    }
    let expected: Vec<u64> = category["expected_per_pattern"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
        .unwrap_or_default();
    let q = if o.quamina { quamina_for(&texts) } else { None };
    let mut counts = vec![0u64; machine.rule_count()];
    let mut q_counts = vec![0u64; texts.len()];
    // one warm-up pass each, then the measured passes interleaved: Machine, quamina-rs, ...
    match_pass(&machine, lines, &mut counts);
    if let Some(q) = &q {
        quamina_pass(q, lines, &mut q_counts);
    }
    let mut times = Vec::with_capacity(o.passes);
    let mut q_times = Vec::with_capacity(o.passes);
    let mut ratios = Vec::with_capacity(o.passes);
    let mut e_counts = vec![0u64; machine.rule_count()];
    let mut e_times = Vec::with_capacity(o.passes);
    let mut e_ratios = Vec::with_capacity(o.passes);
    if o.stop_early {
        stop_early_pass(&machine, lines, &mut e_counts);
    }
    for _ in 0..o.passes {
        let t = Instant::now();
        match_pass(&machine, lines, &mut counts);
        let m = t.elapsed();
        times.push(m);
        let mut e = None;
        if o.stop_early {
            let t = Instant::now();
            stop_early_pass(&machine, lines, &mut e_counts);
            let et = t.elapsed();
            e_times.push(et);
            e = Some(et);
        }
        if let Some(q) = &q {
            let t = Instant::now();
            quamina_pass(q, lines, &mut q_counts);
            let qt = t.elapsed();
            q_times.push(qt);
            ratios.push(qt.as_secs_f64() / m.as_secs_f64());
            if let Some(et) = e {
                e_ratios.push(qt.as_secs_f64() / et.as_secs_f64());
            }
        }
    }
    let early = o.stop_early.then(|| {
        let e_ok = e_counts == expected;
        if !e_ok {
            eprintln!("{name}: early-stop counts {e_counts:?}, expected {expected:?}");
        }
        e_ratios.sort_by(f64::total_cmp);
        Early {
            time: median(e_times.clone()),
            ok: e_ok,
            ratio: e_ratios.get(e_ratios.len() / 2).copied(),
        }
    });
    let time = median(times);
    // rule ids follow insertion order, so id i is "r{i}"
    let ok = counts == expected;
    if !ok {
        eprintln!("{name}: counts {counts:?}, expected {expected:?}");
    }
    let beside = q.map(|_| {
        let q_ok = q_counts == expected;
        if !q_ok {
            eprintln!("{name}: quamina-rs counts {q_counts:?}, expected {expected:?}");
        }
        ratios.sort_by(f64::total_cmp);
        Beside {
            time: median(q_times),
            ok: q_ok,
            ratio: ratios[ratios.len() / 2],
        }
    });
    eprintln!(
        "{name}: {:.0} events/s{}{}",
        rate(lines.len(), time),
        if ok { "" } else { " VOID" },
        beside.as_ref().map_or(String::new(), |b| format!(
            "; quamina-rs {:.0} events/s{}; ratio {:.2}",
            rate(lines.len(), b.time),
            if b.ok { "" } else { " VOID" },
            b.ratio
        ))
    );
    Row::Measured {
        name: name.to_string(),
        time,
        ok,
        quamina: beside,
        early,
    }
}

/// Synthetic rule sets of growing size over the citylots2 fields: exact lot numbers, street
/// prefixes, narrow longitude bands and two-field conjunctions, a quarter each.
fn scaling_rules(lines: &Lines, n: usize) -> Vec<String> {
    let mut rules = Vec::with_capacity(n);
    let mut i = 0usize;
    while rules.len() < n {
        let line = lines.get((i * 7919) % lines.len());
        let v: serde_json::Value = serde_json::from_slice(line).expect("event");
        let p = &v["properties"];
        let text = match i % 4 {
            0 => format!(r#"{{"properties":{{"MAPBLKLOT":[{}]}}}}"#, p["MAPBLKLOT"]),
            1 => {
                let street = p["STREET"].as_str().unwrap_or("A");
                let prefix: String = street.chars().take(1 + i % 5).collect();
                format!(
                    r#"{{"properties":{{"STREET":[{{"prefix":{}}}]}}}}"#,
                    serde_json::json!(prefix)
                )
            }
            2 => {
                let x = v["geometry"]["firstCoordinates"]["x"]
                    .as_f64()
                    .unwrap_or(-122.4);
                format!(
                    r#"{{"geometry":{{"firstCoordinates":{{"x":[{{"numeric":[">=",{:.6},"<",{:.6}]}}]}}}}}}"#,
                    x - 0.00001,
                    x + 0.00001
                )
            }
            _ => format!(
                r#"{{"properties":{{"STREET":[{}],"ST_TYPE":[{}]}}}}"#,
                p["STREET"], p["ST_TYPE"]
            ),
        };
        rules.push(text);
        i += 1;
    }
    rules
}

fn scaling(passes: usize) {
    let lines = load_lines("citylots2.synth.json.gz");
    let sample = lines.first(50_000);
    println!();
    println!(
        "time per event by rule count ({} events of citylots2, median of {passes} passes)",
        sample.len()
    );
    println!("| rules | compile | ns/event | matches/pass |");
    println!("|---:|---:|---:|---:|");
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let texts = scaling_rules(&lines, n);
        let parsed: Vec<EventPattern> = texts
            .iter()
            .map(|t| EventPattern::parse(t).unwrap_or_else(|e| panic!("{t}: {e}")))
            .collect();
        let t = Instant::now();
        let mut machine = Machine::new();
        for (i, p) in parsed.iter().enumerate() {
            machine.add_rule(&format!("s{i}"), p);
        }
        let compile = t.elapsed();
        let mut counts = vec![0u64; machine.rule_count()];
        let (time, ()) = measure(passes, || match_pass(&machine, &sample, &mut counts));
        let total: u64 = counts.iter().sum();
        println!(
            "| {n} | {:.1} ms | {:.0} | {total} |",
            compile.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e9 / sample.len() as f64
        );
    }
}
