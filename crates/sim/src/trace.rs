//! The trace: every step of every message as a record, streamed to a consumer (a [`TraceSink`])
//! as it happens, so memory stays flat however long the run. Payloads are in AWS's shape at that
//! hop (event envelope, SNS envelope, SQS record, Lambda event) and only built when the sink
//! wants them.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceAction {
    Received,
    Matched,
    Filtered,
    Transformed,
    Delivered,
    Failed,
    Retried,
    MovedToDlq,
    Expired,
    Deleted,
    Deduplicated,
}

impl TraceAction {
    pub fn as_str(self) -> &'static str {
        match self {
            TraceAction::Received => "received",
            TraceAction::Matched => "matched",
            TraceAction::Filtered => "filtered",
            TraceAction::Transformed => "transformed",
            TraceAction::Delivered => "delivered",
            TraceAction::Failed => "failed",
            TraceAction::Retried => "retried",
            TraceAction::MovedToDlq => "moved_to_dlq",
            TraceAction::Expired => "expired",
            TraceAction::Deleted => "deleted",
            TraceAction::Deduplicated => "deduplicated",
        }
    }
}

/// One step of one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceRecord {
    /// Virtual milliseconds since the run started.
    pub time_ms: u64,
    /// Logical id of the resource where it happened.
    pub resource: Arc<str>,
    pub action: TraceAction,
    /// The AWS id at this hop (event id, SNS MessageId, SQS MessageId, invocation request id).
    pub message_id: Arc<str>,
    /// The message this one came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Arc<str>>,
    /// The exact payload at this hop, when the sink asked for payloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<Arc<serde_json::Value>>,
    pub reason: String,
}

/// Where trace records go.
pub trait TraceSink {
    fn record(&mut self, record: TraceRecord);
    /// Whether records should carry payloads (building them costs time).
    fn wants_payloads(&self) -> bool {
        true
    }
    /// Whether records should carry reasons (explanations cost time too).
    fn wants_reasons(&self) -> bool {
        true
    }
}

/// Keeps every record in memory (tests, short runs, the page's current window).
#[derive(Debug, Default, Clone)]
pub struct VecSink {
    pub records: Vec<TraceRecord>,
}

impl TraceSink for VecSink {
    fn record(&mut self, record: TraceRecord) {
        self.records.push(record);
    }
}

/// Drops records (benchmarks; runs where only the counters matter).
#[derive(Debug, Default, Clone, Copy)]
pub struct NullSink {
    pub count: u64,
}

impl TraceSink for NullSink {
    fn record(&mut self, _record: TraceRecord) {
        self.count += 1;
    }
    fn wants_payloads(&self) -> bool {
        false
    }
    fn wants_reasons(&self) -> bool {
        false
    }
}

/// Writes JSON Lines. A failed write is remembered and later records are skipped.
pub struct JsonLinesSink<W: Write> {
    pub writer: W,
    pub error: Option<std::io::Error>,
    pub with_payloads: bool,
}

impl<W: Write> JsonLinesSink<W> {
    pub fn new(writer: W) -> JsonLinesSink<W> {
        JsonLinesSink {
            writer,
            error: None,
            with_payloads: true,
        }
    }
}

impl<W: Write> TraceSink for JsonLinesSink<W> {
    fn record(&mut self, record: TraceRecord) {
        if self.error.is_some() {
            return;
        }
        let result = serde_json::to_writer(&mut self.writer, &record)
            .map_err(std::io::Error::from)
            .and_then(|()| self.writer.write_all(b"\n"));
        if let Err(error) = result {
            self.error = Some(error);
        }
    }
    fn wants_payloads(&self) -> bool {
        self.with_payloads
    }
}

/// A writer that keeps only the FNV-1a (64-bit) digest of the bytes given to it: a trace's
/// fingerprint, the same on every machine and in wasm, without keeping the trace. The page
/// shows it and `tests/trace_golden.rs` pins it, so both use this one definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a64(pub u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> u64 {
        let mut digest = Fnv1a64::default();
        digest.update(bytes);
        digest.0
    }

    fn update(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Write for Fnv1a64 {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
