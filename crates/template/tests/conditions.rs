//! CloudFormation conditions end to end: the Conditions section, `Fn::If`, `AWS::NoValue` and a
//! resource's `Condition` attribute ("CloudFormation template Conditions syntax" and "Condition
//! functions" in the AWS CloudFormation Template Reference), with every error positioned.

mod support;

use support::{errors_of, loaded};

/// A template as people write them: an environment parameter, conditions built from it and
/// from the region, a resource only in production, properties that differ or disappear.
const ORDERS: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Orders, with an alarm topic in production only
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  RetentionDays:
    Type: Number
    Default: 4
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  InHomeRegion: !Equals [!Ref "AWS::Region", us-east-1]
  ProdAtHome: !And [!Condition IsProd, !Condition InHomeRegion]
  NotProd:
    Fn::Not: [{Condition: IsProd}]
  KeepLong: !Or [!Condition IsProd, !Equals [!Ref RetentionDays, 14]]
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "orders-${Env}"
      VisibilityTimeout: !If [IsProd, 120, 30]
      DelaySeconds: !If [NotProd, 5, !Ref AWS::NoValue]
      MessageRetentionPeriod: !If [KeepLong, 1209600, !Ref AWS::NoValue]
  Alarms:
    Type: AWS::SNS::Topic
    Condition: ProdAtHome
    Properties:
      TopicName: alarms
  Route:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [shop]}
      Targets:
        - Id: orders
          Arn: !GetAtt Orders.Arn
        - !If
          - ProdAtHome
          - Id: alarms
            Arn: !Ref Alarms
          - !Ref AWS::NoValue
"#;

#[test]
fn a_real_template_with_conditions_loads_as_its_parameter_default_says() {
    let dev = loaded(ORDERS);
    assert!(dev.topics.is_empty(), "the alarm topic is left out in dev");
    assert_eq!(dev.queues[0].name, "orders-dev");
    assert_eq!(dev.queues[0].visibility_timeout_s, 30);
    assert_eq!(dev.queues[0].delay_s, 5);
    // AWS::NoValue: the property is not set, so SQS's default (4 days) applies.
    assert_eq!(dev.queues[0].message_retention_period_s, 345_600);
    assert_eq!(dev.rules[0].targets.len(), 1);
}

#[test]
fn the_other_branch_when_the_parameter_says_prod() {
    let prod = ORDERS.replace("Default: dev", "Default: prod");
    let prod = loaded(&prod);
    assert_eq!(prod.topics.len(), 1);
    assert_eq!(prod.queues[0].name, "orders-prod");
    assert_eq!(prod.queues[0].visibility_timeout_s, 120);
    assert_eq!(prod.queues[0].delay_s, 0);
    assert_eq!(prod.queues[0].message_retention_period_s, 1_209_600);
    let targets: Vec<&str> = prod.rules[0]
        .targets
        .iter()
        .map(|t| t.arn.as_str())
        .collect();
    assert_eq!(
        targets,
        [
            "arn:aws:sqs:us-east-1:123456789012:orders-prod",
            "arn:aws:sns:us-east-1:123456789012:alarms"
        ]
    );
}

#[test]
fn parameter_values_under_metadata_eventyard_win_over_defaults() {
    let text = format!(
        "Metadata:\n  Eventyard:\n    Parameters: {{Env: prod}}\n{}",
        ORDERS.replace("AWSTemplateFormatVersion: \"2010-09-09\"\n", "")
    );
    let prod = loaded(&text);
    assert_eq!(prod.topics.len(), 1);
    let text = "Metadata:\n  Eventyard:\n    Parameters: {Stage: prod}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    assert_eq!(
        errors_of(text),
        "line 3, column 18: Metadata.Eventyard: Parameters: [Stage] do not exist in the template"
    );
}

#[test]
fn a_region_other_than_home_turns_the_region_condition_off() {
    let text = ORDERS.replace(
        "Description:",
        "Metadata:\n  Eventyard:\n    Region: eu-west-1\n    Parameters: {Env: prod}\nDescription:",
    );
    let template = loaded(&text);
    assert!(template.topics.is_empty());
    assert_eq!(template.queues[0].visibility_timeout_s, 120);
}

/// "Template format error: Unresolved resource dependencies [X] in the Resources block of the
/// template" is what CloudFormation answers when a resource names one its condition left out.
#[test]
fn naming_a_resource_its_condition_left_out_is_an_error_that_says_so() {
    let text = "Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Alarms:
    Type: AWS::SNS::Topic
    Condition: IsProd
  Q:
    Type: AWS::SQS::Queue
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alarms
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
  Name:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt Alarms.TopicName
";
    assert_eq!(
        errors_of(text),
        "line 14, column 22: Sub: Template format error: Unresolved resource dependencies [Alarms] in the Resources block of the template (Alarms is left out because its condition IsProd is false)
line 20, column 26: Name: Template error: instance of Fn::GetAtt references undefined resource Alarms (Alarms is left out because its condition IsProd is false)"
    );
}

#[test]
fn condition_errors_have_their_name_line_and_column() {
    let text = "Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  A: !Not [!Condition B]
  B: !Not [!Condition A]
  Few: !And [!Equals [a, a]]
  Pair: !Equals [a]
  Bad: !Equals [!Ref Q, x]
  Wrong: !Ref Env
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Nowhere
    Properties:
      VisibilityTimeout: !If [Missing, 1, 2]
      DelaySeconds: !If [Few, 1]
      MessageRetentionPeriod: !Equals [a, a]
";
    assert_eq!(
        errors_of(text),
        "line 4, column 3: A: Template format error: Circular dependency between conditions [A, B]
line 6, column 13: Few: Template error: every Fn::And object requires a list of at least 2 and at most 10 conditions
line 7, column 17: Pair: Template error: every Fn::Equals object requires a list of 2 string parameters.
line 8, column 22: Bad: Template format error: Unresolved dependencies [Q]. Cannot reference resources in the Conditions block of the template
line 9, column 15: Wrong: Template format error: Conditions can only be boolean operations on parameters and other conditions
line 13, column 16: Q: Template error: unresolved condition dependency Nowhere in the resource's Condition (the Conditions section declares no condition Nowhere)
line 15, column 31: Q: Template error: unresolved condition dependency Missing in Fn::If (the Conditions section declares no condition Missing)
line 16, column 25: Q: Template error: Fn::If requires a list argument with three elements
line 17, column 39: Q: Template error: Fn::Equals can only be used in the Conditions section; name a condition from there in Fn::If"
    );
}

#[test]
fn a_parameter_without_a_value_is_cloudformations_must_have_values() {
    let text = "Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Q:
    Type: AWS::SQS::Queue
";
    assert_eq!(
        errors_of(text),
        "line 4, column 25: IsProd: Parameters: [Env] must have values (give the parameter a Default, or a value under Metadata: Eventyard: Parameters)"
    );
}

#[test]
fn fn_if_and_no_value_work_in_metadata_eventyard_too() {
    let text = "Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Metadata:
  Eventyard:
    Seed: 3
    StandardQueues:
      DuplicatePercent: !If [IsProd, 10, 0]
      Reorder: !If [IsProd, !Ref AWS::NoValue, true]
Resources:
  Q:
    Type: AWS::SQS::Queue
";
    let template = loaded(text);
    assert_eq!(template.playground.duplicate_percent, 10);
    assert!(!template.playground.reorder);
}

#[test]
fn no_value_in_lists_and_joins_drops_the_item() {
    let text = "Conditions:
  Never: !Equals [a, b]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ['-', [orders, !If [Never, x, !Ref AWS::NoValue], eu]]
";
    assert_eq!(loaded(text).queues[0].name, "orders-eu");
}

#[test]
fn parameter_values_must_be_scalars_and_allowed() {
    let text = "Metadata:
  Eventyard:
    Parameters: {Env: staging, Size: [1]}
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Size: {Type: Number, Default: 7, AllowedValues: [1, 2]}
Resources:
  Q:
    Type: AWS::SQS::Queue
";
    assert_eq!(
        errors_of(text),
        "line 3, column 23: Metadata.Eventyard: Parameter 'Env' must be one of AllowedValues
line 3, column 38: Metadata.Eventyard: Parameters: Size must be a string, a number or a boolean
line 6, column 33: Size: Parameter 'Size' must be one of AllowedValues"
    );
}

#[test]
fn a_declared_behaviour_for_a_function_left_out_says_why() {
    let text = "Conditions:
  Never: !Equals [a, b]
Metadata:
  Eventyard:
    Functions:
      Worker: {Duration: 1s}
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Condition: Never
    Properties:
      Handler: app.handler
      Runtime: python3.12
";
    assert_eq!(
        errors_of(text),
        "line 6, column 7: Metadata.Eventyard: Functions: Worker is not a function of this template (it is left out because its condition Never is false)"
    );
}

#[test]
fn json_templates_use_the_long_forms() {
    let text = r#"{
  "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]}
  },
  "Resources": {
    "Debug": {"Type": "AWS::SQS::Queue", "Condition": "IsDev"},
    "Orders": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "VisibilityTimeout": {"Fn::If": ["IsProd", 90, 30]},
        "DelaySeconds": {"Fn::If": ["IsDev", 5, {"Ref": "AWS::NoValue"}]}
      }
    }
  }
}"#;
    let template = loaded(text);
    assert_eq!(template.queues.len(), 1);
    assert_eq!(template.queues[0].visibility_timeout_s, 90);
    assert_eq!(template.queues[0].delay_s, 0);
}
