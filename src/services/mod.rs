//! The app's only doors to the browser: the URL fragment, local storage, the clipboard, animation
//! frames and the loading of the second wasm module.
//!
//! Everything else in the app is plain Rust over values; keeping browser calls here means the
//! rest can be tested natively and the wasm tests (`tests/web.rs`) cover exactly this module.

pub mod authenticator;
pub mod clipboard;
pub mod download;
pub mod fragment;
pub mod frames;
pub mod identity;
pub mod keys;
pub mod lazy;
pub mod storage;
pub mod webcrypto;
