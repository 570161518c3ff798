//! The live part of the playground: the frame loop's work, the diagram with a node's details,
//! the charts and the followed message's journey, all read from the session at the time shown.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::charts::charts;
use crate::components::diagram::Diagram;
use crate::components::node_details::{FaultKind, NodeDetails};
use crate::components::trace_log::journey_view;
use crate::services::frames;
use crate::state::charts::{self, Chart};
use crate::state::clock::{Clock, ClockAction, FRAME_BUDGET_MS, SLICE_STEPS};
use crate::state::diagram::{diagram, figures};
use crate::state::faults::Fault;
use crate::state::inboxes::{inboxes, Inbox};
use crate::state::journey::{journey, Journey};
use crate::state::session::{Progress, Session};
use crate::state::topology::{Node, NodeKind};
use eventyard_template::Template;

/// The followed message's journey, kept with the message and the number of steps it was
/// computed over.
pub type JourneyCache = Rc<RefCell<Option<(String, usize, Journey)>>>;

/// One frame's work: move the clock towards its target within the frame's wall budget.
/// Returns whether the loop should go on.
pub fn drive(
    session: &Rc<RefCell<Option<Session>>>,
    clock: &Rc<RefCell<Clock>>,
    wall_ms: f64,
) -> bool {
    let mut guard = session.borrow_mut();
    let Some(live) = guard.as_mut() else {
        return false;
    };
    let mut clock = clock.borrow_mut();
    let Some(target) = clock.frame_target(live.now_ms(), wall_ms) else {
        return false;
    };
    let started = frames::now_ms();
    loop {
        match live.advance(target, SLICE_STEPS) {
            Progress::Halted => {
                clock.apply(ClockAction::Pause);
                return false;
            }
            Progress::Reached => break,
            Progress::Partial if frames::now_ms() - started > FRAME_BUDGET_MS => break,
            Progress::Partial => {}
        }
    }
    if clock.arrived(live.now_ms()) {
        clock.apply(ClockAction::Arrived);
        return false;
    }
    true
}

/// The scrubber's end: the furthest the run went, where playing pauses, or a minute past the
/// last scripted send (time for what it set off to settle).
pub fn extent(live: &Session, until_ms: u64) -> u64 {
    let script = live.script_end_ms.saturating_add(60_000);
    live.frontier_ms()
        .max(until_ms)
        .max(script)
        .max(live.now_ms())
}

pub fn seeking(clock: &Clock, live: &Session) -> Option<(u64, f64)> {
    let to_ms = clock.seek_target()?;
    Some((to_ms, clock.seek_progress(live.now_ms()).unwrap_or(0.0)))
}

/// The followed message's journey, computed once per (message, steps shown).
pub fn journey_of(live: &Session, id: &str, cache: &JourneyCache) -> Journey {
    let shown = live.steps_now();
    let mut cache = cache.borrow_mut();
    if let Some((cached_id, len, found)) = &*cache {
        if cached_id == id && *len == shown.len() {
            return found.clone();
        }
    }
    let found = journey(shown.iter().map(|s| &s.record), id);
    *cache = Some((id.to_string(), shown.len(), found.clone()));
    found
}

/// The panels' state and callbacks, handed to the live part of the page.
pub struct Panels<'a> {
    pub selected: &'a UseStateHandle<Option<String>>,
    pub following: &'a UseStateHandle<Option<String>>,
    pub cache: &'a JourneyCache,
    pub on_select: &'a Callback<String>,
    pub on_follow: &'a Callback<String>,
    /// A fault for the selected node.
    pub on_fault: &'a Callback<(String, Fault)>,
    pub fault_problem: Option<String>,
    pub chart_cache: &'a ChartCache,
}

pub fn live_view(live: &Session, clock: &Clock, panels: Panels<'_>, stale: bool) -> Html {
    let Panels {
        selected,
        following,
        cache,
        on_select,
        on_follow,
        on_fault,
        fault_problem,
        chart_cache,
    } = panels;
    let (path_nodes, path_edges) = match following.as_deref() {
        Some(id) => {
            let found = journey_of(live, id, cache);
            let steps = live.steps_now();
            let nodes: BTreeSet<String> = found
                .steps
                .iter()
                .filter_map(|&i| steps.get(i))
                .map(|s| s.record.resource.to_string())
                .collect();
            let edges: BTreeSet<usize> = found
                .steps
                .iter()
                .filter_map(|&i| steps.get(i)?.edge)
                .collect();
            (nodes, edges)
        }
        None => Default::default(),
    };
    let view = diagram(live, &path_nodes, &path_edges, clock.speed);
    let details = selected.as_deref().and_then(|id| {
        let node = live.resource(id)?.clone();
        let figures = figures(live, id, node.kind);
        let held = live.queue_metrics(id).map(|_| live.queue_messages(id));
        let selected = selected.clone();
        let faults = fault_kinds(&node);
        let on_fault = {
            let id = id.to_string();
            on_fault.reform(move |fault| (id.clone(), fault))
        };
        Some(html! {
            <NodeDetails counters={live.counters(id)} {figures} {held} {node} {faults} now_ms={live.now_ms()}
                {on_fault} fault_problem={fault_problem.clone()}
                on_follow={on_follow.clone()} on_close={Callback::from(move |_| selected.set(None))} />
        })
    });
    let extent_ms = live.frontier_ms().max(1);
    html! {
        <>
            <div class="live">
                <Diagram {view} selected={(**selected).clone()} on_select={on_select.clone()} on_follow={on_follow.clone()} {stale} />
                { details.unwrap_or_default() }
            </div>
            { charts(&charts_now(live, clock.is_running(), chart_cache), live.now_ms(), extent_ms) }
        </>
    }
}

/// The faults a node can take: functions and workers every kind, queues and inbox endpoints
/// an outage (`Metadata: Eventyard:` has `Down` for them only), and every subscription a
/// refusal (`Refused`, a client-side error).
pub fn fault_kinds(node: &Node) -> Vec<FaultKind> {
    match node.kind {
        NodeKind::Function | NodeKind::Worker => {
            vec![FaultKind::Down, FaultKind::FailPercent, FaultKind::Duration]
        }
        NodeKind::Queue => vec![FaultKind::Down],
        NodeKind::Subscription => {
            let protocol = node
                .settings
                .iter()
                .find(|(name, _)| name == "Protocol")
                .map(|(_, p)| p.as_str());
            if matches!(protocol, Some("sqs" | "lambda")) {
                vec![FaultKind::Refused]
            } else {
                vec![FaultKind::Down, FaultKind::Refused]
            }
        }
        _ => vec![],
    }
}

pub fn journey_panel(
    live: &Session,
    id: &str,
    cache: &JourneyCache,
    on_follow: &Callback<String>,
    following: &UseStateHandle<Option<String>>,
) -> Html {
    let found = journey_of(live, id, cache);
    let patterns = |resource: &str| -> Option<(String, bool)> {
        let node = live.resource(resource)?;
        node.settings
            .iter()
            .find(|(name, _)| name == "EventPattern" || name == "FilterPolicy")
            .map(|(name, text)| (text.clone(), name == "EventPattern"))
    };
    let following = following.clone();
    journey_view(
        id,
        &found,
        live.steps_now(),
        &patterns,
        on_follow,
        Callback::from(move |_| following.set(None)),
    )
}

/// The charts last built: when (wall ms), over how many samples up to which extent, and what
/// they draw.
pub type ChartCache = Rc<RefCell<Option<(f64, (usize, u64), Rc<Vec<Chart>>)>>>;

/// The charts at the time shown. Each rebuild writes out every line's points, so while the clock
/// runs they are rebuilt at most four times a second of wall time (the marker of the time shown
/// still moves every frame); paused, whenever the samples changed.
pub fn charts_now(live: &Session, running: bool, cache: &ChartCache) -> Rc<Vec<Chart>> {
    let wall = frames::now_ms();
    let extent_ms = live.frontier_ms().max(1);
    let key = (live.samples().len(), extent_ms);
    let mut cache = cache.borrow_mut();
    if let Some((at, built_for, kept)) = &*cache {
        if *built_for == key || (running && wall - at < REBUILD_EVERY_MS) {
            return kept.clone();
        }
    }
    let template: &Template = live.template();
    let queues: Vec<(String, bool)> = template
        .queues
        .iter()
        .map(|q| {
            let id = &q.origin.logical_id;
            (id.clone(), live.is_dead_letter_queue(id))
        })
        .collect();
    let functions: Vec<String> = template
        .functions
        .iter()
        .map(|f| f.origin.logical_id.clone())
        .collect();
    let fresh = Rc::new(charts::charts(
        live.samples(),
        &queues,
        &functions,
        extent_ms,
    ));
    *cache = Some((wall, key, fresh.clone()));
    fresh
}

/// How often, in wall milliseconds, the slow parts (charts, inboxes) are rebuilt while playing.
const REBUILD_EVERY_MS: f64 = 250.0;

/// The inboxes last built: when (wall ms), for which virtual time, and what they held.
pub type InboxCache = Rc<RefCell<Option<(f64, u64, Vec<Inbox>)>>>;

/// The inboxes at the time shown. While the clock runs they are rebuilt at most four times a
/// second of wall time (each rebuild formats every kept message); paused, always at the time shown.
pub fn inboxes_now(live: &Session, running: bool, cache: &InboxCache) -> Vec<Inbox> {
    let wall = frames::now_ms();
    let mut cache = cache.borrow_mut();
    if let Some((at, time_ms, kept)) = &*cache {
        if *time_ms == live.now_ms() || (running && wall - at < REBUILD_EVERY_MS) {
            return kept.clone();
        }
    }
    let simulator = live.simulator();
    let fresh = inboxes(live.template(), simulator, &simulator.report());
    *cache = Some((wall, live.now_ms(), fresh.clone()));
    fresh
}
