//! The footer: which build this is, and what the simulation is and is not.

use yew::prelude::*;

/// The app's version, from Cargo.toml, so a bug report can say which build it was.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[function_component(Footer)]
pub fn footer() -> Html {
    html! {
        <footer class="site-footer">
            <span>{ format!("Eventyard v{VERSION}") }</span>
            <span>{ "Runs entirely in your browser: no AWS account, no server. A simulation of AWS, not AWS." }</span>
        </footer>
    }
}
