//! Browser-only code, tested in headless Chromium: `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use eventyard::route::View;
use eventyard::services::{fragment, frames, storage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn set_fragment(value: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(value)
        .unwrap();
}

#[wasm_bindgen_test]
fn the_current_fragment_names_the_view() {
    set_fragment("/learn");
    assert_eq!(fragment::current(), "#/learn");
    assert_eq!(View::from_fragment(&fragment::current()), View::Learn);
}

#[wasm_bindgen_test]
async fn a_fragment_change_reaches_the_listener_until_it_is_dropped() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let listener = {
        let seen = seen.clone();
        fragment::on_change(move |fragment| seen.borrow_mut().push(fragment))
    };
    assert!(listener.is_some());
    // Other tests change the fragment too; a value of our own tells our change apart.
    set_fragment("/sign-in?probe=listener");
    assert!(
        wait_for(|| seen
            .borrow()
            .iter()
            .any(|f| f == "#/sign-in?probe=listener"))
        .await
    );

    drop(listener);
    seen.borrow_mut().clear();
    set_fragment("/learn?probe=dropped");
    sleep_ms(100).await;
    assert!(!seen.borrow().iter().any(|f| f.contains("probe=dropped")));
}

/// Yields to the event loop (hashchange is dispatched as a task) until `done` or about a second.
async fn wait_for(done: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        sleep_ms(10).await;
    }
    done()
}

#[wasm_bindgen_test]
fn storage_round_trips_under_the_app_prefix() {
    storage::save("test-key", "{\"pattern\": 1}").unwrap();
    assert_eq!(
        storage::load("test-key").as_deref(),
        Some("{\"pattern\": 1}")
    );
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(
        raw.get_item("eventyard:test-key").unwrap().as_deref(),
        Some("{\"pattern\": 1}")
    );
    storage::remove("test-key").unwrap();
    assert_eq!(storage::load("test-key"), None);
}

#[wasm_bindgen_test]
fn a_missing_key_loads_as_nothing() {
    assert_eq!(storage::load("never-written"), None);
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_frame_loop_works_then_draws_each_frame_until_told_to_stop() {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let draws = Rc::new(RefCell::new(0u32));
    let frame_loop = {
        let calls = calls.clone();
        let draws = draws.clone();
        frames::start(
            move |elapsed| {
                calls.borrow_mut().push(elapsed);
                calls.borrow().len() < 3
            },
            move || *draws.borrow_mut() += 1,
        )
    };
    assert!(wait_for(|| calls.borrow().len() >= 3 && *draws.borrow() >= 3).await);
    sleep_ms(100).await;
    // It stopped by itself after the third work, which was drawn; the first work waited for no
    // frame, the next ones get the time between frames.
    assert_eq!(calls.borrow().len(), 3);
    assert_eq!(*draws.borrow(), 3);
    assert_eq!(calls.borrow()[0], 0.0);
    assert!(calls.borrow()[1] > 0.0);
    drop(frame_loop);
}

#[wasm_bindgen_test]
async fn dropping_the_frame_loop_stops_it() {
    let calls = Rc::new(RefCell::new(0u32));
    let frame_loop = {
        let calls = calls.clone();
        frames::start(
            move |_| {
                *calls.borrow_mut() += 1;
                true
            },
            || {},
        )
    };
    assert!(wait_for(|| *calls.borrow() >= 2).await);
    drop(frame_loop);
    let after = *calls.borrow();
    sleep_ms(100).await;
    assert!(
        *calls.borrow() <= after + 1,
        "{after} then {}",
        calls.borrow()
    );
    assert!(frames::now_ms() > 0.0);
}

/// PBKDF2-HMAC-SHA256 through WebCrypto against the widely published SHA-256 counterpart of
/// RFC 6070's first vector (P="password", S="salt", c=1, dkLen=32).
#[wasm_bindgen_test]
async fn pbkdf2_matches_the_known_vector() {
    use eventyard::services::webcrypto;
    let derived = webcrypto::pbkdf2("password", b"salt", 1).await.unwrap();
    let hex: String = derived.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
    );
}

/// A token signed with one of the pool's keys verifies with its JWK, and not with the other
/// key's (the ID and access keys are distinct), nor after a byte of the payload changes.
#[wasm_bindgen_test]
async fn rs256_sign_and_verify_with_the_jwk() {
    use eventyard::services::webcrypto;
    let id = webcrypto::generate_signing_key().await.unwrap();
    let access = webcrypto::generate_signing_key().await.unwrap();
    assert_ne!(id.public.kid, access.public.kid);
    let input = b"header.payload";
    let signature = webcrypto::sign(&id.private, input).await.unwrap();
    assert_eq!(signature.len(), 256);
    assert!(webcrypto::verify(&id.public, input, &signature)
        .await
        .unwrap());
    assert!(!webcrypto::verify(&access.public, input, &signature)
        .await
        .unwrap());
    assert!(
        !webcrypto::verify(&id.public, b"header.payloae", &signature)
            .await
            .unwrap()
    );
}
