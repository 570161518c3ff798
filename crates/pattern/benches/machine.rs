//! Criterion benchmarks of the [`Machine`] on built-in citylots-shaped events, so they run
//! anywhere without the data files: matching per rule count, the scanner alone, the parse
//! baseline, and compiling 10,000 rules. The citylots figures come from `benches/citylots.rs`.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use eventyard_pattern::machine::MatchScratch;
use eventyard_pattern::{EventPattern, Machine};

/// A citylots2-shaped event (~900 bytes): properties first, then a polygon.
fn event(i: usize) -> String {
    let points: Vec<String> = (0..14)
        .map(|k| {
            format!(
                r#"{{"x":-122.{:014},"y":37.{:014},"z":0}}"#,
                (i * 7919 + k * 104729) % 100_000_000_000_000,
                (i * 104729 + k * 7919) % 100_000_000_000_000
            )
        })
        .collect();
    format!(
        r#"{{"type":"Feature","properties":{{"MAPBLKLOT":"{:07}","BLKLOT":"{:07}","BLOCK_NUM":"{}","LOT_NUM":"{:03}","FROM_ST":"{}","TO_ST":"{}","STREET":"{}","ST_TYPE":"ST","ODD_EVEN":"O"}},"geometry":{{"type":"Polygon","coordinates":[[{}]],"firstCoordinates":{}}}}}"#,
        i % 9_999_999,
        i % 9_999_999,
        i % 9999,
        i % 999,
        i % 3000,
        i % 3000 + 10,
        ["MARKET", "MASON", "FULTON", "BEACH", "HYDE"][i % 5],
        points.join(","),
        points[0]
    )
}

fn rules(n: usize) -> Vec<EventPattern> {
    (0..n)
        .map(|i| {
            let text = match i % 3 {
                0 => format!(r#"{{"properties": {{"MAPBLKLOT": ["{:07}"]}}}}"#, i * 31 % 9_999_999),
                1 => format!(r#"{{"properties": {{"STREET": [{{"prefix": "{}"}}]}}}}"#, ["MA", "FU", "BE", "HY"][i % 4]),
                _ => format!(
                    r#"{{"geometry": {{"firstCoordinates": {{"x": [{{"numeric": [">", -122.{:06}, "<=", -122.{:06}]}}]}}}}}}"#,
                    i % 1_000_000 + 1,
                    i % 1_000_000
                ),
            };
            EventPattern::parse(&text).expect("bench pattern")
        })
        .collect()
}

fn machine(patterns: &[EventPattern]) -> Machine {
    let mut m = Machine::new();
    for (i, p) in patterns.iter().enumerate() {
        m.add_rule(&format!("r{i}"), p);
    }
    m
}

fn matching(c: &mut Criterion) {
    let events: Vec<String> = (0..256).map(event).collect();
    let mut group = c.benchmark_group("match 256 events");
    for n in [0usize, 1, 10, 100, 1_000, 10_000] {
        let m = machine(&rules(n));
        let mut scratch = MatchScratch::default();
        group.bench_function(format!("{n} rules"), |b| {
            b.iter(|| {
                let mut total = 0usize;
                for e in &events {
                    total += m.matching_ids(black_box(e.as_bytes()), &mut scratch).len();
                }
                total
            })
        });
    }
    group.bench_function("serde_json::Value parse (baseline)", |b| {
        b.iter(|| {
            let mut objects = 0usize;
            for e in &events {
                if let Ok(serde_json::Value::Object(_)) = serde_json::from_str(black_box(e)) {
                    objects += 1;
                }
            }
            objects
        })
    });
    group.finish();
}

fn compiling(c: &mut Criterion) {
    let patterns = rules(10_000);
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.bench_function("10,000 rules", |b| {
        b.iter_batched(|| (), |()| machine(&patterns), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, matching, compiling);
criterion_main!(benches);
