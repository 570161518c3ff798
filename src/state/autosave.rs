//! The autosaved document's format: `{"format": N, "document": …}`.
//!
//! A save that cannot be read (damaged, or written by a newer Eventyard) must never be dropped
//! and then overwritten by the default: the shell keeps it aside and offers it for download.
//! Saves from before the format had a version (the bare document) read as format 0.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The format this build writes; it reads every format up to this one.
pub const FORMAT: u64 = 1;

/// What a saved text holds.
#[derive(Debug, PartialEq)]
pub enum Restored<T> {
    Document(T),
    /// Kept as it is, with why it cannot be read, in words for the page.
    Unreadable(String),
}

/// The text to save for `document`.
pub fn encode<T: Serialize>(document: &T) -> Result<String, String> {
    serde_json::to_string(&serde_json::json!({ "format": FORMAT, "document": document }))
        .map_err(|e| e.to_string())
}

pub fn decode<T: DeserializeOwned>(saved: &str) -> Restored<T> {
    let value: Value = match serde_json::from_str(saved) {
        Ok(value) => value,
        Err(e) => return Restored::Unreadable(format!("it is damaged ({e})")),
    };
    let (format, document) = match value {
        Value::Object(mut fields) if fields.contains_key("format") => {
            let format = fields.get("format").and_then(Value::as_u64);
            match (format, fields.remove("document")) {
                (Some(format), _) if format > FORMAT => {
                    return Restored::Unreadable(format!(
                        "a newer version of Eventyard wrote it (format {format}; this one reads up to {FORMAT})"
                    ))
                }
                (Some(format), Some(document)) => (format, document),
                _ => {
                    return Restored::Unreadable(
                        "it is damaged (no format number or no document)".to_string(),
                    )
                }
            }
        }
        bare => (0, bare),
    };
    match serde_json::from_value(document) {
        Ok(document) => Restored::Document(document),
        Err(e) => Restored::Unreadable(format!("it is damaged (format {format}: {e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::pattern_tester::Dialect;
    use crate::state::pattern_tester::TesterDocument;
    use crate::state::playground::PlaygroundDocument;

    #[test]
    fn a_saved_document_reads_back_as_it_was() {
        let tester = TesterDocument::example(Dialect::SnsAttributes);
        let text = encode(&tester).unwrap();
        assert!(text.starts_with(r#"{"format":1,"document":"#), "{text}");
        assert_eq!(decode::<TesterDocument>(&text), Restored::Document(tester));
        let playground = PlaygroundDocument::default();
        let text = encode(&playground).unwrap();
        assert_eq!(decode(&text), Restored::Document(playground));
    }

    #[test]
    fn a_save_from_before_the_format_had_a_version_still_reads() {
        let tester = TesterDocument::example(Dialect::EventBridge);
        let bare = serde_json::to_string(&tester).unwrap();
        assert_eq!(decode::<TesterDocument>(&bare), Restored::Document(tester));
    }

    #[test]
    fn damaged_and_newer_saves_say_why_and_are_not_read() {
        let newer = r#"{"format":2,"document":{"future":true}}"#;
        let Restored::Unreadable(why) = decode::<TesterDocument>(newer) else {
            panic!("read a newer save")
        };
        assert_eq!(
            why,
            "a newer version of Eventyard wrote it (format 2; this one reads up to 1)"
        );
        for damaged in ["{\"format\":1,\"docu", "[1,2]", r#"{"format":"one"}"#, ""] {
            let Restored::Unreadable(why) = decode::<TesterDocument>(damaged) else {
                panic!("read {damaged:?}")
            };
            assert!(why.starts_with("it is damaged"), "{damaged:?}: {why}");
        }
    }
}
