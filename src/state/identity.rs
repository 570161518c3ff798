//! The signed-in user's identity in events: an API with a Cognito authorizer hands the caller's
//! ID token claims to its backend as `requestContext.authorizer.claims` (API Gateway REST API,
//! Lambda proxy integration: every claim a string), and events the backend puts carry them, so
//! rules can route on them (`cognito:groups`).

use serde_json::{Map, Value};

/// The claims as a REST API's Cognito authorizer passes them: strings, groups joined by commas.
pub fn authorizer_claims(id_claims: &Value) -> Value {
    let mut claims = Map::new();
    for (name, value) in id_claims.as_object().into_iter().flatten() {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map_or_else(|| item.to_string(), str::to_string)
                })
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        claims.insert(name.clone(), Value::String(text));
    }
    Value::Object(claims)
}

/// The event detail (JSON object text) with `requestContext.authorizer.claims` set.
pub fn with_claims(detail: &str, id_claims: &Value) -> Result<String, String> {
    let mut value: Value =
        serde_json::from_str(detail).map_err(|error| format!("Detail: not JSON ({error})"))?;
    let Some(object) = value.as_object_mut() else {
        return Err("Detail: must be a JSON object, as PutEvents requires".into());
    };
    let mut authorizer = Map::new();
    authorizer.insert("claims".into(), authorizer_claims(id_claims));
    let mut context = Map::new();
    context.insert("authorizer".into(), Value::Object(authorizer));
    object.insert("requestContext".into(), Value::Object(context));
    serde_json::to_string(&value).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_become_strings_under_request_context() {
        let claims = json!({"sub": "u-1", "cognito:groups": ["admins", "editors"], "email_verified": true, "exp": 5});
        let detail = with_claims(r#"{"item": "glazed"}"#, &claims).expect("object");
        let value: Value = serde_json::from_str(&detail).expect("json");
        assert_eq!(value["item"], json!("glazed"));
        let sent = &value["requestContext"]["authorizer"]["claims"];
        assert_eq!(sent["cognito:groups"], json!("admins,editors"));
        assert_eq!(sent["email_verified"], json!("true"));
        assert_eq!(sent["exp"], json!("5"));
        assert!(with_claims("[1]", &claims).is_err());
        assert!(with_claims("{", &claims).is_err());
    }

    /// The admins-only preset's rule routes an event with a signed-in admin's claims.
    #[test]
    fn the_admin_rule_of_the_preset_matches_an_admins_event() {
        let claims = json!({"sub": "u-1", "cognito:groups": ["admins"]});
        let detail: Value =
            serde_json::from_str(&with_claims("{}", &claims).expect("object")).expect("json");
        let pattern = eventyard_pattern::EventPattern::parse(
            r#"{"detail": {"requestContext": {"authorizer": {"claims": {"cognito:groups": [{"wildcard": "*admins*"}]}}}}}"#,
        )
        .expect("pattern");
        assert!(pattern.matches(&json!({"source": "shop.api", "detail": detail})));
        let customer = json!({"source": "shop.api", "detail": {"requestContext": {"authorizer": {"claims": {"sub": "u-2"}}}}});
        assert!(!pattern.matches(&customer));
    }
}
