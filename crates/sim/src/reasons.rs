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
//! are part of the key because array consistency reads them. One projection serves all the
//! rules of a bus: it is taken on the union of their paths (`BusReasons`).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde_json::Value;

use eventyard_pattern::{EventPattern, PreparedEvent};

/// Event shapes kept per bus. Beyond this the bus's events are explained every time, so a run
/// whose events all differ keeps its memory bounded.
const PER_BUS_MAX: usize = 4096;

/// What one bus remembers. One projection per event serves all the bus's rules: the key is
/// the event projected on the *union* of their paths, which determines each rule's own
/// projection (a rule's tree is a subtree of the union: dropping the other members of the
/// union's projection gives the rule's), so equal keys still give equal reasons for every
/// rule — and the event is walked once, not once per rule.
#[derive(Debug, Default)]
struct BusReasons {
    /// Every rule's field paths and all their dot-prefixes (what the explainer walks).
    wanted: PathTree,
    /// Projected event → its entry in `entries`. (FxHash: the keys are ours, not an
    /// attacker's, and SipHash over every key was a visible part of a traced run.)
    index: FxHashMap<Vec<u8>, u32>,
    /// Per shape, the reason of each rule of the bus by its position, once worked out.
    entries: Vec<Vec<Option<Arc<str>>>>,
}

/// The remembered reasons of every bus, by bus index. Not part of the simulation (a clone of
/// the simulator starts empty, as the matcher's scratch does).
#[derive(Debug, Default)]
pub(crate) struct ReasonCache {
    /// By bus index (dense: the template's buses), so finding a bus costs no hashing.
    buses: Vec<Option<BusReasons>>,
    key: Vec<u8>,
    /// The event `select` projected: (bus, its entry, or None when the bus is full).
    current: Option<(usize, Option<usize>)>,
}

impl ReasonCache {
    /// Projects `event` for bus `bus` (whose rules' patterns `patterns` lists, every one of
    /// them: the union of their paths is built on the bus's first event) and finds its
    /// remembered reasons; [`ReasonCache::reason`] then answers per rule.
    pub(crate) fn select<'p>(
        &mut self,
        bus: usize,
        patterns: impl Iterator<Item = &'p EventPattern>,
        event: &Value,
    ) {
        if self.buses.len() <= bus {
            self.buses.resize_with(bus + 1, || None);
        }
        let Some(slot) = self.buses.get_mut(bus) else {
            // (resized just above)
            self.current = None;
            return;
        };
        let remembered = slot.get_or_insert_with(|| {
            let mut wanted = PathTree::default();
            for pattern in patterns {
                wanted.add(pattern);
            }
            BusReasons {
                wanted,
                ..BusReasons::default()
            }
        });
        self.key.clear();
        project(event, &remembered.wanted, &mut self.key);
        let entry = match remembered.index.get(self.key.as_slice()) {
            Some(&at) => Some(at as usize),
            None if remembered.entries.len() < PER_BUS_MAX => {
                let at = remembered.entries.len();
                remembered.entries.push(Vec::new());
                remembered.index.insert(self.key.clone(), at as u32);
                Some(at)
            }
            None => None,
        };
        self.current = Some((bus, entry));
    }

    /// The reason `pattern` — the rule at `position` in the list of the bus last `select`ed —
    /// gives for `event`, the event last selected. `prepared` holds the event converted for
    /// the explainer: converted here the first time a reason has to be worked out, then shared
    /// by the event's other rules.
    pub(crate) fn reason(
        &mut self,
        position: usize,
        pattern: &EventPattern,
        event: &Value,
        prepared: &mut Option<PreparedEvent>,
    ) -> Arc<str> {
        let slot = match self.current {
            Some((bus, Some(entry))) => self
                .buses
                .get_mut(bus)
                .and_then(Option::as_mut)
                .and_then(|b| b.entries.get_mut(entry)),
            _ => None,
        };
        if let Some(Some(reason)) = slot.as_ref().and_then(|reasons| reasons.get(position)) {
            return reason.clone();
        }
        let prepared = prepared.get_or_insert_with(|| PreparedEvent::new(event));
        let reason: Arc<str> = Arc::from(pattern.explain_prepared(prepared).reason());
        if let Some(reasons) = slot {
            if reasons.len() <= position {
                reasons.resize(position + 1, None);
            }
            if let Some(kept) = reasons.get_mut(position) {
                *kept = Some(reason.clone());
            }
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
    /// Adds the paths of `pattern`'s fields.
    fn add(&mut self, pattern: &EventPattern) {
        pattern.root().for_each_field(&mut |field| {
            let mut node = &mut *self;
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
        // a second rule on the bus that reads a path the first does not: the key is the
        // union's projection, and each rule's reason is still its own
        let other = EventPattern::parse(r#"{"extra": [3]}"#).expect("pattern");
        let mut cache = ReasonCache::default();
        // Twice over: the second pass answers from memory and must say the same.
        for _ in 0..2 {
            for event in &events {
                cache.select(4, [&pattern, &other].into_iter(), event);
                let reason = cache.reason(0, &pattern, event, &mut None);
                assert_eq!(&*reason, fresh(&pattern, event), "{event}");
                let reason = cache.reason(1, &other, event, &mut None);
                assert_eq!(&*reason, fresh(&other, event), "{event}");
            }
        }
        // Fields no rule can see do not split the key: ids differ, one entry per shape (events
        // 1 and 2 share one; 6 and 7 differ in `extra`, which the second rule reads).
        let remembered = cache
            .buses
            .get(4)
            .and_then(Option::as_ref)
            .map_or(0, |b| b.entries.len());
        assert_eq!(remembered, 9);
    }

    #[test]
    fn memory_stays_bounded() {
        let pattern = EventPattern::parse(r#"{"detail": {"n": [1]}}"#).expect("pattern");
        let mut cache = ReasonCache::default();
        for n in 0..(PER_BUS_MAX as u64 + 10) {
            let event = json!({"detail": {"n": n}});
            cache.select(0, [&pattern].into_iter(), &event);
            let reason = cache.reason(0, &pattern, &event, &mut None);
            assert_eq!(&*reason, fresh(&pattern, &event));
        }
        assert_eq!(
            cache
                .buses
                .first()
                .and_then(Option::as_ref)
                .map_or(0, |b| b.entries.len()),
            PER_BUS_MAX
        );
    }
}
