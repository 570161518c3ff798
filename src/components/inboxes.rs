//! The inboxes of a run: one group per email, SMS or HTTP/S subscription, listing the latest
//! messages it received. SMS reads like a phone's message list, email like a mail list, web
//! endpoints like a request log. Plain text only: payloads never go through `inner_html`.

use yew::prelude::*;

use crate::state::inboxes::{kept_note, Inbox, InboxMessage};
use crate::state::playground::clock;
use eventyard_sim::INBOX_KEEP;
use eventyard_template::Protocol;

/// The "Inboxes" section, or nothing when the template has no inbox subscription.
pub fn inboxes_view(inboxes: &[Inbox]) -> Html {
    if inboxes.is_empty() {
        return Html::default();
    }
    html! {
        <section class="inboxes" aria-labelledby="inboxes-title">
            <h2 id="inboxes-title">{ "Inboxes" }</h2>
            <p class="note">
                { format!("What SNS delivered to email, SMS and HTTP/S subscriptions, oldest first. \
                           Each inbox keeps only its latest {INBOX_KEEP} messages.") }
            </p>
            { for inboxes.iter().enumerate().map(|(index, inbox)| inbox_view(index, inbox)) }
        </section>
    }
}

fn inbox_view(index: usize, inbox: &Inbox) -> Html {
    let title_id = format!("inbox-{index}-title");
    html! {
        <section class={classes!("inbox", inbox.protocol.as_str())} aria-labelledby={title_id.clone()}>
            <h3 id={title_id}>{ inbox.logical_id.clone() }</h3>
            <p class="inbox-meta">
                <span class="inbox-kind">{ inbox.kind_label() }</span>
                { " to " }<code>{ inbox.endpoint.clone() }</code>{ " · " }{ kept_note(inbox) }
            </p>
            if inbox.messages.is_empty() {
                <p class="note">{ "Nothing arrived during this run." }</p>
            } else {
                <ol class="inbox-messages" aria-label={inbox.list_label()}>
                    { for inbox.messages.iter().map(|message| message_view(inbox.protocol, message)) }
                </ol>
            }
        </section>
    }
}

fn message_view(protocol: Protocol, message: &InboxMessage) -> Html {
    let time = html! { <span class="time">{ clock(message.time_ms) }</span> };
    if protocol == Protocol::Sms {
        return html! {
            <li class="sms-message">
                <p class="bubble">{ message.text.clone() }</p>
                { time }
            </li>
        };
    }
    html! {
        <li class="mail-message">
            <div class="mail-head">
                { time }
                if let Some(subject) = &message.subject {
                    <span class="subject">{ subject.clone() }</span>
                }
            </div>
            <p class="body">{ message.text.clone() }</p>
            if let Some(envelope) = &message.envelope {
                <details>
                    <summary>{ "JSON envelope" }</summary>
                    <pre>{ envelope.clone() }</pre>
                </details>
            }
        </li>
    }
}
