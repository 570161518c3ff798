//! A node's details: its settings, every counter at the time shown, and (for a queue) the
//! messages it holds now, each one click from its journey.

use eventyard_sim::{Counters, HeldMessage};
use yew::prelude::*;

use crate::state::topology::clip;

use web_sys::HtmlInputElement;

use crate::state::faults::Fault;
use crate::state::playground::clock;
use crate::state::topology::{Node, NodeKind};

#[derive(Properties, PartialEq)]
pub struct NodeDetailsProps {
    pub node: Node,
    pub figures: Vec<(&'static str, u64)>,
    pub counters: Counters,
    /// For a queue: what it holds now (the first few hundred).
    pub held: Option<Vec<HeldMessage>>,
    pub on_follow: Callback<String>,
    pub on_close: Callback<()>,
    /// The faults this resource can take (none for buses, rules, topics); written into the
    /// template's `Metadata: Eventyard:`.
    pub faults: Vec<FaultKind>,
    pub now_ms: u64,
    pub on_fault: Callback<Fault>,
    /// Why the last fault could not be written.
    pub fault_problem: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    Down,
    /// A subscription endpoint that refuses SNS (a client-side error).
    Refused,
    FailPercent,
    Duration,
}

/// The most held messages listed; the count still says how many there are.
const HELD_LISTED: usize = 200;

#[function_component(NodeDetails)]
pub fn node_details(props: &NodeDetailsProps) -> Html {
    let percent = use_state(|| 50u64);
    let duration = use_state(|| 5_000u64);
    let node = &props.node;
    let c = &props.counters;
    let all_counters = [
        ("received", c.received),
        ("matched", c.matched),
        ("filtered", c.filtered),
        ("transformed", c.transformed),
        ("delivered", c.delivered),
        ("failed", c.failed),
        ("retried", c.retried),
        ("moved to DLQ", c.moved_to_dlq),
        ("expired", c.expired),
        ("deleted", c.deleted),
        ("deduplicated", c.deduplicated),
        ("empty receives", c.empty_receives),
    ];
    html! {
        <section class="node-details" aria-label={format!("Details of {}", node.id)}>
            <header>
                <h3>{ format!("{} — {}", node.id, node.kind.label()) }</h3>
                <button type="button" onclick={props.on_close.reform(|_| ())}>{ "Close" }</button>
            </header>
            <p class="note">{ node.note.clone() }</p>
            if node.kind == NodeKind::UserPool {
                <p>
                    <a href="#/sign-in">{ "Open the Sign in page" }</a>
                    { ": sign up and sign in to this pool there; signed in, Send by hand can put your claims in an event (requestContext.authorizer.claims)." }
                </p>
            }
            <dl class="figures">
                { for props.figures.iter().map(|(name, value)| html! {
                    <><dt>{ *name }</dt><dd>{ *value }</dd></>
                }) }
            </dl>
            if !node.settings.is_empty() {
                <h4>{ "Settings" }</h4>
                <dl class="settings">
                    { for node.settings.iter().map(|(name, value)| html! {
                        <><dt>{ name.clone() }</dt><dd><code>{ value.clone() }</code></dd></>
                    }) }
                </dl>
            }
            <details>
                <summary>{ "Every counter" }</summary>
                <dl class="figures">
                    { for all_counters.iter().filter(|(_, v)| *v > 0).map(|(name, value)| html! {
                        <><dt>{ *name }</dt><dd>{ *value }</dd></>
                    }) }
                </dl>
            </details>
            if !props.faults.is_empty() {
                { faults_view(props, &percent, &duration) }
            }
            if let Some(held) = &props.held {
                <h4>{ format!("Messages in the queue now: {}", held.len()) }</h4>
                if held.is_empty() {
                    <p class="note">{ "None." }</p>
                } else {
                    <ul class="held" aria-label={format!("Messages in {}", node.id)}>
                        { for held.iter().take(HELD_LISTED).map(|message| held_view(message, &props.on_follow)) }
                    </ul>
                    if held.len() > HELD_LISTED {
                        <p class="note">{ format!("The first {HELD_LISTED} are listed.") }</p>
                    }
                }
            }
        </section>
    }
}

fn held_view(message: &HeldMessage, on_follow: &Callback<String>) -> Html {
    let id = message.message_id.to_string();
    let follow = {
        let id = id.clone();
        on_follow.reform(move |_: MouseEvent| id.clone())
    };
    html! {
        <li>
            <button type="button" class="message-id" onclick={follow}
                aria-label={format!("Follow message {id}")}>{ id.clone() }</button>
            <span class={classes!("state", message.state.replace(' ', "-"))}>{ message.state }</span>
            <span class="note">{ format!("received {} times, sent at {}", message.receive_count, clock(message.sent_ms)) }</span>
            <code class="body">{ clip(&message.body, 120) }</code>
        </li>
    }
}

fn faults_view(
    props: &NodeDetailsProps,
    percent: &UseStateHandle<u64>,
    duration: &UseStateHandle<u64>,
) -> Html {
    let now = props.now_ms;
    let emit = |fault: Fault| props.on_fault.reform(move |_: MouseEvent| fault);
    let number = |state: &UseStateHandle<u64>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(value) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
            {
                state.set(value);
            }
        })
    };
    html! {
        <div class="faults" role="group" aria-label="Inject a fault">
            <h4>{ "Inject a fault" }</h4>
            <p class="note">{ "Written into the template's Metadata: Eventyard:, so it travels with it and replays the same." }</p>
            if props.faults.contains(&FaultKind::Down) {
                <button type="button" onclick={emit(Fault::DownFrom(now))}>{ format!("Take it down from {}", clock(now)) }</button>
            }
            if props.faults.contains(&FaultKind::Refused) {
                <button type="button" onclick={emit(Fault::RefusedFrom(now))}>{ format!("Refuse deliveries from {}", clock(now)) }</button>
                <p class="note">{ "As when the endpoint's policy stops letting SNS in, or the endpoint is deleted: a client-side error, not retried; the message goes to the subscription's dead-letter queue, or is lost without one." }</p>
            }
            if props.faults.contains(&FaultKind::FailPercent) {
                <label>{ "Fail " }<input type="number" min="0" max="100" size="4" value={percent.to_string()} oninput={number(percent)} />{ " % " }</label>
                <button type="button" onclick={emit(Fault::FailPercent((**percent).min(100)))}>{ "Set the failure rate" }</button>
            }
            if props.faults.contains(&FaultKind::Duration) {
                <label>{ "Takes " }<input type="number" min="0" size="6" value={duration.to_string()} oninput={number(duration)} />{ " ms " }</label>
                <button type="button" onclick={emit(Fault::Duration(**duration))}>{ "Set the duration" }</button>
            }
            if props.faults.iter().any(|f| matches!(f, FaultKind::FailPercent | FaultKind::Duration)) {
                <p class="note">{ "A failure rate or a duration holds for the whole run: the run replays from the start with it." }</p>
            }
            if let Some(problem) = &props.fault_problem {
                <p class="problem" role="alert">{ problem.clone() }</p>
            }
        </div>
    }
}
