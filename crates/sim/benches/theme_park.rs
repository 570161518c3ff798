//! 1,000,000 events through the theme-park preset: message hops (trace records) per second,
//! with the trace dropped (NullSink) and with the full trace (payloads and reasons) streamed as
//! JSON Lines to a discarding writer (memory must stay flat). The last line gives both figures
//! of the same run and their ratio: on a shared machine the ratio is the steadier figure. Each
//! run checks its counts, so fast-and-wrong cannot win.
//!
//! Run: `cargo bench -p eventyard-sim --bench theme_park` (EVENTS=n to change the count;
//! SINK=full or SINK=dropped to run one side alone, for a profiler).

use std::time::Instant;

use eventyard_sim::{JsonLinesSink, NullSink, Simulator, TraceSink};
use eventyard_template::{Scripted, Send};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn simulator(events: u64) -> Simulator {
    let text = include_str!("../../../presets/theme-park.yaml");
    let mut template = eventyard_template::load(text).expect("the preset loads");
    let bus = template
        .event_buses
        .iter()
        .find(|b| b.name == "default")
        .expect("default bus")
        .arn
        .clone();
    template.playground.scripted.push(Scripted {
        at_ms: 0,
        every_ms: Some(1),
        count: events,
        send: Send::PutEvents {
            event_bus_arn: bus,
            source: "themepark.rides".into(),
            detail_type: "waitTimes".into(),
            details: vec![
                serde_json::json!({"rideId": "ride-1", "wait": 25, "inService": true}),
                serde_json::json!({"rideId": "ride-2", "wait": 0, "inService": false, "severity": "Warning"}),
                serde_json::json!({"rideId": "ride-3", "wait": 0, "inService": false, "severity": "Emergency"}),
                serde_json::json!({"rideId": "ride-4", "wait": 5, "inService": true}),
            ],
            resources: Vec::new(),
        },
    });
    Simulator::new(&template, Some(1)).expect("the preset compiles")
}

fn run(label: &str, events: u64, sink: &mut dyn TraceSink) -> (u64, f64) {
    let mut sim = simulator(events);
    let until_ms = events + 60_000;
    let started = Instant::now();
    let mut hops = 0u64;
    struct Counting<'a> {
        inner: &'a mut dyn TraceSink,
        hops: u64,
    }
    impl TraceSink for Counting<'_> {
        fn record(&mut self, record: eventyard_sim::TraceRecord) {
            self.hops += 1;
            self.inner.record(record);
        }
        // forwarded, so the inner sink copies the payload text the simulator already wrote,
        // as it does in the CLI (the default would drop the text and serialise the payload)
        fn record_with_payload_text(&mut self, record: eventyard_sim::TraceRecord, text: &str) {
            self.hops += 1;
            self.inner.record_with_payload_text(record, text);
        }
        fn wants_payloads(&self) -> bool {
            self.inner.wants_payloads()
        }
        fn wants_reasons(&self) -> bool {
            self.inner.wants_reasons()
        }
    }
    let mut counting = Counting {
        inner: sink,
        hops: 0,
    };
    sim.advance_to(until_ms, &mut counting);
    hops += counting.hops;
    let seconds = started.elapsed().as_secs_f64();
    // Checks: every event reached the bus; outages were raised for closed rides only.
    let bus = sim.counters("default");
    assert!(
        bus.received >= events,
        "{label}: bus received {}",
        bus.received
    );
    let outages = sim.counters("OutageHandler").received;
    assert!(
        outages > events / 3 && outages < events,
        "{label}: {outages} outages"
    );
    sim.check_conservation().expect("conservation holds");
    println!(
        "{label}: {events} events, {hops} hops in {seconds:.2} s = {:.0} hops/s, {:.0} events/s; peak RSS {} KiB",
        hops as f64 / seconds,
        events as f64 / seconds,
        peak_rss_kib().map_or("?".into(), |k| k.to_string())
    );
    (hops, hops as f64 / seconds)
}

fn main() {
    let events: u64 = std::env::var("EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // SINK=full or SINK=dropped runs one side only (profiling one sink at a time)
    let only = std::env::var("SINK").ok();
    if let Some(only) = only.as_deref() {
        match only {
            "dropped" => run("trace dropped (NullSink)", events, &mut NullSink::default()),
            _ => run(
                "full trace (payloads and reasons) streamed as JSON Lines",
                events,
                &mut JsonLinesSink::new(std::io::sink()),
            ),
        };
        return;
    }
    let mut null = NullSink::default();
    let (a, dropped) = run("trace dropped (NullSink)", events, &mut null);
    let mut streamed = JsonLinesSink::new(std::io::sink());
    let (b, full) = run(
        "full trace (payloads and reasons) streamed as JSON Lines",
        events,
        &mut streamed,
    );
    assert_eq!(a, b, "the same run records the same hops whatever the sink");
    println!(
        "hops/s with the full trace: {full:.0}; with the trace dropped: {dropped:.0} (full ÷ dropped = {:.2})",
        full / dropped
    );
}
