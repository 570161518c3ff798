//! The simulated passkey authenticator: P-256 key pairs made by WebCrypto, their private halves
//! non-extractable and kept only in this page's memory, by credential id. Like a security key
//! that holds its keys in its chip, nothing leaves it but public keys and signatures; a reload
//! is a different device (its keys are gone).

use std::cell::RefCell;
use std::collections::HashMap;

use web_sys::CryptoKey;

use crate::services::webcrypto;

thread_local! {
    static KEYS: RefCell<HashMap<String, CryptoKey>> = RefCell::new(HashMap::new());
}

/// A new credential: the public key's JWK coordinates (x, y). Refused, as WebAuthn's
/// `InvalidStateError`, when this authenticator already holds one of `exclude` (the account
/// has a passkey here already).
pub async fn create(credential_id: &str, exclude: &[String]) -> Result<(String, String), String> {
    if KEYS.with(|keys| exclude.iter().any(|id| keys.borrow().contains_key(id))) {
        return Err("InvalidStateError: this authenticator already holds a passkey for this account (the options' excludeCredentials names it), so it makes no second one.".into());
    }
    let (private, x, y) = webcrypto::generate_passkey_key()
        .await
        .map_err(|e| format!("WebCrypto could not make a passkey: {e}"))?;
    KEYS.with(|keys| keys.borrow_mut().insert(credential_id.to_string(), private));
    Ok((x, y))
}

/// Signs `data` with the first of `allowed` this authenticator holds: that credential id and
/// the signature, or `None` when it holds none of them.
pub async fn sign(allowed: &[String], data: &[u8]) -> Result<Option<(String, Vec<u8>)>, String> {
    let found = KEYS.with(|keys| {
        let keys = keys.borrow();
        allowed
            .iter()
            .find_map(|id| keys.get(id).map(|key| (id.clone(), key.clone())))
    });
    let Some((id, key)) = found else {
        return Ok(None);
    };
    let signature = webcrypto::sign_es256(&key, data).await?;
    Ok(Some((id, signature)))
}
