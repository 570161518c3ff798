//! The playground's toolbar: the preset (undoable when it replaces the person's own template),
//! the seed (a whole 64-bit number, or a message), Copy link, and where playing pauses.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::share::Share;
use crate::presets::PRESETS;
use crate::state::playground::{parse_seed, Action, PlaygroundDocument, RUN_LENGTHS_MS};

#[derive(Properties, PartialEq)]
pub struct PlaygroundToolbarProps {
    pub document: PlaygroundDocument,
    pub on_action: Callback<Action>,
    /// Makes the share link of the state now.
    pub make_link: Callback<(), String>,
}

#[function_component(PlaygroundToolbar)]
pub fn playground_toolbar(props: &PlaygroundToolbarProps) -> Html {
    let document = &props.document;
    // The template a preset replaced, to undo that.
    let undo = use_state(|| None::<(PlaygroundDocument, &'static str)>);
    let seed_text = use_state(|| document.seed.map(|s| s.to_string()).unwrap_or_default());
    let seed_problem = use_state(|| None::<String>);
    {
        // A preset, a link or an undo changes the seed from outside the field: show it.
        let seed_text = seed_text.clone();
        let seed_problem = seed_problem.clone();
        use_effect_with(document.seed, move |seed| {
            if parse_seed(&seed_text).ok() != Some(*seed) {
                seed_text.set(seed.map(|s| s.to_string()).unwrap_or_default());
                seed_problem.set(None);
            }
        });
    }
    let on_preset = {
        let on_action = props.on_action.clone();
        let undo = undo.clone();
        let before = document.clone();
        Callback::from(move |event: Event| {
            let id = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(preset) = PRESETS.iter().find(|preset| preset.id == id) {
                undo.set((!before.is_pristine()).then_some((before.clone(), preset.title)));
                on_action.emit(Action::LoadPreset(preset.id));
            }
        })
    };
    let on_undo = {
        let on_action = props.on_action.clone();
        let undo = undo.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((before, _)) = (*undo).clone() {
                on_action.emit(Action::Restore(Box::new(before)));
            }
            undo.set(None);
        })
    };
    let on_seed = {
        let on_action = props.on_action.clone();
        let seed_text = seed_text.clone();
        let seed_problem = seed_problem.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<HtmlInputElement>().value();
            match parse_seed(&text) {
                Ok(seed) => {
                    seed_problem.set(None);
                    on_action.emit(Action::SetSeed(seed));
                }
                Err(problem) => seed_problem.set(Some(problem)),
            }
            seed_text.set(text);
        })
    };
    let on_until = {
        let on_action = props.on_action.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(until_ms) = value.parse() {
                on_action.emit(Action::SetUntil(until_ms));
            }
        })
    };
    let unchanged = document.unchanged_preset();
    html! {
        <>
            if let Some((_, title)) = &*undo {
                <p class="notice" role="status">
                    { format!("Loaded the preset “{title}”; your template was replaced. ") }
                    <button type="button" onclick={on_undo}>{ "Undo" }</button>
                </p>
            }
            <div class="toolbar">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" onchange={on_preset} ~value={unchanged.map_or("", |p| p.id).to_string()}>
                    <option value="" selected={unchanged.is_none()} disabled=true>{ if unchanged.is_none() { "Your template (load a preset…)" } else { "Load a preset…" } }</option>
                    { for PRESETS.iter().map(|preset| html! {
                        <option value={preset.id} selected={unchanged.is_some_and(|p| p.id == preset.id)}>{ preset.title }</option>
                    }) }
                </select>
                <label for="seed">{ "Seed" }</label>
                <input id="seed" type="text" inputmode="numeric" size="10" placeholder="template's"
                    aria-invalid={seed_problem.is_some().to_string()} aria-describedby="seed-problem"
                    value={(*seed_text).clone()} oninput={on_seed} />
                <Share make={props.make_link.clone()} embed_title="Eventyard playground" />
                <label for="until">{ "Pause at" }</label>
                <select id="until" onchange={on_until} ~value={document.until_ms.to_string()}>
                    { for RUN_LENGTHS_MS.iter().map(|(ms, label)| html! {
                        <option value={ms.to_string()} selected={*ms == document.until_ms}>{ *label }</option>
                    }) }
                </select>
            </div>
            if let Some(problem) = &*seed_problem {
                <p id="seed-problem" class="problem" role="alert">{ problem.clone() }</p>
            }
        </>
    }
}
