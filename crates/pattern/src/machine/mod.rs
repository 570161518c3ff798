//! The compiled many-rules matcher: named EventBridge patterns in, for each event the names of
//! the rules it matches out, at a cost that follows the fields the rules name rather than the
//! number of rules (the approach of AWS's event-ruler and of quamina).
//!
//! Data flow, one way: validated [`EventPattern`] model → [`Machine`] (compile: a trie of
//! field paths, a value index per field, conditions and branches) → per event: flatten the raw
//! bytes against the trie (`scan.rs`), look each value up in its field's index (`index.rs`),
//! count satisfied conditions per branch, check array consistency (`arrays.rs`) → rule names.
//!
//! Invariants:
//! - The reference interpreter ([`EventPattern::matches`]) defines the answer; the machine
//!   must agree on every event (a property test checks it). Where the machine cannot decide
//!   cheaply and exactly — `exists: false` (an absence, which must hold within the same array
//!   element), a `$or` that expands into too many branches, a pattern with no field at all,
//!   an event whose root is not an object — it asks the interpreter instead: a correct fallback
//!   beats a wrong fast path.
//! - A branch is a conjunction of conditions; a condition is one field with its OR'd matchers;
//!   an atom is one matcher on one field. Atoms and conditions are shared between rules, so a
//!   value is tested once however many rules name it.
//! - Matching never panics and never allocates per event beyond the reusable
//!   [`MatchScratch`] (except on the fallback paths).

mod arrays;
mod index;
mod leaf;
mod scan;
mod skip;

use rustc_hash::FxHashMap;

use crate::model::{Conjunction, FieldCondition, Literal, MatcherKind};
use crate::EventPattern;
use index::{AtomId, ValueIndex};
use leaf::Scalar;
use scan::{FieldTrie, Flat, Kind, NodeId};

/// The index of a rule in a [`Machine`], in the order rules were first added.
pub type RuleId = u32;

type CondId = u32;
type BranchId = u32;

/// A `$or` that expands into more branches than this is left to the interpreter.
const MAX_BRANCHES_PER_RULE: usize = 1024;

/// An event is not well-formed JSON (or is nested deeper than 128 levels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    /// Byte offset where reading stopped.
    pub offset: usize,
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Event is not valid JSON (at byte {})", self.offset)
    }
}

impl std::error::Error for EventError {}

/// Many named rules compiled into one matcher.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    names: Vec<String>,
    ids: FxHashMap<String, RuleId>,
    trie: FieldTrie,
    /// Value index per trie node (None for nodes no matcher tests).
    fields: Vec<Option<ValueIndex>>,
    atom_ids: FxHashMap<(NodeId, String), AtomId>,
    /// conditions each atom satisfies
    atom_conditions: Vec<Vec<CondId>>,
    condition_ids: FxHashMap<String, CondId>,
    /// branches each condition takes part in
    condition_branches: Vec<Vec<BranchId>>,
    branches: Vec<Branch>,
    /// Every pattern added, with its rule: the interpreter's input on the fallback paths.
    patterns: Vec<(RuleId, EventPattern)>,
    /// Patterns (indexes into `patterns`) the interpreter decides on every event.
    always: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Branch {
    rule: RuleId,
    conditions: Box<[CondId]>,
    /// The pattern it comes from (index into `Machine::patterns`).
    pattern: u32,
    /// The interpreter has the last word (the branch holds only the positive conditions).
    interpreted: bool,
}

/// Reusable per-thread state for matching: keeps matching allocation-free.
#[derive(Debug, Default)]
pub struct MatchScratch {
    flat: Flat,
    generation: u32,
    condition_seen: Vec<u32>,
    branch_seen: Vec<u32>,
    branch_count: Vec<u32>,
    rule_seen: Vec<u32>,
    interpret_seen: Vec<u32>,
    atoms: Vec<AtomId>,
    /// (condition, entry index) for every satisfied condition and the value that did it
    hits: Vec<(CondId, u32)>,
    newly: Vec<CondId>,
    to_interpret: Vec<u32>,
    matched: Vec<RuleId>,
    consistency: arrays::Search,
}

impl Machine {
    /// An empty machine.
    pub fn new() -> Machine {
        Machine::default()
    }

    /// Number of distinct rule names.
    pub fn rule_count(&self) -> usize {
        self.names.len()
    }

    /// The name of a rule id.
    pub fn rule_name(&self, id: RuleId) -> &str {
        self.names
            .get(id as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Adds a named rule. Adding a second pattern under an existing name ORs it with the
    /// first (the name matches when either does), as event-ruler's `addRule` does.
    pub fn add_rule(&mut self, name: &str, pattern: &EventPattern) {
        let rule = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as RuleId;
                self.names.push(name.to_string());
                self.ids.insert(name.to_string(), id);
                id
            }
        };
        let k = self.patterns.len() as u32;
        self.patterns.push((rule, pattern.clone()));
        let mut branches: Vec<Vec<&FieldCondition>> = vec![Vec::new()];
        if !expand(pattern.root(), &mut branches) {
            self.always.push(k);
            return;
        }
        let is_absence = |f: &&FieldCondition| {
            f.matchers
                .iter()
                .any(|m| matches!(m.kind, MatcherKind::Exists(false)))
        };
        for fields in branches {
            let interpreted = fields.is_empty() || fields.iter().any(is_absence);
            // only the positive conditions filter the events the interpreter sees
            let positive: Vec<&FieldCondition> =
                fields.into_iter().filter(|f| !is_absence(f)).collect();
            if positive.is_empty() {
                if !self.always.contains(&k) {
                    self.always.push(k);
                }
            } else {
                self.add_branch(rule, &positive, k, interpreted);
            }
        }
    }

    fn add_branch(
        &mut self,
        rule: RuleId,
        fields: &[&FieldCondition],
        pattern: u32,
        interpreted: bool,
    ) {
        let mut conditions: Vec<CondId> = fields.iter().map(|f| self.condition(f)).collect();
        conditions.sort_unstable();
        conditions.dedup();
        let id = self.branches.len() as BranchId;
        for &c in &conditions {
            if let Some(list) = self.condition_branches.get_mut(c as usize) {
                list.push(id);
            }
        }
        self.branches.push(Branch {
            rule,
            conditions: conditions.into_boxed_slice(),
            pattern,
            interpreted,
        });
    }

    /// The shared condition for a field and its matchers (spans ignored).
    fn condition(&mut self, field: &FieldCondition) -> CondId {
        let kinds: Vec<&MatcherKind> = field.matchers.iter().map(|m| &m.kind).collect();
        let key = format!("{}\u{0}{:?}", field.path, kinds);
        if let Some(&c) = self.condition_ids.get(&key) {
            return c;
        }
        let c = self.condition_branches.len() as CondId;
        self.condition_branches.push(Vec::new());
        self.condition_ids.insert(key, c);
        let node = self.trie.insert(&[field.path.as_str()]);
        if self.fields.len() < self.trie.len() {
            self.fields.resize(self.trie.len(), None);
        }
        for kind in kinds {
            let atom = self.atom(node, kind);
            if let Some(list) = self.atom_conditions.get_mut(atom as usize) {
                if !list.contains(&c) {
                    list.push(c);
                }
            }
        }
        c
    }

    fn atom(&mut self, node: NodeId, kind: &MatcherKind) -> AtomId {
        let key = (node, format!("{kind:?}"));
        if let Some(&a) = self.atom_ids.get(&key) {
            return a;
        }
        let a = self.atom_conditions.len() as AtomId;
        self.atom_conditions.push(Vec::new());
        self.atom_ids.insert(key, a);
        if let Some(slot) = self.fields.get_mut(node as usize) {
            let index = slot.get_or_insert_with(ValueIndex::default);
            match kind {
                MatcherKind::Exact(Literal::Number(n)) if n.comparable => {
                    index.insert_number(&n.value, a)
                }
                _ => index.insert(kind, a),
            }
        }
        a
    }

    /// Names of the rules the event matches, in rule order. A malformed event matches none.
    pub fn matching_rules(&self, event_json: &[u8]) -> Vec<&str> {
        let mut scratch = MatchScratch::default();
        self.matching_ids(event_json, &mut scratch)
            .iter()
            .map(|&id| self.rule_name(id))
            .collect()
    }

    /// Like [`Machine::matching_rules`], but says when the event is not well-formed JSON.
    pub fn try_matching_rules(&self, event_json: &[u8]) -> Result<Vec<&str>, EventError> {
        let mut scratch = MatchScratch::default();
        let ids = self.try_matching_ids(event_json, &mut scratch)?;
        Ok(ids.iter().map(|&id| self.rule_name(id)).collect())
    }

    /// The allocation-free form: ids of the matching rules, ascending, borrowed from
    /// `scratch`. A malformed event matches none.
    pub fn matching_ids<'s>(
        &self,
        event_json: &[u8],
        scratch: &'s mut MatchScratch,
    ) -> &'s [RuleId] {
        if self.try_matching_ids(event_json, scratch).is_err() {
            scratch.matched.clear();
        }
        &scratch.matched
    }

    /// The allocation-free form that reports malformed events.
    pub fn try_matching_ids<'s>(
        &self,
        event_json: &[u8],
        scratch: &'s mut MatchScratch,
    ) -> Result<&'s [RuleId], EventError> {
        self.try_matching_ids_with(event_json, scratch, false)
    }

    /// An opt-in shortcut for events the caller *knows* are well-formed JSON in which no
    /// object repeats a key and no path is spelled twice (`"a.b"` beside `"a": {"b": ..}`) —
    /// for instance the output of `serde_json`'s serializer. Reading stops as soon as every
    /// path the rules name has been read where the event holds it (as quamina does), so the
    /// rest of the event is neither read nor checked.
    ///
    /// Why opt-in: EventBridge does not refuse such events. event-ruler's streaming reader
    /// (`Event(String json, GenericMachine)` in aws/event-ruler `Event.java`) walks every
    /// member to the closing brace, so a malformed tail makes the event fail, and its
    /// `addField` appends a repeated key's value as one more value of the path (the
    /// interpreter here, like Jackson's tree reader, keeps the last one). Either way a member
    /// after the last named one can change the answer. [`Machine::try_matching_ids`] reads
    /// everything and is exact on any input; this one is exact only under the promise above
    /// (and never panics when it is broken).
    pub fn try_matching_ids_stop_early<'s>(
        &self,
        event_json: &[u8],
        scratch: &'s mut MatchScratch,
    ) -> Result<&'s [RuleId], EventError> {
        self.try_matching_ids_with(event_json, scratch, true)
    }

    fn try_matching_ids_with<'s>(
        &self,
        event_json: &[u8],
        scratch: &'s mut MatchScratch,
        stop_early: bool,
    ) -> Result<&'s [RuleId], EventError> {
        scratch.matched.clear();
        self.prepare(scratch);
        let root_is_object = first_byte(event_json) == Some(b'{');
        let flattened = if stop_early {
            scan::flatten_stopping_early(&self.trie, event_json, &mut scratch.flat)
        } else {
            scan::flatten(&self.trie, event_json, &mut scratch.flat)
        };
        flattened.map_err(|e| EventError { offset: e.offset })?;
        // an event that is not a JSON object matches nothing (interpret::matches_flat)
        if root_is_object {
            self.run_branches(event_json, scratch);
            scratch.to_interpret.extend_from_slice(&self.always);
        }
        self.interpret(event_json, scratch);
        scratch.matched.sort_unstable();
        Ok(&scratch.matched)
    }

    fn prepare(&self, s: &mut MatchScratch) {
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            // the stamps wrapped: forget every old mark
            s.condition_seen.iter_mut().for_each(|x| *x = 0);
            s.branch_seen.iter_mut().for_each(|x| *x = 0);
            s.rule_seen.iter_mut().for_each(|x| *x = 0);
            s.interpret_seen.iter_mut().for_each(|x| *x = 0);
            s.generation = 1;
        }
        s.condition_seen.resize(self.condition_branches.len(), 0);
        s.branch_seen.resize(self.branches.len(), 0);
        s.branch_count.resize(self.branches.len(), 0);
        s.rule_seen.resize(self.names.len(), 0);
        s.interpret_seen.resize(self.patterns.len(), 0);
        s.hits.clear();
        s.newly.clear();
        s.to_interpret.clear();
    }

    fn run_branches(&self, event: &[u8], s: &mut MatchScratch) {
        let gen = s.generation;
        let mut any_trail = false;
        for (entry_index, e) in s.flat.entries.iter().enumerate() {
            let Some(Some(index)) = self.fields.get(e.node as usize) else {
                continue; // a dead (replaced) entry, or a node no matcher tests
            };
            let bytes = s.flat.bytes(event, e);
            let v = match e.kind {
                Kind::Str => match std::str::from_utf8(bytes) {
                    Ok(text) => Scalar::Str(text),
                    Err(_) => continue, // the scanner checked UTF-8 already
                },
                Kind::Num => Scalar::num(bytes),
                Kind::True => Scalar::Bool(true),
                Kind::False => Scalar::Bool(false),
                Kind::Null => Scalar::Null,
            };
            s.atoms.clear();
            index.lookup(&v, &mut s.atoms);
            if s.atoms.is_empty() {
                continue;
            }
            let has_trail = e.trail_len > 0;
            any_trail |= has_trail;
            for &atom in &s.atoms {
                for &c in self
                    .atom_conditions
                    .get(atom as usize)
                    .map_or(&[][..], |v| v)
                {
                    if let Some(seen) = s.condition_seen.get_mut(c as usize) {
                        if *seen != gen {
                            *seen = gen;
                            s.newly.push(c);
                        }
                    }
                    s.hits.push((c, entry_index as u32));
                }
            }
        }
        if any_trail {
            s.hits.sort_unstable();
            s.hits.dedup();
        }
        for &c in &s.newly {
            for &b in self
                .condition_branches
                .get(c as usize)
                .map_or(&[][..], |v| v)
            {
                let (Some(seen), Some(count)) = (
                    s.branch_seen.get_mut(b as usize),
                    s.branch_count.get_mut(b as usize),
                ) else {
                    continue;
                };
                if *seen != gen {
                    *seen = gen;
                    *count = 0;
                }
                *count += 1;
                let Some(branch) = self.branches.get(b as usize) else {
                    continue;
                };
                if *count as usize != branch.conditions.len() {
                    continue;
                }
                if s.rule_seen.get(branch.rule as usize) == Some(&gen) {
                    continue;
                }
                let verdict = if any_trail {
                    s.consistency
                        .consistent(&branch.conditions, &s.hits, &s.flat)
                } else {
                    Some(true)
                };
                match verdict {
                    Some(true) if !branch.interpreted => {
                        if let Some(seen) = s.rule_seen.get_mut(branch.rule as usize) {
                            *seen = gen;
                        }
                        s.matched.push(branch.rule);
                    }
                    Some(false) => {}
                    // the positive conditions hold but the interpreter has the last word, or
                    // there were too many ways to pair array elements to try them all
                    _ => {
                        if let Some(seen) = s.interpret_seen.get_mut(branch.pattern as usize) {
                            if *seen != gen {
                                *seen = gen;
                                s.to_interpret.push(branch.pattern);
                            }
                        }
                    }
                }
            }
        }
    }

    fn interpret(&self, event: &[u8], s: &mut MatchScratch) {
        if s.to_interpret.is_empty() {
            return;
        }
        // the interpreter reads the text exactly as the scanner does (number tokens as
        // written, last duplicate key wins)
        let Some(Ok(value)) = std::str::from_utf8(event).ok().map(crate::json::parse) else {
            return;
        };
        let gen = s.generation;
        for &k in &s.to_interpret {
            let Some((rule, pattern)) = self.patterns.get(k as usize) else {
                continue;
            };
            if s.rule_seen.get(*rule as usize) == Some(&gen) {
                continue;
            }
            if crate::interpret::matches(pattern.root(), &value) {
                if let Some(seen) = s.rule_seen.get_mut(*rule as usize) {
                    *seen = gen;
                }
                s.matched.push(*rule);
            }
        }
    }
}

/// Benchmarks only: skip unread containers with the SSE2 classifier even on a CPU with AVX2
/// (`true`), or detect again (`false`), so both can be timed in one process. Answers never
/// change. No effect off x86_64.
#[doc(hidden)]
pub fn prefer_sse2_skipping(sse2: bool) {
    skip::prefer_sse2(sse2);
}

fn first_byte(event: &[u8]) -> Option<u8> {
    event
        .iter()
        .copied()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
}

/// Expands a conjunction with `$or` groups into its branches (disjunctive normal form),
/// appending to every partial branch in `out`. False when there would be too many.
fn expand<'a>(c: &'a Conjunction, out: &mut Vec<Vec<&'a FieldCondition>>) -> bool {
    for partial in out.iter_mut() {
        partial.extend(c.fields.iter());
    }
    for group in &c.any_of {
        let mut next = Vec::new();
        for branch in &group.branches {
            let mut copy = out.clone();
            if !expand(branch, &mut copy) {
                return false;
            }
            next.extend(copy);
            if next.len() > MAX_BRANCHES_PER_RULE {
                return false;
            }
        }
        *out = next;
    }
    true
}

#[cfg(test)]
mod tests;
