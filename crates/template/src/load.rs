//! The loader's pipeline: text → spanned tree → intrinsics resolved → validated [`Template`].
//! Each resource is read by its service's module; cross-resource checks (does that ARN name a
//! queue of this template? is the DLQ the same kind of queue?) run last. Every error is
//! collected, then all are returned sorted by position.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Errors, TemplateError};
use crate::limits;
use crate::model::{EventBus, Origin, Playground, Template};
use crate::node::{Node, Pos, Value};
use crate::playground::{self, Lookup, OWNER};
use crate::props::{integer_of, Props};
use crate::resolve::{scalar_text, RawResource, Resolver};
use crate::{cognito, events, invoke_config, lambda, sns, sqs, time, validate, yaml};

pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
pub const DEFAULT_REGION: &str = "us-east-1";
pub const DEFAULT_STACK_NAME: &str = "eventyard";
/// Virtual time zero when the template does not say: 2026-01-01T00:00:00Z.
pub const DEFAULT_START_TIME_MS: u64 = 1_767_225_600_000;

/// Settings that win over the template's own (`None` keeps the template's or the default).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub seed: Option<u64>,
}

const TOP_LEVEL: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Globals",
    "Resources",
    "Outputs",
];

/// Resource types the simulator runs.
pub const SIMULATED: &[&str] = &[
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
    "AWS::Events::Archive",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::SQS::Queue",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup",
];

/// Load a template with the default settings.
pub fn load(text: &str) -> Result<Template, Vec<TemplateError>> {
    load_with(text, &Overrides::default())
}

fn literal<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    node?.get(key)
}

pub fn load_with(text: &str, overrides: &Overrides) -> Result<Template, Vec<TemplateError>> {
    let root = yaml::parse(text)?;
    let mut errors = Errors::default();
    let Some(top) = root.as_map() else {
        return Err(vec![TemplateError::at(
            None,
            root.pos,
            "Template format error: JSON not well-formed or YAML not well-formed: the template must be an object".into(),
        )]);
    };
    for (key, _) in top {
        if !TOP_LEVEL.contains(&key.name.as_str()) {
            errors.push_global(
                key.pos,
                format!(
                    "Template format error: Invalid template property or properties [{}]",
                    key.name
                ),
            );
        }
    }
    let settings = root.get("Metadata").and_then(|m| m.get("Eventyard"));
    let text_setting = |key: &str| {
        literal(settings, key)
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let account_id = overrides
        .account_id
        .clone()
        .or_else(|| text_setting("AccountId"))
        .unwrap_or_else(|| DEFAULT_ACCOUNT_ID.into());
    if account_id.len() != 12 || !account_id.chars().all(|c| c.is_ascii_digit()) {
        errors.push_global(
            Pos::default(),
            format!("AccountId {account_id} must be 12 digits"),
        );
    }
    let region = overrides
        .region
        .clone()
        .or_else(|| text_setting("Region"))
        .unwrap_or_else(|| DEFAULT_REGION.into());
    let stack_name = text_setting("StackName").unwrap_or_else(|| DEFAULT_STACK_NAME.into());
    let seed = overrides
        .seed
        .or_else(|| literal(settings, "Seed").and_then(integer_of))
        .unwrap_or(0);
    let start_time_ms = match literal(settings, "StartTime") {
        None => DEFAULT_START_TIME_MS,
        Some(node) => match node.as_str().and_then(time::parse_iso_ms) {
            Some(ms) => ms,
            None => {
                errors.push(
                    OWNER,
                    node.pos,
                    "StartTime must be ISO-8601 UTC, like 2026-01-01T00:00:00Z",
                );
                DEFAULT_START_TIME_MS
            }
        },
    };

    let (parameters, without_value) = parameter_values(&root, settings, &mut errors);

    let mut raw = BTreeMap::new();
    match root.get("Resources") {
        None => errors.push_global(
            root.pos,
            "Template format error: At least one Resources member must be defined.",
        ),
        Some(node) => match node.as_map() {
            None => errors.push_global(
                node.pos,
                "Template format error: Resources must be an object",
            ),
            Some([]) => errors.push_global(
                node.pos,
                "Template format error: At least one Resources member must be defined.",
            ),
            Some(entries) if entries.len() as u64 > limits::CFN_RESOURCES_MAX.value => errors
                .push_global(
                    node.pos,
                    format!(
                        "Template format error: Number of resources, {}, is greater than maximum allowed, {}",
                        entries.len(),
                        limits::CFN_RESOURCES_MAX.value
                    ),
                ),
            Some(entries) => {
                for (key, resource) in entries {
                    if key.name.is_empty() || !key.name.chars().all(|c| c.is_ascii_alphanumeric()) {
                        errors.push_global(
                            key.pos,
                            format!(
                                "Template format error: Resource name {} is non alphanumeric.",
                                key.name
                            ),
                        );
                        continue;
                    }
                    let Some(type_name) = resource.get("Type").and_then(Node::as_str) else {
                        errors.push(
                            &key.name,
                            resource.pos,
                            "Template format error: [/Resources/".to_string()
                                + &key.name
                                + "] Every Resources object must contain a Type member.",
                        );
                        continue;
                    };
                    let properties = resource.get("Properties");
                    if let Some(p) = properties {
                        if p.as_map().is_none() && p.value != Value::Null {
                            errors.push(&key.name, p.pos, "Properties must be an object");
                        }
                    }
                    raw.insert(
                        key.name.clone(),
                        RawResource {
                            type_name: type_name.to_string(),
                            pos: key.pos,
                            properties,
                            condition: resource.get("Condition"),
                            depends_on: resource.get("DependsOn"),
                        },
                    );
                }
            }
        },
    }
    if errors.list.iter().any(|e| {
        e.logical_id.is_none()
            && (e.message.contains("At least one") || e.message.contains("Number of resources"))
    }) {
        return Err(sorted(errors.list));
    }

    let mut resolver = Resolver::new(
        account_id.clone(),
        region.clone(),
        stack_name.clone(),
        raw.clone(),
        parameters,
    );
    resolver.without_value = without_value;
    resolver.mappings = root.get("Mappings");
    // Conditions decide which resources exist at all, so they come before any is read.
    let excluded = resolver.apply_conditions(root.get("Conditions"), &mut errors);
    raw.retain(|logical_id, _| !excluded.contains_key(logical_id));
    // Names, ARNs and URLs in CloudFormation's creation order, cycles reported.
    resolver.order_resources(&mut errors);
    let mut template = Template {
        account_id: account_id.clone(),
        region: region.clone(),
        stack_name,
        playground: Playground {
            seed,
            start_time_ms,
            ..Playground::default()
        },
        ..Template::default()
    };
    let place = lambda::Place {
        account_id: &account_id,
        region: &region,
    };
    let rule_context = events::RuleContext {
        account_id: &account_id,
        region: &region,
    };
    let mut sam_functions = Vec::new();
    let mut invoke_configs = Vec::new();

    for (logical_id, resource) in &raw {
        let origin = Origin {
            logical_id: logical_id.clone(),
            pos: resource.pos,
        };
        if !SIMULATED.contains(&resource.type_name.as_str()) {
            template.not_simulated.push(crate::model::NotSimulated {
                origin,
                type_name: resource.type_name.clone(),
            });
            continue;
        }
        // A resource whose properties did not all resolve is still read (the unresolved parts
        // are null), so resources pointing at it do not fail too; what its reader would say
        // about those gaps only repeats the resolver's error, so it is dropped.
        let before = errors.list.len();
        let resolved = resource
            .properties
            .and_then(|node| resolver.resolve_lenient(logical_id, node, &mut errors));
        let broken = errors.list.len() > before;
        let mut reader_errors = Errors::default();
        let props = Props {
            logical_id,
            pos: resource.pos,
            node: resolved.as_ref(),
        };
        let Some(identity) = resolver.identity(logical_id) else {
            continue;
        };
        match resource.type_name.as_str() {
            "AWS::Events::EventBus" => template
                .event_buses
                .push(events::event_bus(origin, identity)),
            "AWS::Events::Rule" => {
                template.rules.push(events::rule(
                    origin,
                    identity,
                    &props,
                    &rule_context,
                    &mut reader_errors,
                ));
            }
            "AWS::Events::Archive" => {
                if let Some(archive) = events::archive(origin, identity, &props, &mut reader_errors)
                {
                    template.archives.push(archive);
                }
            }
            "AWS::SNS::Topic" => {
                let topic = sns::topic(origin, identity, &props, &mut reader_errors);
                let inline = sns::inline_subscriptions(&topic, &props, &mut reader_errors);
                template.subscriptions.extend(inline);
                template.topics.push(topic);
            }
            "AWS::SNS::Subscription" => {
                if let Some(subscription) =
                    sns::subscription(origin, identity, &props, &mut reader_errors)
                {
                    template.subscriptions.push(subscription);
                }
            }
            "AWS::SQS::Queue" => {
                template
                    .queues
                    .push(sqs::queue(origin, identity, &props, &mut reader_errors))
            }
            "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
                let mut function = lambda::function(origin, identity, &props, &mut reader_errors);
                if resource.type_name == "AWS::Serverless::Function"
                    && props.get("Timeout").is_none()
                {
                    // SAM's Globals: Function: Timeout applies where the function sets none.
                    if let Some(timeout) = root
                        .get("Globals")
                        .and_then(|g| g.get("Function"))
                        .and_then(|f| f.get("Timeout"))
                        .and_then(integer_of)
                        .filter(|t| (1..=limits::LAMBDA_TIMEOUT_MAX.value).contains(t))
                    {
                        function.timeout_s = timeout;
                    }
                }
                if resource.type_name == "AWS::Serverless::Function" {
                    if let Some(config) = invoke_config::sam_event_invoke_config(
                        &function,
                        &props,
                        &mut reader_errors,
                    ) {
                        function.invoke_config = config;
                    }
                    let expansion =
                        lambda::sam_events(&function, &props, &place, &mut reader_errors);
                    sam_functions.push(expansion);
                }
                template.functions.push(function);
            }
            "AWS::Lambda::EventSourceMapping" => {
                if let Some(mapping) =
                    lambda::event_source_mapping(origin, &props, &place, &mut reader_errors)
                {
                    template.event_source_mappings.push(mapping);
                }
            }
            "AWS::Cognito::UserPool" => template.user_pools.push(cognito::user_pool(
                origin,
                identity,
                &props,
                &mut reader_errors,
            )),
            "AWS::Cognito::UserPoolClient" => template.user_pool_clients.push(
                cognito::user_pool_client(origin, identity, &props, &mut reader_errors),
            ),
            "AWS::Cognito::UserPoolDomain" => template.user_pool_domains.push(
                cognito::user_pool_domain(origin, identity, &props, &mut reader_errors),
            ),
            "AWS::Cognito::UserPoolGroup" => template.user_pool_groups.push(
                cognito::user_pool_group(origin, identity, &props, &mut reader_errors),
            ),
            "AWS::Lambda::EventInvokeConfig" => invoke_configs.extend(
                invoke_config::event_invoke_config(origin, &props, &mut reader_errors),
            ),
            _ => {}
        }
        if !broken {
            errors.list.extend(reader_errors.list);
        }
    }
    invoke_config::attach_invoke_configs(
        &mut template.functions,
        invoke_configs,
        &place,
        &mut errors,
    );
    for expansion in sam_functions {
        template
            .event_source_mappings
            .extend(expansion.event_source_mappings);
        template.subscriptions.extend(expansion.subscriptions);
        template.rules.extend(expansion.rules);
        template.not_simulated.extend(expansion.not_simulated);
    }
    if !template.event_buses.iter().any(|b| b.name == "default") {
        template.event_buses.insert(
            0,
            EventBus {
                origin: Origin {
                    logical_id: "default".into(),
                    pos: Pos::default(),
                },
                name: "default".into(),
                arn: events::bus_arn(None, &account_id, &region),
            },
        );
    }
    template
        .rules
        .sort_by(|a, b| a.origin.logical_id.cmp(&b.origin.logical_id));
    template
        .subscriptions
        .sort_by(|a, b| a.origin.logical_id.cmp(&b.origin.logical_id));
    template
        .event_source_mappings
        .sort_by(|a, b| a.origin.logical_id.cmp(&b.origin.logical_id));

    // Playground settings: resolved like resources so they may use !Ref and !GetAtt.
    if let Some(settings) = settings {
        if let Some(resolved) = resolver.resolve(OWNER, settings, &mut errors) {
            read_playground(&resolved, &mut template, &excluded, &mut errors);
        }
    }

    validate::cross_references(&template, &mut errors);
    if errors.list.is_empty() {
        Ok(template)
    } else {
        Err(sorted(errors.list))
    }
}

/// Parameter values: each Default stands in for deploy-time input, unless
/// `Metadata: Eventyard: Parameters` gives a value (as `--parameter-overrides` would). Returns
/// the values and the parameters left without one. A value must be a scalar and, when the
/// parameter lists AllowedValues, one of them ("Parameters" section of the template anatomy).
fn parameter_values(
    root: &Node,
    settings: Option<&Node>,
    errors: &mut Errors,
) -> (BTreeMap<String, Node>, BTreeSet<String>) {
    let mut parameters = BTreeMap::new();
    let mut without_value = BTreeSet::new();
    let mut given_names = BTreeSet::new();
    let declared = root.get("Parameters").and_then(Node::as_map).unwrap_or(&[]);
    for (key, parameter) in declared {
        match parameter.get("Default") {
            Some(default) => {
                parameters.insert(key.name.clone(), default.clone());
            }
            None => {
                without_value.insert(key.name.clone());
            }
        }
    }
    if let Some(given) = literal(settings, "Parameters") {
        match given.as_map() {
            Some(entries) => {
                for (key, value) in entries {
                    if !declared.iter().any(|(k, _)| k.name == key.name) {
                        errors.push(
                            OWNER,
                            key.pos,
                            format!("Parameters: [{}] do not exist in the template", key.name),
                        );
                    } else if scalar_text(value).is_none() {
                        errors.push(
                            OWNER,
                            value.pos,
                            format!(
                                "Parameters: {} must be a string, a number or a boolean",
                                key.name
                            ),
                        );
                    } else {
                        without_value.remove(&key.name);
                        given_names.insert(key.name.clone());
                        parameters.insert(key.name.clone(), value.clone());
                    }
                }
            }
            None => errors.push(
                OWNER,
                given.pos,
                "Parameters must be an object of parameter names and values",
            ),
        }
    }
    for (key, parameter) in declared {
        let allowed = parameter.get("AllowedValues").and_then(Node::as_seq);
        let value = parameters.get(&key.name);
        if let (Some(allowed), Some(value)) = (allowed, value) {
            let text = scalar_text(value);
            if !allowed.iter().any(|a| scalar_text(a) == text) {
                // Blame the value where it was written: the playground's, or the Default.
                let owner = if given_names.contains(&key.name) {
                    OWNER
                } else {
                    key.name.as_str()
                };
                errors.push(
                    owner,
                    value.pos,
                    format!("Parameter '{}' must be one of AllowedValues", key.name),
                );
            }
        }
    }
    (parameters, without_value)
}

fn read_playground(
    settings: &Node,
    template: &mut Template,
    excluded: &BTreeMap<String, String>,
    errors: &mut Errors,
) {
    let lookup = Lookup::of(template);
    let mut behaviours = Vec::new();
    if let Some(functions) = settings.get("Functions") {
        match functions.as_map() {
            Some(entries) => {
                for (key, node) in entries {
                    let index = template
                        .functions
                        .iter()
                        .position(|f| f.origin.logical_id == key.name || f.name == key.name);
                    match index {
                        Some(index) => {
                            behaviours.push((index, playground::behaviour(node, &lookup, errors)))
                        }
                        None => errors.push(
                            OWNER,
                            key.pos,
                            match excluded.get(&key.name) {
                                Some(condition) => format!(
                                    "Functions: {} is not a function of this template (it is left out because its condition {condition} is false)",
                                    key.name
                                ),
                                None => format!(
                                    "Functions: {} is not a function of this template",
                                    key.name
                                ),
                            },
                        ),
                    }
                }
            }
            None => errors.push(
                OWNER,
                functions.pos,
                "Functions must be an object keyed by function logical id",
            ),
        }
    }
    let mut scripted = Vec::new();
    if let Some(events) = settings.get("Events") {
        match events.as_seq() {
            Some(items) => {
                for item in items {
                    if let Some(entry) = playground::scripted(item, &lookup, errors) {
                        scripted.push(entry);
                    }
                }
            }
            None => errors.push(OWNER, events.pos, "Events must be a list"),
        }
    }
    for (index, behaviour) in behaviours {
        if let Some(function) = template.functions.get_mut(index) {
            function.behaviour = behaviour;
        }
    }
    template.playground.scripted = scripted;
    if let Some(standard) = settings.get("StandardQueues") {
        let props = Props {
            logical_id: OWNER,
            pos: standard.pos,
            node: Some(standard),
        };
        if let Some(percent) = props.get("DuplicatePercent") {
            match integer_of(percent).filter(|p| *p <= 100) {
                Some(p) => template.playground.duplicate_percent = p,
                None => errors.push(
                    OWNER,
                    percent.pos,
                    "DuplicatePercent must be an integer from 0 to 100",
                ),
            }
        }
        template.playground.reorder = props.bool("Reorder", errors);
    }
    playground::outages_and_workers(settings, template, errors);
}

/// Events to send from a separate file (the CLI's `--send`): a list in the same shape as
/// `Metadata: Eventyard: Events:`, AWS PutEvents entries, or `{"Entries": [...]}`.
pub fn load_events(
    text: &str,
    template: &Template,
) -> Result<Vec<crate::model::Scripted>, Vec<TemplateError>> {
    let root = yaml::parse(text)?;
    let mut errors = Errors::default();
    let lookup = Lookup::of(template);
    let items: Vec<&Node> = match (&root.value, root.get("Entries")) {
        (_, Some(entries)) => entries
            .as_seq()
            .map(|s| s.iter().collect())
            .unwrap_or_default(),
        (Value::Seq(items), _) => items.iter().collect(),
        _ => vec![&root],
    };
    let mut out = Vec::new();
    for item in items {
        if let Some(entry) = playground::scripted(item, &lookup, &mut errors) {
            out.push(entry);
        }
    }
    if errors.list.is_empty() {
        Ok(out)
    } else {
        Err(sorted(errors.list))
    }
}

fn sorted(mut list: Vec<TemplateError>) -> Vec<TemplateError> {
    list.sort();
    list.dedup();
    list
}
