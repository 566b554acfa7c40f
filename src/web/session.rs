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
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use subtle::ConstantTimeEq;

use super::error::WebError;
use super::flash::{Flash, Level};
use super::i18n::{Arg, Lang};
use super::{AppState, DEFAULT_PLATFORM_NAME};
use crate::domain::ids::random_alphanumeric;
use crate::facade::sessions::SessionId;

const CSRF_TOKEN: &str = "csrf";
const FLASHES: &str = "flash";
const SESSION_ID: &str = "sid";
/// More pending messages than this are dropped (the cookie must stay small).
const MAX_FLASHES: usize = 4;

/// The session cookie, typed, with what the page frame (`Layout`) needs besides: the
/// platform's name, the visitor's language and the page's own address (for the header's
/// language switch to come back to).
#[derive(Clone)]
pub struct TypedSession {
    cookie: Session,
    platform: Arc<str>,
    lang: Lang,
    path: String,
}

impl FromRequest for TypedSession {
    type Error = WebError;
    type Future = std::future::Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self::of(req)))
    }
}

impl TypedSession {
    /// The session of `req` (it needs no body).
    pub fn of(req: &HttpRequest) -> Self {
        Self {
            cookie: req.get_session(),
            platform: platform_name(req),
            lang: Lang::of_request(req),
            path: page_address(req),
        }
    }
    /// `PLATFORM_NAME`: what owners know the service by.
    pub fn platform_name(&self) -> &str {
        &self.platform
    }

    /// The visitor's language ([`Lang::of_request`]).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The address of the page being drawn, path and query; empty for a page that answers
    /// a POST.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A message for the next page, from message file key `key`, in the visitor's language.
    pub fn success_t(&self, key: &str, args: &[(&'static str, Arg)]) {
        self.success(self.lang.t_args(key, args));
    }

    pub fn error_t(&self, key: &str, args: &[(&'static str, Arg)]) {
        self.error(self.lang.t_args(key, args));
    }

    /// The token every form of this browser carries, created on first use.
    pub fn csrf_token(&self) -> String {
        if let Ok(Some(token)) = self.cookie.get::<String>(CSRF_TOKEN) {
            return token;
        }
        let token = new_token();
        let _ = self.cookie.insert(CSRF_TOKEN, &token);
        token
    }

    /// Whether a form's token is this browser's (compared in constant time).
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        match self.cookie.get::<String>(CSRF_TOKEN) {
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
        let _ = self.cookie.insert(FLASHES, all);
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
        if !self.cookie.contains_key(FLASHES) {
            return Vec::new();
        }
        self.cookie
            .remove_as::<Vec<Flash>>(FLASHES)
            .and_then(Result::ok)
            .unwrap_or_default()
    }

    fn pending_flashes(&self) -> Vec<Flash> {
        self.cookie.get(FLASHES).ok().flatten().unwrap_or_default()
    }

    /// The server-side session this browser claims, if any (checked by the facade).
    pub fn session_id(&self) -> Option<SessionId> {
        self.cookie
            .get::<String>(SESSION_ID)
            .ok()
            .flatten()
            .and_then(|text| SessionId::parse(&text))
    }

    /// After sign-in: a new cookie naming the new session, with a new CSRF token, so that
    /// nothing seen before signing in is worth anything after.
    pub fn signed_in(&self, id: &SessionId) {
        self.cookie.renew();
        let _ = self.cookie.insert(SESSION_ID, id.as_str());
        let _ = self.cookie.insert(CSRF_TOKEN, new_token());
    }

    /// The server-side session has ended (timed out, identity gone): forget it, keep the
    /// rest (the sign-in page that follows needs its CSRF token).
    pub fn forget_session(&self) {
        if self.cookie.contains_key(SESSION_ID) {
            self.cookie.remove(SESSION_ID);
            self.cookie.renew();
        }
    }

    /// Sign-out: the cookie is removed.
    pub fn purge(&self) {
        self.cookie.purge();
    }
}

/// `PLATFORM_NAME`, as the app was started with.
pub fn platform_name(req: &HttpRequest) -> Arc<str> {
    req.app_data::<web::Data<AppState>>().map_or_else(
        || DEFAULT_PLATFORM_NAME.into(),
        |state| state.platform_name.clone(),
    )
}

/// The address a page can be opened at again: its path and query. A page answering a POST
/// (a secret shown once, a form with its errors) has none, and so no language switch.
pub fn page_address(req: &HttpRequest) -> String {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        req.uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned()
    } else {
        String::new()
    }
}

fn new_token() -> String {
    random_alphanumeric(43)
}
