//! The same template and seed give a byte-identical trace natively and in wasm.
//!
//! Both builds run the presets and compare a digest of the whole JSON Lines trace (payloads
//! included) with `tests/golden/traces.txt`, so a native run and a wasm run that both pass
//! produced the same bytes:
//! - natively: `cargo test -p eventyard-sim --test trace_golden`
//! - in wasm (Node): `cargo test -p eventyard-sim --target wasm32-unknown-unknown --test trace_golden`
//!
//! When the trace changes on purpose, rewrite the file natively with `EVENTYARD_BLESS=1` and
//! review the diff of the trace itself (`eventyard run ... --trace`) before committing it.

use eventyard_sim::{Fnv1a64, JsonLinesSink, Simulator};

/// The presets whose traces are pinned, and how long each runs (virtual time).
const PRESETS: [(&str, &str, u64); 8] = [
    (
        "dlq-redrive",
        include_str!("../../../presets/dlq-redrive.yaml"),
        10 * 60 * 1000,
    ),
    (
        "donut-shop",
        include_str!("../../../presets/donut-shop.yaml"),
        10 * 60 * 1000,
    ),
    (
        "fifo-ordering",
        include_str!("../../../presets/fifo-ordering.yaml"),
        10 * 60 * 1000,
    ),
    (
        "sns-fanout",
        include_str!("../../../presets/sns-fanout.yaml"),
        10 * 60 * 1000,
    ),
    (
        "sync-vs-queue",
        include_str!("../../../presets/sync-vs-queue.yaml"),
        10 * 60 * 1000,
    ),
    (
        "theme-park",
        include_str!("../../../presets/theme-park.yaml"),
        10 * 60 * 1000,
    ),
    (
        "short-vs-long-polling",
        include_str!("../../../presets/short-vs-long-polling.yaml"),
        10 * 60 * 1000,
    ),
    (
        "admin-routes",
        include_str!("../../../presets/admin-routes.yaml"),
        10 * 60 * 1000,
    ),
];

const GOLDEN: &str = include_str!("golden/traces.txt");

/// One line of the golden file: the preset, how long it ran, and what its trace was.
fn digest_line(name: &str, text: &str, until_ms: u64) -> String {
    let template =
        eventyard_template::load(text).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
    let mut simulator =
        Simulator::new(&template, None).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
    let mut sink = JsonLinesSink::new(Vec::new());
    simulator.advance_to(until_ms, &mut sink);
    assert!(sink.error.is_none(), "{name}: {:?}", sink.error);
    let trace = sink.writer;
    let records = trace.iter().filter(|byte| **byte == b'\n').count();
    assert!(records > 0, "{name}: the trace is empty");
    format!(
        "{name} until_ms={until_ms} records={records} bytes={} fnv1a64={:016x}",
        trace.len(),
        Fnv1a64::of(&trace)
    )
}

fn digests() -> String {
    PRESETS
        .iter()
        .map(|(name, text, until_ms)| digest_line(name, text, *until_ms) + "\n")
        .collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn preset_traces_are_byte_identical_to_the_golden_digests() {
    let actual = digests();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("EVENTYARD_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/traces.txt");
        std::fs::write(path, &actual).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    assert_eq!(
        actual, GOLDEN,
        "the trace changed; if on purpose, bless it (see this file's doc)"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_second_run_in_the_same_process_gives_the_same_trace() {
    assert_eq!(digests(), digests());
}
