//! Checks across resources, once all are read: every ARN a resource points at names a resource
//! of this template of the right kind (a reference to a missing resource says which), dead-letter
//! queues are of the kind AWS requires, and per-bus limits hold.

use crate::error::Errors;
use crate::limits;
use crate::model::{Protocol, Template};

fn describe_target_kinds() -> &'static str {
    "Eventyard simulates SQS queue, SNS topic, Lambda function and event bus targets"
}

/// invocation-async-retain-records: a destination is a standard SQS queue, a standard SNS
/// topic, a Lambda function or an EventBridge event bus (S3 buckets, on failure only, are not
/// simulated). A FIFO queue or topic is accepted by the API; Lambda then fails to deliver to it
/// (`DestinationDeliveryFailures`), which the simulator shows.
fn invoke_config_destinations(template: &Template, errors: &mut Errors) {
    for function in &template.functions {
        let config = &function.invoke_config;
        let Some(origin) = &config.origin else {
            continue;
        };
        for (which, arn) in [
            ("OnSuccess", &config.on_success_arn),
            ("OnFailure", &config.on_failure_arn),
        ] {
            let Some(arn) = arn else { continue };
            let known = template.queue_by_arn(arn).is_some()
                || template.topic_by_arn(arn).is_some()
                || template.function_by_arn(arn).is_some()
                || template.bus_by_arn(arn).is_some();
            if known {
                continue;
            }
            let message = if arn.starts_with("arn:aws:s3:") {
                format!("DestinationConfig.{which}: S3 bucket destinations ({arn}) are not simulated (Eventyard simulates SQS queue, SNS topic, Lambda function and event bus destinations)")
            } else {
                format!("DestinationConfig.{which}: Destination {arn} is not a queue, topic, function or event bus of this template (Eventyard simulates SQS queue, SNS topic, Lambda function and event bus destinations)")
            };
            errors.push(&origin.logical_id, origin.pos, message);
        }
    }
}

pub fn cross_references(template: &Template, errors: &mut Errors) {
    invoke_config_destinations(template, errors);
    for function in &template.functions {
        if let Some(arn) = &function.dead_letter_arn {
            if template.queue_by_arn(arn).is_none() && template.topic_by_arn(arn).is_none() {
                errors.push(
                    &function.origin.logical_id,
                    function.origin.pos,
                    format!("DeadLetterConfig.TargetArn {arn} is not an SQS queue or SNS topic of this template"),
                );
            }
        }
    }
    for rule in &template.rules {
        let id = rule.origin.logical_id.as_str();
        if rule.schedule.is_some() && !rule.event_bus_arn.ends_with(":event-bus/default") {
            errors.push(
                id,
                rule.origin.pos,
                "ScheduleExpression is supported only on the default event bus.",
            );
        }
        if template.bus_by_arn(&rule.event_bus_arn).is_none() {
            errors.push(
                id,
                rule.origin.pos,
                format!("Event bus {} does not exist.", rule.event_bus_arn),
            );
        }
        for target in &rule.targets {
            let known = template.queue_by_arn(&target.arn).is_some()
                || template.topic_by_arn(&target.arn).is_some()
                || template.function_by_arn(&target.arn).is_some()
                || template.bus_by_arn(&target.arn).is_some();
            if !known {
                errors.push(
                    id,
                    target.pos,
                    format!(
                        "Target {}: {} is not a resource of this template ({})",
                        target.id,
                        target.arn,
                        describe_target_kinds()
                    ),
                );
            }
            if let Some(queue) = template.queue_by_arn(&target.arn) {
                if queue.fifo_queue && target.message_group_id.is_none() {
                    errors.push(
                        id,
                        target.pos,
                        format!(
                            "Parameter(s) SqsParameters must be specified for target: {}.",
                            target.id
                        ),
                    );
                }
            }
            if let Some(dlq) = &target.dead_letter_arn {
                match template.queue_by_arn(dlq) {
                    Some(queue) if !queue.fifo_queue => {}
                    Some(_) => errors.push(
                        id,
                        target.pos,
                        format!("Target {}: the dead-letter queue must be a standard SQS queue, not FIFO", target.id),
                    ),
                    None => errors.push(
                        id,
                        target.pos,
                        format!("Target {}: dead-letter queue {dlq} is not a queue of this template", target.id),
                    ),
                }
            }
        }
    }
    for bus in &template.event_buses {
        let count = template
            .rules
            .iter()
            .filter(|r| r.event_bus_arn == bus.arn)
            .count() as u64;
        if count > limits::EB_RULES_PER_BUS_MAX.value {
            errors.push(
                &bus.origin.logical_id,
                bus.origin.pos,
                format!(
                    "The requested resource exceeds the maximum number allowed: {count} rules on bus {} (at most {})",
                    bus.name,
                    limits::EB_RULES_PER_BUS_MAX.value
                ),
            );
        }
    }
    for archive in &template.archives {
        if template.bus_by_arn(&archive.source_arn).is_none() {
            errors.push(
                &archive.origin.logical_id,
                archive.origin.pos,
                format!(
                    "SourceArn {} is not an event bus of this template",
                    archive.source_arn
                ),
            );
        }
    }
    for subscription in &template.subscriptions {
        let id = subscription.origin.logical_id.as_str();
        let topic = template.topic_by_arn(&subscription.topic_arn);
        if topic.is_none() {
            errors.push(
                id,
                subscription.origin.pos,
                format!(
                    "Invalid parameter: TopicArn {} is not a topic of this template",
                    subscription.topic_arn
                ),
            );
        }
        match subscription.protocol {
            Protocol::Sqs => match template.queue_by_arn(&subscription.endpoint) {
                None => errors.push(
                    id,
                    subscription.origin.pos,
                    format!(
                        "Invalid parameter: SQS endpoint ARN {} is not a queue of this template",
                        subscription.endpoint
                    ),
                ),
                Some(queue) => {
                    if topic.is_some_and(|t| !t.fifo_topic) && queue.fifo_queue {
                        errors.push(
                            id,
                            subscription.origin.pos,
                            "Invalid parameter: Endpoint Reason: a standard SNS topic cannot deliver to an SQS FIFO queue; use a FIFO topic",
                        );
                    }
                    // A FIFO topic may deliver to a standard queue (sns-fifo-topics, "FIFO
                    // topics can deliver to standard SQS queues"): the envelope and the topic's
                    // deduplication stay, the queue's best-effort order applies.
                }
            },
            Protocol::Lambda => {
                if template.function_by_arn(&subscription.endpoint).is_none() {
                    errors.push(
                        id,
                        subscription.origin.pos,
                        format!("Invalid parameter: Lambda endpoint ARN {} is not a function of this template", subscription.endpoint),
                    );
                }
                if topic.is_some_and(|t| t.fifo_topic) {
                    errors.push(
                        id,
                        subscription.origin.pos,
                        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SNS Topics currently only support FIFO SQS Queues as endpoints",
                    );
                }
            }
            _ => {
                if topic.is_some_and(|t| t.fifo_topic) {
                    errors.push(
                        id,
                        subscription.origin.pos,
                        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SNS Topics currently only support FIFO SQS Queues as endpoints",
                    );
                }
            }
        }
        if subscription.raw_message_delivery
            && !matches!(
                subscription.protocol,
                Protocol::Sqs | Protocol::Http | Protocol::Https
            )
        {
            errors.push(
                id,
                subscription.origin.pos,
                "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [true]. Raw message delivery is only supported for SQS, HTTP/S and Firehose subscriptions",
            );
        }
        if let Some(dlq) = &subscription.dead_letter_arn {
            if template.queue_by_arn(dlq).is_none() {
                errors.push(
                    id,
                    subscription.origin.pos,
                    format!("Invalid parameter: RedrivePolicy: deadLetterTargetArn {dlq} is not a queue of this template"),
                );
            }
        }
    }
    for queue in &template.queues {
        let id = queue.origin.logical_id.as_str();
        if let Some(dlq_arn) = &queue.dead_letter_target_arn {
            match template.queue_by_arn(dlq_arn) {
                None => errors.push(
                    id,
                    queue.origin.pos,
                    format!("Value for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist: {dlq_arn}"),
                ),
                Some(dlq) => {
                    if dlq.fifo_queue != queue.fifo_queue {
                        errors.push(
                            id,
                            queue.origin.pos,
                            "Value for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.",
                        );
                    }
                    if dlq.redrive_permission == "denyAll" {
                        errors.push(
                            id,
                            queue.origin.pos,
                            format!("Value for parameter RedrivePolicy is invalid. Reason: Queue {} does not allow this queue to use it as its dead-letter queue (RedriveAllowPolicy denyAll).", dlq.name),
                        );
                    }
                }
            }
        }
    }
    for mapping in &template.event_source_mappings {
        let id = mapping.origin.logical_id.as_str();
        match template.queue_by_arn(&mapping.event_source_arn) {
            None => errors.push(
                id,
                mapping.origin.pos,
                format!(
                    "EventSourceArn {} is not an SQS queue of this template",
                    mapping.event_source_arn
                ),
            ),
            Some(queue) => {
                if queue.fifo_queue
                    && mapping.batch_size > limits::LAMBDA_SQS_BATCH_SIZE_FIFO_MAX.value
                {
                    errors.push(
                        id,
                        mapping.origin.pos,
                        "Invalid parameter: BatchSize must be at most 10 for FIFO queues",
                    );
                }
            }
        }
        if template.function_by_arn(&mapping.function_arn).is_none() {
            errors.push(
                id,
                mapping.origin.pos,
                format!(
                    "Function {} is not a function of this template",
                    mapping.function_arn
                ),
            );
        }
    }
}
