//! The validated model: AWS resources with AWS's names, defaults applied and limits checked.
//! References between resources are ARNs (resolved and checked to exist in the template).
//! Every collection is sorted by logical id, so anything built from it is deterministic.

use crate::node::Pos;

/// A loaded template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub account_id: String,
    pub region: String,
    pub stack_name: String,
    pub event_buses: Vec<EventBus>,
    pub rules: Vec<Rule>,
    pub archives: Vec<Archive>,
    pub topics: Vec<Topic>,
    pub subscriptions: Vec<Subscription>,
    pub queues: Vec<Queue>,
    pub functions: Vec<Function>,
    pub event_source_mappings: Vec<EventSourceMapping>,
    /// Cognito user pools with their app clients, domains and groups (the mock sign-in).
    pub user_pools: Vec<UserPool>,
    pub user_pool_clients: Vec<UserPoolClient>,
    pub user_pool_domains: Vec<UserPoolDomain>,
    pub user_pool_groups: Vec<UserPoolGroup>,
    /// Declared resources of other types: shown on the diagram, not simulated.
    pub not_simulated: Vec<NotSimulated>,
    pub playground: Playground,
}

/// Where a resource came from in the template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub logical_id: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBus {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleState {
    Enabled,
    Disabled,
}

/// `ScheduleExpression` (eb-scheduled-rule-pattern).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Rate {
        period_ms: u64,
    },
    /// Six fields: minutes hours day-of-month month day-of-week year.
    Cron {
        fields: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
    pub event_bus_arn: String,
    /// Validated pattern text (JSON); parse with `eventyard_pattern::EventPattern::parse`.
    pub event_pattern: Option<String>,
    pub schedule: Option<Schedule>,
    pub state: RuleState,
    pub targets: Vec<Target>,
}

/// `InputPathsMap` + `InputTemplate` (eb-transform-target-input); also the shape of the bodies
/// declared functions build.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputTransformer {
    pub input_paths_map: Vec<(String, String)>,
    pub input_template: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetInput {
    /// The matched event, unchanged.
    MatchedEvent,
    /// `Input`: constant JSON text.
    Constant(String),
    /// `InputPath`: a JSONPath into the event.
    Path(String),
    Transformer(InputTransformer),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub maximum_event_age_s: u64,
    pub maximum_retry_attempts: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub pos: Pos,
    pub arn: String,
    pub input: TargetInput,
    pub retry_policy: RetryPolicy,
    pub dead_letter_arn: Option<String>,
    /// `SqsParameters.MessageGroupId`, required for FIFO queue targets.
    pub message_group_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
    pub source_arn: String,
    pub event_pattern: Option<String>,
    /// None keeps events indefinitely (the default).
    pub retention_days: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
    pub fifo_topic: bool,
    pub content_based_deduplication: bool,
    /// `SignatureVersion`: 1 (SHA1withRSA, the default) or 2 (SHA256withRSA) for the
    /// notifications' signatures (sns-verify-signature-of-message).
    pub signature_version: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Sqs,
    Lambda,
    Email,
    EmailJson,
    Sms,
    Http,
    Https,
}

impl Protocol {
    pub fn parse(text: &str) -> Option<Protocol> {
        Some(match text {
            "sqs" => Protocol::Sqs,
            "lambda" => Protocol::Lambda,
            "email" => Protocol::Email,
            "email-json" => Protocol::EmailJson,
            "sms" => Protocol::Sms,
            "http" => Protocol::Http,
            "https" => Protocol::Https,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
            Protocol::Email => "email",
            Protocol::EmailJson => "email-json",
            Protocol::Sms => "sms",
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }

    /// Email, SMS and web endpoints become inboxes the page shows.
    pub fn is_inbox(self) -> bool {
        !matches!(self, Protocol::Sqs | Protocol::Lambda)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyScope {
    MessageAttributes,
    MessageBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub origin: Origin,
    pub arn: String,
    pub topic_arn: String,
    pub protocol: Protocol,
    /// An ARN for sqs and lambda; an address or URL for inboxes.
    pub endpoint: String,
    /// Validated policy text (JSON).
    pub filter_policy: Option<String>,
    pub filter_policy_scope: PolicyScope,
    pub raw_message_delivery: bool,
    pub dead_letter_arn: Option<String>,
    /// An inbox endpoint (email, SMS, HTTP/S) that fails every delivery between these virtual
    /// times, [from, until), from `Metadata: Eventyard: Subscriptions: <id>: Down:`.
    pub down_ms: Vec<(u64, u64)>,
    /// An endpoint (of any protocol) that refuses SNS between these virtual times, [from,
    /// until), from `Metadata: Eventyard: Subscriptions: <id>: Refused:`: its policy no longer
    /// lets SNS deliver, or it was deleted. A client-side error, which SNS does not retry
    /// (sns-dead-letter-queues, "Client-side errors").
    pub refused_ms: Vec<(u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedrivePolicy {
    pub max_receive_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
    pub url: String,
    pub fifo_queue: bool,
    pub content_based_deduplication: bool,
    pub visibility_timeout_s: u64,
    pub delay_s: u64,
    /// `MaximumMessageSize` in bytes (1,024 to 1 MiB; 1 MiB by default).
    pub maximum_message_size: u64,
    pub message_retention_period_s: u64,
    pub receive_message_wait_time_s: u64,
    pub redrive_policy: Option<RedrivePolicy>,
    /// `RedrivePolicy.deadLetterTargetArn`.
    pub dead_letter_target_arn: Option<String>,
    /// `RedriveAllowPolicy.redrivePermission`: allowAll (default), denyAll or byQueue.
    pub redrive_permission: String,
    /// Unavailable (every SendMessage fails with a server error) between these virtual times,
    /// [from, until), from `Metadata: Eventyard: Queues: <id>: Down:`.
    pub down_ms: Vec<(u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub origin: Origin,
    pub name: String,
    pub arn: String,
    pub timeout_s: u64,
    pub behaviour: Behaviour,
    /// Asynchronous invocation settings (`AWS::Lambda::EventInvokeConfig` or SAM's
    /// `EventInvokeConfig`).
    pub invoke_config: InvokeConfig,
    /// The function's own dead-letter queue or topic (`DeadLetterConfig.TargetArn`, SAM's
    /// `DeadLetterQueue.TargetArn`): where a failed asynchronous event goes
    /// (invocation-async-retain-records, "Dead-letter queues").
    pub dead_letter_arn: Option<String>,
}

/// How Lambda handles asynchronous invocations of a function
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html,
/// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
/// Only asynchronous invocations (from SNS, EventBridge, destinations) use it: an SQS event
/// source mapping invokes synchronously and never sends records to destinations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeConfig {
    /// 0..2, default 2.
    pub maximum_retry_attempts: u64,
    /// 60..21600 s, default 21600 (6 hours).
    pub maximum_event_age_s: u64,
    /// `DestinationConfig.OnSuccess.Destination`: an SQS queue, SNS topic, event bus or function.
    pub on_success_arn: Option<String>,
    /// `DestinationConfig.OnFailure.Destination`.
    pub on_failure_arn: Option<String>,
    /// Where it was declared (an `AWS::Lambda::EventInvokeConfig`, or the `EventInvokeConfig`
    /// property of a SAM function); `None` for Lambda's defaults.
    pub origin: Option<Origin>,
}

impl Default for InvokeConfig {
    fn default() -> InvokeConfig {
        InvokeConfig {
            maximum_retry_attempts: crate::limits::LAMBDA_ASYNC_RETRIES_DEFAULT.value,
            maximum_event_age_s: crate::limits::LAMBDA_ASYNC_EVENT_AGE_DEFAULT.value,
            on_success_arn: None,
            on_failure_arn: None,
            origin: None,
        }
    }
}

/// What a declared function does (from `Metadata: Eventyard: Functions:`). Never code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Behaviour {
    /// How long each invocation takes.
    pub duration_ms: u64,
    /// Fail the items (SQS records) or the event that match this EventBridge pattern (JSON text).
    pub fail_when: Option<String>,
    /// Fail this share of invocations, in percent, drawn from the seeded generator.
    pub fail_percent: u64,
    /// Down (every invocation fails) between these virtual times, [from, until).
    pub down_ms: Vec<(u64, u64)>,
    /// Sends made for each successfully processed item.
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    PutEvents {
        event_bus_arn: String,
        source: String,
        detail_type: String,
        detail: InputTransformer,
    },
    Publish {
        topic_arn: String,
        message: InputTransformer,
        message_group_id: Option<String>,
    },
    SendMessage {
        queue_arn: String,
        message_body: InputTransformer,
        message_group_id: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSourceMapping {
    pub origin: Origin,
    pub uuid: String,
    pub event_source_arn: String,
    pub function_arn: String,
    pub batch_size: u64,
    pub maximum_batching_window_s: u64,
    pub report_batch_item_failures: bool,
    pub enabled: bool,
    /// `ScalingConfig.MaximumConcurrency` (2..1000), when set.
    pub maximum_concurrency: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSimulated {
    pub origin: Origin,
    pub type_name: String,
}

/// Playground settings (`Metadata: Eventyard:`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Playground {
    pub seed: u64,
    /// Virtual time zero as milliseconds since the Unix epoch (events' `time` fields).
    pub start_time_ms: u64,
    pub scripted: Vec<Scripted>,
    /// Standard queues: percent of receives that leave a duplicate behind (at-least-once).
    pub duplicate_percent: u64,
    /// Standard queues: receive in seeded best-effort order rather than arrival order.
    pub reorder: bool,
    /// Consumers outside Lambda that call ReceiveMessage in a loop (`Workers:`).
    pub workers: Vec<Worker>,
}

/// A declared consumer (a container or a server, not a function) that polls a queue with
/// ReceiveMessage, processes what it gets and deletes it: where short and long polling differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    pub name: String,
    pub pos: Pos,
    pub queue_arn: String,
    /// `WaitTimeSeconds` of each ReceiveMessage; `None` uses the queue's
    /// `ReceiveMessageWaitTimeSeconds`.
    pub wait_time_s: Option<u64>,
    /// `MaxNumberOfMessages`, 1..10.
    pub max_messages: u64,
    /// How long the worker pauses after an empty receive before it calls again.
    pub idle_pause_ms: u64,
    /// What processing each message does (duration, failures, down windows, actions).
    pub behaviour: Behaviour,
}

/// Something to send: once at `at_ms`, or `count` times every `every_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scripted {
    pub at_ms: u64,
    pub every_ms: Option<u64>,
    pub count: u64,
    pub send: Send,
}

/// One send. Where several bodies are given, each send picks one with the seeded generator
/// (the "generator" of the product brief).
#[derive(Debug, Clone, PartialEq)]
pub enum Send {
    PutEvents {
        event_bus_arn: String,
        source: String,
        detail_type: String,
        details: Vec<serde_json::Value>,
        resources: Vec<String>,
    },
    Publish {
        topic_arn: String,
        messages: Vec<String>,
        subject: Option<String>,
        /// SNS API shape: {"name": {"DataType": "String", "StringValue": "..."}}.
        message_attributes: serde_json::Value,
        message_group_id: Option<String>,
        message_deduplication_id: Option<String>,
    },
    SendMessage {
        queue_arn: String,
        bodies: Vec<String>,
        message_group_id: Option<String>,
        message_deduplication_id: Option<String>,
    },
    /// StartMessageMoveTask: move a dead-letter queue's messages back to their source queue.
    StartMessageMoveTask { source_arn: String },
    /// StartReplay: re-send an archive's events from a window of virtual time to its bus.
    StartReplay {
        archive_arn: String,
        replay_name: String,
        event_start_ms: u64,
        event_end_ms: u64,
        /// `Destination.FilterArns`: replay only to these rules (empty: every rule of the bus).
        rule_arns: Vec<String>,
    },
}

impl Template {
    pub fn queue_by_arn(&self, arn: &str) -> Option<&Queue> {
        self.queues.iter().find(|q| q.arn == arn)
    }
    pub fn topic_by_arn(&self, arn: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.arn == arn)
    }
    pub fn function_by_arn(&self, arn: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.arn == arn)
    }
    pub fn bus_by_arn(&self, arn: &str) -> Option<&EventBus> {
        self.event_buses.iter().find(|b| b.arn == arn)
    }
}

/// `AWS::Cognito::UserPool` (CloudFormation page "AWS::Cognito::UserPool"): what the mock
/// sign-in needs. `id` is the pool id, `<region>_<9 characters>`, as `Ref` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPool {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub arn: String,
    pub password_policy: PasswordPolicy,
    /// `UsernameAttributes`: `email` and/or `phone_number` sign in in place of a user name.
    pub username_attributes: Vec<String>,
    pub auto_verified_attributes: Vec<String>,
    /// `Schema` entries with `Name` (custom ones become `custom:<Name>` claims).
    pub custom_attributes: Vec<String>,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors` (choice-based sign-in); `PASSWORD` only
    /// when not set.
    pub allowed_first_auth_factors: Vec<String>,
}

/// `Policies.PasswordPolicy`. Cognito's default policy (no `PasswordPolicy`): 8 characters and
/// all four character classes (user-pool-settings-policies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub minimum_length: u64,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: u64,
}

impl Default for PasswordPolicy {
    fn default() -> PasswordPolicy {
        PasswordPolicy {
            minimum_length: 8,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// `AWS::Cognito::UserPoolClient`. Validities are in seconds, units already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolClient {
    pub origin: Origin,
    /// The client id (26 characters), as `Ref` returns it.
    pub id: String,
    pub name: String,
    pub user_pool_id: String,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub allowed_oauth_flows: Vec<String>,
    pub allowed_oauth_flows_user_pool_client: bool,
    pub allowed_oauth_scopes: Vec<String>,
    pub explicit_auth_flows: Vec<String>,
    pub generate_secret: bool,
    pub access_token_validity_s: u64,
    pub id_token_validity_s: u64,
    pub refresh_token_validity_s: u64,
    /// `AuthSessionValidity`: minutes a user has to answer each sign-in challenge, which is
    /// also how long an SMS or email sign-in code is good for (3 to 15, default 3).
    pub auth_session_validity_min: u64,
}

/// `AWS::Cognito::UserPoolDomain`: a prefix (`<prefix>.auth.<region>.amazoncognito.com`) or a
/// custom domain (with `CustomDomainConfig`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolDomain {
    pub origin: Origin,
    pub domain: String,
    pub user_pool_id: String,
    pub custom: bool,
    /// 1: the classic hosted UI; 2: managed login (late 2024).
    pub managed_login_version: u64,
}

/// `AWS::Cognito::UserPoolGroup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolGroup {
    pub origin: Origin,
    pub name: String,
    pub user_pool_id: String,
    pub precedence: Option<u64>,
    pub description: String,
}
