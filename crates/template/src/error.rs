//! Template errors are data: where (logical id, line, column) and what, in CloudFormation's words
//! where CloudFormation has words for it. Loading collects every error, not just the first.

use std::fmt;

use crate::node::{Node, Pos, Value};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TemplateError {
    /// Position first so that a sorted list reads top to bottom like the template.
    pub pos: Pos,
    /// The resource the error belongs to, when there is one.
    pub logical_id: Option<String>,
    pub message: String,
}

impl TemplateError {
    pub fn at(logical_id: Option<&str>, pos: Pos, message: String) -> TemplateError {
        TemplateError {
            pos,
            logical_id: logical_id.map(str::to_string),
            message,
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.logical_id {
            Some(id) => write!(f, "{}: {id}: {}", self.pos, self.message),
            None => write!(f, "{}: {}", self.pos, self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

/// Collects errors for one resource while its properties are read.
#[derive(Debug, Default)]
pub struct Errors {
    pub list: Vec<TemplateError>,
}

impl Errors {
    pub fn push(&mut self, logical_id: &str, pos: Pos, message: impl Into<String>) {
        self.list
            .push(TemplateError::at(Some(logical_id), pos, message.into()));
    }

    pub fn push_global(&mut self, pos: Pos, message: impl Into<String>) {
        self.list.push(TemplateError::at(None, pos, message.into()));
    }
}

impl Errors {
    /// An error found inside a string the template gave as text to parse (an EventPattern or a
    /// FilterPolicy written as JSON), at `line`, `column` of that text. It is placed where that
    /// character is in the template when the string's layout says exactly; otherwise at the
    /// string's start, with the place inside the text added to the message so nothing is lost.
    /// A pattern written as YAML structure keeps the node's position and the message as is.
    pub fn push_in_text(
        &mut self,
        logical_id: &str,
        node: &Node,
        line: u32,
        column: u32,
        message: String,
    ) {
        if !matches!(node.value, Value::String(_)) {
            self.push(logical_id, node.pos, message);
            return;
        }
        match node.pos_in_text(line, column) {
            Some(pos) => self.push(logical_id, pos, message),
            None => self.push(
                logical_id,
                node.pos,
                format!("{message} (at line {line}, column {column} of the pattern)"),
            ),
        }
    }
}
