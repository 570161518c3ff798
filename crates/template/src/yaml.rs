//! Template text (YAML or JSON) → spanned [`Node`] tree.
//!
//! Built on yaml-rust2's event parser so that every node keeps its marker and its tag.
//! Input safety: nesting is limited to [`MAX_DEPTH`], aliases are rejected (CloudFormation does not
//! support them, and refusing them rules out "billion laughs" expansion), duplicate keys are
//! rejected as cfn-lint does, and only CloudFormation's short-form tags are accepted.
//!
//! Each string scalar also gets its [`Layout`] (where its characters are in the source), so an
//! error found later inside a pattern written as JSON text can point at the template's own line
//! and column.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::TemplateError;
use crate::node::{Key, Layout, Node, Pos, Value};

/// Deepest nesting of lists and maps accepted in a template.
pub const MAX_DEPTH: usize = 64;

/// Short-form tags and the long form each stands for (CloudFormation "Intrinsic function reference").
const SHORT_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Condition", "Condition"),
];

/// Parse a template's text. JSON is accepted as YAML 1.2 flow style.
pub fn parse(text: &str) -> Result<Node, Vec<TemplateError>> {
    // Tabs are never significant in JSON outside strings (inside strings they must be escaped),
    // but YAML refuses some of them; reading them as spaces keeps every column the same.
    let owned;
    let source = if text.trim_start().starts_with('{') {
        owned = text.replace('\t', " ");
        owned.as_str()
    } else {
        text
    };
    let mut builder = Builder {
        lines: source.split('\n').collect(),
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(source).keep_tags(true);
    if let Err(error) = parser.load(&mut builder, false) {
        let pos = pos_of(error.marker());
        return Err(vec![TemplateError::at(
            None,
            pos,
            format!("Template format error: {}", error.info()),
        )]);
    }
    if !builder.errors.is_empty() {
        return Err(builder.errors);
    }
    match builder.root {
        Some(root) => Ok(root),
        None => Err(vec![TemplateError::at(
            None,
            Pos { line: 1, column: 1 },
            "Template format error: the template is empty".to_string(),
        )]),
    }
}

fn pos_of(mark: &Marker) -> Pos {
    Pos {
        line: u32::try_from(mark.line()).unwrap_or(u32::MAX),
        column: u32::try_from(mark.col().saturating_add(1)).unwrap_or(u32::MAX),
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        pos: Pos,
        tag: Option<String>,
    },
    Map {
        entries: Vec<(Key, Node)>,
        /// Every key seen so far with where it first stood: the duplicate check is one
        /// ordered-map probe, not a scan of the entries (100,000 keys used to take minutes).
        seen: BTreeMap<String, Pos>,
        pending_key: Option<Key>,
        pos: Pos,
        tag: Option<String>,
    },
}

#[derive(Default)]
struct Builder<'a> {
    /// The source text by line, to learn where a string scalar's characters are ([`Layout`]).
    lines: Vec<&'a str>,
    stack: Vec<Frame>,
    root: Option<Node>,
    errors: Vec<TemplateError>,
    /// Depth beyond the limit: events are skipped until it drops back to zero.
    skipping: usize,
    /// Whether the event being handled opens a sequence (read before the event is destructured).
    next_is_sequence: bool,
}

impl Builder<'_> {
    fn error(&mut self, pos: Pos, message: String) {
        self.errors.push(TemplateError::at(None, pos, message));
    }

    /// Long form for a tag, or an error for tags CloudFormation does not know.
    fn long_form(&mut self, tag: Option<Tag>, pos: Pos) -> Option<String> {
        let tag = tag?;
        if tag.handle == "!" {
            if let Some((_, long)) = SHORT_TAGS.iter().find(|(short, _)| *short == tag.suffix) {
                return Some((*long).to_string());
            }
        }
        // Standard YAML tags (!!str and the like) only restate the type: accept them as no tag.
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            return None;
        }
        self.error(
            pos,
            format!(
                "Template format error: unknown tag {}{}",
                tag.handle, tag.suffix
            ),
        );
        None
    }

    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                seen,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    // This node is a key; keys must be scalars.
                    let name = match node.value {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".to_string(),
                        _ => {
                            let pos = node.pos;
                            self.error(
                                pos,
                                "Template format error: a mapping key must be a scalar".to_string(),
                            );
                            // Keep the structure consistent: use a placeholder key.
                            if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
                                *pending_key = Some(Key {
                                    name: String::new(),
                                    pos,
                                });
                            }
                            return;
                        }
                    };
                    if let Some(first) = seen.get(&name) {
                        let message = format!(
                            "Template format error: duplicate key {name} (first at {first})"
                        );
                        let pos = node.pos;
                        *pending_key = Some(Key { name, pos });
                        self.error(pos, message);
                        return;
                    }
                    seen.insert(name.clone(), node.pos);
                    *pending_key = Some(Key {
                        name,
                        pos: node.pos,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

/// Wrap a node in its long-form intrinsic: `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`.
fn wrap(long: String, key_pos: Pos, mut node: Node) -> Node {
    if long == "Fn::GetAtt" {
        if let Value::String(s) = &node.value {
            if let Some((resource, attribute)) = s.split_once('.') {
                node.value = Value::Seq(vec![
                    Node::new(Value::String(resource.to_string()), node.pos),
                    Node::new(Value::String(attribute.to_string()), node.pos),
                ]);
            }
        }
    }
    Node::new(
        Value::Map(vec![(
            Key {
                name: long,
                pos: key_pos,
            },
            node,
        )]),
        key_pos,
    )
}

/// YAML 1.2 core schema for plain scalars; quoted scalars are always strings.
fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let looks_numeric = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '.');
    if looks_numeric {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        // A number a double holds exactly (its shortest form is the value written) becomes a
        // number; any other (`11941e-579` underflows to 0, `1e400` overflows,
        // `30.000000000000000001` rounds to 30) keeps its text, so the one rule for integer
        // properties (`props::integer_of`) judges the value as written, never a rounding of it.
        if let Ok(f) = text.parse::<f64>() {
            let exact =
                eventyard_pattern::number::Decimal::parse(&text).is_some_and(|d| d.is_comparable());
            if let Some(n) = serde_json::Number::from_f64(f).filter(|_| exact) {
                return Value::Number(n);
            }
        }
    }
    Value::String(text)
}

/// Where a string scalar's characters are in the source, checked against the source itself: a
/// layout is only claimed when the text can be read back from the lines it says, so anything
/// unusual (escapes, folding, explicit indentation the guess gets wrong) is `Unmapped`.
fn layout_of(lines: &[&str], pos: Pos, style: TScalarStyle, text: &str) -> Layout {
    let Some(rest) = source_from(lines, pos) else {
        return Layout::Unmapped;
    };
    let one_line = |column_after_start: u32, doubled_quotes: bool| Layout::Line {
        line: pos.line,
        column: pos.column.saturating_add(column_after_start),
        doubled_quotes,
    };
    match style {
        TScalarStyle::Plain if !text.contains('\n') && rest.starts_with(text) => one_line(0, false),
        TScalarStyle::SingleQuoted
            if !text.contains('\n')
                && rest.starts_with(&format!("'{}'", text.replace('\'', "''"))) =>
        {
            one_line(1, true)
        }
        // Without escapes the quoted text is the source between the quotes; a `"` or `\` in the
        // text could only have been written as an escape.
        TScalarStyle::DoubleQuoted
            if !text.contains(['\n', '\\', '"']) && rest.starts_with(&format!("\"{text}\"")) =>
        {
            one_line(1, false)
        }
        TScalarStyle::Literal | TScalarStyle::Folded => block_layout(lines, pos, text),
        _ => Layout::Unmapped,
    }
}

/// The source line of `pos`, from its column on (without a CR of a CRLF line end).
fn source_from<'a>(lines: &[&'a str], pos: Pos) -> Option<&'a str> {
    let line = lines.get(usize::try_from(pos.line.checked_sub(1)?).ok()?)?;
    let line = line.strip_suffix('\r').unwrap_or(line);
    let skip = usize::try_from(pos.column.checked_sub(1)?).ok()?;
    match line.char_indices().nth(skip) {
        Some((at, _)) => line.get(at..),
        None => None,
    }
}

/// yaml-rust2 marks a block scalar (`|`, `|-`, `|2+`, `>`...) at its first non-empty content
/// line, at the column where the block's indentation ends; the empty lines before it are kept
/// in the text as line breaks. Every line of the text is then checked against the source, so a
/// folded scalar whose lines were joined (or any other mismatch) falls back to `Unmapped`.
fn block_layout(lines: &[&str], pos: Pos, text: &str) -> Layout {
    let text_lines: Vec<&str> = text.lines().collect();
    let Some(leading_empty) = text_lines.iter().position(|l| !l.is_empty()) else {
        return Layout::Unmapped;
    };
    let first_line = u32::try_from(leading_empty)
        .ok()
        .and_then(|k| pos.line.checked_sub(k))
        .filter(|line| *line >= 1);
    let (Some(first_line), Some(indent_u32)) = (first_line, pos.column.checked_sub(1)) else {
        return Layout::Unmapped;
    };
    let Ok(indent) = usize::try_from(indent_u32) else {
        return Layout::Unmapped;
    };
    for (k, text_line) in text_lines.iter().enumerate() {
        let src = usize::try_from(first_line)
            .ok()
            .and_then(|line| line.checked_sub(1)?.checked_add(k))
            .and_then(|index| lines.get(index))
            .map(|line| line.strip_suffix('\r').unwrap_or(line));
        let Some(src) = src else {
            return Layout::Unmapped;
        };
        let matches = if text_line.is_empty() {
            src.trim_start_matches(' ').is_empty() || src.get(indent..) == Some("")
        } else {
            src.bytes().take(indent).filter(|b| *b == b' ').count() == indent
                && src.get(indent..) == Some(text_line)
        };
        if !matches {
            return Layout::Unmapped;
        }
    }
    Layout::Block {
        first_line,
        indent: indent_u32,
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let pos = pos_of(&mark);
        self.next_is_sequence = matches!(event, Event::SequenceStart(..));
        if self.skipping > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipping += 1,
                Event::SequenceEnd | Event::MappingEnd => self.skipping -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Alias(_) => self.error(
                pos,
                "Template format error: YAML aliases are not supported".to_string(),
            ),
            Event::Scalar(text, style, _, tag) => {
                let tag = self.long_form(tag, pos);
                let mut node = Node::new(scalar(text, style), pos);
                if let Value::String(text) = &node.value {
                    node.layout = layout_of(&self.lines, pos, style, text);
                }
                let node = match tag {
                    Some(long) => wrap(long, pos, node),
                    None => node,
                };
                self.push_value(node);
            }
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => {
                let is_sequence = self.next_is_sequence;
                if self.stack.len() >= MAX_DEPTH {
                    self.error(
                        pos,
                        format!("Template format error: nesting deeper than {MAX_DEPTH} levels"),
                    );
                    self.skipping = 1;
                    return;
                }
                let tag = self.long_form(tag, pos);
                if is_sequence {
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        pos,
                        tag,
                    });
                } else {
                    self.stack.push(Frame::Map {
                        entries: Vec::new(),
                        seen: BTreeMap::new(),
                        pending_key: None,
                        pos,
                        tag,
                    });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, tag) = match self.stack.pop() {
                    Some(Frame::Seq { items, pos, tag }) => {
                        (Node::new(Value::Seq(items), pos), tag)
                    }
                    Some(Frame::Map {
                        entries, pos, tag, ..
                    }) => (Node::new(Value::Map(entries), pos), tag),
                    None => return,
                };
                let node = match tag {
                    Some(long) => {
                        let pos = node.pos;
                        wrap(long, pos, node)
                    }
                    None => node,
                };
                self.push_value(node);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected_json: &str) {
        let node = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(node.to_json().to_string(), expected_json);
    }

    fn check_error(text: &str, expected: &str) {
        let errors = parse(text).err().unwrap_or_default();
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(rendered.join("\n"), expected);
    }

    #[test]
    fn short_tags_become_long_forms() {
        check(
            "A: !Ref Q\nB: !GetAtt Q.Arn\nC: !Sub '${Q}'\nD: !Join [',', [a, b]]\n",
            r#"{"A":{"Ref":"Q"},"B":{"Fn::GetAtt":["Q","Arn"]},"C":{"Fn::Sub":"${Q}"},"D":{"Fn::Join":[",",["a","b"]]}}"#,
        );
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        check(
            "a: 30\nb: '30'\nc: true\nd: ~\ne: 1.5\nf: text\n",
            r#"{"a":30,"b":"30","c":true,"d":null,"e":1.5,"f":"text"}"#,
        );
    }

    #[test]
    fn json_loads_with_positions() {
        let node =
            parse("{\n\t\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}\n}").unwrap();
        let resources = node.get("Resources").unwrap();
        assert_eq!(
            resources.pos,
            Pos {
                line: 2,
                column: 15
            }
        );
    }

    #[test]
    fn positions_are_one_based() {
        let node = parse("Resources:\n  Q:\n    Type: x\n").unwrap();
        let q = node.get("Resources").unwrap().get("Q").unwrap();
        assert_eq!(
            q.get("Type").unwrap().pos,
            Pos {
                line: 3,
                column: 11
            }
        );
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        check_error(
            "a: 1\na: 2\n",
            "line 2, column 1: Template format error: duplicate key a (first at line 1, column 1)",
        );
    }

    #[test]
    fn aliases_are_rejected() {
        check_error(
            "a: &x 1\nb: *x\n",
            "line 2, column 4: Template format error: YAML aliases are not supported",
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let errors = parse(&text).err().unwrap();
        assert!(errors[0].to_string().contains("nesting deeper than 64"));
    }

    #[test]
    fn unknown_tags_are_errors() {
        check_error(
            "a: !Bogus x\n",
            "line 1, column 11: Template format error: unknown tag !Bogus",
        );
    }

    /// Where character (line, column) of the value under `a` is in the template, if known.
    fn inner(text: &str, line: u32, column: u32) -> Option<(u32, u32)> {
        let node = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let value = node.get("a").unwrap();
        value.pos_in_text(line, column).map(|p| (p.line, p.column))
    }

    #[test]
    fn one_line_scalars_map_characters_to_columns() {
        assert_eq!(inner("a: xyz\n", 1, 2), Some((1, 5)));
        // `''` is two characters of source for one of text.
        assert_eq!(inner("a: 'it''s x'\n", 1, 6), Some((1, 11)));
        assert_eq!(inner("a: \"xyz\"\n", 1, 3), Some((1, 7)));
        assert_eq!(inner("{\"a\": \"xyz\"}", 1, 1), Some((1, 8)));
        // One past the end is a place too (a pattern cut short); two past is not.
        assert_eq!(inner("a: xyz\n", 1, 4), Some((1, 7)));
        assert_eq!(inner("a: xyz\n", 1, 5), None);
    }

    #[test]
    fn escapes_and_folded_lines_are_not_mapped() {
        assert_eq!(inner("a: \"x\\\"y\"\n", 1, 3), None);
        assert_eq!(inner("a: \"x\\ty\"\n", 1, 3), None);
        assert_eq!(inner("a: xy\n  z\n", 1, 1), None);
        assert_eq!(inner("a: 'xy\n  z'\n", 1, 1), None);
        assert_eq!(inner("a: >\n  xy\n  z\n", 1, 1), None);
        assert_eq!(inner("a: !Sub x\n", 1, 1), None);
    }

    #[test]
    fn block_scalars_map_lines_and_columns() {
        let text = "b: 1\na: |\n  {\n    \"x\": 1\n  }\n";
        assert_eq!(inner(text, 2, 5), Some((4, 7)));
        // Empty lines before the content are lines of the text.
        let text = "a: |-\n\n   first\n\n   third\n";
        assert_eq!(inner(text, 2, 1), Some((3, 4)));
        assert_eq!(inner(text, 4, 3), Some((5, 6)));
        // An explicit indentation indicator keeps the spaces after it in the text.
        let text = "a: |2\n     x\n    y\n";
        assert_eq!(inner(text, 1, 4), Some((2, 6)));
        assert_eq!(inner(text, 2, 3), Some((3, 5)));
        // A folded scalar on one line is exact; CRLF line ends are not characters.
        assert_eq!(inner("a: >\r\n  xyz\r\n", 1, 3), Some((2, 5)));
        assert_eq!(inner("a:\n  - |\n    x\n", 1, 1), None);
    }

    /// Every character the layout places is the character the template has there.
    fn check_layout_is_sound(source: &str, text_expected: &str) {
        let Ok(node) = parse(source) else {
            return;
        };
        let Some(value) = node.get("a") else {
            return;
        };
        let Some(text) = value.as_str() else {
            return;
        };
        assert_eq!(
            text.trim_end_matches('\n'),
            text_expected.trim_end_matches('\n')
        );
        let source_lines: Vec<Vec<char>> =
            source.split('\n').map(|l| l.chars().collect()).collect();
        for (k, line) in text.split('\n').enumerate() {
            for (c, ch) in line.chars().enumerate() {
                let at = value.pos_in_text(k as u32 + 1, c as u32 + 1);
                if let Some(at) = at {
                    let found = source_lines
                        .get(at.line as usize - 1)
                        .and_then(|l| l.get(at.column as usize - 1));
                    assert_eq!(found, Some(&ch), "{source:?} line {k} char {c}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn quoted_and_block_layouts_are_sound(line in "[ a-z{}\\[\\]:,'\"\\\\]{1,30}", second in "[a-z{}\"]{1,10}") {
            let single = format!("a: '{}'\n", line.replace('\'', "''"));
            check_layout_is_sound(&single, &line);
            let double = format!("a: \"{}\"\n", line.replace('\\', "\\\\").replace('"', "\\\""));
            check_layout_is_sound(&double, &line);
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let block = format!("a: |-\n  {trimmed}\n\n   {second}\n");
                check_layout_is_sound(&block, &format!("{trimmed}\n\n {second}"));
                let folded = format!("a: >\n    {trimmed}\n");
                check_layout_is_sound(&folded, trimmed);
            }
        }
    }
}
