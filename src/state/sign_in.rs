//! The Sign in view's state as a plain reducer: one user pool's engine (users, authorization
//! server), the simulated browser (which page, which URL), the client app (its PKCE verifier
//! and `state`, the tokens it holds), the inbox, the virtual clock and the flow's steps.
//!
//! The browser's asynchronous work (PBKDF2, RSA signing and verifying, all WebCrypto) is not
//! done here: an action returns an [`Effect`] the view performs, and the result comes back as
//! another action. Passwords travel only inside an `Effect::Hash`, never into this state.

use eventyard_cognito::jwt::Jwks;
use eventyard_cognito::oauth::{
    AuthorizeError, AuthorizeRequest, PendingTokens, Server, TokenResponse,
};
use eventyard_cognito::password::PasswordHash;
use eventyard_cognito::pkce;
use eventyard_cognito::users::{self, Email, Field, Medium, UserStore};
use eventyard_cognito::Pool;

pub use crate::state::sign_in_actions::{Action, Effect, HashFor, Mistake, Page};
pub use crate::state::sign_in_flow::{Actor, Step};
pub use crate::state::sign_in_passkey::PasskeyCeremony;

/// The client app: what a single-page app keeps in memory during a sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ClientApp {
    pub verifier: String,
    /// Sent to /oauth2/authorize; the ID token must carry it back.
    pub nonce: String,
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
    /// Every address the simulated tab went to, oldest first (the authorize request, the
    /// managed login pages, the callback with its code).
    pub history: Vec<String>,
    pub inbox: Vec<Email>,
    /// Where the last code went (an email address or a phone number).
    pub sent_to: String,
    pub steps: Vec<Step>,
    /// A message under a field of the current page.
    pub error: Option<(Field, String)>,
    pub notice: Option<String>,
    /// The email address (or user name) the pages after the first one are about.
    pub login: String,
    pub client: ClientApp,
    pub signatures: Signatures,
    pub user_info: Option<String>,
    /// The resource server's last answer.
    pub api_response: Option<String>,
    /// The last HTTP response the flow shows (a token endpoint error, userInfo).
    pub last_response: Option<String>,
    /// Set when the users changed and the shell should save them.
    pub users_changed: bool,
    /// Tokens the authorization server made, waiting for the shell's signatures.
    pub pending: Option<PendingTokens>,
    /// A passkey ceremony waiting for the browser's authenticator or WebCrypto.
    pub passkey: Option<PasskeyCeremony>,
}

impl SignInModel {
    pub fn new(pool: Pool, users: UserStore, start_ms: u64) -> SignInModel {
        SignInModel {
            address: "https://localhost:3000/".into(),
            history: vec!["https://localhost:3000/".into()],
            pool,
            users,
            server: None,
            jwks: Jwks::default(),
            start_ms,
            now_ms: start_ms,
            page: Page::Start,
            inbox: Vec::new(),
            sent_to: String::new(),
            steps: Vec::new(),
            error: None,
            notice: None,
            login: String::new(),
            client: ClientApp::default(),
            signatures: Signatures::default(),
            user_info: None,
            api_response: None,
            last_response: None,
            users_changed: false,
            pending: None,
            passkey: None,
        }
    }

    pub(super) fn step(
        &mut self,
        from: Actor,
        to: Actor,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.steps
            .push(Step::new(from, to, title.into(), detail.into(), false));
    }

    pub(super) fn failed_step(
        &mut self,
        from: Actor,
        to: Actor,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.steps
            .push(Step::new(from, to, title.into(), detail.into(), true));
    }

    /// The tab goes to `url`: the address bar shows it and the history keeps it.
    pub(super) fn visit(&mut self, url: String) {
        if self.history.last() != Some(&url) {
            self.history.push(url.clone());
        }
        self.address = url;
    }

    pub(super) fn show(&mut self, page: Page, path: &str) {
        self.visit(self.login_url(path));
        self.page = page;
        self.error = None;
    }

    /// The managed login page's URL: the authorize request's parameters follow the user from
    /// page to page, as they do on Cognito's pages.
    pub(super) fn login_url(&self, path: &str) -> String {
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

    pub(super) fn inbox_push(&mut self, mail: Email) {
        let (title, detail) = match mail.medium {
            Medium::Email => (
                format!("Email to {}", mail.to),
                format!("Subject: {}\n\n{}", mail.subject, mail.body),
            ),
            Medium::Sms => (format!("Text message to {}", mail.to), mail.body.clone()),
        };
        self.step(Actor::AuthServer, Actor::User, title, detail);
        self.sent_to = mail.to.clone();
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
            Action::Start {
                verifier,
                state,
                nonce,
            } => {
                self.start(verifier, state, nonce);
                Effect::None
            }
            Action::Open(page) => {
                let path = match &page {
                    Page::Login => "/login",
                    Page::SignUp => "/signup",
                    Page::Confirm => "/confirm",
                    Page::Forgot => "/forgotPassword",
                    Page::ConfirmForgot => "/confirmforgotPassword",
                    Page::SignInCode(_) => "/login",
                    _ => "/",
                };
                self.show(page, path);
                Effect::None
            }
            Action::SubmitSignUp {
                username,
                email,
                phone_number,
                password,
                custom,
            } => {
                let checked = users::check_phone_number(&phone_number).and_then(|phone| {
                    self.users
                        .begin_sign_up(&self.pool, &username, &email, &password)
                        .map(|params| (phone, params))
                });
                match checked {
                    Ok((phone_number, params)) => Effect::Hash {
                        password,
                        params,
                        purpose: HashFor::SignUp {
                            username,
                            email,
                            phone_number,
                            custom,
                        },
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
            Action::StartSignInCode { login, medium } => {
                match self
                    .users
                    .start_sign_in_code(&self.pool, &login, medium, self.now_ms)
                {
                    Ok(mail) => {
                        self.login = login.trim().to_string();
                        let factor = match medium {
                            Medium::Email => "EMAIL_OTP",
                            Medium::Sms => "SMS_OTP",
                        };
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            format!("POST /login ({factor})"),
                            format!("email={}", self.login),
                        );
                        if let Some(mail) = mail {
                            self.users_changed = true;
                            self.inbox_push(mail);
                        }
                        self.show(Page::SignInCode(medium), "/login");
                    }
                    Err(e) => self.error = Some((e.field, e.message)),
                }
                Effect::None
            }
            Action::SubmitOtp { code } => {
                let login = self.login.clone();
                match self
                    .users
                    .verify_sign_in_code(&self.pool, &login, &code, self.now_ms)
                {
                    Ok(username) => {
                        self.users_changed = true;
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /login (the sign-in code)",
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
            Action::CallApi => {
                self.call_api();
                Effect::None
            }
            Action::SignOut => {
                self.sign_out();
                Effect::None
            }
            Action::AddPasskey => self.add_passkey(),
            Action::PasskeyCreated {
                credential_id,
                x,
                y,
            } => {
                self.passkey_created(credential_id, x, y);
                Effect::None
            }
            Action::SignInWithPasskey { login } => self.sign_in_with_passkey(login),
            Action::PasskeySigned { signed } => self.passkey_signed(signed),
            Action::PasskeyChecked { valid } => self.passkey_checked(valid),
            Action::AuthenticatorRefused { message } => {
                self.authenticator_refused(message);
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

    fn start(&mut self, verifier: String, state: String, nonce: String) {
        let request = AuthorizeRequest {
            response_type: "code".into(),
            client_id: self.pool.client.id.clone(),
            redirect_uri: self.pool.client.callback(),
            state: Some(state),
            scope: self.pool.client.scopes.join(" "),
            code_challenge: Some(pkce::challenge_s256(&verifier)),
            code_challenge_method: Some("S256".into()),
            nonce: Some(nonce.clone()),
        };
        self.client = ClientApp {
            verifier,
            nonce,
            state: request.state.clone().unwrap_or_default(),
            ..ClientApp::default()
        };
        self.signatures = Signatures::default();
        self.user_info = None;
        self.api_response = None;
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
        let verdict = server.authorize(&request);
        self.visit(url.clone());
        match verdict {
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
                self.visit(url);
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
                self.visit(url);
                self.page = Page::Error(explanation);
            }
        }
    }

    fn hashed(&mut self, purpose: HashFor, hash: PasswordHash) -> Effect {
        match purpose {
            HashFor::SignUp {
                username,
                email,
                phone_number,
                custom,
            } => {
                match self.users.sign_up(
                    &self.pool,
                    &username,
                    &email,
                    phone_number.as_deref(),
                    hash,
                    self.now_ms,
                ) {
                    Ok((name, mail)) => {
                        self.users.set_attributes(&self.pool, &name, &custom);
                        self.users_changed = true;
                        self.login = email.trim().to_string();
                        self.step(
                            Actor::User,
                            Actor::AuthServer,
                            "POST /signup (SignUp)",
                            format!("email={}&password=(sent over TLS, never stored: the pool keeps a salted hash)", self.login),
                        );
                        let to = mail.to.clone();
                        self.inbox_push(mail);
                        self.show(Page::Confirm, "/confirm");
                        self.notice = Some(format!("We sent a code to {to}. Open the Inbox."));
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
}

#[cfg(test)]
#[path = "sign_in_tests.rs"]
mod tests;
