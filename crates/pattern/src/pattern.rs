//! [`EventPattern`]: a validated EventBridge event pattern, the public face of the pipeline
//! text → spanned JSON ([`crate::json`]) → validated model ([`crate::model`]) → matching
//! ([`crate::interpret`]) and explanations ([`crate::explain`]).

use crate::error::{ErrorKind, PatternError};
use crate::explain::{self, Explanation};
use crate::interpret;
use crate::json::{self, Duplicates, JsonError, Span, Spanned};
use crate::limits;
use crate::model::{Conjunction, MatcherKind, WildcardPattern};
use crate::validate;
use crate::wildcard;

/// A validated EventBridge event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    root: Conjunction,
    text: String,
}

impl EventPattern {
    /// Parses and validates pattern text as PutRule does (2,048-character limit, eb-quota).
    pub fn parse(text: &str) -> Result<EventPattern, PatternError> {
        EventPattern::parse_with_limit(text, limits::EVENT_PATTERN_CHARS_MAX.value)
    }

    /// The same, with TestEventPattern's 4,096-character limit (API_TestEventPattern).
    pub fn parse_for_test(text: &str) -> Result<EventPattern, PatternError> {
        EventPattern::parse_with_limit(text, limits::TEST_EVENT_PATTERN_CHARS_MAX.value)
    }

    /// The same, with a given limit in characters (counted as Java counts a `String`'s
    /// length, in UTF-16 code units, since that is what AWS's services measure).
    pub fn parse_with_limit(text: &str, chars_max: usize) -> Result<EventPattern, PatternError> {
        let length = text.encode_utf16().count();
        if length > chars_max {
            return Err(PatternError::new(
                ErrorKind::TooLong,
                format!("Event pattern is {length} characters long; the limit is {chars_max}"),
                Span {
                    start: 0,
                    end: text.len(),
                    line: 1,
                    column: 1,
                },
                "$",
            ));
        }
        let (_, root) = read(text).map_err(|rejection| match rejection {
            Rejection::Json(e) => json_error(e, text),
            Rejection::Invalid(e) => e,
        })?;
        check_wildcard_complexity(&root)?;
        Ok(EventPattern {
            root,
            text: text.to_string(),
        })
    }

    /// The validated model, for compilers and tools.
    pub fn root(&self) -> &Conjunction {
        &self.root
    }

    /// The pattern text it was parsed from (spans point into it).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The reference interpreter: does this bare (envelope-less) JSON event match? Values
    /// that are not JSON objects never match.
    pub fn matches(&self, event: &serde_json::Value) -> bool {
        interpret::matches(&self.root, &json::from_serde(event))
    }

    /// The same for event text, read exactly (number tokens as written, last duplicate key
    /// wins).
    pub fn matches_text(&self, event_text: &str) -> Result<bool, JsonError> {
        let event = json::parse(event_text)?;
        Ok(interpret::matches(&self.root, &event))
    }

    /// Structured explanation of why the event matches or not; event spans are empty
    /// (use [`EventPattern::explain_text`] to get spans into the event text).
    pub fn explain(&self, event: &serde_json::Value) -> Explanation {
        explain::explain(&self.root, &json::from_serde(event))
    }

    /// The same for an event converted once with [`PreparedEvent::new`], to explain many
    /// patterns against one event without converting it for each.
    pub fn explain_prepared(&self, event: &PreparedEvent) -> Explanation {
        explain::explain(&self.root, &event.0)
    }

    /// Structured explanation with spans into both the pattern and the event text.
    pub fn explain_text(&self, event_text: &str) -> Result<Explanation, JsonError> {
        let event: Spanned = json::parse(event_text)?;
        Ok(explain::explain(&self.root, &event))
    }
}

/// An event in the engine's own JSON form, converted once from a `serde_json::Value`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedEvent(Spanned);

impl PreparedEvent {
    pub fn new(event: &serde_json::Value) -> PreparedEvent {
        PreparedEvent(json::from_serde(event))
    }
}

/// Why pattern text was rejected before any dialect-specific check.
pub(crate) enum Rejection {
    /// The text is not JSON (and nothing before the syntax error was invalid).
    Json(JsonError),
    /// The pattern breaks a rule.
    Invalid(PatternError),
}

/// Reads and validates pattern text in AWS's order: Jackson reads token by token and
/// event-ruler validates as it goes, so a rule broken *before* a syntax error is what AWS
/// reports (`{"a": [{"prefix": 3}] ,,` says "prefix match pattern must be a string").
pub(crate) fn read(text: &str) -> Result<(Spanned, Conjunction), Rejection> {
    match json::parse_partial(text, Duplicates::Keep) {
        Ok(document) => match validate::pattern(&document) {
            Ok(root) => Ok((document, root)),
            Err(e) => Err(Rejection::Invalid(e)),
        },
        Err((syntax, partial)) => {
            let earlier = partial
                .as_ref()
                .and_then(|p| validate::pattern(p).err())
                .filter(|e| e.decided_at() < syntax.span.start);
            match earlier {
                Some(e) => Err(Rejection::Invalid(e.clamp_span(text.len()))),
                None => Err(Rejection::Json(syntax)),
            }
        }
    }
}

/// Malformed JSON or too deep nesting, as a pattern error at the place it was noticed.
pub(crate) fn json_error(e: JsonError, text: &str) -> PatternError {
    let kind = if e.too_deep {
        ErrorKind::TooDeep
    } else {
        ErrorKind::MalformedJson
    };
    PatternError::new(kind, jackson_reason(&e, text), e.span, "$")
}

/// Jackson's message with its location suffix, as AWS passes it on:
/// `Unexpected character ('i' (code 105)): was expecting double-quote to start field name
/// at [Source: (String)"{id: 1}"; line: 1, column: 2]` (Jackson quotes at most 500
/// characters of the source).
fn jackson_reason(e: &JsonError, text: &str) -> String {
    let source = quoted_source(text);
    format!(
        "{}\n at [Source: {source}; line: {}, column: {}]",
        e.message_with_source(&source),
        e.span.line,
        jackson_column(e, text)
    )
}

/// Jackson's `(String)"..."` source description: the first 500 characters, and how many more
/// there were.
pub(crate) fn quoted_source(text: &str) -> String {
    const SOURCE_CHARS_MAX: usize = 500;
    let total = text.chars().count();
    let source: String = text.chars().take(SOURCE_CHARS_MAX).collect();
    let truncated = if total > SOURCE_CHARS_MAX {
        format!("[truncated {} chars]", total - SOURCE_CHARS_MAX)
    } else {
        String::new()
    };
    format!("(String)\"{source}\"{truncated}")
}

/// The column Jackson reports for a syntax error: where its reader stands when it gives up.
pub(crate) fn jackson_column(e: &JsonError, text: &str) -> u32 {
    // Jackson reports the column after the character it just consumed; our span points at
    // the character itself (what a UI underlines).
    let consumed = e.message.starts_with("Unexpected character")
        || e.message.starts_with("Unexpected close marker");
    if consumed {
        e.span.column.saturating_add(1)
    } else if e.message.starts_with("Unrecognized token") {
        // Jackson has read the whole word: it stands after it.
        let word = text
            .get(e.span.start..e.span.end)
            .map_or(0, |w| w.chars().count());
        e.span
            .column
            .saturating_add(u32::try_from(word).unwrap_or(u32::MAX))
    } else {
        e.span.column
    }
}

/// AWS rejects patterns whose wildcards could keep too many partial matches alive at once
/// ("Rule is too complex - try using fewer wildcard characters or fewer repeating character
/// sequences after a wildcard character"). Event-ruler measures it per byte machine, that
/// is per field, over the `wildcard` patterns of that field ([`wildcard::complexity`]).
fn check_wildcard_complexity(root: &Conjunction) -> Result<(), PatternError> {
    let mut per_path: Vec<(&str, Vec<&WildcardPattern>, Span, &str)> = Vec::new();
    root.for_each_field(&mut |field| {
        for matcher in &field.matchers {
            if let MatcherKind::Wildcard(glob) = &matcher.kind {
                match per_path.iter_mut().find(|(p, ..)| *p == field.path) {
                    Some(entry) => entry.1.push(glob),
                    None => per_path.push((&field.path, vec![glob], field.span, &field.json_path)),
                }
            }
        }
    });
    let limit = limits::WILDCARD_COMPLEXITY_MAX.value;
    for (_, globs, span, json_path) in per_path {
        if wildcard::complexity(&globs, limit) > limit {
            return Err(PatternError::new(
                ErrorKind::TooComplex,
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
                span,
                json_path,
            ));
        }
    }
    Ok(())
}
