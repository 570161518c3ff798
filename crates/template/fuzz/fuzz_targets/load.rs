//! Fuzzes the template loader end to end: YAML/JSON text → spanned tree → intrinsics →
//! service readers → cross-resource checks. Any panic or stack overflow is a bug; errors are
//! values. The corpus starts from the presets, so the fuzzer mutates real templates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = eventyard_template::load(text) {
        // Every error is a value with a position and a message.
        for error in errors {
            let _ = error.to_string();
        }
    }
});
