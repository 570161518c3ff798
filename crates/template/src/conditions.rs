//! The template's `Conditions` section, evaluated once at load as CloudFormation does before it
//! creates anything ("CloudFormation template Conditions syntax"; "Condition functions" in the
//! Template Reference): each condition is `Fn::Equals`, `Fn::And` (2 to 10 conditions),
//! `Fn::Or` (2 to 10), `Fn::Not` (one) or `{Condition: Name}`, over parameter values (their
//! defaults), pseudo parameters and other conditions. `resolve` then uses the results for
//! `Fn::If` and for a resource's `Condition` attribute.
//!
//! Input safety: conditions that name conditions are ordered first (an iterative depth-first
//! walk with an explicit stack, so a long chain of conditions cannot overflow the call stack)
//! and a cycle is an error, so each condition is evaluated once and only after those it names.
//! Within one condition the walk follows the document tree, whose depth `yaml` limits.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Errors;
use crate::node::{Node, Pos, Value};

/// The most conditions `Fn::And` and `Fn::Or` take (Condition functions, Fn::And and Fn::Or).
pub const CONDITIONS_IN_AND_OR_MAX: usize = 10;

/// Owner of errors about the section itself (not about one condition).
const SECTION: &str = "Conditions";

/// Every condition of the template with its value.
#[derive(Debug, Default)]
pub struct Conditions {
    /// `None`: the condition could not be evaluated; its error is already recorded, so uses of
    /// it add none.
    values: BTreeMap<String, Option<bool>>,
}

/// What a condition name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Value(bool),
    /// Declared, but its evaluation failed (and said why).
    Broken,
    /// Not declared in the Conditions section.
    Undeclared,
}

impl Conditions {
    pub fn lookup(&self, name: &str) -> Lookup {
        match self.values.get(name) {
            Some(Some(value)) => Lookup::Value(*value),
            Some(None) => Lookup::Broken,
            None => Lookup::Undeclared,
        }
    }

    /// Evaluate the section. `operand` gives a `Fn::Equals` operand's text (a `Ref` to a
    /// parameter or pseudo parameter, or another intrinsic over them), recording its own errors
    /// under the condition's name.
    pub fn evaluate(
        section: Option<&Node>,
        operand: &dyn Fn(&str, &Node, &mut Errors) -> Option<String>,
        errors: &mut Errors,
    ) -> Conditions {
        let mut conditions = Conditions::default();
        let Some(section) = section else {
            return conditions;
        };
        let Some(entries) = section.as_map() else {
            if section.value != Value::Null {
                errors.push(
                    SECTION,
                    section.pos,
                    "Template format error: Every Conditions member must be an object.",
                );
            }
            return conditions;
        };
        let bodies: BTreeMap<&str, (&Node, Pos)> = entries
            .iter()
            .map(|(key, body)| (key.name.as_str(), (body, key.pos)))
            .collect();
        let (order, cyclic) = evaluation_order(entries, &bodies, errors);
        for name in &cyclic {
            conditions.values.insert(name.clone(), None);
        }
        for name in order {
            if let Some((body, _)) = bodies.get(name.as_str()) {
                let value = conditions.condition(&name, body, operand, errors);
                conditions.values.insert(name, value);
            }
        }
        conditions
    }

    /// One condition function. Every argument is evaluated (no short cut), so every mistake in
    /// it is reported at once.
    fn condition(
        &self,
        owner: &str,
        node: &Node,
        operand: &dyn Fn(&str, &Node, &mut Errors) -> Option<String>,
        errors: &mut Errors,
    ) -> Option<bool> {
        let Some([(key, argument)]) = node.as_map() else {
            errors.push(owner, node.pos, NOT_A_CONDITION);
            return None;
        };
        match key.name.as_str() {
            "Fn::Equals" => {
                let Some([left, right]) = argument.as_seq() else {
                    errors.push(
                        owner,
                        argument.pos,
                        "Template error: every Fn::Equals object requires a list of 2 string parameters.",
                    );
                    return None;
                };
                let left = operand(owner, left, errors);
                let right = operand(owner, right, errors);
                Some(left? == right?)
            }
            "Fn::And" | "Fn::Or" => {
                let items = argument
                    .as_seq()
                    .filter(|items| (2..=CONDITIONS_IN_AND_OR_MAX).contains(&items.len()));
                let Some(items) = items else {
                    errors.push(
                        owner,
                        argument.pos,
                        format!(
                            "Template error: every {} object requires a list of at least 2 and at most {CONDITIONS_IN_AND_OR_MAX} conditions",
                            key.name
                        ),
                    );
                    return None;
                };
                let values: Vec<Option<bool>> = items
                    .iter()
                    .map(|item| self.condition(owner, item, operand, errors))
                    .collect();
                let values: Option<Vec<bool>> = values.into_iter().collect();
                let values = values?;
                Some(if key.name == "Fn::And" {
                    values.iter().all(|v| *v)
                } else {
                    values.iter().any(|v| *v)
                })
            }
            "Fn::Not" => {
                let Some([item]) = argument.as_seq() else {
                    errors.push(
                        owner,
                        argument.pos,
                        "Template error: every Fn::Not object requires a list of exactly 1 condition",
                    );
                    return None;
                };
                self.condition(owner, item, operand, errors).map(|v| !v)
            }
            "Condition" => {
                let Some(name) = argument.as_str() else {
                    errors.push(
                        owner,
                        argument.pos,
                        "Template error: every Condition object must have a single String value (a condition name)",
                    );
                    return None;
                };
                match self.lookup(name) {
                    Lookup::Value(value) => Some(value),
                    Lookup::Broken => None,
                    Lookup::Undeclared => {
                        errors.push(owner, argument.pos, undeclared(name, "Condition"));
                        None
                    }
                }
            }
            _ => {
                errors.push(owner, node.pos, NOT_A_CONDITION);
                None
            }
        }
    }
}

const NOT_A_CONDITION: &str = "Template format error: Conditions can only be boolean operations on parameters and other conditions";

/// An undeclared condition named by `function` (`Fn::If`, `Condition`, a resource's attribute).
pub fn undeclared(name: &str, function: &str) -> String {
    format!(
        "Template error: unresolved condition dependency {name} in {function} (the Conditions section declares no condition {name})"
    )
}

/// The conditions in an order where each comes after the conditions it names, and the set of
/// conditions on a cycle (each cycle reported once, at its first condition in the document).
fn evaluation_order(
    entries: &[(crate::node::Key, Node)],
    bodies: &BTreeMap<&str, (&Node, Pos)>,
    errors: &mut Errors,
) -> (Vec<String>, BTreeSet<String>) {
    let named: BTreeMap<&str, Vec<&str>> = entries
        .iter()
        .map(|(key, body)| {
            let mut names = Vec::new();
            named_conditions(body, &mut names);
            (key.name.as_str(), names)
        })
        .collect();
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        OnStack,
        Done,
    }
    let mut state: BTreeMap<&str, State> = BTreeMap::new();
    let mut order = Vec::new();
    let mut cyclic = BTreeSet::new();
    for (key, _) in entries {
        let start = key.name.as_str();
        if state.contains_key(start) {
            continue;
        }
        state.insert(start, State::OnStack);
        // Each frame: a condition and how many of the names in it were followed.
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some((name, next)) = stack.last_mut() {
            let name: &str = name;
            let following = named.get(name).and_then(|names| names.get(*next)).copied();
            match following {
                Some(dependency) => {
                    *next += 1;
                    if !bodies.contains_key(dependency) {
                        // Undeclared: reported where it is named, when evaluated.
                        continue;
                    }
                    match state.get(dependency) {
                        None => {
                            state.insert(dependency, State::OnStack);
                            stack.push((dependency, 0));
                        }
                        Some(State::OnStack) => {
                            let from = stack
                                .iter()
                                .position(|(n, _)| *n == dependency)
                                .unwrap_or(0);
                            let cycle: Vec<&str> =
                                stack.iter().skip(from).map(|(n, _)| *n).collect();
                            let first = cycle
                                .iter()
                                .filter_map(|n| bodies.get(n).map(|(_, pos)| (*pos, *n)))
                                .min();
                            if let Some((pos, first)) = first {
                                errors.push(
                                    first,
                                    pos,
                                    format!(
                                        "Template format error: Circular dependency between conditions [{}]",
                                        shown(&cycle)
                                    ),
                                );
                            }
                            cyclic.extend(cycle.iter().map(|n| n.to_string()));
                        }
                        Some(State::Done) => {}
                    }
                }
                None => {
                    state.insert(name, State::Done);
                    order.push(name.to_string());
                    stack.pop();
                }
            }
        }
    }
    order.retain(|name| !cyclic.contains(name));
    (order, cyclic)
}

/// A cycle's names, the first ten of a long one (a generated template may chain thousands).
fn shown(cycle: &[&str]) -> String {
    const SHOWN: usize = 10;
    if cycle.len() <= SHOWN {
        return cycle.join(", ");
    }
    let first: Vec<&str> = cycle.iter().take(SHOWN).copied().collect();
    format!(
        "{}, ... ({} conditions in all)",
        first.join(", "),
        cycle.len()
    )
}

/// The condition names a condition refers to with `{Condition: Name}` (the document tree's
/// depth bounds this walk).
fn named_conditions<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
    match &node.value {
        Value::Map(entries) => {
            if let [(key, argument)] = entries.as_slice() {
                if key.name == "Condition" {
                    if let Some(name) = argument.as_str() {
                        out.push(name);
                    }
                    return;
                }
            }
            for (_, value) in entries {
                named_conditions(value, out);
            }
        }
        Value::Seq(items) => {
            for item in items {
                named_conditions(item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluate a Conditions section written in YAML, where `Ref`s name parameters given here.
    fn check(section: &str, expected: &str) {
        let root = crate::yaml::parse(section).unwrap_or_else(|e| panic!("{e:?}"));
        let parameters = [("Env", "prod"), ("Count", "3")];
        let operand = |owner: &str, node: &Node, errors: &mut Errors| -> Option<String> {
            if let Some(name) = node.get("Ref").and_then(Node::as_str) {
                let found = parameters.iter().find(|(n, _)| *n == name);
                if found.is_none() {
                    errors.push(owner, node.pos, format!("no parameter {name}"));
                }
                return found.map(|(_, v)| v.to_string());
            }
            crate::resolve::scalar_text(node)
        };
        let mut errors = Errors::default();
        let conditions = Conditions::evaluate(root.get("Conditions"), &operand, &mut errors);
        let mut lines: Vec<String> = conditions
            .values
            .iter()
            .map(|(name, value)| format!("{name}={value:?}"))
            .collect();
        errors.list.sort();
        lines.extend(errors.list.iter().map(ToString::to_string));
        assert_eq!(lines.join("\n"), expected);
    }

    #[test]
    fn condition_functions_follow_the_condition_functions_page() {
        check(
            "Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Three: !Equals [!Ref Count, 3]
  Both: !And [!Condition IsProd, !Condition Three]
  Either: {Fn::Or: [{Fn::Not: [{Condition: IsProd}]}, !Equals [a, b]]}
  Later: !Not [!Condition Defined]
  Defined: !Equals ['true', true]
",
            "Both=Some(true)\nDefined=Some(true)\nEither=Some(false)\nIsProd=Some(true)\nLater=Some(false)\nThree=Some(true)",
        );
    }

    #[test]
    fn cycles_are_errors_and_do_not_cascade() {
        check(
            "Conditions:
  A: !Not [!Condition B]
  B: !And [!Condition C, !Condition A]
  C: !Equals [x, x]
  D: !Condition A
  Self: !Not [!Condition Self]
",
            "A=None\nB=None\nC=Some(true)\nD=None\nSelf=None
line 2, column 3: A: Template format error: Circular dependency between conditions [A, B]
line 6, column 3: Self: Template format error: Circular dependency between conditions [Self]",
        );
    }

    #[test]
    fn arity_unknown_names_and_non_conditions_are_errors_with_positions() {
        check(
            "Conditions:
  One: !And [!Equals [a, a]]
  Eleven: !Or [!Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One, !Condition One]
  Two: !Not [!Equals [a, a], !Equals [b, b]]
  Three: !Equals [a, b, c]
  Ghost: !Condition Nowhere
  Plain: true
  Ref: !Ref Env
  Missing: !Equals [!Ref Nope, x]
",
            "Eleven=None\nGhost=None\nMissing=None\nOne=None\nPlain=None\nRef=None\nThree=None\nTwo=None
line 2, column 13: One: Template error: every Fn::And object requires a list of at least 2 and at most 10 conditions
line 3, column 15: Eleven: Template error: every Fn::Or object requires a list of at least 2 and at most 10 conditions
line 4, column 13: Two: Template error: every Fn::Not object requires a list of exactly 1 condition
line 5, column 18: Three: Template error: every Fn::Equals object requires a list of 2 string parameters.
line 6, column 21: Ghost: Template error: unresolved condition dependency Nowhere in Condition (the Conditions section declares no condition Nowhere)
line 7, column 10: Plain: Template format error: Conditions can only be boolean operations on parameters and other conditions
line 8, column 13: Ref: Template format error: Conditions can only be boolean operations on parameters and other conditions
line 9, column 26: Missing: no parameter Nope",
        );
    }

    #[test]
    fn a_long_chain_of_conditions_does_not_overflow_the_stack() {
        let mut text = String::from("Conditions:\n  C0: !Equals [a, a]\n");
        for i in 1..10_000 {
            text.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i - 1));
        }
        let root = crate::yaml::parse(&text).unwrap();
        let operand = |_: &str, node: &Node, _: &mut Errors| crate::resolve::scalar_text(node);
        let mut errors = Errors::default();
        let conditions = Conditions::evaluate(root.get("Conditions"), &operand, &mut errors);
        assert!(errors.list.is_empty());
        assert_eq!(conditions.lookup("C9999"), Lookup::Value(false));
        assert_eq!(conditions.lookup("C9998"), Lookup::Value(true));
    }
}
