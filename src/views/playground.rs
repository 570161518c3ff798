//! The flow playground: a template drawn as a live diagram, run on a virtual clock the person
//! plays, steps and rewinds; messages move along the edges; any message's journey is one click
//! away; sends by hand while it runs. The session (`state/session.rs`) does the work; this view
//! wires the controls, the frame loop and the panels.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::clock_bar::ClockBar;
use crate::components::editor::Editor;
use crate::components::inboxes::inboxes_view;
use crate::components::playground_toolbar::PlaygroundToolbar;
use crate::components::send_form::SendForm;
use crate::components::trace_log::{trace_log, Scroll, TraceFilter, TraceLogArgs};
use crate::presets;
use crate::services::fragment::page_address;
use crate::services::{frames, storage};
use crate::state::clock::{Clock, ClockAction, Motion};
use crate::state::faults::{apply_fault, section_for, Fault};
use crate::state::links::{playground_link, Watching};
use crate::state::playground::{Action, PlaygroundDocument};
use crate::state::sends::{destinations, HandSend};
use crate::state::session::Session;
use crate::views::link_notice::arrival_notice;
use crate::views::playground_link::use_playground_link;
use crate::views::playground_live::{
    drive, extent, inboxes_now, journey_panel, live_view, seeking, InboxCache, JourneyCache, Panels,
};
use crate::views::playground_notices::{
    not_simulated_view, offer_notice, problem_marks, problems_view, simplifications, LinkOffer,
};
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

fn initial_document() -> PlaygroundDocument {
    storage::load(STORAGE_KEY)
        .and_then(|saved| serde_json::from_str(&saved).ok())
        .unwrap_or_default()
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
    let playground = use_reducer(|| Playground(initial_document()));
    let document = &playground.0;
    let session: Rc<RefCell<Option<Session>>> = use_mut_ref(|| None);
    let clock = use_mut_ref(Clock::default);
    let redraw = use_force_update();
    let problems = use_state(Vec::<String>::new);
    let following = use_state(|| None::<String>);
    let offer = use_state(|| None::<LinkOffer>);
    let send_problem = use_state(|| None::<String>);
    let fault_problem = use_state(|| None::<String>);
    let selected = use_state(|| None::<String>);
    let journey_cache: JourneyCache = use_mut_ref(|| None);
    let filter = use_state(TraceFilter::default);
    let scroll = use_state_eq(|| Scroll::Newest);
    let frame_ref = use_node_ref();
    {
        // Following the newest rows: keep the log scrolled to its end after each render.
        let frame_ref = frame_ref.clone();
        let newest = *scroll == Scroll::Newest;
        use_effect(move || {
            if let Some(frame) = frame_ref.cast::<web_sys::Element>().filter(|_| newest) {
                frame.set_scroll_top(frame.scroll_height());
            }
        });
    }
    let template_ref = use_node_ref();
    let frame_loop = use_mut_ref(|| None::<frames::FrameLoop>);
    let inbox_cache: InboxCache = use_mut_ref(|| None);

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

    use_effect_with(document.clone(), |document| {
        if let Ok(text) = serde_json::to_string(document) {
            // Autosave is best effort here; the pattern tester reports when storage refuses.
            let _ = storage::save(STORAGE_KEY, &text);
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
        use_effect_with((key_of(&document), *links_applied), move |(_, applied)| {
            *inbox_cache.borrow_mut() = None;
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
                    if going_to > 0 {
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
        use_effect_with(running, move |running| {
            *frame_loop.borrow_mut() = running.then(|| {
                frames::start(move |wall_ms| {
                    let keep_going = drive(&session, &clock, wall_ms);
                    redraw.force_update();
                    keep_going
                })
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
    let on_send = {
        let playground = playground.clone();
        let session = session.clone();
        let send_problem = send_problem.clone();
        Callback::from(move |mut send: HandSend| {
            let guard = session.borrow();
            let Some(live) = guard.as_ref() else { return };
            send.at_ms = live.now_ms();
            match send.to_send(live.template()) {
                Ok(_) => {
                    send_problem.set(None);
                    drop(guard);
                    playground.dispatch(Action::Send(send));
                }
                Err(problem) => send_problem.set(Some(problem)),
            }
        })
    };
    let on_clear_sends = {
        let playground = playground.clone();
        Callback::from(move |_: ()| playground.dispatch(Action::ClearSends))
    };
    let on_follow = {
        let following = following.clone();
        Callback::from(move |id: String| following.set(Some(id)))
    };
    let on_fault = {
        let playground = playground.clone();
        let session = session.clone();
        let fault_problem = fault_problem.clone();
        Callback::from(move |(id, fault): (String, Fault)| {
            let section = session
                .borrow()
                .as_ref()
                .and_then(|live| Some(live.resource(&id)?.kind))
                .and_then(section_for);
            let Some(section) = section else { return };
            match apply_fault(&playground.0.template, section, &id, fault) {
                Ok(text) => {
                    fault_problem.set(None);
                    playground.dispatch(Action::EditTemplate(text));
                }
                Err(problem) => fault_problem.set(Some(problem)),
            }
        })
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
    let guard = session.borrow();
    let clock_now = clock.borrow().clone();
    let live = guard.as_ref();
    let stale = !problems.is_empty();

    html! {
        <section class="view playground" aria-labelledby="view-title">
            <h1 id="view-title">{ "Playground" }</h1>
            <p class="lede">
                { "A CloudFormation template of buses, rules, topics, subscriptions, queues and functions, \
                   drawn as a live diagram and run on a virtual clock with a seed: the same template, \
                   seed and sends give the same run on every machine, however you play, step or rewind." }
            </p>
            { offer_notice(&offer, &playground) }
            { arrival_notice(&arrival, "a template", on_open_link, on_keep) }
            <PlaygroundToolbar document={document.clone()} {on_action} {make_link} />
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
                { live_view(live, &clock_now, Panels { selected: &selected, following: &following, cache: &journey_cache, on_select: &on_select, on_follow: &on_follow, on_fault: &on_fault, fault_problem: (*fault_problem).clone() }, stale) }
            }
            <div class="columns">
                <div class="pane">
                    <label for="template" class="pane-title">{ "Template (YAML or JSON)" }</label>
                    <Editor id="template" node_ref={template_ref} rows={24} invalid={stale}
                        marks={problem_marks(&document.template, &problems)}
                        value={document.template.clone()} on_change={on_template} />
                    if let Some(live) = live {
                        <SendForm destinations={destinations(live.template()).into_iter().filter(|(id, _)| live.node(id).is_some()).collect::<Vec<_>>()} sent={document.hand_sends.clone()}
                            on_send={on_send} on_clear={on_clear_sends} problem={(*send_problem).clone()} />
                    }
                </div>
                <div class="pane">
                    if let Some(live) = live {
                        if let Some(id) = &*following {
                            { journey_panel(live, id, &journey_cache, &on_follow, &following) }
                        }
                        { trace_log(TraceLogArgs {
                            steps: live.steps_now(),
                            fingerprint: (live.fingerprint(), live.frontier_ms()),
                            resources: live.topology.nodes.iter().map(|n| n.id.clone()).collect(),
                            filter: &filter,
                            scroll: *scroll,
                            frame: frame_ref.clone(),
                            on_filter: { let filter = filter.clone(); Callback::from(move |f| filter.set(f)) },
                            on_scroll: { let scroll = scroll.clone(); Callback::from(move |s| scroll.set(s)) },
                            on_follow: on_follow.clone(),
                        }) }
                    }
                </div>
            </div>
            if let Some(live) = live {
                { inboxes_view(&inboxes_now(live, clock_now.is_running(), &inbox_cache)) }
            }
        </section>
    }
}
