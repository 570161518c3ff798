//! Charts over virtual time, drawn as SVG: queue depth, age of the oldest message, DLQ size and
//! running invocations, one line per resource, with the time shown marked on each.

use yew::prelude::*;

use crate::state::playground::clock;
use crate::state::session::Sample;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 120.0;
const PAD: f64 = 24.0;
/// Series colours are CSS classes `series-0` … `series-5`, reused in turn.
const SERIES_CLASSES: usize = 6;

pub struct ChartsArgs<'a> {
    pub samples: &'a [Sample],
    /// Queue logical ids in template order, each with whether it is a dead-letter queue.
    pub queues: Vec<(String, bool)>,
    pub functions: Vec<String>,
    pub now_ms: u64,
    pub extent_ms: u64,
}

pub fn charts(args: ChartsArgs<'_>) -> Html {
    let series = |pick: &dyn Fn(&Sample, usize) -> u64, which: &[usize]| -> Vec<Vec<(u64, u64)>> {
        which
            .iter()
            .map(|&i| {
                args.samples
                    .iter()
                    .map(|s| (s.time_ms, pick(s, i)))
                    .collect()
            })
            .collect()
    };
    let sources: Vec<usize> = (0..args.queues.len())
        .filter(|&i| !args.queues[i].1)
        .collect();
    let dlqs: Vec<usize> = (0..args.queues.len())
        .filter(|&i| args.queues[i].1)
        .collect();
    let names = |which: &[usize]| -> Vec<String> {
        which.iter().map(|&i| args.queues[i].0.clone()).collect()
    };
    let depth = |s: &Sample, i: usize| {
        s.queues
            .get(i)
            .map_or(0, |m| m.visible + m.in_flight + m.delayed)
    };
    let age = |s: &Sample, i: usize| s.queues.get(i).map_or(0, |m| m.oldest_age_ms / 1000);
    let functions: Vec<usize> = (0..args.functions.len()).collect();
    let running = |s: &Sample, i: usize| s.functions.get(i).copied().unwrap_or(0);
    let extent = args.extent_ms.max(1);
    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Charts" }</h2>
            <div class="chart-grid">
                if !sources.is_empty() {
                    { chart("Queue depth", "messages", &names(&sources), &series(&depth, &sources), args.now_ms, extent) }
                    { chart("Age of oldest message", "seconds", &names(&sources), &series(&age, &sources), args.now_ms, extent) }
                }
                if !dlqs.is_empty() {
                    { chart("DLQ size", "messages", &names(&dlqs), &series(&depth, &dlqs), args.now_ms, extent) }
                }
                if !functions.is_empty() {
                    { chart("Running invocations", "invocations", &args.functions, &series(&running, &functions), args.now_ms, extent) }
                }
            </div>
        </section>
    }
}

fn chart(
    title: &str,
    unit: &str,
    names: &[String],
    lines: &[Vec<(u64, u64)>],
    now_ms: u64,
    extent: u64,
) -> Html {
    let top = lines
        .iter()
        .flatten()
        .map(|(_, v)| *v)
        .max()
        .unwrap_or(0)
        .max(1);
    let x = |t: u64| PAD + (t.min(extent) as f64 / extent as f64) * (WIDTH - 2.0 * PAD);
    let y = |v: u64| HEIGHT - PAD - (v as f64 / top as f64) * (HEIGHT - 2.0 * PAD);
    let latest: Vec<String> = names
        .iter()
        .zip(lines)
        .map(|(name, line)| {
            let at_now = line
                .iter()
                .take_while(|(t, _)| *t <= now_ms)
                .last()
                .map_or(0, |(_, v)| *v);
            format!("{name} {at_now}")
        })
        .collect();
    html! {
        <figure class="chart" aria-label={format!("{title} chart")}>
            <figcaption>{ format!("{title} ({unit})") }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("{title} at {}: {}", clock(now_ms), latest.join(", "))}>
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()} x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text class="tick" x={PAD.to_string()} y={(PAD - 8.0).to_string()}>{ top }</text>
                <text class="tick" x={(WIDTH - PAD).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="end">{ clock(extent) }</text>
                { for lines.iter().enumerate().map(|(i, line)| {
                    let points: Vec<String> = line.iter().map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v))).collect();
                    html! { <polyline class={format!("series series-{}", i % SERIES_CLASSES)} points={points.join(" ")} /> }
                }) }
                <line class="now" x1={format!("{:.1}", x(now_ms))} y1={(PAD - 4.0).to_string()} x2={format!("{:.1}", x(now_ms))} y2={(HEIGHT - PAD).to_string()} />
            </svg>
            <ul class="chart-legend">
                { for latest.iter().enumerate().map(|(i, text)| html! {
                    <li><span class={format!("swatch series-{}", i % SERIES_CLASSES)}></span>{ text.clone() }</li>
                }) }
            </ul>
        </figure>
    }
}
