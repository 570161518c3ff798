//! JSON Web Tokens (RFC 7519) as Cognito issues them: header `{"kid","alg":"RS256"}`, base64url
//! segments without padding, RSASSA-PKCS1-v1_5 with SHA-256. Signing and signature checks are
//! behind [`Signer`] and [`Verifier`]: the browser does them with WebCrypto, tests with a fake;
//! this crate builds the signing input and checks everything else the way
//! https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
//! lists it (structure, `alg`, `kid` in the JWKS, signature, `exp`, `iss`, `aud`/`client_id`,
//! `token_use`).

use std::fmt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// One key of a JSON Web Key Set, as `/.well-known/jwks.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub alg: String,
    pub e: String,
    pub kid: String,
    pub kty: String,
    pub n: String,
    #[serde(rename = "use")]
    pub use_: String,
}

impl Jwk {
    /// The public half of an RSA key from its base64url modulus and exponent; the `kid` is made
    /// from the modulus (Cognito's kids are base64 strings ending in `=`, like this one).
    pub fn rsa(n: &str, e: &str) -> Jwk {
        Jwk {
            alg: "RS256".into(),
            e: e.into(),
            kid: STANDARD.encode(sha256(n.as_bytes())),
            kty: "RSA".into(),
            n: n.into(),
            use_: "sig".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

impl Jwks {
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Signs `input` with the private key whose public key has `kid`.
pub trait Signer {
    fn sign(&self, kid: &str, input: &[u8]) -> Vec<u8>;
}

/// Checks an RS256 signature against a public key.
pub trait Verifier {
    fn verify(&self, key: &Jwk, input: &[u8], signature: &[u8]) -> bool;
}

/// `base64url(header).base64url(payload)`: what gets signed.
pub fn signing_input(kid: &str, claims: &Value) -> String {
    let header = json!({ "kid": kid, "alg": "RS256" });
    format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    )
}

pub fn assemble(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", b64url(signature))
}

/// A token taken apart (nothing checked yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub header: Value,
    pub claims: Value,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

impl Decoded {
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn claim_u64(&self, name: &str) -> Option<u64> {
        self.claims.get(name).and_then(Value::as_u64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    Malformed(String),
    Algorithm(String),
    UnknownKey(String),
    Signature,
    Expired { exp_s: u64, now_s: u64 },
    Issuer(String),
    Audience(String),
    TokenUse(String),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Malformed(why) => write!(f, "Not a JWT: {why}"),
            VerifyError::Algorithm(alg) => {
                write!(f, "The header's alg is {alg}; Cognito signs with RS256 only")
            }
            VerifyError::UnknownKey(kid) => {
                write!(f, "No key in the JWKS has the header's kid {kid}")
            }
            VerifyError::Signature => {
                f.write_str("The signature does not verify with the JWKS key: the token was altered or signed by another key")
            }
            VerifyError::Expired { exp_s, now_s } => write!(
                f,
                "The token expired: exp is {exp_s}, the simulator's clock is at {now_s} ({} s later)",
                now_s.saturating_sub(*exp_s)
            ),
            VerifyError::Issuer(iss) => write!(f, "iss {iss} is not this user pool"),
            VerifyError::Audience(aud) => write!(f, "The token was issued to another app client ({aud})"),
            VerifyError::TokenUse(used) => write!(f, "token_use is {used}, not the expected kind"),
        }
    }
}

/// Take a JWT apart: three base64url segments, the first two JSON objects.
pub fn decode(token: &str) -> Result<Decoded, VerifyError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(VerifyError::Malformed(format!(
            "{} dot-separated parts, not 3",
            parts.len()
        )));
    };
    let part = |text: &str, name: &str| -> Result<Vec<u8>, VerifyError> {
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| VerifyError::Malformed(format!("the {name} is not base64url")))
    };
    let object = |bytes: Vec<u8>, name: &str| -> Result<Value, VerifyError> {
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| VerifyError::Malformed(format!("the {name} is not a JSON object")))
    };
    Ok(Decoded {
        header: object(part(header, "header")?, "header")?,
        claims: object(part(payload, "payload")?, "payload")?,
        signing_input: format!("{header}.{payload}"),
        signature: part(signature, "signature")?,
    })
}

/// What the token must be for: `"id"` (then `aud` is the client) or `"access"` (`client_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub token_use: &'a str,
}

/// The checks after the signature: `alg`, `exp`, `iss`, audience and `token_use`.
pub fn check_claims(
    decoded: &Decoded,
    expected: &Expected<'_>,
    now_s: u64,
) -> Result<(), VerifyError> {
    let alg = decoded
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("none");
    if alg != "RS256" {
        return Err(VerifyError::Algorithm(alg.to_string()));
    }
    let exp_s = decoded.claim_u64("exp").unwrap_or(0);
    if now_s >= exp_s {
        return Err(VerifyError::Expired { exp_s, now_s });
    }
    let iss = decoded.claim_str("iss").unwrap_or_default();
    if iss != expected.issuer {
        return Err(VerifyError::Issuer(iss.to_string()));
    }
    let token_use = decoded.claim_str("token_use").unwrap_or_default();
    if token_use != expected.token_use {
        return Err(VerifyError::TokenUse(token_use.to_string()));
    }
    let audience = if token_use == "id" {
        "aud"
    } else {
        "client_id"
    };
    let aud = decoded.claim_str(audience).unwrap_or_default();
    if aud != expected.client_id {
        return Err(VerifyError::Audience(aud.to_string()));
    }
    Ok(())
}

/// Every check, with a synchronous verifier (the browser runs the same steps around WebCrypto).
pub fn verify(
    token: &str,
    jwks: &Jwks,
    verifier: &dyn Verifier,
    expected: &Expected<'_>,
    now_s: u64,
) -> Result<Decoded, VerifyError> {
    let decoded = decode(token)?;
    let kid = decoded.kid().unwrap_or_default().to_string();
    let key = jwks.find(&kid).ok_or(VerifyError::UnknownKey(kid))?;
    if !verifier.verify(key, decoded.signing_input.as_bytes(), &decoded.signature) {
        return Err(VerifyError::Signature);
    }
    check_claims(&decoded, expected, now_s)?;
    Ok(decoded)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A stand-in for RSA in native tests: the "signature" is SHA-256 of the kid and the input,
    /// so a changed payload or another kid fails exactly where RSA would. The real RS256 path
    /// runs in the browser (WebCrypto) and is checked by the end-to-end test.
    pub struct FakeRsa;

    impl Signer for FakeRsa {
        fn sign(&self, kid: &str, input: &[u8]) -> Vec<u8> {
            sha256(&[kid.as_bytes(), input].concat()).to_vec()
        }
    }

    impl Verifier for FakeRsa {
        fn verify(&self, key: &Jwk, input: &[u8], signature: &[u8]) -> bool {
            self.sign(&key.kid, input) == signature
        }
    }

    pub fn keys() -> Jwks {
        Jwks {
            keys: vec![
                Jwk::rsa("id-modulus", "AQAB"),
                Jwk::rsa("access-modulus", "AQAB"),
            ],
        }
    }

    fn token(claims: Value, kid: &str) -> String {
        let input = signing_input(kid, &claims);
        assemble(&input, &FakeRsa.sign(kid, input.as_bytes()))
    }

    const EXPECTED: Expected<'static> = Expected {
        issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
        client_id: "client",
        token_use: "id",
    };

    fn claims() -> Value {
        json!({"iss": EXPECTED.issuer, "aud": "client", "token_use": "id", "exp": 100})
    }

    #[test]
    fn a_good_token_verifies_and_each_check_can_fail() {
        let jwks = keys();
        let kid = jwks.keys[0].kid.clone();
        let good = token(claims(), &kid);
        assert!(verify(&good, &jwks, &FakeRsa, &EXPECTED, 99).is_ok());
        assert_eq!(
            verify(&good, &jwks, &FakeRsa, &EXPECTED, 100),
            Err(VerifyError::Expired {
                exp_s: 100,
                now_s: 100
            })
        );
        // The payload swapped for another: the signature no longer matches.
        let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
        parts[1] = b64url(
            json!({"iss": EXPECTED.issuer, "aud": "client", "token_use": "id", "exp": 999})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(
            verify(&parts.join("."), &jwks, &FakeRsa, &EXPECTED, 1).map(|_| ()),
            Err(VerifyError::Signature)
        );
        let other_key = token(claims(), "someone-else");
        assert!(matches!(
            verify(&other_key, &jwks, &FakeRsa, &EXPECTED, 1),
            Err(VerifyError::UnknownKey(_))
        ));
        let mut wrong_aud = claims();
        wrong_aud["aud"] = json!("other");
        assert!(matches!(
            verify(&token(wrong_aud, &kid), &jwks, &FakeRsa, &EXPECTED, 1),
            Err(VerifyError::Audience(_))
        ));
        let access = Expected {
            token_use: "access",
            ..EXPECTED
        };
        assert!(matches!(
            verify(&good, &jwks, &FakeRsa, &access, 1),
            Err(VerifyError::TokenUse(_))
        ));
    }

    #[test]
    fn junk_is_malformed_not_a_panic() {
        for junk in ["", "a.b", "a.b.c.d", "!!.??.##", "e30.e30", "e30.W10.AA"] {
            assert!(
                matches!(decode(junk), Err(VerifyError::Malformed(_))),
                "{junk}"
            );
        }
        assert!(decode("e30.e30.AA").is_ok());
    }

    #[test]
    fn header_is_kid_then_alg() {
        let input = signing_input("k1", &json!({"sub": "x"}));
        let header = input.split('.').next().unwrap_or_default();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(header).ok(),
            Some(br#"{"kid":"k1","alg":"RS256"}"#.to_vec())
        );
    }
}
