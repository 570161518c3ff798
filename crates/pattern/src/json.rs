//! A spanned JSON reader for pattern, policy and event text.
//!
//! Hand-written rather than `serde_json` because the playground must point at the exact place
//! of every key and value (line, column, byte span), keep number tokens exactly as written
//! (`3.018e2` stays `3.018e2`), let the last of duplicate keys win as Jackson does for
//! EventBridge, and report malformed JSON with Jackson-like messages (AWS's parser), all
//! without recursion deeper than [`MAX_NESTING_DEPTH`]: deep nesting is an error, never a
//! stack overflow. Invariant: no function here panics on any input text.

use std::cell::Cell;
use std::fmt;

/// Deepest nesting of arrays and objects accepted. AWS documents no figure; event-ruler
/// rejects nothing but Jackson's default is 1,000. A 2,048-character pattern cannot usefully
/// nest deeper than a few dozen levels, so 128 (serde_json's own limit) is generous and keeps
/// every recursive walk in this crate far from the stack's end.
pub const MAX_NESTING_DEPTH: usize = 128;

/// A place in the source text: byte range plus the 1-based line and column (in characters)
/// of its start, as Jackson reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column (in characters) of `start`.
    pub column: u32,
}

/// A JSON number kept as its exact source token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberToken {
    /// The token as written, e.g. `3.018e2` or `-0`.
    pub text: String,
}

/// A JSON value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The value.
    pub value: JsonValue,
    /// Where the value is in the text (for strings, including the quotes).
    pub span: Span,
}

/// One member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The decoded key.
    pub key: String,
    /// Where the key is (with its quotes).
    pub key_span: Span,
    /// The value.
    pub value: Spanned,
}

/// A JSON value whose children carry spans.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, exactly as written.
    Number(NumberToken),
    /// A string, decoded.
    String(String),
    /// An array.
    Array(Vec<Spanned>),
    /// An object's members in order (see [`Duplicates`]).
    Object(Vec<Member>),
}

impl JsonValue {
    /// Jackson's token word for a value, used in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "boolean",
            JsonValue::Number(_) => "number",
            JsonValue::String(_) => "string",
            JsonValue::Array(_) => "array",
            JsonValue::Object(_) => "object",
        }
    }
}

/// Malformed JSON: a Jackson-like message and where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Jackson-like message, e.g. `Unexpected character ('3' (code 51)): was expecting comma
    /// to separate Array entries`.
    pub message: String,
    /// Where the problem was noticed (an empty span at that point).
    pub span: Span,
    /// True when the error is the nesting limit rather than a syntax error.
    pub too_deep: bool,
}

impl JsonError {
    /// The message as Jackson prints it, whose close-marker and end-of-input messages embed
    /// the opening bracket's location in Jackson's own form, naming the source as `source`
    /// describes it: `Unexpected close marker '}': expected ']' (for Array starting at
    /// [Source: (String)"..."; line: 1, column: 51])` (event-ruler's recorded texts,
    /// `JsonRuleCompilerTest#testCompile`). Other messages are returned as they are.
    pub fn message_with_source(&self, source: &str) -> String {
        for marker in [
            "(for Array starting at ",
            "(for Object starting at ",
            "(start marker at ",
        ] {
            let Some(at) = self.message.find(marker) else {
                continue;
            };
            let cut = at + marker.len();
            let (Some(head), Some(tail)) = (self.message.get(..cut), self.message.get(cut..))
            else {
                continue;
            };
            if let Some(location) = tail.strip_suffix(')') {
                return format!("{head}[Source: {source}; {location}])");
            }
        }
        self.message.clone()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line: {}, column: {}",
            self.message, self.span.line, self.span.column
        )
    }
}

/// What to do with a key that appears twice in one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// Keep every member in order (patterns: event-ruler reads them one by one, so a later
    /// field with the same path overrides an earlier one, and a second operator key in
    /// `{"prefix": .., "prefix": ..}` is an error).
    Keep,
    /// The last one wins, at the first one's place (events, as `serde_json` reads them).
    LastWins,
}

/// Parses one JSON text (surrounding whitespace allowed, nothing else after it), the last
/// of duplicate keys winning.
pub fn parse(text: &str) -> Result<Spanned, JsonError> {
    parse_with(text, Duplicates::LastWins)
}

/// Parses one JSON text with the given treatment of duplicate keys.
pub fn parse_with(text: &str, duplicates: Duplicates) -> Result<Spanned, JsonError> {
    parse_partial(text, duplicates).map_err(|(e, _)| e)
}

/// Like [`parse_with`], but a syntax error also returns what was read before it: the
/// unfinished containers with the values they hold, their spans ending at
/// [`INCOMPLETE_END`]. Jackson, and so event-ruler and AWS, read a pattern token by token
/// and validate as they go, so a mistake in the part before a syntax error is the one
/// AWS reports; the partial document lets the validator find it.
pub fn parse_partial(
    text: &str,
    duplicates: Duplicates,
) -> Result<Spanned, (JsonError, Option<Spanned>)> {
    let mut reader = Reader {
        duplicates,
        partial: None,
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        known_column: Cell::new((0, 1)),
    };
    reader.skip_whitespace();
    if reader.pos >= reader.bytes.len() {
        return Err((
            reader.error_here("No content to map due to end-of-input".to_string()),
            None,
        ));
    }
    let value = match reader.value(0) {
        Ok(value) => value,
        Err(e) => return Err((e, reader.partial.take())),
    };
    reader.skip_whitespace();
    if let Some(c) = reader.peek_char() {
        let e = reader.error_here(format!(
            "Unexpected character ({}): expected end of input",
            describe_char(c)
        ));
        return Err((e, Some(value)));
    }
    Ok(value)
}

/// The end of the span of a container that a syntax error cut short.
pub const INCOMPLETE_END: usize = usize::MAX;

fn incomplete(value: JsonValue, open: Span) -> Spanned {
    Spanned {
        value,
        span: Span {
            end: INCOMPLETE_END,
            ..open
        },
    }
}

struct Reader<'a> {
    duplicates: Duplicates,
    /// While an error unwinds: what was read of the innermost unfinished container.
    partial: Option<Spanned>,
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// The last column computed: (byte position, its column).
    known_column: Cell<(usize, u32)>,
}

/// Jackson's way of naming a character: `'i' (code 105)`.
fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("CTRL-CHAR, code {}", c as u32)
    } else {
        format!("'{}' (code {})", c, c as u32)
    }
}

impl Reader<'_> {
    /// The 1-based column of `pos`, counted on from the last column computed when that lies on
    /// the same line before `pos`: spans are taken left to right, so a long line is counted
    /// once, not once per value (a 1.3 MB one-line event used to take 40 s).
    fn column_at(&self, pos: usize) -> u32 {
        let (mut from, mut column) = (self.line_start.min(pos), 1u32);
        let (known_pos, known_column) = self.known_column.get();
        if known_pos >= self.line_start && known_pos <= pos {
            (from, column) = (known_pos, known_column);
        }
        let chars = self.text.get(from..pos).map_or(0, |s| s.chars().count());
        let column = u32::try_from(chars)
            .unwrap_or(u32::MAX)
            .saturating_add(column);
        self.known_column.set((pos, column));
        column
    }

    fn point(&self) -> Span {
        Span {
            start: self.pos,
            end: self.pos,
            line: self.line,
            column: self.column_at(self.pos),
        }
    }

    fn error_here(&self, message: String) -> JsonError {
        JsonError {
            message,
            span: self.point(),
            too_deep: false,
        }
    }

    /// Jackson: `Unexpected end-of-input: expected close marker for Array (start marker at
    /// line: 1, column: 1)`.
    fn end_of_input(&self, what: &str, open: Span) -> JsonError {
        self.error_here(format!(
            "Unexpected end-of-input: expected close marker for {what} (start marker at line: {}, column: {})",
            open.line, open.column
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn skip_whitespace(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    fn unexpected(&self, expecting: &str) -> JsonError {
        match self.peek_char() {
            Some(c) => self.error_here(format!(
                "Unexpected character ({}): {}",
                describe_char(c),
                expecting
            )),
            None => self.error_here(format!("Unexpected end-of-input: {expecting}")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Spanned, JsonError> {
        let start = self.point();
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => JsonValue::Number(self.number()?),
            Some(b't') => self.keyword("true", JsonValue::Bool(true))?,
            Some(b'f') => self.keyword("false", JsonValue::Bool(false))?,
            Some(b'n') => self.keyword("null", JsonValue::Null)?,
            Some(b'N' | b'I') => {
                let rest = self.text.get(self.pos..).unwrap_or("");
                let token = ["NaN", "Infinity"].into_iter().find(|t| {
                    rest.starts_with(t)
                        && !rest
                            .get(t.len()..)
                            .unwrap_or("")
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
                });
                if let Some(token) = token {
                    return Err(self.error_here(format!(
                        "Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
                    )));
                }
                return Err(self.unrecognized_token());
            }
            Some(b']') | Some(b'}') => {
                let c = self.peek_char().unwrap_or(' ');
                return Err(self.error_here(format!(
                    "Unexpected close marker '{c}': expected a value"
                )));
            }
            // Jackson's `_handleOddValue`: a word is an unrecognised token, named whole.
            Some(_) if self.peek_char().is_some_and(char::is_alphabetic) => {
                return Err(self.unrecognized_token())
            }
            _ => {
                return Err(self.unexpected(
                    "expected valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                ))
            }
        };
        Ok(Spanned {
            value,
            span: Span {
                end: self.pos,
                ..start
            },
        })
    }

    fn keyword(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonError> {
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        if rest.starts_with(word.as_bytes()) {
            let after = rest.get(word.len()).copied();
            if !matches!(after, Some(b) if b.is_ascii_alphanumeric() || b == b'_') {
                self.pos += word.len();
                return Ok(value);
            }
        }
        Err(self.unrecognized_token())
    }

    /// Jackson's `_reportInvalidToken`: a bare word where a value belongs is named whole (the
    /// characters Java counts as identifier parts, at most 256 then `...`), and reported at
    /// the column after it, where Jackson's reader stands once it has read the word.
    fn unrecognized_token(&self) -> JsonError {
        const TOKEN_CHARS_MAX: usize = 256;
        let rest = self.text.get(self.pos..).unwrap_or("");
        let mut token = String::new();
        let mut bytes = 0;
        let mut cut = false;
        for c in rest.chars() {
            if !(c.is_alphanumeric() || c == '_' || c == '$') {
                break;
            }
            if token.chars().count() >= TOKEN_CHARS_MAX {
                cut = true;
                break;
            }
            token.push(c);
            bytes += c.len_utf8();
        }
        if cut {
            token.push_str("...");
        }
        let mut error = self.error_here(format!(
            "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        ));
        error.span.end = self.pos + bytes;
        error
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_NESTING_DEPTH {
            let mut e = self.error_here(format!(
                "Document nesting depth exceeds the maximum allowed ({MAX_NESTING_DEPTH})"
            ));
            e.too_deep = true;
            return Err(e);
        }
        Ok(depth + 1)
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        let open = self.point();
        self.pos += 1; // '['
        let mut items = Vec::new();
        match self.array_items(depth, open, &mut items) {
            Ok(()) => Ok(JsonValue::Array(items)),
            Err(e) => {
                if let Some(child) = self.partial.take() {
                    items.push(child);
                }
                self.partial = Some(incomplete(JsonValue::Array(items), open));
                Err(e)
            }
        }
    }

    fn array_items(
        &mut self,
        depth: usize,
        open: Span,
        items: &mut Vec<Spanned>,
    ) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            if self.peek() == Some(b'}') {
                return Err(self.error_here(format!(
                    "Unexpected close marker '}}': expected ']' (for Array starting at line: {}, column: {})",
                    open.line, open.column
                )));
            }
            if self.peek().is_none() {
                return Err(self.end_of_input("Array", open));
            }
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'}') => {
                    return Err(self.error_here(format!(
                        "Unexpected close marker '}}': expected ']' (for Array starting at line: {}, column: {})",
                        open.line, open.column
                    )))
                }
                None => return Err(self.end_of_input("Array", open)),
                _ => return Err(self.unexpected("was expecting comma to separate Array entries")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        let open = self.point();
        self.pos += 1; // '{'
        let mut members: Vec<Member> = Vec::new();
        let mut pending: Option<(String, Span)> = None;
        match self.object_members(depth, open, &mut members, &mut pending) {
            Ok(()) => Ok(JsonValue::Object(members)),
            Err(e) => {
                // A member whose value was cut short keeps what was read of it.
                if let (Some(value), Some((key, key_span))) = (self.partial.take(), pending) {
                    members.push(Member {
                        key,
                        key_span,
                        value,
                    });
                }
                self.partial = Some(incomplete(JsonValue::Object(members), open));
                Err(e)
            }
        }
    }

    fn object_members(
        &mut self,
        depth: usize,
        open: Span,
        members: &mut Vec<Member>,
        pending: &mut Option<(String, Span)>,
    ) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.end_of_input("Object", open)),
                Some(b']') => {
                    return Err(self.error_here(format!(
                        "Unexpected close marker ']': expected '}}' (for Object starting at line: {}, column: {})",
                        open.line, open.column
                    )))
                }
                _ => return Err(self.unexpected("was expecting double-quote to start field name")),
            }
            let key_start = self.point();
            let key = self.string()?;
            let key_span = Span {
                end: self.pos,
                ..key_start
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(
                    self.unexpected("was expecting a colon to separate field name and value")
                );
            }
            self.pos += 1;
            self.skip_whitespace();
            *pending = Some((key, key_span));
            let value = self.value(depth)?;
            let Some((key, key_span)) = pending.take() else {
                continue;
            };
            let member = Member {
                key,
                key_span,
                value,
            };
            let existing = match self.duplicates {
                Duplicates::Keep => None,
                Duplicates::LastWins => members.iter_mut().find(|m| m.key == member.key),
            };
            if let Some(existing) = existing {
                *existing = member;
            } else {
                members.push(member);
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b']') => {
                    return Err(self.error_here(format!(
                        "Unexpected close marker ']': expected '}}' (for Object starting at line: {}, column: {})",
                        open.line, open.column
                    )))
                }
                None => return Err(self.end_of_input("Object", open)),
                _ => return Err(self.unexpected("was expecting comma to separate Object entries")),
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(self.error_here(
                    "Unexpected end-of-input: was expecting closing quote for a string value"
                        .to_string(),
                ));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    let Some(e) = self.peek_char() else {
                        return Err(self.error_here(
                            "Unexpected end-of-input in character escape sequence".to_string(),
                        ));
                    };
                    self.pos += e.len_utf8();
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let unit = self.hex4()?;
                            if (0xD800..0xDC00).contains(&unit) {
                                // A high surrogate: pair it with the following low one.
                                let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
                                if rest.starts_with(b"\\u") {
                                    self.pos += 2;
                                    let low = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&low) {
                                        let code =
                                            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                                    } else {
                                        out.push('\u{FFFD}');
                                        out.push(char::from_u32(low).unwrap_or('\u{FFFD}'));
                                    }
                                } else {
                                    out.push('\u{FFFD}');
                                }
                            } else {
                                out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                            }
                        }
                        other => {
                            self.pos -= other.len_utf8();
                            return Err(self.error_here(format!(
                                "Unrecognized character escape {}",
                                describe_char(other)
                            )));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error_here(format!(
                        "Illegal unquoted character ({}): has to be escaped using backslash to be included in string value",
                        describe_char(c)
                    )));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = self.peek_char().and_then(|c| c.to_digit(16));
            match digit {
                Some(d) => {
                    value = value * 16 + d;
                    self.pos += 1;
                }
                None => {
                    return Err(
                        self.unexpected("expected a hex-digit for character escape sequence")
                    )
                }
            }
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<NumberToken, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let int_digits = self.pos - int_start;
        if int_digits == 0 {
            return Err(self
                .unexpected("expected digit (0-9) to follow minus sign, for valid numeric value"));
        }
        if int_digits > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(JsonError {
                message: "Invalid numeric value: Leading zeroes not allowed".to_string(),
                span: Span {
                    start: int_start,
                    end: int_start,
                    line: self.line,
                    column: self.column_at(int_start),
                },
                too_deep: false,
            });
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let frac_start = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == frac_start {
                return Err(self.unexpected("Decimal point not followed by a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let exp_start = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == exp_start {
                return Err(self.unexpected("Exponent indicator not followed by a digit"));
            }
        }
        Ok(NumberToken {
            text: self.text.get(start..self.pos).unwrap_or("0").to_string(),
        })
    }
}

/// Converts a `serde_json::Value` into the spanned tree (all spans empty), so one interpreter
/// serves both. Nesting deeper than [`MAX_NESTING_DEPTH`] is cut off (replaced by `null`)
/// rather than recursed into: a programmatically built `Value` has no parser limit.
pub fn from_serde(value: &serde_json::Value) -> Spanned {
    from_serde_at(value, 0)
}

fn from_serde_at(value: &serde_json::Value, depth: usize) -> Spanned {
    let value = match value {
        serde_json::Value::Null => JsonValue::Null,
        serde_json::Value::Bool(b) => JsonValue::Bool(*b),
        serde_json::Value::Number(n) => JsonValue::Number(NumberToken {
            text: n.to_string(),
        }),
        serde_json::Value::String(s) => JsonValue::String(s.clone()),
        _ if depth >= MAX_NESTING_DEPTH => JsonValue::Null,
        serde_json::Value::Array(items) => {
            JsonValue::Array(items.iter().map(|v| from_serde_at(v, depth + 1)).collect())
        }
        serde_json::Value::Object(map) => JsonValue::Object(
            map.iter()
                .map(|(k, v)| Member {
                    key: k.clone(),
                    key_span: Span::default(),
                    value: from_serde_at(v, depth + 1),
                })
                .collect(),
        ),
    };
    Spanned {
        value,
        span: Span::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse(text) {
            Ok(v) => panic!("expected an error, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Columns are counted on from the last one computed (linear in the line, not quadratic);
    /// each must still equal the count from the line's start, characters not bytes.
    #[test]
    fn columns_on_a_long_line_equal_a_count_from_the_line_start() {
        let text = "{\"é\": [1, \"ü\", {\"k\": \"日本\"}, 2.5],\n  \"b\": [true, \"x\"]}";
        let root = parse(text).unwrap();
        let mut spans = Vec::new();
        fn walk(v: &Spanned, out: &mut Vec<Span>) {
            out.push(v.span);
            match &v.value {
                JsonValue::Array(items) => items.iter().for_each(|i| walk(i, out)),
                JsonValue::Object(members) => members.iter().for_each(|m| {
                    out.push(m.key_span);
                    walk(&m.value, out)
                }),
                _ => {}
            }
        }
        walk(&root, &mut spans);
        assert!(spans.len() > 10);
        for span in spans {
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[line_start..span.start].chars().count() as u32 + 1;
            assert_eq!(span.column, expected, "{span:?}");
        }
    }

    #[test]
    fn spans_of_keys_and_values() {
        let v = parse("{\n  \"a\": [1, \"x\"]\n}").unwrap();
        let JsonValue::Object(members) = v.value else {
            panic!()
        };
        let m = &members[0];
        assert_eq!((m.key_span.line, m.key_span.column), (2, 3));
        assert_eq!((m.value.span.line, m.value.span.column), (2, 8));
        let JsonValue::Array(items) = &m.value.value else {
            panic!()
        };
        assert_eq!(items[1].span.start, 13);
        assert_eq!(items[1].span.end, 16);
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let v = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let JsonValue::Object(members) = v.value else {
            panic!()
        };
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].key, "a");
        assert_eq!(
            members[0].value.value,
            JsonValue::Number(NumberToken { text: "3".into() })
        );
    }

    #[test]
    fn number_tokens_kept_exactly() {
        let v = parse("3.018e2").unwrap();
        assert_eq!(
            v.value,
            JsonValue::Number(NumberToken {
                text: "3.018e2".into()
            })
        );
    }

    #[test]
    fn malformed_json_messages_like_jackson() {
        assert_eq!(
            err(r#"{"a": [1, 2 3]}"#),
            "Unexpected character ('3' (code 51)): was expecting comma to separate Array entries at line: 1, column: 13"
        );
        assert_eq!(
            err("{id: 1}"),
            "Unexpected character ('i' (code 105)): was expecting double-quote to start field name at line: 1, column: 2"
        );
    }

    #[test]
    fn end_of_input_and_non_standard_tokens() {
        assert_eq!(
            err("[1, 2"),
            "Unexpected end-of-input: expected close marker for Array (start marker at line: 1, column: 1) at line: 1, column: 6"
        );
        assert_eq!(
            err("{\"a\": 1"),
            "Unexpected end-of-input: expected close marker for Object (start marker at line: 1, column: 1) at line: 1, column: 8"
        );
        assert!(err("[NaN]").starts_with("Non-standard token 'NaN'"));
    }

    #[test]
    fn start_marker_locations_name_the_source() {
        let e = parse(r#"{"a": [1, 2}"#).unwrap_err();
        assert_eq!(
            e.message_with_source("(String)\"x\""),
            "Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)\"x\"; line: 1, column: 7])"
        );
        let e = parse("[1, 2").unwrap_err();
        assert_eq!(
            e.message_with_source("REDACTED"),
            "Unexpected end-of-input: expected close marker for Array (start marker at [Source: REDACTED; line: 1, column: 1])"
        );
        let e = parse("[1 2]").unwrap_err();
        assert_eq!(e.message_with_source("REDACTED"), e.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = "[".repeat(100_000);
        let e = parse(&text).unwrap_err();
        assert!(e.too_deep);
    }

    #[test]
    fn surrogate_pairs_decode() {
        let v = parse(r#""\ud83c\udf69""#).unwrap();
        assert_eq!(v.value, JsonValue::String("🍩".into()));
    }
}
