//! Declared workers (`Metadata: Eventyard: Workers:`): consumers outside Lambda that call
//! ReceiveMessage in a loop, where short and long polling differ.

use crate::error::Errors;
use crate::limits;
use crate::model::{Template, Worker};
use crate::node::Node;
use crate::playground::{behaviour, duration, known, Lookup, OWNER};
use crate::props::Props;

/// `Workers: {<name>: {...}}`: a name must not be a resource's logical id.
pub fn workers(settings: &Node, template: &mut Template, errors: &mut Errors) {
    if let Some(workers) = settings.get("Workers") {
        let Some(entries) = workers.as_map() else {
            errors.push(
                OWNER,
                workers.pos,
                "Workers must be an object keyed by worker name",
            );
            return;
        };
        let lookup = Lookup::of(template);
        let taken = resource_ids(template);
        let workers: Vec<Worker> = entries
            .iter()
            .filter_map(|(key, node)| {
                if taken.contains(&key.name.as_str()) {
                    errors.push(
                        OWNER,
                        key.pos,
                        format!(
                            "Workers: {} is already a resource's logical id; name the worker differently",
                            key.name
                        ),
                    );
                    return None;
                }
                worker(&key.name, node, &lookup, errors)
            })
            .collect();
        template.playground.workers = workers;
    }
}

/// Every resource's logical id (a worker shares the trace's and the table's name space).
fn resource_ids(template: &Template) -> Vec<&str> {
    let t = template;
    let origins = t
        .event_buses
        .iter()
        .map(|x| &x.origin)
        .chain(t.rules.iter().map(|x| &x.origin))
        .chain(t.archives.iter().map(|x| &x.origin))
        .chain(t.topics.iter().map(|x| &x.origin))
        .chain(t.subscriptions.iter().map(|x| &x.origin))
        .chain(t.queues.iter().map(|x| &x.origin))
        .chain(t.functions.iter().map(|x| &x.origin))
        .chain(t.event_source_mappings.iter().map(|x| &x.origin))
        .chain(t.not_simulated.iter().map(|x| &x.origin));
    origins.map(|o| o.logical_id.as_str()).collect()
}

/// One worker: `{QueueUrl, WaitTimeSeconds, MaxNumberOfMessages, IdlePause}` plus the keys of a
/// declared function's behaviour (`Duration`, `FailWhen`, `FailPercent`, `Down`, `Actions`).
fn worker(name: &str, node: &Node, lookup: &Lookup<'_>, errors: &mut Errors) -> Option<Worker> {
    let p = Props {
        logical_id: OWNER,
        pos: node.pos,
        node: Some(node),
    };
    let wait_time_s = p.get("WaitTimeSeconds").and(Some(p.integer(
        "WaitTimeSeconds",
        0,
        0,
        &limits::SQS_WAIT_TIME_MAX,
        errors,
    )));
    let max_messages = p.integer(
        "MaxNumberOfMessages",
        1,
        1,
        &limits::SQS_RECEIVE_MAX,
        errors,
    );
    let idle_pause_ms = p
        .get("IdlePause")
        .and_then(|n| duration(n, "IdlePause", errors))
        .unwrap_or(0);
    let queue = p
        .string("QueueUrl", errors)
        .or_else(|| p.string("QueueArn", errors));
    let Some(queue) = queue else {
        errors.push(OWNER, node.pos, format!("Workers: {name} needs QueueUrl"));
        return None;
    };
    let queue_pos = p
        .get("QueueUrl")
        .or(p.get("QueueArn"))
        .map_or(node.pos, |n| n.pos);
    let queue_arn = known(lookup.queue_arn(&queue), &queue, "queue", queue_pos, errors)?;
    Some(Worker {
        name: name.to_string(),
        pos: node.pos,
        queue_arn,
        wait_time_s,
        max_messages,
        idle_pause_ms,
        behaviour: behaviour(node, lookup, errors),
    })
}
