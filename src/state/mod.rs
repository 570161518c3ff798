//! The app's state as plain Rust values: documents, the actions that edit them, and what the
//! engine makes of them. No browser calls here, so all of it is tested natively.

pub mod attributes;
pub mod autosave;
pub mod charts;
pub mod clock;
pub mod diagram;
pub mod editor;
pub mod export;
pub mod faults;
pub mod history;
pub mod identity;
pub mod inboxes;
pub mod journey;
pub mod layout;
pub mod links;
pub mod pattern_tester;
pub mod pick;
pub mod playground;
pub mod samples;
pub mod sends;
pub mod session;
pub mod sign_in;
pub mod sign_in_actions;
pub mod sign_in_flow;
pub mod sign_in_oauth;
pub mod sign_in_passkey;
pub mod topology;
pub mod transformer;
