//! The simulator never panics on a template that loads: presets with a random slice cut out
//! (odd but valid templates: a rule without targets, a queue without its DLQ, a worker without
//! a body...) are run for two virtual minutes with conservation checked at the end.

use eventyard_sim::{JsonLinesSink, Simulator};
use proptest::prelude::*;

const PRESETS: [&str; 7] = [
    include_str!("../../../presets/donut-shop.yaml"),
    include_str!("../../../presets/sync-vs-queue.yaml"),
    include_str!("../../../presets/sns-fanout.yaml"),
    include_str!("../../../presets/dlq-redrive.yaml"),
    include_str!("../../../presets/fifo-ordering.yaml"),
    include_str!("../../../presets/theme-park.yaml"),
    include_str!("../../../presets/short-vs-long-polling.yaml"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_preset_with_a_slice_cut_out_runs_or_is_refused(
        which in 0usize..PRESETS.len(),
        start in 0usize..4000,
        len in 0usize..120,
    ) {
        let preset = PRESETS[which];
        let start = start.min(preset.len());
        let end = (start + len).min(preset.len());
        prop_assume!(preset.is_char_boundary(start) && preset.is_char_boundary(end));
        let text = format!("{}{}", &preset[..start], &preset[end..]);
        let Ok(template) = eventyard_template::load(&text) else {
            return Ok(());
        };
        let Ok(mut sim) = Simulator::new(&template, None) else {
            return Ok(());
        };
        // Payloads and reasons on, so every explanation and payload builder runs too.
        sim.advance_to(120_000, &mut JsonLinesSink::new(std::io::sink()));
        prop_assert!(sim.check_conservation().is_ok(), "{:?}\n{text}", sim.check_conservation());
    }
}
