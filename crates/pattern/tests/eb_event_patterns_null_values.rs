//! Null values, empty strings and missing fields (eb-event-patterns-null-values), dotted
//! keys and duplicate keys (eb-event-patterns, event-ruler's rule overriding).

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
fn eb_event_patterns_null_values_null_empty_missing_differ() {
    let event = r#"{"detail": {"eventVersion": "", "responseElements": null}}"#;
    check(r#"{"detail": {"eventVersion": [""]}}"#, event, true);
    check(r#"{"detail": {"responseElements": [null]}}"#, event, true);
    check(r#"{"detail": {"eventVersion": [null]}}"#, event, false);
    check(r#"{"detail": {"responseElements": [""]}}"#, event, false);
    check(r#"{"detail": {"missing": [null]}}"#, event, false);
    check(r#"{"detail": {"missing": [""]}}"#, event, false);
}

#[test]
fn eb_event_patterns_dotted_keys_equal_nesting_both_ways() {
    check(
        r#"{"state.status": ["ok"]}"#,
        r#"{"state": {"status": "ok"}}"#,
        true,
    );
    check(
        r#"{"state": {"status": ["ok"]}}"#,
        r#"{"state.status": "ok"}"#,
        true,
    );
    check(
        r#"{"object.nested.test": ["v"]}"#,
        r#"{"object": {"nested.test": "v"}}"#,
        true,
    );
}

#[test]
fn eb_event_patterns_json_in_a_string_is_not_parsed() {
    check(
        r#"{"detail": {"a": ["b"]}}"#,
        r#"{"detail": "{\"a\": \"b\"}"}"#,
        false,
    );
}

#[test]
fn eb_event_patterns_duplicate_keys_last_wins() {
    // test_event_pattern_with_multi_key (LocalStack, AWS-validated).
    let p = r#"{"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}"#;
    check(p, r#"{"location": "eu-central-1"}"#, true);
    check(p, r#"{"location": "us-east"}"#, false);
}

#[test]
fn eb_event_patterns_keys_are_case_sensitive() {
    check(r#"{"Source": ["x"]}"#, r#"{"source": "x"}"#, false);
}

#[test]
fn eb_event_patterns_non_object_events_never_match() {
    check(r#"{"a": [{"exists": false}]}"#, r#"[1]"#, false);
    check(r#"{"a": [{"exists": false}]}"#, r#""text""#, false);
}
