//! WebCrypto (`crypto.subtle`), the browser's own cryptography: the user pool's RSA signing keys
//! (RSASSA-PKCS1-v1_5 with SHA-256, what RS256 means), signatures and their checks, and PBKDF2
//! for password hashes. The private keys are made non-extractable: no Rust code, storage or
//! link ever holds them. Public keys leave as JWKs, converted with `serde-wasm-bindgen`.
//!
//! Randomness: the key material is WebCrypto's own, and [`random_bytes`] (for the PKCE verifier
//! and `state` that a real client app would make with `crypto.getRandomValues`) is the only
//! other use of the browser's random source. Everything the user pool itself makes up (codes,
//! ids, salts) comes from the engine's seed.

use eventyard_cognito::jwt::Jwk;
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            Reflect::get(&error, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "WebCrypto refused the request".to_string())
}

fn crypto() -> Result<web_sys::Crypto, String> {
    web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(describe)
}

fn subtle() -> Result<SubtleCrypto, String> {
    Ok(crypto()?.subtle())
}

fn object(entries: &[(&str, JsValue)]) -> Result<Object, String> {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).map_err(describe)?;
    }
    Ok(object)
}

fn usages(list: &[&str]) -> JsValue {
    list.iter()
        .map(|u| JsValue::from_str(u))
        .collect::<Array>()
        .into()
}

fn rs256() -> Result<Object, String> {
    object(&[
        ("name", "RSASSA-PKCS1-v1_5".into()),
        ("hash", "SHA-256".into()),
    ])
}

async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(describe)?)
        .await
        .map_err(describe)
}

/// An RSA key pair's private half and its public JWK.
pub struct SigningKey {
    pub private: CryptoKey,
    pub public: Jwk,
}

#[derive(Deserialize)]
struct RsaPublic {
    n: String,
    e: String,
}

/// A new signing key pair for `algorithm`: the private key (non-extractable) and the public
/// key exported as a JWK object.
async fn key_pair(algorithm: &Object) -> Result<(CryptoKey, JsValue), String> {
    let subtle = subtle()?;
    let pair =
        settle(subtle.generate_key_with_object(algorithm, false, &usages(&["sign", "verify"])))
            .await?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "no private key".to_string())?;
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "no public key".to_string())?;
    let exported = settle(subtle.export_key("jwk", &public)).await?;
    Ok((private, exported))
}

/// A new 2048-bit RS256 key pair (Cognito's user pool keys are 2048-bit RSA).
pub async fn generate_signing_key() -> Result<SigningKey, String> {
    let algorithm = object(&[
        ("name", "RSASSA-PKCS1-v1_5".into()),
        ("modulusLength", 2048.into()),
        ("publicExponent", Uint8Array::from(&[1u8, 0, 1][..]).into()),
        ("hash", "SHA-256".into()),
    ])?;
    let (private, exported) = key_pair(&algorithm).await?;
    let parts: RsaPublic = serde_wasm_bindgen::from_value(exported).map_err(|e| e.to_string())?;
    Ok(SigningKey {
        private,
        public: Jwk::rsa(&parts.n, &parts.e),
    })
}

pub async fn sign(key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, String> {
    let signature = settle(subtle()?.sign_with_object_and_u8_array(&rs256()?, key, data)).await?;
    Ok(Uint8Array::new(&signature).to_vec())
}

/// Checks a signature against a JWK as a verifier would: import the key from the JWKS, verify.
pub async fn verify(jwk: &Jwk, data: &[u8], signature: &[u8]) -> Result<bool, String> {
    let key_data: Object = serde_wasm_bindgen::to_value(jwk)
        .map_err(|e| e.to_string())?
        .dyn_into()
        .map_err(|_| "the JWK is not an object".to_string())?;
    verify_with(&key_data, &rs256()?, &rs256()?, data, signature).await
}

/// Imports a public JWK for `import`, then checks `signature` of `data` with `algorithm`.
async fn verify_with(
    key_data: &Object,
    import: &Object,
    algorithm: &Object,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let subtle = subtle()?;
    let key: CryptoKey =
        settle(subtle.import_key_with_object("jwk", key_data, import, false, &usages(&["verify"])))
            .await?
            .dyn_into()
            .map_err(|_| "no key".to_string())?;
    let valid = settle(
        subtle.verify_with_object_and_u8_array_and_u8_array(algorithm, &key, signature, data),
    )
    .await?;
    Ok(valid.as_bool().unwrap_or(false))
}

/// ECDSA on P-256: the passkey keys' algorithm.
fn p256() -> Result<Object, String> {
    object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())])
}

fn es256() -> Result<Object, String> {
    object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())])
}

#[derive(Deserialize)]
struct EcPublic {
    x: String,
    y: String,
}

/// A new P-256 key pair for a simulated passkey: the private half (non-extractable) and the
/// public key's JWK coordinates.
pub async fn generate_passkey_key() -> Result<(CryptoKey, String, String), String> {
    let algorithm = p256()?;
    let (private, exported) = key_pair(&algorithm).await?;
    let parts: EcPublic = serde_wasm_bindgen::from_value(exported).map_err(|e| e.to_string())?;
    Ok((private, parts.x, parts.y))
}

/// An ES256 signature (WebCrypto's raw `r || s`, 64 bytes).
pub async fn sign_es256(key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, String> {
    let signature = settle(subtle()?.sign_with_object_and_u8_array(&es256()?, key, data)).await?;
    Ok(Uint8Array::new(&signature).to_vec())
}

/// Checks an ES256 signature against a P-256 public key given by its JWK coordinates.
pub async fn verify_es256(x: &str, y: &str, data: &[u8], signature: &[u8]) -> Result<bool, String> {
    let key_data = object(&[
        ("kty", "EC".into()),
        ("crv", "P-256".into()),
        ("x", x.into()),
        ("y", y.into()),
        ("ext", true.into()),
    ])?;
    verify_with(&key_data, &p256()?, &es256()?, data, signature).await
}

/// PBKDF2-HMAC-SHA256 of `password`: 32 bytes.
pub async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, String> {
    let subtle = subtle()?;
    let raw = Uint8Array::from(password.as_bytes());
    let base: CryptoKey = settle(subtle.import_key_with_object(
        "raw",
        &raw,
        &object(&[("name", "PBKDF2".into())])?,
        false,
        &usages(&["deriveBits"]),
    ))
    .await?
    .dyn_into()
    .map_err(|_| "no key".to_string())?;
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
    ])?;
    let bits = settle(subtle.derive_bits_with_object(&params, &base, 256)).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// 32 random bytes from `crypto.getRandomValues` (the client app's PKCE verifier and `state`).
pub fn random_bytes() -> Result<[u8; 32], String> {
    let mut bytes = [0u8; 32];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(describe)?;
    Ok(bytes)
}
