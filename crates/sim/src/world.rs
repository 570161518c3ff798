//! The compiled topology: the template's resources as indexes, with patterns and filter policies
//! parsed once. Immutable during a run and shared (`Arc`) by every snapshot.

use std::collections::BTreeMap;
use std::sync::Arc;

use eventyard_pattern::{EventPattern, FilterPolicy, FilterPolicyScope, Machine};
use eventyard_template::{PolicyScope, Protocol, Schedule, Template};

use crate::schedule::Cron;

/// Where an EventBridge target or an action sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Queue(usize),
    Topic(usize),
    Function(usize),
    Bus(usize),
    /// Email, SMS or a web endpoint: an inbox the page shows.
    Inbox,
}

#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: Arc<str>,
    pub pattern: Option<EventPattern>,
    pub cron: Option<Cron>,
    pub rate_ms: Option<u64>,
    pub enabled: bool,
    /// (endpoint, dead-letter queue) per target, in template order.
    pub targets: Vec<(Endpoint, Option<usize>)>,
}

#[derive(Debug, Clone)]
pub struct SubscriptionInfo {
    pub id: Arc<str>,
    pub topic: usize,
    pub endpoint: Endpoint,
    pub policy: Option<FilterPolicy>,
    pub dead_letter_queue: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct World {
    pub template: Template,
    pub bus_ids: Vec<Arc<str>>,
    pub rules: Vec<RuleInfo>,
    /// Rules per bus, in rule order.
    pub bus_rules: Vec<Vec<usize>>,
    /// Per bus, its pattern rules compiled into one automaton; each machine rule is named by
    /// its position `k` in `bus_rules[bus]`.
    pub bus_machines: Vec<Machine>,
    pub archive_ids: Vec<Arc<str>>,
    pub archive_patterns: Vec<Option<EventPattern>>,
    pub archive_bus: Vec<usize>,
    pub topic_ids: Vec<Arc<str>>,
    pub topic_subscriptions: Vec<Vec<usize>>,
    pub subscriptions: Vec<SubscriptionInfo>,
    pub queue_ids: Vec<Arc<str>>,
    pub queue_dlq: Vec<Option<usize>>,
    /// Queues some resource uses as its dead-letter queue.
    pub queue_is_dlq: Vec<bool>,
    pub queue_mappings: Vec<Vec<usize>>,
    pub function_ids: Vec<Arc<str>>,
    pub function_fail_when: Vec<Option<EventPattern>>,
    pub mapping_ids: Vec<Arc<str>>,
    pub mapping_queue: Vec<usize>,
    pub mapping_function: Vec<usize>,
    /// Declared workers (`Metadata: Eventyard: Workers:`): their names, queues and FailWhen.
    pub worker_ids: Vec<Arc<str>>,
    pub worker_queue: Vec<usize>,
    pub worker_fail_when: Vec<Option<EventPattern>>,
    /// Workers polling each queue.
    pub queue_workers: Vec<Vec<usize>>,
}

/// A problem found while compiling (a template that loaded should not have any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    pub logical_id: String,
    pub message: String,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.logical_id, self.message)
    }
}

fn index_by<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item), i))
        .collect()
}

impl World {
    pub fn compile(template: &Template) -> Result<World, Vec<SimError>> {
        let t = template;
        let mut errors = Vec::new();
        let queues = index_by(&t.queues, |q| q.arn.as_str());
        let topics = index_by(&t.topics, |x| x.arn.as_str());
        let functions = index_by(&t.functions, |f| f.arn.as_str());
        let buses = index_by(&t.event_buses, |b| b.arn.as_str());
        let endpoint = |arn: &str| -> Option<Endpoint> {
            if let Some(i) = queues.get(arn) {
                return Some(Endpoint::Queue(*i));
            }
            if let Some(i) = topics.get(arn) {
                return Some(Endpoint::Topic(*i));
            }
            if let Some(i) = functions.get(arn) {
                return Some(Endpoint::Function(*i));
            }
            buses.get(arn).map(|i| Endpoint::Bus(*i))
        };
        let mut error = |id: &str, message: String| {
            errors.push(SimError {
                logical_id: id.to_string(),
                message,
            });
        };
        let mut queue_is_dlq = vec![false; t.queues.len()];
        let mut rules = Vec::new();
        let mut bus_rules = vec![Vec::new(); t.event_buses.len()];
        for (index, rule) in t.rules.iter().enumerate() {
            let pattern = match &rule.event_pattern {
                Some(text) => match EventPattern::parse(text) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        error(&rule.origin.logical_id, e.to_string());
                        None
                    }
                },
                None => None,
            };
            let (cron, rate_ms) = match &rule.schedule {
                Some(Schedule::Rate { period_ms }) => (None, Some(*period_ms)),
                Some(Schedule::Cron { fields }) => match Cron::parse(fields) {
                    Ok(cron) => (Some(cron), None),
                    Err(message) => {
                        error(&rule.origin.logical_id, message);
                        (None, None)
                    }
                },
                None => (None, None),
            };
            let mut targets = Vec::new();
            for target in &rule.targets {
                let Some(to) = endpoint(&target.arn) else {
                    error(
                        &rule.origin.logical_id,
                        format!("target {} is not simulated", target.arn),
                    );
                    continue;
                };
                let dlq = target
                    .dead_letter_arn
                    .as_deref()
                    .and_then(|arn| queues.get(arn).copied());
                if let Some(dlq) = dlq {
                    if let Some(flag) = queue_is_dlq.get_mut(dlq) {
                        *flag = true;
                    }
                }
                targets.push((to, dlq));
            }
            if rule.event_pattern.is_some() || rule.schedule.is_none() {
                if let Some(bus) = buses.get(rule.event_bus_arn.as_str()) {
                    if let Some(list) = bus_rules.get_mut(*bus) {
                        list.push(index);
                    }
                }
            }
            rules.push(RuleInfo {
                id: Arc::from(rule.origin.logical_id.as_str()),
                pattern,
                cron,
                rate_ms,
                enabled: rule.state == eventyard_template::RuleState::Enabled,
                targets,
            });
        }
        let mut archive_patterns = Vec::new();
        let mut archive_bus = Vec::new();
        for archive in &t.archives {
            archive_patterns.push(
                archive
                    .event_pattern
                    .as_deref()
                    .and_then(|p| EventPattern::parse(p).ok()),
            );
            archive_bus.push(buses.get(archive.source_arn.as_str()).copied().unwrap_or(0));
        }
        let mut topic_subscriptions = vec![Vec::new(); t.topics.len()];
        let mut subscriptions = Vec::new();
        for subscription in &t.subscriptions {
            let Some(topic) = topics.get(subscription.topic_arn.as_str()).copied() else {
                error(&subscription.origin.logical_id, "topic not found".into());
                continue;
            };
            let to = match subscription.protocol {
                Protocol::Sqs | Protocol::Lambda => match endpoint(&subscription.endpoint) {
                    Some(e) => e,
                    None => {
                        error(&subscription.origin.logical_id, "endpoint not found".into());
                        continue;
                    }
                },
                _ => Endpoint::Inbox,
            };
            let scope = match subscription.filter_policy_scope {
                PolicyScope::MessageAttributes => FilterPolicyScope::MessageAttributes,
                PolicyScope::MessageBody => FilterPolicyScope::MessageBody,
            };
            let policy = match &subscription.filter_policy {
                Some(text) => match FilterPolicy::parse(text, scope) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        error(&subscription.origin.logical_id, e.to_string());
                        None
                    }
                },
                None => None,
            };
            let dead_letter_queue = subscription
                .dead_letter_arn
                .as_deref()
                .and_then(|arn| queues.get(arn).copied());
            if let Some(dlq) = dead_letter_queue {
                if let Some(flag) = queue_is_dlq.get_mut(dlq) {
                    *flag = true;
                }
            }
            if let Some(list) = topic_subscriptions.get_mut(topic) {
                list.push(subscriptions.len());
            }
            subscriptions.push(SubscriptionInfo {
                id: Arc::from(subscription.origin.logical_id.as_str()),
                topic,
                endpoint: to,
                policy,
                dead_letter_queue,
            });
        }
        let mut queue_dlq = Vec::new();
        for queue in &t.queues {
            let dlq = queue
                .dead_letter_target_arn
                .as_deref()
                .and_then(|arn| queues.get(arn).copied());
            if let Some(dlq) = dlq {
                if let Some(flag) = queue_is_dlq.get_mut(dlq) {
                    *flag = true;
                }
            }
            queue_dlq.push(dlq);
        }
        let mut queue_mappings = vec![Vec::new(); t.queues.len()];
        let mut mapping_queue = Vec::new();
        let mut mapping_function = Vec::new();
        for (index, mapping) in t.event_source_mappings.iter().enumerate() {
            let queue = queues.get(mapping.event_source_arn.as_str()).copied();
            let function = functions.get(mapping.function_arn.as_str()).copied();
            match (queue, function) {
                (Some(queue), Some(function)) => {
                    if let Some(list) = queue_mappings.get_mut(queue) {
                        list.push(index);
                    }
                    mapping_queue.push(queue);
                    mapping_function.push(function);
                }
                _ => {
                    error(
                        &mapping.origin.logical_id,
                        "queue or function not found".into(),
                    );
                    mapping_queue.push(0);
                    mapping_function.push(0);
                }
            }
        }
        let mut function_fail_when = Vec::new();
        for function in &t.functions {
            function_fail_when.push(match &function.behaviour.fail_when {
                Some(text) => match EventPattern::parse(text) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        error(&function.origin.logical_id, e.to_string());
                        None
                    }
                },
                None => None,
            });
        }
        let mut worker_queue = Vec::new();
        let mut worker_fail_when = Vec::new();
        let mut queue_workers = vec![Vec::new(); t.queues.len()];
        for (index, worker) in t.playground.workers.iter().enumerate() {
            let queue = queues.get(worker.queue_arn.as_str()).copied();
            match queue {
                Some(queue) => {
                    if let Some(list) = queue_workers.get_mut(queue) {
                        list.push(index);
                    }
                    worker_queue.push(queue);
                }
                None => {
                    error(&worker.name, "queue not found".into());
                    worker_queue.push(0);
                }
            }
            worker_fail_when.push(match &worker.behaviour.fail_when {
                Some(text) => match EventPattern::parse(text) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        error(&worker.name, e.to_string());
                        None
                    }
                },
                None => None,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut bus_machines = Vec::new();
        for list in &bus_rules {
            let mut machine = Machine::new();
            for (k, rule) in list.iter().enumerate() {
                if let Some(pattern) = rules.get(*rule).and_then(|r| r.pattern.as_ref()) {
                    machine.add_rule(&k.to_string(), pattern);
                }
            }
            bus_machines.push(machine);
        }
        let ids = |list: Vec<&str>| list.into_iter().map(Arc::from).collect::<Vec<Arc<str>>>();
        Ok(World {
            bus_ids: ids(t
                .event_buses
                .iter()
                .map(|b| b.origin.logical_id.as_str())
                .collect()),
            rules,
            bus_rules,
            bus_machines,
            archive_ids: ids(t
                .archives
                .iter()
                .map(|a| a.origin.logical_id.as_str())
                .collect()),
            archive_patterns,
            archive_bus,
            topic_ids: ids(t
                .topics
                .iter()
                .map(|x| x.origin.logical_id.as_str())
                .collect()),
            topic_subscriptions,
            subscriptions,
            queue_ids: ids(t
                .queues
                .iter()
                .map(|q| q.origin.logical_id.as_str())
                .collect()),
            queue_dlq,
            queue_is_dlq,
            queue_mappings,
            function_ids: ids(t
                .functions
                .iter()
                .map(|f| f.origin.logical_id.as_str())
                .collect()),
            function_fail_when,
            mapping_ids: ids(t
                .event_source_mappings
                .iter()
                .map(|m| m.origin.logical_id.as_str())
                .collect()),
            mapping_queue,
            mapping_function,
            worker_ids: ids(t
                .playground
                .workers
                .iter()
                .map(|w| w.name.as_str())
                .collect()),
            worker_queue,
            worker_fail_when,
            queue_workers,
            template: template.clone(),
        })
    }

    /// Where an action or a scripted send goes, by ARN.
    pub fn queue_index(&self, arn: &str) -> Option<usize> {
        self.template.queues.iter().position(|q| q.arn == arn)
    }
    pub fn topic_index(&self, arn: &str) -> Option<usize> {
        self.template.topics.iter().position(|x| x.arn == arn)
    }
    pub fn bus_index(&self, arn: &str) -> Option<usize> {
        self.template.event_buses.iter().position(|b| b.arn == arn)
    }
}
