//! The shell's placeholder for a view of the second wasm module: loads the module on first use,
//! mounts the view into its element, and takes it off again when the person leaves.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::services::lazy::{self, Mounted};
use crate::views::lazy_root::LazyView;

#[derive(Properties, PartialEq)]
pub struct LazyHostProps {
    pub view: LazyView,
    /// What the view is called in the loading and failure messages ("the playground").
    pub label: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

#[function_component(LazyHost)]
pub fn lazy_host(props: &LazyHostProps) -> Html {
    let root = use_node_ref();
    let status = use_state(|| Status::Loading);
    // Bumped by "Try again": the effect below runs afresh.
    let attempt = use_state(|| 0u32);

    {
        let root = root.clone();
        let status = status.clone();
        use_effect_with((props.view, *attempt), move |(view, _)| {
            let alive = Rc::new(Cell::new(true));
            let mounted: Rc<RefCell<Option<Mounted>>> = Rc::default();
            if let Some(element) = root.cast::<web_sys::Element>() {
                status.set(Status::Loading);
                let (alive, mounted, view) = (alive.clone(), mounted.clone(), *view);
                wasm_bindgen_futures::spawn_local(async move {
                    match lazy::mount(view.name(), element).await {
                        // The person left before the module arrived: nothing may stay behind.
                        Ok(view) if !alive.get() => view.unmount(),
                        Ok(view) => {
                            *mounted.borrow_mut() = Some(view);
                            status.set(Status::Ready);
                        }
                        Err(message) if alive.get() => status.set(Status::Failed(message)),
                        Err(_) => {}
                    }
                });
            }
            move || {
                alive.set(false);
                if let Some(view) = mounted.borrow_mut().take() {
                    view.unmount();
                }
            }
        });
    }

    let message = match &*status {
        Status::Loading => html! {
            <p class="notice" role="status">{ format!("Loading {}…", props.label) }</p>
        },
        Status::Ready => html! {},
        Status::Failed(why) => {
            let retry = {
                let attempt = attempt.clone();
                Callback::from(move |_| attempt.set(*attempt + 1))
            };
            html! {
                <div class="notice problem" role="alert">
                    <p>{ format!("{} could not load: {why}.", capitalised(&props.label)) }</p>
                    <button type="button" onclick={retry}>{ "Try again" }</button>
                </div>
            }
        }
    };
    html! {
        <>
            { message }
            <div class="lazy-view" ref={root}></div>
        </>
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
