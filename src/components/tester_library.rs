//! The pattern tester's library: sample events to start from and the operator quick reference.
//! Each loads on click, as one step Undo takes back.

use yew::prelude::*;

use crate::state::pattern_tester::{Action, Dialect};
use crate::state::samples::{OPERATORS, SAMPLES};

#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    pub dialect: Dialect,
    pub on_action: Callback<Action>,
}

#[function_component(Library)]
pub fn library(props: &LibraryProps) -> Html {
    html! {
        <div class="library">
            <details class="samples">
                <summary>{ "Sample events" }</summary>
                <p class="hint">{ "Each loads a pattern and an event in AWS's shape (Undo brings your work back)." }</p>
                <ul aria-label="Sample events">
                    { for SAMPLES.iter().enumerate().map(|(index, sample)| html! {
                        <li>
                            <button type="button" onclick={props.on_action.reform(move |_| Action::LoadSample(index))}
                                aria-label={format!("Load sample {}", sample.title)}>{ sample.title }</button>
                            if sample.source.starts_with("https://") {
                                { " " }<a href={sample.source} target="_blank" rel="noopener noreferrer" class="source">{ "AWS docs" }</a>
                            }
                        </li>
                    }) }
                </ul>
            </details>
            <details class="operators">
                <summary>{ "Operator reference" }</summary>
                <p class="hint">
                    { "Every operator of EventBridge patterns with an example: a matching event and one that does not match." }
                    if props.dialect != Dialect::EventBridge { { " Here, the operators SNS has load as a filter policy on the message body; the others switch to EventBridge." } }
                </p>
                <ul aria-label="Operators">
                    { for OPERATORS.iter().enumerate().map(|(index, op)| html! {
                        <li>
                            <button type="button" onclick={props.on_action.reform(move |_| Action::LoadOperator(index))}
                                aria-label={format!("Load operator example {}", op.name)}>{ op.name }</button>
                            { " " }<code>{ op.syntax }</code>
                        </li>
                    }) }
                </ul>
            </details>
        </div>
    }
}
