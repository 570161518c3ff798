//! The page's animation frames and its wall clock: the only place the playground reads real
//! time. The simulator never does; the driver turns elapsed wall time into a virtual target.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Milliseconds from the page's time origin (`performance.now()`), or 0 without a window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// The loop's browser handles and the two closures the browser calls.
#[derive(Default)]
struct Shared {
    frame_id: Option<i32>,
    task_id: Option<i32>,
    frame: Option<Closure<dyn FnMut(f64)>>,
    task: Option<Closure<dyn FnMut()>>,
}

/// A loop of animation frames, each followed by a task of work; it stops when dropped or when
/// the work says so.
pub struct FrameLoop {
    shared: Rc<RefCell<Shared>>,
}

/// Calls `work` with the wall milliseconds since the previous frame (0 the first time) and
/// `draw` once per frame, until `work` returns false (then `draw` runs once more) or the loop
/// is dropped.
///
/// Each frame's `work` (the simulator's slice) runs in a task of its own, after the frame that
/// drew the previous one, rather than in the frame callback: then neither the simulating nor
/// the drawing (with its style, layout and paint) makes one long main-thread task together.
pub fn start(
    mut work: impl FnMut(f64) -> bool + 'static,
    mut draw: impl FnMut() + 'static,
) -> FrameLoop {
    let shared: Rc<RefCell<Shared>> = Rc::default();
    // From the start, so the first frame's elapsed time counts the first work's wait too.
    let last = Rc::new(Cell::new(now_ms()));
    let elapsed = Rc::new(Cell::new(0.0));
    let going = Rc::new(Cell::new(true));
    // Weak, so the closures do not keep themselves alive: dropping the loop frees them.
    let weak = Rc::downgrade(&shared);
    let frame = {
        let (weak, elapsed, going) = (weak.clone(), elapsed.clone(), going.clone());
        // performance.now() rather than the frame's timestamp: that is when the frame began,
        // which can be before `start` was called, and the first work must see time pass.
        Closure::new(move |_timestamp: f64| {
            let now = now_ms();
            elapsed.set((now - last.get()).max(0.0));
            last.set(now);
            draw();
            let Some(shared) = weak.upgrade() else { return };
            let next = going.get().then(|| post_task(&shared)).flatten();
            let mut shared = shared.borrow_mut();
            shared.frame_id = None;
            shared.task_id = next;
        })
    };
    let task = Closure::new(move || {
        let Some(shared) = weak.upgrade() else { return };
        shared.borrow_mut().task_id = None;
        going.set(work(elapsed.get()));
        // One more frame either way: it draws what this work did (and is the last if it said so).
        let next = request_frame(&shared);
        shared.borrow_mut().frame_id = next;
    });
    {
        let mut inner = shared.borrow_mut();
        inner.frame = Some(frame);
        inner.task = Some(task);
    }
    let first = post_task(&shared);
    shared.borrow_mut().task_id = first;
    FrameLoop { shared }
}

fn request_frame(shared: &RefCell<Shared>) -> Option<i32> {
    let window = web_sys::window()?;
    let shared = shared.borrow();
    let function = shared.frame.as_ref()?.as_ref().unchecked_ref();
    window.request_animation_frame(function).ok()
}

/// Queues the work as a task of its own (a zero-delay timer: not nested in a timer, so unclamped).
fn post_task(shared: &RefCell<Shared>) -> Option<i32> {
    let window = web_sys::window()?;
    let shared = shared.borrow();
    let function = shared.task.as_ref()?.as_ref().unchecked_ref();
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(function, 0)
        .ok()
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut shared = self.shared.borrow_mut();
        // Failing to cancel only costs one more frame or task, which finds the loop gone.
        if let Some(id) = shared.frame_id.take() {
            let _ = window.cancel_animation_frame(id);
        }
        if let Some(id) = shared.task_id.take() {
            window.clear_timeout_with_handle(id);
        }
    }
}
