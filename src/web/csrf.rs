//! CSRF protection: a per-session synchronizer token that every form carries as
//! `csrf_token`, compared in constant time. [`CsrfForm`] is the only way handlers read a
//! POST body, so no form can skip the check.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::error::WebError;
use crate::domain::ids::random_alphanumeric;

/// The session entry that holds the token.
pub(super) const KEY: &str = "csrf";
pub const FIELD: &str = "csrf_token";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(KEY) {
        return token;
    }
    let token = random_alphanumeric(43);
    let _ = session.insert(KEY, &token);
    token
}

/// A new token (on sign-in), so a token seen before signing in is worthless after.
pub fn rotate(session: &Session) {
    let _ = session.insert(KEY, random_alphanumeric(43));
}

fn matches(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(KEY) {
        Ok(Some(expected)) => bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())),
        _ => false,
    }
}

#[derive(Deserialize)]
struct TokenOnly {
    csrf_token: Option<String>,
}

/// Forms without fields besides the token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

pub const REJECTED: &str =
    "This form has expired or did not come from this site. Reload the page and try again.";

/// A URL-encoded form whose CSRF token has been checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    WebError::PayloadTooLarge
                } else {
                    WebError::BadRequest("The form could not be read.".into())
                }
            })?;
            let token = serde_urlencoded::from_bytes::<TokenOnly>(&body)
                .ok()
                .and_then(|t| t.csrf_token)
                .unwrap_or_default();
            if !matches(&session, &token) {
                return Err(WebError::Forbidden(REJECTED));
            }
            serde_urlencoded::from_bytes::<T>(&body)
                .map(CsrfForm)
                .map_err(|_| {
                    WebError::BadRequest(
                        "The form was incomplete or not valid. Go back and try again.".into(),
                    )
                })
        })
    }
}
