//! `AWS::SNS::Topic` (with inline `Subscription`) and `AWS::SNS::Subscription`
//! (sns-subscription-filter-policies, sns-message-filtering-scope, sns-dead-letter-queues).

use crate::error::Errors;
use crate::ids::uuid_for;
use crate::model::{Origin, PolicyScope, Protocol, Subscription, Topic};
use crate::node::{Node, Value};
use crate::props::Props;
use crate::resolve::Identity;

pub fn topic(origin: Origin, identity: Identity, props: &Props<'_>, errors: &mut Errors) -> Topic {
    let id = props.logical_id;
    let fifo_topic = props.bool("FifoTopic", errors);
    if fifo_topic != identity.name.ends_with(".fifo") {
        errors.push(
            id,
            props.get("TopicName").map_or(origin.pos, |n| n.pos),
            "Invalid parameter: Fifo Topic names must end with .fifo and Standard Topic cannot end with .fifo",
        );
    }
    let content_based_deduplication = props.bool("ContentBasedDeduplication", errors);
    if content_based_deduplication && !fifo_topic {
        errors.push(
            id,
            props
                .get("ContentBasedDeduplication")
                .map_or(origin.pos, |n| n.pos),
            "Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics",
        );
    }
    let signature_version = match props.string("SignatureVersion", errors).as_deref() {
        None | Some("1") => 1,
        Some("2") => 2,
        Some(other) => {
            errors.push(
                id,
                props.get("SignatureVersion").map_or(origin.pos, |n| n.pos),
                format!("Invalid parameter: Attributes Reason: SignatureVersion: Invalid value [{other}]. Must be 1 or 2"),
            );
            1
        }
    };
    Topic {
        origin,
        name: identity.name,
        arn: identity.arn,
        fifo_topic,
        content_based_deduplication,
        signature_version,
    }
}

/// The topic's inline `Subscription: [{Endpoint, Protocol}]` entries.
pub fn inline_subscriptions(
    topic: &Topic,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Vec<Subscription> {
    let Some(node) = props.get("Subscription") else {
        return Vec::new();
    };
    let Some(items) = node.as_seq() else {
        errors.push(props.logical_id, node.pos, "Subscription must be a list");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let item_props = Props {
            logical_id: props.logical_id,
            pos: item.pos,
            node: Some(item),
        };
        let protocol = protocol(&item_props, errors);
        let endpoint = item_props.required_string("Endpoint", errors);
        if let (Some(protocol), Some(endpoint)) = (protocol, endpoint) {
            let logical_id = format!("{}.Subscription[{index}]", topic.origin.logical_id);
            out.push(Subscription {
                arn: format!("{}:{}", topic.arn, uuid_for(&logical_id)),
                origin: Origin {
                    logical_id,
                    pos: item.pos,
                },
                topic_arn: topic.arn.clone(),
                protocol,
                endpoint,
                filter_policy: None,
                filter_policy_scope: PolicyScope::MessageAttributes,
                raw_message_delivery: false,
                dead_letter_arn: None,
                down_ms: Vec::new(),
                refused_ms: Vec::new(),
            });
        }
    }
    out
}

fn protocol(props: &Props<'_>, errors: &mut Errors) -> Option<Protocol> {
    let text = props.required_string("Protocol", errors)?;
    let parsed = Protocol::parse(&text);
    if parsed.is_none() {
        errors.push(
            props.logical_id,
            props.get("Protocol").map_or(props.pos, |n| n.pos),
            format!("Invalid parameter: Protocol {text} (Eventyard simulates sqs, lambda, email, email-json, sms, http and https)"),
        );
    }
    parsed
}

/// A filter policy given as an object or as a JSON string, as JSON text.
pub fn policy_text(node: &Node, logical_id: &str, errors: &mut Errors) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.clone()),
        Value::Map(_) => Some(node.to_json().to_string()),
        _ => {
            errors.push(
                logical_id,
                node.pos,
                "Invalid parameter: FilterPolicy: Filter policy must be a JSON object",
            );
            None
        }
    }
}

/// Validate a filter policy as SetSubscriptionAttributes would; the error is placed at its token
/// when the policy is a string whose layout is known, else at the node.
pub fn check_policy(
    text: Option<String>,
    scope: PolicyScope,
    node: Option<&Node>,
    logical_id: &str,
    errors: &mut Errors,
) -> Option<String> {
    let text = text?;
    let scope = match scope {
        PolicyScope::MessageAttributes => eventyard_pattern::FilterPolicyScope::MessageAttributes,
        PolicyScope::MessageBody => eventyard_pattern::FilterPolicyScope::MessageBody,
    };
    if let Err(error) = eventyard_pattern::FilterPolicy::parse(&text, scope) {
        match node {
            Some(node) => errors.push_in_text(
                logical_id,
                node,
                error.line(),
                error.column(),
                error.to_string(),
            ),
            None => errors.push(logical_id, crate::node::Pos::default(), error.to_string()),
        }
        return None;
    }
    Some(text)
}

pub fn policy_scope(props: &Props<'_>, errors: &mut Errors) -> PolicyScope {
    match props.string("FilterPolicyScope", errors).as_deref() {
        None | Some("MessageAttributes") => PolicyScope::MessageAttributes,
        Some("MessageBody") => PolicyScope::MessageBody,
        Some(other) => {
            errors.push(
                props.logical_id,
                props.get("FilterPolicyScope").map_or(props.pos, |n| n.pos),
                format!("Invalid parameter: FilterPolicyScope: {other} (must be MessageAttributes or MessageBody)"),
            );
            PolicyScope::MessageAttributes
        }
    }
}

pub fn subscription(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> Option<Subscription> {
    let id = props.logical_id;
    let topic_arn = props.required_string("TopicArn", errors);
    let protocol = protocol(props, errors);
    let endpoint = props.required_string("Endpoint", errors);
    let filter_policy = props
        .get("FilterPolicy")
        .and_then(|node| policy_text(node, id, errors));
    let filter_policy_scope = policy_scope(props, errors);
    let filter_policy = check_policy(
        filter_policy,
        filter_policy_scope,
        props.get("FilterPolicy"),
        id,
        errors,
    );
    let raw_message_delivery = props.bool("RawMessageDelivery", errors);
    let dead_letter_arn = props.get("RedrivePolicy").and_then(|node| {
        let policy = match &node.value {
            Value::String(text) => serde_json::from_str::<serde_json::Value>(text).ok(),
            Value::Map(_) => Some(node.to_json()),
            _ => None,
        };
        let arn = policy
            .as_ref()
            .and_then(|p| p.get("deadLetterTargetArn"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        if arn.is_none() {
            errors.push(
                id,
                node.pos,
                "Invalid parameter: RedrivePolicy: deadLetterTargetArn is required",
            );
        }
        arn
    });
    Some(Subscription {
        origin,
        arn: identity.arn,
        topic_arn: topic_arn?,
        protocol: protocol?,
        endpoint: endpoint?,
        filter_policy,
        filter_policy_scope,
        raw_message_delivery,
        dead_letter_arn,
        down_ms: Vec::new(),
        refused_ms: Vec::new(),
    })
}
