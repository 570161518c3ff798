//! The intrinsic functions of a resolved value: `Ref`, `Fn::If` (only the chosen branch),
//! `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
//! `Fn::GetAZs`; condition functions outside the Conditions section and the functions Eventyard
//! does not support are positioned errors.

use std::collections::BTreeMap;

use crate::conditions::{self, Lookup};
use crate::error::Errors;
use crate::node::{Node, Pos, Value};

use super::{scalar_text, Resolved, Resolver};

const UNSUPPORTED: &[&str] = &["Fn::ImportValue", "Fn::Base64", "Fn::Cidr"];

/// The Availability Zones `Fn::GetAZs` lists: three per region (ours; regions have 3 to 6).
const AZ_SUFFIXES: [&str; 3] = ["a", "b", "c"];

/// Condition functions other than `Fn::If` belong in the Conditions section only.
const CONDITION_ONLY: &[&str] = &["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"];

const SUB_SHAPE: &str =
    "Template error: Fn::Sub takes a string, or a list of a string and a map of variables";

impl Resolver<'_> {
    pub(super) fn intrinsic(
        &self,
        logical_id: &str,
        function: &str,
        argument: &Node,
        pos: Pos,
        errors: &mut Errors,
        lenient: bool,
    ) -> Resolved {
        match function {
            "Ref" => {
                let Some(name) = argument.as_str() else {
                    errors.push(
                        logical_id,
                        argument.pos,
                        "Template error: every Ref object must have a single String value.",
                    );
                    return Resolved::Failed;
                };
                if name == "AWS::NoValue" {
                    return Resolved::NoValue;
                }
                match self.reference(name) {
                    Some(value) => Resolved::Value(Node::new(Value::String(value), pos)),
                    None => {
                        errors.push(logical_id, argument.pos, self.unresolved(name));
                        Resolved::Failed
                    }
                }
            }
            "Fn::If" => self.if_(logical_id, argument, errors, lenient),
            other if CONDITION_ONLY.contains(&other) => {
                errors.push(
                    logical_id,
                    pos,
                    format!(
                        "Template error: {other} can only be used in the Conditions section; name a condition from there in Fn::If"
                    ),
                );
                Resolved::Failed
            }
            other if UNSUPPORTED.contains(&other) => {
                errors.push(
                    logical_id,
                    pos,
                    format!("{other} is not supported by Eventyard's template loader"),
                );
                Resolved::Failed
            }
            _ => Resolved::from_option(
                self.value_function(logical_id, function, argument, pos, errors),
            ),
        }
    }

    /// `Fn::If: [condition, value_if_true, value_if_false]`: only the chosen branch is resolved
    /// (the other may name a resource its condition leaves out), and it may be
    /// `Ref: AWS::NoValue`.
    fn if_(
        &self,
        logical_id: &str,
        argument: &Node,
        errors: &mut Errors,
        lenient: bool,
    ) -> Resolved {
        let Some([name, when_true, when_false]) = argument.as_seq() else {
            errors.push(
                logical_id,
                argument.pos,
                "Template error: Fn::If requires a list argument with three elements",
            );
            return Resolved::Failed;
        };
        let Some(condition) = name.as_str() else {
            errors.push(
                logical_id,
                name.pos,
                "Template error: Fn::If requires a condition name as its first element",
            );
            return Resolved::Failed;
        };
        match self.conditions.lookup(condition) {
            Lookup::Value(true) => self.walk(logical_id, when_true, errors, lenient),
            Lookup::Value(false) => self.walk(logical_id, when_false, errors, lenient),
            Lookup::Broken => Resolved::Failed,
            Lookup::Undeclared => {
                errors.push(
                    logical_id,
                    name.pos,
                    conditions::undeclared(condition, "Fn::If"),
                );
                Resolved::Failed
            }
        }
    }

    /// `Fn::FindInMap: [MapName, TopLevelKey, SecondLevelKey]` (each may be an intrinsic), with
    /// the optional fourth `{DefaultValue: v}` of the AWS::LanguageExtensions transform.
    fn find_in_map(&self, logical_id: &str, argument: &Node, errors: &mut Errors) -> Option<Node> {
        let resolved = self.argument(logical_id, argument, errors)?;
        let items = resolved.as_seq().unwrap_or(&[]);
        let keys: Option<Vec<String>> = items.iter().take(3).map(scalar_text).collect();
        let (Some([map, top, second]), 3..=4) = (keys.as_deref(), items.len()) else {
            errors.push(
                logical_id,
                argument.pos,
                "Template error: Fn::FindInMap requires a list of a map name, a top-level key and a second-level key",
            );
            return None;
        };
        let found = self
            .mappings
            .and_then(|m| m.get(map))
            .and_then(|entry| entry.get(top))
            .and_then(|entry| entry.get(second));
        // A Mappings section holds literals only ("Mappings" in the template anatomy), so a
        // value found there is taken as written: no intrinsic in it can loop back here.
        if let Some(value) = found {
            return Some(value.clone());
        }
        match items.get(3).and_then(|d| d.get("DefaultValue")) {
            Some(value) => Some(value.clone()),
            None => {
                errors.push(
                    logical_id,
                    argument.pos,
                    format!("Template error: Unable to get mapping for {map}::{top}::{second}"),
                );
                None
            }
        }
    }

    /// The intrinsics that compute a value from their argument.
    fn value_function(
        &self,
        logical_id: &str,
        function: &str,
        argument: &Node,
        pos: Pos,
        errors: &mut Errors,
    ) -> Option<Node> {
        let string = |s: String| Some(Node::new(Value::String(s), pos));
        match function {
            "Fn::GetAtt" => {
                let resolved = self.argument(logical_id, argument, errors)?;
                let parts: Option<Vec<&str>> = resolved
                    .as_seq()
                    .map(|items| items.iter().filter_map(Node::as_str).collect());
                match parts.as_deref() {
                    Some([resource, attribute]) => match self.attribute(resource, attribute) {
                        Ok(value) => string(value),
                        Err(message) => {
                            errors.push(logical_id, argument.pos, message);
                            None
                        }
                    },
                    _ => {
                        errors.push(
                            logical_id,
                            argument.pos,
                            "Template error: every Fn::GetAtt object requires two non-empty parameters",
                        );
                        None
                    }
                }
            }
            "Fn::Sub" => self.sub(logical_id, argument, pos, errors).and_then(string),
            "Fn::Join" => {
                let resolved = self.argument(logical_id, argument, errors)?;
                if let Some([delimiter, list]) = resolved.as_seq() {
                    if let (Some(delimiter), Some(items)) = (delimiter.as_str(), list.as_seq()) {
                        let texts: Option<Vec<String>> = items.iter().map(scalar_text).collect();
                        if let Some(texts) = texts {
                            return string(texts.join(delimiter));
                        }
                    }
                }
                errors.push(
                    logical_id,
                    argument.pos,
                    "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined",
                );
                None
            }
            "Fn::Select" => {
                let resolved = self.argument(logical_id, argument, errors)?;
                if let Some([index, list]) = resolved.as_seq() {
                    let index = scalar_text(index).and_then(|t| t.parse::<usize>().ok());
                    if let (Some(index), Some(items)) = (index, list.as_seq()) {
                        if let Some(item) = items.get(index) {
                            return Some(item.clone());
                        }
                    }
                }
                errors.push(
                    logical_id,
                    argument.pos,
                    "Template error: Fn::Select requires an index within a list",
                );
                None
            }
            "Fn::Split" => {
                let resolved = self.argument(logical_id, argument, errors)?;
                if let Some([delimiter, source]) = resolved.as_seq() {
                    if let (Some(delimiter), Some(source)) = (delimiter.as_str(), source.as_str()) {
                        if !delimiter.is_empty() {
                            let items = source
                                .split(delimiter)
                                .map(|part| Node::new(Value::String(part.to_string()), pos))
                                .collect();
                            return Some(Node::new(Value::Seq(items), pos));
                        }
                    }
                }
                errors.push(
                    logical_id,
                    argument.pos,
                    "Template error: Fn::Split requires a delimiter and a string",
                );
                None
            }
            "Fn::FindInMap" => self.find_in_map(logical_id, argument, errors),
            "Fn::GetAZs" => {
                let resolved = self.argument(logical_id, argument, errors)?;
                let region = match resolved.as_str() {
                    Some("") => self.region.clone(),
                    Some(region) => region.to_string(),
                    None => {
                        errors.push(
                            logical_id,
                            argument.pos,
                            "Template error: Fn::GetAZs requires a region name or an empty string",
                        );
                        return None;
                    }
                };
                let zones = AZ_SUFFIXES
                    .iter()
                    .map(|zone| Node::new(Value::String(format!("{region}{zone}")), pos))
                    .collect();
                Some(Node::new(Value::Seq(zones), pos))
            }
            // A map whose only key looks like an intrinsic but is not one: keep it as data.
            _ => {
                let value = self.argument(logical_id, argument, errors)?;
                let key = crate::node::Key {
                    name: function.to_string(),
                    pos,
                };
                Some(Node::new(Value::Map(vec![(key, value)]), pos))
            }
        }
    }

    /// `Fn::Sub`: `${Name}`, `${Resource.Attribute}`, `${AWS::Region}`, `${!Literal}`, with an
    /// optional map of variables.
    fn sub(
        &self,
        logical_id: &str,
        argument: &Node,
        pos: Pos,
        errors: &mut Errors,
    ) -> Option<String> {
        let (text, variables) = match &argument.value {
            Value::String(text) => (text.clone(), BTreeMap::new()),
            Value::Seq(items) => match items.as_slice() {
                [text, vars] => {
                    let text = text.as_str().map(str::to_string);
                    let resolved = self.argument(logical_id, vars, errors)?;
                    let vars: Option<BTreeMap<String, String>> = resolved.as_map().and_then(|m| {
                        m.iter()
                            .map(|(k, v)| scalar_text(v).map(|t| (k.name.clone(), t)))
                            .collect()
                    });
                    match (text, vars) {
                        (Some(text), Some(vars)) => (text, vars),
                        _ => {
                            errors.push(logical_id, argument.pos, SUB_SHAPE);
                            return None;
                        }
                    }
                }
                _ => {
                    errors.push(logical_id, argument.pos, SUB_SHAPE);
                    return None;
                }
            },
            _ => {
                errors.push(logical_id, argument.pos, SUB_SHAPE);
                return None;
            }
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        let mut ok = true;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = if let Some(value) = variables.get(name) {
                Some(value.clone())
            } else if let Some((resource, attribute)) =
                name.split_once('.').filter(|_| !name.starts_with("AWS::"))
            {
                match self.attribute(resource, attribute) {
                    Ok(value) => Some(value),
                    Err(message) => {
                        errors.push(logical_id, pos, message);
                        ok = false;
                        None
                    }
                }
            } else {
                let value = self.reference(name);
                if value.is_none() {
                    errors.push(logical_id, pos, self.unresolved(name));
                    ok = false;
                }
                value
            };
            if let Some(value) = value {
                out.push_str(&value);
            }
        }
        out.push_str(rest);
        ok.then_some(out)
    }
}
