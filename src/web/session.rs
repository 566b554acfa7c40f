//! The browser's side of a session: a private (encrypted and authenticated) cookie that
//! holds only small things, each behind a typed method. Handlers never see its keys.
//!
//! - the CSRF token (so sign-in forms are protected without any row in the database);
//! - the flash messages waiting for the next page;
//! - once signed in, the [`SessionId`] of the server-side session (`facade::sessions`).
//!
//! An anonymous visit writes nothing to the database.

use std::sync::Arc;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use subtle::ConstantTimeEq;

use super::error::WebError;
use super::flash::{Flash, Level};
use super::{AppState, DEFAULT_PLATFORM_NAME};
use crate::domain::ids::random_alphanumeric;
use crate::facade::sessions::SessionId;

const CSRF_TOKEN: &str = "csrf";
const FLASHES: &str = "flash";
const SESSION_ID: &str = "sid";
/// More pending messages than this are dropped (the cookie must stay small).
const MAX_FLASHES: usize = 4;

/// The session cookie, typed, with the platform's name for the page frame (`Layout`),
/// which every page that reads the session also draws.
#[derive(Clone)]
pub struct TypedSession(Session, Arc<str>);

impl FromRequest for TypedSession {
    type Error = WebError;
    type Future = std::future::Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let platform = req.app_data::<web::Data<AppState>>().map_or_else(
            || DEFAULT_PLATFORM_NAME.into(),
            |state| state.platform_name.clone(),
        );
        std::future::ready(Ok(Self(req.get_session(), platform)))
    }
}

impl TypedSession {
    /// `PLATFORM_NAME`: what owners know the service by.
    pub fn platform_name(&self) -> &str {
        &self.1
    }

    /// The token every form of this browser carries, created on first use.
    pub fn csrf_token(&self) -> String {
        if let Ok(Some(token)) = self.0.get::<String>(CSRF_TOKEN) {
            return token;
        }
        let token = new_token();
        let _ = self.0.insert(CSRF_TOKEN, &token);
        token
    }

    /// Whether a form's token is this browser's (compared in constant time).
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        match self.0.get::<String>(CSRF_TOKEN) {
            Ok(Some(expected)) => bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())),
            _ => false,
        }
    }

    /// A message for the next page shown.
    pub fn flash(&self, level: Level, text: impl Into<String>) {
        let mut all = self.pending_flashes();
        if all.len() < MAX_FLASHES {
            all.push(Flash {
                level,
                text: text.into(),
            });
        }
        // A cookie that cannot be written loses the message, not the action.
        let _ = self.0.insert(FLASHES, all);
    }

    pub fn success(&self, text: impl Into<String>) {
        self.flash(Level::Success, text);
    }

    pub fn error(&self, text: impl Into<String>) {
        self.flash(Level::Error, text);
    }

    /// The pending messages, removed from the cookie.
    pub fn take_flashes(&self) -> Vec<Flash> {
        // `remove` marks the session changed even when the key is absent, and a changed
        // session sends a new cookie: only remove what is there.
        if !self.0.contains_key(FLASHES) {
            return Vec::new();
        }
        self.0
            .remove_as::<Vec<Flash>>(FLASHES)
            .and_then(Result::ok)
            .unwrap_or_default()
    }

    fn pending_flashes(&self) -> Vec<Flash> {
        self.0.get(FLASHES).ok().flatten().unwrap_or_default()
    }

    /// The server-side session this browser claims, if any (checked by the facade).
    pub fn session_id(&self) -> Option<SessionId> {
        self.0
            .get::<String>(SESSION_ID)
            .ok()
            .flatten()
            .and_then(|text| SessionId::parse(&text))
    }

    /// After sign-in: a new cookie naming the new session, with a new CSRF token, so that
    /// nothing seen before signing in is worth anything after.
    pub fn signed_in(&self, id: &SessionId) {
        self.0.renew();
        let _ = self.0.insert(SESSION_ID, id.as_str());
        let _ = self.0.insert(CSRF_TOKEN, new_token());
    }

    /// The server-side session has ended (timed out, identity gone): forget it, keep the
    /// rest (the sign-in page that follows needs its CSRF token).
    pub fn forget_session(&self) {
        if self.0.contains_key(SESSION_ID) {
            self.0.remove(SESSION_ID);
            self.0.renew();
        }
    }

    /// Sign-out: the cookie is removed.
    pub fn purge(&self) {
        self.0.purge();
    }
}

fn new_token() -> String {
    random_alphanumeric(43)
}
