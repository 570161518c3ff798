//! Sending by hand while the playground runs: a PutEvents entry to a bus, a Publish to a topic
//! (subject, attributes, group id) or a SendMessage to a queue. What was sent is listed and can
//! be sent again.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::editor::Editor;
use crate::state::playground::clock;
use crate::state::sends::HandSend;

#[derive(Properties, PartialEq)]
pub struct SendFormProps {
    /// (logical id, "bus" | "topic" | "queue").
    pub destinations: Vec<(String, &'static str)>,
    pub sent: Vec<HandSend>,
    /// Sends are stamped with the time shown; the form fills the rest.
    pub on_send: Callback<HandSend>,
    pub on_clear: Callback<()>,
    /// Why the last send was refused, naming the field.
    pub problem: Option<String>,
}

#[function_component(SendForm)]
pub fn send_form(props: &SendFormProps) -> Html {
    let draft = use_state(|| HandSend {
        // The default bus is always there; a bus, topic or queue of the template's own is likelier.
        target: props
            .destinations
            .iter()
            .find(|(id, _)| id != "default")
            .or(props.destinations.first())
            .map(|(id, _)| id.clone())
            .unwrap_or_default(),
        source: "eventyard.playground".into(),
        detail_type: "Sent by hand".into(),
        body: "{\"hello\": \"world\"}".into(),
        ..HandSend::default()
    });
    // The draft's destination, or the first one when the template changed under it.
    let (target, kind) = props
        .destinations
        .iter()
        .find(|(id, _)| *id == draft.target)
        .or(props.destinations.first())
        .map_or((String::new(), ""), |(id, kind)| (id.clone(), *kind));
    let field = |set: fn(&mut HandSend, String)| {
        let draft = draft.clone();
        move |value: String| {
            let mut next = (*draft).clone();
            set(&mut next, value);
            draft.set(next);
        }
    };
    let input = |set: fn(&mut HandSend, String)| {
        let field = field(set);
        Callback::from(move |e: InputEvent| {
            field(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let text_area = |set: fn(&mut HandSend, String)| {
        let field = field(set);
        Callback::from(move |text: String| field(text))
    };
    let on_target = {
        let field = field(|d, v| d.target = v);
        Callback::from(move |e: Event| {
            field(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    // Signed in on the Sign in page: events can carry the caller's claims, as an API with a
    // Cognito authorizer would put them (state::identity).
    let claims = (kind == "bus")
        .then(crate::services::identity::signed_in_claims)
        .flatten();
    let as_user = use_state(|| false);
    let on_as_user = {
        let as_user = as_user.clone();
        Callback::from(move |_: Event| as_user.set(!*as_user))
    };
    let on_send = {
        let draft = draft.clone();
        let claims = claims.clone().filter(|_| *as_user);
        let on_send = props.on_send.clone();
        let target = target.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut send = HandSend {
                target: target.clone(),
                ..(*draft).clone()
            };
            if let Some(claims) = &claims {
                // A detail that is not a JSON object is sent as it is, and refused with its message.
                if let Ok(body) = crate::state::identity::with_claims(&send.body, claims) {
                    send.body = body;
                }
            }
            on_send.emit(send);
        })
    };
    let body_label = match kind {
        "bus" => "Detail (JSON)",
        "topic" => "Message",
        _ => "Message body",
    };
    html! {
        <section class="send" aria-labelledby="send-title">
            <h2 id="send-title">{ "Send by hand" }</h2>
            if props.destinations.is_empty() {
                <p class="note">{ "This template has no bus, topic or queue to send to." }</p>
            } else {
                <form onsubmit={on_send} aria-label="Send a message">
                    <label>{ "To " }
                        <select onchange={on_target} ~value={target.clone()}>
                            { for props.destinations.iter().map(|(id, kind)| html! {
                                <option value={id.clone()} selected={*id == target}>{ format!("{id} ({kind})") }</option>
                            }) }
                        </select>
                    </label>
                    if kind == "bus" {
                        <label>{ "Source " }<input value={draft.source.clone()} oninput={input(|d, v| d.source = v)} /></label>
                        <label>{ "DetailType " }<input value={draft.detail_type.clone()} oninput={input(|d, v| d.detail_type = v)} /></label>
                    }
                    if kind == "topic" {
                        <label>{ "Subject " }<input value={draft.subject.clone()} oninput={input(|d, v| d.subject = v)} /></label>
                        <label class="wide">{ "MessageAttributes (JSON) " }
                            <input value={draft.attributes.clone()} oninput={input(|d, v| d.attributes = v)}
                                placeholder={r#"{"kind": {"DataType": "String", "StringValue": "pie"}}"#} />
                        </label>
                    }
                    if kind != "bus" {
                        <label>{ "MessageGroupId " }<input value={draft.group_id.clone()} oninput={input(|d, v| d.group_id = v)} placeholder="FIFO only" size="10" /></label>
                        <label>{ "MessageDeduplicationId " }<input value={draft.deduplication_id.clone()} oninput={input(|d, v| d.deduplication_id = v)} placeholder="optional" size="10" /></label>
                    }
                    <div class="wide">
                        <span aria-hidden="true">{ body_label }</span>
                        <Editor label={body_label} rows={3} value={draft.body.clone()} on_change={text_area(|d, v| d.body = v)} />
                    </div>
                    if let Some(claims) = &claims {
                        <label class="wide">
                            <input type="checkbox" checked={*as_user} onchange={on_as_user} />
                            { format!(" Send as the signed-in user ({}): the detail gets requestContext.authorizer.claims", claims.get("email").and_then(|e| e.as_str()).unwrap_or("signed in")) }
                        </label>
                    }
                    <button type="submit" class="primary">{ "Send now" }</button>
                    if let Some(problem) = &props.problem {
                        <p class="problem" role="alert">{ problem.clone() }</p>
                    }
                </form>
            }
            if !props.sent.is_empty() {
                <h3>{ "Sent by hand" }</h3>
                <ul class="sent" aria-label="Sent by hand">
                    { for props.sent.iter().map(|sent| {
                        let again = {
                            let sent = sent.clone();
                            props.on_send.reform(move |_: MouseEvent| sent.clone())
                        };
                        html! {
                            <li>
                                <span class="time">{ clock(sent.at_ms) }</span>
                                <strong>{ sent.target.clone() }</strong>
                                <code>{ sent.body.chars().take(60).collect::<String>() }</code>
                                <button type="button" onclick={again}>{ "Send again now" }</button>
                            </li>
                        }
                    }) }
                </ul>
                <button type="button" onclick={props.on_clear.reform(|_| ())}>{ "Forget what was sent by hand" }</button>
            }
        </section>
    }
}
