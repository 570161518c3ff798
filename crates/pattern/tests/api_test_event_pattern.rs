//! TestEventPattern as the API does it (API_TestEventPattern, eb-event-patterns): the
//! envelope check, the 4,096-character pattern, and the documentation's EC2 example.

use eventyard_pattern::{validate_test_event, EventPattern, INVALID_EVENT_MESSAGE};
use serde_json::json;

fn ec2_event(state: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "EC2 Instance State-change Notification",
        "source": "aws.ec2",
        "account": "111122223333",
        "time": "2017-12-22T18:43:48Z",
        "region": "us-west-1",
        "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
        "detail": {"instance-id": "i-1234567890abcdef0", "state": state}
    })
}

#[test]
fn eb_event_patterns_ec2_termination_example() {
    let pattern = EventPattern::parse_for_test(
        r#"{"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["terminated"]}}"#,
    )
    .unwrap();
    let terminated = ec2_event("terminated");
    assert_eq!(validate_test_event(&terminated), Ok(()));
    assert!(pattern.matches(&terminated));
    assert!(!pattern.matches(&ec2_event("running")));
}

#[test]
fn api_test_event_pattern_envelope() {
    let mut event = ec2_event("terminated");
    if let Some(map) = event.as_object_mut() {
        map.remove("account");
    }
    assert_eq!(validate_test_event(&event), Err(INVALID_EVENT_MESSAGE));
    assert_eq!(
        validate_test_event(&json!("not an object")),
        Err("Parameter Event is not valid.")
    );
}
