//! Every preset the app loads is listed in presets/index.json, loads as a template, and runs
//! for its suggested time with conservation holding at every step.

mod common;

use common::*;

#[test]
fn every_preset_is_indexed_loads_and_runs() {
    let dir = format!("{}/../../presets", env!("CARGO_MANIFEST_DIR"));
    let index: serde_json::Value = serde_json::from_str(&preset("index.json")).unwrap();
    let listed: Vec<String> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["file"].as_str().unwrap().to_string())
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    files.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(files, sorted, "presets/index.json lists every preset");
    for entry in index.as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let until =
            eventyard_template::duration::parse_duration_ms(entry["until"].as_str().unwrap())
                .unwrap();
        let mut sim = simulator(&preset(file));
        let records = run_checked(&mut sim, until);
        assert!(!records.is_empty(), "{file} does something");
    }
}
