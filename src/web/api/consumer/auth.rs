//! Who calls: a bearer token from `/connect/token` names a device of an identity (one
//! SHA-256 and one indexed lookup, `facade::api_tokens`). No token, or one that is
//! unknown or expired, is 401 with an empty body; the session cookie is never read here.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::facade::Owner;
use crate::facade::api_tokens::ApiTokens;
use crate::web::AppState;
use crate::web::api::{ApiError, blocking};

/// The longest token looked up (ours are 43 characters).
const MAX_TOKEN_CHARS: usize = 128;

/// The owner (identity and device) behind the request's bearer token.
pub struct Bearer(pub Owner);

/// Like [`Bearer`] where a token is optional: `None` without an `Authorization` header, 401
/// with a bad one.
pub struct MaybeBearer(pub Option<Owner>);

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for Bearer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = owner_of(req);
        Box::pin(async move { found.await?.map(Bearer).ok_or(ApiError::Unauthorized) })
    }
}

impl FromRequest for MaybeBearer {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if !req.headers().contains_key(AUTHORIZATION) {
            return Box::pin(async { Ok(MaybeBearer(None)) });
        }
        let found = owner_of(req);
        Box::pin(async move {
            match found.await? {
                Some(owner) => Ok(MaybeBearer(Some(owner))),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}

/// The owner of the request's token; `None` for no token or an unknown or expired one.
fn owner_of(req: &HttpRequest) -> Extracted<Option<Owner>> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty() && token.len() <= MAX_TOKEN_CHARS)
        .map(str::to_owned);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let (Some(token), Some(state)) = (token, state) else {
            return Ok(None);
        };
        let tokens = ApiTokens::new(state.core.clone());
        blocking(move || tokens.authenticate(&token)).await
    })
}
