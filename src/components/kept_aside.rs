//! The notice for autosaved work that could not be read: it was kept aside (never dropped, never
//! overwritten), and here the person downloads it or forgets it.

use yew::prelude::*;

use crate::services::download::data_address;
use crate::services::storage::{self, KeptAside};

#[derive(Properties, PartialEq)]
pub struct KeptAsideProps {
    /// The autosave key of the view (`pattern-tester`, `playground`).
    pub storage_key: AttrValue,
    /// The view's name in the notice ("pattern tester").
    pub label: AttrValue,
}

#[function_component(KeptAsideNotice)]
pub fn kept_aside_notice(props: &KeptAsideProps) -> Html {
    let kept = use_state(|| storage::kept_aside(&props.storage_key));
    if kept.is_empty() {
        return html! {};
    }
    html! {
        <div class="notice" role="alert" aria-label="Saved work kept aside">
            { for kept.iter().map(|aside| {
                let forget = {
                    let kept = kept.clone();
                    let key = props.storage_key.clone();
                    let slot = aside.slot;
                    Callback::from(move |_: MouseEvent| {
                        let _ = storage::forget_aside(&key, slot);
                        kept.set(storage::kept_aside(&key));
                    })
                };
                item(&props.storage_key, &props.label, aside, forget)
            }) }
        </div>
    }
}

fn item(key: &str, label: &str, aside: &KeptAside, forget: Callback<MouseEvent>) -> Html {
    let href = data_address("application/json", &aside.text);
    let file = format!("eventyard-{key}-saved-{}.json", aside.slot);
    html! {
        <p>
            { format!("Your saved {label} work could not be read: {}. It was kept aside, not replaced; \
                       the {label} started afresh. ", aside.why) }
            <a href={href} download={file}>{ "Download the saved work" }</a>
            { " " }
            <button type="button" onclick={forget}>{ "Forget it" }</button>
        </p>
    }
}
