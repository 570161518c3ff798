//! The claim sets of Cognito's tokens, in the order Cognito's samples list them:
//! ID token https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html,
//! access token https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html,
//! userInfo https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html.
//! `cognito:groups` is left out when the user is in no group, as Cognito does.

use serde_json::{json, Map, Value};

use crate::users::User;
use crate::Pool;

/// One signed-in session: what the user proved and when; tokens refreshed from it keep its
/// `auth_time`, `origin_jti` and `event_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub auth_time_s: u64,
    pub origin_jti: String,
    pub event_id: String,
    pub nonce: Option<String>,
    pub scopes: Vec<String>,
}

fn groups(user: &User) -> Option<Value> {
    (!user.groups.is_empty()).then(|| json!(user.groups))
}

pub fn id_token(pool: &Pool, user: &User, session: &Session, jti: &str, iat_s: u64) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(user.sub));
    if let Some(groups) = groups(user) {
        claims.insert("cognito:groups".into(), groups);
    }
    claims.insert("email_verified".into(), json!(user.email_verified));
    if user.phone_number.is_some() {
        claims.insert(
            "phone_number_verified".into(),
            json!(user.phone_number_verified),
        );
    }
    claims.insert("iss".into(), json!(pool.issuer()));
    claims.insert("cognito:username".into(), json!(user.username));
    if let Some(nonce) = &session.nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    claims.insert("origin_jti".into(), json!(session.origin_jti));
    claims.insert("aud".into(), json!(pool.client.id));
    claims.insert("event_id".into(), json!(session.event_id));
    claims.insert("token_use".into(), json!("id"));
    claims.insert("auth_time".into(), json!(session.auth_time_s));
    claims.insert("exp".into(), json!(iat_s + pool.client.id_token_validity_s));
    claims.insert("iat".into(), json!(iat_s));
    claims.insert("jti".into(), json!(jti));
    if let Some(phone) = &user.phone_number {
        claims.insert("phone_number".into(), json!(phone));
    }
    claims.insert("email".into(), json!(user.email));
    for (name, value) in &user.attributes {
        claims.insert(format!("custom:{name}"), json!(value));
    }
    Value::Object(claims)
}

pub fn access_token(pool: &Pool, user: &User, session: &Session, jti: &str, iat_s: u64) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(user.sub));
    if let Some(groups) = groups(user) {
        claims.insert("cognito:groups".into(), groups);
    }
    claims.insert("iss".into(), json!(pool.issuer()));
    claims.insert("version".into(), json!(2));
    claims.insert("client_id".into(), json!(pool.client.id));
    claims.insert("origin_jti".into(), json!(session.origin_jti));
    claims.insert("event_id".into(), json!(session.event_id));
    claims.insert("token_use".into(), json!("access"));
    claims.insert("scope".into(), json!(session.scopes.join(" ")));
    claims.insert("auth_time".into(), json!(session.auth_time_s));
    claims.insert(
        "exp".into(),
        json!(iat_s + pool.client.access_token_validity_s),
    );
    claims.insert("iat".into(), json!(iat_s));
    claims.insert("jti".into(), json!(jti));
    claims.insert("username".into(), json!(user.username));
    Value::Object(claims)
}

/// `GET /oauth2/userInfo`: attributes the access token's scopes allow. Cognito returns
/// `email_verified` as a string here.
pub fn user_info(user: &User, scopes: &[String]) -> Value {
    let mut info = Map::new();
    info.insert("sub".into(), json!(user.sub));
    if scopes.iter().any(|s| s == "email" || s == "profile") {
        info.insert(
            "email_verified".into(),
            json!(user.email_verified.to_string()),
        );
        info.insert("email".into(), json!(user.email));
    }
    // The phone scope (or profile) reads phone_number and phone_number_verified.
    if let (Some(phone), true) = (
        &user.phone_number,
        scopes.iter().any(|s| s == "phone" || s == "profile"),
    ) {
        info.insert(
            "phone_number_verified".into(),
            json!(user.phone_number_verified.to_string()),
        );
        info.insert("phone_number".into(), json!(phone));
    }
    info.insert("username".into(), json!(user.username));
    Value::Object(info)
}

/// One sentence on what a claim means, for the token inspector.
pub fn explain(claim: &str) -> String {
    let text = match claim {
        "sub" => "The user's unique, permanent id in this user pool (a UUID); use it, not the email, as the key for the user.",
        "cognito:groups" => "The user pool groups the user belongs to; an API or an event rule can allow or route on them.",
        "email_verified" => "Whether the user proved they own the email address (here: by entering the code from the inbox).",
        "iss" => "The issuer: the user pool's URL; its /.well-known/jwks.json has the keys that verify this signature.",
        "cognito:username" => "The user name; in a pool that signs in by email it is the same UUID as sub.",
        "username" => "The user name (the access token's name for cognito:username).",
        "origin_jti" => "The id of the sign-in this token descends from; refreshed tokens keep it, and revoking the refresh token revokes them all.",
        "aud" => "The audience: the app client id this ID token was issued to; a client must reject tokens meant for another.",
        "client_id" => "The app client the access token was issued to (access tokens carry client_id instead of aud).",
        "event_id" => "The id of the sign-in event in the user pool's logs.",
        "token_use" => "What the token is for: \"id\" (who the user is, for the client app) or \"access\" (what the bearer may call).",
        "auth_time" => "When the user signed in (seconds since 1970, on the simulator's clock); refreshes keep it.",
        "exp" => "When the token expires (seconds since 1970); after that every verifier must refuse it.",
        "iat" => "When the token was issued (seconds since 1970).",
        "jti" => "This token's own unique id.",
        "email" => "The user's email address.",
        "phone_number" => "The user's phone number, in E.164 form (+ and the country code).",
        "phone_number_verified" => "Whether the user proved they own the phone number (here: by entering the code from a text message).",
        "nonce" => "The value the client app sent to /oauth2/authorize, returned so it can tie this ID token to its own request (replay protection).",
        "scope" => "The OAuth scopes granted, separated by spaces; openid lets the token call /oauth2/userInfo.",
        "version" => "The access token format's version (2).",
        other if other.starts_with("custom:") => "A custom attribute of the user pool's schema.",
        _ => "A claim Cognito adds for this user or pool.",
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::PasswordHash;
    use crate::users::UserStatus;

    pub fn user(groups: &[&str]) -> User {
        User {
            username: "7f3c0b9e-1111-4222-8333-444455556666".into(),
            sub: "7f3c0b9e-1111-4222-8333-444455556666".into(),
            email: "ana@example.com".into(),
            email_verified: true,
            status: UserStatus::Confirmed,
            password: PasswordHash {
                salt: String::new(),
                iterations: 1,
                hash: String::new(),
            },
            groups: groups.iter().map(|g| g.to_string()).collect(),
            created_ms: 0,
            pending: None,
            attributes: Default::default(),
            phone_number: None,
            phone_number_verified: false,
            passkeys: Vec::new(),
        }
    }

    fn session() -> Session {
        Session {
            username: "7f3c0b9e-1111-4222-8333-444455556666".into(),
            auth_time_s: 1_700_000_000,
            origin_jti: "origin".into(),
            event_id: "event".into(),
            nonce: None,
            scopes: vec!["openid".into(), "email".into()],
        }
    }

    fn keys(value: &Value) -> Vec<String> {
        value
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The ID token's sample payload on the "Understanding the identity (ID) token" page.
    #[test]
    fn id_token_claims_as_cognito_issues_them() {
        let pool = Pool::default_pool("us-east-1", "123456789012");
        let claims = id_token(
            &pool,
            &user(&["admins"]),
            &session(),
            "jti-1",
            1_700_000_000,
        );
        assert_eq!(
            keys(&claims),
            [
                "sub",
                "cognito:groups",
                "email_verified",
                "iss",
                "cognito:username",
                "origin_jti",
                "aud",
                "event_id",
                "token_use",
                "auth_time",
                "exp",
                "iat",
                "jti",
                "email"
            ]
        );
        assert_eq!(claims["aud"], json!(pool.client.id));
        assert_eq!(claims["token_use"], json!("id"));
        assert_eq!(claims["exp"], json!(1_700_003_600u64));
        assert_eq!(claims["cognito:groups"], json!(["admins"]));
        assert_eq!(claims["iss"], json!(pool.issuer()));
        let no_groups = id_token(&pool, &user(&[]), &session(), "jti-1", 0);
        assert!(no_groups.get("cognito:groups").is_none());
        let mut custom = user(&[]);
        custom.attributes.insert("tier".into(), "gold".into());
        let with_custom = id_token(&pool, &custom, &session(), "jti-1", 0);
        assert_eq!(with_custom["custom:tier"], json!("gold"));
        assert!(access_token(&pool, &custom, &session(), "jti-2", 0)
            .get("custom:tier")
            .is_none());
    }

    /// The access token's sample payload on the "Understanding the access token" page: no
    /// `aud`, a `client_id`, a `scope` and `username`.
    #[test]
    fn access_token_claims_as_cognito_issues_them() {
        let pool = Pool::default_pool("us-east-1", "123456789012");
        let claims = access_token(&pool, &user(&[]), &session(), "jti-2", 10);
        assert_eq!(
            keys(&claims),
            [
                "sub",
                "iss",
                "version",
                "client_id",
                "origin_jti",
                "event_id",
                "token_use",
                "scope",
                "auth_time",
                "exp",
                "iat",
                "jti",
                "username"
            ]
        );
        assert!(claims.get("aud").is_none());
        assert_eq!(claims["scope"], json!("openid email"));
        assert_eq!(claims["token_use"], json!("access"));
        assert_eq!(claims["version"], json!(2));
    }

    #[test]
    fn user_info_and_explanations() {
        let info = user_info(&user(&[]), &["openid".into(), "email".into()]);
        assert_eq!(info["email_verified"], json!("true"));
        assert!(explain("aud").contains("app client"));
        assert!(explain("custom:tier").contains("custom attribute"));
    }
}
