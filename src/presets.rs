//! The ready scenarios in `presets/`, built into the app so they open without a network.

/// One preset: its id (the file name without `.yaml`), its title, and the template text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub template: &'static str,
}

/// Every preset, in the order the lessons take them.
pub const PRESETS: [Preset; 7] = [
    Preset {
        id: "donut-shop",
        title: "The donut shop: routing and filtering",
        template: include_str!("../presets/donut-shop.yaml"),
    },
    Preset {
        id: "sync-vs-queue",
        title: "Calling versus queueing, with a failing receiver",
        template: include_str!("../presets/sync-vs-queue.yaml"),
    },
    Preset {
        id: "sns-fanout",
        title: "Fan-out with SNS to several queues",
        template: include_str!("../presets/sns-fanout.yaml"),
    },
    Preset {
        id: "dlq-redrive",
        title: "Dead-letter queue and redrive",
        template: include_str!("../presets/dlq-redrive.yaml"),
    },
    Preset {
        id: "fifo-ordering",
        title: "FIFO ordering",
        template: include_str!("../presets/fifo-ordering.yaml"),
    },
    Preset {
        id: "theme-park",
        title: "Ride times in a theme park",
        template: include_str!("../presets/theme-park.yaml"),
    },
    Preset {
        id: "short-vs-long-polling",
        title: "Short polling versus long polling",
        template: include_str!("../presets/short-vs-long-polling.yaml"),
    },
];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
