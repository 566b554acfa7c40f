//! CSRF protection: a token kept in the encrypted session cookie that every form carries
//! as `csrf_token`, compared in constant time (a signed double-submit: it needs no row in
//! the database, so the sign-in forms are protected too). [`CsrfForm`] is the only way
//! handlers read a POST body, so no form can skip the check. Cross-site POSTs are refused
//! before this, by `Origin` / `Sec-Fetch-Site` (`security.rs`).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::body;
use super::error::WebError;
use super::i18n::key;
use super::session::TypedSession;

pub const FIELD: &str = "csrf_token";

#[derive(Deserialize)]
struct TokenOnly {
    csrf_token: Option<String>,
}

/// Forms without fields besides the token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// The refusal's message key.
pub const REJECTED: &str = key("error-csrf-rejected");

/// A URL-encoded form whose CSRF token has been checked; a body of any other type is 415.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = TypedSession::from_request(req, payload).into_inner();
        // Only forms: any other body would be parsed as one all the same.
        if !body::is_form(req.headers()) {
            return Box::pin(std::future::ready(Err(WebError::UnsupportedMediaType)));
        }
        let body = body::read(req, payload);
        Box::pin(async move {
            let body = body.await?;
            let token = serde_urlencoded::from_bytes::<TokenOnly>(&body)
                .ok()
                .and_then(|t| t.csrf_token)
                .unwrap_or_default();
            if !session?.csrf_matches(&token) {
                return Err(WebError::Forbidden(REJECTED));
            }
            serde_urlencoded::from_bytes::<T>(&body)
                .map(CsrfForm)
                .map_err(|_| WebError::Invalid {
                    key: key("error-form-incomplete"),
                    args: Vec::new(),
                })
        })
    }
}
