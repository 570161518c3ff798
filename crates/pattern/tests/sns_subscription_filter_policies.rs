//! SNS subscription filter policies (sns-subscription-filter-policies,
//! sns-message-filtering-scope, subscription-filter-policy-constraints).

use eventyard_pattern::{Dialect, FilterPolicy, FilterPolicyScope};
use serde_json::json;

fn attributes_policy(text: &str) -> FilterPolicy {
    FilterPolicy::parse(text, FilterPolicyScope::MessageAttributes)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn body_policy(text: &str) -> FilterPolicy {
    FilterPolicy::parse(text, FilterPolicyScope::MessageBody)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[track_caller]
fn rejected(text: &str, scope: FilterPolicyScope, reason: &str) {
    rejected_at(text, scope, reason, "");
}

/// Rejected with Jackson's location after the reason (`location` is the whole suffix, empty
/// for the checks SNS makes after reading).
fn rejected_at(text: &str, scope: FilterPolicyScope, reason: &str, location: &str) {
    let e = FilterPolicy::parse(text, scope).expect_err(text);
    assert_eq!(e.reason(), reason, "{text}");
    assert_eq!(
        e.to_string(),
        format!("Invalid parameter: Attributes Reason: FilterPolicy: {reason}{location}")
    );
    assert_eq!(
        e.message_for(Dialect::SnsSetSubscriptionAttributes),
        format!("Invalid parameter: FilterPolicy: {reason}{location}")
    );
}

#[test]
fn sns_subscription_filter_policies_attribute_types() {
    let p = attributes_policy(
        r#"{"store": ["example_corp"], "price": [{"numeric": [">", 0, "<=", 100]}]}"#,
    );
    let ok = json!({"store": {"DataType": "String", "StringValue": "example_corp"},
                    "price": {"DataType": "Number", "StringValue": "99.12"}});
    assert!(p.matches_attributes(&ok));
    let too_dear = json!({"store": {"DataType": "String", "StringValue": "example_corp"},
                          "price": {"DataType": "Number", "StringValue": "100.5"}});
    assert!(!p.matches_attributes(&too_dear));
    // A String attribute holding digits is not a number.
    let string_price = json!({"store": {"DataType": "String", "StringValue": "example_corp"},
                              "price": {"DataType": "String", "StringValue": "50"}});
    assert!(!p.matches_attributes(&string_price));
}

#[test]
fn sns_subscription_filter_policies_string_array_elementwise() {
    let p = attributes_policy(r#"{"store": ["value1"]}"#);
    assert!(p.matches_attributes(
        &json!({"store": {"DataType": "String.Array", "StringValue": "[\"value1\", \"value2\"]"}})
    ));
    assert!(!p.matches_attributes(
        &json!({"store": {"DataType": "String.Array", "StringValue": "[\"value2\", \"value3\"]"}})
    ));
    let n = attributes_policy(r#"{"n": [{"numeric": [">", 10]}]}"#);
    assert!(
        n.matches_attributes(&json!({"n": {"DataType": "Number.Array", "StringValue": "[1, 20]"}}))
    );
}

#[test]
fn sns_subscription_filter_policies_envelope_shape_attributes() {
    let p = attributes_policy(r#"{"price": [{"numeric": ["=", 301.5]}]}"#);
    // sns numeric-value-matching: 3.015e2 equals 301.5.
    assert!(p.matches_attributes(&json!({"price": {"Type": "Number", "Value": "3.015e2"}})));
}

#[test]
fn sns_subscription_filter_policies_binary_never_matches() {
    let p = attributes_policy(r#"{"blob": [{"exists": true}]}"#);
    assert!(!p.matches_attributes(&json!({"blob": {"DataType": "Binary", "BinaryValue": "AAEC"}})));
}

#[test]
fn sns_subscription_filter_policies_missing_attributes() {
    let p = attributes_policy(r#"{"attr1": [null, {"anything-but": "whatever"}]}"#);
    assert!(!p.matches_attributes(&json!({})));
    let absent = attributes_policy(r#"{"store": [{"exists": false}]}"#);
    assert!(absent.matches_attributes(&json!({})));
    assert!(
        !absent.matches_attributes(&json!({"store": {"DataType": "Number", "StringValue": "99"}}))
    );
}

#[test]
fn sns_message_filtering_scope_body() {
    let p = body_policy(
        r#"{"object": {"key": [{"prefix": "auto-"}, "hardcodedvalue"], "nested_key": [{"exists": false}]}, "test": [{"exists": false}]}"#,
    );
    assert!(p.matches_body(r#"{"object": {"key": "hardcodedvalue"}}"#));
    assert!(!p.matches_body(r#"{"object": {"key": "auto-test", "nested_key": "just-exists"}}"#));
    assert!(!p.matches_body("Regular string message"));
    assert!(!p.matches_body(r#""Regular string message""#));
    let dotted = body_policy(r#"{"object.nested.test": ["v"]}"#);
    assert!(dotted.matches_body(r#"{"object": {"nested": {"test": "v"}}}"#));
    assert!(dotted.matches_body(r#"{"object.nested": {"test": "v"}}"#));
    assert!(dotted.matches_body(r#"{"object.nested.test": "v"}"#));
}

#[test]
fn sns_message_filtering_scope_nesting_only_in_body() {
    rejected(
        r#"{"object": {"key": ["v"]}}"#,
        FilterPolicyScope::MessageAttributes,
        "Filter policy scope MessageAttributes does not support nested filter policy",
    );
    assert!(FilterPolicy::parse(
        r#"{"object": {"key": ["v"]}}"#,
        FilterPolicyScope::MessageBody
    )
    .is_ok());
}

#[test]
fn subscription_filter_policy_constraints_keys_and_combinations() {
    rejected(
        r#"{"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]}"#,
        FilterPolicyScope::MessageBody,
        "Filter policy can not have more than 5 keys",
    );
    let values: Vec<String> = (0..151).map(|i| format!("\"v{i}\"")).collect();
    rejected(
        &format!(r#"{{"key": [{}]}}"#, values.join(",")),
        FilterPolicyScope::MessageAttributes,
        "Filter policy is too complex",
    );
    let ok: Vec<String> = (0..150).map(|i| format!("\"v{i}\"")).collect();
    assert!(FilterPolicy::parse(
        &format!(r#"{{"key": [{}]}}"#, ok.join(",")),
        FilterPolicyScope::MessageAttributes
    )
    .is_ok());
}

/// subscription-filter-policy-constraints, "Policy constraints for payload-based filtering":
/// "Calculate the total combination by multiplying the number of nested keys with the values
/// in each array. [...] The first array has four values in a three-level nested key, and the
/// second has three values in a two-level nested key. The total combination is calculated as
/// follows: 3 x 4 x 2 x 3 = 72" (awsdocs/amazon-sns-developer-guide,
/// doc_source/subscription-filter-policy-constraints.md).
#[test]
fn subscription_filter_policy_constraints_payload_based_worked_example() {
    // The page's policy, as it prints it: 72 combinations, accepted.
    let example = r#"{
"key_a": {
    "key_b": {
        "key_c": ["value_one", "value_two", "value_three", "value_four"]
        }
    },
"key_d": {
    "key_e": ["value_one", "value_two", "value_three"]
    }
}"#;
    assert!(FilterPolicy::parse(example, FilterPolicyScope::MessageBody).is_ok());
    // The same shape at the limit: 3 x 5 x 2 x 5 = 150 is accepted ...
    let policy = |c: usize, e: usize| {
        let values = |n: usize| {
            (0..n)
                .map(|i| format!("\"v{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            r#"{{"key_a": {{"key_b": {{"key_c": [{}]}}}}, "key_d": {{"key_e": [{}]}}}}"#,
            values(c),
            values(e)
        )
    };
    assert!(FilterPolicy::parse(&policy(5, 5), FilterPolicyScope::MessageBody).is_ok());
    // ... and one value more is over it: 3 x 6 x 2 x 5 = 180 and 3 x 5 x 2 x 6 = 180 (only
    // 30 value combinations, which the flat rule would accept).
    for (c, e) in [(6, 5), (5, 6)] {
        rejected(
            &policy(c, e),
            FilterPolicyScope::MessageBody,
            "Filter policy is too complex",
        );
    }
    // Flat, every key is one level deep and the rule is the common one: 3 x 1 x 2 = 6.
    assert!(FilterPolicy::parse(
        r#"{"key_a": ["value_one", "value_two", "value_three"], "key_b": ["value_one"], "key_c": ["value_one", "value_two"]}"#,
        FilterPolicyScope::MessageAttributes
    )
    .is_ok());
}

#[test]
fn sns_subscription_filter_policies_operator_subset() {
    // The location is where Jackson stands in the compact policy SNS hands event-ruler: after
    // an operator's name it has read the colon and the value's start (an opening quote here).
    rejected_at(
        r#"{"key": [{"anything-but": {"suffix": "x"}}]}"#,
        FilterPolicyScope::MessageAttributes,
        "Unsupported anything-but pattern: suffix",
        "\n at [Source: (String)\"{\"key\":[{\"anything-but\":{\"suffix\":\"x\"}}]}\"; line: 1, column: 36]",
    );
    rejected_at(
        r#"{"key": [{"wildcard": "a*"}]}"#,
        FilterPolicyScope::MessageAttributes,
        "Unrecognized match type wildcard",
        "\n at [Source: (String)\"{\"key\":[{\"wildcard\":\"a*\"}]}\"; line: 1, column: 22]",
    );
    // The shared corpus records exactly this one from AWS (LocalStack's AWS-validated
    // test_validate_policy_string_operators): after the number 100, column 22.
    rejected_at(
        r#"{"key": [{"suffix": 100}]}"#,
        FilterPolicyScope::MessageAttributes,
        "suffix match pattern must be a string",
        "\n at [Source: (String)\"{\"key\":[{\"suffix\":100}]}\"; line: 1, column: 22]",
    );
    assert!(FilterPolicy::parse(
        r#"{"key": [{"anything-but": {"prefix": "test-"}}]}"#,
        FilterPolicyScope::MessageAttributes
    )
    .is_ok());
}

#[test]
fn sns_subscription_filter_policies_malformed_json() {
    let e = FilterPolicy::parse("{invalidjson}", FilterPolicyScope::MessageAttributes).unwrap_err();
    assert!(e
        .message_for(Dialect::SnsSetSubscriptionAttributes)
        .starts_with("Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name"));
}

// sns numeric-value-matching: the page's own examples, in both scopes.
#[test]
fn sns_numeric_value_matching_examples() {
    let exact = attributes_policy(r#"{"price_usd": [{"numeric": ["=", 301.5]}]}"#);
    assert!(exact
        .matches_attributes(&json!({"price_usd": {"DataType": "Number", "StringValue": "301.5"}})));
    assert!(exact.matches_attributes(
        &json!({"price_usd": {"DataType": "Number", "StringValue": "3.015e2"}})
    ));
    let body = body_policy(r#"{"price_usd": [{"numeric": ["=", 301.5]}]}"#);
    assert!(body.matches_body(r#"{"price_usd": 3.015e2}"#));

    let but = attributes_policy(r#"{"price": [{"anything-but": [100, 500]}]}"#);
    assert!(but.matches_attributes(&json!({"price": {"DataType": "Number", "StringValue": "101"}})));
    assert!(
        but.matches_attributes(&json!({"price": {"DataType": "Number", "StringValue": "100.1"}}))
    );
    assert!(but.matches_attributes(
        &json!({"price": {"DataType": "Number.Array", "StringValue": "[100, 50]"}})
    ));
    assert!(
        !but.matches_attributes(&json!({"price": {"DataType": "Number", "StringValue": "100"}}))
    );
    let but_body = body_policy(r#"{"price": [{"anything-but": [100, 500]}]}"#);
    assert!(but_body.matches_body(r#"{"price": [100, 50]}"#));
    assert!(!but_body.matches_body(r#"{"price": 100}"#));

    let range = attributes_policy(r#"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#);
    assert!(range
        .matches_attributes(&json!({"price_usd": {"DataType": "Number", "StringValue": "150"}})));
    assert!(!range
        .matches_attributes(&json!({"price_usd": {"DataType": "Number", "StringValue": "0"}})));
}

// sns string-value-matching: exact, anything-but, prefix, suffix, equals-ignore-case, IP.
#[test]
fn sns_string_value_matching_examples() {
    let attr = |v: &str| json!({"customer_interests": {"DataType": "String", "StringValue": v}});
    let exact = attributes_policy(r#"{"customer_interests": ["rugby", "tennis"]}"#);
    assert!(exact.matches_attributes(&attr("rugby")));
    assert!(!exact.matches_attributes(&attr("Rugby")));
    let array = json!({"customer_interests": {"DataType": "String.Array", "StringValue": "[\"rugby\", \"soccer\"]"}});
    assert!(exact.matches_attributes(&array));

    let but =
        attributes_policy(r#"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#);
    assert!(but.matches_attributes(&attr("baseball")));
    assert!(!but.matches_attributes(&attr("rugby")));
    let but_prefix = attributes_policy(r#"{"event": [{"anything-but": {"prefix": "order-"}}]}"#);
    assert!(but_prefix.matches_attributes(
        &json!({"event": {"DataType": "String", "StringValue": "data-entry"}})
    ));
    assert!(!but_prefix.matches_attributes(
        &json!({"event": {"DataType": "String", "StringValue": "order-cancelled"}})
    ));

    let ignore_case =
        attributes_policy(r#"{"customer_interests": [{"equals-ignore-case": "tennis"}]}"#);
    assert!(ignore_case.matches_attributes(&attr("TeNnis")));
    let prefix = attributes_policy(r#"{"customer_interests": [{"prefix": "bas"}]}"#);
    assert!(prefix.matches_attributes(&attr("baseball")));
    let suffix = attributes_policy(r#"{"customer_interests": [{"suffix": "ball"}]}"#);
    assert!(suffix.matches_attributes(&attr("baseball")));
    assert!(!suffix.matches_attributes(&attr("rugby")));

    let ip = attributes_policy(r#"{"source_ip": [{"cidr": "10.0.0.0/24"}]}"#);
    assert!(ip.matches_attributes(
        &json!({"source_ip": {"DataType": "String", "StringValue": "10.0.0.255"}})
    ));
    assert!(!ip.matches_attributes(
        &json!({"source_ip": {"DataType": "String", "StringValue": "10.1.1.0"}})
    ));
}

// sns attribute-key-matching: exists true/false.
#[test]
fn sns_attribute_key_matching_examples() {
    let exists = attributes_policy(r#"{"store": [{"exists": true}]}"#);
    assert!(exists.matches_attributes(
        &json!({"store": {"DataType": "String", "StringValue": "example_corp"}})
    ));
    assert!(
        !exists.matches_attributes(&json!({"other": {"DataType": "String", "StringValue": "x"}}))
    );
    let absent = attributes_policy(r#"{"store": [{"exists": false}]}"#);
    assert!(
        absent.matches_attributes(&json!({"other": {"DataType": "String", "StringValue": "x"}}))
    );
}

/// A policy that is not a JSON object is event-ruler's "Filter is not an object", raised at the
/// first token, so it carries Jackson's location there: after `[`, or after the opening quote
/// of a string (Jackson reads a string's text only when asked for it).
#[test]
fn a_policy_that_is_not_an_object_carries_the_location() {
    rejected_at(
        "[1, 2]",
        FilterPolicyScope::MessageAttributes,
        "Filter is not an object",
        "\n at [Source: (String)\"[1,2]\"; line: 1, column: 2]",
    );
    rejected_at(
        r#""text""#,
        FilterPolicyScope::MessageBody,
        "Filter is not an object",
        "\n at [Source: (String)\"\"text\"\"; line: 1, column: 2]",
    );
}
