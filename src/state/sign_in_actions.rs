//! What the Sign in view's reducer (`sign_in.rs`) speaks: the pages of the simulated browser,
//! the actions that move it, the effects it asks the view to perform (WebCrypto work) and the
//! mistakes a learner can try. Kept apart from the reducer so each file reads on its own.

use eventyard_cognito::jwt::Jwks;
use eventyard_cognito::oauth::PendingTokens;
use eventyard_cognito::password::PasswordHash;
use eventyard_cognito::users::{HashParams, Medium};

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
    /// Enter the sign-in code sent by email (`EMAIL_OTP`) or text message (`SMS_OTP`).
    SignInCode(Medium),
    /// Cognito's error page (a request it could not trust).
    Error(String),
    /// Back at the client app with the tokens.
    SignedIn,
    SignedOut,
}

/// What a password hash is for, and what the page had besides the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HashFor {
    SignUp {
        username: String,
        email: String,
        phone_number: Option<String>,
        custom: Vec<(String, String)>,
    },
    SignIn {
        login: String,
    },
    Reset {
        login: String,
        code: String,
    },
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
    /// The simulated authenticator makes a P-256 key pair for `credential_id`, unless it holds
    /// one of `exclude` already (the options' `excludeCredentials`), then
    /// [`Action::PasskeyCreated`] or [`Action::AuthenticatorRefused`].
    CreatePasskey {
        credential_id: String,
        exclude: Vec<String>,
    },
    /// The authenticator signs `data` with the first of the `allowed` credentials it holds,
    /// then [`Action::PasskeySigned`].
    SignWithPasskey {
        allowed: Vec<String>,
        data: Vec<u8>,
    },
    /// Verify an ES256 `signature` of `data` with the passkey's public key, then
    /// [`Action::PasskeyChecked`].
    VerifyPasskey {
        x: String,
        y: String,
        data: Vec<u8>,
        signature: Vec<u8>,
    },
}

/// One of the "try the mistakes" buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    ReuseCode,
    ExpiredCode,
    WrongVerifier,
    StateMismatch,
    /// A look-alike site relays the pool's challenge and asks for the user's passkey.
    LookAlikeSite,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The pool's keys exist: their public halves and kids.
    KeysReady {
        jwks: Jwks,
        id_kid: String,
        access_kid: String,
    },
    /// The client app starts a sign-in with a fresh verifier, `state` and `nonce` (random, from
    /// the shell).
    Start {
        verifier: String,
        state: String,
        nonce: String,
    },
    Open(Page),
    SubmitSignUp {
        username: String,
        email: String,
        /// Empty when the user gave none (or the page did not ask).
        phone_number: String,
        password: String,
        /// The pool's custom attributes as typed (name without `custom:`, value).
        custom: Vec<(String, String)>,
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
    StartSignInCode {
        login: String,
        medium: Medium,
    },
    SubmitOtp {
        code: String,
    },
    /// "Add a passkey" from the signed-in app (managed login's `/passkeys/add`).
    AddPasskey,
    PasskeyCreated {
        credential_id: String,
        x: String,
        y: String,
    },
    SignInWithPasskey {
        login: String,
    },
    /// The authenticator's signature and the credential it used; `None` when it holds none of
    /// the allowed credentials.
    PasskeySigned {
        signed: Option<(String, Vec<u8>)>,
    },
    PasskeyChecked {
        valid: bool,
    },
    /// The authenticator (or WebCrypto) refused: the ceremony ends with `message`.
    AuthenticatorRefused {
        message: String,
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
    /// The client app calls the resource server (an API) with the access token.
    CallApi,
    SignOut,
    /// Put the signed-in user in a group of the pool (or take them out).
    SetGroup {
        group: String,
        member: bool,
    },
}
