//! Compact JSON writing for the JSON Lines trace and the bus event's text: the same bytes as
//! `serde_json::to_writer`, with a faster look for what a string needs escaped.
//!
//! Why not serde_json alone: its string writer looks every byte up in its escape table one at
//! a time, and the trace's strings are long and mostly plain (JSON inside SNS messages and SQS
//! and Lambda bodies, reasons, ids). This checks 16 bytes a step without branching (the
//! compiler turns it into vector compares) and copies plain runs whole. Only the scan is our
//! own: each escape sequence is written by serde_json's `CompactFormatter`, and numbers by
//! serde_json itself, so the output cannot drift from serde_json's (tested below over every
//! ASCII byte and across the 16-byte steps).

use std::io::{self, Write};

use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use serde_json::Value;

/// Whether serde_json escapes `b` in a string: controls, `"` and `\` (its `ESCAPE` table).
#[inline]
fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// How many leading bytes of `bytes` need no escape.
#[inline]
fn plain_len(bytes: &[u8]) -> usize {
    let mut at = 0;
    for block in bytes.chunks_exact(16) {
        // `fold`, not `any`: no early exit inside the block, so it vectorises
        if block.iter().fold(false, |any, &b| any | needs_escape(b)) {
            break;
        }
        at += 16;
    }
    while bytes.get(at).is_some_and(|&b| !needs_escape(b)) {
        at += 1;
    }
    at
}

/// `s` as a JSON string, byte for byte as serde_json writes it.
pub fn write_str<W: Write + ?Sized>(w: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    w.write_all(b"\"")?;
    let mut start = 0;
    while let Some(rest) = bytes.get(start..) {
        let run = plain_len(rest);
        w.write_all(rest.get(..run).unwrap_or_default())?;
        let Some(&byte) = rest.get(run) else {
            break;
        };
        let escape = match byte {
            b'"' => CharEscape::Quote,
            b'\\' => CharEscape::ReverseSolidus,
            0x08 => CharEscape::Backspace,
            0x0c => CharEscape::FormFeed,
            b'\n' => CharEscape::LineFeed,
            b'\r' => CharEscape::CarriageReturn,
            b'\t' => CharEscape::Tab,
            other => CharEscape::AsciiControl(other),
        };
        CompactFormatter.write_char_escape(w, escape)?;
        start += run + 1;
    }
    w.write_all(b"\"")
}

/// `s` as a JSON string appended to `out`, byte for byte as serde_json writes it: a plain
/// string (the usual case: ids, names, times) is copied with its quotes, without going
/// through a writer.
pub fn push_str(out: &mut String, s: &str) {
    if plain_len(s.as_bytes()) == s.len() {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    // serde_json writes a str into a String's bytes without failing; the fallback is never
    // taken
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// `value` as compact JSON, byte for byte `serde_json::to_writer(w, value)`.
pub fn write_value<W: Write + ?Sized>(w: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Null => w.write_all(b"null"),
        Value::Bool(true) => w.write_all(b"true"),
        Value::Bool(false) => w.write_all(b"false"),
        Value::Number(n) => serde_json::to_writer(w, n).map_err(io::Error::from),
        Value::String(s) => write_str(w, s),
        Value::Array(items) => {
            w.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                write_value(w, item)?;
            }
            w.write_all(b"]")
        }
        Value::Object(map) => {
            w.write_all(b"{")?;
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                write_str(w, key)?;
                w.write_all(b":")?;
                write_value(w, item)?;
            }
            w.write_all(b"}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ours(value: &Value) -> String {
        let mut out = Vec::new();
        write_value(&mut out, value).expect("a Vec takes every byte");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// Every ASCII byte, alone and at every position around the 16-byte steps, and non-ASCII
    /// text, come out as serde_json writes them.
    #[test]
    fn strings_are_serde_jsons() {
        let mut cases: Vec<String> = Vec::new();
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for len in [0usize, 1, 15, 16, 17, 31, 32, 33] {
                for at in [0, len / 2, len] {
                    let mut s: String = "a".repeat(len);
                    s.insert(at.min(s.len()), c);
                    cases.push(s);
                }
            }
        }
        cases.push("é 😀 \u{7f}\u{80}\u{2028} </script> \"\\\"\\".into());
        cases.push("{\"a\":\"b\\\"c\"}".repeat(9));
        for s in cases {
            let value = Value::String(s.clone());
            assert_eq!(ours(&value), value.to_string(), "{s:?}");
            let mut pushed = String::from("x");
            push_str(&mut pushed, &s);
            assert_eq!(pushed, format!("x{value}"), "{s:?}");
        }
    }

    #[test]
    fn values_are_serde_jsons() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-12),
            json!(u64::MAX),
            json!(0.1),
            json!(1.5e300),
            json!(-0.0),
            json!([]),
            json!({}),
            json!([1, [2, [3, {}]], {"a": []}]),
            json!({"Records": [{"body": "{\"x\":1}\n", "k\"ey": {"n": null, "t": true}}]}),
        ];
        for value in &values {
            assert_eq!(ours(value), value.to_string());
            let mut written = Vec::new();
            write_value(&mut written, value).expect("a Vec takes every byte");
            assert_eq!(written, serde_json::to_vec(value).expect("serialises"));
        }
    }
}
