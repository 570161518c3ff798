//! "Export": the way out to real AWS. Each export is a text to read, a download and a copy
//! button; what they hold is made by `state/export.rs` when the panel opens (not every frame).

use yew::prelude::*;

use crate::services::clipboard;
use crate::services::download::data_address;
use crate::state::export::ExportItem;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// Makes the exports of the state now (called when the panel opens).
    pub make: Callback<(), Vec<ExportItem>>,
}

#[function_component(Export)]
pub fn export(props: &ExportProps) -> Html {
    let open = use_state(|| None::<Vec<ExportItem>>);
    let copied = use_state(|| None::<&'static str>);
    let toggle = {
        let open = open.clone();
        let copied = copied.clone();
        let make = props.make.clone();
        Callback::from(move |_: MouseEvent| {
            copied.set(None);
            open.set(if open.is_some() {
                None
            } else {
                Some(make.emit(()))
            });
        })
    };
    html! {
        <div class="export">
            <button type="button" onclick={toggle} aria-expanded={open.is_some().to_string()}>{ "Export" }</button>
            if let Some(items) = &*open {
                <section class="export-panel" aria-label="Export">
                    { for items.iter().map(|item| export_item(item, &copied)) }
                </section>
            }
        </div>
    }
}

fn export_item(item: &ExportItem, copied: &UseStateHandle<Option<&'static str>>) -> Html {
    let media = if item.file_name.ends_with(".json") {
        "application/json"
    } else if item.file_name.ends_with(".yaml") {
        "application/yaml"
    } else {
        "text/plain"
    };
    let href = data_address(media, &item.text);
    let on_copy = {
        let copied = copied.clone();
        let text = item.text.clone();
        let title = item.title;
        Callback::from(move |_: MouseEvent| {
            if clipboard::copy(&text) {
                copied.set(Some(title));
            }
        })
    };
    html! {
        <div class="export-item">
            <h3>{ item.title }</h3>
            { for item.notes.iter().map(|note| html! { <p class="note">{ note.clone() }</p> }) }
            <pre class="code" tabindex="0" aria-label={item.title}>{ item.text.clone() }</pre>
            <a href={href} download={item.file_name.clone()}>{ format!("Download {}", item.file_name) }</a>
            { " " }
            <button type="button" onclick={on_copy} aria-label={format!("Copy {}", item.title.to_lowercase())}>{ "Copy" }</button>
            if **copied == Some(item.title) {
                <span class="note" role="status">{ " Copied." }</span>
            }
        </div>
    }
}
