//! The root component: follows the URL fragment and shows the view it names.

use yew::prelude::*;

use crate::components::footer::Footer;
use crate::components::header::{EmbedBar, Header};
use crate::route::{self, View};
use crate::services::fragment::{self, use_fragment};
use crate::state::links::without_embed;
use crate::views::lazy_host::LazyHost;
use crate::views::lazy_root::LazyView;
use crate::views::learn::Learn;
use crate::views::pattern_tester::PatternTester;

/// The name of the performance mark set once the first frame is in the DOM; the end-to-end
/// tests read it to record the time to first render.
pub const FIRST_RENDER_MARK: &str = "eventyard-first-render";

#[function_component(App)]
pub fn app() -> Html {
    let current_fragment = use_fragment();
    let view = View::from_fragment(&current_fragment);
    // Read once: embed mode is how the page was opened, not something that changes.
    let embedded = *use_state(fragment::embedded);
    use_effect_with((), |_| mark_first_render());
    use_effect_with(view, |view| set_document_title(*view));
    let link = route::fragment_param(&current_fragment, eventyard_links::PARAM).map(str::to_string);

    let views = match view {
        View::PatternTester => html! { <PatternTester {link} /> },
        // The playground and sign-in live in the second wasm module, loaded when one of them
        // opens (crates/lazy-views), so the first page stays small.
        View::Playground => html! {
            <LazyHost view={LazyView::Playground} label="the playground" />
        },
        View::SignIn => html! {
            <LazyHost view={LazyView::SignIn} label="the sign-in pages" />
        },
        View::Learn => html! { <Learn /> },
    };
    if embedded {
        let open_in = without_embed(&format!("{}{current_fragment}", fragment::page_address()));
        return html! {
            <div class="shell embed">
                <EmbedBar current={view} {open_in} />
                <main id="main" tabindex="-1">{ views }</main>
            </div>
        };
    }
    html! {
        <div class="shell">
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <Header current={view} />
            <main id="main" tabindex="-1">{ views }</main>
            <Footer />
        </div>
    }
}

fn set_document_title(view: View) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{} · Eventyard", view.title()));
    }
}

fn mark_first_render() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A failed mark only costs a benchmark figure; the page itself is fine.
        let _ = performance.mark(FIRST_RENDER_MARK);
    }
}
