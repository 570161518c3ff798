//! One user pool as the sign-in pages see it: the pool's settings, its app client (the one
//! that allows the code grant, else the first), its domain and groups, read from the template's
//! `AWS::Cognito::*` resources, or a default pool when the template declares none.

use eventyard_template::{PasswordPolicy, Template, UserPool, UserPoolClient};

/// The app client's callback in the default pool: the "client app" of the simulation.
pub const DEFAULT_CALLBACK: &str = "https://localhost:3000/callback";
pub const DEFAULT_LOGOUT: &str = "https://localhost:3000/";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub id: String,
    pub name: String,
    pub region: String,
    pub account_id: String,
    pub password_policy: PasswordPolicy,
    /// Users sign up and in with their email address (`UsernameAttributes: [email]`); the
    /// user name is then the `sub`.
    pub email_as_username: bool,
    pub auto_verify_email: bool,
    /// `AutoVerifiedAttributes` has `phone_number`: a sign-up with a phone number gets its code
    /// by SMS.
    pub auto_verify_phone: bool,
    pub custom_attributes: Vec<String>,
    pub allowed_first_auth_factors: Vec<String>,
    pub client: Client,
    /// The host name of the managed login pages.
    pub domain: String,
    pub custom_domain: bool,
    pub managed_login_version: u64,
    /// Group names with their precedence (lower first), as `cognito:groups` orders them.
    pub groups: Vec<(String, Option<u64>)>,
    /// True when the template declared no user pool.
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub allowed_oauth_flows: Vec<String>,
    pub allowed_oauth_flows_user_pool_client: bool,
    pub scopes: Vec<String>,
    pub generate_secret: bool,
    /// The client secret when `GenerateSecret` is true: made from the client id, so the same
    /// template always has the same secret (Cognito's are random; this is a simulation).
    pub secret: Option<String>,
    pub access_token_validity_s: u64,
    pub id_token_validity_s: u64,
    pub refresh_token_validity_s: u64,
    /// How long a sign-in code sent by email or SMS is good for: the client's
    /// `AuthSessionValidity` (minutes, default 3).
    pub auth_session_validity_ms: u64,
}

impl Client {
    fn from_template(client: &UserPoolClient) -> Client {
        Client {
            id: client.id.clone(),
            name: client.name.clone(),
            callback_urls: client.callback_urls.clone(),
            logout_urls: client.logout_urls.clone(),
            allowed_oauth_flows: client.allowed_oauth_flows.clone(),
            allowed_oauth_flows_user_pool_client: client.allowed_oauth_flows_user_pool_client,
            scopes: client.allowed_oauth_scopes.clone(),
            generate_secret: client.generate_secret,
            secret: client.generate_secret.then(|| secret_for(&client.id)),
            access_token_validity_s: client.access_token_validity_s,
            id_token_validity_s: client.id_token_validity_s,
            refresh_token_validity_s: client.refresh_token_validity_s,
            auth_session_validity_ms: client.auth_session_validity_min * 60_000,
        }
    }

    /// Where the simulated client app is called back: its first registered callback URL.
    pub fn callback(&self) -> String {
        self.callback_urls.first().cloned().unwrap_or_default()
    }

    pub fn allows_code_grant(&self) -> bool {
        self.allowed_oauth_flows_user_pool_client
            && self.allowed_oauth_flows.iter().any(|f| f == "code")
    }
}

impl Pool {
    /// Every pool of the template, in logical-id order; the default pool when there is none.
    pub fn all_from_template(template: &Template) -> Vec<Pool> {
        let pools: Vec<Pool> = template
            .user_pools
            .iter()
            .map(|pool| Pool::from_template(template, pool))
            .collect();
        if pools.is_empty() {
            vec![Pool::default_pool(&template.region, &template.account_id)]
        } else {
            pools
        }
    }

    pub fn from_template(template: &Template, pool: &UserPool) -> Pool {
        let clients: Vec<&UserPoolClient> = template
            .user_pool_clients
            .iter()
            .filter(|c| c.user_pool_id == pool.id)
            .collect();
        let client = clients
            .iter()
            .find(|c| Client::from_template(c).allows_code_grant())
            .or(clients.first())
            .map(|c| Client::from_template(c))
            .unwrap_or_else(|| default_client(&pool.id));
        let domain = template
            .user_pool_domains
            .iter()
            .find(|d| d.user_pool_id == pool.id);
        let region = &template.region;
        let (host, custom, version) = match domain {
            Some(d) if d.custom => (d.domain.clone(), true, d.managed_login_version),
            Some(d) => (
                format!("{}.auth.{region}.amazoncognito.com", d.domain),
                false,
                d.managed_login_version,
            ),
            // No domain: the pool has no managed login; the simulation still shows one, under a
            // prefix made from the pool's name, and says so on the page.
            None => (
                format!(
                    "{}.auth.{region}.amazoncognito.com",
                    prefix_from(&pool.name)
                ),
                false,
                2,
            ),
        };
        let mut groups: Vec<(String, Option<u64>)> = template
            .user_pool_groups
            .iter()
            .filter(|g| g.user_pool_id == pool.id)
            .map(|g| (g.name.clone(), g.precedence))
            .collect();
        groups.sort_by(|a, b| a.1.unwrap_or(u64::MAX).cmp(&b.1.unwrap_or(u64::MAX)));
        Pool {
            id: pool.id.clone(),
            name: pool.name.clone(),
            region: region.clone(),
            account_id: template.account_id.clone(),
            password_policy: pool.password_policy.clone(),
            email_as_username: pool.username_attributes.iter().any(|a| a == "email"),
            auto_verify_email: pool.auto_verified_attributes.iter().any(|a| a == "email"),
            auto_verify_phone: pool
                .auto_verified_attributes
                .iter()
                .any(|a| a == "phone_number"),
            custom_attributes: pool.custom_attributes.clone(),
            allowed_first_auth_factors: pool.allowed_first_auth_factors.clone(),
            client,
            domain: host,
            custom_domain: custom,
            managed_login_version: version,
            groups,
            is_default: false,
        }
    }

    /// The pool the Sign in view uses when the template declares none: email sign-in, Cognito's
    /// default password policy, password or email code, an `admins` group.
    pub fn default_pool(region: &str, account_id: &str) -> Pool {
        let id = eventyard_template::ids::user_pool_id(region, "EventyardUserPool");
        Pool {
            client: default_client(&id),
            id,
            name: "eventyard-users".into(),
            region: region.into(),
            account_id: account_id.into(),
            password_policy: PasswordPolicy::default(),
            email_as_username: true,
            auto_verify_email: true,
            auto_verify_phone: true,
            custom_attributes: Vec::new(),
            allowed_first_auth_factors: vec![
                "PASSWORD".into(),
                "EMAIL_OTP".into(),
                "SMS_OTP".into(),
                "WEB_AUTHN".into(),
            ],
            domain: format!("eventyard-demo.auth.{region}.amazoncognito.com"),
            custom_domain: false,
            managed_login_version: 2,
            groups: vec![("admins".into(), Some(1))],
            is_default: true,
        }
    }

    /// `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the tokens' `iss`.
    pub fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.{}.amazonaws.com/{}",
            self.region, self.id
        )
    }

    pub fn jwks_uri(&self) -> String {
        format!("{}/.well-known/jwks.json", self.issuer())
    }

    /// `https://<domain><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.domain)
    }

    pub fn allows(&self, factor: &str) -> bool {
        self.allowed_first_auth_factors.iter().any(|f| f == factor)
    }

    /// The key under which the shell keeps this pool's users.
    pub fn storage_key(&self) -> String {
        format!("eventyard.cognito.users.{}", self.id)
    }
}

fn default_client(pool_id: &str) -> Client {
    Client {
        id: eventyard_template::ids::user_pool_client_id(&format!("{pool_id}-web")),
        name: "eventyard-web".into(),
        callback_urls: vec![DEFAULT_CALLBACK.into()],
        logout_urls: vec![DEFAULT_LOGOUT.into()],
        allowed_oauth_flows: vec!["code".into()],
        allowed_oauth_flows_user_pool_client: true,
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        generate_secret: false,
        secret: None,
        access_token_validity_s: 3_600,
        id_token_validity_s: 3_600,
        refresh_token_validity_s: 30 * 86_400,
        auth_session_validity_ms: 3 * 60_000,
    }
}

/// A client secret in Cognito's shape (51 lower-case letters and digits), derived from the
/// client id.
fn secret_for(client_id: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let first = crate::jwt::sha256(format!("client-secret:{client_id}").as_bytes());
    let second = crate::jwt::sha256(&first);
    first
        .iter()
        .chain(second.iter())
        .take(51)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A domain prefix: lower-case letters, digits and hyphens.
fn prefix_from(name: &str) -> String {
    let prefix: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let prefix = prefix.trim_matches('-');
    if prefix.is_empty() {
        "user-pool".into()
    } else {
        prefix.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_without_pools_gets_the_default_pool() {
        let template = eventyard_template::load("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
            .expect("loads");
        let pools = Pool::all_from_template(&template);
        assert_eq!(pools.len(), 1);
        let pool = &pools[0];
        assert!(pool.is_default);
        assert!(pool.client.allows_code_grant());
        assert_eq!(
            pool.issuer(),
            format!("https://cognito-idp.us-east-1.amazonaws.com/{}", pool.id)
        );
        assert_eq!(
            pool.url("/oauth2/authorize"),
            "https://eventyard-demo.auth.us-east-1.amazoncognito.com/oauth2/authorize"
        );
    }

    #[test]
    fn template_pool_domain_and_client() {
        let template = eventyard_template::load(
            "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Client:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      UserPoolId: !Ref Pool\n      AllowedOAuthFlows: [code]\n      AllowedOAuthFlowsUserPoolClient: true\n  Domain:\n    Type: AWS::Cognito::UserPoolDomain\n    Properties:\n      Domain: auth.example.com\n      UserPoolId: !Ref Pool\n      CustomDomainConfig:\n        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/x\n",
        )
        .expect("loads");
        let pool = &Pool::all_from_template(&template)[0];
        assert!(!pool.is_default);
        assert_eq!(pool.domain, "auth.example.com");
        assert!(pool.custom_domain);
        assert_eq!(pool.managed_login_version, 1);
        assert!(pool.client.allows_code_grant());
    }
}
