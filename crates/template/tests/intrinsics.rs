//! `Fn::FindInMap` and `Fn::GetAZs` ("Intrinsic function reference" in the AWS CloudFormation
//! Template Reference), as real templates use them next to parameters and conditions.

mod support;

use support::{errors_of, loaded};

const MAPPED: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Mappings:
  Retention:
    prod: {Seconds: 1209600}
    dev: {Seconds: 60}
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !FindInMap [Retention, !Ref Stage, Seconds]
"#;

#[test]
fn find_in_map_follows_the_parameter() {
    let dev = loaded(MAPPED);
    assert_eq!(dev.queues[0].message_retention_period_s, 60);
    let prod = loaded(&MAPPED.replace("Default: dev", "Default: prod"));
    assert_eq!(prod.queues[0].message_retention_period_s, 1_209_600);
}

#[test]
fn a_missing_mapping_key_is_a_positioned_error() {
    let text = MAPPED.replace(
        "[Retention, !Ref Stage, Seconds]",
        "[Retention, !Ref Stage, Days]",
    );
    assert_eq!(
        errors_of(&text),
        "line 13, column 42: Orders: Template error: Unable to get mapping for Retention::dev::Days"
    );
    let text = MAPPED.replace("[Retention, !Ref Stage, Seconds]", "[Retention, dev]");
    assert!(
        errors_of(&text).contains("Fn::FindInMap requires a list of a map name"),
        "{}",
        errors_of(&text)
    );
}

/// AWS::LanguageExtensions: a fourth argument `{DefaultValue: v}` stands in for a missing key.
#[test]
fn find_in_map_default_value() {
    let text = MAPPED.replace(
        "[Retention, !Ref Stage, Seconds]",
        "[Retention, staging, Seconds, {DefaultValue: 300}]",
    );
    assert_eq!(loaded(&text).queues[0].message_retention_period_s, 300);
}

#[test]
fn get_azs_lists_the_region_zones() {
    let text = r#"
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [1, !GetAZs ""]
"#;
    assert_eq!(loaded(text).queues[0].name, "us-east-1b");
}

/// A Mappings section holds literals: an intrinsic written there is not resolved, so a mapping
/// that names itself cannot loop.
#[test]
fn a_mapping_that_names_itself_does_not_loop() {
    let text = r#"
Mappings:
  M:
    a: {b: !FindInMap [M, a, b]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !FindInMap [M, a, b]
"#;
    assert!(!errors_of(text).is_empty());
}
