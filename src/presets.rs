//! The ready scenarios in `presets/`, built into the app so they open without a network.
//!
//! `presets/index.json` is the one catalogue (file, title, lesson, suggested run length); the
//! simulator's tests check it and `build.rs` turns it into [`PRESETS`], so the app never keeps a
//! second list of titles or lessons.

use eventyard_template::duration::parse_duration_ms;

/// One preset, as `presets/index.json` describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// The file name without `.yaml`; the value of `#/playground?preset=ID`.
    pub id: &'static str,
    pub title: &'static str,
    /// What the scenario teaches, in a sentence or two: the Learn view shows it.
    pub lesson: &'static str,
    /// The suggested run length as the index writes it (`3m`); see [`Preset::until_ms`].
    pub until: &'static str,
    /// The template text.
    pub template: &'static str,
}

impl Preset {
    /// The suggested run length in virtual milliseconds, read the way `eventyard run --until`
    /// reads it. `None` only if the index holds something that is not a duration (a test
    /// rules that out).
    pub fn until_ms(&self) -> Option<u64> {
        parse_duration_ms(self.until)
    }
}

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Vec<serde_json::Value> {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/presets/index.json"))
                .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn every_preset_file_is_listed_once() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/presets");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".yaml"))
            .map(|name| name.trim_end_matches(".yaml").to_string())
            .collect();
        files.sort();
        let mut listed: Vec<String> = PRESETS.iter().map(|preset| preset.id.to_string()).collect();
        listed.sort();
        assert_eq!(listed, files);
    }

    #[test]
    fn the_catalogue_is_the_index_in_its_order() {
        let index = index();
        assert_eq!(index.len(), PRESETS.len());
        for (entry, preset) in index.iter().zip(PRESETS) {
            assert_eq!(entry["file"], format!("{}.yaml", preset.id));
            assert_eq!(entry["title"], preset.title);
            assert_eq!(entry["lesson"], preset.lesson);
            assert_eq!(entry["until"], preset.until);
            let path = format!("{}/presets/{}.yaml", env!("CARGO_MANIFEST_DIR"), preset.id);
            assert_eq!(std::fs::read_to_string(path).unwrap(), preset.template);
        }
    }

    #[test]
    fn every_suggested_run_length_is_a_duration() {
        for preset in PRESETS {
            assert!(
                preset.until_ms().is_some_and(|ms| ms > 0),
                "{}: {:?}",
                preset.id,
                preset.until
            );
        }
    }

    #[test]
    fn presets_are_found_by_id() {
        assert_eq!(
            find("short-vs-long-polling").map(|preset| preset.title),
            Some("Short polling versus long polling")
        );
        assert_eq!(find("../index"), None);
        assert_eq!(find(""), None);
    }
}
