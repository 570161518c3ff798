//! The parser and matcher never panic, whatever the text (STYLE: no panics on user input),
//! and deep nesting is an error rather than a stack overflow.

use eventyard_pattern::{EventPattern, FilterPolicy, FilterPolicyScope};
use proptest::prelude::*;

/// Arbitrary JSON values, shallow enough to build quickly, with the operator names mixed in
/// so validation paths are reached.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        prop_oneof![
            Just("prefix"),
            Just("suffix"),
            Just("anything-but"),
            Just("numeric"),
            Just("exists"),
            Just("cidr"),
            Just("wildcard"),
            Just("equals-ignore-case"),
            Just("$or"),
            Just(">"),
            Just("<="),
            Just("="),
            Just("10.0.0.0/8"),
            Just("a*b"),
            Just("*"),
            Just(""),
            Just("x")
        ]
        .prop_map(|s| serde_json::Value::String(s.to_string())),
        ".{0,6}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("a".to_string()),
                        Just("b".to_string()),
                        Just("a.b".to_string()),
                        Just("$or".to_string()),
                        Just("numeric".to_string()),
                        Just("prefix".to_string()),
                        Just("anything-but".to_string()),
                        Just("exists".to_string()),
                        Just("wildcard".to_string())
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in "\\PC{0,64}") {
        if let Err(e) = EventPattern::parse(&text) {
            let span = e.location().span;
            prop_assert!(span.start <= span.end && span.end <= text.len(), "{:?}", span);
        }
        let _ = FilterPolicy::parse(&text, FilterPolicyScope::MessageBody);
    }

    #[test]
    fn parser_never_panics_on_json_like_text(text in "[\\[\\]{}\":,0-9eE.+\\-a-z\\\\ \n]{0,64}") {
        if let Err(e) = EventPattern::parse(&text) {
            let span = e.location().span;
            // Spans always lie inside the text, so a UI can slice it.
            prop_assert!(span.start <= span.end && span.end <= text.len(), "{:?}", span);
            prop_assert!(text.get(span.start..span.end).is_some());
        }
    }

    #[test]
    fn parse_and_match_never_panic_on_arbitrary_json(pattern in json_value(), event in json_value()) {
        let text = pattern.to_string();
        if let Ok(p) = EventPattern::parse_for_test(&text) {
            let matched = p.matches(&event);
            prop_assert_eq!(p.explain(&event).matched(), matched);
            // Flattening only the pattern's paths changes nothing.
            let spanned = eventyard_pattern::json::from_serde(&event);
            let full = eventyard_pattern::interpret::FlatEvent::new(&spanned);
            prop_assert_eq!(eventyard_pattern::interpret::matches_flat(p.root(), &full), matched);
            prop_assert_eq!(p.matches_text(&event.to_string()).ok(), Some(matched));
        }
        for scope in [FilterPolicyScope::MessageAttributes, FilterPolicyScope::MessageBody] {
            if let Ok(policy) = FilterPolicy::parse(&text, scope) {
                let _ = policy.matches_body(&event.to_string());
                let _ = policy.matches_attributes(&event);
            }
        }
    }
}

#[test]
fn deep_event_nesting_does_not_overflow() {
    let p = EventPattern::parse(r#"{"a": [{"exists": false}]}"#).unwrap();
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert!(p.matches_text(&deep).is_err());
    let mut value = serde_json::json!(1);
    for _ in 0..1000 {
        value = serde_json::json!({"a": value});
    }
    let _ = p.matches(&value);
    let _ = p.explain(&value);
}

/// A lone surrogate escape (`"\udfea"`) is valid JSON text to AWS: EventBridge parses events
/// with Jackson (event-ruler), which keeps a lone surrogate as one UTF-16 unit, so PutEvents
/// accepts the event. The compiled machine refused it while the interpreter read it as U+FFFD;
/// both read it the same way now, on every shape of stray surrogate.
#[test]
fn machine_and_interpreter_agree_on_lone_surrogate_escapes() {
    let patterns = [
        r#"{"detail":{"s":[{"exists":true}]}}"#,
        r#"{"detail":{"s":[{"prefix":"a"}]}}"#,
        r#"{"detail":{"s":["a\udfea"]}}"#,
        r#"{"detail":{"s":["\ud800x"]}}"#,
        r#"{"detail":{"s":[{"anything-but":"x"}]}}"#,
    ];
    let values = [
        r#""a\udfea""#,
        r#""\ud800x""#,
        r#""\ud800\u0041""#,
        r#""\ud800\ud800\udc00""#,
        r#""\udc00\ud83d\ude00""#,
        r#""a""#,
    ];
    for pattern_text in patterns {
        let pattern = EventPattern::parse(pattern_text).expect(pattern_text);
        let mut machine = eventyard_pattern::Machine::new();
        machine.add_rule("r", &pattern);
        for value in values {
            let event = format!(r#"{{"source":"x","detail":{{"s":{value}}}}}"#);
            let interpreted = pattern
                .matches_text(&event)
                .expect("the interpreter reads it");
            let compiled = machine
                .try_matching_rules(event.as_bytes())
                .expect("the machine reads it too");
            assert_eq!(compiled == ["r"], interpreted, "{pattern_text} on {event}");
        }
    }
}

/// A bare word where a value belongs is Jackson's "Unrecognized token" naming the whole word
/// (not "Unexpected character" for its first letter), reported at the column after it, where
/// Jackson's reader stands once it has read the word.
#[test]
fn a_bare_word_is_an_unrecognized_token_named_whole() {
    let e = EventPattern::parse(r#"{"a": [xyz_1]}"#).unwrap_err();
    assert_eq!(
        e.reason(),
        "Unrecognized token 'xyz_1': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"{\"a\": [xyz_1]}\"; line: 1, column: 13]"
    );
    let e = EventPattern::parse(r#"{"a": [Nope]}"#).unwrap_err();
    assert!(
        e.reason().starts_with("Unrecognized token 'Nope': "),
        "{}",
        e.reason()
    );
    let e = EventPattern::parse(r#"{"a": [NaNa]}"#).unwrap_err();
    assert!(
        e.reason().starts_with("Unrecognized token 'NaNa': "),
        "{}",
        e.reason()
    );
    let e = EventPattern::parse(r#"{"a": [truex]}"#).unwrap_err();
    assert!(
        e.reason().starts_with("Unrecognized token 'truex': "),
        "{}",
        e.reason()
    );
    let long = format!(r#"{{"a": [{}]}}"#, "w".repeat(300));
    let e = EventPattern::parse(&long).unwrap_err();
    assert!(e
        .reason()
        .starts_with(&format!("Unrecognized token '{}...': ", "w".repeat(256))));
}
