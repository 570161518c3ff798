//! Resources in CloudFormation's creation order: long chains of references resolve without
//! deep recursion, cycles are CloudFormation's "Circular dependency between resources" error
//! (AWS re:Post knowledge center "cloudformation-circular-dependency-sam"), and a template
//! declares at most 500 resources (cloudformation-limits).

mod support;

use support::{errors_of, loaded};

/// A chain of queues, each named after the one before: `Q{n}.QueueName = Q{n-1}.QueueName-x`.
fn chain(links: usize, link: impl Fn(usize) -> String) -> String {
    let mut text = String::from("Resources:\n  Q0:\n    Type: AWS::SQS::Queue\n");
    for n in 1..links {
        text.push_str(&format!(
            "  Q{n}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {}\n",
            link(n)
        ));
    }
    text
}

/// Load on a thread with a small stack: before resources were ordered, each link of a chain
/// cost a few frames of recursion, and 500 links (a 20 KB template) overflowed this stack, as
/// about 1,500 overflowed the browser's 1 MiB (the process aborted with SIGABRT).
fn load_on_small_stack(text: String) -> Result<eventyard_template::Template, String> {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || eventyard_template::load(&text).map_err(|e| support::lines(&e)))
        .expect("spawn")
        .join()
        .expect("the loader must not overflow the stack")
}

#[test]
fn a_chain_of_500_get_att_queue_names_resolves_without_deep_recursion() {
    let text = chain(500, |n| format!("!Sub '${{Q{}.QueueName}}'", n - 1));
    let template = load_on_small_stack(text).unwrap_or_else(|e| panic!("{e}"));
    assert!(template.queues.iter().all(|q| q.name == "Q0"));
}

#[test]
fn a_chain_of_500_get_att_links_resolves_without_deep_recursion() {
    let text = chain(500, |n| format!("!GetAtt Q{}.QueueName", n - 1));
    let template = load_on_small_stack(text).unwrap_or_else(|e| panic!("{e}"));
    assert!(template.queues.iter().all(|q| q.name == "Q0"));
}

#[test]
fn a_chain_of_refs_to_urls_resolves_in_order() {
    let text = chain(300, |n| {
        format!("!Select [4, !Split ['/', !Ref Q{}]]", n - 1)
    });
    let template = load_on_small_stack(text).unwrap_or_else(|e| panic!("{e}"));
    assert!(template.queues.iter().all(|q| q.name == "Q0"));
}

#[test]
fn more_than_500_resources_is_cloudformations_limit_error() {
    let text = chain(501, |n| format!("q{n}"));
    assert_eq!(
        errors_of(&text),
        "line 2, column 5: Template format error: Number of resources, 501, is greater than maximum allowed, 500"
    );
    // 12,000 links (the chain that used to overflow the stack) is refused the same way.
    let text = chain(12_000, |n| format!("!GetAtt Q{}.QueueName", n - 1));
    assert!(load_on_small_stack(text)
        .err()
        .unwrap_or_default()
        .contains("Number of resources, 12000, is greater than maximum allowed, 500"));
}

#[test]
fn two_queues_naming_each_other_are_a_circular_dependency() {
    let text = "Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt B.QueueName
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${A.QueueName}-b'
  C:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt A.QueueName
  D:
    Type: AWS::SQS::Queue
";
    // C depends on the cycle but is not part of it, so it is not listed (as CloudFormation).
    assert_eq!(
        errors_of(text),
        "line 2, column 3: A: Circular dependency between resources: [A, B]"
    );
}

#[test]
fn a_cycle_through_depends_on_and_ref_is_reported() {
    let text = "Resources:
  Topic:
    Type: AWS::SNS::Topic
    DependsOn: [Queue]
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
        maxReceiveCount: 3
  Dlq:
    Type: AWS::SQS::Queue
    DependsOn: Sub
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: sqs
      Endpoint: !GetAtt Dlq.Arn
";
    assert_eq!(
        errors_of(text),
        "line 11, column 3: Dlq: Circular dependency between resources: [Dlq, Queue, Sub, Topic]"
    );
}

#[test]
fn a_resource_naming_itself_is_a_circular_dependency() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '${AWS::StackName}-${Q.QueueName}'
";
    assert_eq!(
        errors_of(text),
        "line 2, column 3: Q: Circular dependency between resources: [Q]"
    );
}

#[test]
fn a_long_cycle_is_reported_without_deep_recursion() {
    let mut text = chain(400, |n| format!("!GetAtt Q{}.QueueName", n - 1));
    text = text.replacen(
        "  Q0:\n    Type: AWS::SQS::Queue\n",
        "  Q0:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Q399.QueueName\n",
        1,
    );
    let errors = load_on_small_stack(text).err().unwrap_or_default();
    assert!(
        errors.starts_with(
            "line 2, column 3: Q0: Circular dependency between resources: [Q0, Q1, Q10, Q100,"
        ),
        "{errors}"
    );
}

#[test]
fn depends_on_a_missing_resource_is_unresolved() {
    let text = "Resources:
  Q:
    Type: AWS::SQS::Queue
    DependsOn: [Nope]
";
    assert_eq!(
        errors_of(text),
        "line 4, column 17: Q: Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
    );
}

#[test]
fn references_in_a_branch_not_taken_are_no_dependency() {
    let text = "Conditions:
  Never: !Equals [a, b]
Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [Never, !GetAtt B.QueueName, a]
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt A.QueueName
";
    let template = loaded(text);
    assert!(template.queues.iter().all(|q| q.name == "a"));
}

/// SAM moves `EventInvokeConfig` and `Events` into resources of their own, which depend on the
/// function: a function that is its own destination is no cycle.
#[test]
fn a_sam_function_may_be_its_own_destination() {
    let text = "Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess: {Type: Lambda, Destination: !GetAtt Worker.Arn}
";
    assert_eq!(loaded(text).functions.len(), 1);
}
