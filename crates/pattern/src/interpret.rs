//! The reference interpreter: does one event match one validated pattern?
//!
//! Kept deliberately simple, because it is the oracle the compiled `Machine` is
//! property-tested against. The event is flattened the way event-ruler and quamina flatten
//! it: every leaf value (string, number, boolean, null) gets its dot-joined path (so an
//! event key `"a.b"` and nesting `{"a": {"b"}}` give the same path) and its *array trail*,
//! the (array, index) pairs it was reached through. Empty arrays and objects produce no
//! leaves, so `exists` only ever sees leaves (eb-event-patterns: "exists matches leaf
//! nodes").
//!
//! Only elements that are objects or arrays enter the trail (a scalar element is one more
//! value of its path, as in event-ruler's `Event.loadArray`).
//!
//! Matching follows event-ruler's array-consistent matcher (`rulesForJSONEvent`,
//! `ACFinder`): the pattern is taken one sub-rule at a time (one branch of every `$or`, as
//! event-ruler compiles it), its conditions in field-name order; each condition chooses a
//! leaf whose trail is *consistent* with the choices so far (no array entered at two
//! different indexes), backtracking over the alternatives. So all fields that reach into the
//! same array of objects come from the same element. An `exists: false` condition holds when
//! no leaf at its path is consistent with the choices made before it in that order ("this
//! element has no such field", event-ruler's `WHEN_JSONContainsArrays` test).

use std::collections::{HashMap, HashSet};

use crate::cidr;
use crate::json::{JsonValue, Spanned};
use crate::model::{
    AnyOf, AnythingBut, Conjunction, FieldCondition, Literal, MatcherKind, NumericRange,
};
use crate::number::Decimal;
use crate::wildcard;

/// One step into an array: (array id, element index).
pub type TrailStep = (u32, u32);

/// A leaf value of the event with its path and array trail.
#[derive(Debug, Clone)]
pub struct Leaf<'e> {
    /// The value (never an array or object).
    pub value: &'e Spanned,
    /// The arrays (and indexes) it was reached through, outermost first.
    pub trail: Vec<TrailStep>,
}

/// An event flattened to path → leaves (in document order).
#[derive(Debug, Default)]
pub struct FlatEvent<'e> {
    /// Leaves by dot-joined path.
    pub leaves: HashMap<String, Vec<Leaf<'e>>>,
    /// Whether the event was a JSON object (anything else never matches).
    pub is_object: bool,
}

impl<'e> FlatEvent<'e> {
    /// Flattens every leaf of the event.
    pub fn new(event: &'e Spanned) -> FlatEvent<'e> {
        FlatEvent::build(event, None)
    }

    /// Flattens only the leaves a pattern can look at: subtrees whose path is not a prefix
    /// (at a dot) of one of the pattern's field paths are skipped, as event-ruler skips
    /// fields no rule uses (`isFieldStepUsed`). Array ids stay unique, which is all that
    /// consistency needs.
    pub fn for_pattern(event: &'e Spanned, pattern: &Conjunction) -> FlatEvent<'e> {
        let mut wanted: HashSet<String> = HashSet::new();
        pattern.for_each_field(&mut |field| {
            let path = field.path.as_str();
            for (i, c) in path.char_indices() {
                if c == '.' {
                    wanted.insert(path.get(..i).unwrap_or("").to_string());
                }
            }
            wanted.insert(path.to_string());
        });
        FlatEvent::build(event, Some(&wanted))
    }

    fn build(event: &'e Spanned, wanted: Option<&HashSet<String>>) -> FlatEvent<'e> {
        let mut flat = FlatEvent {
            leaves: HashMap::new(),
            is_object: matches!(event.value, JsonValue::Object(_)),
        };
        if flat.is_object {
            let mut walker = Walker {
                flat: &mut flat,
                wanted,
                next_array_id: 0,
                trail: Vec::new(),
            };
            walker.walk(event, "");
        }
        flat
    }

    /// The leaves at a path (empty when the field is missing).
    pub fn at(&self, path: &str) -> &[Leaf<'e>] {
        self.leaves.get(path).map_or(&[], Vec::as_slice)
    }
}

struct Walker<'a, 'e> {
    flat: &'a mut FlatEvent<'e>,
    wanted: Option<&'a HashSet<String>>,
    next_array_id: u32,
    trail: Vec<TrailStep>,
}

impl<'e> Walker<'_, 'e> {
    // Recursion depth is bounded by the reader's nesting limit.
    fn walk(&mut self, node: &'e Spanned, path: &str) {
        match &node.value {
            JsonValue::Object(members) => {
                for member in members {
                    let child = if path.is_empty() {
                        member.key.clone()
                    } else {
                        format!("{path}.{}", member.key)
                    };
                    if self.wanted.is_none_or(|w| w.contains(&child)) {
                        self.walk(&member.value, &child);
                    }
                }
            }
            JsonValue::Array(items) => {
                let id = self.next_array_id;
                self.next_array_id = self.next_array_id.saturating_add(1);
                for (index, item) in items.iter().enumerate() {
                    // Like event-ruler's `Event.loadArray`, only object and array elements
                    // record membership: a scalar element is just one more value of the path.
                    let nested = matches!(item.value, JsonValue::Object(_) | JsonValue::Array(_));
                    if nested {
                        self.trail
                            .push((id, u32::try_from(index).unwrap_or(u32::MAX)));
                    }
                    self.walk(item, path);
                    if nested {
                        self.trail.pop();
                    }
                }
            }
            _ => self
                .flat
                .leaves
                .entry(path.to_string())
                .or_default()
                .push(Leaf {
                    value: node,
                    trail: self.trail.clone(),
                }),
        }
    }
}

/// Whether a trail can join the choices made so far.
pub fn consistent(trail: &[TrailStep], chosen: &[TrailStep]) -> bool {
    trail
        .iter()
        .all(|(array, index)| chosen.iter().all(|(a, i)| a != array || i == index))
}

/// Does the event match the pattern?
pub fn matches(pattern: &Conjunction, event: &Spanned) -> bool {
    let flat = FlatEvent::for_pattern(event, pattern);
    matches_flat(pattern, &flat)
}

/// Does an already flattened event match? (Flatten once with [`FlatEvent::new`] to test
/// many patterns against one event.)
pub fn matches_flat(pattern: &Conjunction, flat: &FlatEvent<'_>) -> bool {
    if !flat.is_object {
        return false;
    }
    if sub_rule_count(pattern) <= SUB_RULES_MAX {
        let mut fields: Vec<&FieldCondition> = pattern.fields.iter().collect();
        let mut pending: Vec<&AnyOf> = pattern.any_of.iter().collect();
        return each_sub_rule(&mut pending, &mut fields, &mut |conditions| {
            let mut sorted = conditions.to_vec();
            sorted.sort_by(|a, b| a.path.cmp(&b.path));
            sequential(flat, &sorted, &mut Vec::new())
        });
    }
    let mut search = Search {
        flat,
        chosen: Vec::new(),
        absent: Vec::new(),
    };
    let mut work = vec![Work::Conjunction(pattern)];
    search.solve(&mut work)
}

/// Sub-rules (one branch of every `$or`, as event-ruler expands a pattern) above which the
/// interpreter stops enumerating them and searches the `$or` tree directly. The two agree
/// except where an `exists: false` field sorts before a positive field that reaches into the
/// same array of objects; no pattern of a realistic size comes near the figure.
const SUB_RULES_MAX: u64 = 4096;

/// How many sub-rules event-ruler would compile the pattern into (saturating).
pub fn sub_rule_count(conjunction: &Conjunction) -> u64 {
    conjunction.any_of.iter().fold(1u64, |acc, group| {
        let branches = group
            .branches
            .iter()
            .fold(0u64, |sum, b| sum.saturating_add(sub_rule_count(b)));
        acc.saturating_mul(branches)
    })
}

/// Calls `check` with the conditions of every sub-rule until one returns true.
fn each_sub_rule<'p>(
    pending: &mut Vec<&'p AnyOf>,
    fields: &mut Vec<&'p FieldCondition>,
    check: &mut dyn FnMut(&[&'p FieldCondition]) -> bool,
) -> bool {
    let Some(group) = pending.pop() else {
        return check(fields);
    };
    let mut found = false;
    for branch in &group.branches {
        let (fields_before, pending_before) = (fields.len(), pending.len());
        fields.extend(branch.fields.iter());
        pending.extend(branch.any_of.iter());
        found = each_sub_rule(pending, fields, check);
        fields.truncate(fields_before);
        pending.truncate(pending_before);
        if found {
            break;
        }
    }
    pending.push(group);
    found
}

/// Whether these conditions hold together (one sub-rule, event-ruler's order), for
/// explanations that name the fields array consistency keeps apart.
pub fn hold_together(flat: &FlatEvent<'_>, conditions: &[&FieldCondition]) -> bool {
    let mut sorted = conditions.to_vec();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    sequential(flat, &sorted, &mut Vec::new())
}

/// Event-ruler's array-consistent search (`ACFinder`) for one sub-rule: conditions in
/// field-name order, each choosing a leaf consistent with the choices so far; an
/// `exists: false` condition holds when no leaf at its path is consistent with the choices
/// made *before* it.
fn sequential(
    flat: &FlatEvent<'_>,
    conditions: &[&FieldCondition],
    chosen: &mut Vec<TrailStep>,
) -> bool {
    let Some((field, rest)) = conditions.split_first() else {
        return true;
    };
    for matcher in &field.matchers {
        if matcher.kind == MatcherKind::Exists(false) {
            let absent = flat
                .at(&field.path)
                .iter()
                .all(|leaf| !consistent(&leaf.trail, chosen));
            if absent && sequential(flat, rest, chosen) {
                return true;
            }
            continue;
        }
        for leaf in flat.at(&field.path) {
            if !consistent(&leaf.trail, chosen) || !accepts(&matcher.kind, &leaf.value.value) {
                continue;
            }
            let before = chosen.len();
            for step in &leaf.trail {
                if !chosen.contains(step) {
                    chosen.push(*step);
                }
            }
            let found = sequential(flat, rest, chosen);
            chosen.truncate(before);
            if found {
                return true;
            }
        }
    }
    false
}

#[derive(Clone, Copy)]
enum Work<'p> {
    Field(&'p FieldCondition),
    AnyOf(&'p AnyOf),
    Conjunction(&'p Conjunction),
}

/// The fallback for patterns with very many sub-rules: a search over the `$or` tree with
/// `exists: false` checked last, against all choices.
struct Search<'f, 'e, 'p> {
    flat: &'f FlatEvent<'e>,
    chosen: Vec<TrailStep>,
    absent: Vec<&'p str>,
}

impl<'p> Search<'_, '_, 'p> {
    /// Depth is bounded by the number of conditions in the pattern (itself bounded by the
    /// pattern's length limit).
    fn solve(&mut self, work: &mut Vec<Work<'p>>) -> bool {
        let Some(item) = work.pop() else {
            return self.absent.iter().all(|path| {
                self.flat
                    .at(path)
                    .iter()
                    .all(|leaf| !consistent(&leaf.trail, &self.chosen))
            });
        };
        let result = match item {
            Work::Conjunction(conjunction) => {
                let before = work.len();
                for group in conjunction.any_of.iter().rev() {
                    work.push(Work::AnyOf(group));
                }
                for field in conjunction.fields.iter().rev() {
                    work.push(Work::Field(field));
                }
                let r = self.solve(work);
                work.truncate(before);
                r
            }
            Work::AnyOf(group) => group.branches.iter().any(|branch| {
                work.push(Work::Conjunction(branch));
                let r = self.solve(work);
                work.pop();
                r
            }),
            Work::Field(field) => self.field(field, work),
        };
        work.push(item);
        result
    }

    fn field(&mut self, field: &'p FieldCondition, work: &mut Vec<Work<'p>>) -> bool {
        for matcher in &field.matchers {
            if matcher.kind == MatcherKind::Exists(false) {
                self.absent.push(&field.path);
                let r = self.solve(work);
                self.absent.pop();
                if r {
                    return true;
                }
                continue;
            }
            let flat = self.flat;
            for leaf in flat.at(&field.path) {
                if !consistent(&leaf.trail, &self.chosen)
                    || !accepts(&matcher.kind, &leaf.value.value)
                {
                    continue;
                }
                let before = self.chosen.len();
                for step in &leaf.trail {
                    if !self.chosen.contains(step) {
                        self.chosen.push(*step);
                    }
                }
                let r = self.solve(work);
                self.chosen.truncate(before);
                if r {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether one present leaf value satisfies one matcher (`exists: false` is about absence
/// and never accepts a present value).
pub fn accepts(kind: &MatcherKind, value: &JsonValue) -> bool {
    match kind {
        MatcherKind::Exact(literal) => exact(literal, value),
        MatcherKind::Prefix {
            value: p,
            ignore_case,
        } => match value {
            JsonValue::String(s) if *ignore_case => s.to_lowercase().starts_with(&p.to_lowercase()),
            JsonValue::String(s) => s.starts_with(p.as_str()),
            _ => false,
        },
        MatcherKind::Suffix {
            value: p,
            ignore_case,
        } => match value {
            JsonValue::String(s) if *ignore_case => s.to_lowercase().ends_with(&p.to_lowercase()),
            JsonValue::String(s) => s.ends_with(p.as_str()),
            _ => false,
        },
        MatcherKind::EqualsIgnoreCase(p) => match value {
            JsonValue::String(s) => s.to_lowercase() == p.to_lowercase(),
            _ => false,
        },
        MatcherKind::AnythingBut(but) => !anything_but_excludes(but, value),
        MatcherKind::Numeric(range) => match value {
            JsonValue::Number(n) => comparable(&n.text).is_some_and(|d| in_range(range, &d)),
            _ => false,
        },
        MatcherKind::Exists(present) => *present,
        MatcherKind::Cidr(block) => match value {
            JsonValue::String(s) => cidr::block_contains(block, s),
            _ => false,
        },
        MatcherKind::Wildcard(glob) => match value {
            JsonValue::String(s) => wildcard::matches(glob, s),
            _ => false,
        },
    }
}

/// The value of an event number if event-ruler can compare it.
fn comparable(text: &str) -> Option<Decimal> {
    Decimal::parse(text).filter(Decimal::is_comparable)
}

fn exact(literal: &Literal, value: &JsonValue) -> bool {
    match (literal, value) {
        (Literal::String(p), JsonValue::String(s)) => {
            p == s
                || cidr::ip_bytes(p)
                    .is_some_and(|ip| cidr::ip_bytes(s).is_some_and(|other| ip == other))
        }
        (Literal::Number(p), JsonValue::Number(n)) => {
            p.text == n.text || (p.comparable && comparable(&n.text).is_some_and(|d| d == p.value))
        }
        (Literal::Bool(p), JsonValue::Bool(b)) => p == b,
        (Literal::Null, JsonValue::Null) => true,
        _ => false,
    }
}

/// Whether `anything-but` rules this value out.
fn anything_but_excludes(but: &AnythingBut, value: &JsonValue) -> bool {
    match (but, value) {
        (AnythingBut::Strings(list), JsonValue::String(s)) => list.iter().any(|p| p == s),
        (AnythingBut::Numbers(list), JsonValue::Number(n)) => {
            comparable(&n.text).is_some_and(|d| list.iter().any(|p| p.value == d))
        }
        (AnythingBut::Prefix(list), JsonValue::String(s)) => {
            list.iter().any(|p| s.starts_with(p.as_str()))
        }
        (AnythingBut::Suffix(list), JsonValue::String(s)) => {
            list.iter().any(|p| s.ends_with(p.as_str()))
        }
        (AnythingBut::EqualsIgnoreCase(list), JsonValue::String(s)) => {
            let lower = s.to_lowercase();
            list.iter().any(|p| p.to_lowercase() == lower)
        }
        (AnythingBut::Wildcard(list), JsonValue::String(s)) => {
            list.iter().any(|g| wildcard::matches(g, s))
        }
        _ => false,
    }
}

fn in_range(range: &NumericRange, value: &Decimal) -> bool {
    let above = range.lower.as_ref().is_none_or(|b| {
        if b.inclusive {
            *value >= b.value
        } else {
            *value > b.value
        }
    });
    let below = range.upper.as_ref().is_none_or(|b| {
        if b.inclusive {
            *value <= b.value
        } else {
            *value < b.value
        }
    });
    above && below
}
