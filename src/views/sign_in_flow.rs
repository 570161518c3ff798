//! The flow step by step: the sequence diagram of what was sent (user, browser / client app,
//! authorization server, resource server), the mistakes to try, and the virtual clock that codes
//! and tokens expire on.

use yew::prelude::*;

use crate::state::sign_in::{Action, Actor, Mistake, Page, SignInModel};
use crate::views::sign_in::Dispatcher;

/// `+h:mm:ss` after the start of the simulation.
pub fn elapsed(ms: u64, start_ms: u64) -> String {
    let s = ms.saturating_sub(start_ms) / 1000;
    format!("+{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

pub fn clock_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let advance = |label: &'static str, ms: u64| {
        html! { <button type="button" onclick={dispatcher.callback(move || Action::Advance { ms })}>{ label }</button> }
    };
    html! {
        <section class="clock-panel" aria-labelledby="signin-clock-title">
            <h2 id="signin-clock-title">{ "Virtual clock" }</h2>
            <p aria-label="Virtual time">
                <strong>{ elapsed(model.now_ms, model.start_ms) }</strong>
                { format!(" · {}", eventyard_template::time::format_iso_s(model.now_ms)) }
            </p>
            <p class="note">{ "Codes and tokens expire on this clock, not yours: authorization codes after 5 minutes, ID and access tokens after the app client's validity (1 hour by default)." }</p>
            <div class="button-row">
                { advance("+1 minute", 60_000) }
                { advance("+5 minutes", 300_000) }
                { advance("+1 hour", 3_600_000) }
            </div>
        </section>
    }
}

pub fn mistakes_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let ready = model.client.username.is_some() && model.page == Page::SignedIn;
    let button = |label: &'static str, mistake: Mistake| {
        html! { <button type="button" disabled={!ready} onclick={dispatcher.callback(move || Action::Try(mistake))}>{ label }</button> }
    };
    html! {
        <section class="mistakes" aria-labelledby="mistakes-title">
            <h2 id="mistakes-title">{ "Try the mistakes" }</h2>
            <p class="note">{ if ready { "Each replays part of the sign-in the wrong way; the diagram below shows the request and the error Cognito gives." } else { "Sign in first: these replay parts of a sign-in." } }</p>
            <div class="button-row">
                { button("Reuse the code", Mistake::ReuseCode) }
                { button("Use an expired code", Mistake::ExpiredCode) }
                { button("Send a wrong verifier", Mistake::WrongVerifier) }
                { button("Tamper with state", Mistake::StateMismatch) }
                if model.offers_passkeys() {
                    { button("Phish the passkey", Mistake::LookAlikeSite) }
                }
            </div>
            if let Some(response) = &model.last_response {
                <pre class="response" aria-label="Last response">{ response }</pre>
            }
        </section>
    }
}

pub fn flow_view(model: &SignInModel) -> Html {
    html! {
        <section class="flow" aria-labelledby="flow-title">
            <h2 id="flow-title">{ "The flow, step by step" }</h2>
            <p class="note">{ "The authorization-code grant with PKCE as it happened: open a step for its URL, form body or JSON." }</p>
            <figure class="sequence" aria-label="Sequence diagram">
                <div class="seq-actors" aria-hidden="true">
                    { for Actor::ALL.iter().map(|actor| html! { <div class="seq-actor">{ actor.name() }</div> }) }
                </div>
                if model.steps.is_empty() {
                    <p class="note">{ "Nothing yet: press Sign in with Cognito in the simulated browser." }</p>
                } else {
                    <ol class="seq-steps">
                        { for model.steps.iter().enumerate().map(|(i, step)| html! {
                            <li class={classes!("seq-step", step.failed.then_some("failed"))}>
                                <div class="seq-lanes" aria-hidden="true">
                                    <div class={classes!("seq-arrow", step.span_class(), if step.from == step.to { "self" } else if step.from.column() < step.to.column() { "right" } else { "left" })}></div>
                                </div>
                                <details>
                                    <summary>{ format!("{}. {} {}", i + 1, step.direction(), step.label()) }</summary>
                                    <pre>{ &step.detail }</pre>
                                </details>
                            </li>
                        }) }
                    </ol>
                }
            </figure>
        </section>
    }
}
