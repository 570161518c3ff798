//! SNS: a published message fans out to every subscription whose filter policy passes
//! (sns-subscription-filter-policies; eventyard-pattern's FilterPolicy), shaped per endpoint:
//! the JSON envelope or the raw message to SQS, `Records[].Sns` to Lambda, the text to an
//! inbox. FIFO topics need a MessageGroupId and deduplicate for five minutes. Deliveries to an
//! unavailable endpoint follow the SNS retry schedule, then the subscription's DLQ or are
//! discarded (sns-message-delivery-retries, sns-dead-letter-queues); an endpoint that refuses
//! SNS (a client-side error) is not retried.

use std::sync::Arc;

use serde_json::{json, Value};

use eventyard_pattern::FilterPolicyScope;
use eventyard_template::{limits, Protocol};

use crate::ledger::{Place, Token};
use crate::payload::{
    json_text, sha256_hex, sns_email, sns_envelope, sns_lambda_event, sqs_attributes_from_sns,
    Notification,
};
use crate::schedule::SnsRetryPolicy;
use crate::sim::{down_until, shared, Happening, Simulator, SnsDelivery, SNS_TO_SUBSCRIBER_MS};
use crate::trace::{TraceAction, TraceSink};
use crate::world::Endpoint;

/// Messages an inbox (email, SMS, web endpoint) keeps for the page.
pub const INBOX_KEEP: usize = 50;

impl Simulator {
    /// The latest messages delivered to an inbox subscription (email, email-json, SMS, http/s),
    /// oldest first, with the virtual time each arrived.
    pub fn inbox(&self, subscription_logical_id: &str) -> Vec<(u64, Value)> {
        self.world
            .subscriptions
            .iter()
            .position(|s| &*s.id == subscription_logical_id)
            .and_then(|index| self.inboxes.get(index))
            .map(|inbox| inbox.iter().cloned().collect())
            .unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn publish(
        &mut self,
        token: Token,
        topic: usize,
        message: String,
        subject: Option<String>,
        message_attributes: Value,
        message_group_id: Option<String>,
        deduplication_id: Option<String>,
        parent: Option<Arc<str>>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(topic_id), Some(declared)) =
            (world.topic_ids.get(topic), world.template.topics.get(topic))
        else {
            self.ledger.move_to(token, Place::Dropped);
            return;
        };
        let message_id = self.uuid();
        // The call as made (API_Publish's request), shown on the topic's record whether it is
        // accepted, refused or deduplicated.
        let mut request = serde_json::Map::new();
        request.insert("TopicArn".into(), json!(declared.arn));
        request.insert("Message".into(), json!(message));
        if let Some(subject) = &subject {
            request.insert("Subject".into(), json!(subject));
        }
        if message_attributes
            .as_object()
            .is_some_and(|m| !m.is_empty())
        {
            request.insert("MessageAttributes".into(), message_attributes.clone());
        }
        if let Some(group) = &message_group_id {
            request.insert("MessageGroupId".into(), json!(group));
        }
        if let Some(id) = &deduplication_id {
            request.insert("MessageDeduplicationId".into(), json!(id));
        }
        let request = Value::Object(request);
        let mut sequence_number = None;
        let mut dedup_used = None;
        if declared.fifo_topic {
            let refusal = if message_group_id.is_none() {
                Some(
                    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
                        .to_string(),
                )
            } else if deduplication_id.is_none() && !declared.content_based_deduplication {
                Some("Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".to_string())
            } else {
                None
            };
            if let Some(reason) = refusal {
                self.emit(
                    sink,
                    topic_id,
                    TraceAction::Failed,
                    &message_id,
                    parent.as_ref(),
                    || shared(request.clone()),
                    || reason,
                );
                self.ledger.move_to(token, Place::Dropped);
                return;
            }
            let dedup: Arc<str> = Arc::from(
                deduplication_id
                    .clone()
                    .unwrap_or_else(|| sha256_hex(&message)),
            );
            let window_ms = limits::SNS_FIFO_DEDUP_WINDOW.value * 1000;
            let now = self.now_ms;
            let fresh = self
                .topic_dedup
                .get_mut(topic)
                .is_some_and(|d| d.remember(dedup.clone(), now, window_ms));
            if !fresh {
                self.emit(sink, topic_id, TraceAction::Deduplicated, &message_id, parent.as_ref(), || shared(request.clone()), || {
                    format!("MessageDeduplicationId {dedup} was already published within 5 minutes: accepted but not delivered again")
                });
                self.ledger.move_to(token, Place::Dropped);
                return;
            }
            if let Some(sequence) = self.topic_sequence.get_mut(topic) {
                *sequence += 1;
                sequence_number = Some(format!("{:020}", *sequence));
            }
            dedup_used = Some(dedup);
        }
        let notification = Arc::new(Notification {
            message_id: message_id.to_string(),
            topic_arn: declared.arn.clone(),
            subject,
            message,
            timestamp: self.iso_now_ms(),
            message_attributes,
            message_group_id,
            sequence_number,
            signature_version: (!declared.fifo_topic).then_some(declared.signature_version),
        });
        self.emit(
            sink,
            topic_id,
            TraceAction::Received,
            &message_id,
            parent.as_ref(),
            || shared(request),
            || "Publish accepted the message".into(),
        );
        let subscriptions = world
            .topic_subscriptions
            .get(topic)
            .cloned()
            .unwrap_or_default();
        if subscriptions.is_empty() {
            self.ledger.move_to(token, Place::Dropped);
            return;
        }
        let mut delivered = 0;
        let wants = sink.wants_reasons();
        for index in subscriptions {
            let Some(subscription) = world.subscriptions.get(index) else {
                continue;
            };
            if let Some(policy) = &subscription.policy {
                let (passes, reason) = match (policy.scope(), wants) {
                    (FilterPolicyScope::MessageBody, true) => {
                        let e = policy.explain_body(&notification.message);
                        (e.matched(), e.reason())
                    }
                    (FilterPolicyScope::MessageBody, false) => {
                        (policy.matches_body(&notification.message), String::new())
                    }
                    (FilterPolicyScope::MessageAttributes, true) => {
                        let e = policy.explain_attributes(&notification.message_attributes);
                        (e.matched(), e.reason())
                    }
                    (FilterPolicyScope::MessageAttributes, false) => (
                        policy.matches_attributes(&notification.message_attributes),
                        String::new(),
                    ),
                };
                if !passes {
                    self.emit(
                        sink,
                        &subscription.id,
                        TraceAction::Filtered,
                        &message_id,
                        None,
                        || None,
                        || format!("filter policy did not match: {reason}"),
                    );
                    continue;
                }
            }
            let child = self.ledger.create();
            let delivery = SnsDelivery {
                token: child,
                subscription: index,
                notification: notification.clone(),
                deduplication_id: dedup_used.clone(),
                retries: 0,
            };
            self.schedule(
                self.now_ms + SNS_TO_SUBSCRIBER_MS,
                Happening::SnsDelivery(Box::new(delivery)),
            );
            delivered += 1;
        }
        self.ledger.move_to(
            token,
            if delivered > 0 {
                Place::Consumed
            } else {
                Place::Filtered
            },
        );
    }

    pub(crate) fn deliver_to_subscription(
        &mut self,
        mut delivery: SnsDelivery,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(subscription), Some(declared)) = (
            world.subscriptions.get(delivery.subscription),
            world.template.subscriptions.get(delivery.subscription),
        ) else {
            return;
        };
        let region = world.template.region.clone();
        let n = delivery.notification.clone();
        let message_id: Arc<str> = Arc::from(n.message_id.as_str());
        // sns-message-delivery-retries: an endpoint that cannot take the message (declared
        // down) gets its protocol's delivery policy, then the subscription's DLQ.
        let now = self.now_ms;
        // sns-dead-letter-queues, "Client-side errors": an endpoint whose policy no longer
        // lets SNS deliver (or that was deleted) fails the delivery, and "Amazon SNS doesn't
        // retry the message delivery that fails as a result of a client-side error": the
        // message goes to the subscription's DLQ at once, or is discarded.
        if let Some(until) = down_until(&declared.refused_ms, now) {
            self.subscription_gave_up(
                delivery,
                &region,
                sink,
                &format!(
                    "the endpoint refused SNS (declared refused until {} s): a client-side error, which SNS does not retry",
                    until / 1000
                ),
            );
            return;
        }
        let (outage, policy) = match subscription.endpoint {
            Endpoint::Function(function) => (
                self.function_down_until(function).map(|u| ("Lambda", u)),
                SnsRetryPolicy::AWS_MANAGED,
            ),
            Endpoint::Queue(queue) => (
                self.queue_down_until(queue).map(|u| ("SQS", u)),
                SnsRetryPolicy::AWS_MANAGED,
            ),
            _ => (
                down_until(&declared.down_ms, now).map(|u| ("The endpoint", u)),
                match declared.protocol {
                    Protocol::Http | Protocol::Https => SnsRetryPolicy::HTTP_DEFAULT,
                    _ => SnsRetryPolicy::CUSTOMER_MANAGED,
                },
            ),
        };
        if let Some((service, until)) = outage {
            delivery.retries += 1;
            match policy.delay_ms(delivery.retries) {
                Some(delay) => {
                    let retries = delivery.retries;
                    self.emit(sink, &subscription.id, TraceAction::Retried, &message_id, None, || None, || {
                        format!("{service} unavailable (declared down until {} s); SNS retry {retries} in {delay} ms", until / 1000)
                    });
                    self.schedule(
                        self.now_ms + delay,
                        Happening::SnsDelivery(Box::new(delivery)),
                    );
                }
                None => self.subscription_gave_up(
                    delivery,
                    &region,
                    sink,
                    "SNS delivery policy exhausted",
                ),
            }
            return;
        }
        match subscription.endpoint {
            Endpoint::Queue(queue) => {
                let (body, attributes) = if declared.raw_message_delivery {
                    (
                        n.message.clone(),
                        sqs_attributes_from_sns(&n.message_attributes),
                    )
                } else {
                    (
                        json_text(&sns_envelope(&n, &region, &declared.arn)),
                        json!({}),
                    )
                };
                let shown = body.clone();
                let raw = declared.raw_message_delivery;
                self.emit(
                    sink,
                    &subscription.id,
                    TraceAction::Delivered,
                    &message_id,
                    None,
                    || shared(serde_json::from_str(&shown).unwrap_or(Value::String(shown.clone()))),
                    || {
                        if raw {
                            "raw message delivered to the queue".into()
                        } else {
                            "SNS envelope delivered to the queue".into()
                        }
                    },
                );
                // Only a FIFO queue takes the group and deduplication ids; a standard queue
                // subscribed to a FIFO topic gets the message without them.
                let fifo = world
                    .template
                    .queues
                    .get(queue)
                    .is_some_and(|q| q.fifo_queue);
                self.send_message(
                    delivery.token,
                    queue,
                    Arc::from(body),
                    Arc::new(attributes),
                    n.message_group_id
                        .as_deref()
                        .filter(|_| fifo)
                        .map(Arc::from),
                    delivery.deduplication_id.clone().filter(|_| fifo),
                    Some(message_id),
                    sink,
                );
            }
            Endpoint::Function(function) => {
                let event = Arc::new(sns_lambda_event(&n, &region, &declared.arn));
                let item = Arc::new(
                    serde_json::from_str(&n.message).unwrap_or(Value::String(n.message.clone())),
                );
                let shown = event.clone();
                self.emit(
                    sink,
                    &subscription.id,
                    TraceAction::Delivered,
                    &message_id,
                    None,
                    || Some(shown.clone()),
                    || "invoked the function asynchronously".into(),
                );
                let request_id = self.uuid();
                self.start_async_invocation(
                    delivery.token,
                    function,
                    event,
                    None,
                    item,
                    request_id,
                    Some(message_id),
                );
            }
            Endpoint::Inbox | Endpoint::Topic(_) | Endpoint::Bus(_) => {
                let payload = match declared.protocol {
                    Protocol::Sms => Value::String(n.message.clone()),
                    Protocol::Email => sns_email(&n, &region, &declared.arn),
                    _ => sns_envelope(&n, &region, &declared.arn),
                };
                let protocol = declared.protocol.as_str();
                let endpoint = declared.endpoint.clone();
                let now = self.now_ms;
                if let Some(inbox) = self.inboxes.get_mut(delivery.subscription) {
                    // The page's inbox keeps the latest messages only: memory stays bounded.
                    if inbox.len() >= INBOX_KEEP {
                        inbox.pop_front();
                    }
                    inbox.push_back((now, payload.clone()));
                }
                self.emit(
                    sink,
                    &subscription.id,
                    TraceAction::Delivered,
                    &message_id,
                    None,
                    || shared(payload),
                    || format!("delivered to the {protocol} inbox {endpoint}"),
                );
                self.ledger.move_to(delivery.token, Place::Consumed);
            }
        }
    }

    /// A delivery SNS will not attempt again (`why`): to the subscription's DLQ, or dropped.
    fn subscription_gave_up(
        &mut self,
        delivery: SnsDelivery,
        region: &str,
        sink: &mut dyn TraceSink,
        why: &str,
    ) {
        let world = self.world.clone();
        let (Some(subscription), Some(declared)) = (
            world.subscriptions.get(delivery.subscription),
            world.template.subscriptions.get(delivery.subscription),
        ) else {
            return;
        };
        let message_id: Arc<str> = Arc::from(delivery.notification.message_id.as_str());
        match subscription.dead_letter_queue {
            Some(queue) => {
                // What the subscription would have delivered (sns-dead-letter-queues): the raw
                // message with its attributes as SQS message attributes for a raw-delivery
                // subscription, else the envelope; a FIFO subscription's FIFO DLQ keeps the
                // message group and deduplication ids.
                let n = &delivery.notification;
                let fifo = world
                    .template
                    .queues
                    .get(queue)
                    .is_some_and(|q| q.fifo_queue);
                let (body, attributes) = if declared.raw_message_delivery {
                    (
                        n.message.clone(),
                        sqs_attributes_from_sns(&n.message_attributes),
                    )
                } else {
                    (
                        json_text(&sns_envelope(n, region, &declared.arn)),
                        json!({}),
                    )
                };
                let shown = body.clone();
                self.emit(
                    sink,
                    &subscription.id,
                    TraceAction::MovedToDlq,
                    &message_id,
                    None,
                    || shared(serde_json::from_str(&shown).unwrap_or(Value::String(shown.clone()))),
                    || format!("{why}: sent to the subscription's dead-letter queue"),
                );
                self.send_message(
                    delivery.token,
                    queue,
                    Arc::from(body),
                    Arc::new(attributes),
                    n.message_group_id
                        .as_deref()
                        .filter(|_| fifo)
                        .map(Arc::from),
                    delivery.deduplication_id.clone().filter(|_| fifo),
                    Some(message_id),
                    sink,
                );
            }
            None => {
                self.emit(
                    sink,
                    &subscription.id,
                    TraceAction::Failed,
                    &message_id,
                    None,
                    || None,
                    || format!("{why} and no dead-letter queue: the message is discarded"),
                );
                self.ledger.move_to(delivery.token, Place::Dropped);
            }
        }
    }
}
