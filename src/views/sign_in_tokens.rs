//! The token inspector: each token decoded (header and claims, one sentence per claim), its
//! signature checked with WebCrypto against the JWKS shown beside it, its expiry on the virtual
//! clock; the opaque refresh token; the JWKS and the discovery document; refresh and userInfo.

use eventyard_cognito::claims;
use eventyard_cognito::discovery;
use eventyard_cognito::jwt;
use serde_json::Value;
use yew::prelude::*;

use crate::state::sign_in::{Action, SignInModel};
use crate::views::sign_in::Dispatcher;

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn jwt_view(
    model: &SignInModel,
    title: &'static str,
    token: &str,
    token_use: &str,
    signature: Option<bool>,
) -> Html {
    let decoded = jwt::decode(token);
    let check = model.check(token, token_use);
    let signature_line = match (signature, &decoded) {
        (None, _) => (
            "pending",
            "Checking the signature with WebCrypto…".to_string(),
        ),
        (Some(true), Ok(d)) => (
            "good",
            format!(
                "Signature verified (RS256) with the JWKS key kid {}.",
                d.kid().unwrap_or_default()
            ),
        ),
        (Some(_), _) => (
            "bad",
            "The signature does NOT verify with any key of the JWKS.".to_string(),
        ),
    };
    let claims_line = match &check {
        Ok(d) => {
            let exp = d.claim_u64("exp").unwrap_or(0);
            (
                "good",
                format!(
                    "iss, {} and token_use check out; expires in {} min on the virtual clock.",
                    if token_use == "id" {
                        "aud"
                    } else {
                        "client_id"
                    },
                    exp.saturating_sub(model.now_s()) / 60
                ),
            )
        }
        Err(e) => ("bad", e.to_string()),
    };
    html! {
        <section class="token" aria-label={title}>
            <h3>{ title }</h3>
            <pre class="raw-token">{ token }</pre>
            <p class={classes!("check", signature_line.0)}>{ signature_line.1 }</p>
            <p class={classes!("check", claims_line.0)}>{ claims_line.1 }</p>
            if let Ok(d) = &decoded {
                <details>
                    <summary>{ "Header" }</summary>
                    <pre>{ pretty(&d.header) }</pre>
                </details>
                <table class="claims">
                    <caption>{ format!("{title} claims") }</caption>
                    <thead><tr><th scope="col">{ "Claim" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Meaning" }</th></tr></thead>
                    <tbody>
                        { for d.claims.as_object().into_iter().flatten().map(|(name, value)| html! {
                            <tr>
                                <th scope="row"><code>{ name }</code></th>
                                <td><code>{ value_text(value) }</code></td>
                                <td>{ claims::explain(name) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

pub fn inspector_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let discovery = pretty(&discovery::openid_configuration(&model.pool));
    html! {
        <section class="inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ "Token inspector" }</h2>
            if let Some(tokens) = &model.client.tokens {
                <div class="button-row">
                    <button type="button" onclick={dispatcher.callback(|| Action::Refresh)}>{ "Refresh tokens" }</button>
                    <button type="button" onclick={dispatcher.callback(|| Action::UserInfo)}>{ "Call userInfo" }</button>
                    <button type="button" onclick={dispatcher.callback(|| Action::CallApi)}>{ "Call the API" }</button>
                </div>
                if let Some(answer) = &model.api_response {
                    <pre class="response" aria-label="API response">{ answer }</pre>
                }
                if let Some(info) = &model.user_info {
                    <pre class="response" aria-label="userInfo response">{ info }</pre>
                }
                <div class="tokens">
                    { jwt_view(model, "ID token", &tokens.id_token, "id", model.signatures.id) }
                    { jwt_view(model, "Access token", &tokens.access_token, "access", model.signatures.access) }
                </div>
                <section class="token" aria-label="Refresh token">
                    <h3>{ "Refresh token" }</h3>
                    <pre class="raw-token">{ tokens.refresh_token.clone().unwrap_or_default() }</pre>
                    <p class="note">{ "Cognito's refresh tokens are encrypted JWTs (JWE: five parts, header {\"cty\":\"JWT\",\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}). Only the user pool can read them; the app just sends one back to /oauth2/token with grant_type=refresh_token. Revoking it (sign-out) stops refreshes." }</p>
                </section>
            } else {
                <p class="note">{ "Sign in to get tokens. The keys below already exist: the user pool made them in this browser with WebCrypto, a different one for ID and for access tokens." }</p>
            }
            <section class="token" aria-label="JWKS">
                <h3>{ "JWKS" }</h3>
                <p class="note"><code>{ model.pool.jwks_uri() }</code></p>
                <pre>{ model.jwks.to_json() }</pre>
            </section>
            <details class="discovery">
                <summary>{ "Discovery document" }</summary>
                <p class="note"><code>{ format!("{}/.well-known/openid-configuration", model.pool.issuer()) }</code></p>
                <pre aria-label="Discovery document">{ discovery }</pre>
            </details>
        </section>
    }
}
