//! One event of the pattern tester: its editor (or, for SNS message attributes, a typed table),
//! the verdict, the reason as a button that jumps to the deciding span, every leaf, and "make a
//! pattern from this event".

use std::collections::BTreeSet;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::attribute_table::AttributeTable;
use crate::components::editor::{Editor, Reveal};
use crate::state::editor::{Mark, MarkKind};
use crate::state::pattern_tester::{Action, Dialect, LeafLine, Verdict};
use crate::state::pick::{attribute_fields, fields, pattern_from};
use crate::views::pattern_tester::{error_mark, located};

#[derive(Properties, PartialEq)]
pub struct EventCardProps {
    pub index: usize,
    pub noun: &'static str,
    pub dialect: Dialect,
    pub text: String,
    pub verdict: Option<Verdict>,
    pub count: usize,
    pub on_action: Callback<Action>,
    pub on_history: Callback<bool>,
    /// A reason or leaf clicked: (event, leaf).
    pub on_reason: Callback<(usize, usize)>,
    /// The leaf a clicked reason points at in this event, with the click's number.
    #[prop_or_default]
    pub focus: Option<(u64, LeafLine)>,
    /// Embed mode: the event is shown, not edited.
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(EventCard)]
pub fn event_card(props: &EventCardProps) -> Html {
    let index = props.index;
    let title = format!("{} {}", props.noun, index + 1);
    let as_table = use_state(|| false);
    let (badge_class, badge) = match &props.verdict {
        Some(Verdict::Judged { matched: true, .. }) => ("verdict match", "✓ Match"),
        Some(Verdict::Judged { matched: false, .. }) => ("verdict no-match", "✗ No match"),
        Some(Verdict::InvalidEvent(_)) => ("verdict invalid", "Invalid"),
        Some(Verdict::PatternInvalid) => ("verdict idle", "Fix the pattern first"),
        Some(Verdict::Empty) | None => ("verdict idle", "Empty"),
    };
    let mut marks = Vec::new();
    match &props.verdict {
        Some(Verdict::InvalidEvent(problem)) => marks.push(error_mark(&props.text, problem)),
        Some(Verdict::Judged {
            leaves,
            deciding: Some(deciding),
            ..
        }) => {
            if let Some(leaf) = leaves.get(*deciding) {
                marks.extend(spans(leaf, MarkKind::Field));
            }
        }
        _ => {}
    }
    let mut reveal = None;
    if let Some((nonce, leaf)) = &props.focus {
        marks.extend(spans(leaf, MarkKind::Focus));
        reveal = spans(leaf, MarkKind::Focus).first().map(|m| Reveal {
            start: m.start,
            end: m.end,
            nonce: *nonce,
            take_focus: true,
        });
    }
    let on_change = props
        .on_action
        .reform(move |text: String| Action::EditEvent(index, text));
    let table_view = props.dialect == Dialect::SnsAttributes && *as_table;
    let toggle = |table: bool, label: &'static str| {
        let as_table = as_table.clone();
        html! {
            <button type="button" aria-pressed={(*as_table == table).to_string()}
                onclick={Callback::from(move |_| as_table.set(table))}>{ label }</button>
        }
    };
    html! {
        <section class="event-card" aria-label={title.clone()}>
            <div class="event-head">
                <h2>{ title.clone() }</h2>
                <span class={badge_class} role="status">{ badge }</span>
                if props.dialect == Dialect::SnsAttributes {
                    <span class="view-toggle" role="group" aria-label={format!("{title} view")}>
                        { toggle(false, "JSON") }{ toggle(true, "Table") }
                    </span>
                }
                if !props.read_only {
                    <button type="button" class="remove" disabled={props.count <= 1}
                        onclick={props.on_action.reform(move |_| Action::RemoveEvent(index))}
                        aria-label={format!("Remove {}", title.to_lowercase())}>{ "Remove" }</button>
                }
            </div>
            if table_view {
                <AttributeTable title={title.clone()} text={props.text.clone()} on_change={on_change} />
            } else {
                <Editor label={format!("{title} text")} rows={8} value={props.text.clone()} read_only={props.read_only}
                    invalid={matches!(props.verdict, Some(Verdict::InvalidEvent(_)))}
                    {on_change} on_history={props.on_history.clone()} {marks} {reveal} />
            }
            { verdict_details(props) }
            if !props.read_only {
                <PickFields title={title} text={props.text.clone()} dialect={props.dialect} on_action={props.on_action.clone()} />
            }
        </section>
    }
}

/// The event-text spans of a leaf's values.
fn spans(leaf: &LeafLine, kind: MarkKind) -> Vec<Mark> {
    leaf.found_spans
        .iter()
        .filter(|(start, end)| end > start)
        .map(|&(start, end)| Mark { start, end, kind })
        .collect()
}

fn verdict_details(props: &EventCardProps) -> Html {
    match &props.verdict {
        Some(Verdict::InvalidEvent(problem)) => {
            html! { <p class="problem" role="alert">{ located(problem) }</p> }
        }
        Some(Verdict::Judged {
            reason,
            leaves,
            deciding,
            envelope_note,
            ..
        }) => {
            let index = props.index;
            let on_reason = props.on_reason.clone();
            let jump = move |leaf: usize| on_reason.reform(move |_: MouseEvent| (index, leaf));
            html! {
                <>
                    if let Some(deciding) = deciding {
                        <p class="reason">
                            <button type="button" class="link-button" onclick={jump(*deciding)}
                                title="Show this field in the pattern and the event">{ reason.clone() }</button>
                        </p>
                    } else {
                        <p class="reason">{ reason.clone() }</p>
                    }
                    <ul class="leaves" aria-label="Fields">
                        { for leaves.iter().enumerate().map(|(n, leaf)| html! {
                            <li class={if leaf.passed { "leaf pass" } else { "leaf fail" }}>
                                <button type="button" class="link-button" onclick={jump(n)}
                                    aria-label={format!("Show {} in the pattern and the event", leaf.path)}>
                                    { leaf_body(leaf) }
                                </button>
                            </li>
                        }) }
                    </ul>
                    if let Some(note) = envelope_note {
                        <p class="note">{ note.clone() }</p>
                    }
                </>
            }
        }
        Some(Verdict::PatternInvalid | Verdict::Empty) | None => html! {},
    }
}

fn leaf_body(leaf: &LeafLine) -> Html {
    let found = if leaf.found.is_empty() {
        "the field is missing".to_string()
    } else {
        format!("event has {}", leaf.found.join(", "))
    };
    html! {
        <>
            <span aria-hidden="true">{ if leaf.passed { "✓ " } else { "✗ " } }</span>
            <code>{ leaf.path.clone() }</code>{ ": wants " }<code>{ leaf.operator.clone() }</code>{ format!("; {found}") }
        </>
    }
}

/// One pattern leaf judged against one event (the playground's journeys).
pub fn leaf_line(leaf: &LeafLine) -> Html {
    html! {
        <li class={if leaf.passed { "leaf pass" } else { "leaf fail" }}>{ leaf_body(leaf) }</li>
    }
}

#[derive(Properties, PartialEq)]
struct PickProps {
    title: String,
    text: String,
    dialect: Dialect,
    on_action: Callback<Action>,
}

/// "Make a pattern from this event": tick fields, then "Use as pattern" (undoable).
#[function_component(PickFields)]
fn pick_fields(props: &PickProps) -> Html {
    let picked = use_state(BTreeSet::<String>::new);
    let read = if props.dialect == Dialect::SnsAttributes {
        attribute_fields
    } else {
        fields
    };
    let Some(all) = read(&props.text) else {
        return html! {};
    };
    let chosen: Vec<_> = all
        .iter()
        .filter(|f| picked.contains(&f.name()))
        .cloned()
        .collect();
    let on_use = {
        let pattern = pattern_from(&chosen);
        props
            .on_action
            .reform(move |_: MouseEvent| Action::SetPattern(pattern.clone()))
    };
    html! {
        <details class="pick">
            <summary>{ "Make a pattern from this event" }</summary>
            <p class="hint">{ "Tick the fields the rule should match; their values become the pattern." }</p>
            <ul class="pick-fields" aria-label={format!("Fields of {}", props.title.to_lowercase())}>
                { for all.iter().map(|field| {
                    let name = field.name();
                    let on_toggle = {
                        let picked = picked.clone();
                        let name = name.clone();
                        Callback::from(move |event: Event| {
                            let on = event.target_unchecked_into::<HtmlInputElement>().checked();
                            let mut next = (*picked).clone();
                            if on { next.insert(name.clone()); } else { next.remove(&name); }
                            picked.set(next);
                        })
                    };
                    html! {
                        <li><label>
                            <input type="checkbox" checked={picked.contains(&name)} onchange={on_toggle} />
                            <code>{ name.clone() }</code>{ " = " }<code class="value">{ field.shown() }</code>
                        </label></li>
                    }
                }) }
            </ul>
            <button type="button" onclick={on_use} disabled={chosen.is_empty()}>{ "Use as pattern" }</button>
        </details>
    }
}

/// A select's value, for the attribute table.
pub fn selected(event: &Event) -> String {
    event.target_unchecked_into::<HtmlSelectElement>().value()
}
