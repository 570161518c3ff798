//! A deterministic simulator of EventBridge, SNS, SQS and Lambda on a virtual clock.
//!
//! Data flow: a loaded [`eventyard_template::Template`] is compiled into a `World` (indexes,
//! parsed patterns); the [`Simulator`] holds the mutable state (queues, pollers, invocations,
//! pending happenings ordered by (time, sequence)) and a [`ledger::Ledger`] that places every
//! message in exactly one place. Each happening handled emits [`TraceRecord`]s to a
//! [`TraceSink`]. No wall clock, no OS entropy, no `HashMap` order: same template and seed,
//! same trace, byte for byte. Nothing from a template executes: functions are declared.

pub mod ledger;
pub mod payload;
pub mod rng;
pub mod schedule;
pub mod simplifications;
pub mod sqs;
pub mod trace;
pub mod transform;
pub mod world;

mod dead_letters;
mod eventbridge;
mod json_write;
mod lambda;
mod lambda_async;
mod queues;
mod reasons;
mod report;
mod sends;
mod sim;
mod sns;
mod workers;

pub use report::{Counters, HeldMessage, QueueMetrics, ResourceReport};
pub use sim::{Options, Simulator, Snapshot, HORIZON_MS};
pub use simplifications::{Simplification, SIMPLIFICATIONS};
pub use sns::INBOX_KEEP;
pub use trace::{Fnv1a64, JsonLinesSink, NullSink, TraceAction, TraceRecord, TraceSink, VecSink};
pub use world::SimError;
