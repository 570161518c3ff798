//! TestEventPattern's check of the event envelope (API_TestEventPattern): the event must be a
//! JSON object with the fields `id`, `account`, `source`, `time`, `region`, `resources` and
//! `detail-type`, else `ValidationException: Parameter Event is not valid.`.
//!
//! The API reference lists all seven as mandatory; LocalStack's AWS-validated snapshots
//! agree for every case they cover (a string, an array, an object missing fields).

/// The fields TestEventPattern requires (API_TestEventPattern, "Event").
pub const REQUIRED_FIELDS: &[&str] = &[
    "id",
    "account",
    "source",
    "time",
    "region",
    "resources",
    "detail-type",
];

/// AWS's error code for a bad envelope.
pub const INVALID_EVENT_CODE: &str = "ValidationException";

/// AWS's message for a bad envelope.
pub const INVALID_EVENT_MESSAGE: &str = "Parameter Event is not valid.";

/// The first required field the event lacks, or `None` when the envelope is acceptable.
/// A value that is not a JSON object lacks them all (reported as `id`).
pub fn missing_envelope_field(event: &serde_json::Value) -> Option<&'static str> {
    let Some(map) = event.as_object() else {
        return REQUIRED_FIELDS.first().copied();
    };
    REQUIRED_FIELDS
        .iter()
        .copied()
        .find(|field| !map.contains_key(*field))
}

/// Checks the envelope as TestEventPattern does; `Err` carries AWS's message.
pub fn validate_test_event(event: &serde_json::Value) -> Result<(), &'static str> {
    match missing_envelope_field(event) {
        None => Ok(()),
        Some(_) => Err(INVALID_EVENT_MESSAGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // API_TestEventPattern: the mandatory envelope fields.
    #[test]
    fn envelope_needs_every_required_field() {
        let full = json!({"id": "1", "account": "123456789012", "source": "s", "time": "2024-01-01T00:00:00Z",
            "region": "us-east-1", "resources": [], "detail-type": "t", "detail": {}});
        assert_eq!(validate_test_event(&full), Ok(()));
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove("region");
        assert_eq!(missing_envelope_field(&partial), Some("region"));
        assert_eq!(
            validate_test_event(&json!("text")),
            Err("Parameter Event is not valid.")
        );
        assert_eq!(
            validate_test_event(&json!([1])),
            Err("Parameter Event is not valid.")
        );
    }
}
