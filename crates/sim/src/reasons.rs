//! Rule reasons, remembered: the reason a rule gives for an event (`explain`) depends only on
//! the part of the event its pattern can look at, so events that agree there get the same
//! sentence. On the theme-park benchmark nearly every event repeats an earlier one's fields
//! (four rides, a handful of states), and explaining was half of the time of a traced run.
//!
//! The key is the event projected on the pattern's paths: every object member whose dot-joined
//! path is a pattern field or a prefix of one, arrays whole (their elements projected the same
//! way), scalars as compact JSON. That is exactly what the explainer flattens
//! (`FlatEvent::for_pattern` skips every other subtree), so equal keys give equal flattened
//! events and equal reasons: remembering changes the speed, never the trace. Array positions
//! are part of the key because array consistency reads them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use eventyard_pattern::{EventPattern, PreparedEvent};

/// Reasons kept per rule. Beyond this the rule's events are explained every time, so a run
/// whose events all differ keeps its memory bounded.
const PER_RULE_MAX: usize = 1024;

/// What one rule remembers.
#[derive(Debug, Default)]
struct RuleReasons {
    /// The pattern's field paths and all their dot-prefixes (what the explainer walks).
    wanted: HashSet<String>,
    /// Projected event → reason.
    reasons: HashMap<Vec<u8>, Arc<str>>,
}

/// The remembered reasons of every rule, by rule index. Not part of the simulation (a clone of
/// the simulator starts empty, as the matcher's scratch does).
#[derive(Debug, Default)]
pub(crate) struct ReasonCache {
    rules: HashMap<usize, RuleReasons>,
    key: Vec<u8>,
    path: String,
}

impl ReasonCache {
    /// The reason `pattern` (rule `rule_index`) gives for `event`. `prepared` holds the event
    /// converted for the explainer: converted here the first time a reason has to be worked
    /// out, then shared by the event's other rules.
    pub(crate) fn reason(
        &mut self,
        rule_index: usize,
        pattern: &EventPattern,
        event: &Value,
        prepared: &mut Option<PreparedEvent>,
    ) -> Arc<str> {
        let rule = self.rules.entry(rule_index).or_insert_with(|| RuleReasons {
            wanted: wanted_paths(pattern),
            reasons: HashMap::new(),
        });
        self.key.clear();
        self.path.clear();
        project(event, &rule.wanted, &mut self.path, &mut self.key, true);
        if let Some(reason) = rule.reasons.get(self.key.as_slice()) {
            return reason.clone();
        }
        let prepared = prepared.get_or_insert_with(|| PreparedEvent::new(event));
        let reason: Arc<str> = Arc::from(pattern.explain_prepared(prepared).reason());
        if rule.reasons.len() < PER_RULE_MAX {
            rule.reasons.insert(self.key.clone(), reason.clone());
        }
        reason
    }
}

/// Every field path of the pattern and each of its dot-prefixes, as `FlatEvent::for_pattern`
/// builds them.
fn wanted_paths(pattern: &EventPattern) -> HashSet<String> {
    let mut wanted = HashSet::new();
    pattern.root().for_each_field(&mut |field| {
        let path = field.path.as_str();
        for (i, c) in path.char_indices() {
            if c == '.' {
                wanted.insert(path.get(..i).unwrap_or("").to_string());
            }
        }
        wanted.insert(path.to_string());
    });
    wanted
}

/// Writes the projection of `value` (found at `path`) to `key`. Every piece is written in a
/// self-delimiting form (JSON strings for keys and scalars, brackets around containers), so two
/// different projections never write the same bytes.
fn project(
    value: &Value,
    wanted: &HashSet<String>,
    path: &mut String,
    key: &mut Vec<u8>,
    root: bool,
) {
    match value {
        Value::Object(members) => {
            key.push(b'{');
            for (name, member) in members {
                let length = path.len();
                if !root {
                    path.push('.');
                }
                path.push_str(name);
                if wanted.contains(path.as_str()) {
                    // Written as a JSON string: no copy of the name.
                    let _ = serde_json::to_writer(&mut *key, name.as_str());
                    key.push(b':');
                    project(member, wanted, path, key, false);
                    key.push(b',');
                }
                path.truncate(length);
            }
            key.push(b'}');
        }
        Value::Array(items) => {
            key.push(b'[');
            for item in items {
                project(item, wanted, path, key, false);
                key.push(b',');
            }
            key.push(b']');
        }
        // The root of an event that is not an object: the explainer names its type.
        scalar => write_json(key, scalar),
    }
}

fn write_json(key: &mut Vec<u8>, value: &Value) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *key, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fresh(pattern: &EventPattern, event: &Value) -> String {
        pattern.explain(event).reason()
    }

    #[test]
    fn remembered_reasons_are_the_explainer_s() {
        let pattern = EventPattern::parse(
            r#"{"source": ["shop"], "detail": {"items": {"kind": ["donut"], "n": [{"numeric": [">", 2]}]}}}"#,
        )
        .expect("pattern");
        let events = [
            json!({"id": "1", "source": "shop", "detail": {"items": [{"kind": "donut", "n": 3}]}}),
            json!({"id": "2", "source": "shop", "detail": {"items": [{"kind": "donut", "n": 3}]}}),
            json!({"id": "3", "source": "shop", "detail": {"items": [{"kind": "pie", "n": 3}]}}),
            // The values match, from different array elements: not a match.
            json!({"id": "4", "source": "shop", "detail": {"items": [{"kind": "donut", "n": 1}, {"kind": "pie", "n": 3}]}}),
            json!({"id": "5", "source": "shop", "detail": {"items": [{"kind": "donut", "n": 3}, {"kind": "pie", "n": 1}]}}),
            json!({"id": "6", "source": "farm", "extra": [1, 2], "detail": {}}),
            json!({"id": "7", "source": "farm", "extra": [3], "detail": {}}),
            json!({"id": "8", "source": "shop", "detail": {"items": {"kind": "donut", "n": 3}}}),
        ];
        let mut cache = ReasonCache::default();
        // Twice over: the second pass answers from memory and must say the same.
        for _ in 0..2 {
            for event in &events {
                let reason = cache.reason(7, &pattern, event, &mut None);
                assert_eq!(&*reason, fresh(&pattern, event), "{event}");
            }
        }
        // Fields the pattern cannot see do not split the key: ids differ, one entry per shape.
        let remembered = cache.rules.get(&7).map_or(0, |r| r.reasons.len());
        assert_eq!(remembered, 6);
    }

    #[test]
    fn memory_stays_bounded() {
        let pattern = EventPattern::parse(r#"{"detail": {"n": [1]}}"#).expect("pattern");
        let mut cache = ReasonCache::default();
        for n in 0..(PER_RULE_MAX as u64 + 10) {
            let event = json!({"detail": {"n": n}});
            let reason = cache.reason(0, &pattern, &event, &mut None);
            assert_eq!(&*reason, fresh(&pattern, &event));
        }
        assert_eq!(
            cache.rules.get(&0).map_or(0, |r| r.reasons.len()),
            PER_RULE_MAX
        );
    }
}
