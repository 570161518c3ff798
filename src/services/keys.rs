//! Keys pressed anywhere on the page outside a text box (the pattern tester's "?").

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

/// Calls `on_key` with each key pressed without Ctrl, Alt or Meta while the focus is not in a
/// text box, a select or editable content. The listener lives as long as the returned guard.
pub fn on_key_outside_fields(on_key: impl Fn(String) + 'static) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    Some(EventListener::new(&document, "keydown", move |event| {
        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let in_field = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                    || element.has_attribute("contenteditable")
            });
        if !in_field {
            on_key(event.key());
        }
    }))
}
