//! Lambda, declared (never code): event source mappings poll SQS (batch size, batching window,
//! partial batch failures with ReportBatchItemFailures; services-sqs-parameters,
//! services-sqs-errorhandling); asynchronous invocations are in `lambda_async.rs`. What a
//! function does comes from its declared behaviour: how long it takes, when it fails, when it is
//! down, what it sends.

use std::sync::Arc;

use serde_json::{json, Value};

use eventyard_template::limits;

use crate::payload::{function_error_payload, sqs_lambda_record};
use crate::sim::{down_until, shared, Happening, Invocation, InvocationRecord, Simulator};
use crate::trace::{TraceAction, TraceSink};

/// What a declared function's body looks at: an SQS body parsed as JSON when it is JSON.
fn item_of_body(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()))
}

/// services-sqs-scaling: five concurrent batches to start (fewer if MaximumConcurrency says so).
pub(crate) fn initial_concurrency(maximum: Option<u64>) -> u64 {
    let start = limits::LAMBDA_SQS_CONCURRENT_BATCHES_INITIAL.value;
    maximum.map_or(start, |m| m.min(start))
}

impl Simulator {
    /// services-sqs-scaling: while messages remain and every batch slot is busy, add up to 300
    /// concurrent batches a minute, up to 1,000 (or MaximumConcurrency); back to five when the
    /// queue is empty. Returns when to look again if the mapping is at its ceiling for now.
    fn scale(&mut self, mapping: usize, backlog: bool) -> Option<u64> {
        let maximum = self
            .world
            .template
            .event_source_mappings
            .get(mapping)
            .and_then(|m| m.maximum_concurrency)
            .unwrap_or(limits::LAMBDA_SQS_CONCURRENT_BATCHES_MAX.value);
        let now = self.now_ms;
        let state = self.mappings.get_mut(mapping)?;
        if !backlog {
            if state.batches_in_flight == 0 {
                state.concurrency = initial_concurrency(Some(maximum));
            }
            return None;
        }
        if state.batches_in_flight < state.concurrency || state.concurrency >= maximum {
            return None;
        }
        let next = state.scaled_at_ms.saturating_add(60_000);
        if now >= next {
            state.concurrency =
                (state.concurrency + limits::LAMBDA_SQS_SCALE_UP_PER_MINUTE.value).min(maximum);
            state.scaled_at_ms = now;
            return None;
        }
        Some(next)
    }

    /// Make sure a poll of this mapping happens at `at` or earlier.
    pub(crate) fn request_poll(&mut self, mapping: usize, at: u64) {
        let Some(state) = self.mappings.get_mut(mapping) else {
            return;
        };
        if state.poll_at.is_none_or(|pending| pending > at) {
            state.poll_at = Some(at);
            self.schedule(at, Happening::Poll { mapping });
        }
    }

    /// Empty receives of the mapping's idle pollers since `idle_since_ms` (with-sqs: Lambda
    /// long-polls the queue; each idle poller's poll ends empty every 20 s).
    pub(crate) fn idle_empty_receives(&self, mapping: usize, idle_since_ms: Option<u64>) -> u64 {
        let Some(since) = idle_since_ms else {
            return 0;
        };
        let pollers = self
            .world
            .template
            .event_source_mappings
            .get(mapping)
            .map_or(0, |m| initial_concurrency(m.maximum_concurrency));
        let wait_ms = limits::LAMBDA_SQS_LONG_POLL_WAIT.value * 1000;
        self.now_ms.saturating_sub(since) / wait_ms * pollers
    }

    /// The pollers stop idling (a message arrived, or the function went down): count their
    /// empty receives on the queue.
    fn end_idle(&mut self, mapping: usize) {
        let since = self
            .mappings
            .get_mut(mapping)
            .and_then(|s| s.idle_since_ms.take());
        let n = self.idle_empty_receives(mapping, since);
        let queue_id = self
            .world
            .mapping_queue
            .get(mapping)
            .and_then(|q| self.world.queue_ids.get(*q))
            .cloned();
        if let (Some(queue_id), true) = (queue_id, n > 0) {
            self.count_empty_receives(&queue_id, n);
        }
    }

    /// `Some(end)` when the function is declared down now (until `end` ms).
    pub(crate) fn function_down_until(&self, function: usize) -> Option<u64> {
        let declared = self.world.template.functions.get(function)?;
        down_until(&declared.behaviour.down_ms, self.now_ms)
    }

    /// Failure decided when an invocation starts: timeout or the declared percentage.
    pub(crate) fn invocation_failure(&mut self, function: usize) -> (u64, Option<String>) {
        let Some(declared) = self.world.template.functions.get(function) else {
            return (0, Some("function not found".into()));
        };
        let behaviour = &declared.behaviour;
        let timeout_ms = declared.timeout_s * 1000;
        if behaviour.duration_ms > timeout_ms {
            return (
                timeout_ms,
                Some(format!(
                    "Task timed out after {}.00 seconds",
                    declared.timeout_s
                )),
            );
        }
        let percent = behaviour.fail_percent;
        if self.rng_fail.chance_percent(percent) {
            return (
                behaviour.duration_ms,
                Some(format!("declared failure (FailPercent {percent}%, seeded)")),
            );
        }
        (behaviour.duration_ms, None)
    }

    pub(crate) fn poll(&mut self, mapping: usize, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(declared), Some(&queue), Some(&function), Some(mapping_id)) = (
            world.template.event_source_mappings.get(mapping),
            world.mapping_queue.get(mapping),
            world.mapping_function.get(mapping),
            world.mapping_ids.get(mapping),
        ) else {
            return;
        };
        let now = self.now_ms;
        if let Some(state) = self.mappings.get_mut(mapping) {
            if state.poll_at.is_some_and(|at| at <= now) {
                state.poll_at = None;
            }
        }
        if !declared.enabled {
            return;
        }
        // A function that is down is not running: nothing polls, the queue buffers. (A function
        // that is up but fails is the other lesson: receives count up towards the DLQ.)
        if let Some(until) = self.function_down_until(function) {
            self.end_idle(mapping);
            self.request_poll(mapping, until);
            return;
        }
        let batch_size = usize::try_from(declared.batch_size).unwrap_or(usize::MAX);
        let window_ms = declared.maximum_batching_window_s * 1000;
        loop {
            let available = self
                .queues
                .get(queue)
                .map_or(0, |q| q.count_receivable(batch_size));
            let look_again = self.scale(mapping, available > 0);
            let Some(state) = self.mappings.get(mapping) else {
                return;
            };
            if state.batches_in_flight >= state.concurrency {
                if let Some(at) = look_again {
                    self.request_poll(mapping, at);
                }
                return;
            }
            if available == 0 {
                if state.batches_in_flight == 0 {
                    if let Some(state) = self.mappings.get_mut(mapping) {
                        state.idle_since_ms.get_or_insert(now);
                    }
                }
                return;
            }
            self.end_idle(mapping);
            if window_ms > 0 && available < batch_size {
                // Wait for a full batch or the end of the batching window.
                let now = self.now_ms;
                let Some(state) = self.mappings.get_mut(mapping) else {
                    return;
                };
                let opened = *state.window_opened_ms.get_or_insert(now);
                if now < opened + window_ms {
                    self.request_poll(mapping, opened + window_ms);
                    return;
                }
            }
            if let Some(state) = self.mappings.get_mut(mapping) {
                state.window_opened_ms = None;
            }
            let receiver = format!("event source mapping {mapping_id}");
            let taken = self.receive(queue, batch_size, &receiver, sink);
            if taken.is_empty() {
                return;
            }
            self.start_batch(mapping, queue, function, taken, sink);
        }
    }

    fn start_batch(
        &mut self,
        mapping: usize,
        queue: usize,
        function: usize,
        taken: Vec<(u64, u64, crate::sqs::SqsMessage)>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let Some(function_id) = world.function_ids.get(function) else {
            return;
        };
        let request_id = self.uuid();
        let wants = sink.wants_payloads();
        let queue_arn = world
            .template
            .queues
            .get(queue)
            .map(|q| q.arn.clone())
            .unwrap_or_default();
        let region = world.template.region.clone();
        let mut lambda_records = Vec::new();
        let mut records = Vec::new();
        for (key, receipt, message) in taken {
            if wants {
                let (receipt_handle, md5) = self.sqs_fields_record(&message, receipt);
                let start = world.template.playground.start_time_ms;
                let sequence = message.sequence_number.map(|s| format!("{s:020}"));
                lambda_records.push(sqs_lambda_record(
                    &crate::payload::SqsFields {
                        message_id: &message.message_id,
                        receipt_handle: &receipt_handle,
                        body: &message.body,
                        md5_of_body: &md5,
                        receive_count: message.receive_count,
                        sent_ms: start + message.sent_ms,
                        first_receive_ms: start
                            + message.first_receive_ms.unwrap_or(message.sent_ms),
                        sender_id: crate::sends::SENDER_ID,
                        message_group_id: message.group.as_deref(),
                        sequence_number: sequence.as_deref(),
                        deduplication_id: message.deduplication_id.as_deref(),
                        dead_letter_source_arn: message.dead_letter_source_arn.as_deref(),
                        message_attributes: &message.message_attributes,
                    },
                    &queue_arn,
                    &region,
                ));
            }
            records.push(InvocationRecord {
                key,
                receipt,
                message_id: message.message_id.clone(),
                item: Arc::new(item_of_body(&message.body)),
                group: message.group.clone(),
            });
        }
        let (duration_ms, mut failure) = self.invocation_failure(function);
        let mut duration_ms = duration_ms;
        if let Some(until) = self.function_down_until(function) {
            failure = Some(format!(
                "function unavailable (declared down until {} s)",
                until / 1000
            ));
            duration_ms = 0;
        }
        let count = records.len();
        self.emit(
            sink,
            function_id,
            TraceAction::Received,
            &request_id,
            records.first().map(|r| &r.message_id),
            || shared(json!({"Records": lambda_records})),
            || format!("invoked synchronously by the event source mapping with a batch of {count}"),
        );
        let invocation = self.next_invocation;
        self.next_invocation += 1;
        self.invocations.insert(
            invocation,
            Invocation {
                mapping,
                request_id,
                records,
                failure,
            },
        );
        if let Some(state) = self.mappings.get_mut(mapping) {
            state.batches_in_flight += 1;
        }
        self.schedule(
            self.now_ms + duration_ms,
            Happening::InvocationEnd { invocation },
        );
    }

    pub(crate) fn end_invocation(&mut self, invocation: u64, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let Some(done) = self.invocations.remove(&invocation) else {
            return;
        };
        let mapping = done.mapping;
        if let Some(state) = self.mappings.get_mut(mapping) {
            state.batches_in_flight = state.batches_in_flight.saturating_sub(1);
        }
        let (Some(declared), Some(&queue), Some(&function)) = (
            world.template.event_source_mappings.get(mapping),
            world.mapping_queue.get(mapping),
            world.mapping_function.get(mapping),
        ) else {
            return;
        };
        let Some(function_id) = world.function_ids.get(function) else {
            return;
        };
        let fail_when = world
            .function_fail_when
            .get(function)
            .and_then(Option::as_ref);
        let mut item_failed: Vec<bool> = done
            .records
            .iter()
            .map(|r| done.failure.is_some() || fail_when.is_some_and(|p| p.matches(&r.item)))
            .collect();
        // services-sqs-errorhandling: with a FIFO queue the function stops at the first failure
        // of a group and reports the group's later messages as failed too (unprocessed), so
        // the group's order holds.
        let mut unprocessed = vec![false; item_failed.len()];
        let mut failed_groups: Vec<&Arc<str>> = Vec::new();
        for (index, record) in done.records.iter().enumerate() {
            let Some(group) = &record.group else { continue };
            if failed_groups.contains(&group) {
                if let (Some(failed), Some(flag)) =
                    (item_failed.get_mut(index), unprocessed.get_mut(index))
                {
                    *flag = !*failed;
                    *failed = true;
                }
            } else if item_failed.get(index).copied().unwrap_or(false) {
                failed_groups.push(group);
            }
        }
        let any_failed = item_failed.iter().any(|f| *f);
        let partial = declared.report_batch_item_failures && done.failure.is_none();
        let receiver = format!("function {function_id}");
        // What the function returned, shown on each failed record of the batch: its error, or
        // with ReportBatchItemFailures the response naming the failed messages
        // (services-sqs-errorhandling, "Reporting batch item failures").
        let response = match &done.failure {
            Some(reason) => Some(function_error_payload(&done.request_id, reason)),
            None if partial && any_failed => {
                let failures: Vec<serde_json::Value> = done
                    .records
                    .iter()
                    .zip(&item_failed)
                    .filter(|(_, failed)| **failed)
                    .map(|(r, _)| json!({"itemIdentifier": &*r.message_id}))
                    .collect();
                Some(json!({"batchItemFailures": failures}))
            }
            None => None,
        };
        for ((record, failed_item), unprocessed) in
            done.records.iter().zip(item_failed).zip(unprocessed)
        {
            let failed = if partial { failed_item } else { any_failed };
            if failed {
                let why = match (&done.failure, failed_item, partial) {
                    (Some(reason), _, _) => reason.clone(),
                    (None, true, true) if unprocessed => "not processed: an earlier message of its FIFO group failed; reported in batchItemFailures".into(),
                    (None, true, true) => "declared failure (FailWhen matched); reported in batchItemFailures".into(),
                    (None, true, false) => "declared failure (FailWhen matched)".into(),
                    (None, false, _) => "another record of the batch failed and the mapping does not use ReportBatchItemFailures: the whole batch returns".into(),
                };
                self.emit(
                    sink,
                    function_id,
                    TraceAction::Failed,
                    &record.message_id,
                    Some(&done.request_id),
                    || response.clone().map(Arc::new),
                    || {
                        format!(
                            "{why}; the message stays invisible until its visibility timeout ends"
                        )
                    },
                );
            } else if self.delete_message(queue, record.key, record.receipt, &receiver, sink) {
                self.run_actions(function, &record.item, &record.message_id, sink);
            }
        }
        self.wake(queue);
    }
}
