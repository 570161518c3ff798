//! Reading and following the URL fragment (`location.hash`).

use gloo_events::EventListener;

/// The current fragment, `#` included, or `""` when there is none (or no window at all).
pub fn current() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// Calls `on_change` with the new fragment after every change (links, back, forward, typing).
///
/// The listener lives as long as the returned guard; dropping it stops the calls.
pub fn on_change(on_change: impl Fn(String) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "hashchange", move |_| {
        on_change(current())
    }))
}

/// The page's address without its fragment (`https://host/sub/path/`), where links point.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|window| window.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The current fragment as component state, following every change for as long as the component
/// lives. Both wasm modules (the shell and the lazily loaded views) follow it on their own.
#[yew::hook]
pub fn use_fragment() -> String {
    let fragment = yew::use_state(current);
    {
        let fragment = fragment.clone();
        yew::use_effect_with((), move |_| {
            let listener = on_change(move |new| fragment.set(new));
            move || drop(listener)
        });
    }
    (*fragment).clone()
}

/// Whether the page was opened in embed mode (`?embed=1` before the fragment): one view, read
/// only, without the site's header, for a lesson or a blog post.
pub fn embedded() -> bool {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .is_some_and(|search| crate::state::links::is_embed_query(&search))
}
