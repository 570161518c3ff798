//! SQS operations on the simulator: SendMessage (size limit, FIFO group and deduplication,
//! DelaySeconds), receive (visibility timeout, receive count, redrive to the DLQ when the count
//! exceeds maxReceiveCount, seeded duplicates and reordering on standard queues), delete, and
//! retention expiry by a per-queue sweep (sqs-visibility-timeout, sqs-dead-letter-queues,
//! sqs-message-retention, FIFO-queues-exactly-once-processing). Moving to and from dead-letter
//! queues is in `dead_letters.rs`.

use std::sync::Arc;

use serde_json::{json, Value};

use eventyard_template::limits;

use crate::ledger::{Place, Token};
use crate::payload::{md5_hex, sha256_hex, sqs_record, SqsFields};
use crate::sends::SENDER_ID;
use crate::sim::{down_until, shared, Happening, Simulator};
use crate::sqs::{MessageState, SqsMessage};
use crate::trace::{TraceAction, TraceSink};

/// A message's size as SQS counts it against the limit: the body plus each attribute's name,
/// data type and value (sqs-message-metadata, "message attribute ... count toward the size").
pub(crate) fn sqs_message_size(body: &str, attributes: &Value) -> u64 {
    let mut size = body.len() as u64;
    if let Some(map) = attributes.as_object() {
        for (name, attribute) in map {
            size += name.len() as u64;
            for key in ["DataType", "StringValue", "BinaryValue"] {
                if let Some(Value::String(text)) = attribute.get(key) {
                    size += text.len() as u64;
                }
            }
        }
    }
    size
}

/// API_SendMessage's request: `QueueUrl`, `MessageBody`, and `MessageAttributes`,
/// `MessageGroupId`, `MessageDeduplicationId` only when given.
pub(crate) fn send_message_request(
    queue_url: &str,
    body: &str,
    message_attributes: &Value,
    group: Option<&str>,
    deduplication_id: Option<&str>,
) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("QueueUrl".into(), json!(queue_url));
    map.insert("MessageBody".into(), json!(body));
    if message_attributes
        .as_object()
        .is_some_and(|m| !m.is_empty())
    {
        map.insert("MessageAttributes".into(), message_attributes.clone());
    }
    if let Some(group) = group {
        map.insert("MessageGroupId".into(), json!(group));
    }
    if let Some(id) = deduplication_id {
        map.insert("MessageDeduplicationId".into(), json!(id));
    }
    Value::Object(map)
}

impl Simulator {
    /// SendMessage: `token` becomes the queue's message (or is dropped with a reason).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send_message(
        &mut self,
        token: Token,
        queue: usize,
        body: Arc<str>,
        message_attributes: Arc<Value>,
        group: Option<Arc<str>>,
        deduplication_id: Option<Arc<str>>,
        parent: Option<Arc<str>>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(queue_id), Some(declared)) =
            (world.queue_ids.get(queue), world.template.queues.get(queue))
        else {
            self.ledger.move_to(token, Place::Dropped);
            return;
        };
        // The call as made (API_SendMessage's request), shown on the queue's record whether it
        // is accepted, refused or deduplicated.
        let request = send_message_request(
            &declared.url,
            &body,
            &message_attributes,
            group.as_deref(),
            deduplication_id.as_deref(),
        );
        let message_id = self.uuid();
        let refusal = if let Some(until) = self.queue_down_until(queue) {
            Some(format!(
                "ServiceUnavailable: the queue is declared down until {} s; SendMessage failed",
                until / 1000
            ))
        } else if sqs_message_size(&body, &message_attributes) > declared.maximum_message_size {
            // sqs-quotas: the body and every attribute's name, type and value count, against
            // the queue's MaximumMessageSize (1 MiB unless it says less).
            Some(format!(
                "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than {} bytes.",
                declared.maximum_message_size
            ))
        } else if declared.fifo_queue && group.is_none() {
            Some("MissingParameter: The request must contain the parameter MessageGroupId.".into())
        } else if declared.fifo_queue
            && deduplication_id.is_none()
            && !declared.content_based_deduplication
        {
            Some("InvalidParameterValue: The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly".into())
        } else {
            None
        };
        if let Some(reason) = refusal {
            self.emit(
                sink,
                queue_id,
                TraceAction::Failed,
                &message_id,
                parent.as_ref(),
                || shared(request.clone()),
                || reason,
            );
            self.ledger.move_to(token, Place::Dropped);
            return;
        }
        let mut sequence_number = None;
        let mut dedup_used = None;
        if declared.fifo_queue {
            let dedup = deduplication_id.unwrap_or_else(|| Arc::from(sha256_hex(&body)));
            let now = self.now_ms;
            let window_ms = limits::SQS_FIFO_DEDUP_WINDOW.value * 1000;
            let fresh = self
                .queues
                .get_mut(queue)
                .is_some_and(|q| q.dedup.remember(dedup.clone(), now, window_ms));
            if !fresh {
                self.emit(sink, queue_id, TraceAction::Deduplicated, &message_id, parent.as_ref(), || shared(request.clone()), || {
                    format!("MessageDeduplicationId {dedup} was sent within the last 5 minutes: accepted, not enqueued again")
                });
                self.ledger.move_to(token, Place::Dropped);
                return;
            }
            if let Some(state) = self.queues.get_mut(queue) {
                state.next_sequence += 1;
                sequence_number = Some(state.next_sequence);
            }
            dedup_used = Some(dedup);
        }
        let delayed = declared.delay_s > 0;
        let message = SqsMessage {
            token,
            message_id: message_id.clone(),
            parent_id: parent.clone(),
            body: body.clone(),
            message_attributes: message_attributes.clone(),
            sent_ms: self.now_ms,
            first_receive_ms: None,
            receive_count: 0,
            group: group.clone(),
            deduplication_id: dedup_used,
            sequence_number,
            dead_letter_source_arn: None,
            state: if delayed {
                MessageState::Delayed
            } else {
                MessageState::Visible
            },
            order: 0,
        };
        let Some(state) = self.queues.get_mut(queue) else {
            return;
        };
        let key = state.insert(message);
        self.ledger.move_to(token, self.queue_place(queue));
        let delay_s = declared.delay_s;
        self.emit(
            sink,
            queue_id,
            TraceAction::Received,
            &message_id,
            parent.as_ref(),
            || shared(request),
            || {
                if delay_s > 0 {
                    format!("SendMessage: invisible for DelaySeconds {delay_s}")
                } else {
                    "SendMessage: visible now".into()
                }
            },
        );
        if delayed {
            self.schedule(
                self.now_ms + delay_s * 1000,
                Happening::QueueTimer {
                    queue,
                    key,
                    receipt: None,
                },
            );
        } else {
            self.wake(queue);
        }
        self.ensure_sweep(queue);
    }

    /// `Some(end)` when the queue is declared down now (`Metadata: Eventyard: Queues:`): every
    /// SendMessage fails with a server error until `end` ms, as in a service disruption.
    pub(crate) fn queue_down_until(&self, queue: usize) -> Option<u64> {
        let declared = self.world.template.queues.get(queue)?;
        down_until(&declared.down_ms, self.now_ms)
    }

    /// Pollers of this queue look again now.
    pub(crate) fn wake(&mut self, queue: usize) {
        self.wake_workers(queue);
        let world = self.world.clone();
        for &mapping in world
            .queue_mappings
            .get(queue)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            self.request_poll(mapping, self.now_ms);
        }
    }

    pub(crate) fn ensure_sweep(&mut self, queue: usize) {
        let Some(declared) = self.world.template.queues.get(queue) else {
            return;
        };
        let retention_ms = declared.message_retention_period_s * 1000;
        let Some(state) = self.queues.get_mut(queue) else {
            return;
        };
        if state.sweep_at_ms.is_some() {
            return;
        }
        if let Some(oldest) = state.oldest_sent_ms() {
            let at = oldest + retention_ms;
            state.sweep_at_ms = Some(at);
            self.schedule(at, Happening::Sweep { queue });
        }
    }

    pub(crate) fn queue_timer(
        &mut self,
        queue: usize,
        key: u64,
        receipt: Option<u64>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(queue_id), Some(declared)) =
            (world.queue_ids.get(queue), world.template.queues.get(queue))
        else {
            return;
        };
        let Some(state) = self.queues.get_mut(queue) else {
            return;
        };
        let Some(message) = state.messages.get(&key) else {
            return;
        };
        let current = match (message.state, receipt) {
            (MessageState::Delayed, None) => true,
            (MessageState::InFlight { receipt: r, .. }, Some(expected)) => r == expected,
            _ => false,
        };
        if !current {
            return;
        }
        let token = message.token;
        let message_id = message.message_id.clone();
        let receive_count = message.receive_count;
        let was_delayed = receipt.is_none();
        state.make_visible(key, declared.fifo_queue);
        self.ledger.move_to(token, self.queue_place(queue));
        if !was_delayed {
            let timeout = declared.visibility_timeout_s;
            self.emit(sink, queue_id, TraceAction::Retried, &message_id, None, || None, || {
                format!("VisibilityTimeout ({timeout} s) ended without a delete: visible again (receive count {receive_count})")
            });
        }
        self.wake(queue);
    }

    pub(crate) fn sweep(&mut self, queue: usize, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(queue_id), Some(declared)) =
            (world.queue_ids.get(queue), world.template.queues.get(queue))
        else {
            return;
        };
        let retention_ms = declared.message_retention_period_s * 1000;
        let now = self.now_ms;
        let expired: Vec<u64> = match now.checked_sub(retention_ms) {
            Some(sent_by) => self
                .queues
                .get(queue)
                .map(|q| q.sent_by(sent_by))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        // In arrival order, as before the index (the trace does not change).
        let mut expired = expired;
        expired.sort_unstable();
        for key in expired {
            if let Some(message) = self.remove_message(queue, key) {
                self.ledger.move_to(message.token, Place::Expired);
                let period = declared.message_retention_period_s;
                self.emit(
                    sink,
                    queue_id,
                    TraceAction::Expired,
                    &message.message_id,
                    None,
                    || None,
                    || {
                        format!(
                            "MessageRetentionPeriod ({period} s) passed: SQS deleted the message"
                        )
                    },
                );
            }
        }
        if let Some(state) = self.queues.get_mut(queue) {
            state.sweep_at_ms = None;
        }
        self.ensure_sweep(queue);
        self.wake(queue);
    }

    /// Remove a message and cancel its visibility timer.
    pub(crate) fn remove_message(&mut self, queue: usize, key: u64) -> Option<SqsMessage> {
        let message = self.queues.get_mut(queue)?.remove(key)?;
        if let MessageState::InFlight { timer, .. } = message.state {
            self.unschedule(timer);
        }
        Some(message)
    }

    /// ReceiveMessage for a poller: up to `max` messages, each now in flight. Messages whose
    /// receive count already reached maxReceiveCount move to the DLQ instead (redrive).
    pub(crate) fn receive(
        &mut self,
        queue: usize,
        max: usize,
        receiver: &str,
        sink: &mut dyn TraceSink,
    ) -> Vec<(u64, u64, SqsMessage)> {
        let world = self.world.clone();
        let (Some(queue_id), Some(declared)) =
            (world.queue_ids.get(queue), world.template.queues.get(queue))
        else {
            return Vec::new();
        };
        let dlq = world.queue_dlq.get(queue).copied().flatten();
        let max_receive_count = declared.redrive_policy.map(|p| p.max_receive_count);
        let mut taken = Vec::new();
        let mut rounds = 0;
        while taken.len() < max && rounds < 1000 {
            rounds += 1;
            let want = max - taken.len();
            let Some(state) = self.queues.get(queue) else {
                break;
            };
            let mut keys = if self.options.reorder && !declared.fifo_queue {
                state.receivable(want * 2)
            } else {
                state.receivable(want)
            };
            if keys.is_empty() {
                break;
            }
            if self.options.reorder && !declared.fifo_queue {
                // Best-effort order: a seeded shuffle of the first few visible messages.
                for i in (1..keys.len()).rev() {
                    let j = self.rng_sqs.below(i as u64 + 1) as usize;
                    keys.swap(i, j);
                }
                keys.truncate(want);
            }
            for key in keys {
                let Some(message) = self.queues.get(queue).and_then(|q| q.messages.get(&key))
                else {
                    continue;
                };
                if let (Some(dlq), Some(max_count)) = (dlq, max_receive_count) {
                    if message.receive_count >= max_count {
                        self.move_to_dlq(queue, key, dlq, max_count, sink);
                        continue;
                    }
                }
                let receipt = self.next_receipt;
                self.next_receipt += 1;
                let timer = self.schedule(
                    self.now_ms + declared.visibility_timeout_s * 1000,
                    Happening::QueueTimer {
                        queue,
                        key,
                        receipt: Some(receipt),
                    },
                );
                let now = self.now_ms;
                let Some(state) = self.queues.get_mut(queue) else {
                    break;
                };
                state.take(key, receipt, timer, now);
                let Some(message) = state.messages.get(&key).cloned() else {
                    continue;
                };
                self.ledger.move_to(message.token, Place::InFlight);
                let record = sink
                    .wants_payloads()
                    .then(|| self.sqs_record_of(queue, &message, receipt));
                let count = message.receive_count;
                let receiver = receiver.to_string();
                self.emit(
                    sink,
                    queue_id,
                    TraceAction::Delivered,
                    &message.message_id,
                    None,
                    || record.map(Arc::new),
                    || {
                        format!(
                            "received by {receiver} (receive count {count}); invisible for {} s",
                            declared.visibility_timeout_s
                        )
                    },
                );
                if !declared.fifo_queue
                    && self.rng_sqs.chance_percent(self.options.duplicate_percent)
                {
                    self.duplicate(queue, &message, sink);
                }
                taken.push((key, receipt, message));
            }
        }
        taken
    }

    /// At-least-once delivery: a copy with the same MessageId stays behind.
    fn duplicate(&mut self, queue: usize, original: &SqsMessage, sink: &mut dyn TraceSink) {
        let Some(queue_id) = self.world.queue_ids.get(queue).cloned() else {
            return;
        };
        let token = self.ledger.create();
        let mut copy = original.clone();
        copy.token = token;
        copy.state = MessageState::Visible;
        copy.receive_count = 0;
        copy.first_receive_ms = None;
        let Some(state) = self.queues.get_mut(queue) else {
            return;
        };
        state.insert(copy);
        self.ledger.move_to(token, self.queue_place(queue));
        self.emit(
            sink,
            &queue_id,
            TraceAction::Received,
            &original.message_id,
            None,
            || None,
            || {
                "standard queue duplicate: at-least-once delivery will deliver this message again"
                    .into()
            },
        );
    }
    /// Delete after successful processing (if the receipt is still current).
    pub(crate) fn delete_message(
        &mut self,
        queue: usize,
        key: u64,
        receipt: u64,
        by: &str,
        sink: &mut dyn TraceSink,
    ) -> bool {
        let current = self
            .queues
            .get(queue)
            .and_then(|q| q.messages.get(&key))
            .is_some_and(
                |m| matches!(m.state, MessageState::InFlight { receipt: r, .. } if r == receipt),
            );
        if !current {
            return false;
        }
        let Some(queue_id) = self.world.queue_ids.get(queue).cloned() else {
            return false;
        };
        let Some(message) = self.remove_message(queue, key) else {
            return false;
        };
        self.ledger.move_to(message.token, Place::Consumed);
        let by = by.to_string();
        self.emit(
            sink,
            &queue_id,
            TraceAction::Deleted,
            &message.message_id,
            None,
            || None,
            || format!("DeleteMessage by {by} after successful processing"),
        );
        self.wake(queue);
        true
    }

    pub(crate) fn sqs_fields_record(&self, message: &SqsMessage, receipt: u64) -> (String, String) {
        (
            format!("{}#{receipt}", message.message_id),
            md5_hex(&message.body),
        )
    }

    /// The ReceiveMessage record of a message.
    pub(crate) fn sqs_record_of(&self, _queue: usize, message: &SqsMessage, receipt: u64) -> Value {
        let (receipt_handle, md5) = self.sqs_fields_record(message, receipt);
        let start = self.world.template.playground.start_time_ms;
        let sequence = message.sequence_number.map(|s| format!("{s:020}"));
        sqs_record(&SqsFields {
            message_id: &message.message_id,
            receipt_handle: &receipt_handle,
            body: &message.body,
            md5_of_body: &md5,
            receive_count: message.receive_count,
            sent_ms: start + message.sent_ms,
            first_receive_ms: start + message.first_receive_ms.unwrap_or(message.sent_ms),
            sender_id: SENDER_ID,
            message_group_id: message.group.as_deref(),
            sequence_number: sequence.as_deref(),
            deduplication_id: message.deduplication_id.as_deref(),
            dead_letter_source_arn: message.dead_letter_source_arn.as_deref(),
            message_attributes: &message.message_attributes,
        })
    }
}
