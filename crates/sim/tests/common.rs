//! Shared helpers for the scenario tests: load a preset, run it, keep its trace.

#![allow(dead_code)]

use eventyard_sim::{Simulator, TraceAction, TraceRecord, VecSink};

pub fn preset(name: &str) -> String {
    let path = format!("{}/../../presets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn simulator(text: &str) -> Simulator {
    let template = eventyard_template::load(text).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    Simulator::new(&template, None).unwrap_or_else(|errors| panic!("{errors:?}"))
}

/// Run until `until_ms`, checking conservation after every step.
pub fn run_checked(sim: &mut Simulator, until_ms: u64) -> Vec<TraceRecord> {
    let mut sink = VecSink::default();
    while sim.next_happening_ms().is_some_and(|t| t <= until_ms) {
        sim.step(&mut sink);
        if let Err(problem) = sim.check_conservation() {
            panic!("conservation broken at {} ms: {problem}", sim.now_ms());
        }
    }
    sim.advance_to(until_ms, &mut sink);
    sink.records
}

pub fn count(records: &[TraceRecord], resource: &str, action: TraceAction) -> usize {
    records
        .iter()
        .filter(|r| &*r.resource == resource && r.action == action)
        .count()
}

pub fn of<'a>(
    records: &'a [TraceRecord],
    resource: &str,
    action: TraceAction,
) -> Vec<&'a TraceRecord> {
    records
        .iter()
        .filter(|r| &*r.resource == resource && r.action == action)
        .collect()
}
