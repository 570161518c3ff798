//! Tests of `oauth.rs`.

use super::*;
use crate::jwt::tests::{keys, FakeRsa};
use crate::jwt::{verify, Expected};
use crate::password::PasswordHash;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

struct Flow {
    server: Server,
    users: UserStore,
    request: AuthorizeRequest,
    username: String,
}

fn flow() -> Flow {
    let pool = Pool::default_pool("us-east-1", "123456789012");
    let jwks = keys();
    let mut users = UserStore::new(3);
    let params = users
        .begin_sign_up(&pool, "", "ana@example.com", "Passw0rd!")
        .expect("valid");
    let (username, mail) = users
        .sign_up(
            &pool,
            "",
            "ana@example.com",
            None,
            PasswordHash {
                salt: params.salt,
                iterations: 1,
                hash: "h".into(),
            },
            0,
        )
        .expect("signed up");
    users
        .confirm_sign_up(&pool, "ana@example.com", &mail.code, 0)
        .expect("confirmed");
    users.set_group(&username, "admins", true);
    let request = AuthorizeRequest {
        response_type: "code".into(),
        client_id: pool.client.id.clone(),
        redirect_uri: crate::pool::DEFAULT_CALLBACK.into(),
        state: Some("xyz".into()),
        scope: "openid email".into(),
        code_challenge: Some(pkce::challenge_s256(VERIFIER)),
        code_challenge_method: Some("S256".into()),
        nonce: None,
    };
    let server = Server::new(pool, jwks.keys[0].kid.clone(), jwks.keys[1].kid.clone(), 9);
    Flow {
        server,
        users,
        request,
        username,
    }
}

fn code_of(redirect: &str) -> String {
    let query = redirect.split_once('?').map(|(_, q)| q).unwrap_or_default();
    form::get(&form::parse(query), "code")
        .unwrap_or_default()
        .to_string()
}

fn redeem(
    f: &mut Flow,
    code: &str,
    verifier: &str,
    now_ms: u64,
) -> Result<PendingTokens, TokenError> {
    let body = code_request_body(
        &f.server.pool.client.id.clone(),
        code,
        crate::pool::DEFAULT_CALLBACK,
        verifier,
    );
    f.server.token(None, &body, &f.users, now_ms)
}

#[test]
fn code_for_tokens_that_verify() {
    let mut f = flow();
    assert_eq!(f.server.authorize(&f.request), Ok(()));
    let redirect = f
        .server
        .issue_code(&f.request.clone(), &f.username.clone(), 1_000);
    assert!(redirect.starts_with("https://localhost:3000/callback?code="));
    assert!(redirect.ends_with("&state=xyz"));
    let tokens = redeem(&mut f, &code_of(&redirect), VERIFIER, 2_000)
        .expect("tokens")
        .sign_with(&FakeRsa);
    let pool = &f.server.pool;
    let verify_as = |token: &str, token_use: &str| {
        verify(
            token,
            &keys(),
            &FakeRsa,
            &Expected {
                issuer: &pool.issuer(),
                client_id: &pool.client.id,
                token_use,
            },
            2,
        )
    };
    let id = verify_as(&tokens.id_token, "id").expect("id token verifies");
    assert_eq!(id.claims["cognito:groups"], json!(["admins"]));
    assert_eq!(id.kid(), Some(keys().keys[0].kid.as_str()));
    let access = verify_as(&tokens.access_token, "access").expect("access token verifies");
    assert_ne!(id.kid(), access.kid());
    assert_eq!(access.claims["origin_jti"], id.claims["origin_jti"]);
    let refresh = tokens.refresh_token.clone().expect("refresh token");
    assert_eq!(refresh.split('.').count(), 5);
    let body = tokens.json();
    assert!(body.contains("\"token_type\": \"Bearer\"") && body.contains("\"expires_in\": 3600"));
    let info = f
        .server
        .user_info(&access.claims, &f.users)
        .expect("userInfo");
    assert_eq!(info["email"], json!("ana@example.com"));

    // Refresh: new ID and access tokens, the same origin_jti and auth_time, no new refresh token.
    let refreshed = f
        .server
        .token(
            None,
            &refresh_request_body(&pool.client.id.clone(), &refresh),
            &f.users,
            3_600_000,
        )
        .expect("refreshed");
    assert_eq!(refreshed.refresh_token, None);
    assert_eq!(refreshed.id_claims["origin_jti"], id.claims["origin_jti"]);
    assert_ne!(refreshed.id_claims["jti"], id.claims["jti"]);
    assert_eq!(refreshed.id_claims["auth_time"], json!(1));
    assert!(f.server.revoke(&refresh));
    let client_id = f.server.pool.client.id.clone();
    assert_eq!(
        f.server
            .token(
                None,
                &refresh_request_body(&client_id, &refresh),
                &f.users,
                3_600_001
            )
            .map(|_| ())
            .map_err(|e| e.json()),
        Err(r#"{"error":"invalid_grant"}"#.to_string())
    );
}

/// token-endpoint: a code is single-use.
#[test]
fn a_reused_code_is_invalid_grant() {
    let mut f = flow();
    let code = code_of(
        &f.server
            .issue_code(&f.request.clone(), &f.username.clone(), 0),
    );
    assert!(redeem(&mut f, &code, VERIFIER, 1).is_ok());
    let again = redeem(&mut f, &code, VERIFIER, 2).expect_err("reused");
    assert_eq!(again.json(), r#"{"error":"invalid_grant"}"#);
    assert!(again.explanation.contains("consumed already"));
}

#[test]
fn an_expired_code_is_invalid_grant() {
    let mut f = flow();
    let code = code_of(
        &f.server
            .issue_code(&f.request.clone(), &f.username.clone(), 0),
    );
    let late = redeem(&mut f, &code, VERIFIER, CODE_VALIDITY_MS).expect_err("expired");
    assert_eq!(late.error, "invalid_grant");
    assert!(
        late.explanation.contains("5 minutes"),
        "{}",
        late.explanation
    );
}

/// using-pkce-in-authorization-code: the verifier must hash to the challenge.
#[test]
fn a_wrong_verifier_is_invalid_grant_and_leaves_the_code() {
    let mut f = flow();
    let code = code_of(
        &f.server
            .issue_code(&f.request.clone(), &f.username.clone(), 0),
    );
    let wrong = redeem(&mut f, &code, &"x".repeat(43), 1).expect_err("wrong verifier");
    assert_eq!(wrong.error, "invalid_grant");
    assert_eq!(
        redeem(&mut f, &code, "", 1)
            .map(|_| ())
            .map_err(|e| e.error),
        Err("invalid_grant")
    );
    assert!(redeem(&mut f, &code, VERIFIER, 2).is_ok());
}

#[test]
fn token_endpoint_errors() {
    let mut f = flow();
    let code = code_of(
        &f.server
            .issue_code(&f.request.clone(), &f.username.clone(), 0),
    );
    let client = f.server.pool.client.id.clone();
    let mut check = |body: String, expected: &str| {
        let error = f
            .server
            .token(None, &body, &f.users, 1)
            .map(|_| ())
            .expect_err(&body);
        assert_eq!(error.error, expected, "{body}: {}", error.explanation);
    };
    check(String::new(), "invalid_request");
    check("grant_type=password".into(), "unsupported_grant_type");
    check("grant_type=authorization_code".into(), "invalid_request");
    check(
        code_request_body(
            "someone-else",
            &code,
            crate::pool::DEFAULT_CALLBACK,
            VERIFIER,
        ),
        "invalid_client",
    );
    check(
        format!("grant_type=client_credentials&client_id={client}"),
        "unauthorized_client",
    );
    check(
        format!("grant_type=authorization_code&client_id={client}&redirect_uri=x"),
        "invalid_request",
    );
    check(
        code_request_body(&client, &code, "https://evil.example/cb", VERIFIER),
        "invalid_grant",
    );
    check(
        code_request_body(
            &client,
            "no-such-code",
            crate::pool::DEFAULT_CALLBACK,
            VERIFIER,
        ),
        "invalid_grant",
    );
    check(
        format!("grant_type=refresh_token&client_id={client}"),
        "invalid_request",
    );
}

/// token-endpoint: a client with a secret authenticates with `Authorization: Basic
/// base64(client_id:client_secret)` (client_secret_basic) or both in the body
/// (client_secret_post); without it, or with another secret, `invalid_client`.
#[test]
fn a_client_with_a_secret_must_authenticate() {
    let mut f = flow();
    let secret = "s3cr3t".to_string();
    f.server.pool.client.generate_secret = true;
    f.server.pool.client.secret = Some(secret.clone());
    let client = f.server.pool.client.id.clone();
    let mut attempt = |authorization: Option<String>, extra: &str| {
        let code = code_of(
            &f.server
                .issue_code(&f.request.clone(), &f.username.clone(), 0),
        );
        let body =
            code_request_body(&client, &code, crate::pool::DEFAULT_CALLBACK, VERIFIER) + extra;
        f.server
            .token(authorization.as_deref(), &body, &f.users, 1)
            .map(|_| ())
            .map_err(|e| e.json())
    };
    let invalid_client = Err(r#"{"error":"invalid_client"}"#.to_string());
    assert_eq!(attempt(None, ""), invalid_client);
    assert_eq!(
        attempt(Some(basic_authorization(&client, "wrong")), ""),
        invalid_client
    );
    assert_eq!(attempt(Some("Bearer x".into()), ""), invalid_client);
    assert_eq!(
        attempt(Some(basic_authorization(&client, &secret)), ""),
        Ok(())
    );
    assert_eq!(attempt(None, &format!("&client_secret={secret}")), Ok(()));
}

#[test]
fn a_generated_secret_looks_like_cognitos_and_is_stable() {
    let template = eventyard_template::load(
        "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Client:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      UserPoolId: !Ref Pool\n      GenerateSecret: true\n",
    )
    .expect("loads");
    let pool = Pool::all_from_template(&template).remove(0);
    let secret = pool.client.secret.clone().expect("a secret");
    assert_eq!(secret.len(), 51);
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    assert_eq!(
        Pool::all_from_template(&template)[0].client.secret,
        Some(secret)
    );
}

#[test]
fn authorize_errors() {
    let f = flow();
    let mut bad = f.request.clone();
    bad.redirect_uri = "https://evil.example/cb".into();
    assert!(matches!(
        f.server.authorize(&bad),
        Err(AuthorizeError::ErrorPage { .. })
    ));
    let mut plain = f.request.clone();
    plain.code_challenge_method = Some("plain".into());
    assert!(matches!(
        f.server.authorize(&plain),
        Err(AuthorizeError::Redirect { error: "invalid_request", ref url, .. }) if url.contains("state=xyz")
    ));
    let mut scope = f.request.clone();
    scope.scope = "openid admin".into();
    assert!(matches!(
        f.server.authorize(&scope),
        Err(AuthorizeError::Redirect {
            error: "invalid_scope",
            ..
        })
    ));
    let url = f.request.url(&f.server.pool);
    assert!(url.starts_with(
        "https://eventyard-demo.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id="
    ));
    assert!(url.contains("&response_type=code&scope=openid%20email&redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Fcallback&state=xyz&code_challenge="));
    assert!(url.ends_with("&code_challenge_method=S256"));
}
