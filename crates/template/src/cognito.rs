//! Amazon Cognito user pools for the mock sign-in (CloudFormation pages
//! "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolDomain",
//! "AWS::Cognito::UserPoolGroup"). Only what the sign-in pages and the token endpoint use is
//! read; other properties are accepted and ignored.

use crate::error::Errors;
use crate::model::{
    Origin, PasswordPolicy, UserPool, UserPoolClient, UserPoolDomain, UserPoolGroup,
};
use crate::node::{Node, Value};
use crate::props::{integer_of, Props};
use crate::resolve::Identity;

/// A list of strings; anything else is an error at its place.
fn strings(props: &Props<'_>, node: Option<&Node>, name: &str, errors: &mut Errors) -> Vec<String> {
    let Some(node) = node else {
        return Vec::new();
    };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| match &item.value {
                Value::String(s) => Some(s.clone()),
                _ => {
                    errors.push(
                        props.logical_id,
                        item.pos,
                        format!("{name} must be a list of strings"),
                    );
                    None
                }
            })
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            errors.push(
                props.logical_id,
                node.pos,
                format!("{name} must be a list of strings, not {}", node.kind_name()),
            );
            Vec::new()
        }
    }
}

/// An integer property in `range` (`default` when absent); anything else is an error at its
/// place, "Invalid value for <name>: must be an integer from <lo> to <hi><unit>", and the default.
fn integer_in(
    logical_id: &str,
    node: Option<&Node>,
    (name, range, unit): (&str, std::ops::RangeInclusive<u64>, &str),
    default: u64,
    errors: &mut Errors,
) -> u64 {
    let Some(node) = node else {
        return default;
    };
    match integer_of(node) {
        Some(value) if range.contains(&value) => value,
        _ => {
            errors.push(
                logical_id,
                node.pos,
                format!(
                    "Invalid value for {name}: must be an integer from {} to {}{unit}",
                    range.start(),
                    range.end()
                ),
            );
            default
        }
    }
}

fn flag(node: Option<&Node>) -> bool {
    match node.map(|n| &n.value) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

pub fn user_pool(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> UserPool {
    let id = props.logical_id;
    let policies = props.get("Policies");
    let password_policy = match policies.and_then(|p| p.get("PasswordPolicy")) {
        None => PasswordPolicy::default(),
        Some(policy) => {
            // user-pool-settings-policies: 6 to 99 characters.
            let minimum_length = integer_in(
                id,
                policy.get("MinimumLength"),
                ("MinimumLength", 6..=99, ""),
                8,
                errors,
            );
            PasswordPolicy {
                minimum_length,
                require_lowercase: flag(policy.get("RequireLowercase")),
                require_uppercase: flag(policy.get("RequireUppercase")),
                require_numbers: flag(policy.get("RequireNumbers")),
                require_symbols: flag(policy.get("RequireSymbols")),
                temporary_password_validity_days: policy
                    .get("TemporaryPasswordValidityDays")
                    .and_then(integer_of)
                    .unwrap_or(7),
            }
        }
    };
    let factors_node = policies
        .and_then(|p| p.get("SignInPolicy"))
        .and_then(|p| p.get("AllowedFirstAuthFactors"));
    let mut allowed_first_auth_factors =
        strings(props, factors_node, "AllowedFirstAuthFactors", errors);
    for factor in &allowed_first_auth_factors {
        if !["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"].contains(&factor.as_str()) {
            errors.push(
                id,
                factors_node.map_or(origin.pos, |n| n.pos),
                format!("AllowedFirstAuthFactors: {factor} is not one of PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN"),
            );
        }
    }
    if allowed_first_auth_factors.is_empty() {
        allowed_first_auth_factors.push("PASSWORD".to_string());
    }
    let custom_attributes = props
        .get("Schema")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|attribute| attribute.get("Name").and_then(Node::as_str))
        .map(str::to_string)
        .collect();
    let name = props
        .string("UserPoolName", errors)
        .unwrap_or_else(|| origin.logical_id.clone());
    UserPool {
        username_attributes: strings(
            props,
            props.get("UsernameAttributes"),
            "UsernameAttributes",
            errors,
        ),
        auto_verified_attributes: strings(
            props,
            props.get("AutoVerifiedAttributes"),
            "AutoVerifiedAttributes",
            errors,
        ),
        origin,
        id: identity.name,
        name,
        arn: identity.arn,
        password_policy,
        custom_attributes,
        allowed_first_auth_factors,
    }
}

/// Seconds in one `TokenValidityUnits` unit.
fn unit_s(unit: Option<&str>, default_s: u64) -> u64 {
    match unit {
        Some("seconds") => 1,
        Some("minutes") => 60,
        Some("hours") => 3_600,
        Some("days") => 86_400,
        _ => default_s,
    }
}

pub fn user_pool_client(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> UserPoolClient {
    let id = props.logical_id;
    let units = props.get("TokenValidityUnits");
    let unit = |name: &str| units.and_then(|u| u.get(name)).and_then(Node::as_str);
    // user-pool-settings-tokens (token expiration): access and ID tokens 5 minutes to 1 day,
    // 1 hour by default; refresh tokens 60 minutes to 10 years, 30 days by default.
    let mut validity = |name: &str,
                        unit_name: &str,
                        default_unit_s: u64,
                        default_s: u64,
                        min_s: u64,
                        max_s: u64| {
        let Some(node) = props.get(name) else {
            return default_s;
        };
        let seconds =
            integer_of(node).map(|n| n.saturating_mul(unit_s(unit(unit_name), default_unit_s)));
        match seconds {
            Some(s) if (min_s..=max_s).contains(&s) => s,
            _ => {
                errors.push(
                    id,
                    node.pos,
                    format!("Invalid value for {name}: must be from {min_s} to {max_s} seconds once TokenValidityUnits is applied"),
                );
                default_s
            }
        }
    };
    let access_token_validity_s = validity(
        "AccessTokenValidity",
        "AccessToken",
        3_600,
        3_600,
        300,
        86_400,
    );
    let id_token_validity_s = validity("IdTokenValidity", "IdToken", 3_600, 3_600, 300, 86_400);
    let refresh_token_validity_s = validity(
        "RefreshTokenValidity",
        "RefreshToken",
        86_400,
        30 * 86_400,
        3_600,
        3_650 * 86_400,
    );
    // AWS::Cognito::UserPoolClient AuthSessionValidity: "the duration, in minutes, of that
    // session token", minimum 3, maximum 15; the guide's "Authentication flow session
    // duration" (amazon-cognito-user-pools-authentication-flow: "By default, your users have
    // three minutes to complete each challenge").
    let auth_session_validity_min = integer_in(
        id,
        props.get("AuthSessionValidity"),
        ("AuthSessionValidity", 3..=15, " (minutes)"),
        3,
        errors,
    );
    let user_pool_id = props
        .required_string("UserPoolId", errors)
        .unwrap_or_default();
    UserPoolClient {
        name: props
            .string("ClientName", errors)
            .unwrap_or_else(|| origin.logical_id.clone()),
        id: identity.name,
        user_pool_id,
        callback_urls: strings(props, props.get("CallbackURLs"), "CallbackURLs", errors),
        logout_urls: strings(props, props.get("LogoutURLs"), "LogoutURLs", errors),
        allowed_oauth_flows: strings(
            props,
            props.get("AllowedOAuthFlows"),
            "AllowedOAuthFlows",
            errors,
        ),
        allowed_oauth_flows_user_pool_client: props.bool("AllowedOAuthFlowsUserPoolClient", errors),
        allowed_oauth_scopes: strings(
            props,
            props.get("AllowedOAuthScopes"),
            "AllowedOAuthScopes",
            errors,
        ),
        explicit_auth_flows: strings(
            props,
            props.get("ExplicitAuthFlows"),
            "ExplicitAuthFlows",
            errors,
        ),
        generate_secret: props.bool("GenerateSecret", errors),
        access_token_validity_s,
        id_token_validity_s,
        refresh_token_validity_s,
        auth_session_validity_min,
        origin,
    }
}

pub fn user_pool_domain(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> UserPoolDomain {
    let managed_login_version = match props.get("ManagedLoginVersion") {
        None => 1,
        Some(node) => match integer_of(node) {
            Some(v @ (1 | 2)) => v,
            _ => {
                errors.push(
                    props.logical_id,
                    node.pos,
                    "ManagedLoginVersion must be 1 (hosted UI, classic) or 2 (managed login)",
                );
                1
            }
        },
    };
    UserPoolDomain {
        domain: identity.name,
        user_pool_id: props
            .required_string("UserPoolId", errors)
            .unwrap_or_default(),
        custom: props.get("CustomDomainConfig").is_some(),
        managed_login_version,
        origin,
    }
}

pub fn user_pool_group(
    origin: Origin,
    identity: Identity,
    props: &Props<'_>,
    errors: &mut Errors,
) -> UserPoolGroup {
    UserPoolGroup {
        name: identity.name,
        user_pool_id: props
            .required_string("UserPoolId", errors)
            .unwrap_or_default(),
        precedence: props.get("Precedence").and_then(integer_of),
        description: props.string("Description", errors).unwrap_or_default(),
        origin,
    }
}

#[cfg(test)]
mod tests {
    use crate::load;

    const TEMPLATE: &str = r#"
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: shop-users
      UsernameAttributes: [email]
      AutoVerifiedAttributes: [email]
      Policies:
        PasswordPolicy:
          MinimumLength: 10
          RequireNumbers: true
        SignInPolicy:
          AllowedFirstAuthFactors: [PASSWORD, EMAIL_OTP]
      Schema:
        - Name: tier
          AttributeDataType: String
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      CallbackURLs: [https://localhost:3000/callback]
      AllowedOAuthFlows: [code]
      AllowedOAuthFlowsUserPoolClient: true
      AllowedOAuthScopes: [openid, email]
      IdTokenValidity: 30
      TokenValidityUnits:
        IdToken: minutes
  Domain:
    Type: AWS::Cognito::UserPoolDomain
    Properties:
      Domain: shop-login
      UserPoolId: !Ref Pool
      ManagedLoginVersion: 2
  Admins:
    Type: AWS::Cognito::UserPoolGroup
    Properties:
      GroupName: admins
      UserPoolId: !Ref Pool
"#;

    #[test]
    fn cognito_resources_are_modelled_not_listed_as_not_simulated() {
        let template = load(TEMPLATE).expect("loads");
        assert!(template.not_simulated.is_empty());
        let pool = &template.user_pools[0];
        assert_eq!(pool.name, "shop-users");
        assert!(pool.id.starts_with("us-east-1_"));
        assert_eq!(pool.password_policy.minimum_length, 10);
        assert!(pool.password_policy.require_numbers);
        assert!(!pool.password_policy.require_symbols);
        assert_eq!(pool.allowed_first_auth_factors, ["PASSWORD", "EMAIL_OTP"]);
        assert_eq!(pool.custom_attributes, ["tier"]);
        let client = &template.user_pool_clients[0];
        assert_eq!(client.user_pool_id, pool.id);
        assert_eq!(client.id.len(), 26);
        assert_eq!(client.id_token_validity_s, 1_800);
        assert_eq!(client.access_token_validity_s, 3_600);
        assert_eq!(client.refresh_token_validity_s, 30 * 86_400);
        assert_eq!(client.auth_session_validity_min, 3);
        let domain = &template.user_pool_domains[0];
        assert_eq!(domain.domain, "shop-login");
        assert_eq!(domain.managed_login_version, 2);
        assert_eq!(template.user_pool_groups[0].name, "admins");
        assert_eq!(template.user_pool_groups[0].user_pool_id, pool.id);
    }

    #[test]
    fn a_pool_without_a_password_policy_has_cognitos_default() {
        let template =
            load("Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n").expect("loads");
        let policy = &template.user_pools[0].password_policy;
        assert_eq!(policy.minimum_length, 8);
        assert!(policy.require_symbols && policy.require_uppercase);
    }

    #[test]
    fn bad_values_are_errors_at_their_place() {
        let errors = load(
            "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      Policies:\n        PasswordPolicy:\n          MinimumLength: 3\n",
        )
        .expect_err("refused");
        assert!(errors[0].message.contains("MinimumLength"), "{errors:?}");
        assert_eq!(errors[0].pos.line, 7);
    }

    /// AWS::Cognito::UserPoolClient AuthSessionValidity: minutes, from 3 to 15.
    #[test]
    fn auth_session_validity_is_3_to_15_minutes() {
        let client = |minutes: &str| {
            format!("Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n  Client:\n    Type: AWS::Cognito::UserPoolClient\n    Properties:\n      UserPoolId: !Ref Pool\n      AuthSessionValidity: {minutes}\n")
        };
        let template = load(&client("15")).expect("loads");
        assert_eq!(template.user_pool_clients[0].auth_session_validity_min, 15);
        for bad in ["2", "16", "ten"] {
            let errors = load(&client(bad)).expect_err("refused");
            assert!(
                errors[0].message.contains("AuthSessionValidity"),
                "{errors:?}"
            );
            assert_eq!(errors[0].pos.line, 8);
        }
    }
}
