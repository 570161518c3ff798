//! The pattern tester's library: sample events to start from (AWS service events in the shapes
//! AWS documents, and the workshop's own donut shop and theme park), a quick reference of every
//! operator with an example that loads on click, and the input transformer's example.
//!
//! The AWS samples follow the example events on these pages (checked 2026-12):
//! - EC2 instance state change: <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html>
//! - S3 Object Created: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html>
//! - Scheduled event: <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html>
//! - CodePipeline execution state change: <https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html>
//! - Cognito sign-in through CloudTrail: <https://docs.aws.amazon.com/cognito/latest/developerguide/understanding-amazon-cognito-entries.html>
//!   and <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html>
//! - Operators: <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html>
//! - Input transformer: <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html>

use crate::state::pattern_tester::Dialect;

/// A sample event with a pattern that matches it.
pub struct Sample {
    pub title: &'static str,
    /// Where its shape comes from.
    pub source: &'static str,
    pub pattern: &'static str,
    pub event: &'static str,
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        title: "EC2 instance state change",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html",
        pattern: r#"{
  "source": ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  "detail": {
    "state": ["stopped", "terminated"]
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "123456789012",
  "time": "2026-11-11T21:29:54Z",
  "region": "us-east-1",
  "resources": [
    "arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0"
  ],
  "detail": {
    "instance-id": "i-1234567890abcdef0",
    "state": "stopped"
  }
}"#,
    },
    Sample {
        title: "S3 Object Created",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html",
        pattern: r#"{
  "source": ["aws.s3"],
  "detail-type": ["Object Created"],
  "detail": {
    "bucket": { "name": ["amzn-s3-demo-bucket"] },
    "object": { "key": [{ "prefix": "uploads/" }] }
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "17793124-05d4-b198-2fde-7ededc63b103",
  "detail-type": "Object Created",
  "source": "aws.s3",
  "account": "111122223333",
  "time": "2026-11-27T21:22:59Z",
  "region": "ca-central-1",
  "resources": ["arn:aws:s3:::amzn-s3-demo-bucket"],
  "detail": {
    "version": "0",
    "bucket": { "name": "amzn-s3-demo-bucket" },
    "object": {
      "key": "uploads/example-key",
      "size": 5,
      "etag": "b1946ac92492d2347c6235b4d2611184",
      "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
      "sequencer": "617f08299329d189"
    },
    "request-id": "N4N7GDK58NMKJ12R",
    "requester": "123456789012",
    "source-ip-address": "1.2.3.4",
    "reason": "PutObject"
  }
}"#,
    },
    Sample {
        title: "Scheduled event",
        source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html",
        pattern: r#"{
  "source": ["aws.events"],
  "detail-type": ["Scheduled Event"],
  "resources": [{ "suffix": "rule/nightly-report" }]
}"#,
        event: r#"{
  "version": "0",
  "id": "89d1a02d-5ec7-412e-82f5-13505f849b41",
  "detail-type": "Scheduled Event",
  "source": "aws.events",
  "account": "123456789012",
  "time": "2026-11-30T02:00:00Z",
  "region": "us-east-1",
  "resources": ["arn:aws:events:us-east-1:123456789012:rule/nightly-report"],
  "detail": {}
}"#,
    },
    Sample {
        title: "CodePipeline execution failed",
        source: "https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html",
        pattern: r#"{
  "source": ["aws.codepipeline"],
  "detail-type": ["CodePipeline Pipeline Execution State Change"],
  "detail": {
    "state": ["FAILED"]
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "01234567-EXAMPLE",
  "detail-type": "CodePipeline Pipeline Execution State Change",
  "source": "aws.codepipeline",
  "account": "123456789012",
  "time": "2026-11-20T22:24:30Z",
  "region": "us-east-1",
  "resources": ["arn:aws:codepipeline:us-east-1:123456789012:myPipeline"],
  "detail": {
    "pipeline": "myPipeline",
    "execution-id": "12345678-1234-5678-abcd-12345678abcd",
    "start-time": "2026-11-20T22:20:17.978Z",
    "execution-trigger": {
      "trigger-type": "StartPipelineExecution",
      "trigger-detail": "arn:aws:sts::123456789012:assumed-role/Admin/my-user"
    },
    "state": "FAILED",
    "version": 1.0,
    "pipeline-execution-attempt": 1.0
  }
}"#,
    },
    // The detail is the shape of the hosted-UI example on "Example Amazon Cognito events"
    // (`Login_GET`, an `AwsServiceEvent`), for the sign-in form's POST (`Login`). EventBridge
    // delivers CloudTrail service events as "AWS Service Event via CloudTrail".
    Sample {
        title: "Cognito sign-in (CloudTrail)",
        source: "https://docs.aws.amazon.com/cognito/latest/developerguide/understanding-amazon-cognito-entries.html",
        pattern: r#"{
  "source": ["aws.cognito-idp"],
  "detail-type": ["AWS Service Event via CloudTrail"],
  "detail": {
    "eventSource": ["cognito-idp.amazonaws.com"],
    "eventName": ["Login"],
    "additionalEventData": {
      "responseParameters": { "status": [{ "numeric": [">=", 300, "<", 400] }] }
    }
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "3f0b7a54-2b4e-4f5c-9d3a-1c2e7f9a0b11",
  "detail-type": "AWS Service Event via CloudTrail",
  "source": "aws.cognito-idp",
  "account": "123456789012",
  "time": "2026-11-25T19:14:02Z",
  "region": "us-west-2",
  "resources": [],
  "detail": {
    "eventVersion": "1.08",
    "userIdentity": { "accountId": "123456789012" },
    "eventTime": "2026-11-25T19:14:02Z",
    "eventSource": "cognito-idp.amazonaws.com",
    "eventName": "Login",
    "awsRegion": "us-west-2",
    "sourceIPAddress": "192.0.2.1",
    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)...",
    "errorCode": "",
    "errorMessage": "",
    "additionalEventData": {
      "responseParameters": { "status": 302.0 },
      "requestParameters": {
        "redirect_uri": ["https://www.example.com"],
        "response_type": ["code"],
        "client_id": ["1example23456789"]
      }
    },
    "eventID": "382ae09a-151d-4116-8f2b-6ac0a804a38c",
    "readOnly": true,
    "eventType": "AwsServiceEvent",
    "managementEvent": true,
    "recipientAccountId": "123456789012",
    "serviceEventDetails": { "serviceAccountId": "111122223333" },
    "eventCategory": "Management"
  }
}"#,
    },
    Sample {
        title: "Donut shop order",
        source: "the donut shop preset (presets/donut-shop.yaml)",
        pattern: r#"{
  "source": ["com.donut-shop"],
  "detail-type": ["Order Placed"],
  "detail": {
    "quantity": [{ "numeric": [">=", 12] }]
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Order Placed",
  "source": "com.donut-shop",
  "account": "123456789012",
  "time": "2026-11-25T09:00:00Z",
  "region": "us-east-1",
  "resources": [],
  "detail": { "orderId": "o-1", "product": "donut-glazed", "quantity": 12 }
}"#,
    },
    Sample {
        title: "Theme park ride closed",
        source: "the theme park preset (presets/theme-park.yaml)",
        pattern: r#"{
  "source": ["themepark.rides"],
  "detail-type": ["waitTimes"],
  "detail": {
    "inService": [false]
  }
}"#,
        event: r#"{
  "version": "0",
  "id": "b2c7e1d4-0f3a-4e5b-9c8d-7a6b5c4d3e2f",
  "detail-type": "waitTimes",
  "source": "themepark.rides",
  "account": "123456789012",
  "time": "2026-11-25T10:01:00Z",
  "region": "us-east-1",
  "resources": [],
  "detail": { "rideId": "ride-2", "wait": 0, "inService": false, "severity": "Warning" }
}"#,
    },
];

/// One operator of the pattern language, with an example that loads on click.
pub struct Operator {
    pub name: &'static str,
    /// How it is written, in short.
    pub syntax: &'static str,
    pub dialect: Dialect,
    pub pattern: &'static str,
    /// A first event that matches and a second that does not.
    pub events: &'static [&'static str],
}

const fn op(
    name: &'static str,
    syntax: &'static str,
    pattern: &'static str,
    events: &'static [&'static str],
) -> Operator {
    Operator {
        name,
        syntax,
        dialect: Dialect::EventBridge,
        pattern,
        events,
    }
}

pub const OPERATORS: &[Operator] = &[
    op(
        "Exact value",
        r#""f": ["a", "b"]"#,
        r#"{ "detail": { "flavor": ["glazed", "jam"] } }"#,
        &[
            r#"{ "detail": { "flavor": "jam" } }"#,
            r#"{ "detail": { "flavor": "plain" } }"#,
        ],
    ),
    op(
        "Prefix",
        r#"{"prefix": "x"}"#,
        r#"{ "detail": { "product": [{ "prefix": "donut" }] } }"#,
        &[
            r#"{ "detail": { "product": "donut-glazed" } }"#,
            r#"{ "detail": { "product": "pie-apple" } }"#,
        ],
    ),
    op(
        "Suffix",
        r#"{"suffix": "x"}"#,
        r#"{ "detail": { "file": [{ "suffix": ".png" }] } }"#,
        &[
            r#"{ "detail": { "file": "menu.png" } }"#,
            r#"{ "detail": { "file": "menu.pdf" } }"#,
        ],
    ),
    op(
        "Equals ignore case",
        r#"{"equals-ignore-case": "x"}"#,
        r#"{ "detail": { "store": [{ "equals-ignore-case": "Downtown" }] } }"#,
        &[
            r#"{ "detail": { "store": "DOWNTOWN" } }"#,
            r#"{ "detail": { "store": "uptown" } }"#,
        ],
    ),
    op(
        "Wildcard",
        r#"{"wildcard": "a*b"}"#,
        r#"{ "detail": { "key": [{ "wildcard": "orders/*/receipt.json" }] } }"#,
        &[
            r#"{ "detail": { "key": "orders/o-1/receipt.json" } }"#,
            r#"{ "detail": { "key": "orders/o-1/menu.json" } }"#,
        ],
    ),
    op(
        "Anything but",
        r#"{"anything-but": ["x"]}"#,
        r#"{ "detail": { "state": [{ "anything-but": ["pending", "running"] }] } }"#,
        &[
            r#"{ "detail": { "state": "stopped" } }"#,
            r#"{ "detail": { "state": "running" } }"#,
        ],
    ),
    op(
        "Anything but prefix",
        r#"{"anything-but": {"prefix": "x"}}"#,
        r#"{ "detail": { "product": [{ "anything-but": { "prefix": "pie" } }] } }"#,
        &[
            r#"{ "detail": { "product": "donut-jam" } }"#,
            r#"{ "detail": { "product": "pie-apple" } }"#,
        ],
    ),
    op(
        "Anything but suffix",
        r#"{"anything-but": {"suffix": "x"}}"#,
        r#"{ "detail": { "file": [{ "anything-but": { "suffix": ".tmp" } }] } }"#,
        &[
            r#"{ "detail": { "file": "menu.png" } }"#,
            r#"{ "detail": { "file": "menu.tmp" } }"#,
        ],
    ),
    op(
        "Anything but wildcard",
        r#"{"anything-but": {"wildcard": "a*"}}"#,
        r#"{ "detail": { "key": [{ "anything-but": { "wildcard": "drafts/*" } }] } }"#,
        &[
            r#"{ "detail": { "key": "menus/winter.pdf" } }"#,
            r#"{ "detail": { "key": "drafts/winter.pdf" } }"#,
        ],
    ),
    op(
        "Anything but, ignoring case",
        r#"{"anything-but": {"equals-ignore-case": ["x"]}}"#,
        r#"{ "detail": { "store": [{ "anything-but": { "equals-ignore-case": ["closed"] } }] } }"#,
        &[
            r#"{ "detail": { "store": "Open" } }"#,
            r#"{ "detail": { "store": "CLOSED" } }"#,
        ],
    ),
    op(
        "Numeric equals",
        r#"{"numeric": ["=", 12]}"#,
        r#"{ "detail": { "quantity": [{ "numeric": ["=", 12] }] } }"#,
        &[
            r#"{ "detail": { "quantity": 12.0 } }"#,
            r#"{ "detail": { "quantity": "12" } }"#,
        ],
    ),
    op(
        "Numeric range",
        r#"{"numeric": [">", 0, "<=", 5]}"#,
        r#"{ "detail": { "wait": [{ "numeric": [">", 0, "<=", 30] }] } }"#,
        &[
            r#"{ "detail": { "wait": 25 } }"#,
            r#"{ "detail": { "wait": 45 } }"#,
        ],
    ),
    op(
        "IP address (CIDR)",
        r#"{"cidr": "10.0.0.0/24"}"#,
        r#"{ "detail": { "sourceIPAddress": [{ "cidr": "10.0.0.0/24" }] } }"#,
        &[
            r#"{ "detail": { "sourceIPAddress": "10.0.0.42" } }"#,
            r#"{ "detail": { "sourceIPAddress": "10.0.1.42" } }"#,
        ],
    ),
    op(
        "Array in the event",
        r#""resources": ["x"]"#,
        r#"{ "resources": ["arn:aws:s3:::menus"] }"#,
        &[
            r#"{ "resources": ["arn:aws:s3:::photos", "arn:aws:s3:::menus"] }"#,
            r#"{ "resources": ["arn:aws:s3:::photos"] }"#,
        ],
    ),
    op(
        "Exists",
        r#"{"exists": true}"#,
        r#"{ "detail": { "coupon": [{ "exists": true }] } }"#,
        &[
            r#"{ "detail": { "coupon": "HALFPRICE" } }"#,
            r#"{ "detail": { "product": "donut" } }"#,
        ],
    ),
    op(
        "Does not exist",
        r#"{"exists": false}"#,
        r#"{ "detail": { "coupon": [{ "exists": false }] } }"#,
        &[
            r#"{ "detail": { "product": "donut" } }"#,
            r#"{ "detail": { "coupon": "HALFPRICE" } }"#,
        ],
    ),
    op(
        "Null and empty",
        r#"[null, ""]"#,
        r#"{ "detail": { "note": [null, ""] } }"#,
        &[
            r#"{ "detail": { "note": null } }"#,
            r#"{ "detail": { "note": "extra icing" } }"#,
        ],
    ),
    op(
        "Or ($or)",
        r#""$or": [{...}, {...}]"#,
        r#"{
  "detail": {
    "$or": [
      { "quantity": [{ "numeric": [">=", 12] }] },
      { "express": [true] }
    ]
  }
}"#,
        &[
            r#"{ "detail": { "quantity": 2, "express": true } }"#,
            r#"{ "detail": { "quantity": 2, "express": false } }"#,
        ],
    ),
];

/// The input transformer example: paths every EventBridge event has, so it works on any sample
/// (the shape of the examples in eb-transform-target-input).
pub const TRANSFORMER_PATHS: &str = r#"{
  "type": "$.detail-type",
  "source": "$.source",
  "time": "$.time",
  "detail": "$.detail"
}"#;

pub const TRANSFORMER_TEMPLATE: &str = r#"{"summary": "<type> from <source> at <time>", "detail": <detail>, "rule": <aws.events.rule-name>}"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::pattern_tester::{evaluate, Action, TesterDocument, Verdict};

    fn verdicts(document: &TesterDocument) -> Vec<Option<bool>> {
        let evaluation = evaluate(document);
        assert_eq!(evaluation.pattern, Ok(()), "{}", document.pattern);
        evaluation.events.iter().map(Verdict::matched).collect()
    }

    #[test]
    fn every_sample_is_valid_json_and_its_pattern_matches_it() {
        for (index, sample) in SAMPLES.iter().enumerate() {
            serde_json::from_str::<serde_json::Value>(sample.event).unwrap();
            let document =
                TesterDocument::example(Dialect::EventBridge).apply(Action::LoadSample(index));
            assert_eq!(verdicts(&document), [Some(true)], "{}", sample.title);
        }
    }

    #[test]
    fn every_operator_example_matches_its_first_event_and_not_its_second() {
        for (index, operator) in OPERATORS.iter().enumerate() {
            let document =
                TesterDocument::example(Dialect::EventBridge).apply(Action::LoadOperator(index));
            assert_eq!(document.dialect, operator.dialect);
            assert_eq!(
                verdicts(&document),
                [Some(true), Some(false)],
                "{}",
                operator.name
            );
        }
    }

    #[test]
    fn in_an_sns_dialect_operators_sns_has_load_as_a_body_policy_and_still_decide_the_same() {
        let mut eventbridge_only = Vec::new();
        for (index, operator) in OPERATORS.iter().enumerate() {
            let document =
                TesterDocument::example(Dialect::SnsAttributes).apply(Action::LoadOperator(index));
            if document.dialect == Dialect::EventBridge {
                eventbridge_only.push(operator.name);
            }
            assert_eq!(
                verdicts(&document),
                [Some(true), Some(false)],
                "{}",
                operator.name
            );
        }
        // SNS filter policies have every operator but these (the engine's SNS subset).
        assert_eq!(
            eventbridge_only,
            ["Wildcard", "Anything but suffix", "Anything but wildcard"]
        );
    }
}
