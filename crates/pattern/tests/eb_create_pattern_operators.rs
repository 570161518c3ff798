//! Every comparison operator of the AWS page "Comparison operators for use in event patterns
//! in Amazon EventBridge" (eb-create-pattern-operators), one test per operator and edge.

use eventyard_pattern::EventPattern;

/// Parses `pattern`, matches `event` (JSON text) and compares with `expected`.
#[track_caller]
fn check(pattern: &str, event: &str, expected: bool) {
    let p = match EventPattern::parse(pattern) {
        Ok(p) => p,
        Err(e) => panic!("pattern {pattern} rejected: {e}"),
    };
    let got = p.matches_text(event).expect("event is JSON");
    assert_eq!(got, expected, "pattern {pattern} against {event}");
    let value: serde_json::Value = serde_json::from_str(event).expect("event is JSON");
    assert_eq!(
        p.matches(&value),
        expected,
        "matches(&Value) disagrees for {event}"
    );
    assert_eq!(
        p.explain(&value).matched(),
        expected,
        "explain disagrees for {event}"
    );
}

#[test]
fn eb_create_pattern_operators_exact_string() {
    check(
        r#"{"source": ["aws.ec2"]}"#,
        r#"{"source": "aws.ec2"}"#,
        true,
    );
    check(
        r#"{"source": ["aws.ec2"]}"#,
        r#"{"source": "aws.ec2x"}"#,
        false,
    );
    check(
        r#"{"source": ["aws.ec2"]}"#,
        r#"{"source": "AWS.EC2"}"#,
        false,
    );
    check(
        r#"{"source": ["aws.ec2", "aws.s3"]}"#,
        r#"{"source": "aws.s3"}"#,
        true,
    );
    // A string never equals a number.
    check(r#"{"n": ["5"]}"#, r#"{"n": 5}"#, false);
    // Wildcard characters are literal in exact matching (test_event_pattern_with_escape_characters).
    check(r#"{"s": ["a*b"]}"#, r#"{"s": "a*b"}"#, true);
    check(r#"{"s": ["a*b"]}"#, r#"{"s": "axb"}"#, false);
    check(r#"{"s": ["\\"]}"#, r#"{"s": "\\"}"#, true);
}

#[test]
fn eb_create_pattern_operators_exact_number_by_value() {
    check(r#"{"n": [300]}"#, r#"{"n": 300.0}"#, true);
    check(r#"{"n": [300]}"#, r#"{"n": 3e2}"#, true);
    check(r#"{"n": [3.018e2]}"#, r#"{"n": 301.8}"#, true);
    check(r#"{"n": [300]}"#, r#"{"n": 301}"#, false);
    check(r#"{"n": [300]}"#, r#"{"n": "300"}"#, false);
    // Too precise for a double: matched by its text (an account number, say). Only event
    // text keeps the token; a `serde_json::Value` has already rounded it.
    let p = EventPattern::parse(r#"{"n": [123456789012345678901]}"#).unwrap();
    assert!(p.matches_text(r#"{"n": 123456789012345678901}"#).unwrap());
    assert!(!p.matches_text(r#"{"n": 123456789012345678902}"#).unwrap());
}

#[test]
fn eb_create_pattern_operators_exact_boolean_and_null() {
    check(r#"{"b": [true]}"#, r#"{"b": true}"#, true);
    check(r#"{"b": [true]}"#, r#"{"b": "true"}"#, false);
    check(r#"{"b": [false]}"#, r#"{"b": true}"#, false);
    check(r#"{"n": [null]}"#, r#"{"n": null}"#, true);
    check(r#"{"n": [null]}"#, r#"{"n": "null"}"#, false);
    check(r#"{"n": [null]}"#, r#"{}"#, false);
}

#[test]
fn eb_create_pattern_operators_prefix() {
    check(
        r#"{"time": [{"prefix": "2017-10-02"}]}"#,
        r#"{"time": "2017-10-02T18:43:48Z"}"#,
        true,
    );
    check(
        r#"{"time": [{"prefix": "2017-10-02"}]}"#,
        r#"{"time": "2017-10-03T18:43:48Z"}"#,
        false,
    );
    check(r#"{"p": [{"prefix": ""}]}"#, r#"{"p": "anything"}"#, true);
    check(r#"{"p": [{"prefix": "1"}]}"#, r#"{"p": 123}"#, false);
    check(r#"{"p": [{"prefix": "Ab"}]}"#, r#"{"p": "abc"}"#, false);
}

#[test]
fn eb_create_pattern_operators_prefix_equals_ignore_case() {
    let p = r#"{"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#;
    check(p, r#"{"service": "eventbridge"}"#, true);
    check(p, r#"{"service": "EVENTBRIDGE"}"#, true);
    check(p, r#"{"service": "events"}"#, false);
}

#[test]
fn eb_create_pattern_operators_suffix() {
    check(
        r#"{"FileName": [{"suffix": ".png"}]}"#,
        r#"{"FileName": "image.png"}"#,
        true,
    );
    check(
        r#"{"FileName": [{"suffix": ".png"}]}"#,
        r#"{"FileName": "image.PNG"}"#,
        false,
    );
    check(
        r#"{"FileName": [{"suffix": ""}]}"#,
        r#"{"FileName": "x"}"#,
        true,
    );
    let p = r#"{"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}"#;
    check(p, r#"{"FileName": "image.PNG"}"#, true);
    check(p, r#"{"FileName": "image.jpg"}"#, false);
}

#[test]
fn eb_create_pattern_operators_equals_ignore_case() {
    let p = r#"{"name": [{"equals-ignore-case": "alice"}]}"#;
    check(p, r#"{"name": "ALICE"}"#, true);
    check(p, r#"{"name": "AliCe"}"#, true);
    check(p, r#"{"name": "alicia"}"#, false);
    check(
        r#"{"name": [{"equals-ignore-case": ""}]}"#,
        r#"{"name": ""}"#,
        true,
    );
    check(
        r#"{"name": [{"equals-ignore-case": ""}]}"#,
        r#"{"name": "x"}"#,
        false,
    );
}

#[test]
fn eb_create_pattern_operators_anything_but_scalar_and_list() {
    let p = r#"{"state": [{"anything-but": "initializing"}]}"#;
    check(p, r#"{"state": "running"}"#, true);
    check(p, r#"{"state": "initializing"}"#, false);
    // anything-but matches null but not a missing field (content_anything_but_*_null).
    check(p, r#"{"state": null}"#, true);
    check(p, r#"{}"#, false);
    let list = r#"{"state": [{"anything-but": ["stopped", "overloaded"]}]}"#;
    check(list, r#"{"state": "running"}"#, true);
    check(list, r#"{"state": "stopped"}"#, false);
    let numbers = r#"{"x-limit": [{"anything-but": [100, 200, 300]}]}"#;
    check(numbers, r#"{"x-limit": 300.0}"#, false);
    check(numbers, r#"{"x-limit": 301}"#, true);
    check(numbers, r#"{"x-limit": "300"}"#, true);
}

#[test]
fn eb_create_pattern_operators_anything_but_prefix_suffix() {
    let p = r#"{"state": [{"anything-but": {"prefix": "init"}}]}"#;
    check(p, r#"{"state": "running"}"#, true);
    check(p, r#"{"state": "initializing"}"#, false);
    // A number is not a string with that prefix (content_anything_prefix_int_value).
    check(p, r#"{"state": 5}"#, true);
    let s = r#"{"FileName": [{"anything-but": {"suffix": ".txt"}}]}"#;
    check(s, r#"{"FileName": "a.png"}"#, true);
    check(s, r#"{"FileName": "a.txt"}"#, false);
    let list = r#"{"a": [{"anything-but": {"prefix": ["$", "%"]}}]}"#;
    check(list, r#"{"a": "%x"}"#, false);
    check(list, r#"{"a": "x"}"#, true);
}

#[test]
fn eb_create_pattern_operators_anything_but_equals_ignore_case() {
    let p = r#"{"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}"#;
    check(p, r#"{"state": "STOPPED"}"#, false);
    check(p, r#"{"state": "running"}"#, true);
    check(p, r#"{"state": null}"#, true);
}

#[test]
fn eb_create_pattern_operators_anything_but_wildcard() {
    let p = r#"{"FilePath": [{"anything-but": {"wildcard": "*/dir/*"}}]}"#;
    check(p, r#"{"FilePath": "/user/dir/a"}"#, false);
    check(p, r#"{"FilePath": "/user/other/a"}"#, true);
    check(p, r#"{"FilePath": 5}"#, true);
    check(
        r#"{"x": [{"anything-but": {"wildcard": ""}}]}"#,
        r#"{"x": "nonempty"}"#,
        true,
    );
}

#[test]
fn eb_create_pattern_operators_numeric() {
    let p = r#"{"c-count": [{"numeric": [">", 0, "<=", 5]}]}"#;
    check(p, r#"{"c-count": 5}"#, true);
    check(p, r#"{"c-count": 0}"#, false);
    check(p, r#"{"c-count": 5.000001}"#, false);
    check(p, r#"{"c-count": "3"}"#, false);
    check(p, r#"{"c-count": null}"#, false);
    check(r#"{"d": [{"numeric": ["<", 10]}]}"#, r#"{"d": -1e9}"#, true);
    check(
        r#"{"x": [{"numeric": ["=", 3.018e2]}]}"#,
        r#"{"x": 301.8}"#,
        true,
    );
    check(
        r#"{"x": [{"numeric": [">=", 100]}]}"#,
        r#"{"x": 100}"#,
        true,
    );
    check(
        r#"{"x": [{"numeric": [">", 100]}]}"#,
        r#"{"x": 101.0}"#,
        true,
    );
    check(r#"{"x": [{"numeric": ["<=", 0]}]}"#, r#"{"x": -0.0}"#, true);
}

#[test]
fn eb_create_pattern_operators_exists() {
    check(
        r#"{"detail": {"state": [{"exists": true}]}}"#,
        r#"{"detail": {"state": "x"}}"#,
        true,
    );
    check(
        r#"{"detail": {"state": [{"exists": true}]}}"#,
        r#"{"detail": {"state": null}}"#,
        true,
    );
    check(
        r#"{"detail": {"state": [{"exists": true}]}}"#,
        r#"{"detail": {}}"#,
        false,
    );
    // Leaves only: not an empty array, not an object (exists_list_empty_NEG, exists_dynamodb_NEG).
    check(r#"{"k": [{"exists": true}]}"#, r#"{"k": []}"#, false);
    check(
        r#"{"k": [{"exists": true}]}"#,
        r#"{"k": {"S": "v"}}"#,
        false,
    );
    check(
        r#"{"detail": {"state": [{"exists": false}]}}"#,
        r#"{"detail": {}}"#,
        true,
    );
    check(
        r#"{"detail": {"state": [{"exists": false}]}}"#,
        r#"{}"#,
        true,
    );
    check(
        r#"{"detail": {"state": [{"exists": false}]}}"#,
        r#"{"detail": {"state": 1}}"#,
        false,
    );
    // OR with exists (or-exists-parent).
    let or = r#"{"a": [{"anything-but": ["x"]}, {"exists": false}]}"#;
    check(or, r#"{}"#, true);
    check(or, r#"{"a": "y"}"#, true);
    check(or, r#"{"a": "x"}"#, false);
}

#[test]
fn eb_create_pattern_operators_cidr() {
    let v4 = r#"{"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}"#;
    check(v4, r#"{"sourceIPAddress": "10.0.0.255"}"#, true);
    check(v4, r#"{"sourceIPAddress": "10.0.1.0"}"#, false);
    check(v4, r#"{"sourceIPAddress": "10.0.0.256"}"#, false);
    check(v4, r#"{"sourceIPAddress": 10}"#, false);
    let v6 = r#"{"sourceIPAddress": [{"cidr": "2001:db8:1234:1a00::/64"}]}"#;
    check(v6, r#"{"sourceIPAddress": "2001:db8:1234:1a00::1"}"#, true);
    check(v6, r#"{"sourceIPAddress": "2001:db8:1234:1a01::1"}"#, false);
}

#[test]
fn eb_create_pattern_operators_wildcard() {
    let p = r#"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#;
    check(
        p,
        r#"{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}"#,
        true,
    );
    check(
        p,
        r#"{"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}"#,
        false,
    );
    check(r#"{"w": [{"wildcard": ""}]}"#, r#"{"w": ""}"#, true);
    check(r#"{"w": [{"wildcard": ""}]}"#, r#"{"w": "x"}"#, false);
    check(r#"{"w": [{"wildcard": "a\\*b"}]}"#, r#"{"w": "a*b"}"#, true);
    check(
        r#"{"w": [{"wildcard": "a\\*b"}]}"#,
        r#"{"w": "axb"}"#,
        false,
    );
    check(r#"{"w": [{"wildcard": "*"}]}"#, r#"{"w": 5}"#, false);
}

#[test]
fn eb_create_pattern_operators_or() {
    let p = r#"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#;
    check(
        p,
        r#"{"source": "aws.cloudwatch", "metricName": "CPUUtilization"}"#,
        true,
    );
    check(
        p,
        r#"{"source": "aws.cloudwatch", "namespace": "AWS/EC2"}"#,
        true,
    );
    check(
        p,
        r#"{"source": "aws.cloudwatch", "namespace": "AWS/ES"}"#,
        false,
    );
    check(p, r#"{"source": "aws.ec2", "namespace": "AWS/EC2"}"#, false);
    let nested =
        r#"{"detail": {"$or": [{"c": [{"numeric": [">", 0]}]}, {"d": [{"numeric": ["<", 10]}]}]}}"#;
    check(nested, r#"{"detail": {"d": 5}}"#, true);
    check(nested, r#"{"detail": {"c": -1, "d": 11}}"#, false);
}

#[test]
fn eb_create_pattern_operators_names_are_case_sensitive() {
    let e = EventPattern::parse(r#"{"a": [{"NUMERIC": [">", 0]}]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Event pattern is not valid. Reason: Unrecognized match type NUMERIC"
    );
    let e = EventPattern::parse(r#"{"a": [{"EXISTS": true}]}"#).unwrap_err();
    assert_eq!(e.reason(), "Unrecognized match type EXISTS");
}
