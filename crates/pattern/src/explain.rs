//! Explanations: for a pattern and an event, every pattern leaf with what the event holds
//! there, whether it passes, and one sentence for the deciding reason, e.g.
//! "`detail.flavor`: pattern wants one of ["donut"]; event has "pie"".
//!
//! A leaf's pass/fail is judged on its own (any value at its path accepted by any of its
//! matchers); whether the event matches comes from the reference interpreter, which adds
//! `$or` and array consistency. When every leaf passes on its own and the event still does
//! not match, the explanation says that the values came from different array elements.

use crate::interpret::{self, accepts, FlatEvent};
use crate::json::{JsonValue, Span, Spanned};
use crate::model::{
    AnyOf, AnythingBut, Conjunction, FieldCondition, Literal, Matcher, MatcherKind,
};

/// What the event holds at a leaf's path: one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundValue {
    /// The value as compact JSON, e.g. `"pie"` or `42`.
    pub json: String,
    /// Where it is in the event text (empty when the event was not given as text).
    pub span: Span,
    /// Whether one of the leaf's matchers accepts it.
    pub accepted: bool,
}

/// One alternative of a leaf (a literal or an operator object) and whether it accepted any
/// of the event's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeReport {
    /// The alternative in words, e.g. `prefix "us-"`.
    pub operator: String,
    /// Where it is written in the pattern text.
    pub span: Span,
    /// Whether it accepted a value (for `exists: false`: whether the field is missing).
    pub accepted: bool,
}

/// One pattern leaf (a field and its alternatives) judged against the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafReport {
    /// Dot-joined event path, e.g. `detail.flavor`.
    pub path: String,
    /// JSON path of the value array in the pattern.
    pub json_path: String,
    /// The operator(s) in words, e.g. `one of ["donut"]` or `prefix "us-"`.
    pub operator: String,
    /// Where the leaf's key is in the pattern text.
    pub pattern_key_span: Span,
    /// Where the leaf's value array is in the pattern text.
    pub pattern_span: Span,
    /// Each alternative, so a UI can mark the one that matched.
    pub alternatives: Vec<AlternativeReport>,
    /// The event's values at the path (empty: the field is missing).
    pub found: Vec<FoundValue>,
    /// Whether the leaf holds on its own.
    pub passed: bool,
    /// The `$or` branches leading to this leaf, outermost first, as (JSON path of the `$or`,
    /// branch index); empty for leaves outside any `$or`.
    pub or_branches: Vec<(String, usize)>,
}

/// The account of one pattern against one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    matched: bool,
    leaves: Vec<LeafReport>,
    deciding: Option<usize>,
    reason: String,
}

impl Explanation {
    /// Whether the event matches (the reference interpreter's verdict).
    pub fn matched(&self) -> bool {
        self.matched
    }

    /// One sentence for the deciding reason.
    pub fn reason(&self) -> String {
        self.reason.clone()
    }

    /// Every leaf of the pattern, in pattern order (including those inside `$or`).
    pub fn leaves(&self) -> &[LeafReport] {
        &self.leaves
    }

    /// The leaf the reason is about, if one leaf decides.
    pub fn deciding_leaf(&self) -> Option<&LeafReport> {
        self.deciding.and_then(|i| self.leaves.get(i))
    }
}

/// For people: the verdict with its reason, then one line per leaf, e.g.
/// `  ✗ detail.flavor: one of ["donut"]; event has "pie"`. Leaves inside `$or` branches
/// name their branch.
impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.matched { "match" } else { "no match" };
        writeln!(f, "{verdict}: {}", self.reason)?;
        for leaf in &self.leaves {
            let mark = if leaf.passed { '✓' } else { '✗' };
            let branch: Vec<String> = leaf
                .or_branches
                .iter()
                .map(|(_, i)| format!("$or[{i}]"))
                .collect();
            let branch = if branch.is_empty() {
                String::new()
            } else {
                format!(" ({})", branch.join(" › "))
            };
            let has = match leaf.found.as_slice() {
                [] => "no such field".to_string(),
                values => values
                    .iter()
                    .map(|v| v.json.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            writeln!(
                f,
                "  {mark} {}{branch}: {}; event has {has}",
                leaf.path, leaf.operator
            )?;
        }
        Ok(())
    }
}

/// Builds the explanation.
pub fn explain(root: &Conjunction, event: &Spanned) -> Explanation {
    let flat = FlatEvent::for_pattern(event, root);
    let matched = interpret::matches_flat(root, &flat);
    let mut leaves = Vec::new();
    collect(root, &flat, &mut Vec::new(), &mut leaves);
    if !flat.is_object {
        return Explanation {
            matched,
            leaves,
            deciding: None,
            reason: format!(
                "the event is {}, not a JSON object, so no pattern matches it",
                article(event.value.type_name())
            ),
        };
    }
    let (deciding, reason) = if matched {
        let first_plain = leaves
            .iter()
            .position(|l| l.passed && l.or_branches.is_empty());
        let deciding = first_plain.or_else(|| leaves.iter().position(|l| l.passed));
        match deciding.and_then(|i| leaves.get(i).map(|leaf| (i, leaf))) {
            Some((i, leaf)) => (
                Some(i),
                format!("{}; every condition holds", sentence(leaf)),
            ),
            None => (None, "every condition holds".to_string()),
        }
    } else {
        let mut index = 0;
        let failure = deciding_failure(root, &leaves, &mut index);
        match failure.and_then(|(i, prefix)| leaves.get(i).map(|leaf| (i, prefix, leaf))) {
            Some((i, prefix, leaf)) => (Some(i), format!("{prefix}{}", sentence(leaf))),
            None => inconsistent_pair(root, &flat, &leaves),
        }
    };
    Explanation {
        matched,
        leaves,
        deciding,
        reason,
    }
}

fn article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

/// Walks the pattern in the same order as `collect` (fields, then `$or` groups) and finds
/// the first leaf that makes the conjunction fail: a failing field, or, when a whole `$or`
/// fails, the first failing leaf of its first branch. `index` counts leaves visited.
fn deciding_failure(
    conjunction: &Conjunction,
    leaves: &[LeafReport],
    index: &mut usize,
) -> Option<(usize, String)> {
    let mut found: Option<(usize, String)> = None;
    for _ in &conjunction.fields {
        let i = *index;
        *index += 1;
        if found.is_none() && leaves.get(i).is_some_and(|l| !l.passed) {
            found = Some((i, String::new()));
        }
    }
    for group in &conjunction.any_of {
        let mut first_failure: Option<(usize, String)> = None;
        let mut any_branch_ok = false;
        for branch in &group.branches {
            match deciding_failure(branch, leaves, index) {
                Some(failure) => {
                    if first_failure.is_none() {
                        first_failure = Some(failure);
                    }
                }
                None => any_branch_ok = true,
            }
        }
        if found.is_none() && !any_branch_ok {
            if let Some((i, _)) = first_failure {
                found = Some((
                    i,
                    "no branch of `$or` holds; the first fails because ".to_string(),
                ));
            }
        }
    }
    found
}

/// Every leaf holds on its own, yet the event does not match: find two leaves that cannot
/// take their values from the same element of an array of objects.
fn inconsistent_pair(
    root: &Conjunction,
    flat: &FlatEvent<'_>,
    leaves: &[LeafReport],
) -> (Option<usize>, String) {
    let mut fields: Vec<&FieldCondition> = Vec::new();
    root.for_each_field(&mut |f| fields.push(f));
    // `for_each_field` visits fields before `$or` groups at every level, as `collect` does,
    // so index i of `fields` is index i of `leaves`.
    let related = |a: &LeafReport, b: &LeafReport| {
        a.or_branches
            .iter()
            .zip(&b.or_branches)
            .all(|(x, y)| x == y)
    };
    for (i, (a, la)) in fields.iter().zip(leaves).enumerate() {
        for (b, lb) in fields.iter().zip(leaves).skip(i + 1) {
            if !related(la, lb) || interpret::hold_together(flat, &[a, b]) {
                continue;
            }
            return (
                Some(i),
                format!(
                    "`{}` and `{}` each hold, but not with values from the same element of an array of objects (array consistency)",
                    la.path, lb.path
                ),
            );
        }
    }
    (
        None,
        "each condition holds on its own, but not all with values from the same element of an array of objects (array consistency)".to_string(),
    )
}

fn collect(
    conjunction: &Conjunction,
    flat: &FlatEvent<'_>,
    branches: &mut Vec<(String, usize)>,
    out: &mut Vec<LeafReport>,
) {
    for field in &conjunction.fields {
        out.push(report(field, flat, branches));
    }
    for group in &conjunction.any_of {
        collect_or(group, flat, branches, out);
    }
}

fn collect_or(
    group: &AnyOf,
    flat: &FlatEvent<'_>,
    branches: &mut Vec<(String, usize)>,
    out: &mut Vec<LeafReport>,
) {
    for (i, branch) in group.branches.iter().enumerate() {
        branches.push((group.json_path.clone(), i));
        collect(branch, flat, branches, out);
        branches.pop();
    }
}

fn report(
    field: &FieldCondition,
    flat: &FlatEvent<'_>,
    branches: &[(String, usize)],
) -> LeafReport {
    let leaves = flat.at(&field.path);
    let found: Vec<FoundValue> = leaves
        .iter()
        .map(|leaf| FoundValue {
            json: to_json(&leaf.value.value),
            span: leaf.value.span,
            accepted: field
                .matchers
                .iter()
                .any(|m| accepts(&m.kind, &leaf.value.value)),
        })
        .collect();
    let alternatives = field
        .matchers
        .iter()
        .map(|m| AlternativeReport {
            operator: describe(std::slice::from_ref(m)),
            span: m.span,
            accepted: if m.kind == MatcherKind::Exists(false) {
                leaves.is_empty()
            } else {
                leaves
                    .iter()
                    .any(|leaf| accepts(&m.kind, &leaf.value.value))
            },
        })
        .collect();
    let absent_ok = leaves.is_empty()
        && field
            .matchers
            .iter()
            .any(|m| m.kind == MatcherKind::Exists(false));
    let passed = absent_ok || found.iter().any(|f| f.accepted);
    LeafReport {
        path: field.path.clone(),
        json_path: field.json_path.clone(),
        operator: describe(&field.matchers),
        pattern_key_span: field.key_span,
        pattern_span: field.span,
        alternatives,
        found,
        passed,
        or_branches: branches.to_vec(),
    }
}

/// "`detail.flavor`: pattern wants one of ["donut"]; event has "pie"".
fn sentence(leaf: &LeafReport) -> String {
    let has = match leaf.found.as_slice() {
        [] => "no such field".to_string(),
        [one] => one.json.clone(),
        many => {
            let shown: Vec<&str> = many.iter().take(5).map(|f| f.json.as_str()).collect();
            let more = if many.len() > 5 {
                format!(", … ({} values)", many.len())
            } else {
                String::new()
            };
            format!("[{}{more}]", shown.join(", "))
        }
    };
    format!(
        "`{}`: pattern wants {}; event has {has}",
        leaf.path, leaf.operator
    )
}

/// The matchers of one leaf in words, OR'd.
pub fn describe(matchers: &[Matcher]) -> String {
    let mut exact: Vec<String> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for m in matchers {
        match &m.kind {
            MatcherKind::Exact(literal) => exact.push(literal_json(literal)),
            other => others.push(describe_one(other)),
        }
    }
    let mut parts = Vec::new();
    if !exact.is_empty() {
        parts.push(format!("one of [{}]", exact.join(", ")));
    }
    parts.extend(others);
    parts.join(" or ")
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn literal_json(literal: &Literal) -> String {
    match literal {
        Literal::String(s) => quoted(s),
        Literal::Number(n) => n.text.clone(),
        Literal::Bool(b) => b.to_string(),
        Literal::Null => "null".to_string(),
    }
}

fn describe_one(kind: &MatcherKind) -> String {
    match kind {
        MatcherKind::Exact(literal) => format!("exactly {}", literal_json(literal)),
        MatcherKind::Prefix { value, ignore_case } => {
            format!(
                "prefix {}{}",
                quoted(value),
                if *ignore_case { " (ignoring case)" } else { "" }
            )
        }
        MatcherKind::Suffix { value, ignore_case } => {
            format!(
                "suffix {}{}",
                quoted(value),
                if *ignore_case { " (ignoring case)" } else { "" }
            )
        }
        MatcherKind::EqualsIgnoreCase(value) => format!("{} ignoring case", quoted(value)),
        MatcherKind::AnythingBut(but) => match but {
            AnythingBut::Strings(list) => format!("anything but {}", quoted_list(list)),
            AnythingBut::Numbers(list) => {
                let inner: Vec<&str> = list.iter().map(|n| n.text.as_str()).collect();
                format!("anything but [{}]", inner.join(", "))
            }
            AnythingBut::Prefix(list) => format!("anything but prefix {}", quoted_list(list)),
            AnythingBut::Suffix(list) => format!("anything but suffix {}", quoted_list(list)),
            AnythingBut::EqualsIgnoreCase(list) => {
                format!("anything but {} ignoring case", quoted_list(list))
            }
            AnythingBut::Wildcard(list) => {
                let texts: Vec<String> = list.iter().map(|w| w.text.clone()).collect();
                format!("anything but wildcard {}", quoted_list(&texts))
            }
        },
        MatcherKind::Numeric(range) => {
            let mut parts = Vec::new();
            match (&range.lower, &range.upper) {
                (Some(l), Some(u)) if l.inclusive && u.inclusive && l.value == u.value => {
                    return format!("a number = {}", l.text);
                }
                _ => {}
            }
            if let Some(l) = &range.lower {
                parts.push(format!(
                    "{} {}",
                    if l.inclusive { ">=" } else { ">" },
                    l.text
                ));
            }
            if let Some(u) = &range.upper {
                parts.push(format!(
                    "{} {}",
                    if u.inclusive { "<=" } else { "<" },
                    u.text
                ));
            }
            format!("a number {}", parts.join(" and "))
        }
        MatcherKind::Exists(true) => "the field to exist".to_string(),
        MatcherKind::Exists(false) => "the field to be absent".to_string(),
        MatcherKind::Cidr(block) => format!("an IP address in {}", block.text),
        MatcherKind::Wildcard(glob) => format!("wildcard {}", quoted(&glob.text)),
    }
}

/// Compact JSON of an event value (numbers exactly as written).
fn to_json(value: &JsonValue) -> String {
    match value {
        JsonValue::Null => "null".to_string(),
        JsonValue::Bool(b) => b.to_string(),
        JsonValue::Number(n) => n.text.clone(),
        JsonValue::String(s) => quoted(s),
        // Leaves are never arrays or objects; say so briefly if asked.
        JsonValue::Array(_) => "[…]".to_string(),
        JsonValue::Object(_) => "{…}".to_string(),
    }
}
