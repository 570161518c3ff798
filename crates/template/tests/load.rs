//! End-to-end loader tests: real-looking templates in, model or positioned errors out.
//! Return values follow each resource's CloudFormation page ("Return values" section).

mod support;

use eventyard_template::{load, Protocol, Schedule, TargetInput};
use support::errors_of;

const SHOP: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Metadata:
  Eventyard:
    Seed: 7
    Functions:
      DonutMaker:
        Duration: 2s
        FailWhen: {detail: {flavour: [burnt]}}
    Events:
      - At: 1s
        Every: 5s
        Count: 3
        PutEvents:
          EventBusName: !Ref Orders
          Source: shop.web
          DetailType: OrderPlaced
          Details: [{flavour: donut}, {flavour: pie}]
Resources:
  Orders:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  DonutRule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Orders
      EventPattern:
        source: [shop.web]
        detail:
          flavour: [donut]
      Targets:
        - Id: queue
          Arn: !GetAtt DonutQueue.Arn
          InputTransformer:
            InputPathsMap: {flavour: $.detail.flavour}
            InputTemplate: '{"make": <flavour>}'
          RetryPolicy: {MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600}
          DeadLetterConfig: {Arn: !GetAtt RuleDlq.Arn}
  DonutQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt DonutDlq.Arn
        maxReceiveCount: 3
  DonutDlq:
    Type: AWS::SQS::Queue
  RuleDlq:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${AWS::StackName}-rule-dlq"
  DonutMaker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Events:
        FromQueue:
          Type: SQS
          Properties:
            Queue: !GetAtt DonutQueue.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
  Receipts:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: email
          Endpoint: owner@example.com
  ReceiptsToQueue:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Receipts
      Protocol: sqs
      Endpoint: !GetAtt DonutQueue.Arn
      RawMessageDelivery: true
      FilterPolicy: {kind: [receipt]}
  Table:
    Type: AWS::DynamoDB::Table
"#;

#[test]
fn a_real_template_loads_with_resolved_names() {
    let template = load(SHOP).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template.playground.seed, 7);
    assert_eq!(template.event_buses.len(), 2, "default bus is implicit");
    let rule = &template.rules[0];
    assert_eq!(
        rule.arn,
        "arn:aws:events:us-east-1:123456789012:rule/orders/DonutRule"
    );
    assert_eq!(
        rule.event_bus_arn,
        "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    );
    assert_eq!(
        rule.event_pattern.as_deref(),
        Some(r#"{"source":["shop.web"],"detail":{"flavour":["donut"]}}"#)
    );
    let target = &rule.targets[0];
    assert_eq!(target.arn, "arn:aws:sqs:us-east-1:123456789012:DonutQueue");
    assert_eq!(target.retry_policy.maximum_retry_attempts, 4);
    assert_eq!(
        target.dead_letter_arn.as_deref(),
        Some("arn:aws:sqs:us-east-1:123456789012:eventyard-rule-dlq")
    );
    assert!(
        matches!(&target.input, TargetInput::Transformer(t) if t.input_paths_map == vec![("flavour".to_string(), "$.detail.flavour".to_string())])
    );
    let queue = template
        .queues
        .iter()
        .find(|q| q.name == "DonutQueue")
        .unwrap();
    assert_eq!(
        queue.url,
        "https://sqs.us-east-1.amazonaws.com/123456789012/DonutQueue"
    );
    assert_eq!(queue.visibility_timeout_s, 60);
    assert_eq!(queue.message_retention_period_s, 345_600);
    assert_eq!(queue.redrive_policy.map(|p| p.max_receive_count), Some(3));
    let mapping = &template.event_source_mappings[0];
    assert_eq!(mapping.batch_size, 5);
    assert!(mapping.report_batch_item_failures);
    assert_eq!(
        mapping.function_arn,
        "arn:aws:lambda:us-east-1:123456789012:function:DonutMaker"
    );
    assert_eq!(template.subscriptions.len(), 2);
    assert!(template
        .subscriptions
        .iter()
        .any(|s| s.protocol == Protocol::Email));
    let function = &template.functions[0];
    assert_eq!(function.behaviour.duration_ms, 2000);
    assert_eq!(function.timeout_s, 3);
    assert_eq!(template.not_simulated[0].type_name, "AWS::DynamoDB::Table");
    let scripted = &template.playground.scripted[0];
    assert_eq!(
        (scripted.at_ms, scripted.every_ms, scripted.count),
        (1000, Some(5000), 3)
    );
}

#[test]
fn json_templates_load_too() {
    let text = r#"{
  "Resources": {
    "Q": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": true, "ContentBasedDeduplication": "true"}},
    "R": {"Type": "AWS::Events::Rule", "Properties": {"ScheduleExpression": "rate(5 minutes)",
      "Targets": [{"Id": "q", "Arn": {"Fn::GetAtt": ["Q", "Arn"]}, "SqsParameters": {"MessageGroupId": "g"}}]}}
  }
}"#;
    let template = load(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template.queues[0].name, "Q.fifo");
    assert_eq!(
        template.rules[0].schedule,
        Some(Schedule::Rate { period_ms: 300_000 })
    );
}

#[test]
fn every_error_is_collected_with_logical_id_line_and_column() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 50000
      DelaySeconds: 901
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [x]}
      Targets:
        - Id: a
          Arn: !GetAtt Missing.Arn
  S:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Nowhere
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
";
    assert_eq!(
        errors_of(text),
        "line 5, column 26: Q: Invalid value for VisibilityTimeout: 50000 (must be an integer from 0 to 43200 s; AWS limit since 2008-02)
line 6, column 21: Q: Invalid value for DelaySeconds: 901 (must be an integer from 0 to 900 s; AWS limit since 2011-10-20)
line 13, column 24: R: Template error: instance of Fn::GetAtt references undefined resource Missing
line 17, column 22: S: Template format error: Unresolved resource dependencies [Nowhere] in the Resources block of the template"
    );
}

#[test]
fn fifo_targets_need_a_message_group_and_dlqs_match_their_source() {
    let text = "Resources:
  Fifo:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Plain.Arn, maxReceiveCount: 2}
  Plain:
    Type: AWS::SQS::Queue
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [x]}
      Targets:
        - {Id: a, Arn: !GetAtt Fifo.Arn}
";
    assert_eq!(
        errors_of(text),
        "line 2, column 3: Fifo: Value for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.
line 14, column 11: R: Parameter(s) SqsParameters must be specified for target: a."
    );
}

#[test]
fn more_than_five_targets_is_refused() {
    let targets: String = (0..6)
        .map(|i| format!("        - {{Id: t{i}, Arn: !GetAtt Q.Arn}}\n"))
        .collect();
    let text = format!("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {{source: [x]}}\n      Targets:\n{targets}");
    assert!(errors_of(&text).contains("at most 5 targets per rule"));
}

#[test]
fn yaml_syntax_errors_have_positions() {
    assert_eq!(
        errors_of("Resources:\n  Q: [unclosed\n"),
        "line 3, column 1: Template format error: while parsing a flow sequence, expected ',' or ']'"
    );
}

#[test]
fn metadata_names_a_missing_function() {
    let text = "Metadata:\n  Eventyard:\n    Functions:\n      Ghost: {Duration: 1s}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
    assert_eq!(
        errors_of(text),
        "line 4, column 7: Metadata.Eventyard: Functions: Ghost is not a function of this template"
    );
}

#[test]
fn a_scripted_send_without_its_text_is_an_error_at_the_send() {
    let template = |action: &str| {
        format!("Metadata:\n  Eventyard:\n    Events:\n      - At: 1s\n        {action}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n  Q:\n    Type: AWS::SQS::Queue\n")
    };
    assert_eq!(
        errors_of(&template("Publish: {TopicArn: !Ref T}")),
        "line 5, column 18: Metadata.Eventyard: Publish needs a Message"
    );
    assert_eq!(
        errors_of(&template("SendMessage: {QueueUrl: !Ref Q}")),
        "line 5, column 22: Metadata.Eventyard: SendMessage needs a MessageBody"
    );
}

#[test]
fn sub_with_attributes_and_literals() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${AWS::Region}-orders'
  R:
    Type: AWS::Events::Rule
    Properties:
      Name: !Join ['-', [route, !GetAtt Q.QueueName]]
      EventPattern: '{\"source\": [\"x\"]}'
      Targets:
        - Id: a
          Arn: !GetAtt Q.Arn
          Input: !Sub '{\"queue\": \"${Q.QueueName}\", \"raw\": \"${!Literal}\"}'
";
    let template = load(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template.queues[0].name, "us-east-1-orders");
    assert_eq!(template.rules[0].name, "route-us-east-1-orders");
    assert_eq!(
        template.rules[0].targets[0].input,
        TargetInput::Constant(r#"{"queue": "us-east-1-orders", "raw": "${Literal}"}"#.into())
    );
}

#[test]
fn invalid_patterns_and_policies_get_aws_messages_at_their_node() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
  T:
    Type: AWS::SNS::Topic
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: []}
  S:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      FilterPolicy: {a: {b: [1]}}
";
    assert_eq!(
        errors_of(text),
        "line 9, column 30: R: Event pattern is not valid. Reason: Empty arrays are not allowed
line 16, column 21: S: Invalid parameter: Attributes Reason: FilterPolicy: Filter policy scope MessageAttributes does not support nested filter policy"
    );
}

#[test]
fn sam_globals_and_unsimulated_attributes_paste_in() {
    let text = "Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 20
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STREAM: !GetAtt Table.StreamArn
";
    let template = load(text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template.functions[0].timeout_s, 20);
}

#[test]
fn schedules_only_on_the_default_bus_and_standard_topics_not_to_fifo_queues() {
    let text = "Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: custom}
  Tick:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      ScheduleExpression: rate(5 minutes)
  T:
    Type: AWS::SNS::Topic
  Q:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true}
  S:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn}
";
    let errors = errors_of(text);
    assert!(
        errors.contains("Tick: ScheduleExpression is supported only on the default event bus."),
        "{errors}"
    );
    assert!(errors.contains("S: Invalid parameter: Endpoint Reason: a standard SNS topic cannot deliver to an SQS FIFO queue"), "{errors}");
    assert_eq!(
        errors_of("Resources: {}\n"),
        "line 1, column 12: Template format error: At least one Resources member must be defined."
    );
}

#[test]
fn one_missing_reference_gives_one_error_not_a_cascade() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Gone.Arn, maxReceiveCount: 3}
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [x]}
      Targets: [{Id: q, Arn: !GetAtt Q.Arn}]
";
    assert_eq!(
        errors_of(text),
        "line 5, column 52: Q: Template error: instance of Fn::GetAtt references undefined resource Gone"
    );
}

/// A pattern written as a JSON string: eventyard-pattern's line and column inside the string
/// become the template's own, for the forms whose characters map one to one (EventBridge
/// "Amazon EventBridge event patterns"; the messages are PutRule's and Subscribe's).
#[test]
fn errors_inside_string_patterns_point_at_their_token_in_the_template() {
    let text = r#"Resources:
  Q:
    Type: AWS::SQS::Queue
  T:
    Type: AWS::SNS::Topic
  Block:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: |
        {
          "source": ["shop"],
          "detail": {"x": [{"prefix": 1}]}
        }
  Quoted:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: '{"source": ["it''s"], "detail": {"x": [{"prefix": 1}]}}'
  Plain:
    Type: AWS::Events::Archive
    Properties:
      SourceArn: !GetAtt Bus.Arn
      EventPattern: {"source": []}
  Bus:
    Type: AWS::Events::EventBus
  Escaped:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: "{\"source\": []}"
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      FilterPolicyScope: MessageBody
      FilterPolicy: |-
        {"a": [{"numeric": [">", "x"]}]}
"#;
    assert_eq!(
        errors_of(text),
        r#"line 12, column 39: Block: Event pattern is not valid. Reason: prefix match pattern must be a string
line 17, column 72: Quoted: Event pattern is not valid. Reason: prefix match pattern must be a string
line 22, column 32: Plain: Event pattern is not valid. Reason: Empty arrays are not allowed
line 28, column 21: Escaped: Event pattern is not valid. Reason: Empty arrays are not allowed (at line 1, column 12 of the pattern)
line 37, column 34: Sub: Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric
 at [Source: (String)"{"a":[{"numeric":[">","x"]}]}"; line: 1, column: 24]"#
    );
}

/// A SAM function with an `Api` event (issue 9: it refused the whole template): the API is
/// listed as not simulated and the rest loads, so the function can still be driven by hand.
#[test]
fn a_sam_api_event_is_listed_as_not_simulated_and_the_rest_loads() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::SQS::Queue\n  Handler:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.12\n      InlineCode: x\n      Events:\n        Web:\n          Type: Api\n          Properties: {Path: /orders, Method: post}\n        FromQueue:\n          Type: SQS\n          Properties: {Queue: !GetAtt Orders.Arn}\n";
    let template = eventyard_template::load(text).unwrap_or_else(|errors| panic!("{errors:?}"));
    assert_eq!(template.functions.len(), 1);
    assert_eq!(template.event_source_mappings.len(), 1);
    let listed: Vec<(&str, &str)> = template
        .not_simulated
        .iter()
        .map(|n| (n.origin.logical_id.as_str(), n.type_name.as_str()))
        .collect();
    assert_eq!(listed, [("HandlerWeb", "SAM event type Api")]);
}

/// A pattern written as YAML (issue 9: every error was reported at the `EventPattern:` key):
/// the error sits at the offending value, found by the error's JSON path.
#[test]
fn a_yaml_pattern_error_points_at_the_offending_value() {
    let text = "Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [shop]\n        detail:\n          amount: [{numeric: [\">\", \"x\"]}]\n";
    let errors = errors_of(text);
    let column = text.lines().nth(7).unwrap().find("\"x\"").unwrap() + 1;
    assert!(
        errors.starts_with(&format!(
            "line 8, column {column}: R: Event pattern is not valid."
        )),
        "{errors}"
    );
}

/// `Subscriptions: <id>: Refused:` declares client-side errors (sns-dead-letter-queues) for an
/// endpoint of any protocol; `Down` stays for inbox endpoints.
#[test]
fn subscriptions_may_be_refused_whatever_their_protocol() {
    let template = |settings: &str| {
        format!(
            "Metadata:\n  Eventyard:\n    Subscriptions:\n      S: {settings}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n  S:\n    Type: AWS::SNS::Subscription\n    Properties: {{TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn}}\n  Q:\n    Type: AWS::SQS::Queue\n"
        )
    };
    let loaded = support::loaded(&template("{Refused: [{From: 1s, Until: 1m}]}"));
    assert_eq!(loaded.subscriptions[0].refused_ms, vec![(1_000, 60_000)]);
    assert_eq!(
        errors_of(&template("{Refused: [{From: 1m, Until: 1s}]}")),
        "line 4, column 21: Metadata.Eventyard: Refused windows need From before Until"
    );
    assert_eq!(
        errors_of(&template("{Down: [{From: 1s, Until: 1m}]}")),
        "line 4, column 7: Metadata.Eventyard: Subscriptions: S delivers to sqs; declare the queue or function itself Down"
    );
}
