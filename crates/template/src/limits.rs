//! AWS limits and defaults the playground enforces or uses, in ONE table, each with the date it
//! took effect and the AWS documentation page it comes from, so the app can say "AWS as of <date>".
//!
//! `since` is the date AWS announced the value; where the value has held since the service or
//! feature launched, it is the launch date. Every engine crate reads its numbers from here.

/// One limit or default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub value: u64,
    pub unit: &'static str,
    /// ISO date (YYYY-MM or YYYY-MM-DD) the value took effect.
    pub since: &'static str,
    /// AWS documentation page (searchable title or id).
    pub doc: &'static str,
}

macro_rules! limits {
    ($($id:ident = $name:literal, $value:expr, $unit:literal, $since:literal, $doc:literal;)*) => {
        $(pub const $id: Limit = Limit { name: $name, value: $value, unit: $unit, since: $since, doc: $doc };)*
        /// Every limit, for the app's "AWS as of" page.
        pub const TABLE: &[Limit] = &[$($id),*];
    };
}

limits! {
    // CloudFormation (cloudformation-limits)
    CFN_RESOURCES_MAX = "CloudFormation resources per template", 500, "resources", "2020-10", "cloudformation-limits";
    // EventBridge (eb-quota, eb-rule-retry-policy, eb-putevent-size)
    EB_TARGETS_PER_RULE_MAX = "EventBridge targets per rule", 5, "targets", "2016-01-14", "eb-quota";
    EB_RULES_PER_BUS_MAX = "EventBridge rules per event bus", 300, "rules", "2019-07-11", "eb-quota";
    EB_PUT_EVENTS_ENTRIES_MAX = "PutEvents entries per call", 10, "entries", "2016-01-14", "eb-putevent-size";
    EB_PUT_EVENTS_SIZE_MAX = "PutEvents total size", 1_048_576, "bytes", "2026-01", "eb-putevent-size";
    EB_RETRY_ATTEMPTS_DEFAULT = "EventBridge MaximumRetryAttempts default", 185, "attempts", "2020-10-12", "eb-rule-retry-policy";
    EB_RETRY_ATTEMPTS_MAX = "EventBridge MaximumRetryAttempts maximum", 185, "attempts", "2020-10-12", "eb-rule-retry-policy";
    EB_EVENT_AGE_DEFAULT = "EventBridge MaximumEventAgeInSeconds default", 86_400, "s", "2020-10-12", "eb-rule-retry-policy";
    EB_EVENT_AGE_MIN = "EventBridge MaximumEventAgeInSeconds minimum", 60, "s", "2020-10-12", "eb-rule-retry-policy";
    EB_EVENT_AGE_MAX = "EventBridge MaximumEventAgeInSeconds maximum", 86_400, "s", "2020-10-12", "eb-rule-retry-policy";
    EB_INPUT_PATHS_MAX = "InputPathsMap variables", 100, "variables", "2017-03", "eb-transform-target-input";
    // SNS (sns-message-delivery-retries, subscription-filter-policy-constraints, fifo-message-dedup)
    SNS_FILTER_POLICY_KEYS_MAX = "SNS filter policy keys", 5, "keys", "2017-11-21", "subscription-filter-policy-constraints";
    SNS_RAW_ATTRIBUTES_MAX = "SNS raw delivery message attributes to SQS", 10, "attributes", "2018-10", "sns-large-payload-raw-message-delivery";
    SNS_IMMEDIATE_RETRIES = "SNS retries to AWS endpoints with no delay", 3, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_PRE_BACKOFF_RETRIES = "SNS retries at 1 s before backoff", 2, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_BACKOFF_RETRIES = "SNS retries backing off from 1 s to 20 s", 10, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_POST_BACKOFF_RETRIES = "SNS retries at 20 s after backoff", 100_000, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_CUSTOMER_PRE_BACKOFF_RETRIES = "SNS retries at 10 s to email and SMS endpoints before backoff", 2, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_CUSTOMER_BACKOFF_RETRIES = "SNS retries to email and SMS endpoints backing off from 10 s to 600 s", 10, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_CUSTOMER_POST_BACKOFF_RETRIES = "SNS retries at 600 s to email and SMS endpoints after backoff", 38, "attempts", "2018-10", "sns-message-delivery-retries";
    SNS_HTTP_RETRIES_DEFAULT = "SNS retries to HTTP/S endpoints, 20 s apart (default delivery policy)", 3, "attempts", "2018-10", "SendMessageToHttp.retry";
    SNS_FIFO_DEDUP_WINDOW = "SNS FIFO deduplication interval", 300, "s", "2020-10-22", "fifo-message-dedup";
    // SQS (sqs-quotas, sqs-visibility-timeout, sqs-dead-letter-queues, sqs-short-and-long-polling)
    SQS_VISIBILITY_TIMEOUT_DEFAULT = "SQS VisibilityTimeout default", 30, "s", "2008-02", "sqs-visibility-timeout";
    SQS_VISIBILITY_TIMEOUT_MAX = "SQS VisibilityTimeout maximum", 43_200, "s", "2008-02", "sqs-visibility-timeout";
    SQS_DELAY_MAX = "SQS DelaySeconds maximum", 900, "s", "2011-10-20", "sqs-delay-queues";
    SQS_RETENTION_DEFAULT = "SQS MessageRetentionPeriod default", 345_600, "s", "2012-02", "sqs-quotas";
    SQS_RETENTION_MIN = "SQS MessageRetentionPeriod minimum", 60, "s", "2012-02", "sqs-quotas";
    SQS_RETENTION_MAX = "SQS MessageRetentionPeriod maximum", 1_209_600, "s", "2012-02", "sqs-quotas";
    SQS_WAIT_TIME_MAX = "SQS ReceiveMessageWaitTimeSeconds maximum", 20, "s", "2012-11-05", "sqs-short-and-long-polling";
    SQS_RECEIVE_MAX = "SQS messages per ReceiveMessage", 10, "messages", "2011-10-20", "sqs-quotas";
    SQS_MESSAGE_SIZE_MAX = "SQS maximum message size", 1_048_576, "bytes", "2025-08", "sqs-quotas";
    SQS_MAX_RECEIVE_COUNT_MIN = "SQS RedrivePolicy maxReceiveCount minimum", 1, "receives", "2014-01-29", "sqs-dead-letter-queues";
    SQS_MAX_RECEIVE_COUNT_MAX = "SQS RedrivePolicy maxReceiveCount maximum", 1_000, "receives", "2014-01-29", "sqs-dead-letter-queues";
    SQS_FIFO_DEDUP_WINDOW = "SQS FIFO deduplication interval", 300, "s", "2016-11-17", "FIFO-queues-exactly-once-processing";
    // Lambda (services-sqs-parameters, invocation-async, invocation-async-error-handling,
    // invocation-async-retain-records, gettingstarted-limits)
    LAMBDA_SQS_BATCH_SIZE_DEFAULT = "Lambda SQS BatchSize default", 10, "messages", "2018-06-28", "services-sqs-parameters";
    LAMBDA_SQS_BATCH_SIZE_FIFO_MAX = "Lambda SQS BatchSize maximum for FIFO queues", 10, "messages", "2019-11-19", "services-sqs-parameters";
    LAMBDA_SQS_BATCH_SIZE_MAX = "Lambda SQS BatchSize maximum with a batching window", 10_000, "messages", "2020-11-24", "services-sqs-parameters";
    LAMBDA_SQS_BATCH_SIZE_NO_WINDOW_MAX = "Lambda SQS BatchSize maximum without a batching window", 10, "messages", "2020-11-24", "services-sqs-parameters";
    LAMBDA_BATCHING_WINDOW_MAX = "Lambda MaximumBatchingWindowInSeconds maximum", 300, "s", "2020-11-24", "services-sqs-parameters";
    LAMBDA_ASYNC_RETRIES_DEFAULT = "Lambda asynchronous invocation retries", 2, "attempts", "2014-11-13", "invocation-async";
    LAMBDA_ASYNC_RETRIES_MAX = "Lambda EventInvokeConfig MaximumRetryAttempts maximum", 2, "attempts", "2019-11-25", "invocation-async-error-handling";
    LAMBDA_ASYNC_EVENT_AGE_DEFAULT = "Lambda EventInvokeConfig MaximumEventAgeInSeconds default", 21_600, "s", "2019-11-25", "invocation-async-error-handling";
    LAMBDA_ASYNC_EVENT_AGE_MIN = "Lambda EventInvokeConfig MaximumEventAgeInSeconds minimum", 60, "s", "2019-11-25", "invocation-async-error-handling";
    LAMBDA_ASYNC_EVENT_AGE_MAX = "Lambda EventInvokeConfig MaximumEventAgeInSeconds maximum", 21_600, "s", "2019-11-25", "invocation-async-error-handling";
    LAMBDA_ASYNC_RETRY_FIRST_DELAY = "Lambda async wait before the first retry", 60, "s", "2014-11-13", "invocation-async";
    LAMBDA_ASYNC_RETRY_SECOND_DELAY = "Lambda async wait before the second retry", 120, "s", "2014-11-13", "invocation-async";
    LAMBDA_SQS_LONG_POLL_WAIT = "Lambda SQS pollers' long-poll wait", 20, "s", "2018-06-28", "with-sqs";
    LAMBDA_SQS_CONCURRENT_BATCHES_INITIAL = "Lambda SQS concurrent batches when polling starts", 5, "batches", "2018-06-28", "services-sqs-scaling";
    LAMBDA_SQS_SCALE_UP_PER_MINUTE = "Lambda SQS added concurrent batches per minute while messages remain", 300, "batches", "2018-06-28", "services-sqs-scaling";
    LAMBDA_SQS_CONCURRENT_BATCHES_MAX = "Lambda SQS concurrent batches per event source mapping", 1_000, "batches", "2018-06-28", "services-sqs-scaling";
    LAMBDA_SQS_MAXIMUM_CONCURRENCY_MIN = "Lambda SQS ScalingConfig MaximumConcurrency minimum", 2, "invocations", "2023-01-12", "services-sqs-scaling";
    LAMBDA_ASYNC_PAYLOAD_MAX = "Lambda asynchronous invocation payload", 1_048_576, "bytes", "2026-01", "gettingstarted-limits";
    LAMBDA_TIMEOUT_DEFAULT = "Lambda Timeout default", 3, "s", "2014-11-13", "configuration-timeout";
    LAMBDA_TIMEOUT_MAX = "Lambda Timeout maximum", 900, "s", "2018-10-10", "configuration-timeout";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_unique_and_dated() {
        let mut names: Vec<&str> = TABLE.iter().map(|l| l.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLE.len());
        assert!(TABLE
            .iter()
            .all(|l| l.since.len() >= 7 && l.since.starts_with("20")));
    }
}
