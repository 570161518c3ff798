//! Fuzzes the whole public path: pattern and policy parsing, matching and explaining. The
//! input is split at the first NUL byte into pattern text and event text, so the fuzzer
//! evolves both. Any panic, stack overflow or disagreement between `matches` and
//! `explain` is a bug.
#![no_main]

use eventyard_pattern::{EventPattern, FilterPolicy, FilterPolicyScope};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (pattern_text, event_text) = text.split_once('\0').unwrap_or((text, "{}"));
    if let Ok(pattern) = EventPattern::parse_for_test(pattern_text) {
        if let Ok(matched) = pattern.matches_text(event_text) {
            let explained = pattern.explain_text(event_text).map(|e| e.matched()).ok();
            assert_eq!(explained, Some(matched), "explain disagrees with matches");
        }
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(event_text) {
            let _ = pattern.matches(&value);
        }
    }
    for scope in [FilterPolicyScope::MessageAttributes, FilterPolicyScope::MessageBody] {
        if let Ok(policy) = FilterPolicy::parse(pattern_text, scope) {
            let _ = policy.matches_body(event_text);
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(event_text) {
                let _ = policy.matches_attributes(&value);
            }
        }
    }
});
