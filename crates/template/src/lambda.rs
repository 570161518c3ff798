//! `AWS::Lambda::Function`, `AWS::Serverless::Function` (with SAM `Events` of type SQS, SNS,
//! EventBridgeRule and Schedule, expanded as SAM's transform would) and
//! `AWS::Lambda::EventSourceMapping` (services-sqs-parameters; sam-property-function-*).
//! A function's code is never read: what it does comes from `Metadata: Eventyard: Functions:`.

use crate::error::Errors;
use crate::events::{bus_arn, input_transformer, pattern_text, schedule};
use crate::ids::uuid_for;
use crate::limits;
use crate::model::{
    Behaviour, EventSourceMapping, Function, InvokeConfig, Origin, RetryPolicy, Rule, RuleState,
    Subscription, Target, TargetInput,
};
use crate::node::Node;
use crate::props::Props;
use crate::resolve::Identity;
use crate::sns::{check_policy, policy_scope, policy_text};

pub fn function(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Function {
    let timeout_s = props.integer(
        "Timeout",
        limits::LAMBDA_TIMEOUT_DEFAULT.value,
        1,
        &limits::LAMBDA_TIMEOUT_MAX,
        errors,
    );
    // AWS::Lambda::Function `DeadLetterConfig: {TargetArn}`; SAM `DeadLetterQueue: {Type,
    // TargetArn}`.
    let dead_letter_arn = ["DeadLetterConfig", "DeadLetterQueue"]
        .iter()
        .find_map(|key| props.get(key))
        .and_then(|config| config.get("TargetArn"))
        .and_then(|arn| arn.as_str())
        .map(str::to_string);
    Function {
        origin,
        name: identity.name,
        arn: identity.arn,
        timeout_s,
        behaviour: Behaviour::default(),
        invoke_config: InvokeConfig::default(),
        dead_letter_arn,
    }
}

/// A function given by name or ARN, as an ARN.
pub fn function_arn(name_or_arn: &str, account_id: &str, region: &str) -> String {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        format!("arn:aws:lambda:{region}:{account_id}:function:{name_or_arn}")
    }
}

pub struct Place<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
}

/// The SQS settings shared by `AWS::Lambda::EventSourceMapping` and SAM's SQS event.
fn mapping(
    origin: Origin,
    source_key: &str,
    function_arn: String,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Option<EventSourceMapping> {
    let event_source_arn = props.required_string(source_key, errors)?;
    let maximum_batching_window_s = props.integer(
        "MaximumBatchingWindowInSeconds",
        0,
        0,
        &limits::LAMBDA_BATCHING_WINDOW_MAX,
        errors,
    );
    let batch_size = props.integer(
        "BatchSize",
        limits::LAMBDA_SQS_BATCH_SIZE_DEFAULT.value,
        1,
        &limits::LAMBDA_SQS_BATCH_SIZE_MAX,
        errors,
    );
    if batch_size > limits::LAMBDA_SQS_BATCH_SIZE_NO_WINDOW_MAX.value
        && maximum_batching_window_s == 0
    {
        errors.push(
            props.logical_id,
            props.get("BatchSize").map_or(origin.pos, |n| n.pos),
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
        );
    }
    let report_batch_item_failures = match props.get("FunctionResponseTypes") {
        None => false,
        Some(node) => match node.as_seq() {
            Some(items) => items
                .iter()
                .any(|item| item.as_str() == Some("ReportBatchItemFailures")),
            None => {
                errors.push(
                    props.logical_id,
                    node.pos,
                    "FunctionResponseTypes must be a list",
                );
                false
            }
        },
    };
    let enabled = props.get("Enabled").is_none() || props.bool("Enabled", errors);
    let maximum_concurrency = props.get("ScalingConfig").map(|config| {
        Props {
            logical_id: props.logical_id,
            pos: config.pos,
            node: Some(config),
        }
        .integer(
            "MaximumConcurrency",
            limits::LAMBDA_SQS_CONCURRENT_BATCHES_MAX.value,
            limits::LAMBDA_SQS_MAXIMUM_CONCURRENCY_MIN.value,
            &limits::LAMBDA_SQS_CONCURRENT_BATCHES_MAX,
            errors,
        )
    });
    Some(EventSourceMapping {
        uuid: uuid_for(&origin.logical_id),
        origin,
        event_source_arn,
        function_arn,
        batch_size,
        maximum_batching_window_s,
        report_batch_item_failures,
        enabled,
        maximum_concurrency,
    })
}

pub fn event_source_mapping(
    origin: Origin,
    props: &Props<'_>,
    place: &Place<'_>,
    errors: &mut Errors,
) -> Option<EventSourceMapping> {
    let function = props.required_string("FunctionName", errors)?;
    let arn = function_arn(&function, place.account_id, place.region);
    mapping(origin, "EventSourceArn", arn, props, errors)
}

/// What SAM's transform would add for a function's `Events`.
#[derive(Default)]
pub struct SamExpansion {
    pub event_source_mappings: Vec<EventSourceMapping>,
    pub subscriptions: Vec<Subscription>,
    pub rules: Vec<Rule>,
    /// Event sources Eventyard does not simulate (Api, S3, ...): listed, and the rest runs.
    pub not_simulated: Vec<crate::model::NotSimulated>,
}

pub fn sam_events(
    function: &Function,
    props: &Props<'_>,
    place: &Place<'_>,
    errors: &mut Errors,
) -> SamExpansion {
    let mut out = SamExpansion::default();
    let Some(events) = props.get("Events") else {
        return out;
    };
    let Some(entries) = events.as_map() else {
        errors.push(props.logical_id, events.pos, "Events must be an object");
        return out;
    };
    for (key, event) in entries {
        let logical_id = format!("{}{}", function.origin.logical_id, key.name);
        let origin = Origin {
            logical_id: logical_id.clone(),
            pos: event.pos,
        };
        let event_props = Props {
            logical_id: props.logical_id,
            pos: event.pos,
            node: Some(event),
        };
        let kind = event_props.required_string("Type", errors);
        let properties: Option<&Node> = event.get("Properties");
        let inner = Props {
            logical_id: props.logical_id,
            pos: properties.map_or(event.pos, |n| n.pos),
            node: properties,
        };
        match kind.as_deref() {
            Some("SQS") => {
                if let Some(mapping) =
                    mapping(origin, "Queue", function.arn.clone(), &inner, errors)
                {
                    out.event_source_mappings.push(mapping);
                }
            }
            Some("SNS") => {
                let Some(topic_arn) = inner.required_string("Topic", errors) else {
                    continue;
                };
                let scope = policy_scope(&inner, errors);
                let filter_policy = inner
                    .get("FilterPolicy")
                    .and_then(|node| policy_text(node, props.logical_id, errors));
                let filter_policy = check_policy(
                    filter_policy,
                    scope,
                    inner.get("FilterPolicy"),
                    props.logical_id,
                    errors,
                );
                out.subscriptions.push(Subscription {
                    arn: format!("{topic_arn}:{}", uuid_for(&logical_id)),
                    origin,
                    topic_arn,
                    protocol: crate::model::Protocol::Lambda,
                    endpoint: function.arn.clone(),
                    filter_policy,
                    filter_policy_scope: scope,
                    raw_message_delivery: false,
                    dead_letter_arn: None,
                    down_ms: Vec::new(),
                    refused_ms: Vec::new(),
                });
            }
            Some(kind @ ("EventBridgeRule" | "CloudWatchEvent" | "Schedule")) => {
                let (event_pattern, schedule_value) = if kind == "Schedule" {
                    let text = inner.required_string("Schedule", errors);
                    let parsed = text.as_deref().and_then(schedule);
                    if text.is_some() && parsed.is_none() {
                        errors.push(
                            props.logical_id,
                            inner.pos,
                            "Parameter ScheduleExpression is not valid.",
                        );
                    }
                    (None, parsed)
                } else {
                    let pattern = match inner.get("Pattern") {
                        Some(node) => pattern_text(node, props.logical_id, errors),
                        None => {
                            errors.push(
                                props.logical_id,
                                inner.pos,
                                "Property Pattern cannot be empty.",
                            );
                            None
                        }
                    };
                    (pattern, None)
                };
                let input = if let Some(text) = inner.string("Input", errors) {
                    TargetInput::Constant(text)
                } else if let Some(path) = inner.string("InputPath", errors) {
                    TargetInput::Path(path)
                } else if let Some(node) = inner.get("InputTransformer") {
                    input_transformer(props.logical_id, node, "InputTemplate", errors)
                        .map_or(TargetInput::MatchedEvent, TargetInput::Transformer)
                } else {
                    TargetInput::MatchedEvent
                };
                let bus = inner.string("EventBusName", errors);
                let enabled = inner.get("Enabled").is_none() || inner.bool("Enabled", errors);
                let name = inner
                    .string("Name", errors)
                    .unwrap_or_else(|| logical_id.clone());
                let event_bus_arn = bus_arn(bus.as_deref(), place.account_id, place.region);
                let bus_name = event_bus_arn.rsplit('/').next().unwrap_or("default");
                let rule_resource = if bus_name == "default" {
                    format!("rule/{name}")
                } else {
                    format!("rule/{bus_name}/{name}")
                };
                out.rules.push(Rule {
                    arn: format!(
                        "arn:aws:events:{}:{}:{rule_resource}",
                        place.region, place.account_id
                    ),
                    name,
                    origin,
                    event_bus_arn,
                    event_pattern,
                    schedule: schedule_value,
                    state: if enabled {
                        RuleState::Enabled
                    } else {
                        RuleState::Disabled
                    },
                    targets: vec![Target {
                        id: format!("{logical_id}LambdaTarget"),
                        pos: event.pos,
                        arn: function.arn.clone(),
                        input,
                        retry_policy: RetryPolicy {
                            maximum_event_age_s: limits::EB_EVENT_AGE_DEFAULT.value,
                            maximum_retry_attempts: limits::EB_RETRY_ATTEMPTS_DEFAULT.value,
                        },
                        dead_letter_arn: None,
                        message_group_id: None,
                    }],
                });
            }
            // An API or S3 trigger cannot be simulated, but the function and everything else can:
            // a warning, not an error (a plain SAM template must stay playable by hand).
            Some(other) => out.not_simulated.push(crate::model::NotSimulated {
                origin,
                type_name: format!("SAM event type {other}"),
            }),
            None => {}
        }
    }
    out
}
