//! "Copy link": the whole state of the view as a share link, copied where the browser allows it
//! and always shown in a read-only box named "Share link" with its length.

use yew::prelude::*;

use crate::services::clipboard;
use crate::state::links::length_note;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// Makes the link of the state now (called on press, not at every render).
    pub make: Callback<(), String>,
}

#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let shared = use_state(|| None::<(String, bool)>);
    let on_copy = {
        let shared = shared.clone();
        let make = props.make.clone();
        Callback::from(move |_: MouseEvent| {
            let url = make.emit(());
            let copied = clipboard::copy(&url);
            shared.set(Some((url, copied)));
        })
    };
    let select_all = Callback::from(|event: FocusEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="share">
            <button type="button" onclick={on_copy}>{ "Copy link" }</button>
            if let Some((url, copied)) = &*shared {
                <label class="share-box">
                    { "Share link" }
                    <input type="text" readonly=true value={url.clone()} onfocus={select_all} aria-describedby="share-note" />
                </label>
                <span id="share-note" class="note" role="status">
                    { if *copied { "Copied. " } else { "Copy it from the box. " } }
                    { length_note(url) }
                </span>
            }
        </div>
    }
}
