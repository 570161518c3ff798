//! One module per journey; each view only reads state and sends edits back up.

pub mod lazy_host;
pub mod lazy_root;
pub mod learn;
pub mod link_notice;
pub mod pattern_tester;
pub mod playground;
pub mod playground_edits;
pub mod playground_link;
pub mod playground_live;
pub mod playground_notices;
pub mod playground_panes;
pub mod sign_in;
pub mod sign_in_flow;
pub mod sign_in_pages;
pub mod sign_in_tokens;
