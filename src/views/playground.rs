//! The flow playground: a template drawn as a live diagram, run on a virtual clock the person
//! plays, steps and rewinds; messages move along the edges; any message's journey is one click
//! away; sends by hand while it runs. The session (`state/session.rs`) does the work; this view
//! wires the controls, the frame loop and the panels.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::clock_bar::ClockBar;
use crate::components::export::Export;
use crate::components::inboxes::inboxes_view;
use crate::components::kept_aside::KeptAsideNotice;
use crate::components::playground_toolbar::PlaygroundToolbar;
use crate::components::trace_log::{Scroll, TraceFilter};
use crate::presets;
use crate::services::fragment::{self, page_address};
use crate::services::{frames, storage};
use crate::state::clock::{Clock, ClockAction, Motion};
use crate::state::export::playground_exports;
use crate::state::links::{playground_link, Watching};
use crate::state::playground::{Action, PlaygroundDocument};
use crate::state::sends::HandSend;
use crate::state::session::Session;
use crate::views::link_notice::arrival_notice;
use crate::views::playground_edits::{use_live_edits, LiveEdits};
use crate::views::playground_link::use_playground_link;
use crate::views::playground_live::{
    drive, extent, inboxes_now, live_view, seeking, ChartCache, InboxCache, JourneyCache, Panels,
};
use crate::views::playground_notices::{
    not_simulated_view, offer_notice, problem_marks, problems_view, simplifications, LinkOffer,
};
use crate::views::playground_panes::{panes, Panes};
use eventyard_links::url;

/// Where the document is autosaved.
const STORAGE_KEY: &str = "playground";

#[derive(Clone, PartialEq)]
pub struct Playground(pub PlaygroundDocument);

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Playground(self.0.clone().apply(action)))
    }
}

fn initial_document(embedded: bool) -> PlaygroundDocument {
    // An embed shows its link, never the visitor's own work, and never touches it.
    if embedded {
        return PlaygroundDocument::default();
    }
    storage::restore(STORAGE_KEY).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// A preset the link names (`#/playground?preset=ID`). It loads at once when nothing of the
    /// person's would be lost, else it is offered.
    #[prop_or_default]
    pub preset_offer: Option<String>,
    /// A share link's payload from the fragment (`#/playground?link=1.…`).
    #[prop_or_default]
    pub link: Option<String>,
}

/// What a session is built from: a change to any of it rebuilds the session.
type SessionKey = (String, Option<u64>, Vec<HandSend>);

fn key_of(document: &PlaygroundDocument) -> SessionKey {
    (
        document.template.clone(),
        document.seed,
        document.hand_sends.clone(),
    )
}

#[function_component(PlaygroundView)]
pub fn playground_view(props: &PlaygroundProps) -> Html {
    let embedded = *use_state(fragment::embedded);
    let playground = use_reducer(|| Playground(initial_document(embedded)));
    let document = &playground.0;
    let session: Rc<RefCell<Option<Session>>> = use_mut_ref(|| None);
    let clock = use_mut_ref(Clock::default);
    let redraw = use_force_update();
    let problems = use_state(Vec::<String>::new);
    let following = use_state(|| None::<String>);
    let offer = use_state(|| None::<LinkOffer>);
    let selected = use_state(|| None::<String>);
    let journey_cache: JourneyCache = use_mut_ref(|| None);
    let filter = use_state(TraceFilter::default);
    let scroll = use_state_eq(|| Scroll::Newest);
    let frame_ref = use_node_ref();
    // Following the newest rows: the log is scrolled to its end after each render. While the
    // clock runs, that waits for the frame's work task, when the browser's layout is fresh:
    // scrolling right after the render would make it lay the page out again at once.
    let scroll_pending = use_mut_ref(|| false);
    {
        let frame_ref = frame_ref.clone();
        let scroll_pending = scroll_pending.clone();
        let newest = *scroll == Scroll::Newest;
        let running = clock.borrow().is_running();
        use_effect(move || {
            if newest && running {
                *scroll_pending.borrow_mut() = true;
            } else if newest {
                scroll_to_end(&frame_ref);
            }
        });
    }
    let template_ref = use_node_ref();
    let frame_loop = use_mut_ref(|| None::<frames::FrameLoop>);
    let inbox_cache: InboxCache = use_mut_ref(|| None);
    let chart_cache: ChartCache = use_mut_ref(|| None);

    // A link's preset: loaded at once when nothing would be lost, else offered.
    {
        let playground = playground.clone();
        let offer = offer.clone();
        let pristine = document.is_pristine();
        use_effect_with(props.preset_offer.clone(), move |id| {
            offer.set(match id.as_deref() {
                None => None,
                Some(id) => match presets::find(id) {
                    None => Some(LinkOffer::Unknown(id.to_string())),
                    Some(preset) if pristine => {
                        playground.dispatch(Action::LoadPreset(preset.id));
                        None
                    }
                    Some(preset) if preset.template == playground.0.template => None,
                    Some(preset) => Some(LinkOffer::Preset(preset)),
                },
            });
        });
    }

    // A share link: applied at once when nothing would be lost, else asked; a bad one says why.
    // How a link was being watched, tagged with the count of links applied it belongs to.
    let watch_next = use_mut_ref(|| None::<(u64, Watching)>);
    let links_applied = use_state(|| 0u64);
    let (arrival, on_open_link, on_keep) = use_playground_link(
        props.link.clone(),
        playground.clone(),
        watch_next.clone(),
        links_applied.clone(),
    );

    use_effect_with(document.clone(), move |document| {
        // Autosave is best effort here; the pattern tester reports when storage refuses.
        if !embedded {
            let _ = storage::autosave(STORAGE_KEY, document);
        }
    });

    // (Re)build the session when the template, seed or hand sends change; keep the time shown.
    {
        let session = session.clone();
        let clock = clock.clone();
        let problems = problems.clone();
        let redraw = redraw.clone();
        let document = document.clone();
        let watch_next = watch_next.clone();
        let following = following.clone();
        let inbox_cache = inbox_cache.clone();
        let chart_cache = chart_cache.clone();
        use_effect_with((key_of(&document), *links_applied), move |(_, applied)| {
            *inbox_cache.borrow_mut() = None;
            *chart_cache.borrow_mut() = None;
            // Only the render that counted the link takes its watching state (an earlier run of
            // this effect in the same pass must not).
            let watching = {
                let mut next = watch_next.borrow_mut();
                match next.take() {
                    Some((generation, watching)) if generation == *applied => Some(watching),
                    other => {
                        *next = other;
                        None
                    }
                }
            };
            let seeking_to = clock.borrow().seek_target();
            let before = watching
                .as_ref()
                .map(|w| w.time_ms)
                .or(seeking_to)
                .or_else(|| session.borrow().as_ref().map(Session::now_ms));
            match document.session() {
                Ok(fresh) => {
                    // Back to the time shown before (a send by hand was made at it).
                    let going_to = before.unwrap_or(0);
                    *session.borrow_mut() = Some(fresh);
                    problems.set(Vec::new());
                    // The pause time is the until effect's (below); a rebuild only stops the clock.
                    let mut clock = clock.borrow_mut();
                    clock.apply(ClockAction::Pause);
                    if let Some(watching) = watching {
                        clock.apply(ClockAction::SetSpeed(watching.speed));
                        following.set(watching.following);
                    }
                    if embedded {
                        // An embed plays its scenario by itself, from the start.
                        clock.apply(ClockAction::Play { now_ms: 0 });
                    } else if going_to > 0 {
                        clock.apply(ClockAction::Seek {
                            from_ms: 0,
                            to_ms: going_to,
                        });
                    }
                }
                Err(found) => problems.set(found),
            }
            redraw.force_update();
        });
    }
    {
        let clock = clock.clone();
        use_effect_with(document.until_ms, move |until| {
            clock.borrow_mut().pause_at_ms = Some(*until)
        });
    }

    // The frame loop runs while the clock is running and stops itself when it arrives.
    let running = clock.borrow().is_running();
    {
        let session = session.clone();
        let clock = clock.clone();
        let redraw = redraw.clone();
        let frame_loop = frame_loop.clone();
        let scroll_pending = scroll_pending.clone();
        let frame_ref = frame_ref.clone();
        use_effect_with(running, move |running| {
            *frame_loop.borrow_mut() = running.then(|| {
                frames::start(
                    move |wall_ms| {
                        if std::mem::take(&mut *scroll_pending.borrow_mut()) {
                            scroll_to_end(&frame_ref);
                        }
                        drive(&session, &clock, wall_ms)
                    },
                    move || redraw.force_update(),
                )
            });
        });
    }

    let control = {
        let clock = clock.clone();
        let redraw = redraw.clone();
        Callback::from(move |action: ClockAction| {
            clock.borrow_mut().apply(action);
            redraw.force_update();
        })
    };
    let on_step = {
        let session = session.clone();
        let redraw = redraw.clone();
        Callback::from(move |_: ()| {
            if let Some(session) = session.borrow_mut().as_mut() {
                session.step();
            }
            redraw.force_update();
        })
    };
    let on_speed = control.reform(ClockAction::SetSpeed);
    let on_seek = {
        let session = session.clone();
        control.reform(move |to_ms: u64| ClockAction::Seek {
            from_ms: session.borrow().as_ref().map_or(0, Session::now_ms),
            to_ms,
        })
    };
    let on_action = {
        let playground = playground.clone();
        Callback::from(move |action: Action| playground.dispatch(action))
    };
    let on_template = {
        let playground = playground.clone();
        Callback::from(move |text: String| playground.dispatch(Action::EditTemplate(text)))
    };
    let LiveEdits {
        on_send,
        on_clear_sends,
        send_problem,
        on_fault,
        fault_problem,
    } = use_live_edits(&playground, &session);
    let on_follow = {
        let following = following.clone();
        Callback::from(move |id: String| following.set(Some(id)))
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |id: String| selected.set(Some(id)))
    };

    let make_link = {
        let document = document.clone();
        let session = session.clone();
        let clock = clock.clone();
        let following = following.clone();
        Callback::from(move |_| {
            let watching = Watching {
                time_ms: session.borrow().as_ref().map_or(0, Session::now_ms),
                speed: clock.borrow().speed,
                following: (*following).clone(),
            };
            url(&page_address(), &playground_link(&document, &watching))
        })
    };
    let make_exports = {
        let document = document.clone();
        let session = session.clone();
        Callback::from(move |_| {
            let live = session.borrow();
            playground_exports(&document, live.as_ref().map(Session::template))
        })
    };
    let guard = session.borrow();
    let clock_now = clock.borrow().clone();
    let live = guard.as_ref();
    let stale = !problems.is_empty();

    html! {
        <section class="view playground" aria-labelledby="view-title">
            <h1 id="view-title">{ "Playground" }</h1>
            if !embedded {
                <p class="lede">
                    { "A CloudFormation template of buses, rules, topics, subscriptions, queues, functions and user pools, \
                       drawn as a live diagram and run on a virtual clock with a seed: the same template, \
                       seed and sends give the same run on every machine, however you play, step or rewind." }
                </p>
                <KeptAsideNotice storage_key={STORAGE_KEY} label="playground" />
            }
            { offer_notice(&offer, &playground) }
            { arrival_notice(&arrival, "a template", on_open_link, on_keep) }
            if !embedded {
                <PlaygroundToolbar document={document.clone()} {on_action} {make_link} />
                <Export make={make_exports} />
            }
            if let Some(live) = live {
                <ClockBar now_ms={live.now_ms()} extent_ms={extent(live, document.until_ms)}
                    marks={live.scripted_marks.clone()} playing={clock_now.motion == Motion::Playing}
                    speed={clock_now.speed} seeking={seeking(&clock_now, live)}
                    on_play={{ let control = control.clone(); let now_ms = live.now_ms(); Callback::from(move |_| control.emit(ClockAction::Play { now_ms })) }}
                    on_pause={control.reform(|_| ClockAction::Pause)}
                    on_step={on_step} on_speed={on_speed} on_seek={on_seek} on_stop={control.reform(|_| ClockAction::Pause)}
                    disabled={live.halted().is_some()} />
                if let Some(reason) = live.halted() {
                    <p class="problem" role="alert">{ reason.to_string() }</p>
                }
            }
            { problems_view(&problems, &template_ref) }
            if let Some(live) = live {
                { not_simulated_view(live.template()) }
            }
            { simplifications() }
            if let Some(live) = live {
                { live_view(live, &clock_now, Panels { selected: &selected, following: &following, cache: &journey_cache, on_select: &on_select, on_follow: &on_follow, on_fault: &on_fault, fault_problem, chart_cache: &chart_cache }, stale) }
            }
            { panes(Panes {
                live, document, embedded, stale,
                marks: problem_marks(&document.template, &problems),
                template_ref: &template_ref, on_template, on_send, on_clear_sends,
                send_problem,
                following: &following, journey_cache: &journey_cache, on_follow: &on_follow,
                filter: &filter, scroll: &scroll, frame_ref: &frame_ref,
            }) }
            if let Some(live) = live {
                { inboxes_view(&inboxes_now(live, clock_now.is_running(), &inbox_cache)) }
            }
        </section>
    }
}

/// Scrolls the trace log to its newest row (the browser clamps the offset to the end).
fn scroll_to_end(frame_ref: &NodeRef) {
    if let Some(frame) = frame_ref.cast::<web_sys::Element>() {
        frame.set_scroll_top(i32::MAX);
    }
}
