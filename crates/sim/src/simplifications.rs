//! What the simulator simplifies on purpose, in words a learner reads. The page and the CLI show
//! this list so nobody mistakes a choice of ours for AWS behaviour. Keep it current: a new
//! simplification in the engine gets a line here in the same change.

/// One simplification: the area it concerns and what we do instead of AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simplification {
    pub area: &'static str,
    pub text: &'static str,
}

pub const SIMPLIFICATIONS: &[Simplification] = &[
    Simplification {
        area: "Names",
        text: "A resource's physical name is its name property or its logical id; CloudFormation would add the stack name and a random suffix.",
    },
    Simplification {
        area: "Latency",
        text: "Hops between services take fixed times of our choosing (20 ms from a rule to its target, 10 ms from a topic to a subscriber); AWS publishes no figures and real latency varies.",
    },
    Simplification {
        area: "EventBridge retries",
        text: "Retries back off exponentially with seeded jitter, capped at 8 minutes so that 185 attempts span about 24 hours; AWS does not publish its exact schedule.",
    },
    Simplification {
        area: "SNS signatures",
        text: "Signature in SNS envelopes has a real signature's shape (base64 of 256 bytes, SignatureVersion as the topic sets it) but is a placeholder that verifies against nothing; SigningCertURL and UnsubscribeURL point at no real certificate or endpoint.",
    },
    Simplification {
        area: "Receipt handles",
        text: "A ReceiptHandle is the message id and a receive counter (m#3), a placeholder for AWS's opaque token; it still changes with every receive, as AWS's does.",
    },
    Simplification {
        area: "Short polling",
        text: "A short poll sees each visible message of a standard queue with a seeded 50% chance (AWS samples a subset of its servers and does not publish how many); a short poll's round trip takes 20 ms.",
    },
    Simplification {
        area: "Lambda pollers",
        text: "While its queue is empty, an event source mapping keeps five pollers (fewer with MaximumConcurrency), each ending a 20-second long poll empty; AWS documents the long polling, not how many pollers idle.",
    },
    Simplification {
        area: "Outages",
        text: "A function, queue or inbox endpoint declared Down fails every call in its window, as during throttling or a service disruption; real failures are partial and vary.",
    },
    Simplification {
        area: "Functions",
        text: "Functions are declared behaviours (duration, failures, sends), never code; there are no cold starts, versions or aliases.",
    },
    Simplification {
        area: "Permissions",
        text: "Resource policies and IAM roles are not evaluated: every delivery is allowed, except to a subscription endpoint declared Refused, which stands for one whose policy no longer lets SNS deliver (a client-side error, not retried).",
    },
];

#[cfg(test)]
mod tests {
    use super::SIMPLIFICATIONS;

    #[test]
    fn every_simplification_says_something() {
        for s in SIMPLIFICATIONS {
            assert!(!s.area.is_empty() && s.text.ends_with('.'), "{s:?}");
        }
    }

    /// The figures quoted are the ones the engine uses.
    #[test]
    fn quoted_figures_match_the_engine() {
        let text = |area: &str| {
            SIMPLIFICATIONS
                .iter()
                .find(|s| s.area == area)
                .map_or("", |s| s.text)
        };
        let latency = text("Latency");
        assert!(latency.contains(&format!(
            "{} ms from a rule",
            crate::sim::EVENTBRIDGE_TO_TARGET_MS
        )));
        assert!(latency.contains(&format!(
            "{} ms from a topic",
            crate::sim::SNS_TO_SUBSCRIBER_MS
        )));
        let polling = text("Short polling");
        assert!(polling.contains(&format!("{}%", crate::workers::SHORT_POLL_SAMPLE_PERCENT)));
        assert!(polling.contains(&format!("{} ms", crate::workers::SHORT_POLL_ROUND_TRIP_MS)));
    }
}
