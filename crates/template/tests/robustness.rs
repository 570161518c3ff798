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
