//! Copying text to the clipboard, where the browser allows it. The page always shows what it
//! copies in a text box too, so a refusal (no secure context, a denied permission) costs nothing.

use wasm_bindgen::{JsCast as _, JsValue};

/// Asks the browser to copy `text`; false when it offers no clipboard here. The browser may
/// still refuse later (the promise is not awaited): the text box is the fallback.
pub fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // `navigator.clipboard.writeText`, looked up by name: the typed binding needs web-sys's
    // unstable APIs.
    let Ok(clipboard) = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))
    else {
        return false;
    };
    if clipboard.is_undefined() {
        return false;
    }
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Function>().ok());
    write.is_some_and(|write| write.call1(&clipboard, &JsValue::from_str(text)).is_ok())
}
