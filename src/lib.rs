//! The Eventyard web app (Yew, client-side rendering): the imperative shell over the engine crates.
//!
//! `main.rs` only mounts [`app::App`]; everything lives here so that tests can reach it.

pub mod app;
pub mod components;
pub mod presets;
pub mod route;
pub mod services;
pub mod state;
pub mod views;
