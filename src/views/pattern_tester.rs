//! The pattern tester: one pattern, many events, and why each matches or not.
//!
//! The document and its evaluation are plain values (`crate::state::pattern_tester`); this
//! view only renders them and turns input into [`Action`]s. Work is autosaved to local storage.

use std::rc::Rc;

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::export::Export;
use crate::components::kept_aside::KeptAsideNotice;
use crate::components::share::Share;
use crate::services::fragment::{self, page_address};
use crate::services::storage;
use crate::state::export::pattern_test_export;
use crate::state::links::{open_link, tester_from, tester_link, LinkArrival};
use crate::state::pattern_tester::{
    evaluate, Action, Dialect, Evaluation, LeafLine, Problem, TesterDocument, Verdict, EVENTS_MAX,
};
use crate::views::link_notice::arrival_notice;
use eventyard_links::{url, LinkDocument};

/// Where the document is autosaved.
const STORAGE_KEY: &str = "pattern-tester";

/// The document as Yew state: a reducer, so that quick edits never apply to a stale copy.
#[derive(Clone, PartialEq)]
struct Tester(TesterDocument);

impl Reducible for Tester {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Tester(self.0.clone().apply(action)))
    }
}

/// The saved document, or the example when there is none or it does not read (then it is kept
/// aside, and `KeptAsideNotice` offers it).
fn initial_document(embedded: bool) -> TesterDocument {
    // An embed shows its link, never the visitor's own work, and never touches it.
    let saved = if embedded {
        None
    } else {
        storage::restore(STORAGE_KEY)
    };
    saved.unwrap_or_else(|| TesterDocument::example(Dialect::EventBridge))
}

#[derive(Properties, PartialEq)]
pub struct PatternTesterProps {
    /// A share link's payload from the fragment (`#/pattern-tester?link=1.…`).
    #[prop_or_default]
    pub link: Option<String>,
}

#[function_component(PatternTester)]
pub fn pattern_tester(props: &PatternTesterProps) -> Html {
    let embedded = *use_state(fragment::embedded);
    let tester = use_reducer(|| Tester(initial_document(embedded)));
    let document = &tester.0;
    let arrival = use_state(|| None::<LinkArrival<TesterDocument>>);
    {
        let tester = tester.clone();
        let arrival = arrival.clone();
        use_effect_with(props.link.clone(), move |link| {
            let opened = link.as_deref().map(|link| {
                open_link(link, |document| match document {
                    LinkDocument::PatternTester(found) => tester_from(&found),
                    LinkDocument::Playground(_) => {
                        Err("it opens the playground, not the pattern tester".into())
                    }
                })
            });
            arrival.set(match opened {
                None => None,
                Some(Err(problem)) => Some(LinkArrival::Problem(problem)),
                Some(Ok(incoming)) if incoming == tester.0 => None,
                Some(Ok(incoming)) if tester.0.is_pristine() => {
                    tester.dispatch(Action::Replace(incoming));
                    None
                }
                Some(Ok(incoming)) => Some(LinkArrival::Ask(Box::new(incoming))),
            });
        });
    }
    let make_link = {
        let document = document.clone();
        Callback::from(move |_| url(&page_address(), &tester_link(&document)))
    };
    let on_open_link = {
        let tester = tester.clone();
        let arrival = arrival.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(LinkArrival::Ask(incoming)) = (*arrival).clone() {
                tester.dispatch(Action::Replace(*incoming));
            }
            arrival.set(None);
        })
    };
    let on_keep = {
        let arrival = arrival.clone();
        Callback::from(move |_: MouseEvent| arrival.set(None))
    };
    let evaluation = use_memo(document.clone(), evaluate);
    let save_problem = use_state(|| None::<String>);

    {
        let save_problem = save_problem.clone();
        use_effect_with(document.clone(), move |document| {
            if !embedded {
                save_problem.set(storage::autosave(STORAGE_KEY, document).err());
            }
        });
    }

    let dispatch = |make: fn(String) -> Action| {
        let tester = tester.clone();
        Callback::from(move |event: InputEvent| {
            tester.dispatch(make(
                event.target_unchecked_into::<HtmlTextAreaElement>().value(),
            ))
        })
    };
    let on_dialect = {
        let tester = tester.clone();
        Callback::from(move |event: Event| {
            let id = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(dialect) = Dialect::from_id(&id) {
                tester.dispatch(Action::SetDialect(dialect));
            }
        })
    };
    let on_example = {
        let tester = tester.clone();
        let dialect = document.dialect;
        Callback::from(move |_| tester.dispatch(Action::LoadExample(dialect)))
    };
    let on_add = {
        let tester = tester.clone();
        Callback::from(move |_| tester.dispatch(Action::AddEvent))
    };

    let noun = document.dialect.event_noun();
    html! {
        <section class="view tester" aria-labelledby="view-title">
            <h1 id="view-title">{ "Pattern tester" }</h1>
            <KeptAsideNotice storage_key={STORAGE_KEY} label="pattern tester" />
            { arrival_notice(&arrival, "a pattern test", on_open_link, on_keep) }
            <div class="toolbar">
                <label for="dialect">{ "Dialect" }</label>
                <select id="dialect" onchange={on_dialect}>
                    { for Dialect::ALL.into_iter().map(|dialect| html! {
                        <option value={dialect.id()} selected={dialect == document.dialect}>{ dialect.label() }</option>
                    }) }
                </select>
                <button type="button" onclick={on_example}>{ "Load example" }</button>
                <Share make={make_link} embed_title="Eventyard pattern tester" />
                <Export make={{
                    let document = document.clone();
                    Callback::from(move |_| vec![pattern_test_export(document.dialect, &document.pattern, &document.events)])
                }} />
                if let Some(problem) = &*save_problem {
                    <span class="save-problem" role="status">{ problem.clone() }</span>
                }
            </div>
            <div class="columns">
                <div class="pane">
                    <label for="pattern" class="pane-title">{ document.dialect.pattern_noun() }</label>
                    <textarea id="pattern" class="code" spellcheck="false" wrap="off" rows="16"
                        aria-invalid={evaluation.pattern.is_err().to_string()}
                        aria-describedby="pattern-problem"
                        value={document.pattern.clone()}
                        oninput={dispatch(Action::EditPattern)} />
                    { pattern_status(&evaluation) }
                </div>
                <div class="pane events">
                    { for document.events.iter().enumerate().map(|(index, text)| {
                        event_card(&tester, noun, index, text, evaluation.events.get(index), document.events.len())
                    }) }
                    <button type="button" onclick={on_add} disabled={document.events.len() >= EVENTS_MAX}>
                        { format!("Add {}", noun.to_lowercase()) }
                    </button>
                </div>
            </div>
        </section>
    }
}

fn pattern_status(evaluation: &Evaluation) -> Html {
    match &evaluation.pattern {
        Ok(()) => html! { <p id="pattern-problem" class="pattern-ok">{ "Valid." }</p> },
        Err(problem) => html! {
            <p id="pattern-problem" class="problem" role="alert">{ located(problem) }</p>
        },
    }
}

/// "Line 2, column 13 ($.source): message".
fn located(problem: &Problem) -> String {
    let path = problem
        .json_path
        .as_deref()
        .map(|path| format!(" ({path})"))
        .unwrap_or_default();
    format!(
        "Line {}, column {}{}: {}",
        problem.line, problem.column, path, problem.message
    )
}

fn event_card(
    tester: &UseReducerHandle<Tester>,
    noun: &str,
    index: usize,
    text: &str,
    verdict: Option<&Verdict>,
    count: usize,
) -> Html {
    let title = format!("{noun} {}", index + 1);
    let on_input = {
        let tester = tester.clone();
        Callback::from(move |event: InputEvent| {
            tester.dispatch(Action::EditEvent(
                index,
                event.target_unchecked_into::<HtmlTextAreaElement>().value(),
            ))
        })
    };
    let on_remove = {
        let tester = tester.clone();
        Callback::from(move |_| tester.dispatch(Action::RemoveEvent(index)))
    };
    let (badge_class, badge) = match verdict {
        Some(Verdict::Judged { matched: true, .. }) => ("verdict match", "✓ Match"),
        Some(Verdict::Judged { matched: false, .. }) => ("verdict no-match", "✗ No match"),
        Some(Verdict::InvalidEvent(_)) => ("verdict invalid", "Invalid"),
        Some(Verdict::PatternInvalid) => ("verdict idle", "Fix the pattern first"),
        Some(Verdict::Empty) | None => ("verdict idle", "Empty"),
    };
    html! {
        <section class="event-card" aria-label={title.clone()}>
            <div class="event-head">
                <h2>{ title.clone() }</h2>
                <span class={badge_class} role="status">{ badge }</span>
                <button type="button" class="remove" onclick={on_remove} disabled={count <= 1}
                    aria-label={format!("Remove {}", title.to_lowercase())}>{ "Remove" }</button>
            </div>
            <textarea class="code" spellcheck="false" wrap="off" rows="8" aria-label={format!("{title} text")}
                value={text.to_string()} oninput={on_input} />
            { verdict.map(verdict_details).unwrap_or_default() }
        </section>
    }
}

fn verdict_details(verdict: &Verdict) -> Html {
    match verdict {
        Verdict::InvalidEvent(problem) => {
            html! { <p class="problem" role="alert">{ located(problem) }</p> }
        }
        Verdict::Judged {
            reason,
            leaves,
            envelope_note,
            ..
        } => html! {
            <>
                <p class="reason">{ reason.clone() }</p>
                <ul class="leaves" aria-label="Fields">
                    { for leaves.iter().map(leaf_line) }
                </ul>
                if let Some(note) = envelope_note {
                    <p class="note">{ note.clone() }</p>
                }
            </>
        },
        Verdict::PatternInvalid | Verdict::Empty => html! {},
    }
}

/// One pattern leaf judged against one event (also the playground's journeys).
pub fn leaf_line(leaf: &LeafLine) -> Html {
    let found = if leaf.found.is_empty() {
        "the field is missing".to_string()
    } else {
        format!("event has {}", leaf.found.join(", "))
    };
    html! {
        <li class={if leaf.passed { "leaf pass" } else { "leaf fail" }}>
            <span aria-hidden="true">{ if leaf.passed { "✓ " } else { "✗ " } }</span>
            <code>{ leaf.path.clone() }</code>{ ": wants " }<code>{ leaf.operator.clone() }</code>{ format!("; {found}") }
        </li>
    }
}
