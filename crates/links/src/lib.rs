//! Share links: the whole state of a journey (the pattern tester's pattern and events, the
//! playground's template, seed and clock) in a URL fragment, so it can be pasted in a pull
//! request or a chat and opened by anyone, on any later version.
//!
//! The format: `<version>.<payload>`, where the payload is URL-safe base64 (no padding) of the
//! document's JSON compressed with raw deflate. The version comes first so a reader can tell a
//! link from the future from a damaged one before decoding anything. Every version ever written
//! stays readable: `tests/golden.rs` keeps one link of each.
//!
//! A link is data: decoding never runs anything, is bounded in size (a small link cannot inflate
//! to gigabytes), and every failure is a [`LinkError`] that says what is wrong. Links never hold
//! passwords or tokens: the sign-in view has no link document.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The newest format version this build writes; it reads every version up to it. A link is
/// written in the oldest version that carries everything in it, so links without the parts a
/// version added stay readable by pages of the older version: version 2 added the pattern
/// tester's input transformer.
pub const FORMAT_VERSION: u32 = 2;
/// The most bytes a link's document may inflate to (templates are far smaller).
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;
/// Where links begin to be cut by common chat tools and mail clients (many keep 2,000 to 4,096
/// characters of a URL; 2,000 is the conservative figure browsers and servers have long used).
pub const CHAT_SAFE_LENGTH: usize = 2_000;
/// The address `eventyard link` uses when no `--base` is given: `./scripts/serve.sh`'s.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// What a link opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "view", rename_all = "kebab-case")]
pub enum LinkDocument {
    PatternTester(TesterLink),
    Playground(PlaygroundLink),
}

/// The pattern tester: dialect, pattern and every event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TesterLink {
    /// `eventbridge`, `sns-attributes` or `sns-body`.
    pub dialect: String,
    pub pattern: String,
    pub events: Vec<String>,
    /// The input transformer tab (format version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformer: Option<TransformerLink>,
}

/// An input transformer as typed: `InputPathsMap` (JSON object text) and `InputTemplate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransformerLink {
    pub paths: String,
    pub template: String,
}

/// The playground: the template and how it was being watched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaygroundLink {
    pub template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Where playing pauses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_ms: Option<u64>,
    /// The virtual time shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<u64>,
    /// The message whose journey was open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<String>,
    /// What was sent by hand, in the page's own shape (each a JSON object).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sends: Vec<serde_json::Value>,
}

impl LinkDocument {
    /// The oldest format version that carries everything in this document.
    pub fn version(&self) -> u32 {
        match self {
            LinkDocument::PatternTester(TesterLink {
                transformer: Some(_),
                ..
            }) => 2,
            _ => 1,
        }
    }

    /// The view's route in the fragment (`/playground`).
    pub fn route(&self) -> &'static str {
        match self {
            LinkDocument::PatternTester(_) => "/pattern-tester",
            LinkDocument::Playground(_) => "/playground",
        }
    }
}

/// Why a link cannot be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// No `<version>.` in front.
    NotALink,
    /// Written by a later Eventyard.
    TooNew { version: u32 },
    /// The text is not the base64 a link is made of (a character was changed or added).
    Damaged(String),
    /// The compressed document ends early: the link was cut short.
    Truncated,
    /// Larger than [`MAX_DOCUMENT_BYTES`] once inflated.
    TooLarge,
    /// The document inside is not one this version knows.
    NotADocument(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NotALink => f.write_str("it is not an Eventyard link (it should start with a version number and a dot)"),
            LinkError::TooNew { version } => write!(
                f,
                "it was made by a newer Eventyard (link format {version}; this page reads up to {FORMAT_VERSION}); reload the page to get the latest version"
            ),
            LinkError::Damaged(why) => write!(f, "it is damaged ({why}); copy the whole link again"),
            LinkError::Truncated => f.write_str("it is cut short (the chat tool or mail client may have shortened it); copy the whole link again"),
            LinkError::TooLarge => write!(f, "its document is larger than {} MiB", MAX_DOCUMENT_BYTES >> 20),
            LinkError::NotADocument(why) => write!(f, "its document cannot be read ({why})"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment parameter holding a link's payload: `#/playground?link=1.xyz`.
pub const PARAM: &str = "link";

/// `<version>.<payload>` for a document.
pub fn encode(document: &LinkDocument) -> String {
    // Serializing plain strings and numbers cannot fail.
    let json = serde_json::to_vec(document).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!(
        "{}.{}",
        document.version(),
        URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// The document in `<version>.<payload>`.
pub fn decode(link: &str) -> Result<LinkDocument, LinkError> {
    let (version, payload) = link.trim().split_once('.').ok_or(LinkError::NotALink)?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotALink);
    }
    let version: u32 = version
        .parse()
        .map_err(|_| LinkError::TooNew { version: u32::MAX })?;
    if version == 0 {
        return Err(LinkError::NotALink);
    }
    if version > FORMAT_VERSION {
        return Err(LinkError::TooNew { version });
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|error| match error {
            base64::DecodeError::InvalidByte(at, byte) => LinkError::Damaged(format!(
                "character {} “{}” cannot be in a link",
                at + version_len(link) + 1,
                char::from(byte)
            )),
            // A length or a last character no whole link can have: it was cut.
            _ => LinkError::Truncated,
        })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_DOCUMENT_BYTES)
        .map_err(|error| match error.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress => LinkError::Truncated,
            _ => LinkError::Damaged("its compressed document is corrupt".to_string()),
        })?;
    serde_json::from_slice(&json).map_err(|error| LinkError::NotADocument(error.to_string()))
}

/// Characters before the payload (`1.`), so positions count from the link's start.
fn version_len(link: &str) -> usize {
    link.trim().find('.').map_or(0, |dot| dot + 1)
}

/// The whole address: `<base>#<route>?link=<version>.<payload>`.
pub fn url(base: &str, document: &LinkDocument) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{}?{PARAM}={}", document.route(), encode(document))
}

/// The `<version>.<payload>` in a whole address or fragment (or the text itself when it is one).
pub fn payload_of(text: &str) -> &str {
    let text = text.trim();
    let fragment = text.split_once('#').map_or(text, |(_, fragment)| fragment);
    fragment
        .split_once('?')
        .map(|(_, query)| query)
        .and_then(|query| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| *name == PARAM)
                .map(|(_, value)| value)
        })
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tester() -> LinkDocument {
        LinkDocument::PatternTester(TesterLink {
            dialect: "eventbridge".into(),
            pattern: r#"{"source": ["shop"]}"#.into(),
            events: vec![r#"{"source": "shop"}"#.into(), "not json".into()],
            transformer: None,
        })
    }

    #[test]
    fn a_link_round_trips_and_names_its_route() {
        let document = tester();
        let link = url("https://example.com/eventyard/", &document);
        assert!(link.starts_with("https://example.com/eventyard/#/pattern-tester?link=1."));
        assert_eq!(decode(payload_of(&link)), Ok(document));
    }

    #[test]
    fn every_failure_says_what_is_wrong() {
        let link = encode(&tester());
        assert_eq!(decode("hello"), Err(LinkError::NotALink));
        assert_eq!(
            decode(&link.replacen("1.", "3.", 1)),
            Err(LinkError::TooNew { version: 3 })
        );
        assert!(matches!(
            decode(&format!("{link}*")),
            Err(LinkError::Damaged(_))
        ));
        for cut in 1..12 {
            assert_eq!(
                decode(&link[..link.len() - cut]),
                Err(LinkError::Truncated),
                "cut {cut}"
            );
        }
        let not_json = format!(
            "1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"[1]", 9))
        );
        assert!(matches!(decode(&not_json), Err(LinkError::NotADocument(_))));
        let bomb = vec![b' '; MAX_DOCUMENT_BYTES + 1];
        let bomb = format!(
            "1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bomb, 9))
        );
        assert!(bomb.len() < 10_000);
        assert_eq!(decode(&bomb), Err(LinkError::TooLarge));
        for error in [LinkError::Truncated, LinkError::TooNew { version: 9 }] {
            assert!(
                error.to_string().contains("copy the whole link")
                    || error.to_string().contains("newer")
            );
        }
    }

    #[test]
    fn a_link_is_written_in_the_oldest_version_that_carries_it() {
        assert!(encode(&tester()).starts_with("1."));
        let LinkDocument::PatternTester(mut with) = tester() else {
            unreachable!()
        };
        with.transformer = Some(TransformerLink::default());
        let with = LinkDocument::PatternTester(with);
        assert!(encode(&with).starts_with("2."));
        assert_eq!(decode(&encode(&with)), Ok(with));
    }

    #[test]
    fn the_payload_is_found_in_a_whole_address_or_alone() {
        assert_eq!(payload_of("http://x/#/playground?a=b&link=1.abc"), "1.abc");
        assert_eq!(payload_of(" 1.abc "), "1.abc");
    }

    fn text() -> impl Strategy<Value = String> {
        prop::string::string_regex("(?s).{0,200}").unwrap()
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_the_identity(
            template in text(), pattern in text(), events in prop::collection::vec(text(), 0..4),
            seed in prop::option::of(any::<u64>()), time_ms in prop::option::of(0u64..1 << 53),
            following in prop::option::of(text()),
            transformer in prop::option::of((text(), text())),
        ) {
            let transformer = transformer.map(|(paths, template)| TransformerLink { paths, template });
            let documents = [
                LinkDocument::PatternTester(TesterLink { dialect: "sns-body".into(), pattern, events, transformer }),
                LinkDocument::Playground(PlaygroundLink {
                    template, seed, until_ms: Some(60_000), time_ms, speed: Some(100), following,
                    sends: vec![serde_json::json!({"target": "Bus", "at_ms": 5})],
                }),
            ];
            for document in documents {
                let link = encode(&document);
                prop_assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
                prop_assert_eq!(decode(&link), Ok(document));
            }
        }

        #[test]
        fn any_text_decodes_to_a_document_or_an_error_never_a_panic(link in "(?s).{0,300}") {
            let _ = decode(&link);
        }
    }
}
