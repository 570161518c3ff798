//! `AWS::SQS::Queue` (CloudFormation page "AWS::SQS::Queue"; sqs-quotas, sqs-dead-letter-queues).

use crate::error::Errors;
use crate::limits;
use crate::model::{Origin, Queue, RedrivePolicy};
use crate::node::{Node, Value};
use crate::props::Props;
use crate::resolve::Identity;

/// RedrivePolicy and RedriveAllowPolicy may be objects or JSON strings.
fn object_or_json(node: &Node) -> Option<serde_json::Value> {
    match &node.value {
        Value::String(text) => serde_json::from_str(text).ok(),
        Value::Map(_) => Some(node.to_json()),
        _ => None,
    }
}

pub fn queue(origin: Origin, identity: Identity, props: &Props<'_>, errors: &mut Errors) -> Queue {
    let id = props.logical_id;
    let fifo_queue = props.bool("FifoQueue", errors);
    if fifo_queue != identity.name.ends_with(".fifo") {
        errors.push(
            id,
            props.get("QueueName").map_or(origin.pos, |n| n.pos),
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix",
        );
    }
    if !identity
        .name
        .trim_end_matches(".fifo")
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || identity.name.len() > 80
    {
        errors.push(
            id,
            props.get("QueueName").map_or(origin.pos, |n| n.pos),
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
        );
    }
    let content_based_deduplication = props.bool("ContentBasedDeduplication", errors);
    if content_based_deduplication && !fifo_queue {
        errors.push(
            id,
            props
                .get("ContentBasedDeduplication")
                .map_or(origin.pos, |n| n.pos),
            "ContentBasedDeduplication is only available for FIFO queues",
        );
    }
    let visibility_timeout_s = props.integer(
        "VisibilityTimeout",
        limits::SQS_VISIBILITY_TIMEOUT_DEFAULT.value,
        0,
        &limits::SQS_VISIBILITY_TIMEOUT_MAX,
        errors,
    );
    let delay_s = props.integer("DelaySeconds", 0, 0, &limits::SQS_DELAY_MAX, errors);
    // sqs-quotas: 1,024 bytes to 1 MiB, 1 MiB by default since August 2025.
    let maximum_message_size = props.integer(
        "MaximumMessageSize",
        limits::SQS_MESSAGE_SIZE_MAX.value,
        1_024,
        &limits::SQS_MESSAGE_SIZE_MAX,
        errors,
    );
    let message_retention_period_s = props.integer(
        "MessageRetentionPeriod",
        limits::SQS_RETENTION_DEFAULT.value,
        limits::SQS_RETENTION_MIN.value,
        &limits::SQS_RETENTION_MAX,
        errors,
    );
    let receive_message_wait_time_s = props.integer(
        "ReceiveMessageWaitTimeSeconds",
        0,
        0,
        &limits::SQS_WAIT_TIME_MAX,
        errors,
    );
    let mut redrive_policy = None;
    let mut dead_letter_target_arn = None;
    if let Some(node) = props.get("RedrivePolicy") {
        let policy = object_or_json(node);
        let arn = policy
            .as_ref()
            .and_then(|p| p.get("deadLetterTargetArn"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let count = policy
            .as_ref()
            .and_then(|p| p.get("maxReceiveCount"))
            .and_then(|v| match v {
                serde_json::Value::Number(n) => n.as_u64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            });
        match (arn, count) {
            (Some(arn), Some(count))
                if (limits::SQS_MAX_RECEIVE_COUNT_MIN.value
                    ..=limits::SQS_MAX_RECEIVE_COUNT_MAX.value)
                    .contains(&count) =>
            {
                redrive_policy = Some(RedrivePolicy {
                    max_receive_count: count,
                });
                dead_letter_target_arn = Some(arn);
            }
            _ => errors.push(
                id,
                node.pos,
                "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map with deadLetterTargetArn and maxReceiveCount from 1 to 1000.",
            ),
        }
    }
    let mut redrive_permission = "allowAll".to_string();
    if let Some(node) = props.get("RedriveAllowPolicy") {
        match object_or_json(node)
            .as_ref()
            .and_then(|p| p.get("redrivePermission"))
            .and_then(|v| v.as_str())
        {
            Some(permission @ ("allowAll" | "denyAll" | "byQueue")) => {
                redrive_permission = permission.to_string();
            }
            _ => errors.push(
                id,
                node.pos,
                "Value for parameter RedriveAllowPolicy is invalid. Reason: redrivePermission must be allowAll, denyAll or byQueue.",
            ),
        }
    }
    Queue {
        origin,
        url: identity.url.clone().unwrap_or_default(),
        name: identity.name,
        arn: identity.arn,
        fifo_queue,
        content_based_deduplication,
        visibility_timeout_s,
        delay_s,
        maximum_message_size,
        message_retention_period_s,
        receive_message_wait_time_s,
        redrive_policy,
        dead_letter_target_arn,
        redrive_permission,
        down_ms: Vec::new(),
    }
}
