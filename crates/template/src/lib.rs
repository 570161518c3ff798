//! CloudFormation-style templates (YAML or JSON) loaded into a validated model of AWS resources.
//!
//! Stages, one way: text → [`node::Node`] (spanned tree, short tags rewritten; `yaml`) →
//! the Conditions section evaluated and resources whose `Condition` is false left out
//! (`conditions`) → intrinsics resolved to names, ARNs and URLs, `Fn::If` branches chosen and
//! `AWS::NoValue` removed (`resolve`) → per-service readers (`events`,
//! `sns`, `sqs`, `lambda`, `cognito`, `playground`) → cross-resource checks (`validate`) → [`Template`].
//! Every error names the logical id, line and column; all errors are collected.
//!
//! Input safety: nesting limit in `yaml`, no aliases, bounded name resolution, no panics on
//! user input. Nothing in a template executes: functions are declared behaviours.

mod cognito;
mod conditions;
pub mod duration;
pub mod error;
mod events;
pub mod ids;
mod invoke_config;
mod lambda;
pub mod limits;
mod load;
pub mod model;
pub mod node;
mod outages;
mod playground;
mod props;
mod resolve;
mod sns;
mod sqs;
pub mod time;
mod validate;
mod workers;
mod yaml;

pub use error::TemplateError;
pub use load::{
    load, load_events, load_with, Overrides, DEFAULT_ACCOUNT_ID, DEFAULT_REGION,
    DEFAULT_START_TIME_MS, SIMULATED,
};
pub use model::*;
