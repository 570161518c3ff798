//! The location SNS prints after a filter-policy error that event-ruler raised while reading
//! the policy: `\n at [Source: (String)"{"key":[{"suffix":100}]}"; line: 1, column: 22]`.
//!
//! SNS hands event-ruler the policy re-serialised without whitespace (the `Source` AWS prints
//! is always the compact form of what was sent), and event-ruler reads it token by token
//! with Jackson; the column is where Jackson's reader stands when the error is raised. Jackson
//! reads lazily, which decides that place:
//! - after a field name it has already read the colon and the start of the value: a whole
//!   number or literal, an opening bracket, or only the opening quote of a string;
//! - a string value is read up to its closing quote only when its text is asked for (the
//!   error then quotes it, `Bad numeric range operator: test`);
//! - any other token is read whole.
//!
//! These rules reproduce every position in the 16 located errors AWS returned in the shared
//! conformance corpus (LocalStack's AWS-validated snapshots of `Subscribe` and
//! `SetSubscriptionAttributes`), e.g. `{"key":{"not-an-operator":"value"}}` → column 28 (after
//! the opening quote of `"value"`), `{"key":[{"numeric":[">",20,"test"]}]}` → column 34.

use crate::pattern::quoted_source;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Colon,
    Comma,
    Str,
    Scalar,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    /// Byte range in the text as sent.
    start: usize,
    end: usize,
    /// Byte offset in the compact form.
    compact: usize,
    kind: Kind,
}

/// The tokens of (possibly broken) JSON text, stopping at anything unreadable.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut compact = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'{' | b'[' => Kind::Open,
            b'}' | b']' => Kind::Close,
            b':' => Kind::Colon,
            b',' => Kind::Comma,
            b'"' => {
                i += 1;
                loop {
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                        None => return out,
                    }
                }
                Kind::Str
            }
            _ => {
                while bytes.get(i + 1).is_some_and(|c| {
                    !matches!(
                        c,
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'{'
                            | b'['
                            | b'}'
                            | b']'
                            | b':'
                            | b','
                            | b'"'
                    )
                }) {
                    i += 1;
                }
                Kind::Scalar
            }
        };
        i += 1;
        let end = i.min(bytes.len());
        out.push(Token {
            start,
            end,
            compact,
            kind,
        });
        compact += end - start;
    }
    out
}

/// The compact form of the text: its tokens without the whitespace between them.
fn compact_text(text: &str, tokens: &[Token]) -> String {
    tokens
        .iter()
        .filter_map(|t| text.get(t.start..t.end))
        .collect()
}

/// SNS's location suffix for an error decided at byte `decided_at` of `text`.
pub(crate) fn sns_location(text: &str, decided_at: usize, reason: &str) -> String {
    let tokens = tokens(text);
    let compact = compact_text(text, &tokens);
    let index = tokens
        .iter()
        .position(|t| t.end > decided_at)
        .unwrap_or(tokens.len().saturating_sub(1));
    let pointer = match tokens.get(index) {
        Some(token) => reader_position(text, &tokens, index, token, reason),
        None => compact.len(),
    };
    let column = compact
        .get(..pointer.min(compact.len()))
        .map_or(0, |s| s.chars().count())
        + 1;
    format!(
        "\n at [Source: {}; line: 1, column: {column}]",
        quoted_source(&compact)
    )
}

/// Where Jackson's reader stands (a byte offset in the compact form) once the token at
/// `index` made event-ruler raise the error.
fn reader_position(
    text: &str,
    tokens: &[Token],
    index: usize,
    token: &Token,
    reason: &str,
) -> usize {
    let len = |t: &Token| t.end - t.start;
    let whole = |t: &Token| t.compact + len(t);
    // The start of a value, as Jackson reads it after a field name.
    let value_start = |t: Option<&Token>| match t {
        Some(t) if t.kind == Kind::Str => t.compact + 1,
        Some(t) => whole(t),
        None => tokens.last().map_or(0, whole),
    };
    let is_key =
        token.kind == Kind::Str && tokens.get(index + 1).map(|t| t.kind) == Some(Kind::Colon);
    // A string value was read whole when the error quotes it.
    let quoted = token.kind == Kind::Str
        && text
            .get(token.start + 1..token.end.saturating_sub(1))
            .is_some_and(|content| reason.ends_with(&format!(": {content}")));
    if is_key {
        value_start(tokens.get(index + 2))
    } else if token.kind == Kind::Str && !quoted {
        token.compact + 1
    } else {
        whole(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_form_drops_whitespace_only() {
        let text = "{ \"a b\" : [ 1 ,\n \"x y\" ] }";
        assert_eq!(compact_text(text, &tokens(text)), "{\"a b\":[1,\"x y\"]}");
    }
}
