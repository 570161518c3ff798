//! The Sign in reducer's OAuth half: what happens after managed login accepts the user (the
//! code, the callback and its `state` check, the token request), the mistakes, refresh,
//! userInfo and sign-out, and the checks a verifier makes besides the signature.

use eventyard_cognito::form;
use eventyard_cognito::jwt::{self, Decoded, Expected};
use eventyard_cognito::oauth::{self, TokenResponse};
use eventyard_cognito::pkce;

use crate::state::sign_in::{Actor, Effect, Mistake, Page, SignInModel, Signatures};

impl SignInModel {
    /// Managed login accepted the user: a code, the redirect, the client app's checks and its
    /// token request.
    pub(super) fn signed_in_at_login(&mut self, username: &str) -> Effect {
        let Some(request) = self.client.request.clone() else {
            self.notice = Some("Start from the client app's Sign in button.".into());
            return Effect::None;
        };
        let Some(server) = self.server.as_mut() else {
            return Effect::None;
        };
        let redirect = server.issue_code(&request, username, self.now_ms);
        self.client.username = Some(username.to_string());
        self.callback(&redirect, None)
    }

    /// The browser arrives at the callback; the client app checks `state` and redeems the code
    /// (with `verifier`, or its own).
    pub(super) fn callback(&mut self, redirect: &str, verifier: Option<String>) -> Effect {
        self.step(
            Actor::AuthServer,
            Actor::Client,
            "302 to the callback with code and state",
            redirect.to_string(),
        );
        self.visit(redirect.to_string());
        let query = redirect.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let pairs = form::parse(query);
        let code = form::get(&pairs, "code").unwrap_or_default().to_string();
        let returned_state = form::get(&pairs, "state").unwrap_or_default();
        if returned_state != self.client.state {
            let detail = format!(
                "The app saved state={} before it sent the browser away, and the callback brings state={returned_state}. The app drops the callback and never redeems the code: a sign-in it did not start (cross-site request forgery) cannot log the user in as someone else.",
                self.client.state
            );
            self.failed_step(
                Actor::Client,
                Actor::Client,
                "state mismatch: the client app refuses the callback",
                detail,
            );
            self.last_response =
                Some("The client app refused the callback: state does not match.".into());
            return Effect::None;
        }
        self.redeem(&code, verifier)
    }

    fn redeem(&mut self, code: &str, verifier: Option<String>) -> Effect {
        let verifier = verifier.unwrap_or_else(|| self.client.verifier.clone());
        let redirect_uri = self
            .client
            .request
            .as_ref()
            .map(|r| r.redirect_uri.clone())
            .unwrap_or_default();
        let body = oauth::code_request_body(&self.pool.client.id, code, &redirect_uri, &verifier);
        self.step(
            Actor::Client,
            Actor::AuthServer,
            "POST /oauth2/token (grant_type=authorization_code)",
            format!(
                "{}\n{}Content-Type: application/x-www-form-urlencoded\n\n{body}",
                self.pool.url("/oauth2/token"),
                self.client_authentication_line()
            ),
        );
        self.client.last_code = Some(code.to_string());
        self.token_request(&body)
    }

    /// A client with a secret authenticates with Basic authorization; the step shows the
    /// header's shape, never the secret.
    fn client_authentication_line(&self) -> &'static str {
        if self.pool.client.secret.is_some() {
            "Authorization: Basic base64(client_id:client_secret)  (an app client with a secret: a confidential client, such as a web server, that keeps the secret from browsers)\n"
        } else {
            ""
        }
    }

    fn token_request(&mut self, body: &str) -> Effect {
        let authorization = self
            .pool
            .client
            .secret
            .as_ref()
            .map(|secret| oauth::basic_authorization(&self.pool.client.id, secret));
        let Some(server) = self.server.as_mut() else {
            return Effect::None;
        };
        match server.token(authorization.as_deref(), body, &self.users, self.now_ms) {
            Ok(pending) => {
                self.pending = Some(pending.clone());
                Effect::Sign(Box::new(pending))
            }
            Err(error) => {
                let response = format!("HTTP/1.1 400 Bad Request\n{}", error.json());
                self.failed_step(
                    Actor::AuthServer,
                    Actor::Client,
                    format!("400 {}", error.json()),
                    format!("{response}\n\nWhy: {}", error.explanation),
                );
                self.last_response = Some(format!("{response}  ({})", error.explanation));
                Effect::None
            }
        }
    }

    pub(super) fn tokens_signed(&mut self, id_signature: &[u8], access_signature: &[u8]) {
        // The pending tokens are rebuilt by the shell from the Effect; here only the response.
        let Some(pending) = self.pending.take() else {
            return;
        };
        let mut response = pending.finish(id_signature, access_signature);
        if response.refresh_token.is_none() {
            // A refresh keeps the refresh token the client already holds.
            response.refresh_token = self
                .client
                .tokens
                .as_ref()
                .and_then(|t| t.refresh_token.clone());
            self.step(
                Actor::AuthServer,
                Actor::Client,
                "200: new ID and access tokens",
                response_summary(&response, false),
            );
        } else {
            self.step(
                Actor::AuthServer,
                Actor::Client,
                "200: ID, access and refresh tokens",
                response_summary(&response, true),
            );
            let nonce = pending
                .id_claims
                .get("nonce")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            if nonce == self.client.nonce {
                self.step(
                    Actor::Client,
                    Actor::Client,
                    "The app checks the ID token's nonce",
                    format!("nonce={nonce}: the value it sent to /oauth2/authorize, so this ID token answers its own request (not a replayed one)."),
                );
            } else {
                self.failed_step(
                    Actor::Client,
                    Actor::Client,
                    "nonce mismatch: the app rejects the ID token",
                    format!(
                        "The app sent nonce={} and the ID token carries nonce={nonce}.",
                        self.client.nonce
                    ),
                );
            }
        }
        self.client.tokens = Some(response);
        self.signatures = Signatures::default();
        self.user_info = None;
        self.page = Page::SignedIn;
        // The app cleans the code and state out of its address once it has the tokens.
        let home = self.pool.client.callback();
        self.visit(home);
    }

    pub(super) fn try_mistake(&mut self, mistake: Mistake) -> Effect {
        let (Some(request), Some(username)) =
            (self.client.request.clone(), self.client.username.clone())
        else {
            self.notice = Some("Sign in first: the mistakes replay parts of a sign-in.".into());
            return Effect::None;
        };
        if mistake == Mistake::LookAlikeSite {
            return self.passkey_on_a_look_alike_site(&username);
        }
        if mistake == Mistake::ReuseCode {
            let Some(code) = self.client.last_code.clone() else {
                self.notice = Some("Sign in first: there is no code to reuse yet.".into());
                return Effect::None;
            };
            self.step(
                Actor::Client,
                Actor::Client,
                "Mistake: the same code again",
                "A code is single-use: a second token request with it must fail.",
            );
            return self.redeem(&code, None);
        }
        if !self.managed_login_session_of(&username) {
            return Effect::None;
        }
        self.step(
            Actor::User,
            Actor::AuthServer,
            "GET /oauth2/authorize (managed login's session cookie: no password asked)",
            request.url(&self.pool),
        );
        let Some(server) = self.server.as_mut() else {
            return Effect::None;
        };
        let redirect = server.issue_code(&request, &username, self.now_ms);
        match mistake {
            Mistake::ExpiredCode => {
                self.step(
                    Actor::AuthServer,
                    Actor::Client,
                    "302 to the callback with code and state",
                    redirect.clone(),
                );
                self.now_ms = self.now_ms.saturating_add(oauth::CODE_VALIDITY_MS + 1_000);
                self.step(
                    Actor::Client,
                    Actor::Client,
                    "Mistake: the app waits 5 minutes and 1 second",
                    "The simulator's clock moves on; codes are valid for 5 minutes.",
                );
                let code = code_in(&redirect);
                self.redeem(&code, None)
            }
            Mistake::WrongVerifier => {
                let wrong = pkce::verifier_from_bytes(&eventyard_cognito::jwt::sha256(
                    self.client.verifier.as_bytes(),
                ));
                self.step(Actor::Client, Actor::Client, "Mistake: another verifier (an attacker who stole the code has not got the app's)", format!("code_verifier={wrong}"));
                self.callback(&redirect, Some(wrong))
            }
            Mistake::StateMismatch => {
                let forged = redirect.replace(
                    &format!("state={}", form::encode_component(&self.client.state)),
                    "state=forged-by-another-site",
                );
                self.step(
                    Actor::Client,
                    Actor::Client,
                    "Mistake: a callback with another state",
                    "As if another site sent the browser to the callback with its own code.",
                );
                self.callback(&forged, None)
            }
            Mistake::ReuseCode | Mistake::LookAlikeSite => Effect::None,
        }
    }

    /// Whether managed login's session cookie still signs `username` in (it lasts an hour);
    /// if not, the page says so.
    pub(super) fn managed_login_session_of(&mut self, username: &str) -> bool {
        let live = self
            .server
            .as_ref()
            .and_then(|s| s.signed_in_at_domain(self.now_ms));
        if live != Some(username) {
            self.notice = Some("Managed login's session has ended (sign-out, or an hour on the clock): sign in again first.".into());
        }
        live == Some(username)
    }

    pub(super) fn refresh(&mut self) -> Effect {
        let Some(refresh) = self
            .client
            .tokens
            .as_ref()
            .and_then(|t| t.refresh_token.clone())
        else {
            self.notice = Some("No refresh token: sign in first.".into());
            return Effect::None;
        };
        let body = oauth::refresh_request_body(&self.pool.client.id, &refresh);
        self.step(
            Actor::Client,
            Actor::AuthServer,
            "POST /oauth2/token (grant_type=refresh_token)",
            format!(
                "{}\n{}\ngrant_type=refresh_token&client_id={}&refresh_token=(the refresh token)",
                self.pool.url("/oauth2/token"),
                self.client_authentication_line(),
                self.pool.client.id
            ),
        );
        self.token_request(&body)
    }

    /// The resource server checks the access token itself, offline: the signature with the
    /// pool's JWKS (fetched once and cached), then `exp`, `iss`, `client_id` and `token_use`.
    pub(super) fn call_api(&mut self) {
        let Some(tokens) = self.client.tokens.clone() else {
            return;
        };
        self.step(
            Actor::Client,
            Actor::ResourceServer,
            "GET /orders with the access token",
            "GET https://api.example.com/orders\nAuthorization: Bearer (the access token)",
        );
        self.step(
            Actor::ResourceServer,
            Actor::AuthServer,
            "GET the JWKS (once; then cached)",
            self.pool.jwks_uri(),
        );
        let signature = self.signatures.access;
        let verdict = match (signature, self.check(&tokens.access_token, "access")) {
            (Some(false), _) => Err("the signature does not verify with the JWKS".to_string()),
            (_, Err(e)) => Err(e.to_string()),
            (_, Ok(decoded)) => Ok(decoded),
        };
        match verdict {
            Ok(decoded) => {
                let groups = decoded
                    .claims
                    .get("cognito:groups")
                    .map(|g| g.to_string())
                    .unwrap_or_else(|| "none".into());
                let body = format!(
                    "HTTP/1.1 200 OK\n{{\"orders\": [], \"caller\": {}, \"groups\": {groups}}}",
                    decoded
                        .claims
                        .get("username")
                        .map(|u| u.to_string())
                        .unwrap_or_default()
                );
                self.step(
                    Actor::ResourceServer,
                    Actor::Client,
                    "200: the token checks out",
                    body.clone(),
                );
                self.api_response = Some(body);
            }
            Err(why) => {
                let body = format!(
                    "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"\n\n({why})"
                );
                self.failed_step(
                    Actor::ResourceServer,
                    Actor::Client,
                    "401: the API refuses the token",
                    body.clone(),
                );
                self.api_response = Some(body);
            }
        }
    }

    pub(super) fn user_info(&mut self) {
        let Some(tokens) = self.client.tokens.clone() else {
            return;
        };
        self.step(
            Actor::Client,
            Actor::AuthServer,
            "GET /oauth2/userInfo",
            format!(
                "{}\nAuthorization: Bearer (the access token)",
                self.pool.url("/oauth2/userInfo")
            ),
        );
        let checked = self.check(&tokens.access_token, "access");
        let result = match (checked, &self.server) {
            (Ok(decoded), Some(server)) => server
                .user_info(&decoded.claims, &self.users)
                .map(|info| serde_json::to_string_pretty(&info).unwrap_or_default())
                .map_err(|(status, error)| format!("HTTP {status} {{\"error\":\"{error}\"}}")),
            (Err(e), _) => Err(format!("HTTP 401 {{\"error\":\"invalid_token\"}} ({e})")),
            (_, None) => Err("The user pool is not ready.".into()),
        };
        match result {
            Ok(info) => {
                self.step(
                    Actor::AuthServer,
                    Actor::Client,
                    "200: the user's attributes",
                    info.clone(),
                );
                self.user_info = Some(info);
            }
            Err(e) => {
                self.failed_step(
                    Actor::AuthServer,
                    Actor::Client,
                    "userInfo refused",
                    e.clone(),
                );
                self.user_info = Some(e);
            }
        }
    }

    pub(super) fn sign_out(&mut self) {
        let refresh = self
            .client
            .tokens
            .as_ref()
            .and_then(|t| t.refresh_token.clone());
        if let (Some(refresh), Some(server)) = (refresh, self.server.as_mut()) {
            server.revoke(&refresh);
            self.step(
                Actor::Client,
                Actor::AuthServer,
                "POST /oauth2/revoke",
                "token=(the refresh token)&client_id=... → 200: the refresh token no longer works",
            );
        }
        let logout_uri = self
            .pool
            .client
            .logout_urls
            .first()
            .cloned()
            .unwrap_or_default();
        let url = format!(
            "{}?{}",
            self.pool.url("/logout"),
            form::encode(&[
                ("client_id", &self.pool.client.id),
                ("logout_uri", &logout_uri)
            ])
        );
        self.step(
            Actor::User,
            Actor::AuthServer,
            "GET /logout (ends managed login's session)",
            url.clone(),
        );
        if let Some(server) = self.server.as_mut() {
            match server.logout(&logout_uri) {
                Ok(back) => self.step(
                    Actor::AuthServer,
                    Actor::Client,
                    "302 to the logout URL",
                    back,
                ),
                Err(why) => {
                    self.failed_step(Actor::AuthServer, Actor::User, "Cognito's error page", why)
                }
            }
        }
        self.client.tokens = None;
        self.client.username = None;
        self.signatures = Signatures::default();
        self.user_info = None;
        self.api_response = None;
        self.visit(url);
        self.visit(logout_uri);
        self.page = Page::SignedOut;
    }

    /// What a verifier checks besides the signature, on the simulator's clock.
    pub fn check(&self, token: &str, token_use: &str) -> Result<Decoded, jwt::VerifyError> {
        let decoded = jwt::decode(token)?;
        let kid = decoded.kid().unwrap_or_default().to_string();
        if self.jwks.find(&kid).is_none() {
            return Err(jwt::VerifyError::UnknownKey(kid));
        }
        let issuer = self.pool.issuer();
        jwt::check_claims(
            &decoded,
            &Expected {
                issuer: &issuer,
                client_id: &self.pool.client.id,
                token_use,
            },
            self.now_s(),
        )?;
        Ok(decoded)
    }

    /// The signed-in user's ID token claims, once the token verifies (for events).
    pub fn identity_claims(&self) -> Option<serde_json::Value> {
        let tokens = self.client.tokens.as_ref()?;
        if self.signatures.id != Some(true) {
            return None;
        }
        self.check(&tokens.id_token, "id").ok().map(|d| d.claims)
    }
}

fn code_in(redirect: &str) -> String {
    let query = redirect.split_once('?').map(|(_, q)| q).unwrap_or_default();
    form::get(&form::parse(query), "code")
        .unwrap_or_default()
        .to_string()
}

/// The token response as the flow shows it: the JSON with each token cut short.
fn response_summary(response: &TokenResponse, with_refresh: bool) -> String {
    let clip = |token: &str| match token.get(..24) {
        Some(start) => format!("{start}…"),
        None => token.to_string(),
    };
    let mut lines = vec![
        "HTTP/1.1 200 OK".to_string(),
        "{".to_string(),
        format!("  \"id_token\": \"{}\",", clip(&response.id_token)),
        format!("  \"access_token\": \"{}\",", clip(&response.access_token)),
    ];
    if with_refresh {
        if let Some(refresh) = &response.refresh_token {
            lines.push(format!("  \"refresh_token\": \"{}\",", clip(refresh)));
        }
    }
    lines.push(format!("  \"expires_in\": {},", response.expires_in));
    lines.push("  \"token_type\": \"Bearer\"".to_string());
    lines.push("}".to_string());
    lines.join("\n")
}
