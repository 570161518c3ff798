//! The pool's users and what managed login does with them: sign up, confirm, sign in, forgot
//! password, email one-time codes. Messages are Cognito's (the API reference's exception texts
//! that managed login shows). The store is serializable: the shell keeps it per pool in local
//! storage, so it holds no clear password, only [`PasswordHash`]es.
//!
//! Passwords are checked in two steps because the shell hashes them (PBKDF2 through WebCrypto,
//! which is asynchronous): `begin_*` checks the policy and gives the salt, the shell derives the
//! hash, and the second call takes the hash. The engine never sees a key derivation.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::password::{self, PasswordHash, PBKDF2_ITERATIONS, SALT_BYTES};
use crate::seeded::Seeds;
use crate::webauthn::Passkey;
use crate::Pool;

/// Sign-up confirmation codes last 24 hours: "The code or link is valid for 24 hours"
/// (Cognito developer guide, signing-up-users-in-your-app).
pub const SIGN_UP_CODE_VALIDITY_MS: u64 = 24 * 3_600_000;
/// Forgot-password codes last 1 hour: "`ForgotPassword` sends a recovery code ... The recovery
/// code is valid for one hour" (how-to-recover-a-user-account).
pub const FORGOT_PASSWORD_CODE_VALIDITY_MS: u64 = 3_600_000;
// Sign-in codes by email or SMS last as long as the app client's authentication session
// (`Pool::client.auth_session_validity_ms`): "The SMS text message authorization code is valid
// for the Authentication flow session duration that you set for your app client"
// (user-pool-settings-mfa-sms-text-message), three minutes unless set.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    /// Cognito's `UNCONFIRMED`.
    Unconfirmed,
    /// Cognito's `CONFIRMED`.
    Confirmed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodePurpose {
    SignUp,
    ForgotPassword,
    SignIn,
}

/// How a code travels: by email, or by SMS to the user's phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Medium {
    #[default]
    Email,
    Sms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub purpose: CodePurpose,
    pub code: String,
    pub expires_ms: u64,
    /// Where the code went: a sign-up code verifies that contact (saves before SMS: email).
    #[serde(default)]
    pub medium: Medium,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub status: UserStatus,
    pub password: PasswordHash,
    pub groups: Vec<String>,
    pub created_ms: u64,
    pub pending: Option<PendingCode>,
    /// Custom attributes of the pool's schema, by name without the `custom:` prefix.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// `phone_number` in E.164 (`+15555550100`), when the user gave one.
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub phone_number_verified: bool,
    /// Registered passkeys (public keys only).
    #[serde(default)]
    pub passkeys: Vec<Passkey>,
}

/// A message that arrives in the simulated inbox: an email, or a text message (`medium`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    #[serde(default)]
    pub medium: Medium,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub code: String,
    pub sent_ms: u64,
}

/// Which field of the page a message belongs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Username,
    Email,
    Phone,
    Password,
    Code,
    Form,
}

/// A refused request: Cognito's exception name and message, and the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    pub exception: &'static str,
    pub message: String,
    pub field: Field,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub(crate) fn error(
    exception: &'static str,
    message: impl Into<String>,
    field: Field,
) -> AuthError {
    AuthError {
        exception,
        message: message.into(),
        field,
    }
}

/// Managed login hides whether a user exists (prevent user existence errors): an unknown user
/// and a wrong password read the same.
pub(crate) fn incorrect() -> AuthError {
    error(
        "NotAuthorizedException",
        "Incorrect username or password.",
        Field::Password,
    )
}

fn code_mismatch() -> AuthError {
    error(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
        Field::Code,
    )
}

/// The API reference names `ExpiredCodeException` ("This exception is thrown if a code has
/// expired") without its text; the message is the one AWS returns, as recorded in public client
/// code that handles it (e.g. boto's `ConfirmForgotPassword` error).
fn code_expired() -> AuthError {
    error(
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
        Field::Code,
    )
}

/// What the shell needs to hash a password: salt and iteration count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashParams {
    pub salt: String,
    pub iterations: u32,
}

impl HashParams {
    /// The salt's bytes (it is always base64 this crate made).
    pub fn salt_bytes(&self) -> Vec<u8> {
        STANDARD.decode(&self.salt).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UserStore {
    pub seeds: Seeds,
    /// By user name.
    pub users: BTreeMap<String, User>,
}

/// A plausible email address: something@something.something, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// `phone_number` as Cognito takes it: E.164, a `+` and up to 15 digits, the first not 0
/// (user-pool-settings-attributes: "Phone numbers must follow these formatting rules: A phone
/// number must start with a plus (+) sign, followed immediately by the country code").
/// An empty field is no phone number.
pub fn check_phone_number(text: &str) -> Result<Option<String>, AuthError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let digits = text.strip_prefix('+').unwrap_or("");
    let well_formed = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if well_formed {
        Ok(Some(text.to_string()))
    } else {
        // The text SignUp's InvalidParameterException carries, as recorded in client code.
        Err(error(
            "InvalidParameterException",
            "Invalid phone number format.",
            Field::Phone,
        ))
    }
}

impl UserStore {
    pub fn new(seed: u64) -> UserStore {
        UserStore {
            seeds: Seeds::new(seed),
            users: BTreeMap::new(),
        }
    }

    /// The user a sign-in name names: the email address when the pool signs in by email, the
    /// user name otherwise (emails are matched without regard to case).
    pub fn find(&self, pool: &Pool, login: &str) -> Option<&User> {
        let login = login.trim();
        if pool.email_as_username || is_email(login) {
            if let Some(user) = self
                .users
                .values()
                .find(|u| u.email.eq_ignore_ascii_case(login))
            {
                return Some(user);
            }
        }
        self.users.get(login)
    }

    fn find_name(&self, pool: &Pool, login: &str) -> Option<String> {
        self.find(pool, login).map(|u| u.username.clone())
    }

    fn fresh_salt(&mut self) -> HashParams {
        let bytes = self.seeds.bytes("salt");
        HashParams {
            salt: STANDARD.encode(&bytes[..SALT_BYTES]),
            iterations: PBKDF2_ITERATIONS,
        }
    }

    /// Sign-up, step one: the form's values checked as Cognito checks them; the salt to hash
    /// the password with.
    pub fn begin_sign_up(
        &mut self,
        pool: &Pool,
        username: &str,
        email: &str,
        password: &str,
    ) -> Result<HashParams, AuthError> {
        let email = email.trim();
        if !pool.email_as_username {
            let username = username.trim();
            if username.is_empty() {
                return Err(error(
                    "InvalidParameterException",
                    "Username cannot be empty",
                    Field::Username,
                ));
            }
            if username.chars().any(char::is_whitespace) || username.chars().count() > 128 {
                return Err(error(
                    "InvalidParameterException",
                    "Username should be 1 to 128 characters without spaces",
                    Field::Username,
                ));
            }
            if self.users.contains_key(username) {
                return Err(error(
                    "UsernameExistsException",
                    "User already exists",
                    Field::Username,
                ));
            }
        }
        if email.is_empty() {
            return Err(error(
                "InvalidParameterException",
                "Email cannot be empty",
                Field::Email,
            ));
        }
        if !is_email(email) {
            return Err(error(
                "InvalidParameterException",
                "Invalid email address format.",
                Field::Email,
            ));
        }
        if pool.email_as_username && self.find(pool, email).is_some() {
            return Err(error(
                "UsernameExistsException",
                "An account with the given email already exists.",
                Field::Email,
            ));
        }
        if let Some(message) = password::check(&pool.password_policy, password) {
            return Err(error("InvalidPasswordException", message, Field::Password));
        }
        Ok(self.fresh_salt())
    }

    /// Sign-up, step two: the user, `UNCONFIRMED`, and the email with the confirmation code.
    ///
    /// With a phone number in a pool that auto-verifies `phone_number`, the code goes by SMS:
    /// "If a user provides both an email address and a phone number ... Amazon Cognito sends a
    /// verification code only to the phone number" (signing-up-users-in-your-app).
    pub fn sign_up(
        &mut self,
        pool: &Pool,
        username: &str,
        email: &str,
        phone_number: Option<&str>,
        hash: PasswordHash,
        now_ms: u64,
    ) -> Result<(String, Email), AuthError> {
        let email = email.trim().to_string();
        let phone_number = phone_number.map(str::to_string);
        if pool.email_as_username && self.find(pool, &email).is_some() {
            return Err(error(
                "UsernameExistsException",
                "An account with the given email already exists.",
                Field::Email,
            ));
        }
        let sub = self.seeds.uuid("sub");
        let username = if pool.email_as_username {
            sub.clone()
        } else {
            username.trim().to_string()
        };
        if self.users.contains_key(&username) {
            return Err(error(
                "UsernameExistsException",
                "User already exists",
                Field::Username,
            ));
        }
        let code = self.seeds.code("signup");
        let medium = match &phone_number {
            Some(_) if pool.auto_verify_phone => Medium::Sms,
            _ => Medium::Email,
        };
        let to = match (medium, &phone_number) {
            (Medium::Sms, Some(phone)) => phone.clone(),
            _ => email.clone(),
        };
        let mail = Email {
            medium,
            to,
            subject: "Your verification code".into(),
            body: format!("Your confirmation code is {code}"),
            code: code.clone(),
            sent_ms: now_ms,
        };
        self.users.insert(
            username.clone(),
            User {
                username: username.clone(),
                sub,
                email,
                email_verified: false,
                status: UserStatus::Unconfirmed,
                password: hash,
                groups: Vec::new(),
                created_ms: now_ms,
                pending: Some(PendingCode {
                    purpose: CodePurpose::SignUp,
                    code,
                    expires_ms: now_ms.saturating_add(SIGN_UP_CODE_VALIDITY_MS),
                    medium,
                }),
                attributes: BTreeMap::new(),
                phone_number,
                phone_number_verified: false,
                passkeys: Vec::new(),
            },
        );
        Ok((username, mail))
    }

    fn take_code(
        &mut self,
        pool: &Pool,
        login: &str,
        purpose: CodePurpose,
        code: &str,
        now_ms: u64,
    ) -> Result<(String, Medium), AuthError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(error(
                "InvalidParameterException",
                "Code cannot be empty",
                Field::Code,
            ));
        }
        let name = self.find_name(pool, login).ok_or_else(code_mismatch)?;
        let user = self.users.get_mut(&name).ok_or_else(code_mismatch)?;
        let Some(pending) = user.pending.as_ref().filter(|p| p.purpose == purpose) else {
            return Err(code_mismatch());
        };
        if pending.code != code {
            return Err(code_mismatch());
        }
        if now_ms > pending.expires_ms {
            user.pending = None;
            return Err(code_expired());
        }
        let medium = pending.medium;
        user.pending = None;
        Ok((name, medium))
    }

    /// A code for `purpose` to `user` by `medium`: kept as the user's pending code, and the
    /// message that carries it.
    fn send_code(
        user: &mut User,
        purpose: CodePurpose,
        medium: Medium,
        code: String,
        valid_ms: u64,
        now_ms: u64,
    ) -> Email {
        user.pending = Some(PendingCode {
            purpose,
            code: code.clone(),
            expires_ms: now_ms.saturating_add(valid_ms),
            medium,
        });
        let (subject, body) = match purpose {
            CodePurpose::SignUp => ("Your verification code", "Your confirmation code is"),
            CodePurpose::ForgotPassword => {
                ("Your verification code", "Your password reset code is")
            }
            CodePurpose::SignIn => ("Your sign-in code", "Your one-time sign-in code is"),
        };
        let to = match (medium, &user.phone_number) {
            (Medium::Sms, Some(phone)) => phone.clone(),
            _ => user.email.clone(),
        };
        Email {
            medium,
            to,
            subject: subject.into(),
            body: format!("{body} {code}"),
            code,
            sent_ms: now_ms,
        }
    }

    /// `ConfirmSignUp`: the code from the email makes the user `CONFIRMED` and the email verified.
    pub fn confirm_sign_up(
        &mut self,
        pool: &Pool,
        login: &str,
        code: &str,
        now_ms: u64,
    ) -> Result<(), AuthError> {
        if let Some(user) = self.find(pool, login) {
            if user.status == UserStatus::Confirmed {
                // AWS's text for confirming a confirmed user, as recorded in public client code
                // that matches on it (no period at the end).
                return Err(error(
                    "NotAuthorizedException",
                    "User cannot be confirmed. Current status is CONFIRMED",
                    Field::Code,
                ));
            }
        }
        let (name, medium) = self.take_code(pool, login, CodePurpose::SignUp, code, now_ms)?;
        if let Some(user) = self.users.get_mut(&name) {
            user.status = UserStatus::Confirmed;
            // The code verifies the contact it went to, and only that one.
            match medium {
                Medium::Email => user.email_verified = true,
                Medium::Sms => user.phone_number_verified = true,
            }
        }
        Ok(())
    }

    /// `ResendConfirmationCode`.
    pub fn resend_code(&mut self, pool: &Pool, login: &str, now_ms: u64) -> Option<Email> {
        let name = self.find_name(pool, login)?;
        let code = self.seeds.code("signup");
        let user = self.users.get_mut(&name)?;
        if user.status != UserStatus::Unconfirmed {
            return None;
        }
        let medium = user.pending.as_ref().map(|p| p.medium).unwrap_or_default();
        Some(Self::send_code(
            user,
            CodePurpose::SignUp,
            medium,
            code,
            SIGN_UP_CODE_VALIDITY_MS,
            now_ms,
        ))
    }

    /// Sign-in, step one: the salt to hash the typed password with. An unknown user gets a
    /// salt too (made from the name), so the page behaves the same whether the user exists.
    pub fn salt_for(&mut self, pool: &Pool, login: &str) -> Result<HashParams, AuthError> {
        if login.trim().is_empty() {
            return Err(error(
                "InvalidParameterException",
                if pool.email_as_username {
                    "Email cannot be empty"
                } else {
                    "Username cannot be empty"
                },
                if pool.email_as_username {
                    Field::Email
                } else {
                    Field::Username
                },
            ));
        }
        Ok(match self.find(pool, login) {
            Some(user) => HashParams {
                salt: user.password.salt.clone(),
                iterations: user.password.iterations,
            },
            None => {
                let digest = crate::jwt::sha256(login.trim().as_bytes());
                HashParams {
                    salt: STANDARD.encode(&digest[..SALT_BYTES]),
                    iterations: PBKDF2_ITERATIONS,
                }
            }
        })
    }

    /// Sign-in with a password, step two: the hash of what was typed. Returns the user name.
    /// A wrong password reads "Incorrect username or password." even when the user is
    /// unconfirmed; the right password of an unconfirmed user reads "User is not confirmed.".
    pub fn sign_in(&self, pool: &Pool, login: &str, hash: &str) -> Result<String, AuthError> {
        let user = self.find(pool, login).ok_or_else(incorrect)?;
        if !password::same_hash(&user.password.hash, hash) {
            return Err(incorrect());
        }
        if user.status == UserStatus::Unconfirmed {
            return Err(error(
                "UserNotConfirmedException",
                "User is not confirmed.",
                Field::Form,
            ));
        }
        Ok(user.username.clone())
    }

    /// `ForgotPassword`: a code to a verified phone, else to the email address: without an
    /// `AccountRecoverySetting`, "Cognito uses a verified phone first. If the verified phone is
    /// not found for the user, Cognito falls back and will use verified email next"
    /// (how-to-recover-a-user-account). An unknown user gets no message and no error (managed
    /// login does not tell who has an account).
    pub fn forgot_password(&mut self, pool: &Pool, login: &str, now_ms: u64) -> Option<Email> {
        let name = self.find_name(pool, login)?;
        let code = self.seeds.code("forgot");
        let user = self.users.get_mut(&name)?;
        let medium = if user.phone_number_verified {
            Medium::Sms
        } else {
            Medium::Email
        };
        Some(Self::send_code(
            user,
            CodePurpose::ForgotPassword,
            medium,
            code,
            FORGOT_PASSWORD_CODE_VALIDITY_MS,
            now_ms,
        ))
    }

    /// `ConfirmForgotPassword`, step one: the new password against the policy; its salt.
    pub fn begin_confirm_forgot_password(
        &mut self,
        pool: &Pool,
        new_password: &str,
    ) -> Result<HashParams, AuthError> {
        if let Some(message) = password::check(&pool.password_policy, new_password) {
            return Err(error("InvalidPasswordException", message, Field::Password));
        }
        Ok(self.fresh_salt())
    }

    /// `ConfirmForgotPassword`, step two: the code and the new password's hash.
    pub fn confirm_forgot_password(
        &mut self,
        pool: &Pool,
        login: &str,
        code: &str,
        hash: PasswordHash,
        now_ms: u64,
    ) -> Result<(), AuthError> {
        let (name, _) = self.take_code(pool, login, CodePurpose::ForgotPassword, code, now_ms)?;
        if let Some(user) = self.users.get_mut(&name) {
            user.password = hash;
            // The code came by email: the address is verified now.
            user.email_verified = true;
            user.status = UserStatus::Confirmed;
        }
        Ok(())
    }

    /// Choice-based sign-in with `EMAIL_OTP` (a code by email) or `SMS_OTP` (a code by text
    /// message), to a verified address or phone number only; a user without one gets no
    /// message, as an unknown user gets none.
    pub fn start_sign_in_code(
        &mut self,
        pool: &Pool,
        login: &str,
        medium: Medium,
        now_ms: u64,
    ) -> Result<Option<Email>, AuthError> {
        let factor = match medium {
            Medium::Email => "EMAIL_OTP",
            Medium::Sms => "SMS_OTP",
        };
        if !pool.allows(factor) {
            return Err(error(
                "InvalidParameterException",
                format!("{factor} is not an allowed first authentication factor of this user pool (Policies.SignInPolicy.AllowedFirstAuthFactors)"),
                Field::Form,
            ));
        }
        let Some(name) = self.find_name(pool, login) else {
            return Ok(None);
        };
        let code = self.seeds.code("otp");
        let Some(user) = self.users.get_mut(&name) else {
            return Ok(None);
        };
        if user.status == UserStatus::Unconfirmed {
            return Err(error(
                "UserNotConfirmedException",
                "User is not confirmed.",
                Field::Form,
            ));
        }
        let verified = match medium {
            Medium::Email => user.email_verified,
            Medium::Sms => user.phone_number_verified,
        };
        if !verified {
            return Ok(None);
        }
        Ok(Some(Self::send_code(
            user,
            CodePurpose::SignIn,
            medium,
            code,
            pool.client.auth_session_validity_ms,
            now_ms,
        )))
    }

    /// The sign-in code (email or SMS) answered: the user name.
    pub fn verify_sign_in_code(
        &mut self,
        pool: &Pool,
        login: &str,
        code: &str,
        now_ms: u64,
    ) -> Result<String, AuthError> {
        self.take_code(pool, login, CodePurpose::SignIn, code, now_ms)
            .map(|(name, _)| name)
    }

    /// Custom attributes given at sign-up: only names in the pool's schema, empty values left out.
    pub fn set_attributes(&mut self, pool: &Pool, username: &str, values: &[(String, String)]) {
        if let Some(user) = self.users.get_mut(username) {
            for (name, value) in values {
                let value = value.trim();
                if pool.custom_attributes.contains(name) && !value.is_empty() {
                    user.attributes.insert(name.clone(), value.to_string());
                }
            }
        }
    }

    /// Add a user to a group of the pool (the page's "make me an admin" switch; in AWS an
    /// administrator calls `AdminAddUserToGroup`).
    pub fn set_group(&mut self, username: &str, group: &str, member: bool) {
        if let Some(user) = self.users.get_mut(username) {
            user.groups.retain(|g| g != group);
            if member {
                user.groups.push(group.to_string());
                user.groups.sort();
            }
        }
    }
}

#[cfg(test)]
#[path = "users_tests.rs"]
pub(crate) mod tests;
