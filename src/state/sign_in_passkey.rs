//! The Sign in reducer's passkey half (`WEB_AUTHN`): adding a passkey on managed login's
//! `/passkeys/add` page (managed login version 2 only) and signing in with one. The user pool's
//! side (options, the relying party's checks) is the engine's; the authenticator (a P-256 key
//! made and kept by the page) and the ES256 signature check are the shell's, asked for with
//! [`Effect`]s.

use eventyard_cognito::jwt::b64url;
use eventyard_cognito::users::AuthError;
use eventyard_cognito::webauthn::{self, Passkey};

use crate::state::sign_in::{Actor, Effect, SignInModel};

/// A passkey ceremony waiting for the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasskeyCeremony {
    /// `/passkeys/add` asked the authenticator for a new credential.
    Registering {
        username: String,
        challenge: String,
        credential_id: String,
    },
    /// Managed login asked the authenticator to sign the challenge.
    SigningIn {
        username: String,
        challenge: String,
        client_data_json: String,
        authenticator_data: Vec<u8>,
    },
    /// The assertion passed the user pool's checks; its signature is being verified.
    Verifying { username: String },
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

impl SignInModel {
    /// Whether this pool offers passkeys on its pages: `WEB_AUTHN` allowed, managed login 2.
    pub fn offers_passkeys(&self) -> bool {
        self.pool.allows("WEB_AUTHN") && self.pool.managed_login_version >= 2
    }

    /// The signed-in user's passkeys.
    pub fn passkeys(&self) -> &[Passkey] {
        self.client
            .username
            .as_ref()
            .and_then(|name| self.users.users.get(name))
            .map(|user| user.passkeys.as_slice())
            .unwrap_or_default()
    }

    /// The user pool refused a step of the ceremony: a red step and the message on the page.
    fn refused(&mut self, title: &str, e: AuthError) {
        self.failed_step(
            Actor::AuthServer,
            Actor::User,
            title,
            format!("{}: {}", e.exception, e.message),
        );
        self.notice = Some(e.message);
    }

    /// "Add a passkey": the app sends the browser to `/passkeys/add`, which runs in managed
    /// login's own session and asks the authenticator for a credential for the pool's domain.
    pub(super) fn add_passkey(&mut self) -> Effect {
        let Some(username) = self.client.username.clone() else {
            self.notice = Some("Sign in first: a passkey is added to a signed-in user.".into());
            return Effect::None;
        };
        if !self.managed_login_session_of(&username) {
            return Effect::None;
        }
        let redirect = self.pool.client.callback();
        let url = format!(
            "{}?client_id={}&redirect_uri={}",
            self.pool.url("/passkeys/add"),
            self.pool.client.id,
            eventyard_cognito::form::encode_component(&redirect)
        );
        self.step(
            Actor::Client,
            Actor::AuthServer,
            "GET /passkeys/add (managed login's passkey page)",
            url.clone(),
        );
        self.visit(url);
        match self.users.start_passkey_registration(&self.pool, &username) {
            Ok((challenge, options)) => {
                self.step(
                    Actor::AuthServer,
                    Actor::User,
                    "The page passes the creation options to navigator.credentials.create()",
                    format!("CredentialCreationOptions (as StartWebAuthnRegistration returns them):\n{}", pretty(&options)),
                );
                let credential_id = self.users.new_credential_id();
                let exclude = self
                    .passkeys()
                    .iter()
                    .map(|p| p.credential_id.clone())
                    .collect();
                self.passkey = Some(PasskeyCeremony::Registering {
                    username,
                    challenge,
                    credential_id: credential_id.clone(),
                });
                Effect::CreatePasskey {
                    credential_id,
                    exclude,
                }
            }
            Err(e) => {
                self.refused("/passkeys/add refused", e);
                Effect::None
            }
        }
    }

    /// The authenticator made a key pair: the credential goes to the user pool.
    pub(super) fn passkey_created(&mut self, credential_id: String, x: String, y: String) {
        let Some(PasskeyCeremony::Registering {
            username,
            challenge,
            credential_id: expected,
        }) = self.passkey.take()
        else {
            return;
        };
        if credential_id != expected {
            return;
        }
        let client_data = webauthn::client_data_json(
            "webauthn.create",
            &challenge,
            &webauthn::origin(&self.pool),
        );
        let credential = serde_json::json!({
            "id": credential_id,
            "rawId": credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data.as_bytes()),
                "publicKey (simplified: a JWK instead of a CBOR attestationObject)": {
                    "kty": "EC", "crv": "P-256", "x": x, "y": y,
                },
            },
        });
        self.step(
            Actor::User,
            Actor::AuthServer,
            "The authenticator's new credential, sent as CompleteWebAuthnRegistration does",
            format!(
                "clientDataJSON (decoded): {client_data}\n\nCredential:\n{}",
                pretty(&credential)
            ),
        );
        let passkey = Passkey {
            credential_id,
            x,
            y,
            created_ms: self.now_ms,
        };
        match self.users.complete_passkey_registration(
            &self.pool,
            &username,
            &challenge,
            &client_data,
            passkey,
        ) {
            Ok(()) => {
                self.users_changed = true;
                let back = self.pool.client.callback();
                self.step(
                    Actor::AuthServer,
                    Actor::Client,
                    "302 back to the app: the passkey is registered",
                    back.clone(),
                );
                self.visit(back);
                self.notice =
                    Some("Passkey added. Sign out, then choose Sign in with a passkey.".into());
            }
            Err(e) => self.refused("The credential is refused", e),
        }
    }

    /// "Sign in with a passkey" on `/login`: the user's passkeys and a challenge; the browser
    /// asks the authenticator to sign.
    pub(super) fn sign_in_with_passkey(&mut self, login: String) -> Effect {
        self.login = login.trim().to_string();
        match self.users.start_passkey_sign_in(&self.pool, &self.login) {
            Err(e) => {
                self.error = Some((e.field, e.message));
                Effect::None
            }
            Ok(None) => {
                self.step(
                    Actor::User,
                    Actor::AuthServer,
                    "POST /login (WEB_AUTHN)",
                    format!("email={}", self.login),
                );
                self.notice = Some("No passkey answered: this user has none registered here (add one after signing in).".into());
                Effect::None
            }
            Ok(Some((username, challenge, options))) => {
                self.step(
                    Actor::User,
                    Actor::AuthServer,
                    "POST /login (WEB_AUTHN)",
                    format!("email={}", self.login),
                );
                self.step(
                    Actor::AuthServer,
                    Actor::User,
                    "The page passes the request options to navigator.credentials.get()",
                    pretty(&options),
                );
                let client_data_json = webauthn::client_data_json(
                    "webauthn.get",
                    &challenge,
                    &webauthn::origin(&self.pool),
                );
                let authenticator_data = webauthn::authenticator_data(
                    webauthn::rp_id(&self.pool),
                    webauthn::FLAG_USER_PRESENT | webauthn::FLAG_USER_VERIFIED,
                );
                let allowed = self
                    .users
                    .users
                    .get(&username)
                    .map(|u| u.passkeys.iter().map(|p| p.credential_id.clone()).collect())
                    .unwrap_or_default();
                let data = webauthn::signed_data(&authenticator_data, &client_data_json);
                self.passkey = Some(PasskeyCeremony::SigningIn {
                    username,
                    challenge,
                    client_data_json,
                    authenticator_data,
                });
                Effect::SignWithPasskey { allowed, data }
            }
        }
    }

    /// The authenticator signed (or had no key): the user pool checks the assertion, then the
    /// shell verifies the signature with the registered public key.
    pub(super) fn passkey_signed(&mut self, signed: Option<(String, Vec<u8>)>) -> Effect {
        let Some(PasskeyCeremony::SigningIn {
            username,
            challenge,
            client_data_json,
            authenticator_data,
        }) = self.passkey.take()
        else {
            return Effect::None;
        };
        let Some((credential_id, signature)) = signed else {
            self.failed_step(Actor::User, Actor::User, "No key: the simulated authenticator forgot its passkeys", "The simulated authenticator keeps its private keys in this page's memory, as a security key keeps them in its chip: a reload is another device. Sign in another way and add a passkey again.");
            self.notice = Some("This browser's simulated authenticator has no key for that passkey (a reload forgets them). Sign in another way and add a passkey again.".into());
            return Effect::None;
        };
        let assertion = serde_json::json!({
            "id": credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data_json.as_bytes()),
                "authenticatorData": b64url(&authenticator_data),
                "signature (simplified: WebCrypto's raw r||s, not DER)": b64url(&signature),
            },
        });
        self.step(
            Actor::User,
            Actor::AuthServer,
            "POST /login with the passkey's assertion",
            format!(
                "clientDataJSON (decoded): {client_data_json}\n\n{}",
                pretty(&assertion)
            ),
        );
        match self.users.passkey_for_assertion(
            &self.pool,
            &username,
            &challenge,
            &credential_id,
            &client_data_json,
            &authenticator_data,
        ) {
            Ok(passkey) => {
                self.passkey = Some(PasskeyCeremony::Verifying { username });
                Effect::VerifyPasskey {
                    x: passkey.x,
                    y: passkey.y,
                    data: webauthn::signed_data(&authenticator_data, &client_data_json),
                    signature,
                }
            }
            Err(e) => {
                self.refused("The assertion is refused", e);
                Effect::None
            }
        }
    }

    /// Phishing, tried with a passkey: a look-alike site relays a genuine challenge and asks the
    /// browser for the user's passkey. The browser refuses (the rp id must be the page's own
    /// domain or a registrable suffix of it, WebAuthn L3 §5.1.4.1), and even an assertion made
    /// there would carry the look-alike's origin, which the pool's own check refuses: the reason
    /// passkeys cannot be phished the way a password or a code can.
    pub(super) fn passkey_on_a_look_alike_site(&mut self, username: &str) -> Effect {
        if self.passkeys().is_empty() {
            self.notice = Some("Add a passkey first: this mistake tries to phish it.".into());
            return Effect::None;
        }
        let look_alike = format!("https://{}.sign-in-check.example", self.pool.domain);
        let rp_id = webauthn::rp_id(&self.pool).to_string();
        let who = self
            .users
            .users
            .get(username)
            .map_or(username, |user| user.email.as_str())
            .to_string();
        self.step(
            Actor::User,
            Actor::User,
            format!("Mistake: a look-alike site asks for {who}'s passkey"),
            format!("{look_alike}/login relays a challenge it got from the user pool and calls navigator.credentials.get() with rpId {rp_id}."),
        );
        self.failed_step(
            Actor::User,
            Actor::User,
            "The browser refuses: the rp id is not this site's domain",
            format!("SecurityError: the page's origin is {look_alike}, and {rp_id} is neither its domain nor a registrable suffix of it (WebAuthn L3 §5.1.4.1). The authenticator is never asked."),
        );
        // The challenge is a genuine one the look-alike got from the pool and relays.
        let Ok(Some((_, challenge, _))) = self.users.start_passkey_sign_in(&self.pool, username)
        else {
            return Effect::None;
        };
        let client_data = webauthn::client_data_json("webauthn.get", &challenge, &look_alike);
        let authenticator = webauthn::authenticator_data(
            &rp_id,
            webauthn::FLAG_USER_PRESENT | webauthn::FLAG_USER_VERIFIED,
        );
        if let Err((exception, message)) =
            webauthn::check_assertion(&self.pool, &challenge, &client_data, &authenticator)
        {
            let response = format!("{exception}: {message}");
            self.failed_step(
                Actor::AuthServer,
                Actor::User,
                "Even an assertion relayed from there is refused",
                format!("clientDataJSON (decoded): {client_data}\n\n{response}"),
            );
            self.last_response = Some(response);
        }
        Effect::None
    }

    /// The authenticator refused the ceremony (it already holds an excluded credential, or
    /// WebCrypto failed): it ends here, nothing registered or signed in.
    pub(super) fn authenticator_refused(&mut self, message: String) {
        if self.passkey.take().is_some() {
            self.failed_step(
                Actor::User,
                Actor::User,
                "The authenticator refused",
                message.clone(),
            );
        }
        self.notice = Some(message);
    }

    /// The signature checked out against the registered public key (or not).
    pub(super) fn passkey_checked(&mut self, valid: bool) -> Effect {
        let Some(PasskeyCeremony::Verifying { username }) = self.passkey.take() else {
            return Effect::None;
        };
        if valid {
            self.step(Actor::AuthServer, Actor::AuthServer, "The signature verifies with the passkey's public key (ES256)", "authenticatorData || SHA-256(clientDataJSON), checked with the P-256 key registered for this credential.");
            self.signed_in_at_login(&username)
        } else {
            self.failed_step(Actor::AuthServer, Actor::User, "The signature does not verify", "NotAuthorizedException: the assertion's signature does not verify with the passkey's public key.");
            self.notice = Some("The passkey's signature does not verify.".into());
            Effect::None
        }
    }
}
