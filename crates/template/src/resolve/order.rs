//! The order CloudFormation creates resources in: every resource after the resources it names
//! (`Ref`, `Fn::GetAtt`, `Fn::Sub`'s `${X}` and `${X.Attr}`, and `DependsOn`), and
//! CloudFormation's "Circular dependency between resources: [...]" when no such order exists
//! (AWS re:Post knowledge center, "cloudformation-circular-dependency-sam": the error lists the
//! resources of the cycle).
//!
//! Identities (names, ARNs, URLs) are then computed in that order, so computing one only ever
//! reads identities already known: the depth of the work no longer follows the length of a
//! chain of references (a chain of 12,000 `!GetAtt Qn.QueueName` used to overflow the stack).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::conditions::Lookup;
use crate::error::Errors;
use crate::node::{Node, Value};

use super::Resolver;

impl Resolver<'_> {
    /// Compute every resource's identity in dependency order, and report each cycle (and each
    /// `DependsOn` naming no resource) as CloudFormation does. Resources on or between cycles
    /// get identities from their logical ids alone (an error is reported for them anyway).
    pub fn order_resources(&self, errors: &mut Errors) {
        let ids: Vec<&String> = self.resources.keys().collect();
        let index: BTreeMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        // needs[i]: the resources i names; named_by[j]: the resources naming j.
        let mut needs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ids.len()];
        for (i, id) in ids.iter().enumerate() {
            let Some(raw) = self.resources.get(id.as_str()) else {
                continue;
            };
            let mut names = BTreeSet::new();
            if let Some(properties) = raw.properties {
                // SAM turns a function's `Events` and `EventInvokeConfig` into resources of
                // their own (event source mappings, subscriptions, rules, an
                // AWS::Lambda::EventInvokeConfig) that name the function: what they name is
                // their dependency, not the function's (a function may be its own destination).
                let sam = raw.type_name == "AWS::Serverless::Function";
                match properties.as_map() {
                    Some(entries) if sam => {
                        for (key, value) in entries {
                            if key.name != "Events" && key.name != "EventInvokeConfig" {
                                self.names_in(value, &mut names);
                            }
                        }
                    }
                    _ => self.names_in(properties, &mut names),
                }
            }
            if let Some(depends_on) = raw.depends_on {
                self.depends_on(id, depends_on, &mut names, errors);
            }
            needs[i] = names
                .iter()
                .filter_map(|name| index.get(name.as_str()).copied())
                .collect();
        }
        let mut named_by: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
        for (i, set) in needs.iter().enumerate() {
            for &j in set {
                if let Some(list) = named_by.get_mut(j) {
                    list.push(i);
                }
            }
        }
        // Kahn's algorithm: a resource is ready when everything it names is.
        let mut waiting: Vec<usize> = needs.iter().map(BTreeSet::len).collect();
        let mut ready: VecDeque<usize> = (0..ids.len()).filter(|&i| waiting[i] == 0).collect();
        let mut done = vec![false; ids.len()];
        while let Some(i) = ready.pop_front() {
            done[i] = true;
            if let Some(id) = ids.get(i) {
                self.identity(id);
            }
            for &k in named_by.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(count) = waiting.get_mut(k) {
                    *count -= 1;
                    if *count == 0 {
                        ready.push_back(k);
                    }
                }
            }
        }
        if done.iter().all(|d| *d) {
            return;
        }
        // What is left waits on a cycle. Peel off the resources that only depend on one (no
        // remaining resource names them): the rest are the cycles and what lies between them.
        let mut in_cycle: Vec<bool> = done.iter().map(|d| !d).collect();
        let mut named: Vec<usize> = vec![0; ids.len()];
        for (i, set) in needs.iter().enumerate() {
            if in_cycle[i] {
                for &j in set {
                    if in_cycle[j] {
                        named[j] += 1;
                    }
                }
            }
        }
        let mut unnamed: Vec<usize> = (0..ids.len())
            .filter(|&i| in_cycle[i] && named[i] == 0)
            .collect();
        while let Some(i) = unnamed.pop() {
            in_cycle[i] = false;
            for &j in &needs[i] {
                if in_cycle[j] {
                    named[j] -= 1;
                    if named[j] == 0 {
                        unnamed.push(j);
                    }
                }
            }
        }
        let cycle: Vec<&str> = (0..ids.len())
            .filter(|&i| in_cycle[i])
            .filter_map(|i| ids.get(i).map(|id| id.as_str()))
            .collect();
        if let Some(first) = cycle.first() {
            let pos = self
                .resources
                .get(*first)
                .map(|r| r.pos)
                .unwrap_or_default();
            errors.push(
                first,
                pos,
                format!(
                    "Circular dependency between resources: [{}]",
                    cycle.join(", ")
                ),
            );
        }
        // Every resource not yet known is named from its logical id alone, so nothing below
        // resolves through the cycle again.
        for (i, id) in ids.iter().enumerate() {
            if !done[i] {
                self.cyclic.borrow_mut().insert(id.to_string());
            }
        }
        for (i, id) in ids.iter().enumerate() {
            if !done[i] {
                self.identity(id);
            }
        }
    }

    /// `DependsOn`: a resource name or a list of them, each a resource of the template.
    fn depends_on(
        &self,
        owner: &str,
        node: &Node,
        names: &mut BTreeSet<String>,
        errors: &mut Errors,
    ) {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        for item in items {
            match item.as_str() {
                Some(name) if self.resources.contains_key(name) => {
                    names.insert(name.to_string());
                }
                Some(name) => errors.push(owner, item.pos, self.unresolved(name)),
                None => errors.push(
                    owner,
                    item.pos,
                    "Template format error: DependsOn must be a resource name or a list of resource names",
                ),
            }
        }
    }

    /// The names an unresolved value refers to. Recursion follows the document's nesting,
    /// which the YAML reader limits; `Fn::If` follows the branch its condition picks, as
    /// resolution does.
    fn names_in(&self, node: &Node, names: &mut BTreeSet<String>) {
        match &node.value {
            Value::Seq(items) => {
                for item in items {
                    self.names_in(item, names);
                }
            }
            Value::Map(entries) => {
                if let [(key, argument)] = entries.as_slice() {
                    match key.name.as_str() {
                        "Ref" => {
                            if let Some(name) = argument.as_str() {
                                names.insert(name.to_string());
                            }
                            return;
                        }
                        "Fn::GetAtt" => {
                            match &argument.value {
                                Value::String(text) => {
                                    let resource = text.split_once('.').map_or(&**text, |p| p.0);
                                    names.insert(resource.to_string());
                                }
                                Value::Seq(items) => {
                                    if let Some(name) = items.first().and_then(Node::as_str) {
                                        names.insert(name.to_string());
                                    }
                                    for item in items {
                                        self.names_in(item, names);
                                    }
                                }
                                _ => self.names_in(argument, names),
                            }
                            return;
                        }
                        "Fn::Sub" => {
                            let (text, variables) = match &argument.value {
                                Value::String(text) => (Some(text.as_str()), None),
                                Value::Seq(items) => {
                                    (items.first().and_then(Node::as_str), items.get(1))
                                }
                                _ => (None, None),
                            };
                            let declared: BTreeSet<&str> = variables
                                .and_then(Node::as_map)
                                .map(|m| m.iter().map(|(k, _)| k.name.as_str()).collect())
                                .unwrap_or_default();
                            if let Some(text) = text {
                                for name in sub_names(text) {
                                    if !declared.contains(name) {
                                        let resource = name.split_once('.').map_or(name, |p| p.0);
                                        names.insert(resource.to_string());
                                    }
                                }
                            }
                            if let Some(variables) = variables {
                                self.names_in(variables, names);
                            }
                            return;
                        }
                        "Fn::If" => {
                            if let Some([condition, when_true, when_false]) = argument.as_seq() {
                                match condition.as_str().map(|c| self.conditions.lookup(c)) {
                                    Some(Lookup::Value(true)) => self.names_in(when_true, names),
                                    Some(Lookup::Value(false)) => self.names_in(when_false, names),
                                    _ => {}
                                }
                            }
                            return;
                        }
                        _ => {}
                    }
                }
                for (_, value) in entries {
                    self.names_in(value, names);
                }
            }
            _ => {}
        }
    }
}

/// The variable names of an `Fn::Sub` text: `${Name}` and `${Resource.Attribute}`, not the
/// literal `${!Text}`.
fn sub_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}
