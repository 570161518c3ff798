//! Passkeys (`WEB_AUTHN`, choice-based sign-in): the relying party's half of WebAuthn as a user
//! pool plays it. Cognito's relying party id is the user pool's domain (prefix or custom;
//! API reference `WebAuthnConfigurationType.RelyingPartyId`), registration is
//! `StartWebAuthnRegistration` / `CompleteWebAuthnRegistration`, and managed login (version 2
//! only) offers "Sign in with a passkey".
//!
//! The authenticator is simulated by the shell (a P-256 key pair made by WebCrypto, kept in the
//! page's memory). What this module builds and checks follows the WebAuthn Level 3
//! specification: `clientDataJSON`, `authenticatorData` (rpIdHash, flags, signature counter)
//! and the relying party's checks of an assertion (§7.2); the ES256 signature itself is checked
//! by the shell with WebCrypto. Simplified, and said so on the page: the public key travels as
//! a JWK instead of inside a CBOR `attestationObject` (attestation "none"), and signatures are
//! WebCrypto's raw `r || s` instead of DER.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::jwt::{b64url, sha256};
use crate::users::User;
use crate::Pool;

/// Flags of `authenticatorData`: user present, user verified (WebAuthn §6.1).
pub const FLAG_USER_PRESENT: u8 = 0x01;
pub const FLAG_USER_VERIFIED: u8 = 0x04;
/// How long the browser waits for the authenticator (the options' `timeout`, ms).
pub const TIMEOUT_MS: u64 = 180_000;

/// A registered passkey: its credential id and public key (P-256, as JWK coordinates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passkey {
    pub credential_id: String,
    pub x: String,
    pub y: String,
    pub created_ms: u64,
}

/// The relying party id: the host of the pool's managed login.
pub fn rp_id(pool: &Pool) -> &str {
    &pool.domain
}

/// The origin a browser reports for managed login's pages.
pub fn origin(pool: &Pool) -> String {
    format!("https://{}", pool.domain)
}

/// `StartWebAuthnRegistration`'s `CredentialCreationOptions` (PublicKeyCredentialCreationOptions
/// in their JSON form): ES256 and RS256 accepted, a discoverable credential asked for, the
/// user's passkeys excluded so one authenticator is not registered twice.
pub fn creation_options(pool: &Pool, user: &User, challenge: &str) -> Value {
    json!({
        "challenge": challenge,
        "rp": { "id": rp_id(pool), "name": pool.name },
        "user": {
            "id": b64url(user.sub.as_bytes()),
            "name": user.username,
            "displayName": user.email,
        },
        "pubKeyCredParams": [
            { "type": "public-key", "alg": -7 },
            { "type": "public-key", "alg": -257 },
        ],
        "timeout": TIMEOUT_MS,
        "excludeCredentials": credentials(user),
        "authenticatorSelection": {
            "residentKey": "required",
            "userVerification": "preferred",
        },
        "attestation": "none",
    })
}

/// The options of a passkey sign-in (PublicKeyCredentialRequestOptions in their JSON form).
pub fn request_options(pool: &Pool, user: &User, challenge: &str) -> Value {
    json!({
        "challenge": challenge,
        "rpId": rp_id(pool),
        "allowCredentials": credentials(user),
        "timeout": TIMEOUT_MS,
        "userVerification": "preferred",
    })
}

fn credentials(user: &User) -> Value {
    Value::Array(
        user.passkeys
            .iter()
            .map(|p| json!({ "type": "public-key", "id": p.credential_id }))
            .collect(),
    )
}

/// `clientDataJSON` as a browser serializes it (WebAuthn §5.8.1.1: type, challenge, origin,
/// crossOrigin, in that order).
pub fn client_data_json(kind: &str, challenge: &str, origin: &str) -> String {
    format!(
        "{{\"type\":{},\"challenge\":{},\"origin\":{},\"crossOrigin\":false}}",
        Value::from(kind),
        Value::from(challenge),
        Value::from(origin)
    )
}

/// `authenticatorData` of an assertion: SHA-256 of the rp id, the flags, a 4-byte big-endian
/// signature counter (0: synced passkeys do not count).
pub fn authenticator_data(rp_id: &str, flags: u8) -> Vec<u8> {
    let mut data = sha256(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend_from_slice(&0u32.to_be_bytes());
    data
}

/// What the authenticator signs: `authenticatorData || SHA-256(clientDataJSON)` (§6.3.3).
pub fn signed_data(authenticator_data: &[u8], client_data_json: &str) -> Vec<u8> {
    let mut data = authenticator_data.to_vec();
    data.extend_from_slice(&sha256(client_data_json.as_bytes()));
    data
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
}

/// A refused ceremony: the exception Cognito's API reference names for it, and what was wrong.
pub type Refusal = (&'static str, String);

/// The relying party's checks of `clientDataJSON` (§7.1 steps 7-9 and §7.2 steps 11-13):
/// the ceremony's type, the challenge it issued, and its own origin.
pub fn check_client_data(
    pool: &Pool,
    kind: &str,
    challenge: &str,
    client_data_json: &str,
) -> Result<(), Refusal> {
    let data: ClientData = serde_json::from_str(client_data_json).map_err(|e| {
        (
            "InvalidParameterException",
            format!("clientDataJSON does not read: {e}"),
        )
    })?;
    if data.kind != kind {
        return Err((
            "InvalidParameterException",
            format!("clientDataJSON.type is {}, not {kind}", data.kind),
        ));
    }
    if data.challenge != challenge {
        return Err((
            "WebAuthnChallengeNotFoundException",
            "clientDataJSON.challenge is not the challenge the user pool issued".into(),
        ));
    }
    let expected = origin(pool);
    if data.origin != expected {
        return Err((
            "WebAuthnOriginNotAllowedException",
            format!("clientDataJSON.origin is {}, not {expected}", data.origin),
        ));
    }
    Ok(())
}

/// The checks of an assertion before its signature (§7.2): client data, then the rp id hash and
/// the user-present flag in `authenticatorData`.
pub fn check_assertion(
    pool: &Pool,
    challenge: &str,
    client_data_json: &str,
    authenticator_data: &[u8],
) -> Result<(), Refusal> {
    check_client_data(pool, "webauthn.get", challenge, client_data_json)?;
    if authenticator_data.len() < 37 {
        return Err((
            "InvalidParameterException",
            "authenticatorData is shorter than 37 bytes".into(),
        ));
    }
    if authenticator_data[..32] != sha256(rp_id(pool).as_bytes()) {
        return Err((
            "WebAuthnRelyingPartyMismatchException",
            format!(
                "authenticatorData's rpIdHash is not SHA-256 of {}",
                rp_id(pool)
            ),
        ));
    }
    if authenticator_data[32] & FLAG_USER_PRESENT == 0 {
        return Err((
            "NotAuthorizedException",
            "authenticatorData's user-present flag is not set".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Pool {
        Pool::default_pool("us-east-1", "123456789012")
    }

    #[test]
    fn client_data_is_serialized_in_the_specs_order() {
        assert_eq!(
            client_data_json("webauthn.get", "abc", "https://example.com"),
            r#"{"type":"webauthn.get","challenge":"abc","origin":"https://example.com","crossOrigin":false}"#
        );
    }

    #[test]
    fn an_assertion_is_checked_against_type_challenge_origin_and_rp_id() {
        let pool = pool();
        let good = client_data_json("webauthn.get", "c1", &origin(&pool));
        let data = authenticator_data(rp_id(&pool), FLAG_USER_PRESENT | FLAG_USER_VERIFIED);
        assert_eq!(data.len(), 37);
        assert_eq!(check_assertion(&pool, "c1", &good, &data), Ok(()));
        let wrong = [
            (
                client_data_json("webauthn.create", "c1", &origin(&pool)),
                data.clone(),
            ),
            (
                client_data_json("webauthn.get", "c2", &origin(&pool)),
                data.clone(),
            ),
            (
                client_data_json("webauthn.get", "c1", "https://evil.example"),
                data.clone(),
            ),
            (
                good.clone(),
                authenticator_data("evil.example", FLAG_USER_PRESENT),
            ),
            (good.clone(), authenticator_data(rp_id(&pool), 0)),
            (good.clone(), data[..20].to_vec()),
            ("not json".to_string(), data.clone()),
        ];
        for (client_data, authenticator) in wrong {
            assert!(
                check_assertion(&pool, "c1", &client_data, &authenticator).is_err(),
                "{client_data}"
            );
        }
    }

    #[test]
    fn signed_data_is_authenticator_data_then_the_client_data_hash() {
        let data = signed_data(&[1, 2, 3], "{}");
        assert_eq!(&data[..3], &[1, 2, 3]);
        assert_eq!(&data[3..], &sha256(b"{}"));
    }
}
