//! `<issuer>/.well-known/openid-configuration`, the discovery document OpenID Connect clients
//! read to find the endpoints (managed-login-endpoints; Cognito's lists these fields).

use serde_json::{json, Value};

use crate::Pool;

pub fn openid_configuration(pool: &Pool) -> Value {
    json!({
        "authorization_endpoint": pool.url("/oauth2/authorize"),
        "end_session_endpoint": pool.url("/logout"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": pool.issuer(),
        "jwks_uri": pool.jwks_uri(),
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": pool.url("/oauth2/revoke"),
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": pool.url("/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": pool.url("/oauth2/userInfo"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_live_on_the_domain_and_keys_on_the_issuer() {
        let pool = Pool::default_pool("eu-west-1", "123456789012");
        let doc = openid_configuration(&pool);
        assert_eq!(
            doc["token_endpoint"],
            json!("https://eventyard-demo.auth.eu-west-1.amazoncognito.com/oauth2/token")
        );
        assert_eq!(
            doc["jwks_uri"],
            json!(format!("{}/.well-known/jwks.json", pool.issuer()))
        );
    }
}
