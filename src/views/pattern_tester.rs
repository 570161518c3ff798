//! The pattern tester: one pattern, many events, and why each matches or not; a library of
//! samples and operators, an input transformer tab, and a history that Undo walks back.
//!
//! The document, its history and its evaluation are plain values (`crate::state`); this view
//! renders them and turns input into steps. Work is autosaved to local storage.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::editor::{Editor, Reveal};
use crate::components::export::Export;
use crate::components::kept_aside::KeptAsideNotice;
use crate::components::share::Share;
use crate::components::shortcuts::{shortcuts_list, Shortcuts};
use crate::components::tester_event::EventCard;
use crate::components::tester_library::Library;
use crate::components::transformer_tab::TransformerTab;
use crate::services::fragment::{self, page_address};
use crate::services::frames::now_ms;
use crate::services::{keys, storage};
use crate::state::editor::{token_at, Mark, MarkKind};
use crate::state::export::pattern_test_export;
use crate::state::history::Tracked;
use crate::state::links::{open_link, tester_from, tester_link, LinkArrival};
use crate::state::pattern_tester::{
    evaluate, Action, Dialect, Evaluation, Problem, TesterDocument, Verdict, EVENTS_MAX,
};
use crate::views::link_notice::arrival_notice;
use eventyard_links::{url, LinkDocument};

/// Where the document is autosaved.
const STORAGE_KEY: &str = "pattern-tester";

/// One step of the tester's history.
pub enum Step {
    /// An edit, at a time (typing close together joins one undo step).
    Do(Action, f64),
    Undo,
    Redo,
}

/// The document and its history as Yew state: a reducer, so quick edits never apply to a stale
/// copy.
#[derive(Clone, PartialEq)]
struct Tester(Tracked<TesterDocument>);

impl Reducible for Tester {
    type Action = Step;

    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        let history = self.0.clone();
        Rc::new(Tester(match step {
            Step::Undo => history.undo(),
            Step::Redo => history.redo(),
            Step::Do(action, at) => {
                let field = action.typing_field();
                let next = history.present().clone().apply(action);
                match field {
                    Some(field) => history.edit(next, &field, at),
                    None => history.replace(next),
                }
            }
        }))
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

/// A switch that flips (the shortcuts list), so a listener made once flips the current value.
#[derive(PartialEq)]
struct Toggle(bool);

impl Reducible for Toggle {
    type Action = ();

    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Toggle(!self.0))
    }
}

/// Which leaf of which event a clicked reason points at.
#[derive(Clone, Copy, PartialEq)]
struct Focus {
    event: usize,
    leaf: usize,
    nonce: u64,
}

#[function_component(PatternTester)]
pub fn pattern_tester(props: &PatternTesterProps) -> Html {
    let embedded = *use_state(fragment::embedded);
    let tester = use_reducer(|| Tester(Tracked::new(initial_document(embedded))));
    let document = tester.0.present();
    let arrival = use_state(|| None::<LinkArrival<TesterDocument>>);
    let focus = use_state(|| None::<Focus>);
    let tab = use_state(|| "test");
    let dispatch = {
        let tester = tester.clone();
        Callback::from(move |action: Action| tester.dispatch(Step::Do(action, now_ms())))
    };
    let on_history = {
        let tester = tester.clone();
        Callback::from(move |redo: bool| {
            tester.dispatch(if redo { Step::Redo } else { Step::Undo })
        })
    };
    {
        let dispatch = dispatch.clone();
        let present = document.clone();
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
                Some(Ok(incoming)) if incoming == present => None,
                Some(Ok(incoming)) if present.is_pristine() => {
                    dispatch.emit(Action::Replace(incoming));
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
        let dispatch = dispatch.clone();
        let arrival = arrival.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(LinkArrival::Ask(incoming)) = (*arrival).clone() {
                dispatch.emit(Action::Replace(*incoming));
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

    let on_dialect = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let id = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(dialect) = Dialect::from_id(&id) {
                dispatch.emit(Action::SetDialect(dialect));
            }
        })
    };
    let on_example = {
        let dispatch = dispatch.clone();
        let dialect = document.dialect;
        Callback::from(move |_| dispatch.emit(Action::LoadExample(dialect)))
    };
    let on_reason = {
        let focus = focus.clone();
        Callback::from(move |(event, leaf): (usize, usize)| {
            let nonce = focus.map_or(1, |f| f.nonce + 1);
            focus.set(Some(Focus { event, leaf, nonce }));
        })
    };
    let focused = (*focus).and_then(|f| {
        let leaf = match evaluation.events.get(f.event) {
            Some(Verdict::Judged { leaves, .. }) => leaves.get(f.leaf)?.clone(),
            _ => return None,
        };
        Some((f, leaf))
    });
    let mut pattern_marks = pattern_marks(&document.pattern, &evaluation);
    let mut pattern_reveal = None;
    if let Some((f, leaf)) = &focused {
        pattern_marks.push(Mark {
            start: leaf.pattern_span.0,
            end: leaf.pattern_span.1,
            kind: MarkKind::Focus,
        });
        // The pattern is scrolled to the span; focus goes to the event's value (or here when the
        // event has none).
        pattern_reveal = Some(Reveal {
            start: leaf.pattern_span.0,
            end: leaf.pattern_span.1,
            nonce: f.nonce,
            take_focus: leaf.found_spans.iter().all(|(s, e)| s == e),
        });
    }
    let tab_button = |id: &'static str, label: &'static str| {
        let tab = tab.clone();
        let selected = *tab == id;
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")} aria-selected={selected.to_string()}
                aria-controls={format!("panel-{id}")} class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_| tab.set(id))}>{ label }</button>
        }
    };
    // "?" anywhere outside a text box shows or hides the shortcuts.
    let shortcuts = use_reducer(|| Toggle(false));
    {
        let toggle = shortcuts.dispatcher();
        use_effect_with((), move |_| {
            let listener = keys::on_key_outside_fields(move |key| {
                if key == "?" {
                    toggle.dispatch(());
                }
            });
            move || drop(listener)
        });
    }

    // The tab pattern's arrow keys: with two tabs, either arrow goes to the other one.
    let on_tab_key = {
        let tab = tab.clone();
        Callback::from(move |event: KeyboardEvent| {
            if matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight") {
                tab.set(if *tab == "test" {
                    "transformer"
                } else {
                    "test"
                });
            }
        })
    };
    let noun = document.dialect.event_noun();
    html! {
        <section class="view tester" aria-labelledby="view-title">
            <h1 id="view-title">{ "Pattern tester" }</h1>
            if !embedded {
                <KeptAsideNotice storage_key={STORAGE_KEY} label="pattern tester" />
            }
            { arrival_notice(&arrival, "a pattern test", on_open_link, on_keep) }
            if !embedded {
                <div class="toolbar">
                    <label for="dialect">{ "Dialect" }</label>
                    <select id="dialect" onchange={on_dialect}>
                        { for Dialect::ALL.into_iter().map(|dialect| html! {
                            <option value={dialect.id()} selected={dialect == document.dialect}>{ dialect.label() }</option>
                        }) }
                    </select>
                    <button type="button" onclick={on_example}>{ "Load example" }</button>
                    <button type="button" onclick={on_history.reform(|_| false)} disabled={!tester.0.can_undo()}
                        title="Ctrl+Z">{ "Undo" }</button>
                    <button type="button" onclick={on_history.reform(|_| true)} disabled={!tester.0.can_redo()}
                        title="Ctrl+Shift+Z">{ "Redo" }</button>
                    <Share make={make_link} embed_title="Eventyard pattern tester" />
                    <Export make={{
                        let document = document.clone();
                        Callback::from(move |_| vec![pattern_test_export(document.dialect, &document.pattern, &document.events)])
                    }} />
                    <Shortcuts open={shortcuts.0} on_toggle={{ let toggle = shortcuts.dispatcher(); Callback::from(move |_| toggle.dispatch(())) }} />
                    if let Some(problem) = &*save_problem {
                        <span class="save-problem" role="status">{ problem.clone() }</span>
                    }
                </div>
                { shortcuts_list(shortcuts.0) }
                <Library dialect={document.dialect} on_action={dispatch.clone()} />
            }
            if !embedded {
                <div class="tabs" role="tablist" aria-label="Tester tabs" onkeydown={on_tab_key}>
                    { tab_button("test", "Match events") }
                    { tab_button("transformer", "Input transformer") }
                </div>
            }
            if *tab == "test" {
                <div class="columns" role="tabpanel" id="panel-test" aria-labelledby="tab-test">
                    <div class="pane">
                        <label for="pattern" class="pane-title">{ document.dialect.pattern_noun() }</label>
                        <Editor id="pattern" rows={16} invalid={evaluation.pattern.is_err()} read_only={embedded}
                            described_by="pattern-problem" value={document.pattern.clone()}
                            on_change={dispatch.reform(Action::EditPattern)} on_history={on_history.clone()}
                            marks={pattern_marks} reveal={pattern_reveal} />
                        { pattern_status(&evaluation) }
                    </div>
                    <div class="pane events">
                        { for document.events.iter().enumerate().map(|(index, text)| {
                            let focus_leaf = focused.as_ref().filter(|(f, _)| f.event == index).map(|(f, leaf)| (f.nonce, leaf.clone()));
                            html! {
                                <EventCard {index} noun={noun} dialect={document.dialect} text={text.clone()}
                                    verdict={evaluation.events.get(index).cloned()} count={document.events.len()}
                                    on_action={dispatch.clone()} on_history={on_history.clone()}
                                    on_reason={on_reason.clone()} focus={focus_leaf} read_only={embedded} />
                            }
                        }) }
                        if !embedded {
                            <button type="button" onclick={dispatch.reform(|_| Action::AddEvent)} disabled={document.events.len() >= EVENTS_MAX}>
                                { format!("Add {}", noun.to_lowercase()) }
                            </button>
                        }
                    </div>
                </div>
            } else {
                <div role="tabpanel" id="panel-transformer" aria-labelledby="tab-transformer">
                    <TransformerTab document={document.clone()} on_action={dispatch.clone()} on_history={on_history.clone()} />
                </div>
            }
        </section>
    }
}

/// The pattern's error, and each judged event's deciding leaf.
fn pattern_marks(pattern: &str, evaluation: &Evaluation) -> Vec<Mark> {
    let mut marks = Vec::new();
    if let Err(problem) = &evaluation.pattern {
        marks.push(error_mark(pattern, problem));
    }
    for verdict in &evaluation.events {
        if let Verdict::Judged {
            leaves,
            deciding: Some(deciding),
            ..
        } = verdict
        {
            if let Some(leaf) = leaves.get(*deciding) {
                marks.push(Mark {
                    start: leaf.pattern_span.0,
                    end: leaf.pattern_span.1,
                    kind: MarkKind::Field,
                });
            }
        }
    }
    marks
}

/// Where a problem is, underlined: its span when the reader gave one, else the token at its
/// line and column.
pub fn error_mark(text: &str, problem: &Problem) -> Mark {
    let (start, end) = match problem.span {
        Some((start, end)) if end > start => (start, end),
        _ => token_at(text, problem.line, problem.column),
    };
    Mark {
        start,
        end,
        kind: MarkKind::Error,
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
pub fn located(problem: &Problem) -> String {
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

pub use crate::components::tester_event::leaf_line;
