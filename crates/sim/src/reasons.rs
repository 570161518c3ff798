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

use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde_json::Value;

use eventyard_pattern::{EventPattern, PreparedEvent};

/// Reasons kept per rule. Beyond this the rule's events are explained every time, so a run
/// whose events all differ keeps its memory bounded.
const PER_RULE_MAX: usize = 1024;

/// What one rule remembers.
#[derive(Debug, Default)]
struct RuleReasons {
    /// The pattern's field paths and all their dot-prefixes (what the explainer walks).
    wanted: PathTree,
    /// Projected event → reason. (FxHash: the keys are ours, not an attacker's, and SipHash
    /// over every key was a visible part of a traced run.)
    reasons: FxHashMap<Vec<u8>, Arc<str>>,
}

/// The remembered reasons of every rule, by rule index. Not part of the simulation (a clone of
/// the simulator starts empty, as the matcher's scratch does).
#[derive(Debug, Default)]
pub(crate) struct ReasonCache {
    /// By rule index (dense: the template's rules), so finding a rule costs no hashing.
    rules: Vec<Option<RuleReasons>>,
    key: Vec<u8>,
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
        if self.rules.len() <= rule_index {
            self.rules.resize_with(rule_index + 1, || None);
        }
        let Some(slot) = self.rules.get_mut(rule_index) else {
            // (resized just above)
            return Arc::from(pattern.explain(event).reason());
        };
        let rule = slot.get_or_insert_with(|| RuleReasons {
            wanted: PathTree::of(pattern),
            reasons: FxHashMap::default(),
        });
        self.key.clear();
        project(event, &rule.wanted, &mut self.key);
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

/// The pattern's field paths as a tree of their dot-separated segments: a node is a field path
/// or a dot-prefix of one, which is the set `FlatEvent::for_pattern` walks. A tree, not a set
/// of joined paths, so projecting an event builds no path strings and hashes nothing.
#[derive(Debug, Default)]
struct PathTree {
    children: Vec<(String, PathTree)>,
}

impl PathTree {
    fn of(pattern: &EventPattern) -> PathTree {
        let mut tree = PathTree::default();
        pattern.root().for_each_field(&mut |field| {
            let mut node = &mut tree;
            for segment in field.path.split('.') {
                let at = match node.children.iter().position(|(name, _)| name == segment) {
                    Some(at) => at,
                    None => {
                        node.children
                            .push((segment.to_string(), PathTree::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
        });
        tree
    }

    /// The node of this node's path joined with `name` by a dot, as the explainer joins them
    /// (a member name holding dots reaches that many levels down).
    fn child(&self, name: &str) -> Option<&PathTree> {
        // Segments hold no dot, so a name equal to one is the whole answer, and a name
        // without a dot that equals none leads nowhere: most members end here, unsplit.
        if let Some((_, child)) = self.children.iter().find(|(n, _)| n == name) {
            return Some(child);
        }
        if !name.as_bytes().contains(&b'.') {
            return None;
        }
        let mut node = self;
        for segment in name.split('.') {
            node = &node.children.iter().find(|(n, _)| n == segment)?.1;
        }
        Some(node)
    }
}

/// Writes the projection of `value` (found at `node`'s path) to `key`. Every piece is written
/// in a self-delimiting form (JSON strings for names and scalars, brackets around containers),
/// so two different projections never write the same bytes.
fn project(value: &Value, node: &PathTree, key: &mut Vec<u8>) {
    match value {
        Value::Object(members) => {
            key.push(b'{');
            for (name, member) in members {
                if let Some(child) = node.child(name) {
                    write_json(key, name.as_str());
                    key.push(b':');
                    project(member, child, key);
                    key.push(b',');
                }
            }
            key.push(b'}');
        }
        Value::Array(items) => {
            key.push(b'[');
            for item in items {
                project(item, node, key);
                key.push(b',');
            }
            key.push(b']');
        }
        // A scalar at a wanted path, or the root of an event that is not an object (the
        // explainer names its type).
        scalar => write_json(key, scalar),
    }
}

fn write_json<T: serde::Serialize + ?Sized>(key: &mut Vec<u8>, value: &T) {
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
            // A member name with a dot is the joined path, as the explainer joins it.
            json!({"id": "9", "source": "shop", "detail": {"items.kind": "donut", "items": {"n": 3}}}),
            json!({"id": "10", "source": "shop", "detail.items": {"kind": "donut", "n": 4}, "detail": {}}),
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
        let remembered = cache
            .rules
            .get(7)
            .and_then(Option::as_ref)
            .map_or(0, |r| r.reasons.len());
        assert_eq!(remembered, 8);
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
            cache
                .rules
                .first()
                .and_then(Option::as_ref)
                .map_or(0, |r| r.reasons.len()),
            PER_RULE_MAX
        );
    }
}
