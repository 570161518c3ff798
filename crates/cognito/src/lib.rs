//! A mock Amazon Cognito user pool, sans-IO: what the pool does, never how the browser does it.
//!
//! Stages, one way: template → [`pool::Pool`] (settings from `AWS::Cognito::*`, or a default
//! pool) → [`users::UserStore`] (accounts, codes, managed login's messages) →
//! [`oauth::Server`] (the authorization-code grant with PKCE on a virtual clock, the token
//! endpoint's JSON errors) → [`claims`] and [`jwt`] (the tokens as Cognito issues them).
//!
//! Invariants: no wall clock (every call takes `now_ms`, virtual time), no OS randomness
//! (codes, ids and salts come from [`seeded::Seeds`]), no clear password kept (the store holds
//! salted PBKDF2 hashes the shell computes), and no signing here: the engine makes the JWT
//! signing input and the shell signs it (WebCrypto in the browser, a fake in tests), so no
//! private key ever reaches this crate. No panics on user input.

pub mod claims;
pub mod discovery;
pub mod form;
pub mod jwt;
pub mod oauth;
pub mod password;
pub mod pkce;
pub mod pool;
pub mod seeded;
pub mod users;
pub mod webauthn;

pub use pool::Pool;
