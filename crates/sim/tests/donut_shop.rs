//! The donut shop preset: routing and filtering (PRODUCT.md "Learn"; SEMANTICS.md presets).

mod common;

use common::*;
use eventyard_sim::TraceAction;

#[test]
fn pie_orders_never_reach_the_donut_maker() {
    let mut sim = simulator(&preset("donut-shop.yaml"));
    let records = run_checked(&mut sim, 120_000);
    let batches = of(&records, "DonutMaker", TraceAction::Received);
    assert!(!batches.is_empty(), "the donut maker worked");
    for batch in &batches {
        let body = batch.payload.as_ref().unwrap()["Records"][0]["body"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            body.contains("\"type\":\"donut\""),
            "donut maker got {body}"
        );
    }
    // Every pie order was filtered by the donut rule, with the pattern's reason.
    let filtered = of(&records, "DonutRule", TraceAction::Filtered);
    let orders = of(&records, "ShopBus", TraceAction::Received)
        .into_iter()
        .filter(|r| r.payload.as_ref().unwrap()["source"] == "shop.web")
        .count();
    let pies = of(&records, "ShopBus", TraceAction::Received)
        .into_iter()
        .filter(|r| r.payload.as_ref().unwrap()["detail"]["type"] == "pie")
        .count();
    assert_eq!(orders, 20);
    assert!(pies > 0);
    // DonutReady events from the kitchen are also filtered by the donut rule (wrong source).
    assert!(filtered.len() >= pies);
    assert!(filtered.iter().all(|r| !r.reason.is_empty()));
}

#[test]
fn receipts_take_every_order_and_inventory_takes_everything() {
    let mut sim = simulator(&preset("donut-shop.yaml"));
    let records = run_checked(&mut sim, 120_000);
    assert_eq!(count(&records, "ReceiptService", TraceAction::Received), 20);
    let kitchen = of(&records, "ShopBus", TraceAction::Received).len() - 20;
    assert!(kitchen > 0, "the donut maker announced donuts");
    assert_eq!(
        count(&records, "InventoryQueue", TraceAction::Received),
        20 + kitchen
    );
    assert_eq!(
        sim.queue_depth("DonutQueue"),
        Some(0),
        "the donut queue drained"
    );
}
