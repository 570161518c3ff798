//! Fuzzes the simulator: a template the fuzzer mutates (seeded with the presets) is loaded and,
//! when it loads, run for two virtual minutes with the trace streamed as JSON Lines, then
//! checked for conservation (every message in exactly one place). Any panic, stack overflow or
//! conservation failure is a bug.
#![no_main]

use eventyard_sim::{JsonLinesSink, Simulator};
use libfuzzer_sys::fuzz_target;

/// Virtual time each input runs for, and a cap on steps so one input cannot run for long.
const RUN_MS: u64 = 120_000;
const MAX_STEPS: usize = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(template) = eventyard_template::load(text) else {
        return;
    };
    let Ok(mut sim) = Simulator::new(&template, None) else {
        return;
    };
    let mut sink = JsonLinesSink::new(std::io::sink());
    let until = sim.now_ms().saturating_add(RUN_MS);
    let _ = sim.run_slice(until, MAX_STEPS, &mut sink);
    if let Err(problem) = sim.check_conservation() {
        panic!("conservation: {problem}");
    }
});
