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
