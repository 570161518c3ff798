//! What the person sends by hand while the playground runs: a PutEvents entry to a bus, a
//! Publish to a topic, a SendMessage to a queue. Each is kept in the document with its virtual
//! time, so a rewind replays it at the same place and the list can be sent again.

use eventyard_template::{Send, Template};
use serde::{Deserialize, Serialize};

/// One send from the page's form, as the person wrote it (text fields, checked when used).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandSend {
    /// Virtual time it was sent at.
    pub at_ms: u64,
    /// Logical id of the bus, topic or queue.
    pub target: String,
    /// Bus: the event's `detail` (JSON). Topic: `Message`. Queue: `MessageBody`.
    pub body: String,
    /// Bus only: `Source` and `DetailType` of the PutEvents entry.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub detail_type: String,
    /// Topic only: `Subject`.
    #[serde(default)]
    pub subject: String,
    /// Topic only: `MessageAttributes` in the SNS API's shape, as JSON text (may be empty).
    #[serde(default)]
    pub attributes: String,
    /// FIFO topics and queues: `MessageGroupId` and `MessageDeduplicationId`.
    #[serde(default)]
    pub group_id: String,
    #[serde(default)]
    pub deduplication_id: String,
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl HandSend {
    /// The simulator's send, or what is wrong, naming the field.
    pub fn to_send(&self, template: &Template) -> Result<Send, String> {
        let id = self.target.as_str();
        let named = |logical_id: &str| logical_id == id;
        if let Some(bus) = template
            .event_buses
            .iter()
            .find(|b| named(&b.origin.logical_id))
        {
            let detail: serde_json::Value = serde_json::from_str(&self.body)
                .map_err(|error| format!("Detail: not JSON ({error})"))?;
            if !detail.is_object() {
                return Err("Detail: must be a JSON object, as PutEvents requires".into());
            }
            if self.source.trim().is_empty() || self.detail_type.trim().is_empty() {
                return Err("Source and DetailType are required by PutEvents".into());
            }
            return Ok(Send::PutEvents {
                event_bus_arn: bus.arn.clone(),
                source: self.source.trim().to_string(),
                detail_type: self.detail_type.trim().to_string(),
                details: vec![detail],
                resources: Vec::new(),
            });
        }
        if let Some(topic) = template.topics.iter().find(|t| named(&t.origin.logical_id)) {
            let message_attributes = if self.attributes.trim().is_empty() {
                serde_json::Value::Object(Default::default())
            } else {
                serde_json::from_str(&self.attributes)
                    .map_err(|error| format!("MessageAttributes: not JSON ({error})"))?
            };
            if !message_attributes.is_object() {
                return Err(
                    "MessageAttributes: must be a JSON object of name → {DataType, StringValue}"
                        .into(),
                );
            }
            if topic.fifo_topic && self.group_id.trim().is_empty() {
                return Err("MessageGroupId: required when publishing to a FIFO topic".into());
            }
            return Ok(Send::Publish {
                topic_arn: topic.arn.clone(),
                messages: vec![self.body.clone()],
                subject: non_empty(&self.subject),
                message_attributes,
                message_group_id: non_empty(&self.group_id),
                message_deduplication_id: non_empty(&self.deduplication_id),
            });
        }
        if let Some(queue) = template.queues.iter().find(|q| named(&q.origin.logical_id)) {
            if queue.fifo_queue && self.group_id.trim().is_empty() {
                return Err("MessageGroupId: required when sending to a FIFO queue".into());
            }
            return Ok(Send::SendMessage {
                queue_arn: queue.arn.clone(),
                bodies: vec![self.body.clone()],
                message_group_id: non_empty(&self.group_id),
                message_deduplication_id: non_empty(&self.deduplication_id),
            });
        }
        Err(format!(
            "{id}: the template has no bus, topic or queue of that name"
        ))
    }
}

/// Where the person can send: every bus, topic and queue, as (logical id, what it is).
pub fn destinations(template: &Template) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    out.extend(
        template
            .event_buses
            .iter()
            .map(|b| (b.origin.logical_id.clone(), "bus")),
    );
    out.extend(
        template
            .topics
            .iter()
            .map(|t| (t.origin.logical_id.clone(), "topic")),
    );
    out.extend(
        template
            .queues
            .iter()
            .map(|q| (q.origin.logical_id.clone(), "queue")),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "Resources:\n  Bus:\n    Type: AWS::Events::EventBus\n    Properties: {Name: orders}\n  T:\n    Type: AWS::SNS::Topic\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::SQS::Queue\n    Properties: {FifoQueue: true, QueueName: f.fifo}\n";

    fn template() -> Template {
        eventyard_template::load(TEMPLATE).unwrap()
    }

    #[test]
    fn a_bus_gets_a_put_events_entry() {
        let hand = HandSend {
            target: "Bus".into(),
            body: r#"{"flavour": "glazed"}"#.into(),
            source: "shop".into(),
            detail_type: "Order".into(),
            ..HandSend::default()
        };
        let Ok(Send::PutEvents {
            detail_type,
            details,
            ..
        }) = hand.to_send(&template())
        else {
            panic!()
        };
        assert_eq!(detail_type, "Order");
        assert_eq!(details[0]["flavour"], "glazed");
    }

    #[test]
    fn each_mistake_names_its_field() {
        let t = template();
        let bus = HandSend {
            target: "Bus".into(),
            body: "{".into(),
            source: "s".into(),
            detail_type: "d".into(),
            ..HandSend::default()
        };
        assert!(bus.to_send(&t).unwrap_err().starts_with("Detail:"));
        let topic = HandSend {
            target: "T".into(),
            attributes: "[1]".into(),
            ..HandSend::default()
        };
        assert!(topic
            .to_send(&t)
            .unwrap_err()
            .starts_with("MessageAttributes:"));
        let fifo = HandSend {
            target: "F".into(),
            body: "x".into(),
            ..HandSend::default()
        };
        assert!(fifo.to_send(&t).unwrap_err().starts_with("MessageGroupId:"));
        let nowhere = HandSend {
            target: "Nope".into(),
            ..HandSend::default()
        };
        assert!(nowhere
            .to_send(&t)
            .unwrap_err()
            .contains("no bus, topic or queue"));
    }

    #[test]
    fn destinations_list_buses_topics_and_queues() {
        let names: Vec<String> = destinations(&template())
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(
            names.contains(&"Bus".to_string())
                && names.contains(&"T".to_string())
                && names.contains(&"F".to_string())
        );
    }
}
