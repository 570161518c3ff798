//! The parts of the page around the views.

pub mod footer;
pub mod header;
pub mod inboxes;
