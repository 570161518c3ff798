//! Lambda's asynchronous invocations (from SNS, EventBridge and destinations): retries within
//! the function's EventInvokeConfig (MaximumRetryAttempts, MaximumEventAgeInSeconds), and the
//! invocation record sent to on-success and on-failure destinations
//! (invocation-async-error-handling, invocation-async-retain-records).

use std::sync::Arc;

use serde_json::{json, Value};

use eventyard_template::limits;

use crate::ledger::{Place, Token};
use crate::payload::{
    function_error_payload, invocation_record, json_len, json_text, InvocationRecordFields,
    RecordCondition,
};
use crate::schedule::lambda_async_retry_delay_ms;
use crate::sim::{shared, AsyncRun, Happening, Simulator};
use crate::trace::{TraceAction, TraceSink};

/// Lambda's delay before it invokes a destination function with an invocation record. Not an
/// AWS figure (AWS publishes none): a small hop like those in `sim.rs`, so a function that is
/// its own destination moves the clock forward instead of looping at one instant.
pub(crate) const DESTINATION_INVOKE_MS: u64 = 10;

impl Simulator {
    /// An asynchronous invocation accepted by Lambda (from SNS or EventBridge).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_async_invocation(
        &mut self,
        token: Token,
        function: usize,
        event: Arc<Value>,
        event_text: Option<Arc<str>>,
        item: Arc<Value>,
        request_id: Arc<str>,
        parent_id: Option<Arc<str>>,
    ) {
        let run = AsyncRun {
            token,
            function,
            event,
            event_text,
            item,
            retries: 0,
            accepted_ms: self.now_ms,
            request_id,
            parent_id,
            failure: None,
        };
        self.schedule(self.now_ms, Happening::AsyncStart(Box::new(run)));
    }

    pub(crate) fn start_async(&mut self, mut run: AsyncRun, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(function_id), Some(declared)) = (
            world.function_ids.get(run.function),
            world.template.functions.get(run.function),
        ) else {
            self.ledger.move_to(run.token, Place::Dropped);
            return;
        };
        // invocation-async-error-handling: Lambda keeps an event in its asynchronous queue for
        // at most MaximumEventAgeInSeconds; an event that reaches that age before its next
        // attempt is discarded instead of retried. (`end_async` schedules a retry no later
        // than that moment.)
        let config = &declared.invoke_config;
        let age_ms = self.now_ms.saturating_sub(run.accepted_ms);
        if run.retries > 0 && age_ms >= config.maximum_event_age_s.saturating_mul(1000) {
            let reason = run.failure.take().unwrap_or_default();
            let attempts = run.retries;
            self.emit(
                sink,
                function_id,
                TraceAction::Expired,
                &run.request_id,
                run.parent_id.as_ref(),
                || None,
                || {
                    format!(
                        "EventAgeExceeded: the event has waited {} s in Lambda's asynchronous queue after {attempts} failed attempt{}, and MaximumEventAgeInSeconds is {}: discarded instead of retried",
                        age_ms / 1000,
                        if attempts == 1 { "" } else { "s" },
                        config.maximum_event_age_s
                    )
                },
            );
            self.async_gave_up(run, RecordCondition::EventAgeExceeded, &reason, sink);
            return;
        }
        // Lambda refuses an asynchronous invocation whose payload is over the limit before
        // queueing it (gettingstarted-limits: 1 MB since January 2026): nothing runs or retries.
        let size = run
            .event_text
            .as_ref()
            .map_or_else(|| json_len(&run.event), |text| text.len()) as u64;
        if run.retries == 0 && size > limits::LAMBDA_ASYNC_PAYLOAD_MAX.value {
            let shown = run.event.clone();
            self.emit(
                sink,
                function_id,
                TraceAction::Failed,
                &run.request_id,
                run.parent_id.as_ref(),
                || Some(shown.clone()),
                || {
                    format!(
                        "RequestEntityTooLargeException: Request must be smaller than {} bytes for the Event invocation type (this event is {size} bytes; limit since {})",
                        limits::LAMBDA_ASYNC_PAYLOAD_MAX.value,
                        limits::LAMBDA_ASYNC_PAYLOAD_MAX.since
                    )
                },
            );
            self.ledger.move_to(run.token, Place::Dropped);
            return;
        }
        let (mut duration_ms, mut failure) = self.invocation_failure(run.function);
        if failure.is_none() {
            if let Some(pattern) = world
                .function_fail_when
                .get(run.function)
                .and_then(Option::as_ref)
            {
                if pattern.matches(&run.item) {
                    failure = Some("declared failure (FailWhen matched)".into());
                }
            }
        }
        if let Some(until) = self.function_down_until(run.function) {
            failure = Some(format!(
                "function unavailable (declared down until {} s)",
                until / 1000
            ));
            duration_ms = 0;
        }
        let attempt = run.retries + 1;
        // joined, not `format!` (one per invocation of a traced run)
        let reason = || ["asynchronous invocation, attempt ", &attempt.to_string()].concat();
        match &run.event_text {
            Some(text) => self.emit_with_text(
                sink,
                function_id,
                TraceAction::Received,
                &run.request_id,
                run.parent_id.as_ref(),
                &run.event,
                text,
                reason,
            ),
            None => {
                let shown = run.event.clone();
                self.emit(
                    sink,
                    function_id,
                    TraceAction::Received,
                    &run.request_id,
                    run.parent_id.as_ref(),
                    || Some(shown),
                    reason,
                )
            }
        }
        run.failure = failure;
        self.schedule(
            self.now_ms + duration_ms,
            Happening::AsyncEnd(Box::new(run)),
        );
    }

    pub(crate) fn end_async(&mut self, mut run: AsyncRun, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(function_id), Some(declared)) = (
            world.function_ids.get(run.function),
            world.template.functions.get(run.function),
        ) else {
            return;
        };
        let config = &declared.invoke_config;
        let Some(reason) = run.failure.take() else {
            self.ledger.move_to(run.token, Place::Consumed);
            let item = run.item.clone();
            let parent = run
                .parent_id
                .clone()
                .unwrap_or_else(|| run.request_id.clone());
            self.run_actions(run.function, &item, &parent, sink);
            if let Some(arn) = &config.on_success_arn {
                self.send_invocation_record(&run, arn, RecordCondition::Success, None, sink);
            }
            return;
        };
        run.retries += 1;
        let retries = run.retries;
        let maximum = config.maximum_retry_attempts;
        let delay = lambda_async_retry_delay_ms(retries).filter(|_| retries <= maximum);
        let Some(delay) = delay else {
            let attempts = retries;
            let destined = config.on_failure_arn.is_some();
            self.emit(
                sink,
                function_id,
                TraceAction::Failed,
                &run.request_id,
                run.parent_id.as_ref(),
                || shared(function_error_payload(&run.request_id, &reason)),
                || {
                    let plural = if attempts == 1 { "" } else { "s" };
                    if destined {
                        format!("{reason}; retries exhausted after {attempts} attempt{plural} (MaximumRetryAttempts {maximum}): the invocation record goes to the on-failure destination")
                    } else {
                        format!("{reason}; discarded after {attempts} attempt{plural} (MaximumRetryAttempts {maximum}, no on-failure destination)")
                    }
                },
            );
            self.async_gave_up(run, RecordCondition::RetriesExhausted, &reason, sink);
            return;
        };
        let retry_at = self.now_ms + delay;
        let expires_at = run
            .accepted_ms
            .saturating_add(config.maximum_event_age_s.saturating_mul(1000));
        let max_age_s = config.maximum_event_age_s;
        if retry_at >= expires_at {
            // The event will be too old before the retry: no retry is scheduled; the event
            // waits in Lambda's queue until it reaches its maximum age (`start_async`).
            self.emit(
                sink,
                function_id,
                TraceAction::Failed,
                &run.request_id,
                run.parent_id.as_ref(),
                || shared(function_error_payload(&run.request_id, &reason)),
                || {
                    format!(
                        "{reason}; retry {retries} of {maximum} would come in {} s, after the event reaches MaximumEventAgeInSeconds ({max_age_s} s)",
                        delay / 1000
                    )
                },
            );
        } else {
            self.emit(
                sink,
                function_id,
                TraceAction::Failed,
                &run.request_id,
                run.parent_id.as_ref(),
                || shared(function_error_payload(&run.request_id, &reason)),
                || reason.clone(),
            );
            self.emit(
                sink,
                function_id,
                TraceAction::Retried,
                &run.request_id,
                run.parent_id.as_ref(),
                || None,
                || {
                    format!(
                        "Lambda retries asynchronous invocations: retry {retries} of {maximum} in {} s",
                        delay / 1000
                    )
                },
            );
        }
        // Kept for the invocation record, should the event never run again.
        run.failure = Some(reason);
        self.schedule(
            retry_at.min(expires_at),
            Happening::AsyncStart(Box::new(run)),
        );
    }

    /// The end of an event that failed for good: its record goes to the on-failure destination
    /// when there is one, else the event is discarded (an expired one counts as expired).
    fn async_gave_up(
        &mut self,
        run: AsyncRun,
        condition: RecordCondition,
        reason: &str,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let on_failure = world
            .template
            .functions
            .get(run.function)
            .and_then(|f| f.invoke_config.on_failure_arn.as_deref());
        let mut sent = match on_failure {
            Some(arn) => self.send_invocation_record(&run, arn, condition, Some(reason), sink),
            None => false,
        };
        let dead_letter = world
            .template
            .functions
            .get(run.function)
            .and_then(|f| f.dead_letter_arn.as_deref());
        if let Some(arn) = dead_letter {
            sent |= self.send_to_dead_letter(&run, arn, reason, sink);
        }
        let place = match (sent, condition) {
            // The event lives on as the record (a new message, like a fan-out).
            (true, _) => Place::Consumed,
            (false, RecordCondition::EventAgeExceeded) => Place::Expired,
            (false, _) => Place::Dropped,
        };
        self.ledger.move_to(run.token, place);
    }

    /// invocation-async-retain-records, "Dead-letter queues": the function's own DLQ (an SQS
    /// queue or SNS topic) receives the event itself, with the attributes `RequestID`,
    /// `ErrorCode` (the 3-digit HTTP status: 200 for an error the function returned) and
    /// `ErrorMessage` (its first 1 KB). Sent as a new message whose parent is the invocation.
    fn send_to_dead_letter(
        &mut self,
        run: &AsyncRun,
        arn: &str,
        reason: &str,
        sink: &mut dyn TraceSink,
    ) -> bool {
        let world = self.world.clone();
        let Some(function_id) = world.function_ids.get(run.function) else {
            return false;
        };
        let message: String = function_error_payload(&run.request_id, reason)["errorMessage"]
            .as_str()
            .unwrap_or(reason)
            .chars()
            .take(1024)
            .collect();
        let attributes = json!({
            "RequestID": {"DataType": "String", "StringValue": &*run.request_id},
            "ErrorCode": {"DataType": "Number", "StringValue": "200"},
            "ErrorMessage": {"DataType": "String", "StringValue": message},
        });
        let body = run
            .event_text
            .as_deref()
            .map_or_else(|| json_text(&run.event), str::to_string);
        let shown = run.event.clone();
        self.emit(
            sink,
            function_id,
            TraceAction::MovedToDlq,
            &run.request_id,
            run.parent_id.as_ref(),
            || Some(shown),
            || format!("the failed event goes to the function's dead-letter target {arn}"),
        );
        let parent = Some(run.request_id.clone());
        if let Some(queue) = world.queue_index(arn) {
            let token = self.ledger.create();
            self.send_message(
                token,
                queue,
                Arc::from(body),
                Arc::new(attributes),
                None,
                None,
                parent,
                sink,
            );
            true
        } else if let Some(topic) = world.topic_index(arn) {
            let token = self.ledger.create();
            self.publish(
                token, topic, body, None, attributes, None, None, parent, sink,
            );
            true
        } else {
            false
        }
    }

    /// invocation-async-retain-records: send the invocation record to a destination with the
    /// ordinary operations, so it is a new message traced and conserved like any other, whose
    /// parent is the invocation: SendMessage (the record is the body), Publish (the Message),
    /// PutEvents (source `lambda`, the record as detail) or an asynchronous invocation (the
    /// record as event). Lambda does not deliver to FIFO queues or topics (it counts a
    /// DestinationDeliveryFailures metric instead). Returns whether a record was sent.
    fn send_invocation_record(
        &mut self,
        run: &AsyncRun,
        destination_arn: &str,
        condition: RecordCondition,
        error: Option<&str>,
        sink: &mut dyn TraceSink,
    ) -> bool {
        let world = self.world.clone();
        let (Some(function), Some(function_id)) = (
            world.template.functions.get(run.function),
            world.function_ids.get(run.function),
        ) else {
            return false;
        };
        let timestamp = self.iso_now_ms();
        let record = invocation_record(&InvocationRecordFields {
            timestamp: &timestamp,
            request_id: &run.request_id,
            function_arn: &function.arn,
            condition,
            approximate_invoke_count: match condition {
                RecordCondition::Success => run.retries + 1,
                _ => run.retries,
            },
            request_payload: &run.event,
            error,
        });
        let which = match condition {
            RecordCondition::Success => "on-success",
            _ => "on-failure",
        };
        let parent = Some(run.request_id.clone());
        let fifo = world
            .queue_index(destination_arn)
            .and_then(|q| world.template.queues.get(q))
            .is_some_and(|q| q.fifo_queue)
            || world
                .topic_index(destination_arn)
                .and_then(|t| world.template.topics.get(t))
                .is_some_and(|t| t.fifo_topic);
        if fifo {
            self.emit(
                sink,
                function_id,
                TraceAction::Failed,
                &run.request_id,
                run.parent_id.as_ref(),
                || shared(record.clone()),
                || format!("DestinationDeliveryFailures: Lambda does not send invocation records to a FIFO queue or topic; the {which} record for {destination_arn} is lost"),
            );
            return false;
        }
        let shown = record.clone();
        let described = condition.as_str();
        self.emit(
            sink,
            function_id,
            TraceAction::Delivered,
            &run.request_id,
            run.parent_id.as_ref(),
            || shared(shown),
            || format!("invocation record ({described}) sent to the {which} destination {destination_arn}"),
        );
        if let Some(queue) = world.queue_index(destination_arn) {
            let token = self.ledger.create();
            self.send_message(
                token,
                queue,
                Arc::from(json_text(&record)),
                Arc::new(json!({})),
                None,
                None,
                parent,
                sink,
            );
        } else if let Some(topic) = world.topic_index(destination_arn) {
            let token = self.ledger.create();
            self.publish(
                token,
                topic,
                json_text(&record),
                None,
                json!({}),
                None,
                None,
                parent,
                sink,
            );
        } else if world.bus_index(destination_arn).is_some() {
            // The event names the bus and the function version that ran, as AWS's do.
            let resources = [
                destination_arn.to_string(),
                format!("{}:$LATEST", function.arn),
            ];
            self.put_event(
                destination_arn,
                "lambda",
                condition.detail_type(),
                &record,
                &resources,
                parent,
                sink,
            );
        } else if let Some(target) = world
            .template
            .functions
            .iter()
            .position(|f| f.arn == destination_arn)
        {
            let token = self.ledger.create();
            let request_id = self.uuid();
            let event = Arc::new(record);
            let at = self.now_ms + DESTINATION_INVOKE_MS;
            let invocation = AsyncRun {
                token,
                function: target,
                event: event.clone(),
                event_text: None,
                item: event,
                retries: 0,
                accepted_ms: at,
                request_id,
                parent_id: parent,
                failure: None,
            };
            self.schedule(at, Happening::AsyncStart(Box::new(invocation)));
        } else {
            return false;
        }
        true
    }
}
