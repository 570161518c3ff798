//! Theme park ride times (SEMANTICS.md: the workshop's real-time module).

mod common;

use common::*;
use eventyard_sim::TraceAction;

#[test]
fn every_minute_the_display_gets_a_summary_with_the_rides_inside_a_json_string() {
    let mut sim = simulator(&preset("theme-park.yaml"));
    let _ = run_checked(&mut sim, 300_500);
    let bodies = sim.queue_bodies("DisplayQueue");
    assert_eq!(bodies.len(), 5, "one summary a minute for five minutes");
    let summary: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    let rides: serde_json::Value = serde_json::from_str(summary["msg"].as_str().unwrap()).unwrap();
    assert_eq!(rides.as_array().unwrap().len(), 3);
    assert_eq!(sim.queue_depth("MetricsQueue"), Some(5));
}

#[test]
fn closed_rides_raise_outages_routed_by_severity() {
    let mut sim = simulator(&preset("theme-park.yaml"));
    let records = run_checked(&mut sim, 120_500);
    // Two fires of the schedule; two closed rides each time.
    assert_eq!(count(&records, "OutageHandler", TraceAction::Received), 4);
    let sms = of(&records, "SmsTopic.Subscription[0]", TraceAction::Delivered);
    let email = of(
        &records,
        "EmailTopic.Subscription[0]",
        TraceAction::Delivered,
    );
    assert_eq!((sms.len(), email.len()), (2, 2));
    for r in &sms {
        assert!(r
            .payload
            .as_ref()
            .unwrap()
            .as_str()
            .unwrap()
            .contains("Emergency"));
    }
    // sns-email-notifications: an email is a subject and a body (the message and a footer).
    for r in &email {
        let email = r.payload.as_ref().unwrap();
        assert_eq!(email["Subject"], "AWS Notification Message");
        assert!(email["Body"].as_str().unwrap().contains("Warning"));
    }
    // The open ride never reaches the outage handler.
    let handled: Vec<_> = of(&records, "OutageHandler", TraceAction::Received);
    assert!(handled
        .iter()
        .all(|r| !r.payload.as_ref().unwrap().to_string().contains("ride-1")));
}

#[test]
fn the_sms_inbox_shows_the_latest_emergencies() {
    let mut sim = simulator(&preset("theme-park.yaml"));
    run_checked(&mut sim, 180_500);
    let sms = sim.inbox("SmsTopic.Subscription[0]");
    assert_eq!(sms.len(), 3);
    assert!(sms
        .iter()
        .all(|(_, text)| text.as_str().unwrap().contains("Emergency")));
    assert!(sms.windows(2).all(|w| w[0].0 < w[1].0), "oldest first");
    assert!(
        sim.inbox("DisplaySubscription").is_empty(),
        "an SQS subscription is not an inbox"
    );
}
