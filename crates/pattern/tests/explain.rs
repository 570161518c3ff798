//! Explanations: every pattern leaf with the event's values, pass/fail, and one sentence
//! for the deciding reason, with spans into the pattern and event text.

use eventyard_pattern::EventPattern;
use serde_json::json;

#[test]
fn explain_names_the_failing_leaf() {
    let p = EventPattern::parse(r#"{"source": ["donut.shop"], "detail": {"flavor": ["donut"]}}"#)
        .unwrap();
    let e = p.explain(&json!({"source": "donut.shop", "detail": {"flavor": "pie"}}));
    assert!(!e.matched());
    assert_eq!(
        e.reason(),
        r#"`detail.flavor`: pattern wants one of ["donut"]; event has "pie""#
    );
    assert_eq!(e.leaves().len(), 2);
    assert!(e.leaves()[0].passed);
    assert!(!e.leaves()[1].passed);
}

#[test]
fn explain_missing_field() {
    let p = EventPattern::parse(r#"{"detail": {"flavor": ["donut"]}}"#).unwrap();
    let e = p.explain(&json!({"detail": {}}));
    assert_eq!(
        e.reason(),
        "`detail.flavor`: pattern wants one of [\"donut\"]; event has no such field"
    );
}

#[test]
fn explain_match() {
    let p = EventPattern::parse(r#"{"detail": {"flavor": ["donut"]}}"#).unwrap();
    let e = p.explain(&json!({"detail": {"flavor": "donut"}}));
    assert!(e.matched());
    assert_eq!(e.reason(), "`detail.flavor`: pattern wants one of [\"donut\"]; event has \"donut\"; every condition holds");
}

#[test]
fn explain_operators_in_words() {
    let p = EventPattern::parse(
        r#"{"n": [{"numeric": [">", 0, "<=", 5]}], "s": [{"prefix": "us-"}, "eu-west-1"]}"#,
    )
    .unwrap();
    let e = p.explain(&json!({"n": 9, "s": "us-east-1"}));
    assert_eq!(
        e.reason(),
        "`n`: pattern wants a number > 0 and <= 5; event has 9"
    );
    assert_eq!(
        e.leaves()[1].operator,
        r#"one of ["eu-west-1"] or prefix "us-""#
    );
}

#[test]
fn explain_or_and_array_consistency() {
    let p = EventPattern::parse(r#"{"$or": [{"a": [1]}, {"b": [2]}]}"#).unwrap();
    let e = p.explain(&json!({"a": 0, "b": 0}));
    assert!(!e.matched());
    assert!(
        e.reason().starts_with("no branch of `$or` holds"),
        "{}",
        e.reason()
    );
    assert_eq!(e.leaves()[1].or_branches.len(), 1);

    let p = EventPattern::parse(r#"{"e": {"first": ["Anna"], "last": ["Jones"]}}"#).unwrap();
    let e = p.explain(
        &json!({"e": [{"first": "Anna", "last": "Smith"}, {"first": "Peter", "last": "Jones"}]}),
    );
    assert!(!e.matched());
    assert_eq!(
        e.reason(),
        "`e.first` and `e.last` each hold, but not with values from the same element of an array of objects (array consistency)"
    );
}

#[test]
fn explain_text_spans_into_both_texts() {
    let pattern = "{\n  \"detail\": {\"flavor\": [\"donut\"]}\n}";
    let event = "{\"detail\": {\"flavor\": \"pie\"}}";
    let p = EventPattern::parse(pattern).unwrap();
    let e = p.explain_text(event).unwrap();
    let leaf = e.deciding_leaf().expect("a deciding leaf");
    assert_eq!(
        &pattern[leaf.pattern_span.start..leaf.pattern_span.end],
        "[\"donut\"]"
    );
    assert_eq!(
        &pattern[leaf.pattern_key_span.start..leaf.pattern_key_span.end],
        "\"flavor\""
    );
    assert_eq!((leaf.pattern_span.line, leaf.pattern_span.column), (2, 24));
    let alternative = &leaf.alternatives[0];
    assert_eq!(
        &pattern[alternative.span.start..alternative.span.end],
        "\"donut\""
    );
    assert!(!alternative.accepted);
    let found = &leaf.found[0];
    assert_eq!(&event[found.span.start..found.span.end], "\"pie\"");
    assert!(!found.accepted);
}

#[test]
fn explain_display_for_people() {
    let p =
        EventPattern::parse(r#"{"source": ["shop"], "$or": [{"a": [1]}, {"b": [2]}]}"#).unwrap();
    let text = p.explain(&json!({"source": "shop", "b": 2})).to_string();
    assert_eq!(
        text,
        "match: `source`: pattern wants one of [\"shop\"]; event has \"shop\"; every condition holds\n  \u{2713} source: one of [\"shop\"]; event has \"shop\"\n  \u{2717} a ($or[0]): one of [1]; event has no such field\n  \u{2713} b ($or[1]): one of [2]; event has 2\n"
    );
}
