//! The spanned document tree: every value of a template with the line and column where it starts.
//!
//! Both YAML and JSON templates load into this one tree (JSON is read as YAML 1.2 flow style), so
//! every later stage reports positions the same way. Short tags (`!Ref X`) are already rewritten to
//! their long forms (`{"Ref": "X"}`) here, as cfn-lint does at load.
//!
//! A string scalar also keeps its [`Layout`]: where its characters sit in the template, when
//! that is exactly known. A pattern written as a JSON string (`EventPattern: |`) is parsed by
//! eventyard-pattern, which reports a line and column inside the string; the layout turns that
//! into the template's own line and column.

use std::fmt;

/// A position in the template text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// One node of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Where a string scalar's characters are in the template ([`Layout::Unmapped`] otherwise).
    pub layout: Layout,
}

/// Where the characters of a string scalar are in the template text, for the scalar forms whose
/// characters map one to one onto the source; every other form is [`Layout::Unmapped`] and a
/// position inside it can only be reported at the scalar's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Not a string read from the text, or written in a form whose characters do not map one to
    /// one (escapes, folded lines, a flow scalar over several lines).
    #[default]
    Unmapped,
    /// A plain or quoted scalar on one line: character `i` (0-based) is at `column + i`, plus one
    /// for every `'` before it when `doubled_quotes` (a single-quoted scalar writes `'` as `''`).
    Line {
        line: u32,
        column: u32,
        doubled_quotes: bool,
    },
    /// A block scalar (`|`, or `>` whose lines were not folded): line `k` (0-based) of the text is
    /// template line `first_line + k`, its characters starting after `indent` spaces.
    Block { first_line: u32, indent: u32 },
}

/// A mapping key with its own position (errors about a property point at its key).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Seq(Vec<Node>),
    /// Keys in document order; duplicates were rejected at load.
    Map(Vec<(Key, Node)>),
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Node {
        Node {
            value,
            pos,
            layout: Layout::Unmapped,
        }
    }

    /// The template position of a place inside this string's text, given as the 1-based line
    /// and character column within the text (as eventyard-pattern reports them); `None` when the
    /// scalar's layout does not say exactly.
    pub fn pos_in_text(&self, line: u32, column: u32) -> Option<Pos> {
        let Value::String(text) = &self.value else {
            return None;
        };
        let before = usize::try_from(column.checked_sub(1)?).ok()?;
        let index = usize::try_from(line.checked_sub(1)?).ok()?;
        let text_line = text.split('\n').nth(index)?;
        // A column one past the last character is a place too (where the text ends too early).
        if before > text_line.chars().count() {
            return None;
        }
        match self.layout {
            Layout::Unmapped => None,
            Layout::Line {
                line: at,
                column: start,
                doubled_quotes,
            } => {
                if index != 0 {
                    return None;
                }
                let quotes = if doubled_quotes {
                    text_line
                        .chars()
                        .take(before)
                        .filter(|c| *c == '\'')
                        .count()
                } else {
                    0
                };
                let offset = u32::try_from(before.checked_add(quotes)?).ok()?;
                Some(Pos {
                    line: at,
                    column: start.checked_add(offset)?,
                })
            }
            Layout::Block { first_line, indent } => Some(Pos {
                line: first_line.checked_add(u32::try_from(index).ok()?)?,
                column: indent.checked_add(column)?,
            }),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// A short name of the node's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "an object",
        }
    }

    /// The node as plain JSON (positions dropped), e.g. an inline EventPattern.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}
