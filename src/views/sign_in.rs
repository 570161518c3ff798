//! The mock Cognito managed login for the template's user pool (or a default pool): the
//! simulated browser with its address bar and pages, the inbox, the virtual clock, the flow as
//! a sequence diagram, the mistakes to try and the token inspector.
//!
//! This file is the shell around [`SignInModel`]: it keeps the model, performs the effects the
//! model asks for with WebCrypto (PBKDF2, RS256 sign and verify) and saves the users (salted
//! hashes only) per pool in local storage. Pages, flow and tokens render in their own files.

use std::cell::RefCell;
use std::rc::Rc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use eventyard_cognito::jwt::{self, Jwks};
use eventyard_cognito::password::PasswordHash;
use eventyard_cognito::users::UserStore;
use eventyard_cognito::Pool;
use yew::prelude::*;

use crate::components::kept_aside::KeptAsideNotice;
use crate::services::{authenticator, storage, webcrypto};
use crate::state::playground::PlaygroundDocument;
use crate::state::sign_in::{Action, Effect, SignInModel};
use crate::views::sign_in_flow::{clock_view, flow_view, mistakes_view};
use crate::views::sign_in_pages::browser_view;
use crate::views::sign_in_tokens::inspector_view;

/// The pool's two private keys (ID tokens, access tokens), never extractable.
struct Keys {
    id: webcrypto::SigningKey,
    access: webcrypto::SigningKey,
}

/// Sends actions to the model and performs what they ask of the browser.
#[derive(Clone)]
pub struct Dispatcher {
    model: Rc<RefCell<SignInModel>>,
    keys: Rc<RefCell<Option<Keys>>>,
    redraw: Callback<()>,
}

impl PartialEq for Dispatcher {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model)
    }
}

impl Dispatcher {
    pub fn send(&self, action: Action) {
        let effect = self.model.borrow_mut().apply(action);
        self.save_users();
        crate::services::identity::publish(self.model.borrow().identity_claims().as_ref());
        self.redraw.emit(());
        self.perform(effect);
    }

    pub fn callback<E>(&self, make: impl Fn() -> Action + 'static) -> Callback<E> {
        let this = self.clone();
        Callback::from(move |_| this.send(make()))
    }

    fn save_users(&self) {
        let mut model = self.model.borrow_mut();
        if model.users_changed {
            model.users_changed = false;
            // In the autosave format, so a save that cannot be read later is kept aside, never
            // overwritten; a refused write only loses the accounts at the next visit.
            let _ = storage::autosave(&model.pool.storage_key(), &model.users);
        }
    }

    fn perform(&self, effect: Effect) {
        let this = self.clone();
        match effect {
            Effect::None => {}
            Effect::Hash {
                password,
                params,
                purpose,
            } => {
                wasm_bindgen_futures::spawn_local(async move {
                    match webcrypto::pbkdf2(&password, &params.salt_bytes(), params.iterations)
                        .await
                    {
                        Ok(bytes) => this.send(Action::Hashed {
                            purpose,
                            hash: PasswordHash {
                                salt: params.salt,
                                iterations: params.iterations,
                                hash: STANDARD.encode(bytes),
                            },
                        }),
                        Err(e) => this.fail(format!("WebCrypto could not hash the password: {e}")),
                    }
                });
            }
            Effect::Sign(pending) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let keys = this
                        .keys
                        .borrow()
                        .as_ref()
                        .map(|k| (k.id.private.clone(), k.access.private.clone()));
                    let Some((id_key, access_key)) = keys else {
                        return this.fail("The user pool's keys are not ready.".into());
                    };
                    let signatures = (
                        webcrypto::sign(&id_key, pending.id_signing_input.as_bytes()),
                        webcrypto::sign(&access_key, pending.access_signing_input.as_bytes()),
                    );
                    match (signatures.0.await, signatures.1.await) {
                        (Ok(id_signature), Ok(access_signature)) => {
                            this.send(Action::Signed {
                                id_signature,
                                access_signature,
                            });
                            this.verify_tokens().await;
                        }
                        (Err(e), _) | (_, Err(e)) => {
                            this.fail(format!("WebCrypto could not sign: {e}"))
                        }
                    }
                });
            }
            Effect::CreatePasskey {
                credential_id,
                exclude,
            } => {
                wasm_bindgen_futures::spawn_local(async move {
                    match authenticator::create(&credential_id, &exclude).await {
                        Ok((x, y)) => this.send(Action::PasskeyCreated {
                            credential_id,
                            x,
                            y,
                        }),
                        Err(message) => this.send(Action::AuthenticatorRefused { message }),
                    }
                });
            }
            Effect::SignWithPasskey { allowed, data } => {
                wasm_bindgen_futures::spawn_local(async move {
                    match authenticator::sign(&allowed, &data).await {
                        Ok(signed) => this.send(Action::PasskeySigned { signed }),
                        Err(e) => this.send(Action::AuthenticatorRefused {
                            message: format!("The authenticator could not sign: {e}"),
                        }),
                    }
                });
            }
            Effect::VerifyPasskey {
                x,
                y,
                data,
                signature,
            } => {
                wasm_bindgen_futures::spawn_local(async move {
                    let valid = webcrypto::verify_es256(&x, &y, &data, &signature)
                        .await
                        .unwrap_or(false);
                    this.send(Action::PasskeyChecked { valid });
                });
            }
        }
    }

    /// Verifies both tokens' signatures with the keys of the JWKS the page shows.
    async fn verify_tokens(&self) {
        let (tokens, jwks) = {
            let model = self.model.borrow();
            (model.client.tokens.clone(), model.jwks.clone())
        };
        let Some(tokens) = tokens else { return };
        let id = verify_one(&tokens.id_token, &jwks).await;
        let access = verify_one(&tokens.access_token, &jwks).await;
        self.send(Action::SignaturesChecked { id, access });
    }

    fn fail(&self, message: String) {
        self.model.borrow_mut().notice = Some(message);
        self.redraw.emit(());
    }

    /// The client app starts a sign-in with a fresh verifier, state and nonce.
    pub fn start(&self) {
        match (webcrypto::random_bytes(), webcrypto::random_bytes()) {
            (Ok(verifier), Ok(more)) => self.send(Action::Start {
                verifier: eventyard_cognito::pkce::verifier_from_bytes(&verifier),
                state: jwt::b64url(&more[..16]),
                nonce: jwt::b64url(&more[16..]),
            }),
            (Err(e), _) | (_, Err(e)) => {
                self.fail(format!("No random values from the browser: {e}"))
            }
        }
    }
}

async fn verify_one(token: &str, jwks: &Jwks) -> bool {
    let Ok(decoded) = jwt::decode(token) else {
        return false;
    };
    let Some(key) = jwks.find(decoded.kid().unwrap_or_default()) else {
        return false;
    };
    webcrypto::verify(key, decoded.signing_input.as_bytes(), &decoded.signature)
        .await
        .unwrap_or(false)
}

/// The pool: the first of the playground's template, else the default pool.
fn pool_and_users() -> (Pool, UserStore, u64) {
    let document: PlaygroundDocument = storage::peek("playground").unwrap_or_default();
    let template = eventyard_template::load(&document.template).unwrap_or_default();
    let pool = if template.region.is_empty() {
        // A template that does not load: the default pool, in the default region.
        Pool::default_pool(
            eventyard_template::DEFAULT_REGION,
            eventyard_template::DEFAULT_ACCOUNT_ID,
        )
    } else {
        Pool::all_from_template(&template)
            .into_iter()
            .next()
            .unwrap_or_else(|| Pool::default_pool(&template.region, &template.account_id))
    };
    // Older saves (bare JSON) still read; a damaged or newer one is kept aside for the notice.
    let users = storage::restore::<UserStore>(&pool.storage_key())
        .unwrap_or_else(|| UserStore::new(template.playground.seed));
    let start_ms = if template.playground.start_time_ms == 0 {
        eventyard_template::DEFAULT_START_TIME_MS
    } else {
        template.playground.start_time_ms
    };
    (pool, users, start_ms)
}

thread_local! {
    /// The model and keys while the view is away (the learner visits the playground and comes
    /// back signed in). Memory only: tokens never reach storage.
    static KEPT_MODEL: RefCell<Option<SignInModel>> = const { RefCell::new(None) };
    static KEPT_KEYS: RefCell<Option<Keys>> = const { RefCell::new(None) };
}

/// The kept model when it is for the same pool (its keys stay kept for [`kept_keys`]), else a
/// new one (and the kept keys are dropped).
fn initial_model() -> SignInModel {
    let (pool, users, start_ms) = pool_and_users();
    match KEPT_MODEL.with(|kept| kept.borrow_mut().take()) {
        Some(mut model) if model.pool == pool => {
            // Users may have changed in another tab: the saved store wins.
            model.users = users;
            model
        }
        _ => {
            KEPT_KEYS.with(|kept| kept.borrow_mut().take());
            SignInModel::new(pool, users, start_ms)
        }
    }
}

fn kept_keys() -> Option<Keys> {
    KEPT_KEYS.with(|kept| kept.borrow_mut().take())
}

#[function_component(SignIn)]
pub fn sign_in() -> Html {
    // In this order: the model decides whether the kept keys still belong to it.
    let model = use_mut_ref(initial_model);
    let keys = use_mut_ref(kept_keys);
    let update = use_force_update();
    let dispatcher = Dispatcher {
        model: model.clone(),
        keys: keys.clone(),
        redraw: Callback::from(move |_| update.force_update()),
    };
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let on_leave = dispatcher.clone();
            if dispatcher.keys.borrow().is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    match (
                        webcrypto::generate_signing_key().await,
                        webcrypto::generate_signing_key().await,
                    ) {
                        (Ok(id), Ok(access)) => {
                            let action = Action::KeysReady {
                                jwks: Jwks {
                                    keys: vec![id.public.clone(), access.public.clone()],
                                },
                                id_kid: id.public.kid.clone(),
                                access_kid: access.public.kid.clone(),
                            };
                            *dispatcher.keys.borrow_mut() = Some(Keys { id, access });
                            dispatcher.send(action);
                        }
                        (Err(e), _) | (_, Err(e)) => dispatcher.fail(format!(
                            "WebCrypto could not make the user pool's keys: {e}"
                        )),
                    }
                });
            }
            move || {
                let model = on_leave.model.borrow().clone();
                let keys = on_leave.keys.borrow_mut().take();
                KEPT_MODEL.with(|kept| *kept.borrow_mut() = Some(model));
                KEPT_KEYS.with(|kept| *kept.borrow_mut() = keys);
            }
        });
    }
    let snapshot = model.borrow().clone();
    let pool = &snapshot.pool;
    let source = if pool.is_default {
        "The playground's template declares no AWS::Cognito::UserPool, so this is a default pool: sign in by email, Cognito's default password policy, a password, a code by email or text message, or a passkey; an admins group.".to_string()
    } else {
        format!(
            "User pool {} ({}) from the playground's template; app client {}; sign-in factors {}.",
            pool.name,
            pool.id,
            pool.client.name,
            pool.allowed_first_auth_factors.join(", ")
        )
    };
    // ManagedLoginVersion 1 is the classic hosted UI; these pages follow managed login (2).
    let version = if pool.managed_login_version == 1 {
        " The domain sets ManagedLoginVersion 1, the classic hosted UI; the pages here follow managed login (version 2), its successor since late 2024."
    } else {
        ""
    };
    html! {
        <section class="view sign-in" aria-labelledby="view-title">
            <h1 id="view-title">{ "Sign in" }</h1>
            <p class="lede">
                { "A mock of Amazon Cognito's managed login and the OAuth 2.0 authorization-code grant with PKCE: sign up, confirm with a code from the inbox, sign in with a password, a one-time code or a passkey, and inspect real RS256-signed tokens. Everything runs in this page; passwords are kept only as salted PBKDF2 hashes, and nothing is sent anywhere." }
            </p>
            <p class="note">{ source }{ version }</p>
            <KeptAsideNotice storage_key={pool.storage_key()} label="sign-in accounts" />
            <div class="signin-layout">
                { browser_view(&snapshot, &dispatcher) }
                <div class="signin-side">
                    { inbox_view(&snapshot) }
                    { clock_view(&snapshot, &dispatcher) }
                </div>
            </div>
            { mistakes_view(&snapshot, &dispatcher) }
            { flow_view(&snapshot) }
            { inspector_view(&snapshot, &dispatcher) }
        </section>
    }
}

fn inbox_view(model: &SignInModel) -> Html {
    html! {
        <section class="inbox-panel" aria-labelledby="inbox-title">
            <h2 id="inbox-title">{ "Inbox" }</h2>
            <p class="note">{ "Simulated email and text messages: what the user pool sends arrives here." }</p>
            if model.inbox.is_empty() {
                <p class="note">{ "No messages yet." }</p>
            } else {
                <ul class="mail-list" aria-label="Messages">
                    { for model.inbox.iter().map(|mail| html! {
                        <li class="mail">
                            <div class="mail-head">
                                <strong>{ if mail.medium == eventyard_cognito::users::Medium::Sms { "Text message" } else { mail.subject.as_str() } }</strong>
                                <span class="note">{ format!(" to {} · {}", mail.to, crate::views::sign_in_flow::elapsed(mail.sent_ms, model.start_ms)) }</span>
                            </div>
                            <p>{ &mail.body }</p>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
