//! What the code editor does to text, as plain functions: Tab and Shift+Tab indentation, the
//! line numbers, and the marks drawn under the text (errors, deciding fields, the span a reason
//! points at). The component (`components/editor.rs`) only moves these between the text area
//! and the page.
//!
//! Offsets here are byte offsets into the text; the browser's selection counts UTF-16 units,
//! so [`to_utf16`] and [`from_utf16`] convert at the edge.

/// One indentation step.
pub const INDENT: &str = "  ";

/// What a mark means, in the order a mark wins over another where they overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MarkKind {
    /// A field that decided a verdict.
    Field,
    /// Where a mistake is.
    Error,
    /// The span a clicked reason points at.
    Focus,
}

impl MarkKind {
    /// The class of the mark in the page's style sheet.
    pub fn class(self) -> &'static str {
        match self {
            MarkKind::Field => "mark-field",
            MarkKind::Error => "mark-error",
            MarkKind::Focus => "mark-focus",
        }
    }
}

/// A marked byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub kind: MarkKind,
}

/// The text after an edit, with the selection to restore (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Tab (or Shift+Tab when `outdent`) with the selection `start..end`: with no selection, Tab
/// inserts [`INDENT`] at the caret; otherwise every line the selection touches is indented or
/// outdented by one step, and the selection grows or shrinks with it.
pub fn indent(text: &str, start: usize, end: usize, outdent: bool) -> Edited {
    let start = floor_char(text, start.min(text.len()));
    let end = floor_char(text, end.min(text.len())).max(start);
    if start == end && !outdent {
        let mut out = String::with_capacity(text.len() + INDENT.len());
        out.push_str(&text[..start]);
        out.push_str(INDENT);
        out.push_str(&text[start..]);
        let caret = start + INDENT.len();
        return Edited {
            text: out,
            start: caret,
            end: caret,
        };
    }
    let first_line = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // A selection ending just after a newline does not touch the next line.
    let last_end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let mut starts = vec![first_line];
    let mut at = first_line;
    while let Some(i) = text[at..].find('\n') {
        let next = at + i + 1;
        if next > last_end {
            break;
        }
        starts.push(next);
        at = next;
    }
    let mut out = String::with_capacity(text.len() + INDENT.len() * starts.len());
    let mut copied = 0;
    let mut first_delta = 0isize;
    let mut last_delta = 0isize;
    for (n, &line) in starts.iter().enumerate() {
        out.push_str(&text[copied..line]);
        let delta = if outdent {
            let spaces = text[line..].len() - text[line..].trim_start_matches(' ').len();
            let removed = spaces.min(INDENT.len());
            copied = line + removed;
            -(removed as isize)
        } else {
            out.push_str(INDENT);
            copied = line;
            INDENT.len() as isize
        };
        if n == 0 {
            first_delta = delta;
        }
        last_delta += delta;
    }
    out.push_str(&text[copied..]);
    let last_line = starts.last().copied().unwrap_or(first_line);
    let new_start = shift(start, first_line, first_delta);
    let new_end = shift(end, last_line, last_delta)
        .max(new_start)
        .min(out.len());
    Edited {
        text: out,
        start: new_start,
        end: new_end,
    }
}

/// An offset at or after a line start `at` moved by `delta`, never before the line start.
fn shift(offset: usize, at: usize, delta: isize) -> usize {
    if offset < at {
        return offset;
    }
    let moved = offset as isize + delta;
    moved.max(at as isize) as usize
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The number of lines the editor shows (an empty text has one).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// A byte offset as the UTF-16 offset the browser's selection uses.
pub fn to_utf16(text: &str, byte: usize) -> u32 {
    let byte = floor_char(text, byte.min(text.len()));
    text[..byte].encode_utf16().count() as u32
}

/// A browser selection offset (UTF-16 units) as a byte offset.
pub fn from_utf16(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (index, c) in text.char_indices() {
        if seen >= units {
            return index;
        }
        seen += c.len_utf16() as u32;
    }
    text.len()
}

/// The byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut at = 0;
    for _ in 1..line.max(1) {
        match text[at..].find('\n') {
            Some(i) => at += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[at..line_end]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line_end, |(i, _)| at + i)
}

/// The token at a 1-based line and column: a whole string with its quotes, else a run of word
/// characters, else one character (the last one when the place is past the end), so a mistake
/// is always underlined somewhere visible.
pub fn token_at(text: &str, line: u32, column: u32) -> (usize, usize) {
    let mut start = offset_of(text, line, column);
    if start >= text.len() {
        start = floor_char(text, text.trim_end().len().saturating_sub(1));
    }
    let rest = &text[start..];
    let Some(first) = rest.chars().next() else {
        return (start, start);
    };
    let len = if first == '"' {
        let mut escaped = false;
        rest.char_indices()
            .skip(1)
            .find(|&(_, c)| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end || c == '\n'
            })
            .map_or(rest.len(), |(i, c)| i + c.len_utf8())
    } else if first.is_alphanumeric() || "-+._".contains(first) {
        rest.find(|c: char| !(c.is_alphanumeric() || "-+._".contains(c)))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    (start, start + len)
}

/// The text cut into runs for the layer under the text area: each run with the mark that wins
/// there, if any. Marks out of range or inside a character are clamped; a final newline gets a
/// space after it so the layer is as tall as the text area's content.
pub fn segments(text: &str, marks: &[Mark]) -> Vec<(String, Option<MarkKind>)> {
    let clamp = |at: usize| floor_char(text, at.min(text.len()));
    let marks: Vec<Mark> = marks
        .iter()
        .map(|m| Mark {
            start: clamp(m.start),
            end: clamp(m.end),
            kind: m.kind,
        })
        .filter(|m| m.start < m.end)
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for mark in &marks {
        cuts.push(mark.start);
        cuts.push(mark.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut runs: Vec<(String, Option<MarkKind>)> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let kind = marks
            .iter()
            .filter(|m| m.start <= from && to <= m.end)
            .map(|m| m.kind)
            .max();
        match runs.last_mut() {
            Some((run, last)) if *last == kind => run.push_str(&text[from..to]),
            _ => runs.push((text[from..to].to_string(), kind)),
        }
    }
    if text.is_empty() || text.ends_with('\n') {
        runs.push((" ".to_string(), None));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_inserts_at_the_caret_and_indents_selected_lines() {
        let text = "{\n\"a\": 1,\n\"b\": 2\n}";
        let caret = indent(text, 2, 2, false);
        assert_eq!(caret.text, "{\n  \"a\": 1,\n\"b\": 2\n}");
        assert_eq!((caret.start, caret.end), (4, 4));
        // Select from inside line 2 to inside line 3.
        let lines = indent(text, 3, 12, false);
        assert_eq!(lines.text, "{\n  \"a\": 1,\n  \"b\": 2\n}");
        assert_eq!((lines.start, lines.end), (5, 16));
    }

    #[test]
    fn shift_tab_outdents_and_never_moves_before_the_line() {
        let text = "{\n  \"a\": 1,\n   \"b\": 2\n}";
        let out = indent(text, 2, 2, true);
        assert_eq!(out.text, "{\n\"a\": 1,\n   \"b\": 2\n}");
        assert_eq!((out.start, out.end), (2, 2));
        let both = indent(text, 4, 18, true);
        assert_eq!(both.text, "{\n\"a\": 1,\n \"b\": 2\n}");
        // Nothing to remove: unchanged.
        assert_eq!(indent("x", 0, 1, true).text, "x");
    }

    #[test]
    fn a_selection_ending_at_a_line_start_leaves_that_line_alone() {
        let text = "a\nb\nc";
        let out = indent(text, 0, 2, false);
        assert_eq!(out.text, "  a\nb\nc");
    }

    #[test]
    fn utf16_offsets_convert_both_ways() {
        let text = "é😀x";
        assert_eq!(to_utf16(text, 2), 1);
        assert_eq!(to_utf16(text, 6), 3);
        assert_eq!(from_utf16(text, 3), 6);
        assert_eq!(from_utf16(text, 99), text.len());
    }

    #[test]
    fn tokens_are_found_at_line_and_column() {
        let text = "{\n  \"source\": [],\n  \"n\": 12x\n}";
        let (s, e) = token_at(text, 2, 3);
        assert_eq!(&text[s..e], "\"source\"");
        let (s, e) = token_at(text, 3, 8);
        assert_eq!(&text[s..e], "12x");
        let (s, e) = token_at(text, 9, 1);
        assert_eq!(&text[s..e], "}");
        assert_eq!(token_at("", 1, 1), (0, 0));
    }

    #[test]
    fn segments_let_the_strongest_mark_win_and_cover_the_text() {
        let text = "abcdef\n";
        let marks = [
            Mark {
                start: 1,
                end: 5,
                kind: MarkKind::Field,
            },
            Mark {
                start: 3,
                end: 4,
                kind: MarkKind::Focus,
            },
            Mark {
                start: 90,
                end: 99,
                kind: MarkKind::Error,
            },
        ];
        let runs = segments(text, &marks);
        assert_eq!(
            runs,
            vec![
                ("a".to_string(), None),
                ("bc".to_string(), Some(MarkKind::Field)),
                ("d".to_string(), Some(MarkKind::Focus)),
                ("e".to_string(), Some(MarkKind::Field)),
                ("f\n".to_string(), None),
                (" ".to_string(), None),
            ]
        );
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined.trim_end_matches(' '), text);
    }

    #[test]
    fn line_numbers_count_lines() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
    }
}
