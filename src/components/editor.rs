//! The code editor every text box of code uses (the pattern tester's pattern and events, the
//! transformer, the playground's template): a plain text area over a layer that draws the
//! marks (errors underlined at their place, deciding fields, the span a reason points at), with
//! line numbers beside it. Tab indents (Shift+Tab outdents); Esc then Tab leaves the editor.
//!
//! Undo is the page's own history, not the browser's: loads replace text from outside the text
//! area, which the browser's undo cannot take back. With `on_history` the owner keeps one
//! history for its whole document (the pattern tester); without it the editor keeps one for
//! its own text, where a change of `value` from outside is a step like any edit (the
//! playground's presets). See ARCHITECTURE.md, "Editors".

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, InputEvent, KeyboardEvent};
use yew::prelude::*;

use crate::services::frames::now_ms;
use crate::state::editor::{from_utf16, indent, line_count, segments, to_utf16, Mark};
use crate::state::history::Tracked;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: String,
    /// Every change of the text: typing, Tab, the editor's own undo.
    pub on_change: Callback<String>,
    /// The text area's id, for a `<label for>`.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// The accessible name when no `<label for>` names it.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    #[prop_or(8)]
    pub rows: u32,
    #[prop_or_default]
    pub invalid: bool,
    /// Shown, selectable and scrollable, but not editable (embed mode).
    #[prop_or_default]
    pub read_only: bool,
    /// What to draw under the text.
    #[prop_or_default]
    pub marks: Vec<Mark>,
    #[prop_or_default]
    pub node_ref: NodeRef,
    /// The owner's undo (`false`) and redo (`true`), when it keeps the history.
    #[prop_or_default]
    pub on_history: Option<Callback<bool>>,
    /// A byte range to select and scroll to.
    #[prop_or_default]
    pub reveal: Option<Reveal>,
}

/// A span to show: selected and scrolled to; a new `nonce` asks again for the same span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub start: usize,
    pub end: usize,
    pub nonce: u64,
    /// Whether the text area takes the focus (one editor of several shown at once does).
    pub take_focus: bool,
}

/// The editor's own history, for owners without one.
type Own = Rc<RefCell<Tracked<String>>>;

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area = props.node_ref.clone();
    let gutter = use_node_ref();
    let layer = use_node_ref();
    let own: Own = use_mut_ref(|| Tracked::new(props.value.clone()));
    // Esc was the last key: the next Tab leaves the editor.
    let escaped = use_mut_ref(|| false);
    // The text before an undo or redo the owner carries out: once the new text is rendered, the
    // caret goes where the change begins (not to the end, where setting a value leaves it).
    let stepped_from = use_mut_ref(|| None::<String>);

    // A change of the text from outside (a load) is a step of the editor's own history.
    if props.on_history.is_none() && own.borrow().present() != &props.value {
        let next = own.borrow().clone().replace(props.value.clone());
        *own.borrow_mut() = next;
    }

    let sync = {
        let (area, gutter, layer) = (area.clone(), gutter.clone(), layer.clone());
        move || {
            if let Some(text) = area.cast::<HtmlTextAreaElement>() {
                let (top, left) = (text.scroll_top(), text.scroll_left());
                if let Some(g) = gutter.cast::<HtmlElement>() {
                    g.set_scroll_top(top);
                }
                if let Some(l) = layer.cast::<HtmlElement>() {
                    l.set_scroll_top(top);
                    l.set_scroll_left(left);
                }
            }
        }
    };
    {
        // After every render the layer follows the text area (the text may have changed).
        let sync = sync.clone();
        let area = area.clone();
        let stepped_from = stepped_from.clone();
        use_effect(move || {
            if let Some(text) = area.cast::<HtmlTextAreaElement>() {
                let before = stepped_from.borrow().clone();
                if let Some(before) = before.filter(|before| *before != text.value()) {
                    let after = text.value();
                    put(&text, &before, &after);
                    *stepped_from.borrow_mut() = None;
                }
            }
            sync();
        });
    }
    {
        let area = area.clone();
        let layer = layer.clone();
        let sync = sync.clone();
        let value = props.value.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(reveal), Some(text)) = (reveal, area.cast::<HtmlTextAreaElement>()) {
                if reveal.take_focus {
                    let _ = text.focus();
                }
                let _ = text.set_selection_range(
                    to_utf16(&value, reveal.start),
                    to_utf16(&value, reveal.end),
                );
                // Scroll so the span's mark in the layer (laid out exactly as the text) is in view.
                let mark = layer.cast::<HtmlElement>().and_then(|l| {
                    let mark = l.query_selector(".mark-focus").ok().flatten()?;
                    let mark = mark.dyn_into::<HtmlElement>().ok()?;
                    Some((mark, l))
                });
                if let Some((mark, l)) = mark {
                    let x = mark.offset_left() + l.scroll_left();
                    let y = mark.offset_top() + l.scroll_top();
                    let (w, h) = (text.client_width(), text.client_height());
                    let fits_x = x + mark.offset_width() < w - 16;
                    let fits_y = y + mark.offset_height() < h - 8;
                    text.set_scroll_left(if fits_x { 0 } else { (x - w / 3).max(0) });
                    text.set_scroll_top(if fits_y { 0 } else { (y - h / 3).max(0) });
                }
                sync();
            }
        });
    }

    let on_input = {
        let on_change = props.on_change.clone();
        let own = own.clone();
        let owned = props.on_history.is_none();
        let stepped_from = stepped_from.clone();
        Callback::from(move |event: InputEvent| {
            *stepped_from.borrow_mut() = None;
            let text = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            if owned {
                let next = own.borrow().clone().edit(text.clone(), "text", now_ms());
                *own.borrow_mut() = next;
            }
            on_change.emit(text);
        })
    };
    let history_step = {
        let on_change = props.on_change.clone();
        let on_history = props.on_history.clone();
        let own = own.clone();
        let stepped_from = stepped_from.clone();
        move |text: &HtmlTextAreaElement, redo: bool| match &on_history {
            Some(owner) => {
                *stepped_from.borrow_mut() = Some(text.value());
                owner.emit(redo);
            }
            None => {
                let before = text.value();
                let next = {
                    let current = own.borrow().clone();
                    if redo {
                        current.redo()
                    } else {
                        current.undo()
                    }
                };
                let after = next.present().clone();
                *own.borrow_mut() = next;
                if after != before {
                    put(text, &before, &after);
                    on_change.emit(after);
                }
            }
        }
    };
    let on_keydown = {
        let on_change = props.on_change.clone();
        let own = own.clone();
        let owned = props.on_history.is_none();
        let escaped = escaped.clone();
        Callback::from(move |event: KeyboardEvent| {
            let text = event.target_unchecked_into::<HtmlTextAreaElement>();
            let key = event.key();
            let command = event.ctrl_key() || event.meta_key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");
            match key.as_str() {
                "Tab" if !command && !event.alt_key() && !was_escaped => {
                    event.prevent_default();
                    let value = text.value();
                    let start =
                        from_utf16(&value, text.selection_start().ok().flatten().unwrap_or(0));
                    let end = from_utf16(&value, text.selection_end().ok().flatten().unwrap_or(0));
                    let edited = indent(&value, start, end, event.shift_key());
                    if edited.text != value {
                        text.set_value(&edited.text);
                        if owned {
                            let next = own.borrow().clone().replace(edited.text.clone());
                            *own.borrow_mut() = next;
                        }
                        on_change.emit(edited.text.clone());
                    }
                    let _ = text.set_selection_range(
                        to_utf16(&edited.text, edited.start),
                        to_utf16(&edited.text, edited.end),
                    );
                }
                "z" | "Z" if command && !event.alt_key() => {
                    event.prevent_default();
                    history_step(&text, event.shift_key());
                }
                "y" | "Y" if command && !event.alt_key() && !event.shift_key() => {
                    event.prevent_default();
                    history_step(&text, true);
                }
                _ => {}
            }
        })
    };
    let on_scroll = {
        let sync = sync.clone();
        Callback::from(move |_: Event| sync())
    };

    // The layer and the gutter only change with the text and the marks (the owner may render
    // every animation frame, as the playground does while it plays).
    let runs = use_memo(
        (props.value.clone(), props.marks.clone()),
        |(value, marks)| segments(value, marks),
    );
    let numbers = use_memo(line_count(&props.value), |lines| {
        (1..=*lines)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    });
    html! {
        <div class={classes!("editor", props.invalid.then_some("invalid"))}>
            <pre class="editor-gutter" aria-hidden="true" ref={gutter}>{ (*numbers).clone() }</pre>
            <div class="editor-stack">
                <pre class="editor-layer" aria-hidden="true" ref={layer}>
                    { for runs.iter().cloned().map(|(run, kind)| match kind {
                        Some(kind) => html! { <mark class={kind.class()}>{ run }</mark> },
                        None => html! { run },
                    }) }
                </pre>
                <textarea ref={area} id={props.id.clone()} aria-label={props.label.clone()}
                    class="code editor-text" spellcheck="false" wrap="off" rows={props.rows.to_string()}
                    autocapitalize="off" autocomplete="off"
                    aria-invalid={props.invalid.to_string()}
                    readonly={props.read_only}
                    aria-describedby={props.described_by.clone()}
                    value={props.value.clone()}
                    oninput={on_input} onkeydown={on_keydown} onscroll={on_scroll} />
            </div>
        </div>
    }
}

/// Puts text into the text area from outside typing, with the caret where the change begins.
pub fn put(area: &HtmlTextAreaElement, before: &str, after: &str) {
    area.set_value(after);
    let common = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map_or(before.len().min(after.len()), |((i, _), _)| i);
    let caret = to_utf16(after, common.min(after.len()));
    let _ = area.set_selection_range(caret, caret);
}
