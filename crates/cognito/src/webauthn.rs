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
use crate::users::{error, incorrect, AuthError, Field, User, UserStatus, UserStore};
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

/// Passkeys need `WEB_AUTHN` among the pool's first factors.
fn enabled(pool: &Pool) -> Result<(), AuthError> {
    if pool.allows("WEB_AUTHN") {
        Ok(())
    } else {
        Err(error(
            "WebAuthnNotEnabledException",
            "WEB_AUTHN is not an allowed first authentication factor of this user pool (Policies.SignInPolicy.AllowedFirstAuthFactors)",
            Field::Form,
        ))
    }
}

/// The user pool's side of passkeys, on its users.
impl UserStore {
    /// A passkey registration for a signed-in user, as managed login's `/passkeys/add` page
    /// (version 2 only) or `StartWebAuthnRegistration` begins it: a challenge and the
    /// `CredentialCreationOptions`. (The API takes an access token with the scope
    /// `aws.cognito.signin.user.admin`; managed login's page runs in its own session.)
    pub fn start_passkey_registration(
        &mut self,
        pool: &Pool,
        username: &str,
    ) -> Result<(String, serde_json::Value), AuthError> {
        enabled(pool)?;
        let challenge = crate::jwt::b64url(&self.seeds.bytes("webauthn-challenge"));
        let user = self.users.get(username).ok_or_else(incorrect)?;
        let options = creation_options(pool, user, &challenge);
        Ok((challenge, options))
    }

    /// A credential id for a new passkey (the simulated authenticator's, from the seed).
    pub fn new_credential_id(&mut self) -> String {
        crate::jwt::b64url(&self.seeds.bytes("credential-id")[..16])
    }

    /// `CompleteWebAuthnRegistration`: the client data must answer the challenge from the
    /// pool's own origin; the public key is kept.
    pub fn complete_passkey_registration(
        &mut self,
        pool: &Pool,
        username: &str,
        challenge: &str,
        client_data_json: &str,
        passkey: Passkey,
    ) -> Result<(), AuthError> {
        check_client_data(pool, "webauthn.create", challenge, client_data_json)
            .map_err(|(exception, message)| error(exception, message, Field::Form))?;
        let user = self.users.get_mut(username).ok_or_else(incorrect)?;
        user.passkeys.push(passkey);
        Ok(())
    }

    /// Passkey sign-in, step one: the user's passkeys as `allowCredentials` and a challenge.
    /// A user who is unknown, unconfirmed or without a passkey gets no options, and the page
    /// says only that no passkey answered (managed login does not tell who has an account).
    pub fn start_passkey_sign_in(
        &mut self,
        pool: &Pool,
        login: &str,
    ) -> Result<Option<(String, String, serde_json::Value)>, AuthError> {
        enabled(pool)?;
        let challenge = crate::jwt::b64url(&self.seeds.bytes("webauthn-challenge"));
        let Some(user) = self.find(pool, login) else {
            return Ok(None);
        };
        if user.status != UserStatus::Confirmed || user.passkeys.is_empty() {
            return Ok(None);
        }
        let options = request_options(pool, user, &challenge);
        Ok(Some((user.username.clone(), challenge, options)))
    }

    /// Passkey sign-in, step two: the relying party's checks before the signature; the passkey
    /// whose public key must verify it.
    pub fn passkey_for_assertion(
        &self,
        pool: &Pool,
        username: &str,
        challenge: &str,
        credential_id: &str,
        client_data_json: &str,
        authenticator_data: &[u8],
    ) -> Result<Passkey, AuthError> {
        check_assertion(pool, challenge, client_data_json, authenticator_data)
            .map_err(|(exception, message)| error(exception, message, Field::Form))?;
        self.users
            .get(username)
            .and_then(|u| u.passkeys.iter().find(|p| p.credential_id == credential_id))
            .cloned()
            .ok_or_else(|| {
                error(
                    "NotAuthorizedException",
                    "The credential is not a passkey of this user.",
                    Field::Form,
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::tests::signed_up;

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

    /// A passkey: registration needs WEB_AUTHN; its client data must answer
    /// the challenge from the pool's origin; sign-in offers the user's passkeys and checks the
    /// assertion before the shell checks the signature.
    #[test]
    fn a_passkey_is_registered_then_offered_and_checked_at_sign_in() {
        let pool = pool();
        let mut store = UserStore::new(1);
        let (name, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
        store
            .confirm_sign_up(&pool, "ana@example.com", &mail.code, 0)
            .expect("confirmed");
        // Nobody has a passkey yet: no options, and nothing said about the user.
        assert_eq!(
            store.start_passkey_sign_in(&pool, "ana@example.com"),
            Ok(None)
        );
        let (challenge, options) = store
            .start_passkey_registration(&pool, &name)
            .expect("options");
        assert_eq!(options["rp"]["id"], serde_json::json!(pool.domain));
        let origin = origin(&pool);
        let passkey = Passkey {
            credential_id: store.new_credential_id(),
            x: "x".into(),
            y: "y".into(),
            created_ms: 1,
        };
        let wrong = client_data_json("webauthn.create", "another", &origin);
        assert_eq!(
            store
                .complete_passkey_registration(&pool, &name, &challenge, &wrong, passkey.clone())
                .map_err(|e| e.exception),
            Err("WebAuthnChallengeNotFoundException")
        );
        let created = client_data_json("webauthn.create", &challenge, &origin);
        store
            .complete_passkey_registration(&pool, &name, &challenge, &created, passkey.clone())
            .expect("registered");
        let (user, challenge, options) = store
            .start_passkey_sign_in(&pool, "ana@example.com")
            .expect("allowed")
            .expect("options");
        assert_eq!(user, name);
        assert_eq!(
            options["allowCredentials"][0]["id"],
            serde_json::json!(passkey.credential_id)
        );
        let client_data = client_data_json("webauthn.get", &challenge, &origin);
        let authenticator =
            authenticator_data(rp_id(&pool), FLAG_USER_PRESENT | FLAG_USER_VERIFIED);
        assert_eq!(
            store.passkey_for_assertion(
                &pool,
                &name,
                &challenge,
                &passkey.credential_id,
                &client_data,
                &authenticator
            ),
            Ok(passkey.clone())
        );
        assert!(store
            .passkey_for_assertion(
                &pool,
                &name,
                &challenge,
                "other",
                &client_data,
                &authenticator
            )
            .is_err());
        let mut password_only = pool.clone();
        password_only.allowed_first_auth_factors = vec!["PASSWORD".into()];
        assert_eq!(
            store
                .start_passkey_sign_in(&password_only, "ana@example.com")
                .map_err(|e| e.exception),
            Err("WebAuthnNotEnabledException")
        );
    }
}
