//! The mock Cognito hosted sign-in for a template's user pool.

use yew::prelude::*;

#[function_component(SignIn)]
pub fn sign_in() -> Html {
    html! {
        <section class="view" aria-labelledby="view-title">
            <h1 id="view-title">{ "Sign in" }</h1>
            <p class="lede">
                { "A mock of the Amazon Cognito hosted sign-in: sign up, confirm with a code from a \
                   simulated inbox, sign in, and follow the OAuth 2.0 authorization-code flow with PKCE \
                   step by step, with real signed tokens to inspect." }
            </p>
            <p class="notice" role="status">
                { "Not in this build yet. Nothing you type here would ever leave your browser, and \
                   share links never carry passwords or tokens." }
            </p>
        </section>
    }
}
