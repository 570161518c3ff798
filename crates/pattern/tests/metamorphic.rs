//! Metamorphic properties of the reference interpreter over generated valid patterns and
//! events (eb-event-patterns: keys are AND'd, values OR'd; a dotted key equals nesting).

use eventyard_pattern::EventPattern;
use proptest::prelude::*;

/// One alternative of a field, as pattern JSON text.
fn alternative() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#""x""#.to_string()),
        Just(r#""y""#.to_string()),
        Just("1".to_string()),
        Just("1.0".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just(r#"{"prefix": "x"}"#.to_string()),
        Just(r#"{"suffix": "y"}"#.to_string()),
        Just(r#"{"anything-but": "x"}"#.to_string()),
        Just(r#"{"anything-but": [1, 2]}"#.to_string()),
        Just(r#"{"numeric": [">", 0, "<=", 1]}"#.to_string()),
        Just(r#"{"exists": true}"#.to_string()),
        Just(r#"{"exists": false}"#.to_string()),
        Just(r#"{"equals-ignore-case": "X"}"#.to_string()),
        Just(r#"{"wildcard": "*y"}"#.to_string()),
        Just(r#"{"cidr": "10.0.0.0/8"}"#.to_string()),
    ]
}

/// A scalar event value.
fn scalar() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::json!("x")),
        Just(serde_json::json!("xy")),
        Just(serde_json::json!("X")),
        Just(serde_json::json!("y")),
        Just(serde_json::json!("10.1.2.3")),
        Just(serde_json::json!(1)),
        Just(serde_json::json!(1.0)),
        Just(serde_json::json!(2)),
        Just(serde_json::json!(0.5)),
        Just(serde_json::json!(null)),
        Just(serde_json::json!(true)),
    ]
}

/// An event whose field `a.b` is missing, a scalar, an array of scalars, or objects.
fn event() -> impl Strategy<Value = serde_json::Value> {
    let b_value = prop_oneof![
        scalar(),
        prop::collection::vec(scalar(), 0..3).prop_map(serde_json::Value::Array),
    ];
    let a_value = prop_oneof![
        b_value.clone().prop_map(|b| serde_json::json!({"b": b})),
        prop::collection::vec(b_value.clone(), 0..3).prop_map(|bs| serde_json::Value::Array(
            bs.into_iter()
                .map(|b| serde_json::json!({"b": b}))
                .collect()
        )),
        Just(serde_json::json!({})),
    ];
    (prop::option::of(a_value), prop::option::of(scalar())).prop_map(|(a, c)| {
        let mut map = serde_json::Map::new();
        if let Some(a) = a {
            map.insert("a".to_string(), a);
        }
        if let Some(c) = c {
            map.insert("c".to_string(), c);
        }
        serde_json::Value::Object(map)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// `{"a.b": X}` and `{"a": {"b": X}}` are the same pattern.
    #[test]
    fn dotted_key_equals_nesting(alternatives in prop::collection::vec(alternative(), 1..4), event in event()) {
        let values = alternatives.join(", ");
        let dotted = EventPattern::parse(&format!(r#"{{"a.b": [{values}]}}"#)).unwrap();
        let nested = EventPattern::parse(&format!(r#"{{"a": {{"b": [{values}]}}}}"#)).unwrap();
        prop_assert_eq!(dotted.matches(&event), nested.matches(&event));
    }

    /// Values in one array are OR'd: one more alternative never loses a match.
    #[test]
    fn more_alternatives_never_lose_a_match(
        alternatives in prop::collection::vec(alternative(), 1..4),
        extra in alternative(),
        event in event(),
    ) {
        let values = alternatives.join(", ");
        let fewer = EventPattern::parse(&format!(r#"{{"a": {{"b": [{values}]}}}}"#)).unwrap();
        let more = EventPattern::parse(&format!(r#"{{"a": {{"b": [{values}, {extra}]}}}}"#)).unwrap();
        if fewer.matches(&event) {
            prop_assert!(more.matches(&event));
        }
    }

    /// Keys are AND'd: a second field never turns a no-match into a match, and `$or` of
    /// two branches matches exactly when either branch alone does.
    #[test]
    fn and_restricts_or_unites(x in alternative(), y in alternative(), event in event()) {
        let left = EventPattern::parse(&format!(r#"{{"a": {{"b": [{x}]}}}}"#)).unwrap();
        let right = EventPattern::parse(&format!(r#"{{"c": [{y}]}}"#)).unwrap();
        let both = EventPattern::parse(&format!(r#"{{"a": {{"b": [{x}]}}, "c": [{y}]}}"#)).unwrap();
        let either = EventPattern::parse(&format!(r#"{{"$or": [{{"a": {{"b": [{x}]}}}}, {{"c": [{y}]}}]}}"#)).unwrap();
        prop_assert_eq!(both.matches(&event), left.matches(&event) && right.matches(&event));
        prop_assert_eq!(either.matches(&event), left.matches(&event) || right.matches(&event));
    }
}
