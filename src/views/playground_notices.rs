//! The playground's notices: a preset offered by a link, the template's problems (each one a
//! button that puts the cursor at its line and column), and what the simulator simplifies.

use crate::state::editor::{token_at, Mark, MarkKind};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::presets::Preset;
use crate::state::playground::Action;
use eventyard_sim::SIMPLIFICATIONS;

/// What a link asked for that the page did not do at once.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkOffer {
    /// A known preset, while the person has work of their own here.
    Preset(&'static Preset),
    /// A preset id Eventyard does not have.
    Unknown(String),
}

pub fn offer_notice<R>(
    offer: &UseStateHandle<Option<LinkOffer>>,
    playground: &UseReducerHandle<R>,
) -> Html
where
    R: Reducible<Action = Action> + 'static,
{
    match (**offer).clone() {
        None => Html::default(),
        Some(LinkOffer::Unknown(id)) => {
            let dismiss = {
                let offer = offer.clone();
                Callback::from(move |_: MouseEvent| offer.set(None))
            };
            html! {
                <div class="notice problem" role="alert">
                    <p>{ format!("This link names a preset “{id}” that Eventyard does not have; your template is unchanged.") }</p>
                    <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
        }
        Some(LinkOffer::Preset(preset)) => {
            let accept = {
                let playground = playground.clone();
                let offer = offer.clone();
                Callback::from(move |_: MouseEvent| {
                    playground.dispatch(Action::LoadPreset(preset.id));
                    offer.set(None);
                })
            };
            let decline = {
                let offer = offer.clone();
                Callback::from(move |_: MouseEvent| offer.set(None))
            };
            html! {
                <div class="notice offer" role="region" aria-label="Preset offered by the link">
                    <p>{ format!("This link opens the preset “{}”. Your current template stays until you open it.", preset.title) }</p>
                    <button type="button" class="primary" onclick={accept}>{ "Open the preset" }</button>
                    <button type="button" onclick={decline}>{ "Keep my template" }</button>
                </div>
            }
        }
    }
}

/// "line 7, column 12" in a problem's text, as (line, column).
pub fn place_of(problem: &str) -> Option<(usize, usize)> {
    let rest = &problem[problem.find("line ")? + 5..];
    let (line, rest) = rest.split_once(", column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The byte offset in `text` of a 1-based line and column (columns count characters).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    let within: usize = rest
        .chars()
        .take(column.saturating_sub(1))
        .take_while(|c| *c != '\n')
        .map(char::len_utf8)
        .sum();
    start + within
}

/// Each problem's place in the template, underlined by the editor.
pub fn problem_marks(template: &str, problems: &[String]) -> Vec<Mark> {
    problems
        .iter()
        .filter_map(|problem| place_of(problem))
        .map(|(line, column)| {
            let (start, end) = token_at(template, line as u32, column as u32);
            Mark {
                start,
                end,
                kind: MarkKind::Error,
            }
        })
        .collect()
}

pub fn problems_view(problems: &[String], editor: &NodeRef) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    html! {
        <div role="alert" class="problem">
            <p>{ "The template cannot run; the diagram shows the last one that could. Nothing you typed is lost." }</p>
            <ul aria-label="Template problems">
                { for problems.iter().map(|problem| {
                    let go = place_of(problem).map(|(line, column)| {
                        let editor = editor.clone();
                        Callback::from(move |_: MouseEvent| {
                            if let Some(area) = editor.cast::<HtmlTextAreaElement>() {
                                // Selection offsets count UTF-16 units; templates are mostly ASCII,
                                // and a slightly-off caret is harmless.
                                let offset = offset_of(&area.value(), line, column) as u32;
                                let _ = area.focus();
                                let _ = area.set_selection_range(offset, offset + 1);
                            }
                        })
                    });
                    html! {
                        <li>
                            { problem.clone() }
                            if let Some(go) = go {
                                { " " }<button type="button" onclick={go}>{ "Show in the template" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Resources and SAM event sources the simulator leaves out: listed, and the rest runs.
pub fn not_simulated_view(template: &eventyard_template::Template) -> Html {
    let pools = user_pools_view(template);
    if template.not_simulated.is_empty() {
        return pools;
    }
    html! {
        <>
        { pools }
        <div class="notice" role="note" aria-label="Not simulated">
            <p>{ "Not simulated here (the rest of the template runs; send to it by hand):" }</p>
            <ul>
                { for template.not_simulated.iter().map(|n| html! {
                    <li><code>{ n.origin.logical_id.clone() }</code>{ format!(" ({}, line {})", n.type_name, n.origin.pos.line) }</li>
                }) }
            </ul>
        </div>
        </>
    }
}

/// Cognito user pools are not on the diagram: they run on the Sign in page, whose users' claims
/// can ride in events sent by hand.
fn user_pools_view(template: &eventyard_template::Template) -> Html {
    if template.user_pools.is_empty() {
        return Html::default();
    }
    html! {
        <div class="notice" role="note" aria-label="User pools">
            <p>
                { "User pools (" }
                { for template.user_pools.iter().enumerate().map(|(i, pool)| html! {
                    <>{ if i > 0 { ", " } else { "" } }<code>{ pool.origin.logical_id.clone() }</code></>
                }) }
                { ") run on the " }<a href="#/sign-in">{ "Sign in" }</a>
                { " page: sign in there, and Send by hand can put your claims in an event." }
            </p>
        </div>
    }
}

/// What the simulator does differently from AWS on purpose, folded away until asked for.
pub fn simplifications() -> Html {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_place() {
        assert_eq!(place_of("line 7, column 12: Rule: bad"), Some((7, 12)));
        assert_eq!(place_of("Rule: no place"), None);
    }

    #[test]
    fn places_become_offsets() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(offset_of(text, 3, 1), 8);
        assert_eq!(offset_of(text, 9, 9), text.len());
    }
}
