//! Intrinsic functions resolved as CloudFormation would at deploy time: `Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap` (with the
//! LanguageExtensions `DefaultValue`), `Fn::GetAZs` (three zones a, b, c per region: ours), and
//! the pseudo parameters. The
//! result is the same spanned tree with every intrinsic replaced by its value (an ARN, a name, a
//! URL), and every `Ref: AWS::NoValue` removed with its key (in a mapping) or item (in a list).
//!
//! Conditions: the `Conditions` section is evaluated first (`conditions`); `Fn::If` resolves
//! only the branch its condition picks, and a resource whose `Condition` is false is left out
//! entirely, so naming it elsewhere is CloudFormation's "Unresolved resource dependencies" error
//! with the condition that left it out.
//!
//! Physical names: a resource's name property when given, else its logical id (CloudFormation
//! would generate `stack-LogicalId-RANDOM`; the logical id keeps traces readable). The
//! "Return values" sections of each resource's CloudFormation page decide what `Ref` and each
//! `Fn::GetAtt` attribute give. Recursion is bounded: by the document's nesting limit for
//! values, and for names that refer to other resources by computing identities in dependency
//! order (`order.rs`), so each reads only identities already known; a cycle is
//! CloudFormation's "Circular dependency" error.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

mod intrinsics;
mod order;

use crate::conditions::{self, Conditions, Lookup};
use crate::error::Errors;
use crate::ids::uuid_for;
use crate::node::{Node, Pos, Value};

/// A resource as declared, before validation.
#[derive(Debug, Clone)]
pub struct RawResource<'a> {
    pub type_name: String,
    pub pos: Pos,
    pub properties: Option<&'a Node>,
    /// The resource's `Condition` attribute (a condition name), when it has one.
    pub condition: Option<&'a Node>,
    /// The resource's `DependsOn` attribute, when it has one.
    pub depends_on: Option<&'a Node>,
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
    /// Template parameters with their values: the Default, or the value given under
    /// `Metadata: Eventyard: Parameters` (a playground has no deploy-time input).
    pub parameters: BTreeMap<String, Node>,
    /// Parameters declared without a value (a `Ref` to one is CloudFormation's "must have
    /// values" error, not an unknown name).
    pub without_value: BTreeSet<String>,
    /// The template's `Mappings` section, for `Fn::FindInMap`.
    pub mappings: Option<&'a Node>,
    conditions: Conditions,
    /// Resources left out because their condition is false, with that condition's name.
    excluded: BTreeMap<String, String>,
    /// While the Conditions section is evaluated: `Ref` may name parameters only.
    in_conditions: Cell<bool>,
    identities: RefCell<BTreeMap<String, Identity>>,
    visiting: RefCell<BTreeSet<String>>,
    /// Resources on or after a dependency cycle: named from their logical ids alone.
    cyclic: RefCell<BTreeSet<String>>,
}

/// What resolving a value gives.
enum Resolved {
    Value(Node),
    /// `Ref: AWS::NoValue` (perhaps through `Fn::If`): the key or item holding it disappears.
    NoValue,
    /// An error says why.
    Failed,
}

impl Resolved {
    fn from_option(node: Option<Node>) -> Resolved {
        node.map_or(Resolved::Failed, Resolved::Value)
    }
}

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
            without_value: BTreeSet::new(),
            mappings: None,
            conditions: Conditions::default(),
            excluded: BTreeMap::new(),
            in_conditions: Cell::new(false),
            identities: RefCell::new(BTreeMap::new()),
            visiting: RefCell::new(BTreeSet::new()),
            cyclic: RefCell::new(BTreeSet::new()),
        }
    }

    /// Evaluate the Conditions section, then leave out every resource whose `Condition` is
    /// false. Returns the resources left out, each with its condition. A resource whose
    /// condition could not be evaluated is kept (its error is recorded), so references to it do
    /// not add errors of their own.
    pub fn apply_conditions(
        &mut self,
        section: Option<&Node>,
        errors: &mut Errors,
    ) -> BTreeMap<String, String> {
        let operand = |owner: &str, node: &Node, errors: &mut Errors| {
            self.condition_operand(owner, node, errors)
        };
        let evaluated = Conditions::evaluate(section, &operand, errors);
        self.conditions = evaluated;
        let mut excluded = BTreeMap::new();
        for (logical_id, raw) in &self.resources {
            let Some(node) = raw.condition else {
                continue;
            };
            let Some(name) = node.as_str() else {
                errors.push(
                    logical_id,
                    node.pos,
                    "Template format error: a resource's Condition must be the name of a condition",
                );
                continue;
            };
            match self.conditions.lookup(name) {
                Lookup::Value(true) | Lookup::Broken => {}
                Lookup::Value(false) => {
                    excluded.insert(logical_id.clone(), name.to_string());
                }
                Lookup::Undeclared => errors.push(
                    logical_id,
                    node.pos,
                    conditions::undeclared(name, "the resource's Condition"),
                ),
            }
        }
        self.resources.retain(|id, _| !excluded.contains_key(id));
        self.excluded = excluded.clone();
        excluded
    }

    /// A `Fn::Equals` operand as text: `Ref`s may name parameters and pseudo parameters only
    /// ("You can only reference other conditions and values from the Parameters and Mappings
    /// sections"); CloudFormation compares the values as strings.
    fn condition_operand(&self, owner: &str, node: &Node, errors: &mut Errors) -> Option<String> {
        self.in_conditions.set(true);
        let resolved = self.walk(owner, node, errors, false);
        self.in_conditions.set(false);
        match resolved {
            Resolved::Value(node) => Some(match &node.value {
                Value::Null => String::new(),
                _ => scalar_text(&node).unwrap_or_else(|| node.to_json().to_string()),
            }),
            Resolved::NoValue => Some(String::new()),
            Resolved::Failed => None,
        }
    }

    /// Why `name` cannot be referenced, in CloudFormation's words, with what left it out.
    fn unresolved(&self, name: &str) -> String {
        if self.in_conditions.get() && self.resources.contains_key(name) {
            return format!(
                "Template format error: Unresolved dependencies [{name}]. Cannot reference resources in the Conditions block of the template"
            );
        }
        if self.without_value.contains(name) {
            return format!(
                "Parameters: [{name}] must have values (give the parameter a Default, or a value under Metadata: Eventyard: Parameters)"
            );
        }
        let mut message = format!(
            "Template format error: Unresolved resource dependencies [{name}] in the Resources block of the template"
        );
        if let Some(condition) = self.excluded.get(name) {
            message.push_str(&format!(
                " ({name} is left out because its condition {condition} is false)"
            ));
        }
        message
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

    /// A boolean property. Resolved quietly when `resolve` (so `FifoQueue: !If [...]` counts;
    /// errors are reported when the properties are read), else read as written: a resource met
    /// again while its own identity is computed must not resolve again, or a cycle would recurse
    /// without end.
    fn bool_property(&self, logical_id: &str, property: &str, resolve: bool) -> bool {
        let node = self
            .resources
            .get(logical_id)
            .and_then(|raw| raw.properties)
            .and_then(|props| props.get(property));
        let resolved = match node {
            Some(node) if resolve => self.resolve(logical_id, node, &mut Errors::default()),
            other => other.cloned(),
        };
        match resolved.as_ref().map(|n| &n.value) {
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
        let cyclic = self.cyclic.borrow().contains(logical_id);
        let first_visit = !cyclic && self.visiting.borrow_mut().insert(logical_id.to_string());
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
                if self.bool_property(logical_id, "FifoQueue", first_visit)
                    && !name.ends_with(".fifo")
                {
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
                if self.bool_property(logical_id, "FifoTopic", first_visit)
                    && !name.ends_with(".fifo")
                {
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
            "AWS::Cognito::UserPool" => {
                let name = crate::ids::user_pool_id(&self.region, logical_id);
                Identity {
                    arn: self.arn("cognito-idp", &format!("userpool/{name}")),
                    url: Some(format!(
                        "https://cognito-idp.{}.amazonaws.com/{name}",
                        self.region
                    )),
                    name,
                }
            }
            "AWS::Cognito::UserPoolClient" => Identity {
                name: crate::ids::user_pool_client_id(logical_id),
                arn: String::new(),
                url: None,
            },
            "AWS::Cognito::UserPoolDomain" => Identity {
                name: named("Domain"),
                arn: String::new(),
                url: None,
            },
            "AWS::Cognito::UserPoolGroup" => Identity {
                name: named("GroupName"),
                arn: String::new(),
                url: None,
            },
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
        }
        if first_visit || cyclic {
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
        if self.in_conditions.get() {
            return None;
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
        if self.in_conditions.get() {
            return Err(format!(
                "Template format error: Unresolved dependencies [{logical_id}]. Cannot reference resources in the Conditions block of the template"
            ));
        }
        let Some(raw) = self.resources.get(logical_id) else {
            let mut message = format!(
                "Template error: instance of Fn::GetAtt references undefined resource {logical_id}"
            );
            if let Some(condition) = self.excluded.get(logical_id) {
                message.push_str(&format!(
                    " ({logical_id} is left out because its condition {condition} is false)"
                ));
            }
            return Err(message);
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
            // CloudFormation page "AWS::Cognito::UserPool", Return values.
            ("AWS::Cognito::UserPool", "UserPoolId") => Some(identity.name),
            ("AWS::Cognito::UserPool", "ProviderName") => identity
                .url
                .map(|url| url.trim_start_matches("https://").to_string()),
            ("AWS::Cognito::UserPool", "ProviderURL") => identity.url,
            ("AWS::Cognito::UserPoolClient", "ClientId") => Some(identity.name),
            ("AWS::Cognito::UserPoolClient", "Name") => self
                .name_property(logical_id, "ClientName")
                .or(Some(logical_id.to_string())),
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
    /// `None`: the whole value is `AWS::NoValue` (as if the property were not there).
    pub fn resolve_lenient(
        &self,
        logical_id: &str,
        node: &Node,
        errors: &mut Errors,
    ) -> Option<Node> {
        match self.walk(logical_id, node, errors, true) {
            Resolved::Value(node) => Some(node),
            Resolved::NoValue => None,
            Resolved::Failed => Some(Node::new(Value::Null, node.pos)),
        }
    }

    /// Resolve every intrinsic in `node`. Errors go to `errors` under `logical_id`; `None` means
    /// the node could not be resolved (and an error says why), or is `AWS::NoValue` as a whole.
    pub fn resolve(&self, logical_id: &str, node: &Node, errors: &mut Errors) -> Option<Node> {
        match self.walk(logical_id, node, errors, false) {
            Resolved::Value(node) => Some(node),
            Resolved::NoValue | Resolved::Failed => None,
        }
    }

    /// An intrinsic function's argument: resolved strictly, and never `AWS::NoValue` as a whole.
    fn argument(&self, logical_id: &str, node: &Node, errors: &mut Errors) -> Option<Node> {
        match self.walk(logical_id, node, errors, false) {
            Resolved::Value(node) => Some(node),
            Resolved::NoValue => {
                errors.push(
                    logical_id,
                    node.pos,
                    "Template error: AWS::NoValue can only stand for a property value or a list item",
                );
                None
            }
            Resolved::Failed => None,
        }
    }

    /// The one walk behind both: `lenient` turns a failed intrinsic into null in place, else a
    /// failure fails every container holding it.
    fn walk(&self, logical_id: &str, node: &Node, errors: &mut Errors, lenient: bool) -> Resolved {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.walk(logical_id, item, errors, lenient) {
                        Resolved::Value(resolved) => out.push(resolved),
                        Resolved::NoValue => {}
                        Resolved::Failed => ok = false,
                    }
                }
                if ok {
                    Resolved::Value(Node::new(Value::Seq(out), node.pos))
                } else {
                    Resolved::Failed
                }
            }
            Value::Map(entries) => {
                if let [(key, argument)] = entries.as_slice() {
                    if key.name == "Ref" || key.name.starts_with("Fn::") {
                        return match self
                            .intrinsic(logical_id, &key.name, argument, node.pos, errors, lenient)
                        {
                            Resolved::Failed if lenient => {
                                Resolved::Value(Node::new(Value::Null, node.pos))
                            }
                            other => other,
                        };
                    }
                }
                let mut out = Vec::with_capacity(entries.len());
                let mut ok = true;
                for (key, value) in entries {
                    match self.walk(logical_id, value, errors, lenient) {
                        Resolved::Value(resolved) => out.push((key.clone(), resolved)),
                        Resolved::NoValue => {}
                        Resolved::Failed => ok = false,
                    }
                }
                if ok {
                    Resolved::Value(Node::new(Value::Map(out), node.pos))
                } else {
                    Resolved::Failed
                }
            }
            _ => Resolved::Value(node.clone()),
        }
    }
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
