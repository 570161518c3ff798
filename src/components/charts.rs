//! Charts over virtual time, drawn as SVG: queue depth, age of the oldest message, DLQ size and
//! running invocations, one line per resource, with the time shown marked on each. What they
//! draw is `state/charts.rs`; this only writes it out, with the marker and legend at `now_ms`.

use yew::prelude::*;

use crate::state::charts::{x, Chart, HEIGHT, PAD, WIDTH};
use crate::state::playground::clock;

/// Series colours are CSS classes `series-0` … `series-5`, reused in turn.
const SERIES_CLASSES: usize = 6;

pub fn charts(charts: &[Chart], now_ms: u64, extent_ms: u64) -> Html {
    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Charts" }</h2>
            <div class="chart-grid">
                { for charts.iter().map(|c| chart(c, now_ms, extent_ms)) }
            </div>
        </section>
    }
}

fn chart(chart: &Chart, now_ms: u64, extent_ms: u64) -> Html {
    let Chart {
        title, unit, top, ..
    } = chart;
    let latest: Vec<String> = chart
        .lines
        .iter()
        .map(|line| format!("{} {}", line.name, line.value_at(now_ms)))
        .collect();
    let now_x = format!("{:.1}", x(now_ms, extent_ms));
    html! {
        <figure class="chart" aria-label={format!("{title} chart")}>
            <figcaption>{ format!("{title} ({unit})") }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("{title} at {}: {}", clock(now_ms), latest.join(", "))}>
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()} x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text class="tick" x={PAD.to_string()} y={(PAD - 8.0).to_string()}>{ top }</text>
                <text class="tick" x={(WIDTH - PAD).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="end">{ clock(extent_ms.max(1)) }</text>
                { for chart.lines.iter().enumerate().map(|(i, line)| html! {
                    <polyline class={format!("series series-{}", i % SERIES_CLASSES)} points={line.points.clone()} />
                }) }
                <line class="now" x1={now_x.clone()} y1={(PAD - 4.0).to_string()} x2={now_x} y2={(HEIGHT - PAD).to_string()} />
            </svg>
            <ul class="chart-legend">
                { for latest.iter().enumerate().map(|(i, text)| html! {
                    <li><span class={format!("swatch series-{}", i % SERIES_CLASSES)}></span>{ text.clone() }</li>
                }) }
            </ul>
        </figure>
    }
}
