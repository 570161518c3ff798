//! Intrinsic functions resolved as CloudFormation would at deploy time: `Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, and the pseudo parameters. The result is
//! the same spanned tree with every intrinsic replaced by its value (an ARN, a name, a URL).
//!
//! Physical names: a resource's name property when given, else its logical id (CloudFormation
//! would generate `stack-LogicalId-RANDOM`; the logical id keeps traces readable). The
//! "Return values" sections of each resource's CloudFormation page decide what `Ref` and each
//! `Fn::GetAtt` attribute give. Recursion is bounded: by the document's nesting limit for
//! values, and by a visiting set for names that refer to other resources.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::Errors;
use crate::ids::uuid_for;
use crate::node::{Node, Pos, Value};

/// A resource as declared, before validation.
#[derive(Debug, Clone)]
pub struct RawResource<'a> {
    pub type_name: String,
    pub pos: Pos,
    pub properties: Option<&'a Node>,
}

/// What a resource is called once deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub arn: String,
    /// SQS queues only.
    pub url: Option<String>,
}

pub struct Resolver<'a> {
    pub account_id: String,
    pub region: String,
    pub stack_name: String,
    pub resources: BTreeMap<String, RawResource<'a>>,
    /// Template parameters with their Default values (a playground has no deploy-time input).
    pub parameters: BTreeMap<String, Node>,
    identities: RefCell<BTreeMap<String, Identity>>,
    visiting: RefCell<BTreeSet<String>>,
}

const UNSUPPORTED: &[&str] = &[
    "Fn::If",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Fn::FindInMap",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Cidr",
    "Condition",
];

impl<'a> Resolver<'a> {
    pub fn new(
        account_id: String,
        region: String,
        stack_name: String,
        resources: BTreeMap<String, RawResource<'a>>,
        parameters: BTreeMap<String, Node>,
    ) -> Resolver<'a> {
        Resolver {
            account_id,
            region,
            stack_name,
            resources,
            parameters,
            identities: RefCell::new(BTreeMap::new()),
            visiting: RefCell::new(BTreeSet::new()),
        }
    }

    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region, self.account_id
        )
    }

    /// A name property resolved quietly (errors are reported when the properties are read).
    fn name_property(&self, logical_id: &str, property: &str) -> Option<String> {
        let raw = self.resources.get(logical_id)?;
        let node = raw.properties?.get(property)?;
        let mut ignored = Errors::default();
        let resolved = self.resolve(logical_id, node, &mut ignored)?;
        resolved.as_str().map(str::to_string)
    }

    fn bool_property(&self, logical_id: &str, property: &str) -> bool {
        let node = self
            .resources
            .get(logical_id)
            .and_then(|raw| raw.properties)
            .and_then(|props| props.get(property));
        match node.map(|n| &n.value) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    /// Name, ARN and URL of a resource (computed once, cycles fall back to the logical id).
    pub fn identity(&self, logical_id: &str) -> Option<Identity> {
        if let Some(found) = self.identities.borrow().get(logical_id) {
            return Some(found.clone());
        }
        let raw = self.resources.get(logical_id)?;
        let first_visit = self.visiting.borrow_mut().insert(logical_id.to_string());
        let named = |property: &str| -> String {
            if first_visit {
                self.name_property(logical_id, property)
                    .unwrap_or_else(|| logical_id.to_string())
            } else {
                logical_id.to_string()
            }
        };
        let identity = match raw.type_name.as_str() {
            "AWS::SQS::Queue" => {
                let mut name = named("QueueName");
                if self.bool_property(logical_id, "FifoQueue") && !name.ends_with(".fifo") {
                    name.push_str(".fifo");
                }
                Identity {
                    arn: self.arn("sqs", &name),
                    url: Some(format!(
                        "https://sqs.{}.amazonaws.com/{}/{name}",
                        self.region, self.account_id
                    )),
                    name,
                }
            }
            "AWS::SNS::Topic" => {
                let mut name = named("TopicName");
                if self.bool_property(logical_id, "FifoTopic") && !name.ends_with(".fifo") {
                    name.push_str(".fifo");
                }
                Identity {
                    arn: self.arn("sns", &name),
                    url: None,
                    name,
                }
            }
            "AWS::SNS::Subscription" => {
                let topic_arn = if first_visit {
                    self.name_property(logical_id, "TopicArn")
                } else {
                    None
                }
                .unwrap_or_else(|| self.arn("sns", "unknown-topic"));
                let id = uuid_for(logical_id);
                Identity {
                    arn: format!("{topic_arn}:{id}"),
                    url: None,
                    name: id,
                }
            }
            "AWS::Events::EventBus" => {
                let name = named("Name");
                Identity {
                    arn: self.arn("events", &format!("event-bus/{name}")),
                    url: None,
                    name,
                }
            }
            "AWS::Events::Rule" => {
                let name = named("Name");
                let bus = if first_visit {
                    self.name_property(logical_id, "EventBusName")
                } else {
                    None
                };
                // A bus given by ARN names the bus after its last '/'.
                let bus = bus.map(|b| b.rsplit('/').next().unwrap_or_default().to_string());
                let resource = match bus.as_deref() {
                    None | Some("default") => format!("rule/{name}"),
                    Some(bus) => format!("rule/{bus}/{name}"),
                };
                Identity {
                    arn: self.arn("events", &resource),
                    url: None,
                    name,
                }
            }
            "AWS::Events::Archive" => {
                let name = named("ArchiveName");
                Identity {
                    arn: self.arn("events", &format!("archive/{name}")),
                    url: None,
                    name,
                }
            }
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
                let name = named("FunctionName");
                Identity {
                    arn: self.arn("lambda", &format!("function:{name}")),
                    url: None,
                    name,
                }
            }
            "AWS::Lambda::EventSourceMapping" => {
                let id = uuid_for(logical_id);
                Identity {
                    arn: self.arn("lambda", &format!("event-source-mapping:{id}")),
                    url: None,
                    name: id,
                }
            }
            other => {
                let service = other
                    .split("::")
                    .nth(1)
                    .unwrap_or("unknown")
                    .to_ascii_lowercase();
                Identity {
                    arn: self.arn(&service, logical_id),
                    url: None,
                    name: logical_id.to_string(),
                }
            }
        };
        if first_visit {
            self.visiting.borrow_mut().remove(logical_id);
            self.identities
                .borrow_mut()
                .insert(logical_id.to_string(), identity.clone());
        }
        Some(identity)
    }

    fn pseudo(&self, name: &str) -> Option<String> {
        Some(match name {
            "AWS::AccountId" => self.account_id.clone(),
            "AWS::Region" => self.region.clone(),
            "AWS::StackName" => self.stack_name.clone(),
            "AWS::Partition" => "aws".to_string(),
            "AWS::URLSuffix" => "amazonaws.com".to_string(),
            "AWS::StackId" => format!(
                "arn:aws:cloudformation:{}:{}:stack/{}/{}",
                self.region,
                self.account_id,
                self.stack_name,
                uuid_for(&self.stack_name)
            ),
            "AWS::NoValue" => String::new(),
            _ => return None,
        })
    }

    /// `Ref`: a parameter's default, a pseudo parameter, or the resource's Ref value.
    fn reference(&self, name: &str) -> Option<String> {
        if let Some(value) = self.pseudo(name) {
            return Some(value);
        }
        if let Some(default) = self.parameters.get(name) {
            return scalar_text(default);
        }
        let raw = self.resources.get(name)?;
        let identity = self.identity(name)?;
        Some(match raw.type_name.as_str() {
            "AWS::SQS::Queue" => identity.url.unwrap_or(identity.arn),
            "AWS::SNS::Topic" | "AWS::SNS::Subscription" => identity.arn,
            _ => identity.name,
        })
    }

    fn attribute(&self, logical_id: &str, attribute: &str) -> Result<String, String> {
        let Some(raw) = self.resources.get(logical_id) else {
            return Err(format!(
                "Template error: instance of Fn::GetAtt references undefined resource {logical_id}"
            ));
        };
        let identity = self.identity(logical_id).ok_or_else(String::new)?;
        let value = match (raw.type_name.as_str(), attribute) {
            ("AWS::SQS::Queue", "Arn") => Some(identity.arn),
            ("AWS::SQS::Queue", "QueueName") => Some(identity.name),
            ("AWS::SQS::Queue", "QueueUrl") => identity.url,
            ("AWS::SNS::Topic", "TopicArn") => Some(identity.arn),
            ("AWS::SNS::Topic", "TopicName") => Some(identity.name),
            ("AWS::Events::EventBus", "Arn") => Some(identity.arn),
            ("AWS::Events::EventBus", "Name") => Some(identity.name),
            ("AWS::Events::Rule", "Arn") => Some(identity.arn),
            ("AWS::Events::Archive", "Arn") => Some(identity.arn),
            ("AWS::Events::Archive", "ArchiveName") => Some(identity.name),
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => Some(identity.arn),
            ("AWS::Lambda::EventSourceMapping", "EventSourceMappingArn") => Some(identity.arn),
            ("AWS::Lambda::EventSourceMapping", "Id") => Some(identity.name),
            (_, "Arn") => Some(identity.arn),
            // Types the playground does not simulate: any attribute resolves to a stand-in, since
            // only simulated resources read their properties.
            (other, _) if !crate::load::SIMULATED.contains(&other) => {
                Some(format!("{}/{attribute}", identity.arn))
            }
            _ => None,
        };
        value.ok_or_else(|| {
            format!(
                "Template error: resource {logical_id} does not support attribute type {attribute} in Fn::GetAtt"
            )
        })
    }

    /// Like [`Resolver::resolve`], but an intrinsic that cannot be resolved becomes null in
    /// place (after its error is recorded), so the rest of the resource can still be read.
    pub fn resolve_lenient(&self, logical_id: &str, node: &Node, errors: &mut Errors) -> Node {
        match &node.value {
            Value::Seq(items) => Node::new(
                Value::Seq(
                    items
                        .iter()
                        .map(|item| self.resolve_lenient(logical_id, item, errors))
                        .collect(),
                ),
                node.pos,
            ),
            Value::Map(entries) => {
                if let [(key, argument)] = entries.as_slice() {
                    if key.name == "Ref" || key.name.starts_with("Fn::") || key.name == "Condition"
                    {
                        return self
                            .intrinsic(logical_id, &key.name, argument, node.pos, errors)
                            .unwrap_or_else(|| Node::new(Value::Null, node.pos));
                    }
                }
                Node::new(
                    Value::Map(
                        entries
                            .iter()
                            .map(|(key, value)| {
                                (key.clone(), self.resolve_lenient(logical_id, value, errors))
                            })
                            .collect(),
                    ),
                    node.pos,
                )
            }
            _ => node.clone(),
        }
    }

    /// Resolve every intrinsic in `node`. Errors go to `errors` under `logical_id`; `None` means
    /// the node could not be resolved (and an error says why).
    pub fn resolve(&self, logical_id: &str, node: &Node, errors: &mut Errors) -> Option<Node> {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.resolve(logical_id, item, errors) {
                        Some(resolved) => out.push(resolved),
                        None => ok = false,
                    }
                }
                ok.then(|| Node::new(Value::Seq(out), node.pos))
            }
            Value::Map(entries) => {
                if let [(key, argument)] = entries.as_slice() {
                    if key.name == "Ref" || key.name.starts_with("Fn::") || key.name == "Condition"
                    {
                        return self.intrinsic(logical_id, &key.name, argument, node.pos, errors);
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                let mut ok = true;
                for (key, value) in entries {
                    match self.resolve(logical_id, value, errors) {
                        Some(resolved) => out.push((key.clone(), resolved)),
                        None => ok = false,
                    }
                }
                ok.then(|| Node::new(Value::Map(out), node.pos))
            }
            _ => Some(node.clone()),
        }
    }

    fn intrinsic(
        &self,
        logical_id: &str,
        function: &str,
        argument: &Node,
        pos: Pos,
        errors: &mut Errors,
    ) -> Option<Node> {
        let string = |s: String| Some(Node::new(Value::String(s), pos));
        match function {
            "Ref" => {
                let Some(name) = argument.as_str() else {
                    errors.push(
                        logical_id,
                        argument.pos,
                        "Template error: every Ref object must have a single String value.",
                    );
                    return None;
                };
                match self.reference(name) {
                    Some(value) => string(value),
                    None => {
                        errors.push(logical_id, argument.pos, unresolved(name));
                        None
                    }
                }
            }
            "Fn::GetAtt" => {
                let resolved = self.resolve(logical_id, argument, errors)?;
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
                let resolved = self.resolve(logical_id, argument, errors)?;
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
                let resolved = self.resolve(logical_id, argument, errors)?;
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
                let resolved = self.resolve(logical_id, argument, errors)?;
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
            other if UNSUPPORTED.contains(&other) => {
                errors.push(
                    logical_id,
                    pos,
                    format!("{other} is not supported by Eventyard's template loader"),
                );
                None
            }
            // A map whose only key looks like an intrinsic but is not one: keep it as data.
            _ => {
                let value = self.resolve(logical_id, argument, errors)?;
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
                    let resolved = self.resolve(logical_id, vars, errors)?;
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
                    errors.push(logical_id, pos, unresolved(name));
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

const SUB_SHAPE: &str =
    "Template error: Fn::Sub takes a string, or a list of a string and a map of variables";

fn unresolved(name: &str) -> String {
    format!(
        "Template format error: Unresolved resource dependencies [{name}] in the Resources block of the template"
    )
}

/// A scalar as the text CloudFormation would substitute.
pub fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
