//! The trace: every step of every message as a record, streamed to a consumer (a [`TraceSink`])
//! as it happens, so memory stays flat however long the run. Payloads are in AWS's shape at that
//! hop (event envelope, SNS envelope, SQS record, Lambda event) and only built when the sink
//! wants them.

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use crate::json_write::{write_str, write_value};

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
    /// `record`, with the compact JSON text of the record's payload when the simulator has it
    /// already (the bus event, written once for the matcher): a sink that writes JSON may copy
    /// it instead of serialising the payload again. `payload_text` is exactly what serde_json
    /// writes for `record.payload`. By default the text is not used.
    fn record_with_payload_text(&mut self, record: TraceRecord, payload_text: &str) {
        let _ = payload_text;
        self.record(record);
    }
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
        self.write(&record, None);
    }
    fn record_with_payload_text(&mut self, record: TraceRecord, payload_text: &str) {
        self.write(&record, Some(payload_text));
    }
    fn wants_payloads(&self) -> bool {
        self.with_payloads
    }
}

impl<W: Write> JsonLinesSink<W> {
    fn write(&mut self, record: &TraceRecord, payload_text: Option<&str>) {
        if self.error.is_some() {
            return;
        }
        if let Err(error) = write_record(&mut self.writer, record, payload_text) {
            self.error = Some(error);
        }
    }
}

/// One JSON line for `record`, byte for byte what `serde_json::to_writer` writes for it (the
/// members in the struct's order, each value as serde_json writes it: `json_write`), except
/// that the payload, when there is one and `payload_text` is given, is that text copied.
/// `tests/trace_golden.rs` pins the result.
fn write_record<W: Write>(
    w: &mut W,
    record: &TraceRecord,
    payload_text: Option<&str>,
) -> std::io::Result<()> {
    w.write_all(b"{\"time_ms\":")?;
    serde_json::to_writer(&mut *w, &record.time_ms)?;
    w.write_all(b",\"resource\":")?;
    write_str(w, &record.resource)?;
    w.write_all(b",\"action\":\"")?;
    // every action's name is plain lower-case ASCII: nothing to escape
    w.write_all(record.action.as_str().as_bytes())?;
    w.write_all(b"\",\"message_id\":")?;
    write_str(w, &record.message_id)?;
    if let Some(parent) = &record.parent_id {
        w.write_all(b",\"parent_id\":")?;
        write_str(w, parent)?;
    }
    if let Some(payload) = &record.payload {
        w.write_all(b",\"payload\":")?;
        match payload_text {
            Some(text) => w.write_all(text.as_bytes())?,
            None => write_value(w, payload)?,
        }
    }
    w.write_all(b",\"reason\":")?;
    write_str(w, &record.reason)?;
    w.write_all(b"}\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [TraceAction; 11] = [
        TraceAction::Received,
        TraceAction::Matched,
        TraceAction::Filtered,
        TraceAction::Transformed,
        TraceAction::Delivered,
        TraceAction::Failed,
        TraceAction::Retried,
        TraceAction::MovedToDlq,
        TraceAction::Expired,
        TraceAction::Deleted,
        TraceAction::Deduplicated,
    ];

    fn line(record: &TraceRecord, payload_text: Option<&str>) -> String {
        let mut out = Vec::new();
        write_record(&mut out, record, payload_text).expect("a Vec takes every byte");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// The sink's own writer gives serde_json's bytes for every action, with and without a
    /// parent and a payload, whatever the strings hold (quotes, controls, DEL, non-ASCII,
    /// lengths across the 16-byte steps).
    #[test]
    fn written_lines_are_serde_jsons() {
        let strings = [
            "",
            "plain",
            "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "`source`: pattern wants one of [\"a\"]; event has \"b\"",
            "0123456789abcde\"",
            "0123456789abcdef\\",
            "tab\there\u{1}\u{1f}\u{7f} é 😀 </script>",
            "0123456789abcdef0123456789abcdef\n",
        ];
        let payload = Arc::new(serde_json::json!({"a": [1, 2.5, "x\"y"], "b": null}));
        for (i, action) in ACTIONS.into_iter().enumerate() {
            for s in strings {
                for parent in [None, Some(Arc::from(s))] {
                    for with_payload in [false, true] {
                        let record = TraceRecord {
                            time_ms: i as u64 * 1_000_003,
                            resource: Arc::from(s),
                            action,
                            message_id: Arc::from(s),
                            parent_id: parent.clone(),
                            payload: with_payload.then(|| payload.clone()),
                            reason: s.to_string(),
                        };
                        let mut expected = serde_json::to_string(&record).expect("serialises");
                        expected.push('\n');
                        assert_eq!(line(&record, None), expected);
                        assert_eq!(line(&record, Some(&payload.to_string())), expected);
                    }
                }
            }
        }
    }

    #[test]
    fn action_names_are_serdes() {
        for action in ACTIONS {
            assert_eq!(
                serde_json::to_string(&action).expect("serialises"),
                format!("\"{}\"", action.as_str())
            );
        }
    }
}
