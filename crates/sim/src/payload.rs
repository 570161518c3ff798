//! The JSON shapes AWS delivers at each hop: the EventBridge event (eb-events-structure), the
//! SNS envelope to SQS and the SNS record to Lambda (sns-message-and-json-formats,
//! with-sns), the SQS ReceiveMessage record and the Lambda SQS event (with-sqs), and the
//! invocation record Lambda sends to asynchronous invocation destinations
//! (invocation-async-retain-records).
//! Signatures are placeholders: nothing here is signed.

use base64::Engine;
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

/// MD5 of a body as SQS reports it (`MD5OfBody`, `md5OfBody`).
pub fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `MD5OfMessageAttributes` as SQS computes it (sqs-message-metadata, "Calculating the MD5
/// message digest for message attributes"): the attributes sorted by name; for each, the name,
/// the data type, one transport byte (1 for String and Number types, 2 for Binary) and the
/// value, every part but the transport byte preceded by its length as 4 big-endian bytes;
/// then MD5 of it all. A binary value is hashed as its bytes (the API carries them in base64).
/// `None` when there are no attributes: SQS then sends no digest at all.
pub fn md5_of_message_attributes(attributes: &Value) -> Option<String> {
    let map = attributes.as_object().filter(|m| !m.is_empty())?;
    let mut names: Vec<&String> = map.keys().collect();
    names.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let mut bytes: Vec<u8> = Vec::new();
    let part = |data: &[u8], out: &mut Vec<u8>| {
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(data);
    };
    for name in names {
        let attribute = map.get(name).unwrap_or(&Value::Null);
        let data_type = attribute
            .get("DataType")
            .and_then(Value::as_str)
            .unwrap_or("String");
        part(name.as_bytes(), &mut bytes);
        part(data_type.as_bytes(), &mut bytes);
        if data_type.starts_with("Binary") {
            bytes.push(2);
            let encoded = attribute
                .get("BinaryValue")
                .and_then(Value::as_str)
                .unwrap_or("");
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap_or_else(|_| encoded.as_bytes().to_vec());
            part(&decoded, &mut bytes);
        } else {
            bytes.push(1);
            let value = match attribute.get("StringValue") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            part(value.as_bytes(), &mut bytes);
        }
    }
    let digest = Md5::digest(&bytes);
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Message attributes in the shape Lambda gives them in an SQS event record (with-sqs,
/// "Example Amazon SQS message event"): `stringValue` (or `binaryValue`), `stringListValues`,
/// `binaryListValues` and `dataType`, not the SQS API's `StringValue`/`DataType`.
pub fn lambda_message_attributes(attributes: &Value) -> Value {
    let mut out = Map::new();
    if let Some(map) = attributes.as_object() {
        for (name, attribute) in map {
            let mut shaped = Map::new();
            if let Some(value) = attribute.get("StringValue") {
                shaped.insert("stringValue".into(), value.clone());
            }
            if let Some(value) = attribute.get("BinaryValue") {
                shaped.insert("binaryValue".into(), value.clone());
            }
            shaped.insert("stringListValues".into(), json!([]));
            shaped.insert("binaryListValues".into(), json!([]));
            shaped.insert(
                "dataType".into(),
                attribute
                    .get("DataType")
                    .cloned()
                    .unwrap_or(json!("String")),
            );
            out.insert(name.clone(), Value::Object(shaped));
        }
    }
    Value::Object(out)
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

/// The members of an EventBridge event, in the order AWS writes them.
const EVENT_MEMBERS: [&str; 9] = [
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
];

pub fn event(fields: &EventFields<'_>) -> Value {
    // Built member by member: `json!` would copy the detail through `serde_json::to_value`
    // (a serialiser pass over every value) where a clone gives the same `Value`. Sized for
    // its nine members up front, so the map does not grow (and move) four times. (Filling a
    // clone of a map that has the keys already, to skip hashing them, cost more: the clone
    // allocates each key and the table anyway.)
    let text = |s: &str| Value::String(s.to_string());
    // in `EVENT_MEMBERS`' order
    let values = [
        text("0"),
        text(fields.id),
        text(fields.detail_type),
        text(fields.source),
        text(fields.account),
        text(fields.time),
        text(fields.region),
        Value::Array(fields.resources.iter().map(|r| text(r)).collect()),
        fields.detail.clone(),
    ];
    let mut envelope = Map::with_capacity(EVENT_MEMBERS.len());
    for (name, value) in EVENT_MEMBERS.into_iter().zip(values) {
        envelope.insert(name.into(), value);
    }
    Value::Object(envelope)
}

/// The compact JSON text of [`event`]`(fields)`, written from its pieces with the detail's
/// text the caller already has (PutEvents serialises the detail to check the entry's size):
/// the matcher reads this text, so the envelope is not serialised a second time. Byte for byte
/// `event(fields).to_string()` (the members in the same order, each written by serde_json).
pub fn event_text(fields: &EventFields<'_>, detail_text: &str) -> String {
    use crate::json_write::push_str;
    // Built as a `String` from `str` pieces (no check of the whole text as UTF-8 at the end),
    // the member names as literals (they need no escaping).
    let mut out = String::with_capacity(detail_text.len() + 256);
    out.push_str(r#"{"version":"0","id":"#);
    push_str(&mut out, fields.id);
    out.push_str(r#","detail-type":"#);
    push_str(&mut out, fields.detail_type);
    out.push_str(r#","source":"#);
    push_str(&mut out, fields.source);
    out.push_str(r#","account":"#);
    push_str(&mut out, fields.account);
    out.push_str(r#","time":"#);
    push_str(&mut out, fields.time);
    out.push_str(r#","region":"#);
    push_str(&mut out, fields.region);
    out.push_str(r#","resources":["#);
    for (i, resource) in fields.resources.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(&mut out, resource);
    }
    out.push_str(r#"],"detail":"#);
    out.push_str(detail_text);
    out.push('}');
    out
}

/// The compact JSON text of `value`: byte for byte `value.to_string()`, several times faster.
/// serde_json's `Display` goes through `fmt::Formatter`, one `write_str` per token; its
/// writer into a `Vec<u8>` appends directly. (`json_write::to_text` was no faster here: it
/// checks the text is UTF-8 at the end, where serde_json knows it is.)
pub fn json_text(value: &Value) -> String {
    // a `Value` always serialises (its keys are strings); the fallback is never taken
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// The length in bytes of [`json_text`]`(value)`, counted without building the text.
pub fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => value.to_string().len(),
    }
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
    /// The topic's `SignatureVersion` (1 or 2); `None` for a FIFO topic, whose notifications
    /// carry no signature fields.
    pub signature_version: Option<u8>,
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
    [
        "https://sns.",
        region,
        ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=",
        subscription_arn,
    ]
    .concat()
}

/// What an `email` subscription receives: a plain-text email whose subject is the publisher's
/// Subject (or SNS's default) and whose body is the message with SNS's unsubscribe footer
/// (sns-email-notifications). Shown as `{Subject, Body}`.
pub fn sns_email(n: &Notification, region: &str, subscription_arn: &str) -> Value {
    let subject = n.subject.as_deref().unwrap_or("AWS Notification Message");
    // joined rather than `format!`: every email delivery builds one
    let body = [
        n.message.as_str(),
        "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n",
        &unsubscribe_url(region, subscription_arn),
        "\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support",
    ]
    .concat();
    let mut map = Map::with_capacity(2);
    map.insert("Subject".into(), Value::String(subject.to_string()));
    map.insert("Body".into(), Value::String(body));
    Value::Object(map)
}

fn signing_cert_url(region: &str) -> String {
    format!(
        "https://sns.{region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem"
    )
}

/// A stand-in for the notification's signature: the shape of a real one (base64 of the 256
/// bytes an RSA-2048 signature has, so 344 characters), derived from the message id so each
/// message has its own, but signed by nothing — a subscriber that verifies it will reject it.
fn placeholder_signature(message_id: &str) -> String {
    let mut bytes = Vec::with_capacity(256);
    let mut block = 0u8;
    while bytes.len() < 256 {
        let digest = sha2::Sha256::digest(format!("{message_id}/{block}").as_bytes());
        bytes.extend_from_slice(&digest);
        block = block.wrapping_add(1);
    }
    bytes.truncate(256);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

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
    // sns-fifo-topics' example notification has no signature fields.
    if let Some(version) = n.signature_version {
        map.insert("SignatureVersion".into(), json!(version.to_string()));
        map.insert(
            "Signature".into(),
            json!(placeholder_signature(&n.message_id)),
        );
        map.insert("SigningCertURL".into(), json!(signing_cert_url(region)));
    }
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
            "SignatureVersion": n.signature_version.unwrap_or(1).to_string(),
            "Signature": placeholder_signature(&n.message_id),
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
    /// The source queue's ARN of a message a redrive moved to a dead-letter queue.
    pub dead_letter_source_arn: Option<&'a str>,
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
    // sqs-dead-letter-queues: a message moved by a redrive names the queue it came from.
    if let Some(source) = f.dead_letter_source_arn {
        attributes.insert("DeadLetterQueueSourceArn".into(), json!(source));
    }
    attributes
}

/// One message as ReceiveMessage returns it (API_ReceiveMessage): `MD5OfMessageAttributes`
/// and `MessageAttributes` only when the message has attributes.
pub fn sqs_record(f: &SqsFields<'_>) -> Value {
    let mut map = Map::new();
    map.insert("MessageId".into(), json!(f.message_id));
    map.insert("ReceiptHandle".into(), json!(f.receipt_handle));
    map.insert("MD5OfBody".into(), json!(f.md5_of_body));
    map.insert("Body".into(), json!(f.body));
    map.insert("Attributes".into(), Value::Object(sqs_attributes(f)));
    if let Some(digest) = md5_of_message_attributes(f.message_attributes) {
        map.insert("MD5OfMessageAttributes".into(), json!(digest));
        map.insert("MessageAttributes".into(), f.message_attributes.clone());
    }
    Value::Object(map)
}

/// One record of the Lambda SQS event (with-sqs): `messageAttributes` in Lambda's shape
/// (`{}` when there are none, as the documented example shows), `md5OfMessageAttributes`
/// only when there are some.
pub fn sqs_lambda_record(f: &SqsFields<'_>, queue_arn: &str, region: &str) -> Value {
    let mut map = Map::new();
    map.insert("messageId".into(), json!(f.message_id));
    map.insert("receiptHandle".into(), json!(f.receipt_handle));
    map.insert("body".into(), json!(f.body));
    map.insert("attributes".into(), Value::Object(sqs_attributes(f)));
    map.insert(
        "messageAttributes".into(),
        lambda_message_attributes(f.message_attributes),
    );
    if let Some(digest) = md5_of_message_attributes(f.message_attributes) {
        map.insert("md5OfMessageAttributes".into(), json!(digest));
    }
    map.insert("md5OfBody".into(), json!(f.md5_of_body));
    map.insert("eventSource".into(), json!("aws:sqs"));
    map.insert("eventSourceARN".into(), json!(queue_arn));
    map.insert("awsRegion".into(), json!(region));
    Value::Object(map)
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

    /// The text handed to the matcher (and the trace) is the envelope's own serialisation,
    /// byte for byte, whatever the strings hold.
    #[test]
    fn event_text_is_the_envelope_serialised() {
        let details = [
            json!({"rideId": "ride-1", "wait": 25, "inService": true, "x": 1.5e300}),
            json!({}),
            json!([1, "two", null]),
            json!("a \"quoted\" \u{1}\u{7f} é 😀 </script>"),
        ];
        let resources = [
            Vec::new(),
            vec!["arn:aws:x".to_string(), "q\"\\\n".to_string()],
        ];
        for detail in &details {
            for resources in &resources {
                let fields = EventFields {
                    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                    detail_type: "wait \"times\"\t",
                    source: "themepark.rides",
                    account: "123456789012",
                    time: "2026-11-25T00:00:00Z",
                    region: "us-east-1",
                    resources,
                    detail,
                };
                let built = event(&fields);
                assert_eq!(event_text(&fields, &detail.to_string()), built.to_string());
                assert_eq!(built["id"], json!(fields.id));
                assert_eq!(built["detail"], *detail);
                assert_eq!(built.as_object().map(Map::len), Some(EVENT_MEMBERS.len()));
            }
        }
    }

    /// `json_text` and `json_len` agree with serde_json's `Display`, escapes and floats included.
    #[test]
    fn json_text_is_display() {
        let values = [
            json!({"a": [1, -2, 3.5, 1e300, null, true], "b\"": "x\u{1}\u{7f} é 😀 </script>"}),
            json!("plain"),
            json!([]),
            json!({}),
            json!(0.1),
        ];
        for value in &values {
            assert_eq!(json_text(value), value.to_string());
            assert_eq!(json_len(value), value.to_string().len());
        }
    }

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

    /// sqs-message-metadata's algorithm, checked against digests computed by independent
    /// implementations that the AWS SDKs' response checks accept.
    #[test]
    fn md5_of_message_attributes_follows_the_sqs_algorithm() {
        let one = json!({"SellerName": {"DataType": "String", "StringValue": "Example Store"}});
        assert_eq!(
            md5_of_message_attributes(&one).as_deref(),
            Some("cd28f3b68aeee4b2eac9c66f2f694b58")
        );
        // Sorted by name whatever the order given; Number travels as a string.
        let two = json!({
            "ordinal": {"DataType": "Number", "StringValue": "1"},
            "category": {"DataType": "String", "StringValue": "test"},
        });
        assert_eq!(
            md5_of_message_attributes(&two).as_deref(),
            Some("d21ae90c49061e927f57df5f5d72be1f")
        );
        assert_eq!(md5_of_message_attributes(&json!({})), None);
        assert_eq!(md5_of_message_attributes(&Value::Null), None);
    }

    /// API_ReceiveMessage leaves out MessageAttributes and its digest when there are none;
    /// Lambda's record (with-sqs) keeps `messageAttributes: {}` and has no digest then.
    #[test]
    fn records_carry_attributes_and_digest_only_when_there_are_attributes() {
        let fields = |attributes: &'static Value| SqsFields {
            message_id: "m",
            receipt_handle: "r",
            body: "b",
            md5_of_body: "x",
            receive_count: 1,
            sent_ms: 0,
            first_receive_ms: 0,
            sender_id: "s",
            message_group_id: None,
            sequence_number: None,
            deduplication_id: None,
            dead_letter_source_arn: None,
            message_attributes: attributes,
        };
        static NONE: Value = Value::Null;
        let plain = sqs_record(&fields(&NONE));
        assert!(plain.get("MessageAttributes").is_none());
        assert!(plain.get("MD5OfMessageAttributes").is_none());
        let lambda = sqs_lambda_record(&fields(&NONE), "arn", "us-east-1");
        assert_eq!(lambda["messageAttributes"], json!({}));
        assert!(lambda.get("md5OfMessageAttributes").is_none());

        let attributes: &'static Value = Box::leak(Box::new(
            json!({"SellerName": {"DataType": "String", "StringValue": "Example Store"}}),
        ));
        let record = sqs_record(&fields(attributes));
        assert_eq!(
            record["MD5OfMessageAttributes"],
            "cd28f3b68aeee4b2eac9c66f2f694b58"
        );
        assert_eq!(record["MessageAttributes"], *attributes);
        let lambda = sqs_lambda_record(&fields(attributes), "arn", "us-east-1");
        assert_eq!(
            lambda.to_string(),
            concat!(
                r#"{"messageId":"m","receiptHandle":"r","body":"b","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"0","SenderId":"s","ApproximateFirstReceiveTimestamp":"0"},"#,
                r#""messageAttributes":{"SellerName":{"stringValue":"Example Store","stringListValues":[],"binaryListValues":[],"dataType":"String"}},"#,
                r#""md5OfMessageAttributes":"cd28f3b68aeee4b2eac9c66f2f694b58","md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn","awsRegion":"us-east-1"}"#
            )
        );
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
