//! Guided lessons that walk the event-driven serverless curriculum.

use yew::prelude::*;

struct Lesson {
    title: &'static str,
    summary: &'static str,
    /// The preset in `presets/` the lesson opens in the playground.
    preset: Option<&'static str>,
}

/// The lessons in the order a learner takes them.
const LESSONS: [Lesson; 7] = [
    Lesson {
        title: "The donut shop",
        summary:
            "Routing and filtering with EventBridge rules: the donut maker ignores pie orders.",
        preset: Some("donut-shop"),
    },
    Lesson {
        title: "Calling versus queueing",
        summary: "What a queue buys you when the receiver fails or is slow.",
        preset: Some("sync-vs-queue"),
    },
    Lesson {
        title: "Fan-out with SNS",
        summary: "One message, many subscribers, each with its own filter policy.",
        preset: Some("sns-fanout"),
    },
    Lesson {
        title: "Dead-letter queues and redrive",
        summary: "Where poison messages go, and how to send them back.",
        preset: Some("dlq-redrive"),
    },
    Lesson {
        title: "FIFO ordering",
        summary: "Message groups, deduplication, and why a group waits for its slowest message.",
        preset: Some("fifo-ordering"),
    },
    Lesson {
        title: "Ride times in a theme park",
        summary: "Real-time events from a scheduled publisher through SNS and EventBridge.",
        preset: Some("theme-park"),
    },
    Lesson {
        title: "Signing in",
        summary:
            "A Cognito user pool, the authorization-code flow, and the claims inside the tokens.",
        preset: None,
    },
];

#[function_component(Learn)]
pub fn learn() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Learn" }</h1>
            <p class="lede">{ "Lessons that each open a ready scenario you can change and run." }</p>
            <ol class="lessons" aria-label="Lessons">
                { for LESSONS.iter().map(|Lesson { title, summary, preset }| html! {
                    <li>
                        <strong>{ *title }</strong>{ " — " }{ *summary }{ " " }
                        if let Some(preset) = preset {
                            <a href={format!("#/playground?preset={preset}")} aria-label={format!("Open “{title}” in the playground")}>
                                { "Open in the playground" }
                            </a>
                        } else {
                            <span class="note">{ "(coming with the sign-in view)" }</span>
                        }
                    </li>
                }) }
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::LESSONS;
    use crate::presets;

    #[test]
    fn every_lesson_preset_exists() {
        for lesson in LESSONS {
            if let Some(id) = lesson.preset {
                assert!(
                    presets::find(id).is_some(),
                    "{}: no preset {id}",
                    lesson.title
                );
            }
        }
    }
}
