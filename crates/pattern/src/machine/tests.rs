//! The machine against the reference interpreter: hand-picked cases from the AWS pages, then a
//! property test over random patterns and events (STYLE.md 11: "fast path against reference").

use proptest::prelude::*;

use super::{Machine, MatchScratch};
use crate::EventPattern;

/// Compiles `patterns` as r0, r1, ... and returns the machine's and the interpreter's answers.
fn both(patterns: &[&str], event: &str) -> (Vec<String>, Vec<String>) {
    let mut machine = Machine::new();
    let mut parsed = Vec::new();
    for (i, text) in patterns.iter().enumerate() {
        let p = EventPattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        machine.add_rule(&format!("r{i}"), &p);
        parsed.push(p);
    }
    let got = machine
        .matching_rules(event.as_bytes())
        .into_iter()
        .map(str::to_string)
        .collect();
    let want = parsed
        .iter()
        .enumerate()
        .filter(|(_, p)| p.matches_text(event).unwrap_or(false))
        .map(|(i, _)| format!("r{i}"))
        .collect();
    (got, want)
}

fn check(patterns: &[&str], event: &str, expected: &[&str]) {
    let (got, want) = both(patterns, event);
    assert_eq!(got, want, "machine vs interpreter on {event}");
    assert_eq!(got, expected, "{event}");
}

// eb-create-pattern-operators: every operator through the machine.
#[test]
fn every_operator() {
    let patterns = [
        r#"{"a": ["x"]}"#,
        r#"{"a": [{"prefix": "x"}]}"#,
        r#"{"a": [{"suffix": "z"}]}"#,
        r#"{"a": [{"equals-ignore-case": "XYZ"}]}"#,
        r#"{"a": [{"prefix": {"equals-ignore-case": "XY"}}]}"#,
        r#"{"a": [{"suffix": {"equals-ignore-case": "YZ"}}]}"#,
        r#"{"a": [{"anything-but": ["x"]}]}"#,
        r#"{"a": [{"anything-but": {"prefix": "q"}}]}"#,
        r#"{"a": [{"wildcard": "x*z"}]}"#,
        r#"{"a": [{"exists": true}]}"#,
        r#"{"b": [{"exists": false}]}"#,
        r#"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#,
        r#"{"n": [300]}"#,
        r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#,
        r#"{"$or": [{"a": ["nope"]}, {"n": [3]}]}"#,
    ];
    check(
        &patterns,
        r#"{"a": "xyz", "n": 3, "ip": "10.0.0.7"}"#,
        &[
            "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r13", "r14",
        ],
    );
    // eb-event-patterns-content-based-filtering, "Numeric matching": 300.0 equals 300
    check(&patterns, r#"{"n": 300.0, "b": 1}"#, &["r12"]);
    check(&patterns, r#"{"a": null}"#, &["r6", "r7", "r9", "r10"]);
}

// Scalar elements are values of the path, not elements with their own membership
// (event-ruler `Event.loadArray`).
#[test]
fn scalar_array_elements_do_not_split() {
    check(
        &[r#"{"e": ["x"], "e.f": ["y"]}"#],
        r#"{"e": ["x", {"f": "y"}]}"#,
        &["r0"],
    );
}

// eb-event-patterns-arrays: the fields of one sub-pattern come from the same array element.
#[test]
fn array_consistency() {
    let patterns = [
        r#"{"e": {"first": ["Anna"], "last": ["Smith"]}}"#,
        r#"{"e": {"first": ["John"], "last": ["Smith"]}}"#,
        r#"{"e": {"first": ["Anna"], "ids": [{"exists": false}]}}"#,
    ];
    let event = r#"{"e": [[{"first": "John", "last": "Doe", "ids": [1]},
                           {"first": "Anna", "last": "Smith"}]]}"#;
    check(&patterns, event, &["r0", "r2"]);
}

#[test]
fn not_objects_and_malformed_events_match_nothing() {
    let patterns = [r#"{"a": [{"exists": false}]}"#, r#"{"a": [1]}"#];
    check(&patterns, r#"[{"a": 1}]"#, &[]);
    check(&patterns, r#"3"#, &[]);
    let mut m = Machine::new();
    m.add_rule("r", &EventPattern::parse(r#"{"a": [1]}"#).unwrap());
    assert!(m.try_matching_rules(br#"{"a": 1"#).is_err());
    assert!(m.matching_rules(br#"{"a": 1"#).is_empty());
}

#[test]
fn rules_share_names_and_conditions() {
    let mut m = Machine::new();
    m.add_rule("r", &EventPattern::parse(r#"{"a": ["x"]}"#).unwrap());
    m.add_rule("r", &EventPattern::parse(r#"{"a": ["y"]}"#).unwrap());
    m.add_rule("s", &EventPattern::parse(r#"{"a": ["y"]}"#).unwrap());
    assert_eq!(m.rule_count(), 2);
    assert_eq!(m.matching_rules(br#"{"a": "x"}"#), vec!["r"]);
    assert_eq!(m.matching_rules(br#"{"a": ["y"]}"#), vec!["r", "s"]);
}

#[test]
fn compiles_ten_thousand_rules_quickly() {
    let patterns: Vec<EventPattern> = (0..10_000)
        .map(|i| {
            EventPattern::parse(&format!(
                r#"{{"detail": {{"id": ["v{i}"], "n": [{{"numeric": [">", {i}]}}]}}, "source": [{{"prefix": "s{}"}}]}}"#,
                i % 97
            ))
            .unwrap()
        })
        .collect();
    let mut m = Machine::new();
    for (i, p) in patterns.iter().enumerate() {
        m.add_rule(&format!("r{i}"), p);
    }
    assert_eq!(
        m.matching_rules(br#"{"detail": {"id": "v42", "n": 50}, "source": "s42x"}"#),
        vec!["r42"]
    );
}

// ---- property test -------------------------------------------------------------------

const KEYS: [&str; 4] = ["a", "b", "c", "a.b"];
const STRINGS: [&str; 9] = [
    "x",
    "X",
    "xy",
    "yx",
    "",
    "10.0.0.1",
    "10.0.0.01",
    "x*y",
    "ab",
];
const NUMBERS: [&str; 12] = [
    "0",
    "1",
    "1.5",
    "-2",
    "300",
    "300.0",
    "3e2",
    "5e9",
    "-0",
    "0.30000000000000004",
    "37.807807921694092",
    "1e400",
];

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(&KEYS[..]).prop_map(str::to_string)
}

fn json_str() -> impl Strategy<Value = String> {
    prop::sample::select(&STRINGS[..]).prop_map(|s| serde_json::to_string(s).unwrap())
}

fn number() -> impl Strategy<Value = String> {
    prop::sample::select(&NUMBERS[..]).prop_map(str::to_string)
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => json_str(),
        3 => number(),
        1 => prop::sample::select(&["true", "false", "null"][..]).prop_map(str::to_string),
    ]
}

/// Event text: objects over a few keys, arrays of objects and scalars, duplicate keys allowed.
fn event_value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|members| {
                let body: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

fn event() -> impl Strategy<Value = String> {
    prop::collection::vec((key(), event_value()), 0..5).prop_map(|members| {
        let body: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
            .collect();
        format!("{{{}}}", body.join(","))
    })
}

fn matcher() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => scalar(),
        1 => json_str().prop_map(|s| format!(r#"{{"prefix": {s}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"suffix": {s}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"prefix": {{"equals-ignore-case": {s}}}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"suffix": {{"equals-ignore-case": {s}}}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"equals-ignore-case": {s}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"anything-but": {s}}}"#)),
        1 => (json_str(), json_str()).prop_map(|(s, t)| format!(r#"{{"anything-but": [{s}, {t}]}}"#)),
        1 => number().prop_map(|n| format!(r#"{{"anything-but": [{n}]}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"anything-but": {{"prefix": {s}}}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"anything-but": {{"suffix": {s}}}}}"#)),
        1 => json_str().prop_map(|s| format!(r#"{{"anything-but": {{"equals-ignore-case": {s}}}}}"#)),
        1 => prop::sample::select(&["x*", "*y", "x*y", "*"][..])
            .prop_map(|w| format!(r#"{{"anything-but": {{"wildcard": "{w}"}}}}"#)),
        1 => prop::sample::select(&["x*", "*y", "x*y", "*", "xy"][..])
            .prop_map(|w| format!(r#"{{"wildcard": "{w}"}}"#)),
        2 => (prop::sample::select(&["<", "<=", "=", ">", ">="][..]), number())
            .prop_map(|(op, n)| format!(r#"{{"numeric": ["{op}", {n}]}}"#)),
        1 => (number(), number()).prop_map(|(a, b)| format!(r#"{{"numeric": [">", {a}, "<=", {b}]}}"#)),
        2 => any::<bool>().prop_map(|b| format!(r#"{{"exists": {b}}}"#)),
        1 => prop::sample::select(&["10.0.0.0/24", "10.0.0.1/32", "::1/64"][..])
            .prop_map(|c| format!(r#"{{"cidr": "{c}"}}"#)),
    ]
}

/// Pattern text: nested objects over the same keys, leaves of 1-3 matchers, some `$or`.
fn pattern_object() -> impl Strategy<Value = String> {
    let leaf = prop::collection::vec(matcher(), 1..3)
        .prop_map(|m| format!("[{}]", m.join(",")))
        .boxed();
    let object = |value: BoxedStrategy<String>| -> BoxedStrategy<String> {
        prop::collection::vec((key(), value), 1..3)
            .prop_map(|members| {
                let body: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(","))
            })
            .boxed()
    };
    let level2 = object(leaf.clone().boxed());
    let level1 = object(prop_oneof![3 => leaf.clone(), 1 => level2].boxed());
    let top = object(prop_oneof![2 => leaf, 2 => level1.clone()].boxed());
    prop_oneof![
        4 => top,
        1 => (level1.clone(), level1.clone()).prop_map(|(x, y)| format!(r#"{{"$or": [{x}, {y}]}}"#)),
        1 => (level1.clone(), level1.clone(), level1).prop_map(|(x, y, z)| {
            let inner = &z[1..];
            format!(r#"{{"$or": [{x}, {y}], {inner}"#)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn machine_agrees_with_interpreter(
        patterns in prop::collection::vec(pattern_object(), 1..5),
        events in prop::collection::vec(event(), 1..6),
    ) {
        let parsed: Vec<(String, EventPattern)> = patterns
            .iter()
            .enumerate()
            .filter_map(|(i, t)| EventPattern::parse(t).ok().map(|p| (format!("r{i}"), p)))
            .collect();
        let mut machine = Machine::new();
        for (name, p) in &parsed {
            machine.add_rule(name, p);
        }
        for event in &events {
            let got: Vec<&str> = machine.matching_rules(event.as_bytes());
            let want: Vec<&str> = parsed
                .iter()
                .filter(|(_, p)| p.matches_text(event).unwrap_or(false))
                .map(|(n, _)| n.as_str())
                .collect();
            prop_assert_eq!(got, want, "patterns {:?} event {}", patterns, event);
            // the early stop, on the same event as serde_json writes it (no repeated key,
            // well-formed), when no dotted key can spell a path twice (its promise)
            let Ok(value) = serde_json::from_str::<serde_json::Value>(event) else {
                continue; // e.g. 1e400, which serde_json does not read
            };
            let canonical = value.to_string();
            if canonical.contains("\"a.b\"") {
                continue;
            }
            let mut scratch = MatchScratch::default();
            let early: Vec<&str> = machine
                .try_matching_ids_stop_early(canonical.as_bytes(), &mut scratch)
                .map(|ids| ids.iter().map(|&id| machine.rule_name(id)).collect())
                .unwrap_or_default();
            let want: Vec<&str> = parsed
                .iter()
                .filter(|(_, p)| p.matches_text(&canonical).unwrap_or(false))
                .map(|(n, _)| n.as_str())
                .collect();
            prop_assert_eq!(early, want, "patterns {:?} event {}", patterns, canonical);
        }
    }
}

/// The early stop reads no further than it must, and no less: a dotted key that leads deeper
/// keeps the object from stopping on a count of children, and arrays never stop.
#[test]
fn stopping_early() {
    let mut m = Machine::new();
    for (name, text) in [
        ("ab", r#"{"a": {"b": [1]}}"#),
        ("ad", r#"{"a": {"d": [3]}}"#),
        ("c", r#"{"c": [2]}"#),
        ("e", r#"{"e": {"f": [4]}}"#),
    ] {
        m.add_rule(name, &EventPattern::parse(text).unwrap());
    }
    let mut scratch = MatchScratch::default();
    let mut early = |event: &str| -> Result<Vec<String>, super::EventError> {
        m.try_matching_ids_stop_early(event.as_bytes(), &mut scratch)
            .map(|ids| ids.iter().map(|&id| m.rule_name(id).to_string()).collect())
    };
    // every named path read before the malformed tail: the tail is never looked at
    assert_eq!(
        early(r#"{"a": {"b": 1, "d": 3}, "c": 2, "e": {"f": 4}, "x": oops"#).unwrap(),
        ["ab", "ad", "c", "e"]
    );
    // "a.b" is not a child of the root: the root keeps reading, and finds "a.d" and "e"
    assert_eq!(
        early(r#"{"a.b": 1, "c": 2, "a.d": 3, "e": {"f": 4}}"#).unwrap(),
        ["ab", "ad", "c", "e"]
    );
    // an array may hold a path again in a later element
    assert_eq!(
        early(r#"{"c": 2, "a": {"d": 3, "b": 0}, "e": [{"f": 0}, {"f": 4}]}"#).unwrap(),
        ["ad", "c", "e"]
    );
    // the checked entry point reads the tail and refuses the event
    assert!(m
        .try_matching_ids(
            br#"{"a": {"b": 1, "d": 3}, "c": 2, "e": {"f": 4}, "x": oops"#,
            &mut MatchScratch::default()
        )
        .is_err());
}
