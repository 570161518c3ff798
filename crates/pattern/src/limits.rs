//! AWS's limits, in one dated table, so the app can say "AWS as of `date`".

/// One limit with where it comes from and since when it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The figure.
    pub value: usize,
    /// The AWS documentation page that states it.
    pub source: &'static str,
    /// The date (ISO 8601) from which the figure is known to hold.
    pub as_of: &'static str,
}

/// Characters in a rule's event pattern (PutRule; eb-quota "Event pattern", adjustable).
pub const EVENT_PATTERN_CHARS_MAX: Limit = Limit {
    value: 2048,
    source: "eb-quota",
    as_of: "2024-01-01",
};

/// Characters in TestEventPattern's pattern (API_TestEventPattern, EventPattern length).
pub const TEST_EVENT_PATTERN_CHARS_MAX: Limit = Limit {
    value: 4096,
    source: "API_TestEventPattern",
    as_of: "2024-01-01",
};

/// Keys in an SNS filter policy (subscription-filter-policy-constraints).
pub const SNS_FILTER_POLICY_KEYS_MAX: Limit = Limit {
    value: 5,
    source: "subscription-filter-policy-constraints",
    as_of: "2024-05-14",
};

/// Value combinations in an SNS filter policy (subscription-filter-policy-constraints).
pub const SNS_FILTER_POLICY_COMBINATIONS_MAX: Limit = Limit {
    value: 150,
    source: "subscription-filter-policy-constraints",
    as_of: "2024-05-14",
};

/// Bytes of an SNS filter policy (subscription-filter-policy-constraints: 256 KB).
pub const SNS_FILTER_POLICY_BYTES_MAX: Limit = Limit {
    value: 256 * 1024,
    source: "subscription-filter-policy-constraints",
    as_of: "2024-05-14",
};

/// Wildcard complexity (event-ruler's `MachineComplexityEvaluator` measure, see
/// `wildcard::complexity`) a field's wildcards may reach before "Rule is too complex". AWS
/// does not publish the figure. Event-ruler leaves it to the caller (its own tests use 100);
/// a third-party emulator checked against AWS reports that AWS rejects more than 10
/// simultaneously reachable wildcard prefixes, which is the figure used here.
pub const WILDCARD_COMPLEXITY_MAX: Limit = Limit {
    value: 10,
    source: "not published; 10 as observed by others against AWS (event-ruler MachineComplexityEvaluator measure)",
    as_of: "2025-01-01",
};

/// Every limit, for display.
pub const ALL: &[(&str, Limit)] = &[
    (
        "event pattern characters (PutRule)",
        EVENT_PATTERN_CHARS_MAX,
    ),
    (
        "event pattern characters (TestEventPattern)",
        TEST_EVENT_PATTERN_CHARS_MAX,
    ),
    ("SNS filter policy keys", SNS_FILTER_POLICY_KEYS_MAX),
    (
        "SNS filter policy combinations",
        SNS_FILTER_POLICY_COMBINATIONS_MAX,
    ),
    ("SNS filter policy bytes", SNS_FILTER_POLICY_BYTES_MAX),
    ("wildcard complexity", WILDCARD_COMPLEXITY_MAX),
];
