//! Tests of `users.rs`.

use super::*;

fn pool() -> Pool {
    Pool::default_pool("us-east-1", "123456789012")
}

fn hash_of(params: &HashParams, password: &str) -> PasswordHash {
    // A stand-in for PBKDF2 (the shell's job): enough to tell passwords apart.
    PasswordHash {
        salt: params.salt.clone(),
        iterations: params.iterations,
        hash: STANDARD.encode(crate::jwt::sha256(
            format!("{}{password}", params.salt).as_bytes(),
        )),
    }
}

pub(crate) fn signed_up(store: &mut UserStore, email: &str, password: &str) -> (String, Email) {
    let pool = pool();
    let params = store
        .begin_sign_up(&pool, "", email, password)
        .expect("valid");
    let hash = hash_of(&params, password);
    store
        .sign_up(&pool, "", email, None, hash, 0)
        .expect("signed up")
}

fn sign_in(store: &mut UserStore, email: &str, password: &str) -> Result<String, AuthError> {
    let pool = pool();
    let params = store.salt_for(&pool, email)?;
    store.sign_in(&pool, email, &hash_of(&params, password).hash)
}

#[test]
fn sign_up_confirm_sign_in() {
    let mut store = UserStore::new(1);
    let (username, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
    assert_eq!(mail.to, "ana@example.com");
    assert_eq!(mail.code.len(), 6);
    assert_eq!(
        sign_in(&mut store, "ana@example.com", "Passw0rd!").map_err(|e| e.message),
        Err("User is not confirmed.".to_string())
    );
    assert_eq!(
        sign_in(&mut store, "ana@example.com", "wrong").map_err(|e| e.message),
        Err("Incorrect username or password.".to_string())
    );
    assert_eq!(
        store
            .confirm_sign_up(&pool(), "ana@example.com", "000000x", 1)
            .map_err(|e| e.message),
        Err("Invalid verification code provided, please try again.".to_string())
    );
    store
        .confirm_sign_up(&pool(), "ANA@example.com", &mail.code, 1)
        .expect("confirmed");
    assert_eq!(
        sign_in(&mut store, "ana@example.com", "Passw0rd!"),
        Ok(username)
    );
    assert!(!serde_json::to_string(&store)
        .expect("serializes")
        .contains("Passw0rd!"));
}

/// UsernameExistsException (SignUp API reference) with email as user name.
#[test]
fn the_same_email_twice() {
    let mut store = UserStore::new(1);
    signed_up(&mut store, "ana@example.com", "Passw0rd!");
    let refused = store
        .begin_sign_up(&pool(), "", "ana@example.com", "Passw0rd!")
        .expect_err("exists");
    assert_eq!(
        refused.message,
        "An account with the given email already exists."
    );
    assert_eq!(refused.field, Field::Email);
    let bad = store
        .begin_sign_up(&pool(), "", "not-an-email", "Passw0rd!")
        .expect_err("bad");
    assert_eq!(bad.message, "Invalid email address format.");
    let weak = store
        .begin_sign_up(&pool(), "", "bo@example.com", "short")
        .expect_err("weak");
    assert_eq!(
        weak.message,
        "Password did not conform with policy: Password not long enough"
    );
    assert_eq!(weak.field, Field::Password);
}

#[test]
fn unknown_users_read_like_wrong_passwords() {
    let mut store = UserStore::new(1);
    assert_eq!(
        sign_in(&mut store, "nobody@example.com", "Passw0rd!").map_err(|e| e.message),
        Err("Incorrect username or password.".to_string())
    );
    assert_eq!(
        store.forgot_password(&pool(), "nobody@example.com", 0),
        None
    );
}

#[test]
fn codes_expire_on_the_virtual_clock() {
    let mut store = UserStore::new(1);
    let (_, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
    let late = SIGN_UP_CODE_VALIDITY_MS + 1;
    assert_eq!(
        store
            .confirm_sign_up(&pool(), "ana@example.com", &mail.code, late)
            .map_err(|e| e.message),
        Err("Invalid code provided, please request a code again.".to_string())
    );
    let again = store
        .resend_code(&pool(), "ana@example.com", late)
        .expect("resent");
    assert_ne!(again.code, mail.code);
    store
        .confirm_sign_up(&pool(), "ana@example.com", &again.code, late)
        .expect("confirmed");
}

#[test]
fn forgot_password_then_sign_in_with_the_new_one() {
    let mut store = UserStore::new(1);
    let (_, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
    store
        .confirm_sign_up(&pool(), "ana@example.com", &mail.code, 0)
        .expect("confirmed");
    let reset = store
        .forgot_password(&pool(), "ana@example.com", 0)
        .expect("mail");
    let params = store
        .begin_confirm_forgot_password(&pool(), "N3w-passw0rd")
        .expect("valid");
    store
        .confirm_forgot_password(
            &pool(),
            "ana@example.com",
            &reset.code,
            hash_of(&params, "N3w-passw0rd"),
            1,
        )
        .expect("reset");
    assert!(sign_in(&mut store, "ana@example.com", "Passw0rd!").is_err());
    assert!(sign_in(&mut store, "ana@example.com", "N3w-passw0rd").is_ok());
}

#[test]
fn email_one_time_code() {
    let mut store = UserStore::new(1);
    let (name, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
    store
        .confirm_sign_up(&pool(), "ana@example.com", &mail.code, 0)
        .expect("confirmed");
    let otp = store
        .start_sign_in_code(&pool(), "ana@example.com", Medium::Email, 0)
        .expect("allowed")
        .expect("mail");
    assert!(store
        .verify_sign_in_code(&pool(), "ana@example.com", "123", 1)
        .is_err());
    // A wrong guess does not spend the code; the right one does, once.
    assert_eq!(
        store.verify_sign_in_code(&pool(), "ana@example.com", &otp.code, 1),
        Ok(name)
    );
    assert!(store
        .verify_sign_in_code(&pool(), "ana@example.com", &otp.code, 1)
        .is_err());
    let mut password_only = pool();
    password_only.allowed_first_auth_factors = vec!["PASSWORD".into()];
    assert!(store
        .start_sign_in_code(&password_only, "ana@example.com", Medium::Email, 0)
        .is_err());
}

/// signing-up-users-in-your-app: with both an email address and a phone number, a pool
/// that auto-verifies phone numbers sends the code "only to the phone number", and only the
/// phone number is verified; SMS_OTP then works, EMAIL_OTP sends nothing (the address is not
/// verified); a forgotten password's code goes to the verified phone first
/// (how-to-recover-a-user-account).
#[test]
fn a_phone_number_gets_the_code_by_sms_and_can_sign_in_with_one() {
    let pool = pool();
    assert!(pool.auto_verify_phone && pool.allows("SMS_OTP"));
    let mut store = UserStore::new(1);
    let params = store
        .begin_sign_up(&pool, "", "ana@example.com", "Passw0rd!")
        .expect("valid");
    let (_, sms) = store
        .sign_up(
            &pool,
            "",
            "ana@example.com",
            Some("+15555550100"),
            hash_of(&params, "Passw0rd!"),
            0,
        )
        .expect("signed up");
    assert_eq!((sms.medium, sms.to.as_str()), (Medium::Sms, "+15555550100"));
    store
        .confirm_sign_up(&pool, "ana@example.com", &sms.code, 1)
        .expect("confirmed");
    let user = store.find(&pool, "ana@example.com").expect("user");
    assert!(user.phone_number_verified && !user.email_verified);
    assert_eq!(
        store.start_sign_in_code(&pool, "ana@example.com", Medium::Email, 2),
        Ok(None)
    );
    let code = store
        .start_sign_in_code(&pool, "ana@example.com", Medium::Sms, 2)
        .expect("allowed")
        .expect("a text message");
    assert_eq!(code.medium, Medium::Sms);
    assert!(store
        .verify_sign_in_code(&pool, "ana@example.com", &code.code, 3)
        .is_ok());
    let reset = store
        .forgot_password(&pool, "ana@example.com", 4)
        .expect("a code");
    assert_eq!(
        (reset.medium, reset.to.as_str()),
        (Medium::Sms, "+15555550100")
    );
    // A pool that does not auto-verify phone numbers keeps the email.
    let mut email_only = pool.clone();
    email_only.auto_verify_phone = false;
    let params = store
        .begin_sign_up(&email_only, "", "bo@example.com", "Passw0rd!")
        .expect("valid");
    let (_, mail) = store
        .sign_up(
            &email_only,
            "",
            "bo@example.com",
            Some("+15555550101"),
            hash_of(&params, "Passw0rd!"),
            0,
        )
        .expect("signed up");
    assert_eq!(
        (mail.medium, mail.to.as_str()),
        (Medium::Email, "bo@example.com")
    );
}

#[test]
fn phone_numbers_are_e164() {
    assert_eq!(check_phone_number(""), Ok(None));
    assert_eq!(
        check_phone_number(" +447700900123 "),
        Ok(Some("+447700900123".to_string()))
    );
    for bad in [
        "5555550100",
        "+1 555 555 0100",
        "+0123",
        "+1234567890123456",
        "+",
    ] {
        let error = check_phone_number(bad).expect_err(bad);
        assert_eq!(error.message, "Invalid phone number format.");
        assert_eq!(error.field, Field::Phone);
    }
}

/// user-pool-settings-mfa-sms-text-message: a code sent to sign in is valid for the app
/// client's authentication session (AuthSessionValidity, 3 minutes unless set).
#[test]
fn a_sign_in_code_lasts_the_clients_authentication_session() {
    for (minutes, pool) in [
        (3, pool()),
        (15, {
            let mut longer = pool();
            longer.client.auth_session_validity_ms = 15 * 60_000;
            longer
        }),
    ] {
        let mut store = UserStore::new(1);
        let (_, mail) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
        store
            .confirm_sign_up(&pool, "ana@example.com", &mail.code, 0)
            .expect("confirmed");
        let at_limit = store
            .start_sign_in_code(&pool, "ana@example.com", Medium::Email, 0)
            .expect("allowed")
            .expect("mail");
        assert!(store
            .verify_sign_in_code(&pool, "ana@example.com", &at_limit.code, minutes * 60_000)
            .is_ok());
        let late = store
            .start_sign_in_code(&pool, "ana@example.com", Medium::Email, 0)
            .expect("allowed")
            .expect("mail");
        let expired = store
            .verify_sign_in_code(&pool, "ana@example.com", &late.code, minutes * 60_000 + 1)
            .expect_err("expired");
        assert_eq!(expired.exception, "ExpiredCodeException");
    }
}

#[test]
fn only_the_schemas_custom_attributes_are_kept() {
    let mut store = UserStore::new(1);
    let (name, _) = signed_up(&mut store, "ana@example.com", "Passw0rd!");
    let mut pool = pool();
    pool.custom_attributes = vec!["tier".into()];
    store.set_attributes(
        &pool,
        &name,
        &[
            ("tier".into(), " gold ".into()),
            ("role".into(), "admin".into()),
        ],
    );
    let user = store.find(&pool, "ana@example.com").expect("user");
    assert_eq!(
        user.attributes.get("tier").map(String::as_str),
        Some("gold")
    );
    assert!(!user.attributes.contains_key("role"));
}

#[test]
fn pools_with_user_names() {
    let mut store = UserStore::new(1);
    let mut pool = pool();
    pool.email_as_username = false;
    let params = store
        .begin_sign_up(&pool, "ana", "ana@example.com", "Passw0rd!")
        .expect("valid");
    store
        .sign_up(
            &pool,
            "ana",
            "ana@example.com",
            None,
            hash_of(&params, "Passw0rd!"),
            0,
        )
        .expect("signed up");
    let again = store
        .begin_sign_up(&pool, "ana", "other@example.com", "Passw0rd!")
        .expect_err("taken");
    assert_eq!(again.message, "User already exists");
    assert_eq!(
        store.find(&pool, "ana").map(|u| u.username.as_str()),
        Some("ana")
    );
}
