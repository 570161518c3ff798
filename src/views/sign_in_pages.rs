//! The simulated browser: a fake address bar with the real URL of each step, the permanent
//! simulation banner, and the page itself: the client app, or one of managed login's pages
//! (`/login`, `/signup`, `/confirm`, `/forgotPassword`, `/confirmforgotPassword`), with fields
//! named as on the real pages and each message under the field it is about.

use eventyard_cognito::password;
use eventyard_cognito::users::{Field, Medium};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::sign_in::{Action, Page, SignInModel};
use crate::views::sign_in::Dispatcher;

/// The value of the input with `id` (read at submit, so passwords live only in the input).
fn value(id: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}

fn clear(id: &str) {
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    {
        input.set_value("");
    }
}

fn submit(dispatcher: &Dispatcher, make: impl Fn() -> Action + 'static) -> Callback<SubmitEvent> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        dispatcher.send(make());
    })
}

/// One labelled input with its message (if the model has one for `field`).
fn field(
    model: &SignInModel,
    field: Field,
    id: &'static str,
    label: &str,
    kind: &'static str,
    autocomplete: &'static str,
) -> Html {
    let message = model
        .error
        .as_ref()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m.clone());
    let error_id = format!("{id}-error");
    html! {
        <div class="login-field">
            <label for={id}>{ label }</label>
            <input id={id} name={id} type={kind} autocomplete={autocomplete}
                aria-invalid={message.is_some().to_string()}
                aria-describedby={message.as_ref().map(|_| error_id.clone())} />
            if let Some(message) = message {
                <p id={error_id} class="field-error" role="alert">{ message }</p>
            }
        </div>
    }
}

fn form_error(model: &SignInModel) -> Html {
    match model.error.as_ref().filter(|(f, _)| *f == Field::Form) {
        Some((_, message)) => {
            html! { <p class="field-error form-error" role="alert">{ message }</p> }
        }
        None => html! {},
    }
}

fn link_button(dispatcher: &Dispatcher, label: &str, page: Page) -> Html {
    html! {
        <button type="button" class="link-button" onclick={dispatcher.callback(move || Action::Open(page.clone()))}>{ label }</button>
    }
}

pub fn browser_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let on_managed_login = !matches!(model.page, Page::Start | Page::SignedIn | Page::SignedOut);
    html! {
        <section class="browser" aria-label="Simulated browser">
            <div class="address-bar">
                <input type="text" readonly=true class="address" aria-label="Address" value={model.address.clone()} />
            </div>
            <details class="tab-history">
                <summary>{ format!("This tab's history ({} addresses)", model.history.len()) }</summary>
                <ol aria-label="History">
                    { for model.history.iter().map(|url| html! { <li><code>{ url }</code></li> }) }
                </ol>
            </details>
            <p class="sim-banner" role="note">
                { "Simulation: Eventyard's imitation of Amazon Cognito managed login. This is not an AWS page; nothing you type leaves your browser." }
            </p>
            if let Some(notice) = &model.notice {
                <p class="login-notice" role="status">{ notice }</p>
            }
            <div class={classes!("page-frame", on_managed_login.then_some("managed-login"))}>
                { page_view(model, dispatcher) }
            </div>
        </section>
    }
}

fn page_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let by_email = model.pool.email_as_username;
    let login_label = if by_email {
        "Email address"
    } else {
        "Username"
    };
    let login_field = if by_email {
        Field::Email
    } else {
        Field::Username
    };
    match &model.page {
        Page::Start | Page::SignedOut => {
            let start = {
                let dispatcher = dispatcher.clone();
                Callback::from(move |_| dispatcher.start())
            };
            html! {
                <div class="client-app">
                    <h2>{ "Example client app" }</h2>
                    <p>{ if model.page == Page::SignedOut { "You are signed out: the refresh token is revoked and managed login's session has ended." } else { "A single-page app that lets Cognito sign its users in. It has no password form of its own." } }</p>
                    <button class="primary" disabled={model.server.is_none()} onclick={start}>{ "Sign in with Cognito" }</button>
                    if model.server.is_none() {
                        <p class="note" role="status">{ "Making the user pool's RSA keys…" }</p>
                    }
                </div>
            }
        }
        Page::Login => html! {
            <form class="login-card" aria-label="Sign in" onsubmit={submit(dispatcher, move || {
                let action = Action::SubmitSignIn { login: value("login-name"), password: value("login-password") };
                clear("login-password");
                action
            })}>
                <h2>{ "Sign in" }</h2>
                { form_error(model) }
                { field(model, login_field, "login-name", login_label, if by_email { "email" } else { "text" }, "username") }
                // Choice-based sign-in: a password only when PASSWORD is an allowed first factor.
                if model.pool.allows("PASSWORD") {
                    { field(model, Field::Password, "login-password", "Password", "password", "current-password") }
                    <button type="submit" class="primary wide">{ "Sign in" }</button>
                }
                if model.pool.allows("EMAIL_OTP") {
                    <button type="button" class="wide" onclick={dispatcher.callback(|| Action::StartSignInCode { login: value("login-name"), medium: Medium::Email })}>{ "Sign in with a code by email" }</button>
                }
                if model.pool.allows("SMS_OTP") {
                    <button type="button" class="wide" onclick={dispatcher.callback(|| Action::StartSignInCode { login: value("login-name"), medium: Medium::Sms })}>{ "Sign in with a code by text message" }</button>
                }
                if model.offers_passkeys() {
                    <button type="button" class="wide" onclick={dispatcher.callback(|| Action::SignInWithPasskey { login: value("login-name") })}>{ "Sign in with a passkey" }</button>
                }
                <div class="login-links">
                    { link_button(dispatcher, "Forgot your password?", Page::Forgot) }
                    { link_button(dispatcher, "Create an account", Page::SignUp) }
                </div>
            </form>
        },
        Page::SignUp => {
            let custom_names = model.pool.custom_attributes.clone();
            // A phone number is asked for when it can be used: to sign in by text message or to
            // get the sign-up code by SMS.
            let asks_phone = model.pool.allows("SMS_OTP") || model.pool.auto_verify_phone;
            html! {
            <form class="login-card" aria-label="Create an account" onsubmit={submit(dispatcher, move || {
                let action = Action::SubmitSignUp { username: value("signup-username"), email: value("signup-email"), phone_number: if asks_phone { value("signup-phone") } else { String::new() }, password: value("signup-password"), custom: custom_names.iter().map(|name| (name.clone(), value(&format!("signup-custom-{name}")))).collect() };
                clear("signup-password");
                action
            })}>
                <h2>{ "Create an account" }</h2>
                { form_error(model) }
                if !by_email {
                    { field(model, Field::Username, "signup-username", "Username", "text", "username") }
                }
                { field(model, Field::Email, "signup-email", "Email address", "email", "email") }
                if asks_phone {
                    { field(model, Field::Phone, "signup-phone", "Phone number (optional)", "tel", "tel") }
                    <p class="note">{ if model.pool.auto_verify_phone { "With a phone number (+ and the country code, e.g. +15555550100) the code comes by text message, and only the phone number is verified." } else { "+ and the country code, e.g. +15555550100." } }</p>
                }
                { field(model, Field::Password, "signup-password", "Password", "password", "new-password") }
                { for model.pool.custom_attributes.iter().map(|name| {
                    let id = format!("signup-custom-{name}");
                    html! {
                        <div class="login-field">
                            <label for={id.clone()}>{ format!("custom:{name} (optional)") }</label>
                            <input id={id.clone()} name={id} type="text" />
                        </div>
                    }
                }) }
                <ul class="password-rules" aria-label="Password requirements">
                    { for password::describe(&model.pool.password_policy).into_iter().map(|rule| html! { <li>{ rule }</li> }) }
                </ul>
                <button type="submit" class="primary wide">{ "Create account" }</button>
                <div class="login-links">{ link_button(dispatcher, "Already have an account? Sign in", Page::Login) }</div>
            </form>
            }
        }
        Page::Confirm => html! {
            <form class="login-card" aria-label="Confirm your account" onsubmit={submit(dispatcher, || Action::SubmitConfirm { code: value("confirm-code") })}>
                <h2>{ "Confirm your account" }</h2>
                <p>{ format!("Enter the code we sent to {}.", model.sent_to) }</p>
                { form_error(model) }
                { field(model, Field::Code, "confirm-code", "Code", "text", "one-time-code") }
                <button type="submit" class="primary wide">{ "Confirm account" }</button>
                <div class="login-links">
                    <button type="button" class="link-button" onclick={dispatcher.callback(|| Action::ResendCode)}>{ "Resend code" }</button>
                    { link_button(dispatcher, "Back to sign in", Page::Login) }
                </div>
            </form>
        },
        Page::Forgot => html! {
            <form class="login-card" aria-label="Reset your password" onsubmit={submit(dispatcher, || Action::SubmitForgot { login: value("forgot-name") })}>
                <h2>{ "Reset your password" }</h2>
                <p>{ "We will email you a code to reset your password." }</p>
                { field(model, login_field, "forgot-name", login_label, "email", "username") }
                <button type="submit" class="primary wide">{ "Send code" }</button>
                <div class="login-links">{ link_button(dispatcher, "Back to sign in", Page::Login) }</div>
            </form>
        },
        Page::ConfirmForgot => html! {
            <form class="login-card" aria-label="Set a new password" onsubmit={submit(dispatcher, move || {
                let action = Action::SubmitReset { code: value("reset-code"), password: value("reset-password") };
                clear("reset-password");
                action
            })}>
                <h2>{ "Set a new password" }</h2>
                { form_error(model) }
                { field(model, Field::Code, "reset-code", "Code", "text", "one-time-code") }
                { field(model, Field::Password, "reset-password", "New password", "password", "new-password") }
                <button type="submit" class="primary wide">{ "Reset password" }</button>
            </form>
        },
        Page::SignInCode(medium) => html! {
            <form class="login-card" aria-label="Enter the code" onsubmit={submit(dispatcher, || Action::SubmitOtp { code: value("otp-code") })}>
                <h2>{ if *medium == Medium::Sms { "Check your phone" } else { "Check your email" } }</h2>
                <p>{ format!("If {} has an account with a verified {}, a sign-in code is on its way. It is valid for {} minutes (the app client's authentication session).", model.login, if *medium == Medium::Sms { "phone number" } else { "email address" }, model.pool.client.auth_session_validity_ms / 60_000) }</p>
                { field(model, Field::Code, "otp-code", "Code", "text", "one-time-code") }
                <button type="submit" class="primary wide">{ "Sign in" }</button>
                <div class="login-links">{ link_button(dispatcher, "Sign in with a password instead", Page::Login) }</div>
            </form>
        },
        // Cognito's own error page (`/error?error=redirect_mismatch`, or `Invalid state`) shows
        // this headline, as reports of it quote it; the explanation under it is ours.
        Page::Error(explanation) => html! {
            <div class="login-card">
                <h2>{ "An error was encountered with the requested page." }</h2>
                <p>{ explanation }</p>
            </div>
        },
        Page::SignedIn => signed_in_view(model, dispatcher),
    }
}

fn signed_in_view(model: &SignInModel, dispatcher: &Dispatcher) -> Html {
    let email = model
        .client
        .tokens
        .as_ref()
        .and_then(|t| eventyard_cognito::jwt::decode(&t.id_token).ok())
        .and_then(|d| d.claim_str("email").map(str::to_string))
        .unwrap_or_default();
    let username = model.client.username.clone().unwrap_or_default();
    let groups = model
        .users
        .users
        .get(&username)
        .map(|u| u.groups.clone())
        .unwrap_or_default();
    html! {
        <div class="client-app">
            <h2>{ "Example client app" }</h2>
            <p>{ format!("Signed in as {email}. The app holds an ID token, an access token and a refresh token (in memory only).") }</p>
            if !model.pool.groups.is_empty() {
                <fieldset class="groups">
                    <legend>{ "Groups (an administrator's AdminAddUserToGroup)" }</legend>
                    { for model.pool.groups.iter().map(|(group, _)| {
                        let member = groups.contains(group);
                        let name = group.clone();
                        html! {
                            <label class="check">
                                <input type="checkbox" checked={member}
                                    onchange={dispatcher.callback(move || Action::SetGroup { group: name.clone(), member: !member })} />
                                { format!(" {group}") }
                            </label>
                        }
                    }) }
                </fieldset>
            }
            if model.offers_passkeys() {
                <div class="passkeys">
                    <p>{ match model.passkeys().len() {
                        0 => "No passkey yet. Managed login's /passkeys/add page registers one with this browser's simulated authenticator.".to_string(),
                        n => format!("Passkeys registered: {n} (the simulated authenticator keeps their private keys in this page's memory only)."),
                    } }</p>
                    <button onclick={dispatcher.callback(|| Action::AddPasskey)}>{ "Add a passkey" }</button>
                </div>
            } else if model.pool.allows("WEB_AUTHN") {
                <p class="note">{ "WEB_AUTHN is allowed, but passkeys need managed login version 2 (ManagedLoginVersion: 2 on the domain); the classic hosted UI has no passkey page." }</p>
            }
            <button onclick={dispatcher.callback(|| Action::SignOut)}>{ "Sign out" }</button>
        </div>
    }
}
