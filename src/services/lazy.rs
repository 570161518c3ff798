//! Loading the second wasm module and mounting one of its views (`static/lazy.js`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/static/lazy.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn mount_lazy_view(name: &str, root: web_sys::Element) -> Result<JsValue, JsValue>;

    fn unmount_lazy_view(mounted: JsValue);
}

/// A view of the second module, on the page until [`Mounted::unmount`].
pub struct Mounted(JsValue);

impl Mounted {
    pub fn unmount(self) {
        unmount_lazy_view(self.0);
    }
}

/// Loads the second module if it is not loaded yet and renders the view `name` inside `root`.
/// The error is a sentence for the page (the network failed, the build lacks the module).
pub async fn mount(name: &str, root: web_sys::Element) -> Result<Mounted, String> {
    mount_lazy_view(name, root)
        .await
        .map(Mounted)
        .map_err(|error| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|error| String::from(error.message()))
                .unwrap_or_else(|| format!("{error:?}"))
        })
}
