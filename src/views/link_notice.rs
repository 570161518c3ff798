//! What a view shows when a share link arrives and was not applied at once: the question (open
//! the link, or keep the work here), or why the link cannot be opened.

use yew::prelude::*;

use crate::state::links::LinkArrival;

/// `what` names the link's content in the question ("a pattern test", "a template").
pub fn arrival_notice<D>(
    arrival: &Option<LinkArrival<D>>,
    what: &str,
    on_open: Callback<MouseEvent>,
    on_keep: Callback<MouseEvent>,
) -> Html {
    match arrival {
        None => Html::default(),
        Some(LinkArrival::Problem(problem)) => html! {
            <div class="notice problem" role="alert">
                <p>{ problem.clone() }</p>
                <button type="button" onclick={on_keep}>{ "Dismiss" }</button>
            </div>
        },
        Some(LinkArrival::Ask(_)) => html! {
            <div class="notice offer" role="region" aria-label="Link offered">
                <p>{ format!("This link opens {what}. Your own work is saved in this browser and stays until you choose.") }</p>
                <button type="button" class="primary" onclick={on_open}>{ "Open the link" }</button>
                <button type="button" onclick={on_keep}>{ "Keep mine" }</button>
            </div>
        },
    }
}
