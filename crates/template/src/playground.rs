//! `Metadata: Eventyard:` — playground settings kept inside a valid CloudFormation template:
//! the seed, the account/region/stack the ARNs use, when virtual time starts, what each declared
//! function does, and the events to send. Nothing here is code; nothing here executes.
//! Values may use `!Ref`, `!GetAtt` and `!Sub` like resource properties.
//!
//! Keys (all optional):
//! - `Seed` (integer), `AccountId` (12 digits, default 123456789012), `Region` (default
//!   us-east-1), `StackName` (default eventyard), `StartTime` (ISO-8601 UTC of virtual time zero,
//!   default 2026-01-01T00:00:00Z).
//! - `Parameters: {<parameter name>: value}`: values for the template's `Parameters` (instead of
//!   their defaults), as a stack's parameters would be given; conditions follow them.
//! - `StandardQueues: {DuplicatePercent: 0..100, Reorder: bool}`: at-least-once duplicates and
//!   best-effort order on standard queues (both off by default).
//! - `Functions: {<function logical id>: {...}}` with `Duration` (500ms, 2s...), `FailWhen` (an
//!   EventBridge pattern tested on each item: an SQS body parsed as JSON, the SNS message parsed
//!   as JSON, or the EventBridge event), `FailPercent` (seeded), `Down: [{From, Until}]` (not
//!   running: nothing polls its queues and pushes to it fail), and `Actions` run for each item
//!   processed successfully: `PutEvents {EventBusName, Source, DetailType, Detail}`,
//!   `Publish {TopicArn, Message, MessageGroupId}`, `SendMessage {QueueUrl, MessageBody,
//!   MessageGroupId}`, where each body is an input-transformer-style
//!   `{InputPathsMap, InputTemplate}` applied to the item, or a constant.
//! - `Queues: {<queue logical id>: {Down: [{From, Until}]}}`: SendMessage to the queue fails with
//!   a server error in those windows (a service disruption), so SNS and EventBridge retry
//!   towards it and a direct sender sees the error.
//! - `Subscriptions: {<subscription logical id>: {Down: [{From, Until}], Refused: [...]}}`:
//!   `Down`, an email, SMS or HTTP/S endpoint that fails every delivery in those windows, so SNS
//!   retries with that protocol's delivery policy; `Refused`, an endpoint of any protocol whose
//!   policy no longer lets SNS deliver (or that was deleted): a client-side error, which SNS
//!   does not retry, so the message goes at once to the subscription's dead-letter queue or is
//!   discarded (sns-dead-letter-queues).
//! - `Workers: {<name>: {QueueUrl, WaitTimeSeconds, MaxNumberOfMessages, IdlePause, ...}}`:
//!   consumers outside Lambda that call ReceiveMessage in a loop (short polling when the wait is
//!   0, long polling up to 20 s; the default is the queue's ReceiveMessageWaitTimeSeconds),
//!   process each message (`Duration`, `FailWhen`, `FailPercent`, `Down`, `Actions` as for
//!   functions), delete what succeeded, and pause `IdlePause` after an empty receive.
//! - `Events: [...]`, each with `At` (default 0s), optional `Every` + `Count`, and one of
//!   `PutEvents {EventBusName, Source, DetailType, Detail | Details: [...], Resources}`,
//!   `Publish {TopicArn, Message | Messages: [...], Subject, MessageAttributes, MessageGroupId,
//!   MessageDeduplicationId}`, `SendMessage {QueueUrl, MessageBody | MessageBodies: [...],
//!   MessageGroupId, MessageDeduplicationId}`. With a list, each send picks one with the seeded
//!   generator. An AWS PutEvents entry `{Source, DetailType, Detail, EventBusName}` is accepted
//!   too (the CLI's `--send` file takes the same shapes). Two operations may be scripted the
//!   same way: `StartMessageMoveTask {SourceArn}` (redrive a dead-letter queue back to its
//!   source) and `StartReplay {ArchiveName, ReplayName, EventStartTime, EventEndTime,
//!   Destination: {Arn, FilterArns}}` (times are virtual durations such as 0s and 2m; the
//!   destination is the archive's bus, and `FilterArns` limits the replay to some of its rules).
//!
//! ```yaml
//! Metadata:
//!   Eventyard:
//!     Seed: 7
//!     StandardQueues: {DuplicatePercent: 2, Reorder: true}
//!     Functions:
//!       DonutMaker:                 # a function's logical id
//!         Duration: 2s
//!         FailWhen: {detail: {flavour: [burnt]}}
//!         FailPercent: 10
//!         Down: [{From: 1m, Until: 3m}]
//!         Actions:
//!           - PutEvents: {EventBusName: default, Source: shop.kitchen, DetailType: DonutMade,
//!                         Detail: {InputPathsMap: {id: $.detail.id}, InputTemplate: '{"id": <id>}'}}
//!     Events:
//!       - At: 0s
//!         Every: 5s
//!         Count: 10
//!         PutEvents: {Source: shop.web, DetailType: OrderPlaced, Details: [{flavour: donut}, {flavour: pie}]}
//! ```

use crate::duration::parse_duration_ms;
use crate::error::Errors;
use crate::events::{bus_arn, input_transformer, pattern_text};
use crate::model::{
    Action, Archive, Behaviour, InputTransformer, Queue, Rule, Scripted, Send, Template, Topic,
};
use crate::node::{Node, Pos, Value};
use crate::props::{integer_of, Props};
use crate::{outages, workers};

/// Where names used in the metadata are looked up.
pub struct Lookup<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    pub queues: &'a [Queue],
    pub topics: &'a [Topic],
    pub archives: &'a [Archive],
    pub rules: &'a [Rule],
}

impl Lookup<'_> {
    pub fn of(template: &Template) -> Lookup<'_> {
        Lookup {
            account_id: &template.account_id,
            region: &template.region,
            queues: &template.queues,
            topics: &template.topics,
            archives: &template.archives,
            rules: &template.rules,
        }
    }

    /// A queue by URL, ARN or name, as its ARN.
    pub fn queue_arn(&self, text: &str) -> Option<String> {
        self.queues
            .iter()
            .find(|q| q.url == text || q.arn == text || q.name == text)
            .map(|q| q.arn.clone())
    }
    /// A topic by ARN or name, as its ARN.
    pub fn topic_arn(&self, text: &str) -> Option<String> {
        self.topics
            .iter()
            .find(|t| t.arn == text || t.name == text)
            .map(|t| t.arn.clone())
    }
}

pub const OWNER: &str = "Metadata.Eventyard";

/// The most sends one scripted entry may make (a playground limit, not AWS's).
pub const MAX_COUNT: u64 = 100_000_000;

pub fn duration(node: &Node, what: &str, errors: &mut Errors) -> Option<u64> {
    let parsed = match &node.value {
        Value::Number(n) => n.as_f64().and_then(|s| parse_duration_ms(&s.to_string())),
        Value::String(s) => parse_duration_ms(s),
        _ => None,
    };
    if parsed.is_none() {
        errors.push(
            OWNER,
            node.pos,
            format!("{what} must be a duration such as 500ms, 5s, 10m or 2h"),
        );
    }
    parsed
}

/// A body template: `{InputPathsMap, InputTemplate}`, or a plain string / structure used as is.
fn body_template(node: &Node, errors: &mut Errors) -> Option<InputTransformer> {
    if node.get("InputTemplate").is_some() {
        return input_transformer(OWNER, node, "InputTemplate", errors);
    }
    Some(InputTransformer {
        input_paths_map: Vec::new(),
        input_template: match &node.value {
            Value::String(s) => s.clone(),
            _ => node.to_json().to_string(),
        },
    })
}

pub fn behaviour(node: &Node, lookup: &Lookup<'_>, errors: &mut Errors) -> Behaviour {
    let props = Props {
        logical_id: OWNER,
        pos: node.pos,
        node: Some(node),
    };
    let mut behaviour = Behaviour::default();
    if let Some(d) = props.get("Duration") {
        behaviour.duration_ms = duration(d, "Duration", errors).unwrap_or(0);
    }
    if let Some(pattern) = props.get("FailWhen") {
        behaviour.fail_when = pattern_text(pattern, OWNER, errors);
    }
    if let Some(percent) = props.get("FailPercent") {
        match integer_of(percent).filter(|p| *p <= 100) {
            Some(p) => behaviour.fail_percent = p,
            None => errors.push(
                OWNER,
                percent.pos,
                "FailPercent must be an integer from 0 to 100",
            ),
        }
    }
    if let Some(down) = props.get("Down") {
        behaviour.down_ms = outages::down_windows(down, errors);
    }
    if let Some(actions) = props.get("Actions") {
        match actions.as_seq() {
            Some(items) => {
                for item in items {
                    if let Some(action) = action(item, lookup, errors) {
                        behaviour.actions.push(action);
                    }
                }
            }
            None => errors.push(OWNER, actions.pos, "Actions must be a list"),
        }
    }
    behaviour
}

fn action(node: &Node, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<Action> {
    if let Some(put) = node.get("PutEvents") {
        let p = Props {
            logical_id: OWNER,
            pos: put.pos,
            node: Some(put),
        };
        let source = p.required_string("Source", errors);
        let detail_type = p.required_string("DetailType", errors);
        let detail = match p.get("Detail") {
            Some(d) => body_template(d, errors),
            None => Some(InputTransformer {
                input_paths_map: Vec::new(),
                input_template: "{}".into(),
            }),
        };
        let bus = p.string("EventBusName", errors);
        return Some(Action::PutEvents {
            event_bus_arn: bus_arn(bus.as_deref(), lookup.account_id, lookup.region),
            source: source?,
            detail_type: detail_type?,
            detail: detail?,
        });
    }
    if let Some(publish) = node.get("Publish") {
        let p = Props {
            logical_id: OWNER,
            pos: publish.pos,
            node: Some(publish),
        };
        let topic_arn = topic_target(&p, lookup, errors)?;
        let message = match p.get("Message") {
            Some(m) => body_template(m, errors)?,
            None => InputTransformer {
                input_paths_map: Vec::new(),
                input_template: "<aws.events.event.json>".into(),
            },
        };
        return Some(Action::Publish {
            topic_arn,
            message,
            message_group_id: p.string("MessageGroupId", errors),
        });
    }
    if let Some(send) = node.get("SendMessage") {
        let p = Props {
            logical_id: OWNER,
            pos: send.pos,
            node: Some(send),
        };
        let queue_arn = queue_target(&p, lookup, errors)?;
        let message_body = match p.get("MessageBody") {
            Some(m) => body_template(m, errors)?,
            None => InputTransformer {
                input_paths_map: Vec::new(),
                input_template: "<aws.events.event.json>".into(),
            },
        };
        return Some(Action::SendMessage {
            queue_arn,
            message_body,
            message_group_id: p.string("MessageGroupId", errors),
        });
    }
    errors.push(
        OWNER,
        node.pos,
        "Each action must be PutEvents, Publish or SendMessage",
    );
    None
}

/// The topic a `Publish` names (`TopicArn`: a name, an ARN or a `!Ref`), as an ARN of this
/// template. Shared by function actions and scripted sends.
fn topic_target(p: &Props<'_>, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<String> {
    let topic = p.required_string("TopicArn", errors)?;
    known(lookup.topic_arn(&topic), &topic, "topic", p.pos, errors)
}

/// The queue a `SendMessage` names (`QueueUrl`, or `QueueArn`), as an ARN of this template.
/// Shared by function actions and scripted sends.
fn queue_target(p: &Props<'_>, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<String> {
    let queue = p
        .string("QueueUrl", errors)
        .or_else(|| p.string("QueueArn", errors));
    let Some(queue) = queue else {
        errors.push(OWNER, p.pos, "SendMessage needs QueueUrl");
        return None;
    };
    known(lookup.queue_arn(&queue), &queue, "queue", p.pos, errors)
}

/// StartReplay's `Destination {Arn, FilterArns}`: the bus must be the archive's own, and each
/// filter a rule on it (eb-archive: "You can replay events only to the event bus specified
/// to create the archive"). Returns the rule ARNs, empty for every rule.
fn replay_destination(
    destination: &Node,
    bus_arn: &str,
    lookup: &Lookup<'_>,
    errors: &mut Errors,
) -> Option<Vec<String>> {
    let p = Props {
        logical_id: OWNER,
        pos: destination.pos,
        node: Some(destination),
    };
    let arn = p.required_string("Arn", errors)?;
    if arn != bus_arn {
        errors.push(
            OWNER,
            p.get("Arn").map_or(destination.pos, |n| n.pos),
            "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
        );
        return None;
    }
    let Some(filters) = p.get("FilterArns") else {
        return Some(Vec::new());
    };
    let Some(items) = filters.as_seq() else {
        errors.push(OWNER, filters.pos, "FilterArns must be a list of rule ARNs");
        return None;
    };
    let mut rule_arns = Vec::new();
    for item in items {
        let text = item.as_str().unwrap_or_default();
        match lookup
            .rules
            .iter()
            .find(|r| (r.arn == text || r.name == text) && r.event_bus_arn == bus_arn)
        {
            Some(rule) => rule_arns.push(rule.arn.clone()),
            None => errors.push(
                OWNER,
                item.pos,
                format!("FilterArns: {text} is not a rule of the archive's event bus {bus_arn}"),
            ),
        }
    }
    Some(rule_arns)
}

/// Settings attached to resources: outage windows of queues and inbox endpoints, and workers.
pub fn outages_and_workers(settings: &Node, template: &mut Template, errors: &mut Errors) {
    outages::queues(settings, template, errors);
    outages::subscriptions(settings, template, errors);
    workers::workers(settings, template, errors);
}

pub(crate) fn known(
    found: Option<String>,
    text: &str,
    what: &str,
    pos: Pos,
    errors: &mut Errors,
) -> Option<String> {
    if found.is_none() {
        errors.push(
            OWNER,
            pos,
            format!("{text} is not a {what} of this template"),
        );
    }
    found
}

/// One entry of `Events:` (or of a `--send` file).
pub fn scripted(node: &Node, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<Scripted> {
    let p = Props {
        logical_id: OWNER,
        pos: node.pos,
        node: Some(node),
    };
    let at_ms = match p.get("At") {
        Some(at) => duration(at, "At", errors)?,
        None => 0,
    };
    let every_ms = match p.get("Every") {
        Some(every) => {
            let ms = duration(every, "Every", errors)?;
            if ms == 0 {
                errors.push(OWNER, every.pos, "Every must be longer than 0s");
                return None;
            }
            Some(ms)
        }
        None => None,
    };
    let count = match p.get("Count") {
        Some(count) => match integer_of(count).filter(|c| *c <= MAX_COUNT) {
            Some(c) => c,
            None => {
                errors.push(
                    OWNER,
                    count.pos,
                    format!("Count must be a whole number up to {MAX_COUNT}"),
                );
                return None;
            }
        },
        None if every_ms.is_some() => {
            errors.push(
                OWNER,
                node.pos,
                "Every needs a Count (how many times to send)",
            );
            return None;
        }
        None => 1,
    };
    let send = send(node, lookup, errors)?;
    Some(Scripted {
        at_ms,
        every_ms,
        count,
        send,
    })
}

/// Values given as `Key` (one) or `Keys` (a list to pick from).
/// The texts of an action's `one` or `many` key, at least one: without either, an error at the
/// action and one empty text (the send still runs, so the rest of the template can be checked).
fn texts(
    p: &Props<'_>,
    (action, one, many): (&str, &str, &str),
    errors: &mut Errors,
) -> Vec<String> {
    let mut texts: Vec<String> = one_or_many(p, one, many).into_iter().map(text_of).collect();
    if texts.is_empty() {
        errors.push(OWNER, p.pos, format!("{action} needs a {one}"));
        texts.push(String::new());
    }
    texts
}

fn one_or_many<'n>(p: &Props<'n>, one: &str, many: &str) -> Vec<&'n Node> {
    if let Some(node) = p.get(one) {
        return vec![node];
    }
    p.get(many)
        .and_then(Node::as_seq)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

fn text_of(node: &Node) -> String {
    match &node.value {
        Value::String(s) => s.clone(),
        _ => node.to_json().to_string(),
    }
}

fn send(node: &Node, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<Send> {
    if let Some(put) = node.get("PutEvents") {
        let p = Props {
            logical_id: OWNER,
            pos: put.pos,
            node: Some(put),
        };
        let source = p.required_string("Source", errors);
        let detail_type = p.required_string("DetailType", errors);
        let mut details = Vec::new();
        for detail in one_or_many(&p, "Detail", "Details") {
            match &detail.value {
                Value::Map(_) => details.push(detail.to_json()),
                // AWS's PutEvents takes Detail as a JSON string.
                Value::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(value @ serde_json::Value::Object(_)) => details.push(value),
                    _ => errors.push(OWNER, detail.pos, "Detail is malformed."),
                },
                _ => errors.push(OWNER, detail.pos, "Detail is malformed."),
            }
        }
        if details.is_empty() {
            details.push(serde_json::json!({}));
        }
        let resources = p
            .get("Resources")
            .and_then(Node::as_seq)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let bus = p.string("EventBusName", errors);
        return Some(Send::PutEvents {
            event_bus_arn: bus_arn(bus.as_deref(), lookup.account_id, lookup.region),
            source: source?,
            detail_type: detail_type?,
            details,
            resources,
        });
    }
    if let Some(publish) = node.get("Publish") {
        let p = Props {
            logical_id: OWNER,
            pos: publish.pos,
            node: Some(publish),
        };
        let topic_arn = topic_target(&p, lookup, errors)?;
        return Some(Send::Publish {
            topic_arn,
            messages: texts(&p, ("Publish", "Message", "Messages"), errors),
            subject: p.string("Subject", errors),
            message_attributes: p
                .get("MessageAttributes")
                .map_or(serde_json::json!({}), Node::to_json),
            message_group_id: p.string("MessageGroupId", errors),
            message_deduplication_id: p.string("MessageDeduplicationId", errors),
        });
    }
    if let Some(send) = node.get("SendMessage") {
        let p = Props {
            logical_id: OWNER,
            pos: send.pos,
            node: Some(send),
        };
        let queue_arn = queue_target(&p, lookup, errors)?;
        return Some(Send::SendMessage {
            queue_arn,
            bodies: texts(&p, ("SendMessage", "MessageBody", "MessageBodies"), errors),
            message_group_id: p.string("MessageGroupId", errors),
            message_deduplication_id: p.string("MessageDeduplicationId", errors),
        });
    }
    if let Some(task) = node.get("StartMessageMoveTask") {
        let p = Props {
            logical_id: OWNER,
            pos: task.pos,
            node: Some(task),
        };
        let source = p.required_string("SourceArn", errors)?;
        let source_arn = known(
            lookup.queue_arn(&source),
            &source,
            "queue",
            task.pos,
            errors,
        )?;
        return Some(Send::StartMessageMoveTask { source_arn });
    }
    if let Some(replay) = node.get("StartReplay") {
        let p = Props {
            logical_id: OWNER,
            pos: replay.pos,
            node: Some(replay),
        };
        let archive = p
            .string("ArchiveName", errors)
            .or_else(|| p.string("ArchiveArn", errors));
        let Some(archive) = archive else {
            errors.push(OWNER, replay.pos, "StartReplay needs ArchiveName");
            return None;
        };
        let found = lookup
            .archives
            .iter()
            .find(|a| a.name == archive || a.arn == archive)
            .map(|a| a.arn.clone());
        let archive_arn = known(found, &archive, "archive", replay.pos, errors)?;
        let window =
            |key: &str, errors: &mut Errors| p.get(key).and_then(|n| duration(n, key, errors));
        let event_start_ms = window("EventStartTime", errors).unwrap_or(0);
        let event_end_ms = window("EventEndTime", errors).unwrap_or(u64::MAX);
        let bus_arn = lookup
            .archives
            .iter()
            .find(|a| a.arn == archive_arn)
            .map(|a| a.source_arn.as_str())
            .unwrap_or_default();
        let rule_arns = match p.get("Destination") {
            Some(destination) => replay_destination(destination, bus_arn, lookup, errors)?,
            None => Vec::new(),
        };
        return Some(Send::StartReplay {
            archive_arn,
            replay_name: p
                .string("ReplayName", errors)
                .unwrap_or_else(|| "replay".into()),
            event_start_ms,
            event_end_ms,
            rule_arns,
        });
    }
    // An AWS PutEvents entry as the CLI takes it: {Source, DetailType, Detail, EventBusName}.
    if node.get("Source").is_some() && node.get("DetailType").is_some() {
        let key = crate::node::Key {
            name: "PutEvents".into(),
            pos: node.pos,
        };
        let wrapper = Node::new(Value::Map(vec![(key, node.clone())]), node.pos);
        return send(&wrapper, lookup, errors);
    }
    errors.push(
        OWNER,
        node.pos,
        "Each event must be PutEvents, Publish or SendMessage",
    );
    None
}
