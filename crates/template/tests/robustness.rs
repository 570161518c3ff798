//! The loader never panics on user input: arbitrary text, and real templates cut anywhere.

use proptest::prelude::*;

const TEMPLATE: &str = include_str!("../../../presets/theme-park.yaml");

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_gives_a_result_not_a_panic(text in "\\PC{0,200}") {
        let _ = eventyard_template::load(&text);
    }

    #[test]
    fn yamlish_text_gives_a_result_not_a_panic(text in "[ {}\\[\\]:,!&*|>#'\"\\-\\n\\tA-Za-z0-9.$]{0,300}") {
        let _ = eventyard_template::load(&text);
    }

    #[test]
    fn a_preset_with_a_slice_cut_out_gives_a_result_not_a_panic(start in 0usize..7000, len in 0usize..200) {
        let start = start.min(TEMPLATE.len());
        let end = (start + len).min(TEMPLATE.len());
        if TEMPLATE.is_char_boundary(start) && TEMPLATE.is_char_boundary(end) {
            let text = format!("{}{}", &TEMPLATE[..start], &TEMPLATE[end..]);
            let _ = eventyard_template::load(&text);
        }
    }
}

#[test]
fn huge_numbers_and_deep_nesting_are_refused_cleanly() {
    let text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 99999999999999999999999\n";
    assert!(eventyard_template::load(text).is_err());
    let deep = format!("Resources: {}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(eventyard_template::load(&deep).is_err());
}

/// Conditions naming each other in any shape (cycles, unknown names, wrong arity, long chains)
/// and `Fn::If`/`AWS::NoValue` anywhere give a result, not a panic or a stack overflow.
const CONDITIONS: &str = "Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  A: !Equals [!Ref Env, prod]
  B: !And [!Condition A, !Condition C]
  C: !Or [!Condition A, !Not [!Equals [!Ref 'AWS::Region', x]]]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: B
    Properties:
      VisibilityTimeout: !If [C, 10, !Ref AWS::NoValue]
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: |
        {\"source\": [\"a\"]}
      Targets: [!If [B, {Id: q, Arn: !GetAtt Q.Arn}, !Ref AWS::NoValue]]
";

fn condition_text() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["A", "B", "C", "D", "Nope"]);
    let leaf = prop_oneof![
        name.prop_map(|n| format!("{{Condition: {n}}}")),
        Just("!Equals [!Ref Env, prod]".to_string()),
        Just("!Equals [x]".to_string()),
        Just("!Ref Env".to_string()),
        Just("true".to_string()),
    ];
    leaf.prop_recursive(4, 24, 11, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..12)
                .prop_map(|items| format!("{{Fn::And: [{}]}}", items.join(", "))),
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|items| format!("{{Fn::Or: [{}]}}", items.join(", "))),
            prop::collection::vec(inner, 0..2)
                .prop_map(|items| format!("{{Fn::Not: [{}]}}", items.join(", "))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_conditions_template_with_a_slice_cut_out_gives_a_result_not_a_panic(start in 0usize..600, len in 0usize..60) {
        let start = start.min(CONDITIONS.len());
        let end = (start + len).min(CONDITIONS.len());
        if CONDITIONS.is_char_boundary(start) && CONDITIONS.is_char_boundary(end) {
            let text = format!("{}{}", &CONDITIONS[..start], &CONDITIONS[end..]);
            let _ = eventyard_template::load(&text);
        }
    }

    #[test]
    fn random_conditions_give_a_result_not_a_panic(a in condition_text(), b in condition_text(), c in condition_text(), d in condition_text()) {
        let text = format!(
            "Parameters:\n  Env: {{Type: String, Default: prod}}\nConditions:\n  A: {a}\n  B: {b}\n  C: {c}\n  D: {d}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: D\n    Properties:\n      DelaySeconds: !If [A, 1, !Ref AWS::NoValue]\n"
        );
        let _ = eventyard_template::load(&text);
    }
}

#[test]
fn the_conditions_template_loads() {
    let template = eventyard_template::load(CONDITIONS).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template.queues.len(), 1);
    assert_eq!(template.rules[0].targets.len(), 1);
}

#[test]
fn a_long_chain_of_conditions_is_refused_or_evaluated_without_overflow() {
    let mut text = String::from("Conditions:\n  C0: !Equals [a, a]\n");
    for i in 1..5_000 {
        text.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i + 1));
    }
    text.push_str(
        "  C5000: !Condition C1\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C1\n",
    );
    let errors = eventyard_template::load(&text).err().unwrap_or_default();
    assert_eq!(
        errors[0].to_string(),
        "line 3, column 3: C1: Template format error: Circular dependency between conditions [C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, ... (5000 conditions in all)]"
    );
}

#[test]
fn resources_whose_fifo_flags_name_each_other_resolve_without_recursing_forever() {
    let text = "Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: !GetAtt B.Arn
  B:
    Type: AWS::SNS::Topic
    Properties:
      FifoTopic: !If [Never, true, !GetAtt A.Arn]
Conditions:
  Never: !Equals [a, b]
";
    assert!(eventyard_template::load(text).is_err());
}

/// One rule for integer properties, numbers and numeric strings alike: the exact value written
/// must be a whole number. `11941e-579` was read as the double 0 and accepted while `1e-5` was
/// refused.
#[test]
fn integer_properties_follow_one_rule_for_numbers() {
    let queue = |value: &str| {
        format!("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: {value}\n")
    };
    for refused in [
        "11941e-579",
        "1e-5",
        "'1e-5'",
        "30.000000000000000001",
        "'11941e-579'",
        "1e400",
        "-1",
    ] {
        let errors = eventyard_template::load(&queue(refused))
            .err()
            .unwrap_or_default();
        assert!(
            errors
                .first()
                .is_some_and(|e| e.message.starts_with("Invalid value for VisibilityTimeout")),
            "{refused}: {errors:?}"
        );
    }
    for (accepted, seconds) in [
        ("30", 30),
        ("'30'", 30),
        ("30.0", 30),
        ("1e2", 100),
        ("'1e2'", 100),
        ("0", 0),
    ] {
        let template = eventyard_template::load(&queue(accepted))
            .unwrap_or_else(|e| panic!("{accepted}: {e:?}"));
        assert_eq!(
            template.queues[0].visibility_timeout_s, seconds,
            "{accepted}"
        );
    }
}
