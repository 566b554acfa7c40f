//! Who calls the Admin API: the account behind the request's `X-API-KEY`, checked (and
//! counted against the key's per-minute limit) by the facade. A missing, unknown or dead key
//! is a 401 with an empty body (and a security event); a key over its limit is a 429 with
//! `Retry-After`. The browser's session cookie is never read here.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::AdminUsername;
use crate::domain::accounts::Role;
use crate::facade::api_keys::{ApiCaller, KeyCheck};
use crate::facade::{Core, FacadeResult};
use crate::web::AppState;
use crate::web::api::{ApiError, blocking};

/// The request header that carries the key.
pub const API_KEY_HEADER: &str = "X-API-KEY";

/// The account a valid key belongs to (its role is the account's as of this request), and
/// the core its use cases run on.
#[derive(Clone)]
pub struct KeyHolder {
    caller: ApiCaller,
    core: Core,
}

impl KeyHolder {
    /// Runs use cases on the blocking pool as this account (the acting admin, and its role).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Core, &AdminUsername, Role) -> FacadeResult<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (core, caller) = (self.core.clone(), self.caller.clone());
        blocking(move || work(&core, &caller.username, caller.role)).await
    }
}

impl FromRequest for KeyHolder {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A header that is not visible ASCII is no key, but still a refused one.
        let presented = req
            .headers()
            .get(API_KEY_HEADER)
            .map(|value| value.to_str().unwrap_or_default().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let client = state
            .as_ref()
            .map(|state| crate::web::sign_in::client_info(req, state))
            .unwrap_or_default();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::unexpected("no app state"))?;
            let core = state.core.clone();
            let checker = core.clone();
            let checked =
                blocking(move || checker.api_keys().check(presented.as_deref(), &client)).await?;
            match checked {
                KeyCheck::Accepted(caller) => Ok(Self { caller, core }),
                KeyCheck::Refused(_) => Err(ApiError::Unauthorized),
                KeyCheck::Throttled { retry_after } => Err(ApiError::quota_exhausted(
                    format!(
                        "This API key has made its requests for this minute. Please wait \
                         {retry_after} s."
                    ),
                    retry_after,
                )),
            }
        })
    }
}
