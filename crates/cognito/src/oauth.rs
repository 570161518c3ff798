//! The authorization server: `/oauth2/authorize` → managed login → a code → `/oauth2/token`,
//! on a virtual clock (every call takes `now_ms`). A code is single-use and valid 5 minutes;
//! PKCE is S256 only; `redirect_uri` must be one of the client's callback URLs and the token
//! request's must equal the authorize request's. Errors are the endpoints' own:
//! https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html and
//! https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
//! (HTTP 400 with `{"error":"invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type"}`).
//!
//! Tokens leave here unsigned ([`PendingTokens`]): the shell signs the two signing inputs with
//! the pool's keys and calls [`PendingTokens::finish`].

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Value};

use crate::claims::{self, Session};
use crate::form;
use crate::jwt::{self, b64url, Signer};
use crate::pkce;
use crate::seeded::Seeds;
use crate::users::UserStore;
use crate::Pool;

/// Authorization codes are single-use and valid for 5 minutes (issue 11 and SEMANTICS.md, from
/// the token-endpoint page).
pub const CODE_VALIDITY_MS: u64 = 5 * 60_000;
/// Managed login's session cookie lasts 1 hour (the ID token page's "Important" note).
pub const LOGIN_SESSION_MS: u64 = 3_600_000;

/// A `GET /oauth2/authorize` request's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthorizeRequest {
    pub response_type: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scope: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub nonce: Option<String>,
}

impl AuthorizeRequest {
    /// The URL as the client app builds it.
    pub fn url(&self, pool: &Pool) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("client_id", &self.client_id),
            ("response_type", &self.response_type),
            ("scope", &self.scope),
            ("redirect_uri", &self.redirect_uri),
        ];
        if let Some(state) = &self.state {
            pairs.push(("state", state));
        }
        if let Some(challenge) = &self.code_challenge {
            pairs.push(("code_challenge", challenge));
        }
        if let Some(method) = &self.code_challenge_method {
            pairs.push(("code_challenge_method", method));
        }
        if let Some(nonce) = &self.nonce {
            pairs.push(("nonce", nonce));
        }
        format!("{}?{}", pool.url("/oauth2/authorize"), form::encode(&pairs))
    }

    pub fn scopes(&self) -> Vec<String> {
        self.scope.split_whitespace().map(str::to_string).collect()
    }
}

/// Why `/oauth2/authorize` did not show the login page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    /// Cognito cannot trust the redirect URI: it shows its error page, no redirect.
    ErrorPage { url: String, explanation: String },
    /// Back to the client's callback with `?error=...`.
    Redirect {
        url: String,
        error: &'static str,
        explanation: String,
    },
}

/// A refused token request: HTTP 400 and `{"error": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub error: &'static str,
    /// Why, for the learner (Cognito's response has only the code).
    pub explanation: String,
}

impl TokenError {
    fn new(error: &'static str, explanation: impl Into<String>) -> TokenError {
        TokenError {
            error,
            explanation: explanation.into(),
        }
    }

    pub fn json(&self) -> String {
        json!({ "error": self.error }).to_string()
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP 400 {} ({})", self.json(), self.explanation)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct IssuedCode {
    client_id: String,
    redirect_uri: String,
    code_challenge: Option<String>,
    session: Session,
    expires_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct RefreshGrant {
    client_id: String,
    session: Session,
    expires_ms: u64,
}

/// Tokens made but not yet signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTokens {
    pub id_claims: Value,
    pub access_claims: Value,
    pub id_signing_input: String,
    pub access_signing_input: String,
    pub id_kid: String,
    pub access_kid: String,
    /// `None` on a refresh: Cognito returns no new refresh token unless rotation is on.
    pub refresh_token: Option<String>,
    pub expires_in: u64,
}

/// The token endpoint's 200 response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponse {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: u64,
}

impl TokenResponse {
    pub fn json(&self) -> String {
        let mut body = serde_json::Map::new();
        body.insert("id_token".into(), json!(self.id_token));
        body.insert("access_token".into(), json!(self.access_token));
        if let Some(refresh) = &self.refresh_token {
            body.insert("refresh_token".into(), json!(refresh));
        }
        body.insert("expires_in".into(), json!(self.expires_in));
        body.insert("token_type".into(), json!("Bearer"));
        serde_json::to_string_pretty(&Value::Object(body)).unwrap_or_default()
    }
}

impl PendingTokens {
    pub fn finish(&self, id_signature: &[u8], access_signature: &[u8]) -> TokenResponse {
        TokenResponse {
            id_token: jwt::assemble(&self.id_signing_input, id_signature),
            access_token: jwt::assemble(&self.access_signing_input, access_signature),
            refresh_token: self.refresh_token.clone(),
            expires_in: self.expires_in,
        }
    }

    pub fn sign_with(&self, signer: &dyn Signer) -> TokenResponse {
        self.finish(
            &signer.sign(&self.id_kid, self.id_signing_input.as_bytes()),
            &signer.sign(&self.access_kid, self.access_signing_input.as_bytes()),
        )
    }
}

/// One pool's authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub pool: Pool,
    pub id_kid: String,
    pub access_kid: String,
    seeds: Seeds,
    codes: BTreeMap<String, IssuedCode>,
    refresh_tokens: BTreeMap<String, RefreshGrant>,
    /// Managed login's session cookie: who is signed in at the domain, until when.
    login_session: Option<(String, u64, u64)>,
}

fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", form::encode(pairs))
}

impl Server {
    pub fn new(pool: Pool, id_kid: String, access_kid: String, seed: u64) -> Server {
        Server {
            pool,
            id_kid,
            access_kid,
            seeds: Seeds::new(seed),
            codes: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            login_session: None,
        }
    }

    /// Check an authorize request; `Ok` means: show the login page (or, with a live managed
    /// login session, go straight on to [`Server::issue_code`]).
    pub fn authorize(&self, request: &AuthorizeRequest) -> Result<(), AuthorizeError> {
        let client = &self.pool.client;
        let page = |explanation: &str| AuthorizeError::ErrorPage {
            url: format!(
                "{}?{}",
                self.pool.url("/error"),
                form::encode(&[
                    ("error", "redirect_mismatch"),
                    ("client_id", &request.client_id)
                ])
            ),
            explanation: explanation.to_string(),
        };
        if request.client_id != client.id {
            return Err(page("client_id is not an app client of this user pool, so Cognito has no callback URL it can trust and shows its own error page."));
        }
        if !client
            .callback_urls
            .iter()
            .any(|u| u == &request.redirect_uri)
        {
            return Err(page("redirect_uri is not one of the app client's CallbackURLs; Cognito never redirects to an unregistered address (that is how codes would be stolen)."));
        }
        let redirect = |error: &'static str, explanation: &str| {
            let mut pairs = vec![("error", error)];
            if let Some(state) = &request.state {
                pairs.push(("state", state));
            }
            AuthorizeError::Redirect {
                url: with_query(&request.redirect_uri, &pairs),
                error,
                explanation: explanation.to_string(),
            }
        };
        if request.response_type != "code" && request.response_type != "token" {
            return Err(redirect(
                "unsupported_response_type",
                "response_type must be code (or token, the implicit grant).",
            ));
        }
        if !client.allows_code_grant() && request.response_type == "code" {
            return Err(redirect(
                "unauthorized_client",
                "The app client does not allow the code grant (AllowedOAuthFlows).",
            ));
        }
        if let Some(method) = &request.code_challenge_method {
            if method != "S256" {
                return Err(redirect(
                    "invalid_request",
                    "Cognito supports only code_challenge_method=S256.",
                ));
            }
            if request
                .code_challenge
                .as_deref()
                .unwrap_or_default()
                .is_empty()
            {
                return Err(redirect(
                    "invalid_request",
                    "code_challenge_method without a code_challenge.",
                ));
            }
        }
        let scopes = request.scopes();
        if scopes.is_empty() || scopes.iter().any(|s| !client.scopes.contains(s)) {
            return Err(redirect(
                "invalid_scope",
                "Every requested scope must be one of the app client's AllowedOAuthScopes.",
            ));
        }
        Ok(())
    }

    /// The user signed in at managed login: a fresh authorization code, and the redirect back
    /// to the client with `code` and `state`. Sets managed login's session cookie.
    pub fn issue_code(
        &mut self,
        request: &AuthorizeRequest,
        username: &str,
        now_ms: u64,
    ) -> String {
        let auth_time_s = match &self.login_session {
            Some((user, auth_time_s, until)) if user == username && now_ms < *until => *auth_time_s,
            _ => now_ms / 1000,
        };
        self.login_session = Some((
            username.to_string(),
            auth_time_s,
            now_ms.saturating_add(LOGIN_SESSION_MS),
        ));
        let code = self.seeds.uuid("code");
        let session = Session {
            username: username.to_string(),
            auth_time_s,
            origin_jti: self.seeds.uuid("origin_jti"),
            event_id: self.seeds.uuid("event_id"),
            nonce: request.nonce.clone(),
            scopes: request.scopes(),
        };
        self.codes.insert(
            code.clone(),
            IssuedCode {
                client_id: request.client_id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                code_challenge: request.code_challenge.clone(),
                session,
                expires_ms: now_ms.saturating_add(CODE_VALIDITY_MS),
            },
        );
        let mut pairs = vec![("code", code.as_str())];
        if let Some(state) = &request.state {
            pairs.push(("state", state));
        }
        with_query(&request.redirect_uri, &pairs)
    }

    /// Who managed login's session cookie says is signed in.
    pub fn signed_in_at_domain(&self, now_ms: u64) -> Option<&str> {
        self.login_session
            .as_ref()
            .filter(|(_, _, until)| now_ms < *until)
            .map(|(user, _, _)| user.as_str())
    }

    /// `POST /oauth2/token` with a form body and, from a client with a secret, an
    /// `Authorization: Basic` header (token-endpoint: "If the client was issued a secret, the
    /// client can pass its client_id and client_secret in the authorization header as
    /// client_secret_basic HTTP authorization", or both in the body as client_secret_post).
    pub fn token(
        &mut self,
        authorization: Option<&str>,
        body: &str,
        users: &UserStore,
        now_ms: u64,
    ) -> Result<PendingTokens, TokenError> {
        let pairs = form::parse(body);
        let get = |key: &str| form::get(&pairs, key).filter(|v| !v.is_empty());
        let grant_type = get("grant_type")
            .ok_or_else(|| TokenError::new("invalid_request", "grant_type is missing."))?;
        if !matches!(
            grant_type,
            "authorization_code" | "refresh_token" | "client_credentials"
        ) {
            return Err(TokenError::new(
                "unsupported_grant_type",
                format!("grant_type {grant_type} is not authorization_code, refresh_token or client_credentials."),
            ));
        }
        let basic = authorization.and_then(basic_credentials);
        if authorization.is_some() && basic.is_none() {
            return Err(TokenError::new(
                "invalid_client",
                "The Authorization header is not Basic base64(client_id:client_secret).",
            ));
        }
        let (client_id, secret) = match &basic {
            Some((id, secret)) => (id.as_str(), Some(secret.as_str())),
            None => (
                get("client_id").ok_or_else(|| {
                    TokenError::new(
                        "invalid_request",
                        "client_id is missing (a public client sends it in the body).",
                    )
                })?,
                get("client_secret"),
            ),
        };
        if client_id != self.pool.client.id {
            return Err(TokenError::new(
                "invalid_client",
                "No app client of this user pool has that client_id.",
            ));
        }
        if let Some(expected) = &self.pool.client.secret {
            match secret {
                None => return Err(TokenError::new(
                    "invalid_client",
                    "This app client has a secret, and the request does not authenticate with it.",
                )),
                Some(secret) if secret != expected => {
                    return Err(TokenError::new(
                        "invalid_client",
                        "The client secret is not this app client's.",
                    ))
                }
                Some(_) => {}
            }
        }
        match grant_type {
            "authorization_code" => self.redeem_code(&pairs, users, now_ms),
            "refresh_token" => self.refresh(&pairs, users, now_ms),
            _ => Err(TokenError::new(
                "unauthorized_client",
                "The app client does not allow the client_credentials grant.",
            )),
        }
    }

    fn redeem_code(
        &mut self,
        pairs: &[(String, String)],
        users: &UserStore,
        now_ms: u64,
    ) -> Result<PendingTokens, TokenError> {
        let get = |key: &str| form::get(pairs, key).filter(|v| !v.is_empty());
        if !self.pool.client.allows_code_grant() {
            return Err(TokenError::new(
                "unauthorized_client",
                "The app client does not allow the code grant.",
            ));
        }
        let code =
            get("code").ok_or_else(|| TokenError::new("invalid_request", "code is missing."))?;
        let redirect_uri = get("redirect_uri")
            .ok_or_else(|| TokenError::new("invalid_request", "redirect_uri is missing."))?;
        let issued = self.codes.get(code).cloned().ok_or_else(|| {
            TokenError::new(
                "invalid_grant",
                "Authorization code has been consumed already or does not exist.",
            )
        })?;
        if now_ms >= issued.expires_ms {
            self.codes.remove(code);
            return Err(TokenError::new(
                "invalid_grant",
                format!("The code expired: codes are valid for 5 minutes, and {} s have passed on the simulator's clock.", (now_ms + CODE_VALIDITY_MS - issued.expires_ms) / 1000),
            ));
        }
        if issued.client_id != self.pool.client.id {
            return Err(TokenError::new(
                "invalid_grant",
                "The code was issued to another app client.",
            ));
        }
        if issued.redirect_uri != redirect_uri {
            return Err(TokenError::new(
                "invalid_grant",
                "redirect_uri differs from the one in the authorize request.",
            ));
        }
        if let Some(challenge) = &issued.code_challenge {
            let verifier = get("code_verifier").unwrap_or_default();
            if verifier.is_empty() {
                return Err(TokenError::new("invalid_grant", "The authorize request had a code_challenge, so the token request needs its code_verifier."));
            }
            if pkce::challenge_s256(verifier) != *challenge {
                // The code stays unspent: whoever holds the real verifier can still use it.
                return Err(TokenError::new("invalid_grant", "BASE64URL(SHA256(code_verifier)) does not equal the code_challenge: whoever sends this code is not the app that started the sign-in."));
            }
        }
        self.codes.remove(code);
        let refresh = self.refresh_token();
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshGrant {
                client_id: issued.client_id.clone(),
                session: issued.session.clone(),
                expires_ms: now_ms.saturating_add(self.pool.client.refresh_token_validity_s * 1000),
            },
        );
        self.make_tokens(&issued.session, users, Some(refresh), now_ms)
    }

    fn refresh(
        &mut self,
        pairs: &[(String, String)],
        users: &UserStore,
        now_ms: u64,
    ) -> Result<PendingTokens, TokenError> {
        let token = form::get(pairs, "refresh_token")
            .filter(|v| !v.is_empty())
            .ok_or_else(|| TokenError::new("invalid_request", "refresh_token is missing."))?;
        let grant = self.refresh_tokens.get(token).cloned().ok_or_else(|| {
            TokenError::new(
                "invalid_grant",
                "Refresh token has been revoked or does not exist.",
            )
        })?;
        if now_ms >= grant.expires_ms {
            return Err(TokenError::new(
                "invalid_grant",
                "The refresh token expired (RefreshTokenValidity).",
            ));
        }
        if grant.client_id != self.pool.client.id {
            return Err(TokenError::new(
                "invalid_grant",
                "The refresh token was issued to another app client.",
            ));
        }
        self.make_tokens(&grant.session, users, None, now_ms)
    }

    /// `POST /oauth2/revoke`: the refresh token stops working (the access and ID tokens it
    /// made stay valid until they expire: they are checked offline).
    pub fn revoke(&mut self, refresh_token: &str) -> bool {
        self.refresh_tokens.remove(refresh_token).is_some()
    }

    /// `GET /logout`: ends managed login's session; `Err` when `logout_uri` is not one of the
    /// client's LogoutURLs.
    pub fn logout(&mut self, logout_uri: &str) -> Result<String, String> {
        if !self.pool.client.logout_urls.iter().any(|u| u == logout_uri) {
            return Err("logout_uri is not one of the app client's LogoutURLs.".into());
        }
        self.login_session = None;
        Ok(logout_uri.to_string())
    }

    /// A refresh token as Cognito's look: an encrypted JWT (JWE, five segments) the client can
    /// store and send back but not read. Here its parts are seeded bytes: opaque by design.
    fn refresh_token(&mut self) -> String {
        let header = b64url(br#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#);
        let key: Vec<u8> = (0..8).flat_map(|_| self.seeds.bytes("jwe-key")).collect();
        let iv = self.seeds.bytes("jwe-iv");
        let body: Vec<u8> = (0..12).flat_map(|_| self.seeds.bytes("jwe-body")).collect();
        let tag = self.seeds.bytes("jwe-tag");
        format!(
            "{header}.{}.{}.{}.{}",
            b64url(&key),
            b64url(&iv[..12]),
            b64url(&body),
            b64url(&tag[..16])
        )
    }

    fn make_tokens(
        &mut self,
        session: &Session,
        users: &UserStore,
        refresh_token: Option<String>,
        now_ms: u64,
    ) -> Result<PendingTokens, TokenError> {
        let user = users
            .users
            .get(&session.username)
            .ok_or_else(|| TokenError::new("invalid_grant", "The user no longer exists."))?;
        let iat_s = now_ms / 1000;
        let id_claims = claims::id_token(&self.pool, user, session, &self.seeds.uuid("jti"), iat_s);
        let access_claims =
            claims::access_token(&self.pool, user, session, &self.seeds.uuid("jti"), iat_s);
        Ok(PendingTokens {
            id_signing_input: jwt::signing_input(&self.id_kid, &id_claims),
            access_signing_input: jwt::signing_input(&self.access_kid, &access_claims),
            id_claims,
            access_claims,
            id_kid: self.id_kid.clone(),
            access_kid: self.access_kid.clone(),
            refresh_token,
            expires_in: self.pool.client.access_token_validity_s,
        })
    }

    /// `GET /oauth2/userInfo` with a verified access token's claims.
    pub fn user_info(
        &self,
        access_claims: &Value,
        users: &UserStore,
    ) -> Result<Value, (u16, &'static str)> {
        let username = access_claims
            .get("username")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let scopes: Vec<String> = access_claims
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if !scopes.iter().any(|s| s == "openid") {
            return Err((403, "insufficient_scope"));
        }
        let user = users.users.get(username).ok_or((401, "invalid_token"))?;
        Ok(claims::user_info(user, &scopes))
    }
}

/// The token request body a client app sends to redeem a code.
pub fn code_request_body(
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> String {
    form::encode(&[
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ])
}

/// The `Authorization` header of a client with a secret: `Basic base64(client_id:secret)`.
pub fn basic_authorization(client_id: &str, secret: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        // RFC 6749 2.3.1: each half form-encoded first.
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            form::encode_component(client_id),
            form::encode_component(secret)
        ))
    )
}

/// `client_id` and secret from a Basic `Authorization` header, if it is one.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form::decode_component(id), form::decode_component(secret)))
}

pub fn refresh_request_body(client_id: &str, refresh_token: &str) -> String {
    form::encode(&[
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token),
    ])
}

#[cfg(test)]
#[path = "oauth_tests.rs"]
mod tests;
