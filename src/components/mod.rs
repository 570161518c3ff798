//! The parts of the page around and inside the views.

pub mod attribute_table;
pub mod charts;
pub mod clock_bar;
pub mod diagram;
pub mod editor;
pub mod export;
pub mod footer;
pub mod header;
pub mod inboxes;
pub mod kept_aside;
pub mod node_details;
pub mod playground_toolbar;
pub mod send_form;
pub mod share;
pub mod shortcuts;
pub mod tester_event;
pub mod tester_library;
pub mod trace_log;
pub mod transformer_tab;
