//! What the charts draw: one line per resource over virtual time, reduced to what the chart's
//! width can show, with the polylines' points already written out.
//!
//! Built from the session's samples (at most 1,200 per series) and kept between frames: while
//! the clock runs, the page rebuilds it a few times a second rather than every frame, and only
//! the marker of the time shown moves each frame.

use crate::state::session::Sample;

pub const WIDTH: f64 = 360.0;
pub const HEIGHT: f64 = 120.0;
pub const PAD: f64 = 24.0;

/// One chart: a title, a unit, and a line per resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: &'static str,
    pub unit: &'static str,
    /// The highest value on any line (at least 1): the top of the y axis.
    pub top: u64,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: String,
    /// Every sample's (time, value), for the value at the time shown.
    pub values: Vec<(u64, u64)>,
    /// The SVG `points` of the polyline, at most two points per pixel column.
    pub points: String,
}

impl Line {
    /// The value at `now_ms`: the last sample at or before it.
    pub fn value_at(&self, now_ms: u64) -> u64 {
        let after = self.values.partition_point(|(t, _)| *t <= now_ms);
        after.checked_sub(1).map_or(0, |i| self.values[i].1)
    }
}

/// The x coordinate of a time on a chart whose axis ends at `extent_ms`.
pub fn x(time_ms: u64, extent_ms: u64) -> f64 {
    let extent = extent_ms.max(1);
    PAD + (time_ms.min(extent) as f64 / extent as f64) * (WIDTH - 2.0 * PAD)
}

/// The charts for these samples: queue depth and age of the oldest message for the source
/// queues, DLQ size for the dead-letter queues, running invocations for the functions; a chart
/// with no line is left out.
pub fn charts(
    samples: &[Sample],
    queues: &[(String, bool)],
    functions: &[String],
    extent_ms: u64,
) -> Vec<Chart> {
    let depth = |s: &Sample, i: usize| {
        s.queues
            .get(i)
            .map_or(0, |m| m.visible + m.in_flight + m.delayed)
    };
    let age = |s: &Sample, i: usize| s.queues.get(i).map_or(0, |m| m.oldest_age_ms / 1000);
    let running = |s: &Sample, i: usize| s.functions.get(i).copied().unwrap_or(0);
    let queues_where = |dead_letter: bool| -> Vec<(usize, &str)> {
        queues
            .iter()
            .enumerate()
            .filter(|(_, (_, is_dlq))| *is_dlq == dead_letter)
            .map(|(i, (name, _))| (i, name.as_str()))
            .collect()
    };
    let sources = queues_where(false);
    let dlqs = queues_where(true);
    let functions: Vec<(usize, &str)> = functions
        .iter()
        .enumerate()
        .map(|(i, name)| (i, name.as_str()))
        .collect();
    let build = |title, unit, which: &[(usize, &str)], pick: &dyn Fn(&Sample, usize) -> u64| {
        let values: Vec<(&str, Vec<(u64, u64)>)> = which
            .iter()
            .map(|&(i, name)| {
                (
                    name,
                    samples.iter().map(|s| (s.time_ms, pick(s, i))).collect(),
                )
            })
            .collect();
        let top = values
            .iter()
            .flat_map(|(_, line)| line.iter().map(|(_, v)| *v))
            .max()
            .unwrap_or(0)
            .max(1);
        let lines = values
            .into_iter()
            .map(|(name, values)| Line {
                name: name.to_string(),
                points: points(&values, top, extent_ms),
                values,
            })
            .collect();
        Chart {
            title,
            unit,
            top,
            lines,
        }
    };
    [
        build("Queue depth", "messages", &sources, &depth),
        build("Age of oldest message", "seconds", &sources, &age),
        build("DLQ size", "messages", &dlqs, &depth),
        build("Running invocations", "invocations", &functions, &running),
    ]
    .into_iter()
    .filter(|chart| !chart.lines.is_empty())
    .collect()
}

/// The polyline's points: per pixel column, the first, lowest, highest and last value in time
/// order (a spike narrower than a pixel still shows), without repeating a point.
fn points(values: &[(u64, u64)], top: u64, extent_ms: u64) -> String {
    let y = |v: u64| HEIGHT - PAD - (v as f64 / top.max(1) as f64) * (HEIGHT - 2.0 * PAD);
    let mut out = String::new();
    let mut push = |t: u64, v: u64| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{:.1},{:.1}", x(t, extent_ms), y(v)));
    };
    let mut start = 0;
    while start < values.len() {
        let column = x(values[start].0, extent_ms).floor();
        let end = start
            + values[start..]
                .iter()
                .take_while(|(t, _)| x(*t, extent_ms).floor() == column)
                .count();
        let group = &values[start..end];
        let lowest = group.iter().min_by_key(|(_, v)| *v).copied();
        let highest = group.iter().max_by_key(|(_, v)| *v).copied();
        let mut kept: Vec<(u64, u64)> = [Some(group[0]), lowest, highest, group.last().copied()]
            .into_iter()
            .flatten()
            .collect();
        kept.sort_by_key(|(t, _)| *t);
        kept.dedup();
        for (t, v) in kept {
            push(t, v);
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventyard_sim::QueueMetrics;

    fn sample(time_ms: u64, visible: u64, running: u64) -> Sample {
        Sample {
            time_ms,
            queues: vec![QueueMetrics {
                visible,
                ..QueueMetrics::default()
            }],
            functions: vec![running],
        }
    }

    #[test]
    fn a_chart_per_kind_of_figure_with_a_line_per_resource_and_none_empty() {
        let samples = [sample(0, 0, 0), sample(1_000, 3, 1)];
        let found = charts(&samples, &[("Orders".into(), false)], &["Fn".into()], 2_000);
        let titles: Vec<&str> = found.iter().map(|c| c.title).collect();
        // No dead-letter queue: no DLQ chart.
        assert_eq!(
            titles,
            [
                "Queue depth",
                "Age of oldest message",
                "Running invocations"
            ]
        );
        assert_eq!(found[0].top, 3);
        assert_eq!(found[0].lines[0].name, "Orders");
        assert_eq!(found[0].lines[0].value_at(999), 0);
        assert_eq!(found[0].lines[0].value_at(1_000), 3);
        assert_eq!(found[0].lines[0].value_at(5_000), 3);
    }

    #[test]
    fn a_long_run_keeps_at_most_four_points_per_pixel_column_and_every_spike() {
        // 1,200 samples over a 312-pixel axis, one spike among them.
        let samples: Vec<Sample> = (0..1_200u64)
            .map(|i| sample(i * 1_000, if i == 601 { 50 } else { i % 3 }, 0))
            .collect();
        let found = charts(&samples, &[("Q".into(), false)], &[], 1_200_000);
        let line = &found[0].lines[0];
        let count = line.points.split(' ').count();
        assert!(count <= 4 * 313, "{count} points");
        assert!(count < samples.len(), "{count} points");
        // The spike is the chart's top: y = PAD.
        assert!(
            line.points.contains(&format!(",{PAD:.1}")),
            "{}",
            line.points
        );
    }
}
