//! The second wasm module: the views the first page does not need.
//!
//! The first view (the pattern tester) must stay within its byte budget, and the simulator, the
//! template loader and the playground's views are most of the app's code. So the shell
//! (`eventyard-app`) keeps a placeholder where these views go and, when one opens, loads this
//! module (`static/lazy.js`, `scripts/build-lazy-views.sh`) and calls [`mount`] with the
//! placeholder's element. Both modules compile the same `eventyard` library; link-time
//! optimisation keeps in each only what it renders. They share nothing in memory: each view
//! keeps its own state and autosave, and follows the URL fragment itself.

use wasm_bindgen::prelude::*;
use yew::AppHandle;

use eventyard::views::lazy_root::LazyView;
use eventyard::views::lazy_root::{LazyRoot, LazyRootProps};

/// A view mounted by [`mount`]; [`Mounted::unmount`] takes it off the page.
#[wasm_bindgen]
pub struct Mounted(AppHandle<LazyRoot>);

#[wasm_bindgen]
impl Mounted {
    /// Removes the view and everything it listens to (frames, the fragment, timers).
    pub fn unmount(self) {
        self.0.destroy();
    }
}

/// Renders the view named `view` (`playground`, `sign-in`) inside `root`; `None` for a name
/// this module does not have, which the shell reports.
#[wasm_bindgen]
pub fn mount(view: &str, root: web_sys::Element) -> Option<Mounted> {
    let view = LazyView::from_name(view)?;
    let handle =
        yew::Renderer::<LazyRoot>::with_root_and_props(root, LazyRootProps { view }).render();
    Some(Mounted(handle))
}
