//! Fault injection while the playground runs: take a function, queue or endpoint down from now,
//! make a function fail a share of its work, or make it slow. Each change is written into the
//! template's `Metadata: Eventyard:` (the keys `crates/template/src/playground.rs` reads), so it
//! travels with the template and replays the same.
//!
//! The edit is made on the text, line by line, so the person's comments and layout stay. It
//! handles block-style YAML (what people and the presets write); a template in JSON or flow
//! style gets a message naming the exact lines to add by hand, and is never changed.

/// One change to make from the time shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Down from this virtual time on (a window `[from, a year later)`).
    DownFrom(u64),
    /// A subscription's endpoint refuses SNS from this virtual time on (a client-side error:
    /// no retries, straight to the subscription's DLQ; sns-dead-letter-queues).
    RefusedFrom(u64),
    /// Fail this share of invocations (seeded).
    FailPercent(u64),
    /// Each invocation takes this long.
    Duration(u64),
}

/// The section of `Metadata: Eventyard:` a resource kind's settings live in.
pub fn section_for(kind: crate::state::topology::NodeKind) -> Option<&'static str> {
    use crate::state::topology::NodeKind;
    match kind {
        NodeKind::Function => Some("Functions"),
        NodeKind::Queue => Some("Queues"),
        NodeKind::Subscription => Some("Subscriptions"),
        NodeKind::Worker => Some("Workers"),
        _ => None,
    }
}

/// How long a window that "stays down" lasts: a year of virtual time.
const FOREVER: &str = "365d";

/// The template with the fault written under `Metadata: Eventyard: <section>: <id>:`.
pub fn apply_fault(text: &str, section: &str, id: &str, fault: Fault) -> Result<String, String> {
    let (key, value) = match fault {
        Fault::DownFrom(ms) => ("Down", format!("{{From: {ms}ms, Until: {FOREVER}}}")),
        Fault::RefusedFrom(ms) => ("Refused", format!("{{From: {ms}ms, Until: {FOREVER}}}")),
        Fault::FailPercent(percent) => ("FailPercent", percent.min(100).to_string()),
        Fault::Duration(ms) => ("Duration", format!("{ms}ms")),
    };
    let path = ["Metadata", "Eventyard", section, id];
    let by_hand = || {
        format!(
            "This template is not block-style YAML, so it is left as it is. Add by hand: \
             Metadata → Eventyard → {section} → {id} → {key}: {}",
            if is_window_list(key) {
                format!("[{value}]")
            } else {
                value.clone()
            }
        )
    };
    if !is_block_yaml(text) {
        return Err(by_hand());
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let (mut start, mut end, mut indent) = (0, lines.len(), None::<usize>);
    for (depth, name) in path.iter().enumerate() {
        match find_key(&lines, start, end, indent, name) {
            Found::At(line) => {
                let own = indent_of(&lines[line]);
                if !value_after_colon(&lines[line]).is_empty() && !unfold_flow_map(&mut lines, line)
                {
                    return Err(by_hand());
                }
                start = line + 1;
                end = block_end(&lines, start, own);
                indent = Some(own);
            }
            Found::Missing(child_indent) => {
                let at = last_content_line(&lines, start, end).map_or(start, |l| l + 1);
                let mut inserted = Vec::new();
                for (offset, missing) in path[depth..].iter().enumerate() {
                    inserted.push(format!(
                        "{}{missing}:",
                        " ".repeat(child_indent + 2 * offset)
                    ));
                }
                let leaf = child_indent + 2 * (path.len() - depth);
                inserted.push(leaf_line(leaf, key, &value));
                lines.splice(at..at, inserted);
                return Ok(joined(lines, text));
            }
        }
    }
    // The resource's own block exists: set or extend the key in it.
    match find_key(&lines, start, end, indent, key) {
        Found::At(line) => {
            let current = value_after_colon(&lines[line]).to_string();
            let own = indent_of(&lines[line]);
            let replaced = if is_window_list(key) {
                let inner = current.trim();
                let Some(list) = inner.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
                    return Err(by_hand());
                };
                let list = list.trim();
                if list.is_empty() {
                    format!("[{value}]")
                } else {
                    format!("[{list}, {value}]")
                }
            } else {
                value
            };
            let after = block_end(&lines, line + 1, own);
            lines.splice(
                line..after,
                [format!("{}{key}: {replaced}", " ".repeat(own))],
            );
        }
        Found::Missing(child_indent) => {
            let at = last_content_line(&lines, start, end).map_or(start, |l| l + 1);
            lines.insert(at, leaf_line(child_indent, key, &value));
        }
    }
    Ok(joined(lines, text))
}

/// Rewrites `key: {a: 1, b: [x, y]}` on one line as a block (`key:` then `a: 1`, `b: [x, y]`
/// one level deeper), so a key can be set in it. False when the value is not a one-line map.
fn unfold_flow_map(lines: &mut Vec<String>, line: usize) -> bool {
    let own = indent_of(&lines[line]);
    let value = value_after_colon(&lines[line]).to_string();
    let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) else {
        return false;
    };
    let Some(entries) = split_top_level(inner) else {
        return false;
    };
    let Some((key, _)) = lines[line].split_once(':') else {
        return false;
    };
    let mut block = vec![format!("{key}:")];
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !entry.contains(':') {
            return false;
        }
        block.push(format!("{}{entry}", " ".repeat(own + 2)));
    }
    lines.splice(line..=line, block);
    true
}

/// `a: 1, b: {c: 2}` split at the commas outside brackets and quotes; `None` when unbalanced.
fn split_top_level(text: &str) -> Option<Vec<&str>> {
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    let mut parts = Vec::new();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    (depth == 0 && quote.is_none()).then(|| {
        parts.push(&text[start..]);
        parts
    })
}

/// `Down` and `Refused` hold lists of windows; the other keys one value.
fn is_window_list(key: &str) -> bool {
    matches!(key, "Down" | "Refused")
}

fn leaf_line(indent: usize, key: &str, value: &str) -> String {
    let value = if is_window_list(key) {
        format!("[{value}]")
    } else {
        value.to_string()
    };
    format!("{}{key}: {value}", " ".repeat(indent))
}

fn joined(lines: Vec<String>, original: &str) -> String {
    let mut text = lines.join("\n");
    if original.ends_with('\n') || original.is_empty() {
        text.push('\n');
    }
    text
}

/// JSON (or a flow-style document) starts with a brace; tabs cannot indent YAML.
fn is_block_yaml(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'));
    first.is_none_or(|line| !line.starts_with('{') && !line.starts_with('['))
        && !text.lines().any(|line| line.starts_with('\t'))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// What follows `key:` on its line, without a trailing comment.
fn value_after_colon(line: &str) -> &str {
    let rest = line.split_once(':').map_or("", |(_, rest)| rest);
    let rest = match rest.find(" #") {
        Some(comment) => &rest[..comment],
        None => rest,
    };
    rest.trim()
}

enum Found {
    At(usize),
    /// Not there; children of this block are indented this much.
    Missing(usize),
}

/// The line of `key:` among the direct children of the block `lines[start..end]`.
fn find_key(lines: &[String], start: usize, end: usize, parent: Option<usize>, key: &str) -> Found {
    let child_indent = lines[start..end]
        .iter()
        .find(|line| is_content(line))
        .map(|line| indent_of(line))
        .filter(|indent| parent.is_none_or(|p| *indent > p))
        .unwrap_or_else(|| parent.map_or(0, |p| p + 2));
    for (offset, line) in lines[start..end].iter().enumerate() {
        if !is_content(line) || indent_of(line) != child_indent {
            continue;
        }
        let name = line
            .trim_start()
            .split_once(':')
            .map(|(name, _)| name.trim());
        let unquoted = name.map(|n| n.trim_matches(|c| c == '"' || c == '\''));
        if unquoted == Some(key) {
            return Found::At(start + offset);
        }
    }
    Found::Missing(child_indent)
}

/// The end of the block whose children are indented more than `indent`, starting at `start`.
fn block_end(lines: &[String], start: usize, indent: usize) -> usize {
    lines[start..]
        .iter()
        .position(|line| is_content(line) && indent_of(line) <= indent)
        .map_or(lines.len(), |offset| start + offset)
}

fn last_content_line(lines: &[String], start: usize, end: usize) -> Option<usize> {
    (start..end).rev().find(|&line| is_content(&lines[line]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;

    fn behaviour(text: &str, id: &str) -> eventyard_template::Behaviour {
        let template = eventyard_template::load(text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        template
            .functions
            .iter()
            .find(|f| f.origin.logical_id == id)
            .unwrap()
            .behaviour
            .clone()
    }

    #[test]
    fn a_fault_on_a_preset_function_is_read_back_by_the_loader() {
        let preset = PRESETS.iter().find(|p| p.id == "dlq-redrive").unwrap();
        let slow = apply_fault(
            preset.template,
            "Functions",
            "Payments",
            Fault::Duration(3_000),
        )
        .unwrap();
        assert_eq!(behaviour(&slow, "Payments").duration_ms, 3_000);
        let failing = apply_fault(&slow, "Functions", "Payments", Fault::FailPercent(25)).unwrap();
        assert_eq!(behaviour(&failing, "Payments").fail_percent, 25);
        let down = apply_fault(&failing, "Functions", "Payments", Fault::DownFrom(90_000)).unwrap();
        let down = apply_fault(&down, "Functions", "Payments", Fault::DownFrom(200_000)).unwrap();
        let read = behaviour(&down, "Payments");
        assert_eq!(read.down_ms.len(), 2);
        assert_eq!(read.down_ms[0].0, 90_000);
        assert_eq!(read.duration_ms, 3_000, "earlier faults stay");
        assert!(
            down.contains("# Dead-letter queue and redrive."),
            "comments stay"
        );
    }

    #[test]
    fn missing_sections_are_created_where_they_belong() {
        let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let edited = apply_fault(text, "Queues", "Q", Fault::DownFrom(5_000)).unwrap();
        let template =
            eventyard_template::load(&edited).unwrap_or_else(|e| panic!("{e:?}\n{edited}"));
        assert_eq!(template.queues[0].down_ms[0].0, 5_000);
        // Every preset takes every kind of fault without breaking.
        for preset in PRESETS {
            let template = eventyard_template::load(preset.template).unwrap();
            for function in &template.functions {
                let id = &function.origin.logical_id;
                let edited =
                    apply_fault(preset.template, "Functions", id, Fault::FailPercent(50)).unwrap();
                assert_eq!(behaviour(&edited, id).fail_percent, 50, "{}", preset.id);
            }
            for queue in &template.queues {
                let id = &queue.origin.logical_id;
                let edited =
                    apply_fault(preset.template, "Queues", id, Fault::DownFrom(1_000)).unwrap();
                let loaded = eventyard_template::load(&edited)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", preset.id));
                let down = &loaded
                    .queues
                    .iter()
                    .find(|q| &q.origin.logical_id == id)
                    .unwrap()
                    .down_ms;
                assert_eq!(down.last().map(|w| w.0), Some(1_000), "{}", preset.id);
            }
            // Every subscription can be refused (a client-side error), twice: the windows add up.
            for subscription in &template.subscriptions {
                let id = &subscription.origin.logical_id;
                let once = apply_fault(
                    preset.template,
                    "Subscriptions",
                    id,
                    Fault::RefusedFrom(1_000),
                )
                .unwrap();
                let twice =
                    apply_fault(&once, "Subscriptions", id, Fault::RefusedFrom(9_000)).unwrap();
                let loaded = eventyard_template::load(&twice)
                    .unwrap_or_else(|e| panic!("{}: {e:?}\n{twice}", preset.id));
                let refused: Vec<u64> = loaded
                    .subscriptions
                    .iter()
                    .find(|s| &s.origin.logical_id == id)
                    .unwrap()
                    .refused_ms
                    .iter()
                    .map(|w| w.0)
                    .collect();
                assert_eq!(refused, [1_000, 9_000], "{}", preset.id);
            }
        }
    }

    #[test]
    fn json_and_flow_style_are_left_alone_with_what_to_add() {
        let json = "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}}}";
        let problem = apply_fault(json, "Queues", "Q", Fault::DownFrom(0)).unwrap_err();
        assert!(
            problem.contains("Metadata → Eventyard → Queues → Q → Down"),
            "{problem}"
        );
        // A one-line flow map is unfolded into a block and edited; a multi-line one is not.
        let flow = "Metadata: {Eventyard: {Seed: 1, Queues: {Q: {Down: []}}}}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let edited = apply_fault(flow, "Queues", "Q", Fault::DownFrom(0)).unwrap();
        let template =
            eventyard_template::load(&edited).unwrap_or_else(|e| panic!("{e:?}\n{edited}"));
        assert_eq!(template.playground.seed, 1);
        assert_eq!(template.queues[0].down_ms.len(), 1);
        let open =
            "Metadata: {Eventyard:\n  {Seed: 1}}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        assert!(apply_fault(open, "Queues", "Q", Fault::DownFrom(0)).is_err());
    }
}
