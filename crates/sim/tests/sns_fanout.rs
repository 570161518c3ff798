//! Fan-out with SNS to several SQS queues (sns-subscription-filter-policies,
//! sns-message-filtering-scope, sns-large-payload-raw-message-delivery).

mod common;

use common::*;
use eventyard_sim::TraceAction;

#[test]
fn invoices_get_every_raw_message_shipping_only_physical_goods_in_the_envelope() {
    let mut sim = simulator(&preset("sns-fanout.yaml"));
    let records = run_checked(&mut sim, 60_000);
    let invoices = sim.queue_bodies("InvoicesQueue");
    assert_eq!(invoices.len(), 12);
    assert!(
        invoices.iter().all(|b| b.starts_with("{\"orderId\"")),
        "raw delivery: the message itself"
    );
    let shipping = sim.queue_bodies("ShippingQueue");
    assert_eq!(shipping.len(), 6);
    for body in &shipping {
        let envelope: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(envelope["Type"], "Notification");
        assert_eq!(envelope["MessageAttributes"]["kind"]["Value"], "physical");
        assert!(envelope["Message"].as_str().unwrap().contains("\"p-"));
        assert!(envelope["UnsubscribeURL"]
            .as_str()
            .unwrap()
            .starts_with("https://sns.us-east-1.amazonaws.com/"));
    }
    assert_eq!(count(&records, "Shipping", TraceAction::Filtered), 6);
}

#[test]
fn analytics_filters_on_the_message_body() {
    let mut sim = simulator(&preset("sns-fanout.yaml"));
    let records = run_checked(&mut sim, 60_000);
    for body in sim.queue_bodies("AnalyticsQueue") {
        let envelope: serde_json::Value = serde_json::from_str(&body).unwrap();
        let message: serde_json::Value =
            serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
        assert!(message["total"].as_f64().unwrap() >= 100.0);
    }
    let filtered = of(&records, "Analytics", TraceAction::Filtered);
    assert!(!filtered.is_empty());
    assert!(filtered
        .iter()
        .all(|r| r.reason.starts_with("filter policy did not match")));
}
