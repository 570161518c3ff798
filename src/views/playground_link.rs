//! The playground's side of share links: a link's document applied at once when nothing of the
//! person's would be lost, else offered (Open the link / Keep mine); a bad link says why.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::links::{open_link, playground_from, LinkArrival, Watching};
use crate::state::playground::{Action, PlaygroundDocument};
use crate::views::playground::Playground;
use eventyard_links::LinkDocument;

pub type Arrival = UseStateHandle<Option<LinkArrival<(PlaygroundDocument, Watching)>>>;

/// Follows the fragment's link; `watch_next` receives how the link was being watched, for the
/// session rebuilt from its document. Returns the notice's state and its two buttons.
#[hook]
pub fn use_playground_link(
    link: Option<String>,
    playground: UseReducerHandle<Playground>,
    watch_next: Rc<RefCell<Option<(u64, Watching)>>>,
    applied: UseStateHandle<u64>,
) -> (Arrival, Callback<MouseEvent>, Callback<MouseEvent>) {
    let arrival = use_state(|| None::<LinkArrival<(PlaygroundDocument, Watching)>>);
    {
        let playground = playground.clone();
        let arrival = arrival.clone();
        let watch_next = watch_next.clone();
        let applied = applied.clone();
        use_effect_with(link, move |link| {
            let opened = link.as_deref().map(|link| {
                open_link(link, |document| match document {
                    LinkDocument::Playground(found) => playground_from(&found),
                    LinkDocument::PatternTester(_) => {
                        Err("it opens the pattern tester, not the playground".into())
                    }
                })
            });
            arrival.set(match opened {
                None => None,
                Some(Err(problem)) => Some(LinkArrival::Problem(problem)),
                Some(Ok((incoming, watching)))
                    if playground.0.is_pristine() || incoming == playground.0 =>
                {
                    // Counted, so the session is rebuilt (and the time shown set) even when the
                    // link's document equals the one here.
                    *watch_next.borrow_mut() = Some((*applied + 1, watching));
                    applied.set(*applied + 1);
                    playground.dispatch(Action::Restore(Box::new(incoming)));
                    None
                }
                Some(Ok(incoming)) => Some(LinkArrival::Ask(Box::new(incoming))),
            });
        });
    }
    let on_open_link = {
        let playground = playground.clone();
        let arrival = arrival.clone();
        let watch_next = watch_next.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(LinkArrival::Ask(incoming)) = (*arrival).clone() {
                let (incoming, watching) = *incoming;
                *watch_next.borrow_mut() = Some((*applied + 1, watching));
                applied.set(*applied + 1);
                playground.dispatch(Action::Restore(Box::new(incoming)));
            }
            arrival.set(None);
        })
    };
    let on_keep = {
        let arrival = arrival.clone();
        Callback::from(move |_: MouseEvent| arrival.set(None))
    };

    (arrival, on_open_link, on_keep)
}
