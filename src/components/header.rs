//! The header: the product's name and the navigation between the four journeys.

use yew::prelude::*;

use crate::route::View;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The open view, marked `aria-current="page"` so assistive technology and tests see it.
    pub current: View,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    html! {
        <header class="site-header">
            <a class="brand" href={View::PatternTester.fragment()}>
                <span class="brand-mark" aria-hidden="true">{ "⇶" }</span>
                { "Eventyard" }
            </a>
            <nav aria-label="Main">
                <ul>
                    { for View::ALL.into_iter().map(|view| nav_link(view, props.current)) }
                </ul>
            </nav>
        </header>
    }
}

fn nav_link(view: View, current: View) -> Html {
    let aria_current = (view == current).then_some("page");
    html! {
        <li>
            <a href={view.fragment()} aria-current={aria_current}>{ view.title() }</a>
        </li>
    }
}

/// Embed mode's header: the product's name and the way out to the full app (a new tab, since
/// the embed lives inside someone else's page).
#[function_component(EmbedBar)]
pub fn embed_bar(props: &EmbedBarProps) -> Html {
    html! {
        <header class="embed-bar">
            <span class="brand"><span class="brand-mark" aria-hidden="true">{ "⇶" }</span>{ "Eventyard" }</span>
            <span class="note">{ format!("{}, embedded: read-only", props.current.title()) }</span>
            <a href={props.open_in.clone()} target="_blank" rel="noopener">{ "Open in Eventyard" }</a>
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    pub current: View,
    /// The same address without embed mode.
    pub open_in: AttrValue,
}
