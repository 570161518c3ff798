//! The Sign in view's state as a plain reducer: one user pool's engine (users, authorization
//! server), the simulated browser (which page, which URL), the client app (its PKCE verifier
//! and `state`, the tokens it holds), the inbox, the virtual clock and the flow's steps.
//!
//! The browser's asynchronous work (PBKDF2, RSA signing and verifying, all WebCrypto) is not
//! done here: an action returns an [`Effect`] the view performs, and the result comes back as
//! another action. Passwords travel only inside an `Effect::Hash`, never into this state.

use eventyard_cognito::jwt::{self, Decoded, Expected, Jwks};
use eventyard_cognito::oauth::{
    self, AuthorizeError, AuthorizeRequest, PendingTokens, Server, TokenResponse,
};
use eventyard_cognito::password::PasswordHash;
use eventyard_cognito::pkce;
use eventyard_cognito::users::{Email, Field, HashParams, UserStore};
use eventyard_cognito::{form, Pool};

pub use crate::state::sign_in_flow::{Actor, Step};

/// Which page of managed login (or of the client app) the simulated browser shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// The client app, before sign-in.
    Start,
    Login,
    SignUp,
    Confirm,
    Forgot,
    ConfirmForgot,
    EmailOtp,
    /// Cognito's error page (a request it could not trust).
    Error(String),
    /// Back at the client app with the tokens.
    SignedIn,
    SignedOut,
}

/// What a password hash is for, and what the page had besides the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HashFor {
    SignUp { username: String, email: String },
    SignIn { login: String },
    Reset { login: String, code: String },
}

/// Work for the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// PBKDF2-HMAC-SHA256 of `password` with `params`, then [`Action::Hashed`].
    Hash {
        password: String,
        params: HashParams,
        purpose: HashFor,
    },
    /// Sign both inputs, then [`Action::Signed`].
    Sign(Box<PendingTokens>),
}

/// One of the "try the mistakes" buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    ReuseCode,
    ExpiredCode,
    WrongVerifier,
    StateMismatch,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The pool's keys exist: their public halves and kids.
    KeysReady {
        jwks: Jwks,
        id_kid: String,
        access_kid: String,
    },
    /// The client app starts a sign-in with a fresh verifier and `state` (random, from the shell).
    Start {
        verifier: String,
        state: String,
    },
    Open(Page),
    SubmitSignUp {
        username: String,
        email: String,
        password: String,
    },
    SubmitConfirm {
        code: String,
    },
    ResendCode,
    SubmitSignIn {
        login: String,
        password: String,
    },
    SubmitForgot {
        login: String,
    },
    SubmitReset {
        code: String,
        password: String,
    },
    StartEmailOtp {
        login: String,
    },
    SubmitOtp {
        code: String,
    },
    Hashed {
        purpose: HashFor,
        hash: PasswordHash,
    },
    Signed {
        id_signature: Vec<u8>,
        access_signature: Vec<u8>,
    },
    SignaturesChecked {
        id: bool,
        access: bool,
    },
    Advance {
        ms: u64,
    },
    Try(Mistake),
    Refresh,
    UserInfo,
    SignOut,
    /// Put the signed-in user in a group of the pool (or take them out).
    SetGroup {
        group: String,
        member: bool,
    },
}

/// The client app: what a single-page app keeps in memory during a sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ClientApp {
    pub verifier: String,
    pub state: String,
    pub request: Option<AuthorizeRequest>,
    /// The last code the client app redeemed.
    pub last_code: Option<String>,
    pub tokens: Option<TokenResponse>,
    pub username: Option<String>,
}

/// The signature checks of the tokens held (WebCrypto's answers), `None` while pending.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Signatures {
    pub id: Option<bool>,
    pub access: Option<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SignInModel {
    pub pool: Pool,
    pub users: UserStore,
    pub server: Option<Server>,
    pub jwks: Jwks,
    pub start_ms: u64,
    pub now_ms: u64,
    pub page: Page,
    /// What the fake address bar shows.
    pub address: String,
    pub inbox: Vec<Email>,
    pub steps: Vec<Step>,
    /// A message under a field of the current page.
    pub error: Option<(Field, String)>,
    pub notice: Option<String>,
    /// The email address (or user name) the pages after the first one are about.
    pub login: String,
    pub client: ClientApp,
    pub signatures: Signatures,
    pub user_info: Option<String>,
    /// The last HTTP response the flow shows (a token endpoint error, userInfo).
    pub last_response: Option<String>,
    /// Set when the users changed and the shell should save them.
    pub users_changed: bool,
    /// Tokens the authorization server made, waiting for the shell's signatures.
    pub pending: Option<PendingTokens>,
}

impl SignInModel {
    pub fn new(pool: Pool, users: UserStore, start_ms: u64) -> SignInModel {
        SignInModel {
            address: "https://localhost:3000/".into(),
            pool,
            users,
            server: None,
            jwks: Jwks::default(),
            start_ms,
            now_ms: start_ms,
            page: Page::Start,
            inbox: Vec::new(),
            steps: Vec::new(),
            error: None,
            notice: None,
            login: String::new(),
            client: ClientApp::default(),
            signatures: Signatures::default(),
            user_info: None,
            last_response: None,
            users_changed: false,
            pending: None,
        }
    }

    fn step(
        &mut self,
        from: Actor,
        to: Actor,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.steps
            .push(Step::new(from, to, title.into(), detail.into(), false));
    }

    fn failed_step(
        &mut self,
        from: Actor,
        to: Actor,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.steps
            .push(Step::new(from, to, title.into(), detail.into(), true));
    }

    fn show(&mut self, page: Page, path: &str) {
        self.address = self.login_url(path);
        self.page = page;
        self.error = None;
    }

    /// The managed login page's URL: the authorize request's parameters follow the user from
    /// page to page, as they do on Cognito's pages.
    fn login_url(&self, path: &str) -> String {
        match &self.client.request {
            Some(request) => {
                let authorize = request.url(&self.pool);
                let query = authorize
                    .split_once('?')
                    .map(|(_, q)| q)
                    .unwrap_or_default();
                format!("{}?{query}", self.pool.url(path))
            }
            None => self.pool.url(path),
        }
    }

    fn inbox_push(&mut self, mail: Email) {
        self.step(
            Actor::AuthServer,
            Actor::User,
            format!("Email to {}", mail.to),
            format!("Subject: {}\n\n{}", mail.subject, mail.body),
        );
        self.inbox.insert(0, mail);
    }

    pub fn now_s(&self) -> u64 {
        self.now_ms / 1000
    }

    pub fn apply(&mut self, action: Action) -> Effect {
        self.notice = None;
        match action {
            Action::KeysReady {
                jwks,
                id_kid,
                access_kid,
            } => {
                self.jwks = jwks;
                self.server = Some(Server::new(
                    self.pool.clone(),
                    id_kid,
                    access_kid,
                    self.users.seeds.seed ^ 0x5eed,
                ));
                Effect::None
            }
            Action::Start { verifier, state } => {
                self.start(verifier, state);
                Effect::None
            }
            Action::Open(page) => {
                let path = match &page {
                    Page::Login => "/login",
                    Page::SignUp => "/signup",
                    Page::Confirm => "/confirm",
                    Page::Forgot => "/forgotPassword",
                    Page::ConfirmForgot => "/confirmforgotPassword",
                    Page::EmailOtp => "/login",
                    _ => "/",
                };
                self.show(page, path);
                Effect::None
            }
            Action::SubmitSignUp {
                username,
                email,
                password,
            } => {
                match self
                    .users
                    .begin_sign_up(&self.pool, &username, &email, &password)
                {
                    Ok(params) => Effect::Hash {
                        password,
                        params,
                        purpose: HashFor::SignUp { username, email },
                    },
                    Err(e) => {
                        self.error = Some((e.field, e.message));
                        Effect::None
                    }
                }
            }
            Action::SubmitSignIn { login, password } => {
                if password.is_empty() {
                    self.error = Some((Field::Password, "Password cannot be empty".into()));
                    return Effect::None;
                }
                match self.users.salt_for(&self.pool, &login) {
                    Ok(params) => Effect::Hash {
                        password,
                        params,
                        purpose: HashFor::SignIn { login },
                    },
                    Err(e) => {
                        self.error = Some((e.field, e.message));
                        Effect::None
                    }
                }
            }
            Action::SubmitReset { code, password } => {
                match self
                    .users
                    .begin_confirm_forgot_password(&self.pool, &password)
                {
                    Ok(params) => Effect::Hash {
                        password,
                        params,
                        purpose: HashFor::Reset {
                            login: self.login.clone(),
                            code,
                        },
                    },
                    Err(e) => {
                        self.error = Some((e.field, e.message));
                        Effect::None
                    }
                }
            }
            Action::Hashed { purpose, hash } => self.hashed(purpose, hash),
            Action::SubmitConfirm { code } => {
                let login = self.login.clone();
                match self
                    .users
                    .confirm_sign_up(&self.pool, &login, &code, self.now_ms)
                {
                    Ok(()) => {
                        self.users_changed = true;
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /confirm (ConfirmSignUp)",
                            format!("email={login}&code={}", code.trim()),
                        );
                        self.show(Page::Login, "/login");
                        self.notice = Some("Your account is confirmed. Sign in with your email address and password.".into());
                    }
                    Err(e) => self.error = Some((e.field, e.message)),
                }
                Effect::None
            }
            Action::ResendCode => {
                let login = self.login.clone();
                if let Some(mail) = self.users.resend_code(&self.pool, &login, self.now_ms) {
                    self.users_changed = true;
                    self.inbox_push(mail);
                    self.notice = Some("A new code is on its way to your inbox.".into());
                }
                Effect::None
            }
            Action::SubmitForgot { login } => {
                if login.trim().is_empty() {
                    self.error = Some((Field::Email, "Email cannot be empty".into()));
                    return Effect::None;
                }
                self.login = login.trim().to_string();
                self.step(
                    Actor::User,
                    Actor::AuthServer,
                    "POST /forgotPassword",
                    format!("email={}", self.login),
                );
                if let Some(mail) = self.users.forgot_password(&self.pool, &login, self.now_ms) {
                    self.users_changed = true;
                    self.inbox_push(mail);
                }
                self.show(Page::ConfirmForgot, "/confirmforgotPassword");
                self.notice =
                    Some("If an account has that address, a code is on its way to it.".into());
                Effect::None
            }
            Action::StartEmailOtp { login } => {
                match self.users.start_email_otp(&self.pool, &login, self.now_ms) {
                    Ok(mail) => {
                        self.login = login.trim().to_string();
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /login (EMAIL_OTP)",
                            format!("email={}", self.login),
                        );
                        if let Some(mail) = mail {
                            self.users_changed = true;
                            self.inbox_push(mail);
                        }
                        self.show(Page::EmailOtp, "/login");
                    }
                    Err(e) => self.error = Some((e.field, e.message)),
                }
                Effect::None
            }
            Action::SubmitOtp { code } => {
                let login = self.login.clone();
                match self
                    .users
                    .verify_email_otp(&self.pool, &login, &code, self.now_ms)
                {
                    Ok(username) => {
                        self.users_changed = true;
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /login (the email code)",
                            format!("email={login}&code={}", code.trim()),
                        );
                        self.signed_in_at_login(&username)
                    }
                    Err(e) => {
                        self.error = Some((Field::Code, e.message));
                        Effect::None
                    }
                }
            }
            Action::Signed {
                id_signature,
                access_signature,
            } => {
                self.tokens_signed(&id_signature, &access_signature);
                Effect::None
            }
            Action::SignaturesChecked { id, access } => {
                self.signatures = Signatures {
                    id: Some(id),
                    access: Some(access),
                };
                Effect::None
            }
            Action::Advance { ms } => {
                self.now_ms = self.now_ms.saturating_add(ms);
                Effect::None
            }
            Action::Try(mistake) => self.try_mistake(mistake),
            Action::Refresh => self.refresh(),
            Action::UserInfo => {
                self.user_info();
                Effect::None
            }
            Action::SignOut => {
                self.sign_out();
                Effect::None
            }
            Action::SetGroup { group, member } => {
                if let Some(username) = self.client.username.clone() {
                    self.users.set_group(&username, &group, member);
                    self.users_changed = true;
                    self.notice = Some(format!(
                        "{} the {group} group. Tokens carry groups from the next token request on: refresh to see cognito:groups change.",
                        if member { "You are now in" } else { "You left" }
                    ));
                }
                Effect::None
            }
        }
    }

    fn start(&mut self, verifier: String, state: String) {
        let request = AuthorizeRequest {
            response_type: "code".into(),
            client_id: self.pool.client.id.clone(),
            redirect_uri: self
                .pool
                .client
                .callback_urls
                .first()
                .cloned()
                .unwrap_or_default(),
            state: Some(state),
            scope: self.pool.client.scopes.join(" "),
            code_challenge: Some(pkce::challenge_s256(&verifier)),
            code_challenge_method: Some("S256".into()),
            nonce: None,
        };
        self.client = ClientApp {
            verifier,
            state: request.state.clone().unwrap_or_default(),
            ..ClientApp::default()
        };
        self.signatures = Signatures::default();
        self.user_info = None;
        self.last_response = None;
        self.steps.clear();
        let url = request.url(&self.pool);
        self.step(
            Actor::Client,
            Actor::User,
            "The client app makes a code_verifier and sends the browser to /oauth2/authorize",
            format!(
                "code_verifier (kept by the app) = {}\ncode_challenge = BASE64URL(SHA256(code_verifier)) = {}\n\n302 Location: {url}",
                self.client.verifier,
                request.code_challenge.clone().unwrap_or_default()
            ),
        );
        self.step(
            Actor::User,
            Actor::AuthServer,
            "GET /oauth2/authorize",
            url.clone(),
        );
        self.client.request = Some(request.clone());
        let Some(server) = &self.server else {
            self.notice =
                Some("The user pool's keys are still being made; try again in a moment.".into());
            return;
        };
        match server.authorize(&request) {
            Ok(()) => {
                self.step(
                    Actor::AuthServer,
                    Actor::User,
                    "302 to the managed login page",
                    self.login_url("/login"),
                );
                self.show(Page::Login, "/login");
            }
            Err(AuthorizeError::ErrorPage { url, explanation }) => {
                self.failed_step(
                    Actor::AuthServer,
                    Actor::User,
                    "Cognito's error page",
                    format!("{url}\n{explanation}"),
                );
                self.address = url;
                self.page = Page::Error(explanation);
            }
            Err(AuthorizeError::Redirect {
                url,
                error,
                explanation,
            }) => {
                self.failed_step(
                    Actor::AuthServer,
                    Actor::Client,
                    format!("302 back with error={error}"),
                    format!("{url}\n{explanation}"),
                );
                self.address = url;
                self.page = Page::Error(explanation);
            }
        }
    }

    fn hashed(&mut self, purpose: HashFor, hash: PasswordHash) -> Effect {
        match purpose {
            HashFor::SignUp { username, email } => {
                match self
                    .users
                    .sign_up(&self.pool, &username, &email, hash, self.now_ms)
                {
                    Ok((_, mail)) => {
                        self.users_changed = true;
                        self.login = email.trim().to_string();
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /signup (SignUp)",
                            format!("email={}&password=(sent over TLS, never stored: the pool keeps a salted hash)", self.login),
                        );
                        self.inbox_push(mail);
                        self.show(Page::Confirm, "/confirm");
                        self.notice = Some(format!(
                            "We sent a code to {}. Open the Inbox below.",
                            self.login
                        ));
                    }
                    Err(e) => self.error = Some((e.field, e.message)),
                }
                Effect::None
            }
            HashFor::SignIn { login } => match self.users.sign_in(&self.pool, &login, &hash.hash) {
                Ok(username) => {
                    self.login = login.trim().to_string();
                    self.step(
                        Actor::User,
                        Actor::AuthServer,
                        "POST /login",
                        format!("email={}&password=(hidden)", self.login),
                    );
                    self.signed_in_at_login(&username)
                }
                Err(e) => {
                    self.failed_step(
                        Actor::User,
                        Actor::AuthServer,
                        "POST /login refused",
                        format!("{}: {}", e.exception, e.message),
                    );
                    self.error = Some((e.field, e.message));
                    Effect::None
                }
            },
            HashFor::Reset { login, code } => {
                match self.users.confirm_forgot_password(
                    &self.pool,
                    &login,
                    &code,
                    hash,
                    self.now_ms,
                ) {
                    Ok(()) => {
                        self.users_changed = true;
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /confirmforgotPassword",
                            format!("email={login}&code={}&password=(hidden)", code.trim()),
                        );
                        self.show(Page::Login, "/login");
                        self.notice =
                            Some("Your password has been reset. Sign in with the new one.".into());
                    }
                    Err(e) => self.error = Some((e.field, e.message)),
                }
                Effect::None
            }
        }
    }

    /// Managed login accepted the user: a code, the redirect, the client app's checks and its
    /// token request.
    fn signed_in_at_login(&mut self, username: &str) -> Effect {
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
    fn callback(&mut self, redirect: &str, verifier: Option<String>) -> Effect {
        self.step(
            Actor::AuthServer,
            Actor::Client,
            "302 to the callback with code and state",
            redirect.to_string(),
        );
        self.address = redirect.to_string();
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
                "{}\nContent-Type: application/x-www-form-urlencoded\n\n{body}",
                self.pool.url("/oauth2/token")
            ),
        );
        self.client.last_code = Some(code.to_string());
        self.token_request(&body)
    }

    fn token_request(&mut self, body: &str) -> Effect {
        let Some(server) = self.server.as_mut() else {
            return Effect::None;
        };
        match server.token(body, &self.users, self.now_ms) {
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

    fn tokens_signed(&mut self, id_signature: &[u8], access_signature: &[u8]) {
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
        }
        self.client.tokens = Some(response);
        self.signatures = Signatures::default();
        self.user_info = None;
        self.page = Page::SignedIn;
        self.address = self
            .pool
            .client
            .callback_urls
            .first()
            .cloned()
            .unwrap_or_default();
    }

    fn try_mistake(&mut self, mistake: Mistake) -> Effect {
        let (Some(request), Some(username)) =
            (self.client.request.clone(), self.client.username.clone())
        else {
            self.notice = Some("Sign in first: the mistakes replay parts of a sign-in.".into());
            return Effect::None;
        };
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
        let live = self
            .server
            .as_ref()
            .and_then(|s| s.signed_in_at_domain(self.now_ms));
        if live != Some(username.as_str()) {
            self.notice = Some("Managed login's session has ended (sign-out, or an hour on the clock): sign in again first.".into());
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
            Mistake::ReuseCode => Effect::None,
        }
    }

    fn refresh(&mut self) -> Effect {
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
                "{}\n\ngrant_type=refresh_token&client_id={}&refresh_token=(the refresh token)",
                self.pool.url("/oauth2/token"),
                self.pool.client.id
            ),
        );
        self.token_request(&body)
    }

    fn user_info(&mut self) {
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

    fn sign_out(&mut self) {
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
        self.address = logout_uri;
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

#[cfg(test)]
#[path = "sign_in_tests.rs"]
mod tests;
