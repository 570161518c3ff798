//! The flow playground: a template, a seed and a run length; a run through the simulator shows
//! what happened at every resource and every step of every message.
//!
//! The live diagram, the animated clock and scripted sends while running come later; this view
//! already runs the real simulator on the real template, the same as `eventyard run`, and
//! follows any message's journey through the trace.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::inboxes::inboxes_view;
use crate::presets::{self, Preset, PRESETS};
use crate::services::storage;
use crate::state::journey::journey;
use crate::state::playground::{
    clock, kind_label, run, shows_empty_receives, Action, PlaygroundDocument, ResourceRow,
    RunOutcome, TraceRow, RUN_LENGTHS_MS, TRACE_ROWS_MAX,
};
use eventyard_sim::SIMPLIFICATIONS;

/// Where the document is autosaved.
const STORAGE_KEY: &str = "playground";

#[derive(Clone, PartialEq)]
struct Playground(PlaygroundDocument);

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
    /// A preset the link names (`#/playground?preset=ID`). It is offered, not loaded: opening a
    /// link must never replace the work already here.
    #[prop_or_default]
    pub preset_offer: Option<String>,
}

#[function_component(PlaygroundView)]
pub fn playground_view(props: &PlaygroundProps) -> Html {
    let playground = use_reducer(|| Playground(initial_document()));
    let document = &playground.0;
    let offer = use_state(|| None::<&'static Preset>);
    {
        let offer = offer.clone();
        let template = document.template.clone();
        use_effect_with(props.preset_offer.clone(), move |id| {
            let preset = id.as_deref().and_then(presets::find);
            offer.set(preset.filter(|preset| preset.template != template));
        });
    }
    // The outcome of the last press of "Run", with the document it ran.
    let outcome = use_state(|| None::<(PlaygroundDocument, RunOutcome)>);
    // The message whose journey the trace shows, if one was picked.
    let following = use_state(|| None::<String>);

    use_effect_with(document.clone(), |document| {
        if let Ok(text) = serde_json::to_string(document) {
            // Autosave is best effort here; the pattern tester reports when storage refuses.
            let _ = storage::save(STORAGE_KEY, &text);
        }
    });

    let on_preset = {
        let playground = playground.clone();
        Callback::from(move |event: Event| {
            let id = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(preset) = PRESETS.iter().find(|preset| preset.id == id) {
                playground.dispatch(Action::LoadPreset(preset.id));
            }
        })
    };
    let on_template = {
        let playground = playground.clone();
        Callback::from(move |event: InputEvent| {
            playground.dispatch(Action::EditTemplate(
                event.target_unchecked_into::<HtmlTextAreaElement>().value(),
            ))
        })
    };
    let on_seed = {
        let playground = playground.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<HtmlInputElement>().value();
            playground.dispatch(Action::SetSeed(text.trim().parse().ok()))
        })
    };
    let on_until = {
        let playground = playground.clone();
        Callback::from(move |event: Event| {
            if let Ok(until_ms) = event
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
            {
                playground.dispatch(Action::SetUntil(until_ms));
            }
        })
    };
    let on_run = {
        let outcome = outcome.clone();
        let following = following.clone();
        let document = document.clone();
        Callback::from(move |_| {
            following.set(None);
            outcome.set(Some((document.clone(), run(&document))));
        })
    };
    let trace_view = TraceView {
        following: (*following).clone(),
        on_follow: {
            let following = following.clone();
            Callback::from(move |id: String| following.set(Some(id)))
        },
        on_show_all: {
            let following = following.clone();
            Callback::from(move |_| following.set(None))
        },
    };
    let on_accept_offer = {
        let playground = playground.clone();
        let offer = offer.clone();
        Callback::from(move |_| {
            if let Some(preset) = *offer {
                playground.dispatch(Action::LoadPreset(preset.id));
            }
            offer.set(None);
        })
    };
    let on_decline_offer = {
        let offer = offer.clone();
        Callback::from(move |_| offer.set(None))
    };
    let stale = outcome.as_ref().is_some_and(|(ran, _)| ran != document);

    html! {
        <section class="view playground" aria-labelledby="view-title">
            <h1 id="view-title">{ "Playground" }</h1>
            <p class="lede">
                { "A CloudFormation template of buses, rules, topics, subscriptions, queues and functions, \
                   run on a virtual clock with a seed: the same template and seed give the same run on \
                   every machine." }
            </p>
            if let Some(preset) = *offer {
                <div class="notice offer" role="region" aria-label="Preset offered by the link">
                    <p>{ format!("This link opens the preset “{}”. Your current template stays until you open it.", preset.title) }</p>
                    <button type="button" class="primary" onclick={on_accept_offer}>{ "Open the preset" }</button>
                    <button type="button" onclick={on_decline_offer}>{ "Keep my template" }</button>
                </div>
            }
            <div class="toolbar">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" onchange={on_preset}>
                    <option value="" selected=true disabled=true>{ "Load a preset…" }</option>
                    { for PRESETS.iter().map(|preset| html! {
                        <option value={preset.id}>{ preset.title }</option>
                    }) }
                </select>
                <label for="seed">{ "Seed" }</label>
                <input id="seed" type="text" inputmode="numeric" size="8" placeholder="template's"
                    value={document.seed.map(|seed| seed.to_string()).unwrap_or_default()} oninput={on_seed} />
                <label for="until">{ "Run for" }</label>
                // `~value` keeps the list on the document's length when a preset changes it; the
                // `selected` attributes give the first render its choice.
                <select id="until" onchange={on_until} ~value={document.until_ms.to_string()}>
                    { for RUN_LENGTHS_MS.iter().map(|(ms, label)| html! {
                        <option value={ms.to_string()} selected={*ms == document.until_ms}>{ *label }</option>
                    }) }
                </select>
                <button type="button" class="primary" onclick={on_run}>{ "Run" }</button>
            </div>
            { simplifications() }
            <div class="columns">
                <div class="pane">
                    <label for="template" class="pane-title">{ "Template (YAML or JSON)" }</label>
                    <textarea id="template" class="code" spellcheck="false" wrap="off" rows="30"
                        value={document.template.clone()} oninput={on_template} />
                </div>
                <div class="pane">
                    if stale {
                        <p class="note" role="status">{ "The template changed since this run: press Run again." }</p>
                    }
                    { match &*outcome {
                        None => html! { <p class="note">{ "Press Run to simulate the template." }</p> },
                        Some((_, outcome)) => outcome_view(outcome, &trace_view),
                    } }
                </div>
            </div>
        </section>
    }
}

/// Which steps the trace lists: every one, or one message's journey.
struct TraceView {
    following: Option<String>,
    on_follow: Callback<String>,
    on_show_all: Callback<MouseEvent>,
}

fn outcome_view(outcome: &RunOutcome, view: &TraceView) -> Html {
    match outcome {
        RunOutcome::Invalid(problems) => html! {
            <div role="alert" class="problem">
                <p>{ "The template cannot run:" }</p>
                <ul aria-label="Template problems">{ for problems.iter().map(|problem| html! { <li>{ problem.clone() }</li> }) }</ul>
            </div>
        },
        RunOutcome::Ran {
            resources,
            trace,
            records_total,
            trace_digest,
            inboxes,
        } => html! {
            <>
                <h2>{ "Resources" }</h2>
                { resources_table(resources) }
                { inboxes_view(inboxes) }
                <h2>{ "Trace" }</h2>
                <p class="note">
                    { format!("{records_total} steps (trace fingerprint {trace_digest})") }
                    if *records_total > TRACE_ROWS_MAX as u64 {
                        { format!("; the first {TRACE_ROWS_MAX} are listed") }
                    }
                </p>
                { trace_list(trace, view) }
            </>
        },
    }
}

/// What the simulator does differently from AWS on purpose, folded away until asked for.
fn simplifications() -> Html {
    html! {
        <details class="simplifications" aria-labelledby="simplifications-title">
            <summary id="simplifications-title">{ "What this simulator simplifies" }</summary>
            <dl>
                { for SIMPLIFICATIONS.iter().map(|simplification| html! {
                    <>
                        <dt>{ simplification.area }</dt>
                        <dd>{ simplification.text }</dd>
                    </>
                }) }
            </dl>
        </details>
    }
}

fn resources_table(resources: &[ResourceRow]) -> Html {
    let empty_receives = shows_empty_receives(resources);
    html! {
        <div class="table-scroll">
        <table class="resources" aria-label="Resources">
            <thead>
                <tr>
                    <th scope="col">{ "Resource" }</th><th scope="col">{ "Type" }</th>
                    <th scope="col">{ "Received" }</th><th scope="col">{ "Delivered" }</th>
                    <th scope="col">{ "Filtered" }</th><th scope="col">{ "Failed" }</th>
                    <th scope="col">{ "In DLQ" }</th><th scope="col">{ "Left" }</th>
                    if empty_receives {
                        <th scope="col">{ "Empty receives" }</th>
                    }
                </tr>
            </thead>
            <tbody>
                { for resources.iter().map(|row| html! {
                    <tr>
                        <th scope="row">{ row.logical_id.clone() }</th>{ kind_cell(row.kind) }
                        <td>{ row.received }</td><td>{ row.delivered }</td><td>{ row.filtered }</td>
                        <td>{ row.failed }</td><td>{ row.in_dlq }</td><td>{ row.left.map_or_else(|| "-".to_string(), |left| left.to_string()) }</td>
                        if empty_receives {
                            <td>{ row.empty_receives }</td>
                        }
                    </tr>
                }) }
            </tbody>
        </table>
        </div>
    }
}

/// The type, with a line-break opportunity after each `::` so that long AWS type names wrap in
/// a narrow pane instead of pushing the counts out of view (the text itself is unchanged).
fn kind_cell(kind: &'static str) -> Html {
    html! {
        <td>
            { for kind_label(kind).split_inclusive("::").map(|part| html! { <>{ part }<wbr /></> }) }
        </td>
    }
}

/// The trace, or the journey of the message followed: the messages it came from and all that
/// came from it.
fn trace_list(trace: &[TraceRow], view: &TraceView) -> Html {
    let Some(id) = view.following.as_deref() else {
        return html! {
            <ol class="trace" aria-label="Trace">{ for trace.iter().map(|row| trace_row(row, &view.on_follow)) }</ol>
        };
    };
    let steps: Vec<&TraceRow> = journey(trace, id)
        .into_iter()
        .filter_map(|index| trace.get(index))
        .collect();
    let resources: std::collections::BTreeSet<&str> =
        steps.iter().map(|row| row.resource.as_str()).collect();
    html! {
        <>
            <p class="note journey" role="status">
                { format!("The journey of message {id}: {} steps at {} resources, from where it came from to all that came from it.", steps.len(), resources.len()) }
                { " " }
                <button type="button" onclick={view.on_show_all.clone()}>{ "Show every step" }</button>
            </p>
            <ol class="trace" aria-label={format!("Journey of message {id}")}>
                { for steps.into_iter().map(|row| trace_row(row, &view.on_follow)) }
            </ol>
        </>
    }
}

fn trace_row(row: &TraceRow, on_follow: &Callback<String>) -> Html {
    let id = row.message_id.clone();
    let follow = on_follow.reform(move |_: MouseEvent| id.clone());
    html! {
        <li class={classes!("step", row.action)}>
            <span class="time">{ clock(row.time_ms) }</span>
            <span class="resource">{ row.resource.clone() }</span>
            <span class="action">{ row.action.replace('_', " ") }</span>
            <button type="button" class="message-id" onclick={follow}
                aria-label={format!("Follow message {}", row.message_id)}
                title="Show this message's journey">{ row.message_id.clone() }</button>
            <span class="reason">{ row.reason.clone() }</span>
            if let Some(payload) = &row.payload {
                <details>
                    <summary>{ "payload" }</summary>
                    <pre>{ payload.clone() }</pre>
                </details>
            }
        </li>
    }
}
