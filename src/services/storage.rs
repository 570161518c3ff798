//! Local storage, where work is autosaved so that opening a link never loses it.
//!
//! Storage can be missing or refuse writes (private windows, a full quota, a policy); those are
//! normal conditions, reported as values, never panics.

use std::fmt;

/// Why a value could not be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser offers no local storage to this page.
    Unavailable,
    /// The browser refused the write, typically because the quota is full.
    Refused,
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable => {
                f.write_str("this browser offers no local storage here; work is not autosaved")
            }
            StorageError::Refused => f.write_str(
                "the browser refused to save (storage may be full); work is not autosaved",
            ),
        }
    }
}

fn local_storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

/// Every key this app writes starts with this, so it never reads or clobbers another app's data
/// on the same origin.
const KEY_PREFIX: &str = "eventyard:";

/// The value saved under `key`, if there is one and storage is readable.
pub fn load(key: &str) -> Option<String> {
    local_storage()
        .ok()?
        .get_item(&format!("{KEY_PREFIX}{key}"))
        .ok()
        .flatten()
}

/// Saves `value` under `key`.
pub fn save(key: &str, value: &str) -> Result<(), StorageError> {
    local_storage()?
        .set_item(&format!("{KEY_PREFIX}{key}"), value)
        .map_err(|_| StorageError::Refused)
}

/// Forgets the value under `key` (nothing happens when there is none).
pub fn remove(key: &str) -> Result<(), StorageError> {
    local_storage()?
        .remove_item(&format!("{KEY_PREFIX}{key}"))
        .map_err(|_| StorageError::Refused)
}

/// How many unreadable saves of one view are kept aside at most; past that the last slot is
/// reused (the page offers each for download as soon as it is put aside).
const ASIDE_SLOTS: usize = 20;

fn aside_key(key: &str, slot: usize) -> String {
    format!("{key}:unreadable:{slot}")
}

/// The document autosaved under `key`, if one is there and reads. A save that does not read is
/// moved aside first (see [`kept_aside`]), so the autosave that follows cannot overwrite it.
pub fn restore<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let saved = load(key)?;
    match crate::state::autosave::decode(&saved) {
        crate::state::autosave::Restored::Document(document) => Some(document),
        crate::state::autosave::Restored::Unreadable(why) => {
            let slot = (1..=ASIDE_SLOTS)
                .find(|&slot| load(&aside_key(key, slot)).is_none())
                .unwrap_or(ASIDE_SLOTS);
            let aside = serde_json::json!({ "why": why, "text": saved }).to_string();
            // If even this write is refused, the save stays under `key` and the autosave is
            // what fails next; there is nowhere else to keep it.
            if save(&aside_key(key, slot), &aside).is_ok() {
                let _ = remove(key);
            }
            None
        }
    }
}

/// The document autosaved under `key` if it reads, leaving the save as it is: for a view that
/// reads another view's work (sign-in reads the playground's template for its user pool).
pub fn peek<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    match crate::state::autosave::decode(&load(key)?) {
        crate::state::autosave::Restored::Document(document) => Some(document),
        crate::state::autosave::Restored::Unreadable(_) => None,
    }
}

/// Saves `document` under `key` in the current autosave format.
pub fn autosave<T: serde::Serialize>(key: &str, document: &T) -> Result<(), String> {
    let text = crate::state::autosave::encode(document)?;
    save(key, &text).map_err(|e| e.to_string())
}

/// A save that could not be read, kept aside: its slot, why, and its text as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptAside {
    pub slot: usize,
    pub why: String,
    pub text: String,
}

/// Every unreadable save of `key` kept aside, oldest first.
pub fn kept_aside(key: &str) -> Vec<KeptAside> {
    (1..=ASIDE_SLOTS)
        .filter_map(|slot| {
            let value: serde_json::Value =
                serde_json::from_str(&load(&aside_key(key, slot))?).ok()?;
            Some(KeptAside {
                slot,
                why: value.get("why")?.as_str()?.to_string(),
                text: value.get("text")?.as_str()?.to_string(),
            })
        })
        .collect()
}

/// Forgets one save kept aside (after the person downloaded it or chose to drop it).
pub fn forget_aside(key: &str, slot: usize) -> Result<(), StorageError> {
    remove(&aside_key(key, slot))
}
