//! EventBridge: an event arrives at a bus, is archived where an archive's pattern matches,
//! is tested against every enabled rule of the bus (eventyard-pattern; the reason comes from
//! `explain`), and each matched rule's targets (at most five) get the input built by
//! Input / InputPath / InputTransformer. Failed deliveries are retried with exponential backoff
//! and jitter within the target's RetryPolicy, then go to its dead-letter queue with the
//! RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE attributes, or are dropped
//! (eb-rule-retry-policy, eb-rule-dlq). Scheduled rules fire `Scheduled Event`s; replays re-send
//! archived events with `replay-name` (eb-archive).

use std::sync::Arc;

use serde_json::{json, Value};

use eventyard_pattern::PreparedEvent;
use eventyard_template::TargetInput;

use crate::ledger::{Place, Token};
use crate::payload::{event, json_text, EventFields};
use crate::schedule::eventbridge_retry_delay_ms;
use crate::sim::{shared, Delivery, Happening, Simulator, EVENTBRIDGE_TO_TARGET_MS};
use crate::trace::{TraceAction, TraceSink};
use crate::transform::{apply, json_path, Predefined};
use crate::world::Endpoint;

impl Simulator {
    /// An event at a bus: archive, match every rule (or only `only_rules`, a replay's
    /// `FilterArns`), fan out to targets.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn bus_event(
        &mut self,
        token: Token,
        bus: usize,
        event_id: Arc<str>,
        event: Arc<Value>,
        // the event's compact JSON text, when the caller already wrote it (PutEvents)
        text: Option<Arc<str>>,
        parent: Option<Arc<str>>,
        only_rules: Option<&[usize]>,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let Some(bus_id) = world.bus_ids.get(bus) else {
            return;
        };
        // Written once: the matcher reads it, and a JSON sink copies it as the payload.
        let text: Arc<str> = text.unwrap_or_else(|| Arc::from(json_text(&event)));
        self.emit_with_text(
            sink,
            bus_id,
            TraceAction::Received,
            &event_id,
            parent.as_ref(),
            &event,
            &text,
            || "PutEvents accepted the entry".into(),
        );
        for (archive, archive_bus) in world.archive_bus.iter().enumerate() {
            if *archive_bus != bus {
                continue;
            }
            let wanted = match world.archive_patterns.get(archive) {
                Some(Some(pattern)) => pattern.matches(&event),
                _ => true,
            };
            if wanted {
                let retention_ms = world
                    .template
                    .archives
                    .get(archive)
                    .and_then(|a| a.retention_days)
                    .map(|days| days.saturating_mul(86_400_000));
                let now = self.now_ms;
                if let Some(store) = self.archives.get_mut(archive) {
                    // RetentionDays: older events leave the archive (the default keeps them).
                    if let Some(retention_ms) = retention_ms {
                        store.retain(|(at, _)| at.saturating_add(retention_ms) > now);
                    }
                    store.push((now, event.clone()));
                }
                if let Some(id) = world.archive_ids.get(archive) {
                    self.emit(
                        sink,
                        id,
                        TraceAction::Received,
                        &event_id,
                        None,
                        || None,
                        || "archived a copy (archive pattern matched)".into(),
                    );
                }
            }
        }
        // The compiled machine decides (one pass over the event's bytes for all the bus's
        // rules); the interpreter's explanation only supplies the reason a person reads.
        // Machine rule names are positions in the bus's rule list.
        let mut matched_positions: Vec<usize> = match world.bus_machines.get(bus) {
            Some(machine) => machine
                .matching_ids(text.as_bytes(), &mut self.scratch.0)
                .iter()
                .filter_map(|&id| machine.rule_name(id).parse().ok())
                .collect(),
            None => Vec::new(),
        };
        matched_positions.sort_unstable();
        let mut delivered = 0usize;
        let wants = sink.wants_reasons();
        // Converted at most once for every rule's explanation, only when someone reads reasons
        // and a rule has not already explained an event like this one.
        let mut prepared: Option<PreparedEvent> = None;
        let rules = world
            .bus_rules
            .get(bus)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if wants {
            // one projection of the event for all the bus's rules (reasons.rs)
            let patterns = rules
                .iter()
                .filter_map(|&r| world.rules.get(r).and_then(|rule| rule.pattern.as_ref()));
            self.scratch.1.select(bus, patterns, &event);
        }
        for (k, &rule_index) in rules.iter().enumerate() {
            let Some(rule) = world.rules.get(rule_index) else {
                continue;
            };
            if !rule.enabled || only_rules.is_some_and(|only| !only.contains(&rule_index)) {
                continue;
            }
            let Some(pattern) = &rule.pattern else {
                continue;
            };
            let matched = matched_positions.binary_search(&k).is_ok();
            let reason = if wants {
                // `str::to_owned`: `Arc<str>::to_string` would go through `Display`
                String::from(&*self.scratch.1.reason(k, pattern, &event, &mut prepared))
            } else {
                String::new()
            };
            let action = if matched {
                TraceAction::Matched
            } else {
                TraceAction::Filtered
            };
            self.emit(sink, &rule.id, action, &event_id, None, || None, || reason);
            if matched {
                delivered += self.fan_out_to_targets(rule_index, &event_id, &event, &text, sink);
            }
        }
        let place = if delivered > 0 {
            Place::Consumed
        } else {
            Place::Filtered
        };
        self.ledger.move_to(token, place);
    }

    /// Build each target's input and schedule its delivery. Returns how many were scheduled.
    fn fan_out_to_targets(
        &mut self,
        rule_index: usize,
        event_id: &Arc<str>,
        event: &Arc<Value>,
        event_text: &Arc<str>,
        sink: &mut dyn TraceSink,
    ) -> usize {
        let world = self.world.clone();
        let (Some(rule), Some(declared)) = (
            world.rules.get(rule_index),
            world.template.rules.get(rule_index),
        ) else {
            return 0;
        };
        let mut count = 0;
        for (target_index, target) in declared.targets.iter().enumerate() {
            if rule.targets.get(target_index).is_none() {
                continue;
            }
            let input: Arc<str> = match &target.input {
                TargetInput::MatchedEvent => event_text.clone(),
                TargetInput::Constant(text) => Arc::from(text.as_str()),
                TargetInput::Path(path) => {
                    Arc::from(json_path(event, path).map_or_else(|| "null".to_string(), json_text))
                }
                TargetInput::Transformer(transformer) => {
                    let ingestion_time = self.iso_now();
                    let predefined = Predefined {
                        rule_arn: &declared.arn,
                        rule_name: &declared.name,
                        ingestion_time: &ingestion_time,
                    };
                    Arc::from(apply(transformer, event, &predefined))
                }
            };
            if target.input != TargetInput::MatchedEvent {
                let shown = input.clone();
                let target_id = target.id.clone();
                self.emit(
                    sink,
                    &rule.id,
                    TraceAction::Transformed,
                    event_id,
                    None,
                    || {
                        shared(
                            serde_json::from_str(&shown)
                                .unwrap_or(Value::String(shown.to_string())),
                        )
                    },
                    || format!("input for target {target_id} built from the event"),
                );
            }
            let token = self.ledger.create();
            let delivery = Delivery {
                token,
                rule: rule_index,
                target: target_index,
                input,
                event: event.clone(),
                attempt: 1,
                first_ms: self.now_ms,
                event_id: event_id.clone(),
            };
            self.schedule(
                self.now_ms + EVENTBRIDGE_TO_TARGET_MS,
                Happening::TargetDelivery(Box::new(delivery)),
            );
            count += 1;
        }
        count
    }

    pub(crate) fn scheduled_rule(&mut self, rule_index: usize, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(rule), Some(declared)) = (
            world.rules.get(rule_index),
            world.template.rules.get(rule_index),
        ) else {
            return;
        };
        let id = self.uuid();
        let time = self.iso_now();
        let resources = vec![declared.arn.clone()];
        let scheduled = Arc::new(event(&EventFields {
            id: &id,
            detail_type: "Scheduled Event",
            source: "aws.events",
            account: &world.template.account_id,
            time: &time,
            region: &world.template.region,
            resources: &resources,
            detail: &json!({}),
        }));
        let token = self.ledger.create();
        let shown = scheduled.clone();
        self.emit(
            sink,
            &rule.id,
            TraceAction::Matched,
            &id,
            None,
            || Some(shown.clone()),
            || "the schedule fired".into(),
        );
        let text: Arc<str> = Arc::from(json_text(&scheduled));
        let delivered = self.fan_out_to_targets(rule_index, &id, &scheduled, &text, sink);
        self.ledger.move_to(
            token,
            if delivered > 0 {
                Place::Consumed
            } else {
                Place::Dropped
            },
        );
        let start = world.template.playground.start_time_ms;
        let next = match (&rule.cron, rule.rate_ms) {
            (Some(cron), _) => cron.next_after(start + self.now_ms).map(|t| t - start),
            (None, Some(rate)) => Some(self.now_ms.saturating_add(rate)),
            _ => None,
        };
        if let Some(at) = next {
            self.schedule(at, Happening::Schedule { rule: rule_index });
        }
    }

    pub(crate) fn deliver_to_target(&mut self, delivery: Delivery, sink: &mut dyn TraceSink) {
        let world = self.world.clone();
        let (Some(rule), Some(declared)) = (
            world.rules.get(delivery.rule),
            world.template.rules.get(delivery.rule),
        ) else {
            return;
        };
        let (Some((endpoint, dlq)), Some(target)) = (
            rule.targets.get(delivery.target),
            declared.targets.get(delivery.target),
        ) else {
            return;
        };
        let (endpoint, dlq) = (*endpoint, *dlq);
        // A function or queue declared down is unreachable (as when throttled or during a
        // service disruption): the delivery fails and the RetryPolicy applies.
        let outage = match endpoint {
            Endpoint::Function(function) => self.function_down_until(function).map(|until| {
                (
                    "Lambda.TooManyRequestsException",
                    format!(
                        "Lambda function unavailable (declared down until {} s)",
                        until / 1000
                    ),
                )
            }),
            Endpoint::Queue(queue) => self.queue_down_until(queue).map(|until| {
                (
                    "INTERNAL_ERROR",
                    format!(
                        "SQS queue unavailable (declared down until {} s)",
                        until / 1000
                    ),
                )
            }),
            _ => None,
        };
        if let Some((code, error)) = outage {
            self.target_failed(delivery, dlq, code, &error, sink);
            return;
        }
        let target_id = target.id.clone();
        let input = delivery.input.clone();
        // The matched event's input is that event's own text: its payload is the event, shared
        // instead of parsed back from the text. Only without floats, whose reading back may
        // differ in the last digit from the value (serde_json's parser is not exactly rounded),
        // so the trace stays what it was.
        // The input is then also that payload's text (written once at PutEvents), copied by
        // a JSON sink.
        let matched_event =
            target.input == TargetInput::MatchedEvent && !has_float(&delivery.event);
        let attempt = delivery.attempt;
        // joined, not `format!` (one per delivery of a traced run)
        let reason = || {
            [
                "delivered to target ",
                &target_id,
                " (attempt ",
                &attempt.to_string(),
                ")",
            ]
            .concat()
        };
        if matched_event {
            self.emit_with_text(
                sink,
                &rule.id,
                TraceAction::Delivered,
                &delivery.event_id,
                None,
                &delivery.event,
                &input,
                reason,
            );
        } else {
            self.emit(
                sink,
                &rule.id,
                TraceAction::Delivered,
                &delivery.event_id,
                None,
                || shared(serde_json::from_str(&input).unwrap_or(Value::String(input.to_string()))),
                reason,
            );
        }
        match endpoint {
            Endpoint::Queue(queue) => {
                // EventBridge uses the event id as MessageDeduplicationId for FIFO targets.
                let dedup = world
                    .template
                    .queues
                    .get(queue)
                    .filter(|q| q.fifo_queue)
                    .map(|_| delivery.event_id.clone());
                self.send_message(
                    delivery.token,
                    queue,
                    delivery.input.clone(),
                    Arc::new(json!({})),
                    target.message_group_id.as_deref().map(Arc::from),
                    dedup,
                    Some(delivery.event_id.clone()),
                    sink,
                );
            }
            Endpoint::Topic(topic) => {
                let dedup = world
                    .template
                    .topics
                    .get(topic)
                    .filter(|t| t.fifo_topic)
                    .map(|_| delivery.event_id.to_string());
                self.publish(
                    delivery.token,
                    topic,
                    delivery.input.to_string(),
                    None,
                    json!({}),
                    target.message_group_id.clone(),
                    dedup,
                    Some(delivery.event_id.clone()),
                    sink,
                );
            }
            Endpoint::Bus(bus) => {
                self.bus_event(
                    delivery.token,
                    bus,
                    delivery.event_id.clone(),
                    delivery.event.clone(),
                    None,
                    Some(delivery.event_id.clone()),
                    None,
                    sink,
                );
            }
            Endpoint::Function(function) => {
                // the matched event's input is its text, written from this very value
                let (payload, text) = if target.input == TargetInput::MatchedEvent {
                    (delivery.event.clone(), Some(delivery.input.clone()))
                } else {
                    let parsed = serde_json::from_str(&delivery.input)
                        .unwrap_or(Value::String(delivery.input.to_string()));
                    (Arc::new(parsed), None)
                };
                let request_id = self.uuid();
                self.start_async_invocation(
                    delivery.token,
                    function,
                    payload.clone(),
                    text,
                    payload,
                    request_id,
                    Some(delivery.event_id.clone()),
                );
            }
            Endpoint::Inbox => self.ledger.move_to(delivery.token, Place::Consumed),
        }
    }

    /// Retry within the RetryPolicy, then the DLQ, else drop.
    fn target_failed(
        &mut self,
        mut delivery: Delivery,
        dlq: Option<usize>,
        code: &str,
        message: &str,
        sink: &mut dyn TraceSink,
    ) {
        let world = self.world.clone();
        let (Some(rule), Some(declared)) = (
            world.rules.get(delivery.rule),
            world.template.rules.get(delivery.rule),
        ) else {
            return;
        };
        let Some(target) = declared.targets.get(delivery.target) else {
            return;
        };
        let policy = target.retry_policy;
        let retries_done = delivery.attempt - 1;
        let delay = eventbridge_retry_delay_ms(delivery.attempt, &mut self.rng_jitter);
        let age_after_ms = self.now_ms + delay - delivery.first_ms;
        if retries_done < policy.maximum_retry_attempts
            && age_after_ms <= policy.maximum_event_age_s * 1000
        {
            let attempt = delivery.attempt;
            let message_text = message.to_string();
            self.emit(sink, &rule.id, TraceAction::Retried, &delivery.event_id, None, || None, || {
                format!("{message_text}; retry {attempt} of {} in {} ms (exponential backoff with jitter)", policy.maximum_retry_attempts, delay)
            });
            delivery.attempt += 1;
            self.schedule(
                self.now_ms + delay,
                Happening::TargetDelivery(Box::new(delivery)),
            );
            return;
        }
        let why = if retries_done >= policy.maximum_retry_attempts {
            format!(
                "MaximumRetryAttempts ({}) exhausted",
                policy.maximum_retry_attempts
            )
        } else {
            format!(
                "MaximumEventAgeInSeconds ({}) reached",
                policy.maximum_event_age_s
            )
        };
        match dlq {
            Some(queue) => {
                let text = message.to_string();
                let shown = delivery.event.clone();
                self.emit(
                    sink,
                    &rule.id,
                    TraceAction::MovedToDlq,
                    &delivery.event_id,
                    None,
                    || Some(shown),
                    || format!("{text}; {why}: sent to the target's dead-letter queue"),
                );
                let attribute = |v: &str| json!({"DataType": "String", "StringValue": v});
                let attributes = json!({
                    "RULE_ARN": attribute(&declared.arn),
                    "TARGET_ARN": attribute(&target.arn),
                    "ERROR_CODE": attribute(code),
                    "ERROR_MESSAGE": attribute(message),
                });
                self.send_message(
                    delivery.token,
                    queue,
                    Arc::from(json_text(&delivery.event)),
                    Arc::new(attributes),
                    None,
                    None,
                    Some(delivery.event_id.clone()),
                    sink,
                );
            }
            None => {
                let text = message.to_string();
                let shown = delivery.event.clone();
                self.emit(
                    sink,
                    &rule.id,
                    TraceAction::Failed,
                    &delivery.event_id,
                    None,
                    || Some(shown),
                    || format!("{text}; {why}; no dead-letter queue: the event is dropped"),
                );
                self.ledger.move_to(delivery.token, Place::Dropped);
            }
        }
    }

    /// Re-send the archived events of a window to the archive's bus (eb-archive): each gets
    /// `replay-name`; order is not kept, so they are spread with seeded jitter over a second.
    /// `rule_arns` (StartReplay's `Destination.FilterArns`) limits the replay to those rules;
    /// empty means every rule of the bus.
    pub fn start_replay(
        &mut self,
        archive_logical_id: &str,
        replay_name: &str,
        from_ms: u64,
        to_ms: u64,
        rule_arns: &[String],
    ) -> usize {
        let Some(archive) = self
            .world
            .archive_ids
            .iter()
            .position(|id| &**id == archive_logical_id)
        else {
            return 0;
        };
        let events: Vec<Arc<Value>> = self
            .archives
            .get(archive)
            .map(|list| {
                list.iter()
                    .filter(|(t, _)| (from_ms..=to_ms).contains(t))
                    .map(|(_, e)| e.clone())
                    .collect()
            })
            .unwrap_or_default();
        let name: Arc<str> = Arc::from(replay_name);
        let rules: Option<Arc<[usize]>> = (!rule_arns.is_empty()).then(|| {
            let rules = &self.world.template.rules;
            rule_arns
                .iter()
                .filter_map(|arn| rules.iter().position(|r| &r.arn == arn))
                .collect()
        });
        for event in &events {
            let at = self.now_ms + self.rng_jitter.below(1000);
            self.schedule(
                at,
                Happening::Replay {
                    archive,
                    event: event.clone(),
                    name: name.clone(),
                    rules: rules.clone(),
                },
            );
        }
        events.len()
    }

    pub(crate) fn replay_event(
        &mut self,
        archive: usize,
        event: Arc<Value>,
        name: &str,
        rules: Option<&[usize]>,
        sink: &mut dyn TraceSink,
    ) {
        let Some(bus) = self.world.archive_bus.get(archive).copied() else {
            return;
        };
        let replayed = with_replay_name(&event, name);
        let id: Arc<str> = Arc::from(
            replayed
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        let token = self.ledger.create();
        self.bus_event(token, bus, id, Arc::new(replayed), None, None, rules, sink);
    }
}

/// A replayed event: the archived event with `replay-name` right after `region`, where AWS
/// puts it (eb-replay-archived-event's example event), or at the end when there is no region.
pub(crate) fn with_replay_name(event: &Value, name: &str) -> Value {
    let Value::Object(map) = event else {
        return event.clone();
    };
    let mut out = serde_json::Map::new();
    let mut placed = false;
    for (key, value) in map {
        if key == "replay-name" {
            continue;
        }
        out.insert(key.clone(), value.clone());
        if key == "region" {
            out.insert("replay-name".into(), Value::String(name.to_string()));
            placed = true;
        }
    }
    if !placed {
        out.insert("replay-name".into(), Value::String(name.to_string()));
    }
    Value::Object(out)
}

#[cfg(test)]
mod replay_tests {
    use serde_json::json;

    /// eb-replay-archived-event: `replay-name` follows `region` in a replayed event.
    #[test]
    fn replay_name_follows_region() {
        let event = json!({"version": "0", "id": "1", "detail-type": "t", "source": "s",
            "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
            "resources": [], "detail": {}});
        let replayed = super::with_replay_name(&event, "r1");
        let keys: Vec<&str> = replayed
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "version",
                "id",
                "detail-type",
                "source",
                "account",
                "time",
                "region",
                "replay-name",
                "resources",
                "detail"
            ]
        );
    }
}

/// Whether a JSON value holds a number that is not an integer.
fn has_float(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(members) => members.values().any(has_float),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::has_float;
    use serde_json::json;

    #[test]
    fn floats_are_found_at_any_depth() {
        assert!(!has_float(&json!({"a": [1, -2, "3.5"], "b": {"c": null}})));
        assert!(has_float(&json!({"a": [1, {"b": 2.5}]})));
        assert!(has_float(&json!(1e3)));
    }

    /// Why the matched event is shared only without floats: a float read back from its text
    /// need not be the value that was written.
    #[test]
    fn integers_and_strings_read_back_unchanged() {
        let event = json!({"id": "x", "detail": {"n": 18446744073709551615u64, "m": -9223372036854775808i64, "s": "\u{1F600}\"\\"}});
        let back: serde_json::Value = serde_json::from_str(&event.to_string()).expect("json");
        assert_eq!(back.to_string(), event.to_string());
    }
}
