//! "?": the keyboard shortcuts, listed.

use yew::prelude::*;

pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Ctrl+Z (⌘Z)",
        "Undo, across edits, examples, samples and links",
    ),
    ("Ctrl+Shift+Z or Ctrl+Y", "Redo"),
    (
        "Tab / Shift+Tab",
        "Indent / outdent the line or the selected lines",
    ),
    ("Esc, then Tab", "Leave the editor"),
    ("?", "Show or hide this list (outside a text box)"),
];

#[derive(Properties, PartialEq)]
pub struct ShortcutsProps {
    pub open: bool,
    pub on_toggle: Callback<()>,
}

#[function_component(Shortcuts)]
pub fn shortcuts(props: &ShortcutsProps) -> Html {
    let open = props.open;
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    html! {
        <button type="button" aria-expanded={open.to_string()} aria-controls="shortcuts"
            aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={toggle}>{ "?" }</button>
    }
}

/// The list, shown under the toolbar while open.
pub fn shortcuts_list(open: bool) -> Html {
    if !open {
        return html! {};
    }
    html! {
        <div id="shortcuts" class="shortcuts notice" role="region" aria-label="Keyboard shortcuts list">
            <dl>
                { for SHORTCUTS.iter().map(|(keys, what)| html! {
                    <><dt><kbd>{ *keys }</kbd></dt><dd>{ *what }</dd></>
                }) }
            </dl>
        </div>
    }
}
