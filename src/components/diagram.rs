//! The topology drawn as SVG: a `figure` named "Topology" whose nodes are buttons named by their
//! logical id, edges labelled with what decides them, and the messages on their way as dots
//! (their reason in a tooltip). Zoom buttons scale the drawing; the frame scrolls to pan.

use yew::prelude::*;

use crate::state::topology::clip;

use crate::state::diagram::{DiagramView, NodeView};
use crate::state::layout::{NODE_HEIGHT, NODE_WIDTH};
use crate::state::topology::{EdgeKind, NodeKind};

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub view: DiagramView,
    /// The node whose details are open.
    pub selected: Option<String>,
    pub on_select: Callback<String>,
    /// Follow a message (a dot was pressed).
    pub on_follow: Callback<String>,
    /// Greyed: the template has errors and this is the last good diagram.
    #[prop_or_default]
    pub stale: bool,
}

const ZOOMS: [f64; 7] = [0.25, 0.4, 0.6, 0.8, 1.0, 1.25, 1.6];

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    // None: fit to the frame's width.
    let zoom = use_state(|| None::<usize>);
    let view = &props.view;
    let step = |delta: isize| {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| {
            let current = zoom.unwrap_or(4) as isize;
            let next = (current + delta).clamp(0, ZOOMS.len() as isize - 1) as usize;
            zoom.set(Some(next));
        })
    };
    let fit = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(None))
    };
    // Sized by attribute and class: the Content-Security-Policy allows no inline style.
    let (width, sizing) = match *zoom {
        None => (format!("{:.0}", view.width), "fit"),
        Some(index) => (format!("{:.0}", view.width * ZOOMS[index]), "zoomed"),
    };
    let zoom_label = zoom.map_or_else(
        || "fit".to_string(),
        |i| format!("{:.0} %", ZOOMS[i] * 100.0),
    );
    html! {
        <figure class={classes!("topology", props.stale.then_some("stale"))} aria-label="Topology">
            <div class="diagram-tools" role="toolbar" aria-label="Diagram zoom">
                <button type="button" onclick={step(-1)} aria-label="Zoom out">{ "−" }</button>
                <button type="button" onclick={step(1)} aria-label="Zoom in">{ "+" }</button>
                <button type="button" onclick={fit}>{ "Fit to view" }</button>
                <span class="note">{ zoom_label }</span>
                { legend() }
            </div>
            <div class="diagram-frame">
                <svg viewBox={format!("0 0 {:.0} {:.0}", view.width, view.height)} {width} class={sizing}
                    xmlns="http://www.w3.org/2000/svg" focusable="false">
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    <g class="edges" aria-hidden="true">
                        { for view.edges.iter().map(|edge| html! {
                            <g class={classes!("edge", edge_class(edge.kind), edge.on_path.then_some("on-path"))}>
                                <path d={edge.path.clone()} marker-end="url(#arrow)" />
                                if !edge.label.is_empty() {
                                    <text x={format!("{:.1}", edge.label_at.0)} y={format!("{:.1}", edge.label_at.1 - 5.0)} text-anchor="middle">{ edge.label.clone() }</text>
                                }
                            </g>
                        }) }
                    </g>
                    <g class="nodes">
                        { for view.nodes.iter().map(|node| node_view(node, props)) }
                    </g>
                    <g class="dots">
                        { for view.dots.iter().map(|dot| {
                            let id = dot.message_id.clone();
                            let follow = props.on_follow.reform(move |_: MouseEvent| id.clone());
                            html! {
                                <circle class={classes!("dot", dot.action)} cx={format!("{:.1}", dot.x)} cy={format!("{:.1}", dot.y)} r="6" onclick={follow}>
                                    <title>{ dot.title.clone() }</title>
                                </circle>
                            }
                        }) }
                        { for view.badges.iter().map(|badge| html! {
                            <g class="badge">
                                <rect x={format!("{:.1}", badge.x - 22.0)} y={format!("{:.1}", badge.y - 10.0)} width="44" height="20" rx="10" />
                                <text x={format!("{:.1}", badge.x)} y={format!("{:.1}", badge.y + 4.0)} text-anchor="middle">{ format!("×{}", badge.count) }</text>
                                <title>{ format!("{} messages on their way (too many to draw one by one)", badge.count) }</title>
                            </g>
                        }) }
                    </g>
                </svg>
            </div>
        </figure>
    }
}

fn edge_class(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Flow => "flow",
        EdgeKind::DeadLetter => "dead-letter",
        EdgeKind::Destination => "destination",
        EdgeKind::Identity => "identity",
    }
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Producer => "producer",
        NodeKind::Bus => "bus",
        NodeKind::Rule => "rule",
        NodeKind::Archive => "archive",
        NodeKind::Topic => "topic",
        NodeKind::Subscription => "subscription",
        NodeKind::Queue => "queue",
        NodeKind::Function => "function",
        NodeKind::Worker => "worker",
        NodeKind::UserPool => "user-pool",
    }
}

fn node_view(node: &NodeView, props: &DiagramProps) -> Html {
    let selected = props.selected.as_deref() == Some(node.id.as_str());
    let open = {
        let id = node.id.clone();
        props.on_select.reform(move |_: MouseEvent| id.clone())
    };
    let open_by_key = {
        let id = node.id.clone();
        let on_select = props.on_select.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" || event.key() == " " {
                event.prevent_default();
                on_select.emit(id.clone());
            }
        })
    };
    let figures: Vec<String> = node
        .figures
        .iter()
        .filter(|(name, value)| {
            *value > 0
                || matches!(
                    *name,
                    "visible"
                        | "matched"
                        | "invocations"
                        | "delivered"
                        | "received"
                        | "holds"
                        | "published"
                )
        })
        .map(|(name, value)| format!("{name} {value}"))
        .collect();
    let (x, y) = (node.x, node.y);
    html! {
        <g class={classes!("node", kind_class(node.kind), selected.then_some("selected"), node.on_path.then_some("on-path"))}
            role="button" tabindex="0" aria-label={node.accessible_name()} aria-pressed={selected.to_string()}
            onclick={open} onkeydown={open_by_key}
            transform={format!("translate({x:.1},{y:.1})")}>
            <rect width={NODE_WIDTH.to_string()} height={NODE_HEIGHT.to_string()} rx="8" />
            <text x="10" y="18" class="node-id">{ clip(&node.id, 22) }</text>
            <text x="10" y="34" class="node-kind">{ clip(&format!("{} · {}", node.kind.label(), node.note), 30) }</text>
            <text x="10" y="52" class="node-figures">{ clip(&figures.join(" · "), 32) }</text>
        </g>
    }
}

fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="What the dots mean">
            <li><span class="swatch received"></span>{ "on its way" }</li>
            <li><span class="swatch filtered"></span>{ "filtered" }</li>
            <li><span class="swatch failed"></span>{ "failed" }</li>
            <li><span class="swatch retried"></span>{ "retried" }</li>
            <li><span class="swatch moved_to_dlq"></span>{ "to a DLQ" }</li>
        </ul>
    }
}
