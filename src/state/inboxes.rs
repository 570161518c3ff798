//! The inboxes of a run: what SNS delivered to email, email-json, SMS and HTTP/S subscriptions,
//! as plain values for the page. SMS endpoints get the message text, email endpoints an email
//! (`{Subject, Body}`: the message with SNS's unsubscribe footer); email-json and HTTP/S
//! endpoints get SNS's JSON envelope
//! (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).

use eventyard_sim::{ResourceReport, Simulator, INBOX_KEEP};
use eventyard_template::{Protocol, Template};
use serde_json::Value;

/// One inbox subscription of the template and what reached it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbox {
    pub logical_id: String,
    pub protocol: Protocol,
    /// The address, phone number or URL the template names.
    pub endpoint: String,
    /// Every message delivered to it during the run (the subscription's `delivered` count).
    pub delivered: u64,
    /// The latest messages, oldest first: the simulator keeps at most [`INBOX_KEEP`].
    pub messages: Vec<InboxMessage>,
}

/// One message as the endpoint received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxMessage {
    /// Virtual time of the delivery.
    pub time_ms: u64,
    /// The email's subject, or the envelope's `Subject` when the publisher gave one.
    pub subject: Option<String>,
    /// The message text: the SMS, the email's body, or the envelope's `Message`.
    pub text: String,
    /// The JSON envelope, pretty-printed, for email-json and HTTP/S endpoints.
    pub envelope: Option<String>,
}

impl Inbox {
    /// Whether older messages were dropped because the simulator keeps only the latest
    /// [`INBOX_KEEP`].
    pub fn is_trimmed(&self) -> bool {
        self.delivered > self.messages.len() as u64
    }

    /// What kind of inbox this is, in words.
    pub fn kind_label(&self) -> &'static str {
        match self.protocol {
            Protocol::Sms => "SMS",
            Protocol::Email => "Email",
            Protocol::EmailJson => "Email (JSON)",
            Protocol::Http => "HTTP endpoint",
            Protocol::Https => "HTTPS endpoint",
            Protocol::Sqs | Protocol::Lambda => "Not an inbox",
        }
    }

    /// The accessible name of the message list: what arrived, and where.
    pub fn list_label(&self) -> String {
        let what = match self.protocol {
            Protocol::Sms => "Text messages",
            Protocol::Email | Protocol::EmailJson => "Emails",
            _ => "Requests",
        };
        format!("{what} to {}", self.endpoint)
    }
}

/// Every inbox subscription of the template, in the order the text declares them, with the messages the run
/// delivered to it. Empty when the template has no email, SMS or HTTP/S subscription.
pub fn inboxes(
    template: &Template,
    simulator: &Simulator,
    report: &[ResourceReport],
) -> Vec<Inbox> {
    let mut subscriptions: Vec<_> = template
        .subscriptions
        .iter()
        .filter(|subscription| subscription.protocol.is_inbox())
        .collect();
    // The model lists resources by logical id; people read the template from the top.
    subscriptions.sort_by_key(|subscription| subscription.origin.pos);
    subscriptions
        .into_iter()
        .map(|subscription| {
            let logical_id = &subscription.origin.logical_id;
            let delivered = report
                .iter()
                .find(|row| row.kind == "AWS::SNS::Subscription" && &row.logical_id == logical_id)
                .map_or(0, |row| row.counters.delivered);
            Inbox {
                logical_id: logical_id.clone(),
                protocol: subscription.protocol,
                endpoint: subscription.endpoint.clone(),
                delivered,
                messages: simulator
                    .inbox(logical_id)
                    .into_iter()
                    .map(|(time_ms, payload)| InboxMessage::from_payload(time_ms, payload))
                    .collect(),
            }
        })
        .collect()
}

impl InboxMessage {
    fn from_payload(time_ms: u64, payload: Value) -> InboxMessage {
        let text_of = |key: &str| {
            payload
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match &payload {
            Value::String(text) => InboxMessage {
                time_ms,
                subject: None,
                text: text.clone(),
                envelope: None,
            },
            // An email is `{Subject, Body}`; an envelope has `Subject` (when given) and `Message`.
            _ => {
                let email = payload.get("Body").is_some();
                InboxMessage {
                    time_ms,
                    subject: payload
                        .get("Subject")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    text: text_of(if email { "Body" } else { "Message" }),
                    envelope: if email {
                        None
                    } else {
                        serde_json::to_string_pretty(&payload).ok()
                    },
                }
            }
        }
    }
}

/// The sentence that says how much of an inbox the page holds.
pub fn kept_note(inbox: &Inbox) -> String {
    if inbox.is_trimmed() {
        format!(
            "{} received; only the latest {} are kept and shown.",
            inbox.delivered,
            inbox.messages.len()
        )
    } else {
        format!(
            "{} received; the page keeps the latest {INBOX_KEEP}.",
            inbox.delivered
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::playground::{Action, PlaygroundDocument};

    fn inboxes_of(document: &PlaygroundDocument) -> Vec<Inbox> {
        let mut session = document.session().unwrap_or_else(|e| panic!("{e:?}"));
        session.advance(document.until_ms, usize::MAX);
        let simulator = session.simulator();
        inboxes(session.template(), simulator, &simulator.report())
    }

    fn document(template: &str, until_ms: u64) -> PlaygroundDocument {
        PlaygroundDocument {
            template: template.to_string(),
            seed: None,
            until_ms,
            hand_sends: Vec::new(),
        }
    }

    /// The theme park sends Emergency outages by SMS and Info/Warning ones by email.
    #[test]
    fn the_theme_park_fills_its_sms_and_email_inboxes() {
        let inboxes =
            inboxes_of(&PlaygroundDocument::default().apply(Action::LoadPreset("theme-park")));
        let protocols: Vec<Protocol> = inboxes.iter().map(|inbox| inbox.protocol).collect();
        assert_eq!(protocols, [Protocol::Sms, Protocol::Email], "{inboxes:?}");
        for inbox in &inboxes {
            assert!(!inbox.messages.is_empty(), "{inbox:?}");
            assert_eq!(inbox.delivered, inbox.messages.len() as u64, "{inbox:?}");
            assert!(!inbox.is_trimmed());
            // Email and SMS endpoints get the message text, not the JSON envelope.
            for message in &inbox.messages {
                assert_eq!(message.envelope, None);
                assert!(message.text.contains("themepark.outages"), "{message:?}");
            }
            assert!(inbox
                .messages
                .windows(2)
                .all(|pair| pair[0].time_ms <= pair[1].time_ms));
        }
        assert_eq!(inboxes[0].endpoint, "+15555550100");
        assert_eq!(inboxes[0].list_label(), "Text messages to +15555550100");
        assert!(inboxes[0].messages[0].text.contains("Emergency"));
        assert_eq!(inboxes[1].endpoint, "ops@example.com");
        assert_eq!(inboxes[1].list_label(), "Emails to ops@example.com");
    }

    #[test]
    fn a_template_without_inbox_subscriptions_has_no_inboxes() {
        for id in ["donut-shop", "sns-fanout"] {
            let document = PlaygroundDocument::default().apply(Action::LoadPreset(id));
            assert_eq!(inboxes_of(&document), [], "{id}");
        }
    }

    /// A scheduled rule publishes once a minute to a topic with an email-json and an https
    /// subscription: both get SNS's envelope; after an hour only the latest INBOX_KEEP remain.
    #[test]
    fn envelope_inboxes_keep_the_latest_messages_with_the_envelope() {
        let template = "Resources:
  Tick:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 minute)
      Targets:
        - Id: topic
          Arn: !Ref Alerts
  Alerts:
    Type: AWS::SNS::Topic
  Mail:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alerts
      Protocol: email-json
      Endpoint: ops@example.com
  Hook:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alerts
      Protocol: https
      Endpoint: https://example.com/hook
";
        let inboxes = inboxes_of(&document(template, 60 * 60_000));
        assert_eq!(inboxes.len(), 2, "{inboxes:?}");
        assert_eq!(
            (inboxes[0].logical_id.as_str(), inboxes[0].protocol),
            ("Mail", Protocol::EmailJson)
        );
        assert_eq!(
            (inboxes[1].logical_id.as_str(), inboxes[1].protocol),
            ("Hook", Protocol::Https)
        );
        assert_eq!(
            inboxes[1].list_label(),
            "Requests to https://example.com/hook"
        );
        for inbox in &inboxes {
            assert!(inbox.delivered > INBOX_KEEP as u64, "{}", inbox.delivered);
            assert_eq!(inbox.messages.len(), INBOX_KEEP);
            assert!(inbox.is_trimmed());
            assert!(kept_note(inbox).contains(&format!("only the latest {INBOX_KEEP}")));
            let last = inbox.messages.last().unwrap();
            // The latest are kept: the last one arrived in the run's last minute.
            assert!(last.time_ms > 59 * 60_000, "{last:?}");
            let envelope = last.envelope.as_deref().unwrap();
            assert!(
                envelope.contains("\"Type\": \"Notification\""),
                "{envelope}"
            );
            // The text is the envelope's Message: the scheduled event.
            assert!(last.text.contains("Scheduled Event"), "{last:?}");
            assert_eq!(last.subject, None);
        }
    }

    /// A scripted Publish with a Subject: the JSON envelope of email-json and HTTP/S carries it
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html), the SMS
    /// gets the text alone.
    /// sns-email-notifications: a plain email has the publisher's Subject (or SNS's default) and
    /// the message followed by the unsubscribe footer.
    #[test]
    fn an_email_has_a_subject_and_the_message_with_the_footer() {
        let template = "Metadata:
  Eventyard:
    Events:
      - {At: 5s, Publish: {TopicArn: !Ref Alerts, Subject: Ride closed, Message: Log Flume is closed}}
      - {At: 6s, Publish: {TopicArn: !Ref Alerts, Message: Log Flume is open}}
Resources:
  Alerts:
    Type: AWS::SNS::Topic
  Mail:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Alerts, Protocol: email, Endpoint: ops@example.com}
";
        let inboxes = inboxes_of(&document(template, 60_000));
        let [mail] = inboxes.as_slice() else {
            panic!("{inboxes:?}");
        };
        let [closed, open] = mail.messages.as_slice() else {
            panic!("{mail:?}");
        };
        assert_eq!(closed.subject.as_deref(), Some("Ride closed"));
        assert_eq!(open.subject.as_deref(), Some("AWS Notification Message"));
        assert!(closed.text.starts_with("Log Flume is closed\n\n--\nIf you wish to stop receiving notifications from this topic"));
        assert!(closed.text.contains("Action=Unsubscribe&SubscriptionArn="));
        assert!(closed.envelope.is_none());
    }

    #[test]
    fn a_published_subject_reaches_the_envelope_inboxes() {
        let template = "Metadata:
  Eventyard:
    Events:
      - At: 5s
        Publish: {TopicArn: !Ref Alerts, Subject: Ride closed, Message: Log Flume is closed}
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - {Protocol: sms, Endpoint: '+15555550100'}
        - {Protocol: http, Endpoint: 'http://example.com/hook'}
  Mail:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Alerts, Protocol: email-json, Endpoint: ops@example.com}
";
        let inboxes = inboxes_of(&document(template, 60_000));
        let protocols: Vec<Protocol> = inboxes.iter().map(|inbox| inbox.protocol).collect();
        assert_eq!(
            protocols,
            [Protocol::Sms, Protocol::Http, Protocol::EmailJson],
            "{inboxes:?}"
        );
        for inbox in &inboxes {
            assert_eq!(inbox.delivered, 1, "{inbox:?}");
            let [message] = inbox.messages.as_slice() else {
                panic!("{inbox:?}");
            };
            assert_eq!(message.text, "Log Flume is closed");
            let is_envelope = inbox.protocol != Protocol::Sms;
            assert_eq!(message.envelope.is_some(), is_envelope, "{message:?}");
            assert_eq!(
                message.subject.as_deref(),
                is_envelope.then_some("Ride closed")
            );
            assert!(kept_note(inbox).starts_with("1 received; the page keeps the latest"));
        }
    }

    #[test]
    fn the_subject_and_message_come_from_the_envelope() {
        let envelope = serde_json::json!({
            "Type": "Notification",
            "Subject": "Ride closed",
            "Message": "Log Flume is closed",
        });
        let message = InboxMessage::from_payload(1_000, envelope);
        assert_eq!(message.subject.as_deref(), Some("Ride closed"));
        assert_eq!(message.text, "Log Flume is closed");
        assert!(message.envelope.unwrap().contains("\n  \"Subject\""));
        let sms = InboxMessage::from_payload(2_000, Value::String("hello".into()));
        assert_eq!(
            (sms.subject, sms.text, sms.envelope),
            (None, "hello".into(), None)
        );
    }
}
