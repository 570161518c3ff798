//! Arrays in events and patterns (eb-event-patterns-arrays), and event-ruler's
//! array-consistent matching of arrays of objects.

use eventyard_pattern::EventPattern;

#[track_caller]
fn check(pattern: &str, event: &str, expected: bool) {
    let p = EventPattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    assert_eq!(
        p.matches_text(event).expect("event is JSON"),
        expected,
        "{pattern} against {event}"
    );
}

#[test]
fn eb_event_patterns_arrays_any_element_matches() {
    let p = r#"{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}"#;
    check(
        p,
        r#"{"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup", "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}"#,
        true,
    );
    check(
        p,
        r#"{"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup"]}"#,
        false,
    );
    check(r#"{"a": [1]}"#, r#"{"a": []}"#, false);
    check(r#"{"a": [null]}"#, r#"{"a": []}"#, false);
    check(r#"{"a": [1]}"#, r#"{"a": [[0, [1]]]}"#, true);
}

#[test]
fn eb_event_patterns_arrays_anything_but_any_element() {
    check(
        r#"{"a": [{"anything-but": "x"}]}"#,
        r#"{"a": ["x", "y"]}"#,
        true,
    );
    check(
        r#"{"a": [{"anything-but": "x"}]}"#,
        r#"{"a": ["x"]}"#,
        false,
    );
}

#[test]
fn eb_event_patterns_arrays_of_objects_reach_in() {
    check(
        r#"{"detail": {"items": {"sku": ["A"]}}}"#,
        r#"{"detail": {"items": [{"sku": "B"}, {"sku": "A"}]}}"#,
        true,
    );
}

#[test]
fn eb_event_patterns_arrays_consistency_same_element() {
    // event-ruler rulesForJSONEvent: both fields must come from the same element.
    let p = r#"{"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}"#;
    let e = r#"{"employees": [{"firstName": "Anna", "lastName": "Smith"}, {"firstName": "Peter", "lastName": "Jones"}]}"#;
    check(p, e, false);
    check(
        p,
        r#"{"employees": [{"firstName": "Anna", "lastName": "Jones"}]}"#,
        true,
    );
    // exists:false is judged within the chosen element.
    let absent = r#"{"employees": {"firstName": ["Anna"], "ids": [{"exists": false}]}}"#;
    check(
        absent,
        r#"{"employees": [{"firstName": "John", "ids": [1]}, {"firstName": "Anna"}]}"#,
        true,
    );
    check(
        absent,
        r#"{"employees": [{"firstName": "Anna", "ids": [1]}]}"#,
        false,
    );
}

#[test]
fn eb_event_patterns_arrays_scalar_elements_carry_no_membership() {
    // Event.loadArray: only object/array elements record array membership.
    let p = r#"{"a": {"b": [1], "c": [2]}}"#;
    check(p, r#"{"a": {"b": [0, 1], "c": [2, 3]}}"#, true);
}

#[test]
fn eb_event_patterns_arrays_empty_pattern_array_is_invalid() {
    let e = EventPattern::parse(r#"{"a": []}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Event pattern is not valid. Reason: Empty arrays are not allowed"
    );
    assert_eq!(e.json_path(), "$.a");
    assert_eq!((e.line(), e.column()), (1, 7));
}

#[test]
fn eb_event_patterns_arrays_exists_false_in_field_name_order() {
    // event-ruler's ACFinder checks absence against the choices made by the fields that sort
    // before it: "e.a" is checked before "e.b" chooses an element, "e.z" after.
    check(
        r#"{"e": {"a": [{"exists": false}], "b": ["x"]}}"#,
        r#"{"e": [{"a": 1}, {"b": "x"}]}"#,
        false,
    );
    check(
        r#"{"e": {"z": [{"exists": false}], "b": ["x"]}}"#,
        r#"{"e": [{"z": 1}, {"b": "x"}]}"#,
        true,
    );
}
