//! The template as a graph for the diagram: one node per simulated resource (and the producers
//! that feed them), one edge per way a message can travel, labelled with what decides it.
//! Plain data from the validated model; `layout.rs` places it, `views/diagram.rs` draws it.

use std::collections::BTreeMap;

use eventyard_template::{PolicyScope, Protocol, Send, TargetInput, Template};

/// What a node stands for; decides its shape, its figures and its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// Where messages come from: the template's scripted sends, or the person's hand.
    Producer,
    Bus,
    Rule,
    Archive,
    Topic,
    Subscription,
    Queue,
    Function,
    Worker,
    /// A Cognito user pool: it runs on the Sign in page; its users' claims can ride in events
    /// sent by hand.
    UserPool,
}

impl NodeKind {
    /// The kind as people read it on the node.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Producer => "Producer",
            NodeKind::Bus => "Event bus",
            NodeKind::Rule => "Rule",
            NodeKind::Archive => "Archive",
            NodeKind::Topic => "SNS topic",
            NodeKind::Subscription => "Subscription",
            NodeKind::Queue => "SQS queue",
            NodeKind::Function => "Lambda function",
            NodeKind::Worker => "Worker",
            NodeKind::UserPool => "Cognito user pool",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The logical id (or, for a producer, its name); the simulator's trace uses the same.
    pub id: String,
    pub kind: NodeKind,
    /// A short second line: "FIFO", "dead-letter queue", "email a@example.com", "rate 1 minute".
    pub note: String,
    /// The settings shown in the node's details, as (name, value).
    pub settings: Vec<(String, String)>,
}

/// Why an edge exists; dead-letter and destination edges are drawn dashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    Flow,
    DeadLetter,
    Destination,
    /// A user pool's signed-in claims into what is sent by hand: identity, not messages.
    Identity,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// What decides this edge, in one line (a rule's pattern, a filter policy, "raw", "batch 10").
    pub label: String,
    pub kind: EdgeKind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The producer node of the template's `Metadata: Eventyard: Events:`.
pub const SCRIPTED: &str = "Scripted sends";
/// The producer node of what the person sends from the page.
pub const BY_HAND: &str = "Sent by hand";

/// Longest label kept on an edge; the whole text is in the details.
const LABEL_MAX: usize = 48;

/// One line of at most `LABEL_MAX` characters: whitespace collapsed, an ellipsis when cut.
pub fn one_line(text: &str) -> String {
    clip(
        &text.split_whitespace().collect::<Vec<_>>().join(" "),
        LABEL_MAX,
    )
}

/// At most `max` characters, the last an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

struct Builder {
    topology: Topology,
    /// ARN (and queue URL) → node index.
    by_arn: BTreeMap<String, usize>,
    by_id: BTreeMap<String, usize>,
}

impl Builder {
    fn node(
        &mut self,
        id: &str,
        kind: NodeKind,
        note: String,
        settings: Vec<(String, String)>,
    ) -> usize {
        if let Some(index) = self.by_id.get(id) {
            return *index;
        }
        let index = self.topology.nodes.len();
        self.topology.nodes.push(Node {
            id: id.to_string(),
            kind,
            note,
            settings,
        });
        self.by_id.insert(id.to_string(), index);
        index
    }

    fn edge(&mut self, from: usize, to: usize, label: String, kind: EdgeKind) {
        let edge = Edge {
            from,
            to,
            label,
            kind,
        };
        if !self.topology.edges.contains(&edge) {
            self.topology.edges.push(edge);
        }
    }

    fn edge_to_arn(&mut self, from: usize, arn: &str, label: String, kind: EdgeKind) {
        if let Some(to) = self.by_arn.get(arn).copied() {
            self.edge(from, to, label, kind);
        }
    }
}

fn seconds(s: u64) -> String {
    format!("{s} s")
}

/// Whether another queue's `RedrivePolicy` names `queue` as its dead-letter queue.
pub fn is_dead_letter_target(template: &Template, queue: &eventyard_template::Queue) -> bool {
    template
        .queues
        .iter()
        .any(|other| other.dead_letter_target_arn.as_deref() == Some(queue.arn.as_str()))
}

/// The graph of a loaded template. `hand_targets` are the ARNs the person has sent to by hand.
pub fn topology(template: &Template, hand_targets: &[String]) -> Topology {
    let mut b = Builder {
        topology: Topology::default(),
        by_arn: BTreeMap::new(),
        by_id: BTreeMap::new(),
    };
    let scripted = &template.playground.scripted;
    if !scripted.is_empty() {
        let note = format!("{} scripted send{}", scripted.len(), plural(scripted.len()));
        b.node(SCRIPTED, NodeKind::Producer, note, Vec::new());
    }
    if !hand_targets.is_empty() {
        b.node(
            BY_HAND,
            NodeKind::Producer,
            "from this page".into(),
            Vec::new(),
        );
    }
    // Buses: those the template declares, and the default bus only when something uses it.
    let used_arns = used_bus_arns(template, hand_targets);
    for bus in &template.event_buses {
        let declared = bus.origin.logical_id != "default";
        if declared || used_arns.iter().any(|arn| arn == &bus.arn) {
            let index = b.node(
                &bus.origin.logical_id,
                NodeKind::Bus,
                bus.name.clone(),
                vec![
                    ("Name".into(), bus.name.clone()),
                    ("ARN".into(), bus.arn.clone()),
                ],
            );
            b.by_arn.insert(bus.arn.clone(), index);
        }
    }
    for topic in &template.topics {
        let note = if topic.fifo_topic { "FIFO" } else { "standard" }.to_string();
        let settings = vec![
            ("Name".into(), topic.name.clone()),
            ("FIFO".into(), topic.fifo_topic.to_string()),
            (
                "Content-based deduplication".into(),
                topic.content_based_deduplication.to_string(),
            ),
        ];
        let index = b.node(&topic.origin.logical_id, NodeKind::Topic, note, settings);
        b.by_arn.insert(topic.arn.clone(), index);
    }
    for queue in &template.queues {
        let is_dlq = is_dead_letter_target(template, queue);
        let note = match (queue.fifo_queue, is_dlq) {
            (true, true) => "FIFO dead-letter queue",
            (false, true) => "dead-letter queue",
            (true, false) => "FIFO",
            (false, false) => "standard",
        };
        let mut settings = vec![
            ("Name".into(), queue.name.clone()),
            (
                "VisibilityTimeout".into(),
                seconds(queue.visibility_timeout_s),
            ),
            ("DelaySeconds".into(), seconds(queue.delay_s)),
            (
                "MessageRetentionPeriod".into(),
                seconds(queue.message_retention_period_s),
            ),
            (
                "ReceiveMessageWaitTimeSeconds".into(),
                seconds(queue.receive_message_wait_time_s),
            ),
        ];
        if let Some(policy) = queue.redrive_policy {
            settings.push((
                "maxReceiveCount".into(),
                policy.max_receive_count.to_string(),
            ));
        }
        let index = b.node(
            &queue.origin.logical_id,
            NodeKind::Queue,
            note.into(),
            settings,
        );
        b.by_arn.insert(queue.arn.clone(), index);
        b.by_arn.insert(queue.url.clone(), index);
    }
    for function in &template.functions {
        let behaviour = &function.behaviour;
        let mut settings = vec![
            ("Timeout".into(), seconds(function.timeout_s)),
            (
                "Duration (declared)".into(),
                format!("{} ms", behaviour.duration_ms),
            ),
        ];
        if let Some(when) = &behaviour.fail_when {
            settings.push(("Fails when".into(), one_line(when)));
        }
        if behaviour.fail_percent > 0 {
            settings.push(("Fails".into(), format!("{} %", behaviour.fail_percent)));
        }
        let index = b.node(
            &function.origin.logical_id,
            NodeKind::Function,
            function.name.clone(),
            settings,
        );
        b.by_arn.insert(function.arn.clone(), index);
    }
    for rule in &template.rules {
        let (note, label) = match (&rule.event_pattern, &rule.schedule) {
            (Some(pattern), _) => ("event pattern".to_string(), one_line(pattern)),
            (None, Some(_)) => ("schedule".to_string(), "on schedule".to_string()),
            (None, None) => ("no pattern".to_string(), String::new()),
        };
        let mut settings = vec![("State".into(), format!("{:?}", rule.state))];
        if let Some(pattern) = &rule.event_pattern {
            settings.push(("EventPattern".into(), pattern.clone()));
        }
        let index = b.node(&rule.origin.logical_id, NodeKind::Rule, note, settings);
        // A scheduled rule on a bus no one sends to is its own source: no edge in.
        if let Some(bus) = b.by_arn.get(&rule.event_bus_arn).copied() {
            b.edge(bus, index, label, EdgeKind::Flow);
        }
        for target in &rule.targets {
            let label = match &target.input {
                TargetInput::MatchedEvent => String::new(),
                TargetInput::Transformer(_) => "input transformer".into(),
                TargetInput::Path(path) => format!("InputPath {path}"),
                TargetInput::Constant(_) => "constant input".into(),
            };
            b.edge_to_arn(index, &target.arn, label, EdgeKind::Flow);
            if let Some(dlq) = &target.dead_letter_arn {
                b.edge_to_arn(index, dlq, "target DLQ".into(), EdgeKind::DeadLetter);
            }
        }
    }
    for archive in &template.archives {
        let index = b.node(
            &archive.origin.logical_id,
            NodeKind::Archive,
            archive.name.clone(),
            Vec::new(),
        );
        if let Some(bus) = b.by_arn.get(&archive.source_arn).copied() {
            let label = archive
                .event_pattern
                .as_deref()
                .map(one_line)
                .unwrap_or_default();
            b.edge(bus, index, label, EdgeKind::Flow);
        }
    }
    for subscription in &template.subscriptions {
        let protocol = subscription.protocol;
        let note = if protocol.is_inbox() {
            format!("{} {}", protocol.as_str(), subscription.endpoint)
        } else {
            protocol.as_str().to_string()
        };
        let mut settings = vec![
            ("Protocol".into(), protocol.as_str().to_string()),
            ("Endpoint".into(), subscription.endpoint.clone()),
            (
                "RawMessageDelivery".into(),
                subscription.raw_message_delivery.to_string(),
            ),
        ];
        if let Some(policy) = &subscription.filter_policy {
            let scope = match subscription.filter_policy_scope {
                PolicyScope::MessageAttributes => "MessageAttributes",
                PolicyScope::MessageBody => "MessageBody",
            };
            settings.push(("FilterPolicyScope".into(), scope.into()));
            settings.push(("FilterPolicy".into(), policy.clone()));
        }
        let index = b.node(
            &subscription.origin.logical_id,
            NodeKind::Subscription,
            note,
            settings,
        );
        if let Some(topic) = b.by_arn.get(&subscription.topic_arn).copied() {
            let label = subscription
                .filter_policy
                .as_deref()
                .map(one_line)
                .unwrap_or_default();
            b.edge(topic, index, label, EdgeKind::Flow);
        }
        if matches!(protocol, Protocol::Sqs | Protocol::Lambda) {
            let label = if subscription.raw_message_delivery {
                "raw"
            } else {
                "envelope"
            };
            b.edge_to_arn(index, &subscription.endpoint, label.into(), EdgeKind::Flow);
        }
        if let Some(dlq) = &subscription.dead_letter_arn {
            b.edge_to_arn(index, dlq, "subscription DLQ".into(), EdgeKind::DeadLetter);
        }
    }
    // User pools run on the Sign in page (the first one there); drawn with their sign-in
    // settings, and linked to the sends by hand, which can carry a signed-in user's claims.
    for pool in eventyard_cognito::Pool::all_from_template(template)
        .into_iter()
        .filter(|pool| !pool.is_default)
    {
        let Some(declared) = template.user_pools.iter().find(|p| p.id == pool.id) else {
            continue;
        };
        let settings = vec![
            ("Name".into(), pool.name.clone()),
            ("Id".into(), pool.id.clone()),
            ("Managed login".into(), pool.url("/login")),
            (
                "App client".into(),
                format!("{} ({})", pool.client.name, pool.client.id),
            ),
            (
                "Sign-in factors".into(),
                pool.allowed_first_auth_factors.join(", "),
            ),
            (
                "Groups".into(),
                pool.groups
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ];
        let index = b.node(
            &declared.origin.logical_id,
            NodeKind::UserPool,
            "sign in on the Sign in page".into(),
            settings,
        );
        if let Some(hand) = b.by_id.get(BY_HAND).copied() {
            b.edge(index, hand, "signed-in claims".into(), EdgeKind::Identity);
        }
    }
    for queue in &template.queues {
        if let (Some(dlq), Some(from)) = (
            &queue.dead_letter_target_arn,
            b.by_arn.get(&queue.arn).copied(),
        ) {
            let label = queue
                .redrive_policy
                .map(|policy| format!("after {} receives", policy.max_receive_count))
                .unwrap_or_default();
            b.edge_to_arn(from, dlq, label, EdgeKind::DeadLetter);
        }
    }
    for mapping in &template.event_source_mappings {
        if let Some(queue) = b.by_arn.get(&mapping.event_source_arn).copied() {
            let label = format!("batch {}", mapping.batch_size);
            b.edge_to_arn(queue, &mapping.function_arn, label, EdgeKind::Flow);
        }
    }
    for function in &template.functions {
        let Some(from) = b.by_arn.get(&function.arn).copied() else {
            continue;
        };
        for action in &function.behaviour.actions {
            let arn = match action {
                eventyard_template::Action::PutEvents { event_bus_arn, .. } => event_bus_arn,
                eventyard_template::Action::Publish { topic_arn, .. } => topic_arn,
                eventyard_template::Action::SendMessage { queue_arn, .. } => queue_arn,
            };
            b.edge_to_arn(from, arn, String::new(), EdgeKind::Flow);
        }
        let config = &function.invoke_config;
        if let Some(arn) = &config.on_success_arn {
            b.edge_to_arn(from, arn, "on success".into(), EdgeKind::Destination);
        }
        if let Some(arn) = &config.on_failure_arn {
            b.edge_to_arn(from, arn, "on failure".into(), EdgeKind::Destination);
        }
    }
    for worker in &template.playground.workers {
        let settings = vec![
            (
                "MaxNumberOfMessages".into(),
                worker.max_messages.to_string(),
            ),
            (
                "WaitTimeSeconds".into(),
                worker
                    .wait_time_s
                    .map_or_else(|| "the queue's".into(), seconds),
            ),
        ];
        let note = match worker.wait_time_s {
            Some(0) => "short polling".to_string(),
            _ => "long polling".to_string(),
        };
        let index = b.node(&worker.name, NodeKind::Worker, note, settings);
        if let Some(queue) = b.by_arn.get(&worker.queue_arn).copied() {
            b.edge(
                queue,
                index,
                format!("receive {}", worker.max_messages),
                EdgeKind::Flow,
            );
        }
    }
    if let Some(producer) = b.by_id.get(SCRIPTED).copied() {
        for scripted in scripted {
            if let Some(arn) = send_target(&scripted.send) {
                // A redrive starts at the dead-letter queue; say so on the edge.
                let label = match scripted.send {
                    Send::StartMessageMoveTask { .. } => "StartMessageMoveTask",
                    _ => "",
                };
                b.edge_to_arn(producer, arn, label.into(), EdgeKind::Flow);
            }
        }
    }
    if let Some(producer) = b.by_id.get(BY_HAND).copied() {
        for arn in hand_targets {
            b.edge_to_arn(producer, arn, String::new(), EdgeKind::Flow);
        }
    }
    b.topology
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The ARN (or queue URL) a send goes to.
pub fn send_target(send: &Send) -> Option<&str> {
    match send {
        Send::PutEvents { event_bus_arn, .. } => Some(event_bus_arn),
        Send::Publish { topic_arn, .. } => Some(topic_arn),
        Send::SendMessage { queue_arn, .. } => Some(queue_arn),
        Send::StartMessageMoveTask { source_arn } => Some(source_arn),
        Send::StartReplay { .. } => None,
    }
}

/// Buses something sends to or a rule or archive listens on.
fn used_bus_arns(template: &Template, hand_targets: &[String]) -> Vec<String> {
    let mut arns: Vec<String> = template
        .rules
        .iter()
        .map(|rule| rule.event_bus_arn.clone())
        .collect();
    arns.extend(
        template
            .archives
            .iter()
            .map(|archive| archive.source_arn.clone()),
    );
    arns.extend(
        template
            .playground
            .scripted
            .iter()
            .filter_map(|scripted| send_target(&scripted.send))
            .map(str::to_string),
    );
    arns.extend(hand_targets.iter().cloned());
    arns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::PRESETS;

    fn load(text: &str) -> Template {
        eventyard_template::load(text).unwrap_or_else(|errors| panic!("{errors:?}"))
    }

    #[test]
    fn every_resource_of_every_preset_is_a_node_once() {
        for preset in PRESETS {
            let template = load(preset.template);
            let graph = topology(&template, &[]);
            let mut ids: Vec<&str> = graph.nodes.iter().map(|node| node.id.as_str()).collect();
            let count = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), count, "{}", preset.id);
            for queue in &template.queues {
                assert!(
                    ids.contains(&queue.origin.logical_id.as_str()),
                    "{}",
                    preset.id
                );
            }
            for rule in &template.rules {
                assert!(
                    ids.contains(&rule.origin.logical_id.as_str()),
                    "{}",
                    preset.id
                );
            }
            for edge in &graph.edges {
                assert!(edge.from < count && edge.to < count);
            }
        }
    }

    #[test]
    fn the_donut_shop_draws_bus_rule_queue_function() {
        let preset = PRESETS.iter().find(|p| p.id == "donut-shop").unwrap();
        let graph = topology(&load(preset.template), &[]);
        let id = |name: &str| graph.nodes.iter().position(|n| n.id == name).unwrap();
        let rule = id("DonutRule");
        let into_rule: Vec<&Edge> = graph.edges.iter().filter(|e| e.to == rule).collect();
        assert_eq!(into_rule.len(), 1);
        assert_eq!(graph.nodes[into_rule[0].from].kind, NodeKind::Bus);
        assert!(into_rule[0].label.contains("donut"), "{:?}", into_rule[0]);
        assert!(graph
            .edges
            .iter()
            .any(|e| e.from == rule && e.to == id("DonutQueue")));
        assert!(graph
            .edges
            .iter()
            .any(|e| e.from == id("DonutQueue") && e.label.starts_with("batch")));
        assert_eq!(graph.nodes[0].id, SCRIPTED);
    }

    /// PRODUCT.md: the user pool is drawn with the rest; its claims reach events sent by hand.
    #[test]
    fn a_user_pool_is_drawn_and_feeds_the_sends_by_hand() {
        let preset = PRESETS.iter().find(|p| p.id == "admin-routes").unwrap();
        let template = load(preset.template);
        let graph = topology(&template, &[]);
        let pool = graph
            .nodes
            .iter()
            .find(|n| n.id == "Users")
            .expect("the pool");
        assert_eq!(pool.kind, NodeKind::UserPool);
        assert!(pool
            .settings
            .iter()
            .any(|(name, value)| name == "Sign-in factors" && value == "PASSWORD, EMAIL_OTP"));
        assert!(graph.edges.is_empty() || graph.edges.iter().all(|e| e.kind != EdgeKind::Identity));
        let bus = template.event_buses[0].arn.clone();
        let graph = topology(&template, &[bus]);
        let id = |name: &str| graph.nodes.iter().position(|n| n.id == name).unwrap();
        assert!(graph
            .edges
            .iter()
            .any(|e| e.from == id("Users") && e.to == id(BY_HAND) && e.kind == EdgeKind::Identity));
        // The default pool of a template without one is not drawn.
        let donut = PRESETS.iter().find(|p| p.id == "donut-shop").unwrap();
        let graph = topology(&load(donut.template), &[]);
        assert!(graph.nodes.iter().all(|n| n.kind != NodeKind::UserPool));
    }

    #[test]
    fn a_dead_letter_queue_hangs_off_its_source_queue() {
        let preset = PRESETS.iter().find(|p| p.id == "dlq-redrive").unwrap();
        let graph = topology(&load(preset.template), &[]);
        let dlq = graph
            .nodes
            .iter()
            .position(|n| n.id == "PaymentsDlq")
            .unwrap();
        assert_eq!(graph.nodes[dlq].note, "dead-letter queue");
        let edge = graph
            .edges
            .iter()
            .find(|e| e.to == dlq && e.kind == EdgeKind::DeadLetter)
            .unwrap();
        assert_eq!(graph.nodes[edge.from].id, "PaymentsQueue");
        assert_eq!(edge.label, "after 2 receives");
    }

    #[test]
    fn labels_are_one_short_line() {
        assert_eq!(one_line("{\n  \"a\": [1]\n}"), "{ \"a\": [1] }");
        let long = one_line(&"x".repeat(100));
        assert_eq!(long.chars().count(), LABEL_MAX);
        assert!(long.ends_with('…'));
    }
}
