//! Guided lessons that walk the event-driven serverless curriculum.

use yew::prelude::*;

/// The lessons in the order a learner takes them, with what each one shows.
const LESSONS: [(&str, &str); 7] = [
    (
        "The donut shop",
        "Routing and filtering with EventBridge rules: the donut maker ignores pie orders.",
    ),
    (
        "Calling versus queueing",
        "What a queue buys you when the receiver fails or is slow.",
    ),
    (
        "Fan-out with SNS",
        "One message, many subscribers, each with its own filter policy.",
    ),
    (
        "Dead-letter queues and redrive",
        "Where poison messages go, and how to send them back.",
    ),
    (
        "FIFO ordering",
        "Message groups, deduplication, and why a group waits for its slowest message.",
    ),
    (
        "Ride times in a theme park",
        "Real-time events from a scheduled publisher through SNS and EventBridge.",
    ),
    (
        "Signing in",
        "A Cognito user pool, the authorization-code flow, and the claims inside the tokens.",
    ),
];

#[function_component(Learn)]
pub fn learn() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Learn" }</h1>
            <p class="lede">{ "Lessons that each open a ready scenario you can change and run." }</p>
            <ol class="lessons" aria-label="Lessons">
                { for LESSONS.iter().map(|(title, summary)| html! {
                    <li><strong>{ *title }</strong>{ " — " }{ *summary }</li>
                }) }
            </ol>
        </section>
    }
}
