//! Builds the app's preset catalogue from `presets/index.json`, the one list of presets that the
//! simulator's tests also check, so titles, lessons and run lengths are written in one place.
//!
//! Writes `$OUT_DIR/presets.rs`: a `PRESETS` array, in the order of the index (the order of the
//! lessons), each entry with the template's text through `include_str!` of its absolute path.
//! Anything wrong in the index stops the build with a message naming the entry.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=presets");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let presets_dir = manifest_dir.join("presets");
    let index_path = presets_dir.join("index.json");
    let index_text = std::fs::read_to_string(&index_path)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", index_path.display())));
    let code = catalogue(&index_text, &presets_dir).unwrap_or_else(|message| {
        fail(&format!("{}: {message}", index_path.display()));
    });
    let out = PathBuf::from(env_var("OUT_DIR")).join("presets.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("cargo did not set {name}")))
}

fn fail(message: &str) -> ! {
    panic!("presets catalogue: {message}");
}

/// The generated Rust source for the index's entries, or what is wrong with the index.
fn catalogue(index_text: &str, presets_dir: &Path) -> Result<String, String> {
    let index: serde_json::Value =
        serde_json::from_str(index_text).map_err(|e| format!("not JSON: {e}"))?;
    let entries = index
        .as_array()
        .filter(|entries| !entries.is_empty())
        .ok_or("the index must be a non-empty JSON array of presets")?;
    let mut ids = BTreeSet::new();
    let mut code = format!(
        "/// Every preset, in the order of `presets/index.json` (the order of the lessons).\n\
         pub const PRESETS: [Preset; {}] = [\n",
        entries.len()
    );
    for (position, entry) in entries.iter().enumerate() {
        let text = |key: &str| -> Result<&str, String> {
            entry
                .get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|value| !value.trim().is_empty())
                .ok_or_else(|| format!("entry {position}: \"{key}\" must be a non-empty string"))
        };
        let file = text("file")?;
        // A plain file name in presets/, so that the id is a safe URL fragment value too.
        let id = file
            .strip_suffix(".yaml")
            .filter(|id| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .ok_or_else(|| format!("entry {position}: file {file:?} must be a lower-case-kebab name ending in .yaml"))?;
        if !ids.insert(id) {
            return Err(format!("entry {position}: {file} is listed twice"));
        }
        let path = presets_dir.join(file);
        if !path.is_file() {
            return Err(format!("entry {position}: no file {}", path.display()));
        }
        let path = path
            .to_str()
            .ok_or_else(|| format!("entry {position}: the path of {file} is not UTF-8"))?;
        // `{:?}` of a str is a valid Rust string literal (quotes and backslashes escaped).
        code.push_str(&format!(
            "    Preset {{\n        id: {id:?},\n        title: {:?},\n        lesson: {:?},\n        until: {:?},\n        template: include_str!({path:?}),\n    }},\n",
            text("title")?,
            text("lesson")?,
            text("until")?,
        ));
    }
    code.push_str("];\n");
    Ok(code)
}
