//! "Copy link": the whole state of the view as a share link, copied where the browser allows it
//! and always shown in a read-only box named "Share link" with its length. "Embed": the same
//! link as an `<iframe>` snippet in embed mode, in a box named "Embed snippet".

use yew::prelude::*;

use crate::services::clipboard;
use crate::state::links::{embed_snippet, length_note};

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// Makes the link of the state now (called on press, not at every render).
    pub make: Callback<(), String>,
    /// The embedded frame's title, for screen readers ("Eventyard playground: a donut shop").
    pub embed_title: AttrValue,
}

/// What the person asked for last: the link, or the snippet that embeds it.
#[derive(Clone, PartialEq)]
enum Shared {
    Link { url: String, copied: bool },
    Embed { snippet: String, copied: bool },
}

#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let shared = use_state(|| None::<Shared>);
    let on_copy = {
        let shared = shared.clone();
        let make = props.make.clone();
        Callback::from(move |_: MouseEvent| {
            let url = make.emit(());
            let copied = clipboard::copy(&url);
            shared.set(Some(Shared::Link { url, copied }));
        })
    };
    let on_embed = {
        let shared = shared.clone();
        let make = props.make.clone();
        let title = props.embed_title.clone();
        Callback::from(move |_: MouseEvent| {
            let snippet = embed_snippet(&make.emit(()), &title);
            let copied = clipboard::copy(&snippet);
            shared.set(Some(Shared::Embed { snippet, copied }));
        })
    };
    let select_all = Callback::from(|event: FocusEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="share">
            <button type="button" onclick={on_copy}>{ "Copy link" }</button>
            <button type="button" onclick={on_embed}>{ "Embed" }</button>
            { match &*shared {
                None => html! {},
                Some(Shared::Link { url, copied }) => html! { <>
                    <label class="share-box">
                        { "Share link" }
                        <input type="text" readonly=true value={url.clone()} onfocus={select_all} aria-describedby="share-note" />
                    </label>
                    <span id="share-note" class="note" role="status">
                        { if *copied { "Copied. " } else { "Copy it from the box. " } }
                        { length_note(url) }
                    </span>
                </> },
                Some(Shared::Embed { snippet, copied }) => html! { <>
                    <label class="share-box">
                        { "Embed snippet" }
                        <input type="text" readonly=true value={snippet.clone()} onfocus={select_all} aria-describedby="share-note" />
                    </label>
                    <span id="share-note" class="note" role="status">
                        { if *copied { "Copied. " } else { "Copy it from the box. " } }
                        { "Paste it into a lesson or a post: it shows this view read-only and playing. \
                           The host page's Content-Security-Policy must allow this site in frame-src." }
                    </span>
                </> },
            } }
        </div>
    }
}
