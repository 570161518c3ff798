//! Validation with AWS's reason texts and a location (eb-event-patterns,
//! eb-create-pattern-operators, eb-quota, API_TestEventPattern). Reason texts are the ones
//! AWS and event-ruler return; locations are line, column and JSON path of the offending
//! value in the pattern text.

use eventyard_pattern::{ErrorKind, EventPattern};

/// The reason text and JSON path of a rejected pattern.
#[track_caller]
fn check(pattern: &str, reason: &str, json_path: &str) {
    match EventPattern::parse(pattern) {
        Ok(_) => panic!("{pattern} was accepted"),
        Err(e) => {
            assert_eq!(e.reason(), reason, "{pattern}");
            assert_eq!(e.json_path(), json_path, "{pattern}");
            assert_eq!(
                e.to_string(),
                format!("Event pattern is not valid. Reason: {reason}")
            );
        }
    }
}

#[test]
fn eb_event_patterns_structure_errors() {
    check("[1,2,3]", "Filter is not an object", "$");
    check(
        r#"{"int": 42}"#,
        "\"int\" must be an object or an array",
        "$.int",
    );
    check(r#"{"a": []}"#, "Empty arrays are not allowed", "$.a");
    check(r#"{"a": {}}"#, "Empty objects are not allowed", "$.a");
    check(
        r#"{"a": [[1]]}"#,
        "Match value must be String, number, true, false, or null",
        "$.a[0]",
    );
    check(
        r#"{"a": [{}]}"#,
        "Match expression name not found",
        "$.a[0]",
    );
    check(
        r#"{"a": [{"foo": "x"}]}"#,
        "Unrecognized match type foo",
        "$.a[0].foo",
    );
    check(
        r#"{"a": [{"prefix": "x", "foo": 1}]}"#,
        "Only one key allowed in match expression",
        "$.a[0].foo",
    );
}

#[test]
fn eb_event_patterns_or_errors() {
    check(
        r#"{"$or": [{"a": [1]}]}"#,
        "There must have at least 2 Objects in $or relationship.",
        "$[\"$or\"]",
    );
    check(
        r#"{"$or": {"a": [1]}}"#,
        "It must be an Array followed with $or.",
        "$[\"$or\"]",
    );
    check(
        r#"{"$or": [{"a": [1]}, [2]]}"#,
        "Only JSON object is allowed in array of $or relationship.",
        "$[\"$or\"][1]",
    );
}

#[test]
fn eb_create_pattern_operators_operand_errors() {
    check(
        r#"{"a": [{"prefix": 3}]}"#,
        "prefix match pattern must be a string",
        "$.a[0].prefix",
    );
    check(
        r#"{"a": [{"suffix": null}]}"#,
        "suffix match pattern must be a string",
        "$.a[0].suffix",
    );
    check(
        r#"{"a": [{"wildcard": 5}]}"#,
        "wildcard match pattern must be a string",
        "$.a[0].wildcard",
    );
    check(
        r#"{"a": [{"equals-ignore-case": ["x"]}]}"#,
        "equals-ignore-case match pattern must be a string",
        "$.a[0].equals-ignore-case",
    );
    check(
        r#"{"a": [{"prefix": {"foo": "x"}}]}"#,
        "Unsupported prefix pattern: foo",
        "$.a[0].prefix.foo",
    );
    check(
        r#"{"a": [{"exists": "no"}]}"#,
        "exists match pattern must be either true or false.",
        "$.a[0].exists",
    );
    check(
        r#"{"a": [{"exactly": 33}]}"#,
        "exact match pattern must be a string",
        "$.a[0].exactly",
    );
}

#[test]
fn eb_create_pattern_operators_anything_but_errors() {
    check(
        r#"{"a": [{"anything-but": null}]}"#,
        "Value of anything-but must be an array or single string/number value.",
        "$.a[0].anything-but",
    );
    check(
        r#"{"a": [{"anything-but": [null]}]}"#,
        "Inside anything but list, start|null|boolean is not supported.",
        "$.a[0].anything-but[0]",
    );
    check(r#"{"a": [{"anything-but": ["a", 1]}]}"#, "Inside anything but list, either all values are number or string, mixed type is not supported", "$.a[0].anything-but");
    check(
        r#"{"a": [{"anything-but": {"prefix": ""}}]}"#,
        "Null prefix/suffix not allowed",
        "$.a[0].anything-but.prefix",
    );
    check(
        r#"{"a": [{"anything-but": {"prefix": 27}}]}"#,
        "prefix/suffix match pattern must be a string",
        "$.a[0].anything-but.prefix",
    );
    check(
        r#"{"a": [{"anything-but": {"foo": 3}}]}"#,
        "Unsupported anything-but pattern: foo",
        "$.a[0].anything-but.foo",
    );
    check(
        r#"{"a": [{"anything-but": {"equals-ignore-case": [1]}}]}"#,
        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
        "$.a[0].anything-but.equals-ignore-case[0]",
    );
}

#[test]
fn eb_create_pattern_operators_numeric_errors() {
    check(
        r#"{"x": [{"numeric": 5}]}"#,
        "Value of numeric must be an array.",
        "$.x[0].numeric",
    );
    check(
        r#"{"x": [{"numeric": [">"]}]}"#,
        "Value of > must be numeric",
        "$.x[0].numeric",
    );
    check(
        r#"{"x": [{"numeric": ["=", true]}]}"#,
        "Value of equals must be numeric",
        "$.x[0].numeric[1]",
    );
    check(
        r#"{"x": [{"numeric": [">", 0, ">", 5]}]}"#,
        "Bad numeric range operator: >",
        "$.x[0].numeric[2]",
    );
    check(
        r#"{"x": [{"numeric": ["<", 1, ">", 0]}]}"#,
        "Too many elements in numeric expression",
        "$.x[0].numeric[2]",
    );
    check(
        r#"{"x": [{"numeric": [">", 1, "<", 30, false]}]}"#,
        "Too many terms in numeric range expression",
        "$.x[0].numeric[4]",
    );
    check(
        r#"{"x": [{"numeric": [">", 30, "<", 1]}]}"#,
        "Bottom must be less than top",
        "$.x[0].numeric[3]",
    );
    check(
        r#"{"x": [{"numeric": ["==", 1]}]}"#,
        "Unrecognized numeric range operator: ==",
        "$.x[0].numeric[0]",
    );
    check(
        r#"{"x": [{"numeric": [1, "<="]}]}"#,
        "Invalid member in numeric match: 1",
        "$.x[0].numeric[0]",
    );
    check(
        r#"{"x": [{"numeric": ["=", 2.0e422]}]}"#,
        "Cannot compare number : 2.0e422",
        "$.x[0].numeric[1]",
    );
}

#[test]
fn eb_create_pattern_operators_cidr_and_wildcard_errors() {
    check(
        r#"{"ip": [{"cidr": "10.0.0.0"}]}"#,
        "Malformed CIDR, one '/' required",
        "$.ip[0].cidr",
    );
    check(
        r#"{"ip": [{"cidr": "bad-/64filter"}]}"#,
        "Malformed CIDR, mask bits must be an integer",
        "$.ip[0].cidr",
    );
    check(
        r#"{"ip": [{"cidr": "x/24"}]}"#,
        "Nonstandard IP address: x",
        "$.ip[0].cidr",
    );
    check(
        r#"{"w": [{"wildcard": "foo**bar"}]}"#,
        "Consecutive wildcard characters at pos 4",
        "$.w[0].wildcard",
    );
    check(
        r#"{"w": [{"wildcard": "foo\\bar"}]}"#,
        "Invalid escape character at pos 4",
        "$.w[0].wildcard",
    );
}

#[test]
fn eb_create_pattern_operators_wildcard_complexity() {
    // Many stars each followed by a run that overlaps itself: AWS's "Rule is too complex".
    let glob = "*aaaaaaaaaaaa".repeat(10);
    let pattern = format!(r#"{{"w": [{{"wildcard": "{glob}"}}]}}"#);
    let e = EventPattern::parse(&pattern).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooComplex);
    assert_eq!(
        e.reason(),
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
    );
    // The documentation's own examples are fine.
    assert!(EventPattern::parse(
        r#"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#
    )
    .is_ok());
    assert!(EventPattern::parse(r#"{"FilePath": [{"wildcard": "*/lib/*.png"}]}"#).is_ok());
    // Long wildcard soups are judged quickly (the measure stops at the limit).
    let soup = format!(r#"{{"w": [{{"wildcard": "{}"}}]}}"#, "*ab".repeat(600));
    assert_eq!(
        EventPattern::parse_for_test(&soup).unwrap_err().kind(),
        ErrorKind::TooComplex
    );
}

#[test]
fn eb_event_patterns_malformed_json_reports_line_and_column() {
    let e = EventPattern::parse("{\n  \"a\": [1, 2 3]\n}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedJson);
    assert_eq!((e.line(), e.column()), (2, 14));
    assert!(e.reason().starts_with("Unexpected character ('3' (code 51)): was expecting comma to separate Array entries\n at [Source: (String)"));
    assert!(e.reason().ends_with("; line: 2, column: 15]"));
}

/// A close marker that does not match its opening bracket: Jackson names where that bracket
/// stood in its own location form, source included, as event-ruler's recorded texts show
/// (shared corpus, `JsonRuleCompilerTest#testCompile:invalid:39` and `:40`; event-ruler's
/// test prints the outer location twice, AWS passes Jackson's message on once).
#[test]
fn eb_event_patterns_malformed_json_close_markers_name_the_opening_bracket() {
    for (text, message, column) in [
        (
            r#"{"a": [ { "anything-but": { "equals-ignore-case": ["1", "2" } } ] }"#,
            "Unexpected close marker '}': expected ']' (for Array starting at [Source: (String)\"{\"a\": [ { \"anything-but\": { \"equals-ignore-case\": [\"1\", \"2\" } } ] }\"; line: 1, column: 51])",
            62,
        ),
        (
            r#"{"a": [ { "anything-but": { "equals-ignore-case": ["1", "2" ] } ] }"#,
            "Unexpected close marker ']': expected '}' (for Object starting at [Source: (String)\"{\"a\": [ { \"anything-but\": { \"equals-ignore-case\": [\"1\", \"2\" ] } ] }\"; line: 1, column: 9])",
            66,
        ),
    ] {
        let e = EventPattern::parse(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedJson);
        assert_eq!(
            e.reason(),
            format!("{message}\n at [Source: (String)\"{text}\"; line: 1, column: {column}]")
        );
    }
    // Unclosed: Jackson's "start marker" names the opening bracket the same way.
    let e = EventPattern::parse(r#"{"a": [1"#).unwrap_err();
    assert_eq!(
        e.reason(),
        "Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)\"{\"a\": [1\"; line: 1, column: 7])\n at [Source: (String)\"{\"a\": [1\"; line: 1, column: 9]"
    );
}

#[test]
fn eb_event_patterns_errors_point_at_the_value() {
    let text = "{\n  \"detail\": {\n    \"n\": [{\"numeric\": [\">\", \"x\"]}]\n  }\n}";
    let e = EventPattern::parse(text).unwrap_err();
    assert_eq!(e.reason(), "Value of > must be numeric");
    assert_eq!(e.json_path(), "$.detail.n[0].numeric[1]");
    assert_eq!((e.line(), e.column()), (3, 29));
    let span = e.location().span;
    assert_eq!(&text[span.start..span.end], "\"x\"");
}

#[test]
fn eb_quota_pattern_length_limits() {
    // eb-quota: 2,048 characters for a rule; API_TestEventPattern: 4,096.
    let long_value = "x".repeat(2100);
    let pattern = format!(r#"{{"a": ["{long_value}"]}}"#);
    let e = EventPattern::parse(&pattern).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLong);
    assert!(EventPattern::parse_for_test(&pattern).is_ok());
    let longer = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(4100));
    assert_eq!(
        EventPattern::parse_for_test(&longer).unwrap_err().kind(),
        ErrorKind::TooLong
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "{\"a\":".repeat(5000), "}".repeat(5000));
    let e = EventPattern::parse_with_limit(&deep, usize::MAX).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    let arrays = "[".repeat(100_000);
    assert!(EventPattern::parse_with_limit(&arrays, usize::MAX).is_err());
}

#[test]
fn eb_event_patterns_errors_in_aws_reading_order() {
    // Jackson reads token by token and event-ruler validates as it goes: a broken rule
    // before a syntax error is what AWS reports (event-ruler JsonRuleCompilerTest).
    check(
        r#"{"a": [ { "prefix": [1, 2 3] } ] }"#,
        "prefix match pattern must be a string",
        "$.a[0].prefix",
    );
    check("[1, 2", "Filter is not an object", "$");
    check(
        r#"{"a": [{"foo": 1}], "b": "#,
        "Unrecognized match type foo",
        "$.a[0].foo",
    );
    // ... but a rule that needs the closing bracket cannot be broken before it.
    let e = EventPattern::parse(r#"{"a": [ , ]}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedJson);
    let e = EventPattern::parse(r#"{"x": [{"numeric": [">", 5, "<", 1 2]}]}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedJson);
}
