//! The signed-in user's verified ID token claims, handed from the Sign in view to the
//! playground's send form through session storage: claims only, never a token or a password,
//! and gone when the tab closes. Session storage (not a Rust static) because the views may live
//! in separately loaded wasm modules.

const KEY: &str = "eventyard:signed-in-claims";

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Publishes the claims (or, with `None`, that nobody is signed in).
pub fn publish(claims: Option<&serde_json::Value>) {
    let Some(storage) = session() else { return };
    // A refused write only means the playground does not offer the claims.
    let _ = match claims {
        Some(claims) => storage.set_item(KEY, &claims.to_string()),
        None => storage.remove_item(KEY),
    };
}

/// The signed-in user's claims, if someone is signed in on the Sign in page.
pub fn signed_in_claims() -> Option<serde_json::Value> {
    let text = session()?.get_item(KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}
