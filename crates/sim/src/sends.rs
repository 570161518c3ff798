//! Inputs from outside the topology: scripted sends (`Metadata: Eventyard: Events:`), sends
//! from the page or the CLI, and the sends declared functions make (`Actions:`). Each becomes
//! a new message (token) at a bus, a topic or a queue.

use std::sync::Arc;

use serde_json::Value;

use eventyard_template::{limits, Action, Send};

use crate::payload::{event, event_text, json_text, EventFields};

use crate::sim::{shared, Simulator};
use crate::trace::{TraceAction, TraceSink};
use crate::transform::{apply, Predefined};

/// The caller's identity in SenderId (an IAM user id shape).
pub const SENDER_ID: &str = "AIDAEVENTYARDSIMULATOR";

impl Simulator {
    fn pick<'a, T>(&mut self, choices: &'a [T]) -> Option<&'a T> {
        match choices.len() {
            0 => None,
            1 => choices.first(),
            n => choices.get(self.rng_pick.below(n as u64) as usize),
        }
    }

    pub(crate) fn perform_send(
        &mut self,
        send: &Send,
        parent: Option<Arc<str>>,
        sink: &mut dyn TraceSink,
    ) {
        match send {
            Send::PutEvents {
                event_bus_arn,
                source,
                detail_type,
                details,
                resources,
            } => {
                // borrowed, not cloned: the envelope clones it once
                let empty = Value::Object(serde_json::Map::new());
                let detail = self.pick(details).unwrap_or(&empty);
                self.put_event(
                    event_bus_arn,
                    source,
                    detail_type,
                    detail,
                    resources,
                    parent,
                    sink,
                );
            }
            Send::Publish {
                topic_arn,
                messages,
                subject,
                message_attributes,
                message_group_id,
                message_deduplication_id,
            } => {
                let message = self.pick(messages).cloned().unwrap_or_default();
                let Some(topic) = self.world.topic_index(topic_arn) else {
                    return;
                };
                let token = self.ledger.create();
                self.publish(
                    token,
                    topic,
                    message,
                    subject.clone(),
                    message_attributes.clone(),
                    message_group_id.clone(),
                    message_deduplication_id.clone(),
                    parent,
                    sink,
                );
            }
            Send::StartMessageMoveTask { source_arn } => {
                if let Some(id) = self
                    .world
                    .queue_index(source_arn)
                    .and_then(|i| self.world.queue_ids.get(i).cloned())
                {
                    self.start_message_move(&id, sink);
                }
            }
            Send::StartReplay {
                archive_arn,
                replay_name,
                event_start_ms,
                event_end_ms,
                rule_arns,
            } => {
                let archive = self
                    .world
                    .template
                    .archives
                    .iter()
                    .position(|a| &a.arn == archive_arn)
                    .and_then(|i| self.world.archive_ids.get(i).cloned());
                if let Some(id) = archive {
                    self.start_replay(&id, replay_name, *event_start_ms, *event_end_ms, rule_arns);
                }
            }
            Send::SendMessage {
                queue_arn,
                bodies,
                message_group_id,
                message_deduplication_id,
            } => {
                let body = self.pick(bodies).cloned().unwrap_or_default();
                let Some(queue) = self.world.queue_index(queue_arn) else {
                    return;
                };
                let token = self.ledger.create();
                self.send_message(
                    token,
                    queue,
                    Arc::from(body),
                    Arc::new(serde_json::json!({})),
                    message_group_id.as_deref().map(Arc::from),
                    message_deduplication_id.as_deref().map(Arc::from),
                    parent,
                    sink,
                );
            }
        }
    }

    /// PutEvents of one entry: the envelope is built here (eb-events-structure).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn put_event(
        &mut self,
        event_bus_arn: &str,
        source: &str,
        detail_type: &str,
        detail: &Value,
        resources: &[String],
        parent: Option<Arc<str>>,
        sink: &mut dyn TraceSink,
    ) {
        let Some(bus) = self.world.bus_index(event_bus_arn) else {
            return;
        };
        // eb-putevent-size: 14 bytes for Time plus the UTF-8 bytes of the other fields.
        let detail_text = json_text(detail);
        let size = 14
            + source.len()
            + detail_type.len()
            + detail_text.len()
            + resources.iter().map(String::len).sum::<usize>();
        let refusal = if source.starts_with("aws.") {
            Some("NotAuthorizedForSourceException: Not authorized for the source (the aws. prefix is reserved for AWS services)".to_string())
        } else if size as u64 > limits::EB_PUT_EVENTS_SIZE_MAX.value {
            Some(format!(
                "ValidationException: Total size of the entries in the request is over the limit. (this entry is {size} bytes; the limit is {} since {})",
                limits::EB_PUT_EVENTS_SIZE_MAX.value,
                limits::EB_PUT_EVENTS_SIZE_MAX.since
            ))
        } else {
            None
        };
        if let Some(reason) = refusal {
            let token = self.ledger.create();
            let id = self.uuid();
            // The entry as sent (API_PutEventsRequestEntry).
            let entry = serde_json::json!({
                "Source": source,
                "DetailType": detail_type,
                "Detail": detail_text,
                "Resources": resources,
                "EventBusName": event_bus_arn,
            });
            if let Some(bus_id) = self.world.bus_ids.get(bus).cloned() {
                self.emit(
                    sink,
                    &bus_id,
                    TraceAction::Failed,
                    &id,
                    parent.as_ref(),
                    || Some(Arc::new(entry)),
                    || reason,
                );
            }
            self.ledger.move_to(token, crate::ledger::Place::Dropped);
            return;
        }
        let id = self.uuid();
        let time = self.iso_now();
        let account = self.world.template.account_id.clone();
        let region = self.world.template.region.clone();
        let fields = EventFields {
            id: &id,
            detail_type,
            source,
            account: &account,
            time: &time,
            region: &region,
            resources,
            detail,
        };
        let envelope = event(&fields);
        let text: Arc<str> = Arc::from(event_text(&fields, &detail_text));
        let token = self.ledger.create();
        self.bus_event(
            token,
            bus,
            id,
            Arc::new(envelope),
            Some(text),
            parent,
            None,
            sink,
        );
    }

    /// A declared function's sends for one successfully processed item.
    pub(crate) fn run_actions(
        &mut self,
        function: usize,
        item: &Value,
        parent: &Arc<str>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(declared), Some(function_id)) = (
            world.template.functions.get(function),
            world.function_ids.get(function),
        ) else {
            return;
        };
        self.run_declared_actions(
            &declared.behaviour.actions,
            function_id,
            &declared.arn,
            item,
            parent,
            sink,
        );
    }

    /// The sends of a declared function or worker (`owner`) for one processed item. The
    /// owner's ARN (a function's) or name (a worker's) fills the predefined variables.
    pub(crate) fn run_declared_actions(
        &mut self,
        actions: &[Action],
        owner: &Arc<str>,
        owner_arn: &str,
        item: &Value,
        parent: &Arc<str>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let function_id = owner;
        let ingestion_time = self.iso_now();
        let predefined = Predefined {
            rule_arn: owner_arn,
            rule_name: owner,
            ingestion_time: &ingestion_time,
        };
        for action in actions {
            match action {
                Action::PutEvents {
                    event_bus_arn,
                    source,
                    detail_type,
                    detail,
                } => {
                    let text = apply(detail, item, &predefined);
                    match serde_json::from_str::<Value>(&text) {
                        Ok(detail @ Value::Object(_)) => {
                            self.put_event(
                                event_bus_arn,
                                source,
                                detail_type,
                                &detail,
                                &[],
                                Some(parent.clone()),
                                sink,
                            );
                        }
                        _ => self.emit(
                            sink,
                            function_id,
                            TraceAction::Failed,
                            parent,
                            None,
                            || shared(Value::String(text.clone())),
                            || {
                                "PutEvents entry failed: MalformedDetail: Detail is malformed."
                                    .into()
                            },
                        ),
                    }
                }
                Action::Publish {
                    topic_arn,
                    message,
                    message_group_id,
                } => {
                    let text = apply(message, item, &predefined);
                    let Some(topic) = world.topic_index(topic_arn) else {
                        continue;
                    };
                    let token = self.ledger.create();
                    let dedup = world
                        .template
                        .topics
                        .get(topic)
                        .filter(|t| t.fifo_topic && !t.content_based_deduplication)
                        .map(|_| parent.to_string());
                    self.publish(
                        token,
                        topic,
                        text,
                        None,
                        serde_json::json!({}),
                        message_group_id.clone(),
                        dedup,
                        Some(parent.clone()),
                        sink,
                    );
                }
                Action::SendMessage {
                    queue_arn,
                    message_body,
                    message_group_id,
                } => {
                    let text = apply(message_body, item, &predefined);
                    let Some(queue) = world.queue_index(queue_arn) else {
                        continue;
                    };
                    let token = self.ledger.create();
                    let dedup = world
                        .template
                        .queues
                        .get(queue)
                        .filter(|q| q.fifo_queue && !q.content_based_deduplication)
                        .map(|_| parent.clone());
                    self.send_message(
                        token,
                        queue,
                        Arc::from(text),
                        Arc::new(serde_json::json!({})),
                        message_group_id.as_deref().map(Arc::from),
                        dedup,
                        Some(parent.clone()),
                        sink,
                    );
                }
            }
        }
    }
}
