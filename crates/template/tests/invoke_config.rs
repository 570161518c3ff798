//! Asynchronous invocation settings: `AWS::Lambda::EventInvokeConfig`
//! (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventinvokeconfig.html)
//! and SAM's `EventInvokeConfig` property
//! (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokeconfiguration.html),
//! with the destinations of invocation-async-retain-records.

mod support;

use eventyard_template::{InvokeConfig, Template, SIMULATED};
use support::{errors_of, loaded};

fn config_of<'a>(template: &'a Template, logical_id: &str) -> &'a InvokeConfig {
    &template
        .functions
        .iter()
        .find(|f| f.origin.logical_id == logical_id)
        .unwrap_or_else(|| panic!("no function {logical_id}"))
        .invoke_config
}

const TARGETS: &str = "
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Handler: x, Runtime: python3.12}
  Failed:
    Type: AWS::SQS::Queue
  Done:
    Type: AWS::SNS::Topic
  Results:
    Type: AWS::Events::EventBus
    Properties: {Name: results}
";

#[test]
fn aws_lambda_event_invoke_config_is_simulated_not_listed_as_unknown() {
    assert!(SIMULATED.contains(&"AWS::Lambda::EventInvokeConfig"));
    let template = loaded(&format!(
        "Resources:{TARGETS}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
      MaximumEventAgeInSeconds: 120
      DestinationConfig:
        OnSuccess: {{Destination: !GetAtt Results.Arn}}
        OnFailure: {{Destination: !GetAtt Failed.Arn}}
"
    ));
    assert!(template.not_simulated.is_empty());
    let config = config_of(&template, "Worker");
    assert_eq!(config.maximum_retry_attempts, 0);
    assert_eq!(config.maximum_event_age_s, 120);
    assert_eq!(
        config.on_success_arn.as_deref(),
        Some("arn:aws:events:us-east-1:123456789012:event-bus/results")
    );
    assert_eq!(
        config.on_failure_arn.as_deref(),
        Some("arn:aws:sqs:us-east-1:123456789012:Failed")
    );
    assert_eq!(
        config.origin.as_ref().map(|o| o.logical_id.as_str()),
        Some("WorkerAsync")
    );
}

#[test]
fn a_function_without_configuration_has_lambdas_defaults() {
    let template = loaded(&format!("Resources:{TARGETS}"));
    let config = config_of(&template, "Worker");
    assert_eq!(config, &InvokeConfig::default());
    assert_eq!(config.maximum_retry_attempts, 2);
    assert_eq!(config.maximum_event_age_s, 21_600);
}

/// API_PutFunctionEventInvokeConfig: FunctionName may be a name, a partial or full ARN, each
/// with a qualifier. Eventyard has no versions or aliases: any qualifier configures the function.
#[test]
fn function_name_by_arn_with_qualifier_and_any_qualifier_are_accepted() {
    let template = loaded(&format!(
        "Resources:{TARGETS}
  ByArn:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:Worker:$LATEST
      Qualifier: live
      MaximumRetryAttempts: 1
"
    ));
    assert_eq!(config_of(&template, "Worker").maximum_retry_attempts, 1);
    let template = loaded(&format!(
        "Resources:{TARGETS}
  ByGetAtt:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !GetAtt Worker.Arn
      Qualifier: $LATEST
      DestinationConfig:
        OnFailure: {{Destination: !Ref Done}}
"
    ));
    assert_eq!(
        config_of(&template, "Worker").on_failure_arn.as_deref(),
        Some("arn:aws:sns:us-east-1:123456789012:Done")
    );
}

#[test]
fn sam_event_invoke_config_property_with_types() {
    let template = loaded(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        MaximumEventAgeInSeconds: 60
        DestinationConfig:
          OnSuccess: {Type: EventBridge, Destination: !GetAtt Results.Arn}
          OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: Lambda, Destination: !GetAtt Worker.Arn}
          OnSuccess: {Type: SNS, Destination: !Ref Done}
  Failed:
    Type: AWS::SQS::Queue
  Done:
    Type: AWS::SNS::Topic
  Results:
    Type: AWS::Events::EventBus
    Properties: {Name: results}
",
    );
    let config = config_of(&template, "Worker");
    assert_eq!(config.maximum_retry_attempts, 1);
    assert_eq!(config.maximum_event_age_s, 60);
    assert_eq!(
        config.on_failure_arn.as_deref(),
        Some("arn:aws:sqs:us-east-1:123456789012:Failed")
    );
    assert_eq!(
        config.origin.as_ref().map(|o| o.logical_id.as_str()),
        Some("Worker")
    );
    let other = config_of(&template, "Other");
    assert_eq!(other.maximum_retry_attempts, 2);
    assert_eq!(
        other.on_failure_arn.as_deref(),
        Some("arn:aws:lambda:us-east-1:123456789012:function:Worker")
    );
    assert_eq!(
        other.on_success_arn.as_deref(),
        Some("arn:aws:sns:us-east-1:123456789012:Done")
    );
}

/// invocation-async-retain-records: destinations apply to asynchronous invocations only; an
/// SQS-triggered function may still have them (they serve its asynchronous invocations).
#[test]
fn a_destination_on_an_sqs_triggered_function_loads() {
    let template = loaded(
        "Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
  Jobs:
    Type: AWS::SQS::Queue
  Failed:
    Type: AWS::SQS::Queue
",
    );
    assert!(config_of(&template, "Worker").on_failure_arn.is_some());
}

#[test]
fn out_of_range_settings_use_the_lambda_apis_words() {
    let errors = errors_of(&format!(
        "Resources:{TARGETS}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      MaximumRetryAttempts: 3
      MaximumEventAgeInSeconds: 30
"
    ));
    assert!(
        errors.contains("WorkerAsync: 1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2"),
        "{errors}"
    );
    assert!(
        errors.contains("WorkerAsync: 1 validation error detected: Value '30' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"),
        "{errors}"
    );
    let errors = errors_of(&format!(
        "Resources:{TARGETS}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      MaximumEventAgeInSeconds: 21601
      MaximumRetryAttempts: often
"
    ));
    assert!(errors.contains("Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600"), "{errors}");
    assert!(
        errors.contains("#/MaximumRetryAttempts: expected type: Integer, found: String"),
        "{errors}"
    );
}

#[test]
fn a_destination_must_be_a_queue_topic_function_or_bus_of_the_template() {
    let errors = errors_of(&format!(
        "Resources:{TARGETS}
  WorkerAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Worker
      Qualifier: $LATEST
      DestinationConfig:
        OnFailure: {{Destination: arn:aws:sqs:us-east-1:123456789012:missing}}
        OnSuccess: {{Destination: arn:aws:s3:::bucket}}
"
    ));
    // The error names the EventInvokeConfig and its line.
    assert!(
        errors.contains("line 13, column 3: WorkerAsync: DestinationConfig.OnFailure: Destination arn:aws:sqs:us-east-1:123456789012:missing is not a queue, topic, function or event bus of this template"),
        "{errors}"
    );
    assert!(
        errors.contains("WorkerAsync: DestinationConfig.OnSuccess: S3 bucket destinations (arn:aws:s3:::bucket) are not simulated"),
        "{errors}"
    );
}

#[test]
fn function_name_and_qualifier_are_required_and_must_name_a_function() {
    let errors = errors_of(&format!(
        "Resources:{TARGETS}
  NoName:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {{MaximumRetryAttempts: 1}}
  Elsewhere:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {{FunctionName: other-function, Qualifier: $LATEST}}
"
    ));
    assert!(
        errors.contains("NoName: Property FunctionName cannot be empty."),
        "{errors}"
    );
    assert!(
        errors.contains("NoName: Property Qualifier cannot be empty."),
        "{errors}"
    );
    assert!(
        errors
            .contains("Elsewhere: FunctionName other-function is not a function of this template"),
        "{errors}"
    );
}

#[test]
fn a_function_has_at_most_one_event_invoke_config() {
    let errors = errors_of(
        "Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig: {MaximumRetryAttempts: 0}
  AlsoAsync:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {FunctionName: !Ref Worker, Qualifier: $LATEST, MaximumRetryAttempts: 1}
  ZAgain:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {FunctionName: Worker, Qualifier: $LATEST}
",
    );
    assert!(
        errors.contains("AlsoAsync: ResourceConflictException: function Worker already has an EventInvokeConfig for qualifier $LATEST (declared by Worker)"),
        "{errors}"
    );
    assert!(
        errors.contains("ZAgain: ResourceConflictException"),
        "{errors}"
    );
}

#[test]
fn sam_destination_types_are_checked() {
    let errors = errors_of(
        "Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {Type: SQS}
          OnFailure: {Type: SNS, Destination: !GetAtt Failed.Arn}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {Destination: !GetAtt Failed.Arn}
          OnFailure: {Type: Kinesis, Destination: !GetAtt Failed.Arn}
  Third:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: EventBridge}
  Failed:
    Type: AWS::SQS::Queue
",
    );
    assert!(errors.contains("Worker: EventInvokeConfig.DestinationConfig.OnSuccess: SAM would create a SQS destination here; Eventyard needs it declared"), "{errors}");
    assert!(errors.contains("Worker: EventInvokeConfig.DestinationConfig.OnFailure: Type is SNS but Destination arn:aws:sqs:us-east-1:123456789012:Failed is not an SNS ARN"), "{errors}");
    assert!(
        errors.contains("Other: EventInvokeConfig.DestinationConfig.OnSuccess: Type is required"),
        "{errors}"
    );
    assert!(errors.contains("Other: EventInvokeConfig.DestinationConfig.OnFailure: Type Kinesis is not one of SQS, SNS, S3, Lambda or EventBridge"), "{errors}");
    assert!(errors.contains("Third: EventInvokeConfig.DestinationConfig.OnFailure: Destination is required when Type is EventBridge"), "{errors}");
}
