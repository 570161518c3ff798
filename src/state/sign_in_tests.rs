//! The Sign in reducer driven as the view drives it, with stand-ins for WebCrypto.

use super::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use eventyard_cognito::jwt::{self, Jwk};

const PASSWORD: &str = "Corr3ct-horse";

fn model() -> SignInModel {
    model_of(Pool::default_pool("us-east-1", "123456789012"))
}

fn model_of(pool: Pool) -> SignInModel {
    let mut model = SignInModel::new(pool, UserStore::new(11), 1_767_225_600_000);
    let id = Jwk::rsa("id-n", "AQAB");
    let access = Jwk::rsa("access-n", "AQAB");
    model.apply(Action::KeysReady {
        id_kid: id.kid.clone(),
        access_kid: access.kid.clone(),
        jwks: Jwks {
            keys: vec![id, access],
        },
    });
    model
}

/// Performs an effect as the view would (a fake PBKDF2 and fake signatures).
fn run(model: &mut SignInModel, effect: Effect) {
    match effect {
        Effect::None => {}
        Effect::Hash {
            password,
            params,
            purpose,
        } => {
            let hash = PasswordHash {
                hash: STANDARD.encode(eventyard_cognito::jwt::sha256(
                    format!("{}{password}", params.salt).as_bytes(),
                )),
                salt: params.salt,
                iterations: params.iterations,
            };
            let next = model.apply(Action::Hashed { purpose, hash });
            run(model, next);
        }
        Effect::CreatePasskey { credential_id, .. } => {
            let next = model.apply(Action::PasskeyCreated {
                credential_id,
                x: "x".into(),
                y: "y".into(),
            });
            run(model, next);
        }
        // A fake authenticator that holds every key: its "signature" is the data's hash.
        Effect::SignWithPasskey { allowed, data } => {
            let signed = allowed
                .first()
                .map(|id| (id.clone(), jwt::sha256(&data).to_vec()));
            let next = model.apply(Action::PasskeySigned { signed });
            run(model, next);
        }
        Effect::VerifyPasskey {
            data, signature, ..
        } => {
            let next = model.apply(Action::PasskeyChecked {
                valid: signature == jwt::sha256(&data).to_vec(),
            });
            run(model, next);
        }
        Effect::Sign(_) => {
            let next = model.apply(Action::Signed {
                id_signature: vec![1; 256],
                access_signature: vec![2; 256],
            });
            run(model, next);
            model.apply(Action::SignaturesChecked {
                id: true,
                access: true,
            });
        }
    }
}

fn act(model: &mut SignInModel, action: Action) {
    let effect = model.apply(action);
    run(model, effect);
}

fn signed_up_and_confirmed(model: &mut SignInModel) {
    act(
        model,
        Action::Start {
            verifier: "v".repeat(43),
            state: "s1".into(),
            nonce: "n1".into(),
        },
    );
    assert_eq!(model.page, Page::Login);
    assert!(model.history[1].starts_with(
        "https://eventyard-demo.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id="
    ));
    assert!(model
        .address
        .starts_with("https://eventyard-demo.auth.us-east-1.amazoncognito.com/login?client_id="));
    act(model, Action::Open(Page::SignUp));
    act(
        model,
        Action::SubmitSignUp {
            username: String::new(),
            phone_number: String::new(),
            email: "ana@example.com".into(),
            password: PASSWORD.into(),
            custom: Vec::new(),
        },
    );
    assert_eq!(model.page, Page::Confirm);
    let code = model.inbox[0].code.clone();
    act(model, Action::SubmitConfirm { code });
    assert_eq!(model.page, Page::Login);
}

/// Signed up, confirmed and signed in with the password.
fn signed_in(model: &mut SignInModel) {
    signed_up_and_confirmed(model);
    act(
        model,
        Action::SubmitSignIn {
            login: "ana@example.com".into(),
            password: PASSWORD.into(),
        },
    );
    assert_eq!(model.page, Page::SignedIn, "{:?}", model.last_response);
}

#[test]
fn sign_up_confirm_sign_in_gives_tokens_that_check() {
    let mut model = model();
    signed_in(&mut model);
    let tokens = model.client.tokens.clone().expect("tokens");
    let id = model
        .check(&tokens.id_token, "id")
        .expect("id token checks");
    assert_eq!(id.claims["email"], serde_json::json!("ana@example.com"));
    assert!(model.check(&tokens.access_token, "access").is_ok());
    assert!(model.identity_claims().is_some());
    assert_eq!(id.claims["nonce"], serde_json::json!("n1"));
    assert!(model
        .steps
        .iter()
        .any(|s| s.title.contains("nonce") && !s.failed));
    // No password anywhere in the state or the saved users.
    assert!(!format!("{model:?}").contains(PASSWORD));
    assert!(!serde_json::to_string(&model.users)
        .unwrap_or_default()
        .contains(PASSWORD));
    act(&mut model, Action::CallApi);
    assert!(model
        .api_response
        .clone()
        .unwrap_or_default()
        .starts_with("HTTP/1.1 200"));
    assert!(model.steps.iter().any(|s| s.to == Actor::ResourceServer));
    // An hour later the tokens have expired on the virtual clock.
    act(&mut model, Action::Advance { ms: 3_600_000 });
    act(&mut model, Action::CallApi);
    assert!(model
        .api_response
        .clone()
        .unwrap_or_default()
        .starts_with("HTTP/1.1 401"));
    assert!(matches!(
        model.check(&tokens.id_token, "id"),
        Err(jwt::VerifyError::Expired { .. })
    ));
    act(&mut model, Action::Refresh);
    let refreshed = model.client.tokens.clone().expect("tokens");
    assert_ne!(refreshed.id_token, tokens.id_token);
    assert_eq!(refreshed.refresh_token, tokens.refresh_token);
    assert!(model.check(&refreshed.id_token, "id").is_ok());
}

/// A client with a secret (`GenerateSecret: true`) is a confidential client: its token requests
/// carry `Authorization: Basic`, and the steps show the header's shape, never the secret.
#[test]
fn a_client_with_a_secret_signs_in_and_refreshes_without_showing_it() {
    let mut pool = Pool::default_pool("us-east-1", "123456789012");
    let secret = "k7secretsecretsecretsecretsecretsecretsecretsecret1".to_string();
    pool.client.generate_secret = true;
    pool.client.secret = Some(secret.clone());
    let mut model = model_of(pool);
    signed_in(&mut model);
    act(&mut model, Action::Refresh);
    assert!(model.steps.iter().all(|s| !s.failed), "{:?}", model.steps);
    let token_requests: Vec<&Step> = model
        .steps
        .iter()
        .filter(|s| s.title.starts_with("POST /oauth2/token"))
        .collect();
    assert_eq!(token_requests.len(), 2);
    assert!(token_requests.iter().all(|s| s
        .detail
        .contains("Authorization: Basic base64(client_id:client_secret)")));
    assert!(!format!("{:?}", model.steps).contains(&secret));
}

#[test]
fn wrong_password_and_unconfirmed_user() {
    let mut model = model();
    act(
        &mut model,
        Action::Start {
            verifier: "v".repeat(43),
            state: "s1".into(),
            nonce: "n1".into(),
        },
    );
    act(
        &mut model,
        Action::SubmitSignUp {
            username: String::new(),
            phone_number: String::new(),
            email: "bo@example.com".into(),
            password: PASSWORD.into(),
            custom: Vec::new(),
        },
    );
    act(&mut model, Action::Open(Page::Login));
    act(
        &mut model,
        Action::SubmitSignIn {
            login: "bo@example.com".into(),
            password: PASSWORD.into(),
        },
    );
    assert_eq!(
        model.error,
        Some((Field::Form, "User is not confirmed.".into()))
    );
    act(
        &mut model,
        Action::SubmitSignIn {
            login: "bo@example.com".into(),
            password: "nope".into(),
        },
    );
    assert_eq!(
        model.error,
        Some((Field::Password, "Incorrect username or password.".into()))
    );
    act(
        &mut model,
        Action::SubmitSignUp {
            username: String::new(),
            phone_number: String::new(),
            email: "cy@example.com".into(),
            password: "short".into(),
            custom: Vec::new(),
        },
    );
    assert_eq!(
        model.error,
        Some((
            Field::Password,
            "Password did not conform with policy: Password not long enough".into()
        ))
    );
}

#[test]
fn the_mistakes_get_the_errors_aws_gives() {
    let mut model = model();
    signed_up_and_confirmed(&mut model);
    act(
        &mut model,
        Action::SubmitSignIn {
            login: "ana@example.com".into(),
            password: PASSWORD.into(),
        },
    );
    for mistake in [
        Mistake::ReuseCode,
        Mistake::ExpiredCode,
        Mistake::WrongVerifier,
    ] {
        model.last_response = None;
        act(&mut model, Action::Try(mistake));
        let response = model.last_response.clone().unwrap_or_default();
        assert!(
            response.contains(r#"{"error":"invalid_grant"}"#),
            "{mistake:?}: {response}"
        );
    }
    model.last_response = None;
    act(&mut model, Action::Try(Mistake::StateMismatch));
    assert!(model
        .last_response
        .clone()
        .unwrap_or_default()
        .contains("state does not match"));
    assert!(model
        .steps
        .iter()
        .any(|s| s.failed && s.title.contains("state mismatch")));
}

#[test]
fn forgot_password_email_code_and_sign_out() {
    let mut model = model();
    signed_up_and_confirmed(&mut model);
    act(
        &mut model,
        Action::SubmitForgot {
            login: "ana@example.com".into(),
        },
    );
    assert_eq!(model.page, Page::ConfirmForgot);
    let code = model.inbox[0].code.clone();
    act(
        &mut model,
        Action::SubmitReset {
            code: code.clone(),
            password: "weak".into(),
        },
    );
    assert_eq!(model.error.as_ref().map(|e| e.0), Some(Field::Password));
    act(
        &mut model,
        Action::SubmitReset {
            code,
            password: "N3w-password!".into(),
        },
    );
    assert_eq!(model.page, Page::Login);
    act(
        &mut model,
        Action::StartSignInCode {
            medium: Medium::Email,
            login: "ana@example.com".into(),
        },
    );
    assert_eq!(model.page, Page::SignInCode(Medium::Email));
    let otp = model.inbox[0].code.clone();
    act(&mut model, Action::SubmitOtp { code: otp });
    assert_eq!(model.page, Page::SignedIn);
    act(
        &mut model,
        Action::SetGroup {
            group: "admins".into(),
            member: true,
        },
    );
    act(&mut model, Action::Refresh);
    assert!(model
        .identity_claims()
        .is_some_and(|c| c["cognito:groups"] == serde_json::json!(["admins"])));
    act(&mut model, Action::UserInfo);
    assert!(model
        .user_info
        .clone()
        .unwrap_or_default()
        .contains("ana@example.com"));
    act(&mut model, Action::SignOut);
    assert_eq!(model.page, Page::SignedOut);
    assert!(model.client.tokens.is_none());
    act(&mut model, Action::Try(Mistake::WrongVerifier));
    assert!(model.notice.is_some());
}

/// A phone number at sign-up in a pool that auto-verifies phone numbers: the code arrives as a
/// text message, and SMS_OTP signs the user in with another one.
#[test]
fn sign_up_with_a_phone_number_and_sign_in_by_text_message() {
    let mut model = model();
    act(
        &mut model,
        Action::Start {
            verifier: "v".repeat(43),
            state: "s1".into(),
            nonce: "n1".into(),
        },
    );
    act(&mut model, Action::Open(Page::SignUp));
    let sign_up = |phone: &str| Action::SubmitSignUp {
        username: String::new(),
        email: "ana@example.com".into(),
        phone_number: phone.into(),
        password: PASSWORD.into(),
        custom: Vec::new(),
    };
    act(&mut model, sign_up("555 0100"));
    assert_eq!(
        model.error,
        Some((Field::Phone, "Invalid phone number format.".into()))
    );
    assert_eq!(model.page, Page::SignUp);
    act(&mut model, sign_up("+15555550100"));
    assert_eq!(model.page, Page::Confirm);
    assert_eq!(model.inbox[0].medium, Medium::Sms);
    assert_eq!(model.sent_to, "+15555550100");
    assert!(model
        .steps
        .iter()
        .any(|s| s.title == "Text message to +15555550100"));
    let code = model.inbox[0].code.clone();
    act(&mut model, Action::SubmitConfirm { code });
    assert_eq!(model.page, Page::Login);
    act(
        &mut model,
        Action::StartSignInCode {
            login: "ana@example.com".into(),
            medium: Medium::Sms,
        },
    );
    assert_eq!(model.page, Page::SignInCode(Medium::Sms));
    let otp = model.inbox[0].code.clone();
    act(&mut model, Action::SubmitOtp { code: otp });
    assert_eq!(model.page, Page::SignedIn);
    let tokens = model.client.tokens.clone().expect("tokens");
    let id = model.check(&tokens.id_token, "id").expect("checks");
    assert_eq!(id.claims["phone_number"], serde_json::json!("+15555550100"));
    assert_eq!(id.claims["phone_number_verified"], serde_json::json!(true));
    assert_eq!(id.claims["email_verified"], serde_json::json!(false));
}

/// A passkey added on managed login's /passkeys/add (its options name the pool's domain as the
/// relying party), then a sign-in with it: the assertion's steps, tokens at the end; an
/// authenticator that forgot its key (a reload) gets no sign-in.
#[test]
fn add_a_passkey_then_sign_in_with_it() {
    let mut model = model();
    assert!(model.offers_passkeys());
    signed_in(&mut model);
    act(&mut model, Action::AddPasskey);
    assert_eq!(model.passkeys().len(), 1, "{:?}", model.notice);
    // A second time, the options exclude the passkey the authenticator holds: it refuses.
    let Effect::CreatePasskey { exclude, .. } = model.apply(Action::AddPasskey) else {
        panic!("no ceremony: {:?}", model.notice);
    };
    assert_eq!(exclude, [model.passkeys()[0].credential_id.clone()]);
    model.apply(Action::AuthenticatorRefused {
        message: "InvalidStateError".into(),
    });
    assert!(model.passkey.is_none());
    assert_eq!(model.passkeys().len(), 1);
    assert!(model.steps.last().is_some_and(|s| s.failed));
    // Phishing it: the browser refuses the look-alike's rp id, and the pool refuses its origin.
    act(&mut model, Action::Try(Mistake::LookAlikeSite));
    assert!(model
        .last_response
        .clone()
        .unwrap_or_default()
        .starts_with("WebAuthnOriginNotAllowedException: clientDataJSON.origin is https://eventyard-demo.auth.us-east-1.amazoncognito.com.sign-in-check.example"));
    assert_eq!(model.page, Page::SignedIn);
    assert!(model
        .history
        .iter()
        .any(|url| url.contains(".amazoncognito.com/passkeys/add?client_id=")));
    assert!(model.steps.iter().any(|s| s
        .detail
        .contains("\"id\": \"eventyard-demo.auth.us-east-1.amazoncognito.com\"")));
    act(&mut model, Action::SignOut);
    act(
        &mut model,
        Action::Start {
            verifier: "w".repeat(43),
            state: "s2".into(),
            nonce: "n2".into(),
        },
    );
    act(
        &mut model,
        Action::SignInWithPasskey {
            login: "ana@example.com".into(),
        },
    );
    assert_eq!(model.page, Page::SignedIn, "{:?}", model.notice);
    assert!(model
        .steps
        .iter()
        .any(|s| s.title.starts_with("The signature verifies")));
    // The authenticator lost its key: the ceremony ends without a sign-in.
    act(&mut model, Action::SignOut);
    act(
        &mut model,
        Action::Start {
            verifier: "x".repeat(43),
            state: "s3".into(),
            nonce: "n3".into(),
        },
    );
    let effect = model.apply(Action::SignInWithPasskey {
        login: "ana@example.com".into(),
    });
    assert!(matches!(effect, Effect::SignWithPasskey { .. }));
    model.apply(Action::PasskeySigned { signed: None });
    assert_eq!(model.page, Page::Login);
    assert!(model.passkey.is_none());
}
