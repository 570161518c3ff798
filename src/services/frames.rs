//! The page's animation frames and its wall clock: the only place the playground reads real
//! time. The simulator never does; the driver turns elapsed wall time into a virtual target.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Milliseconds from the page's time origin (`performance.now()`), or 0 without a window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// The frame callback, shared between the loop and (weakly) itself.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// A loop of `requestAnimationFrame` calls; it stops when dropped or when the callback
/// returns false.
pub struct FrameLoop {
    handle: Rc<RefCell<Option<i32>>>,
    // Kept alive for as long as frames may call it.
    _callback: FrameCallback,
}

/// Calls `on_frame` with the wall milliseconds since the previous frame (0 on the first),
/// once per frame, until it returns false or the loop is dropped.
pub fn start(mut on_frame: impl FnMut(f64) -> bool + 'static) -> FrameLoop {
    let handle: Rc<RefCell<Option<i32>>> = Rc::new(RefCell::new(None));
    let callback: FrameCallback = Rc::new(RefCell::new(None));
    let mut last: Option<f64> = None;
    let inner_handle = handle.clone();
    // Weak, so the closure does not keep itself alive: dropping the loop frees it.
    let inner_callback = Rc::downgrade(&callback);
    *callback.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
        let elapsed = last.map_or(0.0, |last| (timestamp - last).max(0.0));
        last = Some(timestamp);
        if on_frame(elapsed) {
            *inner_handle.borrow_mut() = inner_callback.upgrade().and_then(|cb| request(&cb));
        } else {
            *inner_handle.borrow_mut() = None;
        }
    }));
    *handle.borrow_mut() = request(&callback);
    FrameLoop {
        handle,
        _callback: callback,
    }
}

fn request(callback: &FrameCallback) -> Option<i32> {
    let window = web_sys::window()?;
    let callback = callback.borrow();
    let function = callback.as_ref()?.as_ref().unchecked_ref();
    window.request_animation_frame(function).ok()
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.handle.borrow_mut().take()) {
            // Failing to cancel only costs one more (ignored) frame.
            let _ = window.cancel_animation_frame(id);
        }
    }
}
