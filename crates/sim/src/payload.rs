//! The JSON shapes AWS delivers at each hop: the EventBridge event (eb-events-structure), the
//! SNS envelope to SQS and the SNS record to Lambda (sns-message-and-json-formats,
//! with-sns), the SQS ReceiveMessage record and the Lambda SQS event (with-sqs), and the
//! invocation record Lambda sends to asynchronous invocation destinations
//! (invocation-async-retain-records).
//! Signatures are placeholders: nothing here is signed.

use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

/// MD5 of a body as SQS reports it (`MD5OfBody`, `md5OfBody`).
pub fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 hex of a body: SQS and SNS content-based deduplication ids.
pub fn sha256_hex(text: &str) -> String {
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub struct EventFields<'a> {
    pub id: &'a str,
    pub detail_type: &'a str,
    pub source: &'a str,
    pub account: &'a str,
    pub time: &'a str,
    pub region: &'a str,
    pub resources: &'a [String],
    pub detail: &'a Value,
}

pub fn event(fields: &EventFields<'_>) -> Value {
    json!({
        "version": "0",
        "id": fields.id,
        "detail-type": fields.detail_type,
        "source": fields.source,
        "account": fields.account,
        "time": fields.time,
        "region": fields.region,
        "resources": fields.resources,
        "detail": fields.detail,
    })
}

/// A published SNS message, before it is shaped for one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub message_id: String,
    pub topic_arn: String,
    pub subject: Option<String>,
    pub message: String,
    pub timestamp: String,
    /// SNS API shape: {"name": {"DataType": "String", "StringValue": "..."}}.
    pub message_attributes: Value,
    pub message_group_id: Option<String>,
    pub sequence_number: Option<String>,
}

/// `MessageAttributes` as the envelope shows them: {"name": {"Type": ..., "Value": ...}}.
fn envelope_attributes(attributes: &Value) -> Value {
    let mut out = Map::new();
    if let Some(map) = attributes.as_object() {
        for (name, attribute) in map {
            let data_type = attribute
                .get("DataType")
                .cloned()
                .unwrap_or(json!("String"));
            let value = attribute
                .get("StringValue")
                .or_else(|| attribute.get("BinaryValue"))
                .cloned()
                .unwrap_or(Value::Null);
            out.insert(name.clone(), json!({"Type": data_type, "Value": value}));
        }
    }
    Value::Object(out)
}

fn unsubscribe_url(region: &str, subscription_arn: &str) -> String {
    format!(
        "https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"
    )
}

/// What an `email` subscription receives: a plain-text email whose subject is the publisher's
/// Subject (or SNS's default) and whose body is the message with SNS's unsubscribe footer
/// (sns-email-notifications). Shown as `{Subject, Body}`.
pub fn sns_email(n: &Notification, region: &str, subscription_arn: &str) -> Value {
    let subject = n.subject.as_deref().unwrap_or("AWS Notification Message");
    let body = format!(
        "{}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n{}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support",
        n.message,
        unsubscribe_url(region, subscription_arn)
    );
    json!({"Subject": subject, "Body": body})
}

fn signing_cert_url(region: &str) -> String {
    format!(
        "https://sns.{region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem"
    )
}

const SIGNATURE: &str = "EXAMPLEpH+/NOT-A-REAL-SIGNATURE/eventyard==";

/// The JSON body SNS writes to an SQS queue (no RawMessageDelivery).
pub fn sns_envelope(n: &Notification, region: &str, subscription_arn: &str) -> Value {
    let mut map = Map::new();
    map.insert("Type".into(), json!("Notification"));
    map.insert("MessageId".into(), json!(n.message_id));
    if let Some(seq) = &n.sequence_number {
        map.insert("SequenceNumber".into(), json!(seq));
    }
    map.insert("TopicArn".into(), json!(n.topic_arn));
    if let Some(subject) = &n.subject {
        map.insert("Subject".into(), json!(subject));
    }
    map.insert("Message".into(), json!(n.message));
    map.insert("Timestamp".into(), json!(n.timestamp));
    map.insert("SignatureVersion".into(), json!("1"));
    map.insert("Signature".into(), json!(SIGNATURE));
    map.insert("SigningCertURL".into(), json!(signing_cert_url(region)));
    map.insert(
        "UnsubscribeURL".into(),
        json!(unsubscribe_url(region, subscription_arn)),
    );
    let attributes = envelope_attributes(&n.message_attributes);
    if attributes.as_object().is_some_and(|m| !m.is_empty()) {
        map.insert("MessageAttributes".into(), attributes);
    }
    Value::Object(map)
}

/// The Lambda event for an SNS delivery (note `SigningCertUrl` / `UnsubscribeUrl` casing).
pub fn sns_lambda_event(n: &Notification, region: &str, subscription_arn: &str) -> Value {
    json!({"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "Sns": {
            "Type": "Notification",
            "MessageId": n.message_id,
            "TopicArn": n.topic_arn,
            "Subject": n.subject,
            "Message": n.message,
            "Timestamp": n.timestamp,
            "SignatureVersion": "1",
            "Signature": SIGNATURE,
            "SigningCertUrl": signing_cert_url(region),
            "UnsubscribeUrl": unsubscribe_url(region, subscription_arn),
            "MessageAttributes": envelope_attributes(&n.message_attributes),
        }
    }]})
}

/// SNS raw delivery to SQS turns message attributes into SQS message attributes.
pub fn sqs_attributes_from_sns(attributes: &Value) -> Value {
    let mut out = Map::new();
    if let Some(map) = attributes.as_object() {
        for (name, attribute) in map.iter().take(10) {
            out.insert(name.clone(), attribute.clone());
        }
    }
    Value::Object(out)
}

pub struct SqsFields<'a> {
    pub message_id: &'a str,
    pub receipt_handle: &'a str,
    pub body: &'a str,
    pub md5_of_body: &'a str,
    pub receive_count: u64,
    pub sent_ms: u64,
    pub first_receive_ms: u64,
    pub sender_id: &'a str,
    pub message_group_id: Option<&'a str>,
    pub sequence_number: Option<&'a str>,
    pub deduplication_id: Option<&'a str>,
    pub message_attributes: &'a Value,
}

fn sqs_attributes(f: &SqsFields<'_>) -> Map<String, Value> {
    let mut attributes = Map::new();
    attributes.insert(
        "ApproximateReceiveCount".into(),
        json!(f.receive_count.to_string()),
    );
    attributes.insert("SentTimestamp".into(), json!(f.sent_ms.to_string()));
    attributes.insert("SenderId".into(), json!(f.sender_id));
    attributes.insert(
        "ApproximateFirstReceiveTimestamp".into(),
        json!(f.first_receive_ms.to_string()),
    );
    if let Some(group) = f.message_group_id {
        attributes.insert("MessageGroupId".into(), json!(group));
    }
    if let Some(seq) = f.sequence_number {
        attributes.insert("SequenceNumber".into(), json!(seq));
    }
    if let Some(dedup) = f.deduplication_id {
        attributes.insert("MessageDeduplicationId".into(), json!(dedup));
    }
    attributes
}

/// One message as ReceiveMessage returns it.
pub fn sqs_record(f: &SqsFields<'_>) -> Value {
    json!({
        "MessageId": f.message_id,
        "ReceiptHandle": f.receipt_handle,
        "MD5OfBody": f.md5_of_body,
        "Body": f.body,
        "Attributes": Value::Object(sqs_attributes(f)),
        "MessageAttributes": f.message_attributes,
    })
}

/// One record of the Lambda SQS event.
pub fn sqs_lambda_record(f: &SqsFields<'_>, queue_arn: &str, region: &str) -> Value {
    json!({
        "messageId": f.message_id,
        "receiptHandle": f.receipt_handle,
        "body": f.body,
        "attributes": Value::Object(sqs_attributes(f)),
        "messageAttributes": f.message_attributes,
        "md5OfBody": f.md5_of_body,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    })
}

/// Lambda's condition for sending an invocation record (invocation-async-retain-records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordCondition {
    Success,
    /// Every attempt MaximumRetryAttempts allows failed.
    RetriesExhausted,
    /// The event outlived MaximumEventAgeInSeconds before its next attempt.
    EventAgeExceeded,
}

impl RecordCondition {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordCondition::Success => "Success",
            RecordCondition::RetriesExhausted => "RetriesExhausted",
            RecordCondition::EventAgeExceeded => "EventAgeExceeded",
        }
    }

    /// The `detail-type` of the event an EventBridge destination receives.
    pub fn detail_type(self) -> &'static str {
        match self {
            RecordCondition::Success => "Lambda Function Invocation Result - Success",
            _ => "Lambda Function Invocation Result - Failure",
        }
    }
}

pub struct InvocationRecordFields<'a> {
    /// ISO-8601 with milliseconds.
    pub timestamp: &'a str,
    pub request_id: &'a str,
    /// The function's (unqualified) ARN; the record names `$LATEST`, the version that ran.
    pub function_arn: &'a str,
    pub condition: RecordCondition,
    pub approximate_invoke_count: u64,
    /// The event as the function received it.
    pub request_payload: &'a Value,
    /// Why the last attempt failed (failure conditions only).
    pub error: Option<&'a str>,
}

/// The error object a failed invocation returns. A timeout is Lambda's own
/// (`Sandbox.Timedout`, "RequestId: ... Error: Task timed out after N.00 seconds"); a declared
/// failure or an unavailable function stands for an error the function's code throws (`Error`).
pub fn function_error_payload(request_id: &str, reason: &str) -> Value {
    if reason.starts_with("Task timed out") {
        json!({
            "errorType": "Sandbox.Timedout",
            "errorMessage": format!("RequestId: {request_id} Error: {reason}"),
        })
    } else {
        json!({"errorType": "Error", "errorMessage": reason})
    }
}

/// The invocation record, in the field order of AWS's examples: `responseContext` carries
/// `functionError: "Unhandled"` and `responsePayload` the error object on failure; on success
/// `responsePayload` is what the function returned (declared functions return nothing: null).
pub fn invocation_record(f: &InvocationRecordFields<'_>) -> Value {
    let mut response_context = Map::new();
    response_context.insert("statusCode".into(), json!(200));
    response_context.insert("executedVersion".into(), json!("$LATEST"));
    let response_payload = match f.error {
        Some(reason) => {
            response_context.insert("functionError".into(), json!("Unhandled"));
            function_error_payload(f.request_id, reason)
        }
        None => Value::Null,
    };
    json!({
        "version": "1.0",
        "timestamp": f.timestamp,
        "requestContext": {
            "requestId": f.request_id,
            "functionArn": format!("{}:$LATEST", f.function_arn),
            "condition": f.condition.as_str(),
            "approximateInvokeCount": f.approximate_invoke_count,
        },
        "requestPayload": f.request_payload,
        "responseContext": Value::Object(response_context),
        "responsePayload": response_payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// invocation-async-retain-records, "Example invocation record": a record for an event
    /// that failed three processing attempts.
    #[test]
    fn invocation_record_has_the_shape_of_the_aws_example() {
        let record = invocation_record(&InvocationRecordFields {
            timestamp: "2019-11-14T18:16:05.568Z",
            request_id: "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
            function_arn: "arn:aws:lambda:us-east-2:123456789012:function:my-function",
            condition: RecordCondition::RetriesExhausted,
            approximate_invoke_count: 3,
            request_payload: &json!({"ORDER_IDS": ["9e07af03"]}),
            error: Some("Task timed out after 3.00 seconds"),
        });
        assert_eq!(
            record.to_string(),
            concat!(
                r#"{"version":"1.0","timestamp":"2019-11-14T18:16:05.568Z","#,
                r#""requestContext":{"requestId":"e4b46cbf-b738-xmpl-8880-a18cdf61200e","#,
                r#""functionArn":"arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST","#,
                r#""condition":"RetriesExhausted","approximateInvokeCount":3},"#,
                r#""requestPayload":{"ORDER_IDS":["9e07af03"]},"#,
                r#""responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"#,
                r#""responsePayload":{"errorType":"Sandbox.Timedout","#,
                r#""errorMessage":"RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Error: Task timed out after 3.00 seconds"}}"#
            )
        );
        let success = invocation_record(&InvocationRecordFields {
            condition: RecordCondition::Success,
            approximate_invoke_count: 1,
            error: None,
            timestamp: "t",
            request_id: "r",
            function_arn: "f",
            request_payload: &Value::Null,
        });
        assert_eq!(
            success["responseContext"],
            json!({"statusCode": 200, "executedVersion": "$LATEST"})
        );
        assert_eq!(success["responsePayload"], Value::Null);
    }

    #[test]
    fn digests_match_known_values() {
        assert_eq!(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(
            sha256_hex("hello"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
    }
}
