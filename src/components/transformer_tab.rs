//! The input transformer tab: `InputPathsMap` and `InputTemplate` in, the exact text each
//! event's target receives out, or the rule PutTargets would refuse it for, marked in place.

use yew::prelude::*;

use crate::components::editor::Editor;
use crate::state::editor::{Mark, MarkKind};
use crate::state::pattern_tester::{evaluate, Action, Dialect, TesterDocument, Verdict};
use crate::state::transformer::{check, outputs, Output, RULE_NAME};

#[derive(Properties, PartialEq)]
pub struct TransformerTabProps {
    pub document: TesterDocument,
    pub on_action: Callback<Action>,
    pub on_history: Callback<bool>,
}

#[function_component(TransformerTab)]
pub fn transformer_tab(props: &TransformerTabProps) -> Html {
    let document = &props.document;
    if document.dialect != Dialect::EventBridge {
        return html! {
            <p class="note">{ "Input transformers shape what an EventBridge rule sends to its target: choose the EventBridge dialect to use this tab." }</p>
        };
    }
    let checked = check(&document.transformer);
    let marks_for = |field: &str| -> Vec<Mark> {
        match &checked {
            Err(problem) if problem.field == field => problem
                .span
                .map(|(start, end)| Mark {
                    start,
                    end,
                    kind: MarkKind::Error,
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    };
    let verdicts = evaluate(document).events;
    html! {
        <div class="transformer">
            <p class="hint">
                { "What a rule's target receives when the target has an input transformer. " }
                { format!("<aws.events.rule-name> stands for “{RULE_NAME}” here; ingestion time is the event's time.") }
                { " " }
                <button type="button" onclick={props.on_action.reform(|_| Action::LoadTransformerExample)}>{ "Load transformer example" }</button>
            </p>
            <div class="columns">
                <div class="pane">
                    <label for="input-paths" class="pane-title">{ "InputPathsMap" }</label>
                    <Editor id="input-paths" rows={6} value={document.transformer.paths.clone()}
                        invalid={matches!(&checked, Err(p) if p.field == "InputPathsMap")}
                        on_change={props.on_action.reform(Action::EditPaths)} on_history={props.on_history.clone()}
                        marks={marks_for("InputPathsMap")} />
                    <label for="input-template" class="pane-title">{ "InputTemplate" }</label>
                    <Editor id="input-template" rows={6} value={document.transformer.template.clone()}
                        invalid={matches!(&checked, Err(p) if p.field == "InputTemplate")}
                        on_change={props.on_action.reform(Action::EditTemplate)} on_history={props.on_history.clone()}
                        marks={marks_for("InputTemplate")} />
                    if let Err(problem) = &checked {
                        <p class="problem" role="alert">{ problem.message.clone() }</p>
                    }
                </div>
                <div class="pane">
                    if let Ok(transformer) = &checked {
                        { for outputs(transformer, &document.events).into_iter().enumerate().map(|(index, output)| {
                            let name = format!("Target input for event {}", index + 1);
                            let matched = matches!(verdicts.get(index), Some(Verdict::Judged { matched: true, .. }));
                            html! {
                                <section class="event-card" aria-label={name.clone()}>
                                    <h2>{ name.clone() }</h2>
                                    if !matched {
                                        <p class="note">{ "The pattern does not match this event, so the rule would not send it; shown anyway." }</p>
                                    }
                                    { match output {
                                        Output::Input(text) => html! { <pre class="output" aria-label={format!("{name} text")}>{ text }</pre> },
                                        Output::NotAnEvent(why) => html! { <p class="problem">{ why }</p> },
                                    } }
                                </section>
                            }
                        }) }
                    }
                </div>
            </div>
        </div>
    }
}
