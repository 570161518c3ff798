//! What the diagram shows at the time shown: each node's live figures (named for its kind),
//! each edge's curve and label, and the messages moving along the edges. Plain values from the
//! session; `components/diagram.rs` only draws them.

use std::collections::{BTreeMap, BTreeSet};

use eventyard_sim::TraceAction;

use crate::state::layout::{edge_curve, path_data, point_on, NODE_HEIGHT};
use crate::state::session::Session;
use crate::state::topology::{EdgeKind, NodeKind};

/// Above this many messages in flight on the diagram, each edge shows a count instead of dots,
/// so the page stays smooth.
pub const MAX_DOTS: usize = 300;
/// Wall milliseconds a hop takes on screen; at speed s it spans s times as much virtual time.
pub const HOP_WALL_MS: u64 = 600;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: String,
    pub kind: NodeKind,
    pub note: String,
    pub x: f64,
    pub y: f64,
    /// The figures drawn in the box, already worded ("matched 4", "visible 2").
    pub figures: Vec<(&'static str, u64)>,
    /// On the followed message's path.
    pub on_path: bool,
}

impl NodeView {
    /// The accessible name: the logical id first (people and tests find nodes by it), then what
    /// it is and its figures.
    pub fn accessible_name(&self) -> String {
        let figures: Vec<String> = self
            .figures
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        format!(
            "{}, {} ({}): {}",
            self.id,
            self.kind.label(),
            self.note,
            figures.join(", ")
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeView {
    pub path: String,
    pub label: String,
    pub label_at: (f64, f64),
    pub kind: EdgeKind,
    pub on_path: bool,
}

/// One message on its way, or a count of them where there are too many to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct DotView {
    pub x: f64,
    pub y: f64,
    /// `received`, `filtered`, `failed`, ... (the CSS class and the legend).
    pub action: &'static str,
    pub message_id: String,
    /// What happened and why, shown on hover.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BadgeView {
    pub x: f64,
    pub y: f64,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct DiagramView {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
    pub dots: Vec<DotView>,
    pub badges: Vec<BadgeView>,
}

/// The figures of one node, named for its kind (a function's "delivered" is a success, so it
/// says "succeeded").
pub fn figures(session: &Session, id: &str, kind: NodeKind) -> Vec<(&'static str, u64)> {
    let c = session.counters(id);
    match kind {
        NodeKind::Producer | NodeKind::UserPool => vec![],
        NodeKind::Bus => vec![("received", c.received)],
        NodeKind::Rule => vec![
            ("matched", c.matched),
            ("filtered", c.filtered),
            ("failed", c.failed),
        ],
        NodeKind::Archive => vec![("archived", c.received)],
        NodeKind::Topic => vec![("published", c.received), ("deduplicated", c.deduplicated)],
        NodeKind::Subscription => vec![
            ("delivered", c.delivered),
            ("filtered", c.filtered),
            ("failed", c.failed),
        ],
        NodeKind::Queue => {
            let m = session.queue_metrics(id).unwrap_or_default();
            if session.is_dead_letter_queue(id) {
                vec![
                    ("holds", m.visible + m.in_flight + m.delayed),
                    ("received", c.received),
                ]
            } else {
                vec![
                    ("visible", m.visible),
                    ("in flight", m.in_flight),
                    ("delayed", m.delayed),
                    ("to DLQ", c.moved_to_dlq),
                ]
            }
        }
        NodeKind::Function => vec![
            ("invocations", c.received),
            ("running", session.concurrent_invocations(id)),
            ("errors", c.failed),
        ],
        NodeKind::Worker => vec![
            ("received", c.received),
            ("failed", c.failed),
            ("empty receives", c.empty_receives),
        ],
    }
}

/// The diagram at the time shown. `path` is the followed message's journey (nodes by id and
/// edges by index); `speed` sets how much virtual time a hop spans on screen.
pub fn diagram(
    session: &Session,
    path_nodes: &BTreeSet<String>,
    path_edges: &BTreeSet<usize>,
    speed: u64,
) -> DiagramView {
    let topology = &session.topology;
    let layout = &session.layout;
    let nodes = topology
        .nodes
        .iter()
        .zip(&layout.positions)
        .map(|(node, (x, y))| NodeView {
            id: node.id.clone(),
            kind: node.kind,
            note: node.note.clone(),
            x: *x,
            y: *y,
            figures: figures(session, &node.id, node.kind),
            on_path: path_nodes.contains(&node.id),
        })
        .collect();
    let curves: Vec<[(f64, f64); 4]> = topology
        .edges
        .iter()
        .map(|edge| edge_curve(layout.positions[edge.from], layout.positions[edge.to]))
        .collect();
    let edges = topology
        .edges
        .iter()
        .zip(&curves)
        .enumerate()
        .map(|(index, (edge, curve))| EdgeView {
            path: path_data(curve),
            label: edge.label.clone(),
            label_at: point_on(curve, 0.5),
            kind: edge.kind,
            on_path: path_edges.contains(&index),
        })
        .collect();
    let (dots, badges) = moving(session, &curves, speed);
    DiagramView {
        width: layout.width,
        height: layout.height.max(NODE_HEIGHT),
        nodes,
        edges,
        dots,
        badges,
    }
}

/// The hops still on screen at the time shown: a hop that reached its node at t travels its
/// edge during the next `HOP_WALL_MS × speed` virtual milliseconds (the node's figures already
/// count it). Above [`MAX_DOTS`], each edge shows its count.
fn moving(
    session: &Session,
    curves: &[[(f64, f64); 4]],
    speed: u64,
) -> (Vec<DotView>, Vec<BadgeView>) {
    let now = session.now_ms();
    let span = (HOP_WALL_MS * speed).max(1);
    let steps = session.steps_now();
    let from = steps.partition_point(|step| step.record.time_ms + span < now);
    let recent = &steps[from..];
    let travelling = recent.iter().filter(|step| step.edge.is_some());
    if travelling.clone().count() > MAX_DOTS {
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for step in travelling {
            if let Some(edge) = step.edge {
                *counts.entry(edge).or_default() += 1;
            }
        }
        let badges = counts
            .into_iter()
            .filter_map(|(edge, count)| {
                let (x, y) = point_on(curves.get(edge)?, 0.5);
                Some(BadgeView { x, y, count })
            })
            .collect();
        return (Vec::new(), badges);
    }
    let dots = travelling
        .filter_map(|step| {
            let curve = curves.get(step.edge?)?;
            let record = &step.record;
            let elapsed = now.saturating_sub(record.time_ms) as f64 / span as f64;
            // A filtered message stops at the rule or subscription that refused it, so it is
            // drawn arriving there; the others leave along the edge.
            let t = match record.action {
                TraceAction::Filtered | TraceAction::Deduplicated => 0.75 + 0.25 * elapsed,
                _ => elapsed,
            };
            let (x, y) = point_on(curve, t);
            Some(DotView {
                x,
                y,
                action: record.action.as_str(),
                message_id: record.message_id.to_string(),
                title: format!(
                    "{} {} at {}: {}",
                    record.message_id,
                    record.action.as_str().replace('_', " "),
                    record.resource,
                    record.reason
                ),
            })
        })
        .collect();
    (dots, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;

    fn session(id: &str) -> Session {
        let preset = PRESETS.iter().find(|p| p.id == id).unwrap();
        Session::new(
            eventyard_template::load(preset.template).unwrap(),
            None,
            &[],
        )
        .unwrap()
    }

    #[test]
    fn pie_orders_stop_at_the_donut_rule() {
        let mut live = session("donut-shop");
        live.advance(60_000, usize::MAX);
        let view = diagram(&live, &BTreeSet::new(), &BTreeSet::new(), 10);
        let node = |id: &str| view.nodes.iter().find(|n| n.id == id).unwrap().clone();
        let rule = node("DonutRule");
        let figure = |n: &NodeView, name: &str| n.figures.iter().find(|f| f.0 == name).unwrap().1;
        assert!(figure(&rule, "filtered") > 0);
        assert!(rule.accessible_name().starts_with("DonutRule, Rule"));
        let function = node("DonutMaker");
        assert!(figure(&function, "invocations") > 0, "{function:?}");
    }

    #[test]
    fn dots_appear_right_after_a_hop_and_are_counted_when_too_many() {
        let mut live = session("donut-shop");
        let first = live.next_happening_ms().unwrap();
        live.advance(first + 25, usize::MAX);
        let view = diagram(&live, &BTreeSet::new(), &BTreeSet::new(), 10);
        assert!(!view.dots.is_empty(), "a message is on its way");
        for dot in &view.dots {
            assert!(dot.x >= 0.0 && dot.x <= view.width && dot.y >= 0.0);
            assert!(dot.title.contains(" at "));
        }
        // A minute on at 1x, the hops of the first send are long gone.
        live.advance(first + 60_000, usize::MAX);
        let view = diagram(&live, &BTreeSet::new(), &BTreeSet::new(), 1);
        assert!(view.dots.iter().all(|dot| !dot.title.contains(" 00:00")));
        assert!(view.dots.len() < 20, "{}", view.dots.len());
    }
}
