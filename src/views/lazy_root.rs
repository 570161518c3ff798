//! The root of the lazily loaded module (`crates/lazy-views`): the views the first page does not
//! need. The shell keeps the header and the URL; this root follows the fragment on its own and
//! passes the playground what the shell's `App` used to (the offered preset, an arriving link).

use yew::prelude::*;

use crate::route;
use crate::services::fragment::use_fragment;
use crate::views::playground::PlaygroundView;
use crate::views::sign_in::SignIn;

/// A view that lives in the second module, named as the shell asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LazyView {
    Playground,
    SignIn,
}

impl LazyView {
    /// The name the shell passes across the module boundary.
    pub fn name(self) -> &'static str {
        match self {
            LazyView::Playground => "playground",
            LazyView::SignIn => "sign-in",
        }
    }

    pub fn from_name(name: &str) -> Option<LazyView> {
        [LazyView::Playground, LazyView::SignIn]
            .into_iter()
            .find(|view| view.name() == name)
    }
}

#[derive(Properties, PartialEq)]
pub struct LazyRootProps {
    pub view: LazyView,
}

#[function_component(LazyRoot)]
pub fn lazy_root(props: &LazyRootProps) -> Html {
    let fragment = use_fragment();
    match props.view {
        LazyView::Playground => {
            let preset_offer = route::fragment_param(&fragment, "preset").map(str::to_string);
            let link = route::fragment_param(&fragment, eventyard_links::PARAM).map(str::to_string);
            html! { <PlaygroundView {preset_offer} {link} /> }
        }
        LazyView::SignIn => html! { <SignIn /> },
    }
}

#[cfg(test)]
mod tests {
    use super::LazyView;

    #[test]
    fn every_view_reads_back_from_its_name() {
        for view in [LazyView::Playground, LazyView::SignIn] {
            assert_eq!(LazyView::from_name(view.name()), Some(view));
        }
        assert_eq!(LazyView::from_name("pattern-tester"), None);
    }
}
