//! Guided lessons that walk the event-driven serverless curriculum.
//!
//! Each preset of `presets/index.json` is a lesson (its title and lesson text, in the index's
//! order); the lessons that have no preset yet follow them.

use yew::prelude::*;

use crate::presets::{Preset, PRESETS};

/// A lesson whose journey is not a playground preset.
struct OtherLesson {
    title: &'static str,
    summary: &'static str,
    /// Where the lesson happens instead of the playground: (fragment, link text).
    link: (&'static str, &'static str),
}

/// The lessons after the presets' ones.
const OTHER_LESSONS: [OtherLesson; 1] = [OtherLesson {
    title: "Signing in",
    summary: "A Cognito user pool, the authorization-code flow with PKCE, and the claims inside the tokens; then the admins-only preset routes events on them.",
    link: ("#/sign-in", "Open Sign in"),
}];

/// The link that offers a preset in the playground (see `PlaygroundProps::preset_offer`).
fn playground_link(preset: &Preset) -> String {
    format!("#/playground?preset={}", preset.id)
}

#[function_component(Learn)]
pub fn learn() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Learn" }</h1>
            <p class="lede">{ "Lessons that each open a ready scenario you can change and run." }</p>
            <ol class="lessons" aria-label="Lessons">
                { for PRESETS.iter().map(|preset| html! {
                    <li>
                        <strong>{ preset.title }</strong>{ " — " }{ preset.lesson }{ " " }
                        <a href={playground_link(preset)} aria-label={format!("Open “{}” in the playground", preset.title)}>
                            { "Open in the playground" }
                        </a>
                    </li>
                }) }
                { for OTHER_LESSONS.iter().map(|lesson| html! {
                    <li>
                        <strong>{ lesson.title }</strong>{ " — " }{ lesson.summary }{ " " }
                        <a href={lesson.link.0}>{ lesson.link.1 }</a>
                    </li>
                }) }
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;
    use crate::route::{fragment_param, View};

    #[test]
    fn every_lesson_link_opens_its_preset_in_the_playground() {
        for preset in &PRESETS {
            let link = playground_link(preset);
            assert_eq!(View::from_fragment(&link), View::Playground);
            let id = fragment_param(&link, "preset");
            assert_eq!(id.and_then(presets::find), Some(preset), "{link}");
        }
    }

    #[test]
    fn other_lessons_link_to_a_view() {
        for lesson in OTHER_LESSONS {
            assert_eq!(View::from_fragment(lesson.link.0), View::SignIn);
        }
    }

    #[test]
    fn lessons_without_a_preset_are_not_presets() {
        for lesson in OTHER_LESSONS {
            assert!(
                PRESETS.iter().all(|preset| preset.title != lesson.title),
                "{}",
                lesson.title
            );
        }
    }
}
