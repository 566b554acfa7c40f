//! Who is signed in. A session holds at most one principal, an admin or an owner, so an
//! owner session never opens an admin page and an admin session never acts as an owner.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::error::WebError;
use super::{AppState, csrf};
use crate::facade::Owner;

/// The session entry that holds who is signed in.
pub(super) const SIGNED_IN: &str = "signed_in";
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, so reading a page rarely writes the session.
const LAST_SEEN_RESOLUTION: Duration = Duration::minutes(1);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Principal {
    Admin { username: String },
    Owner { owner: Owner, username: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedIn {
    principal: Principal,
    signed_in_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
}

/// Starts a fresh session (new ID, new CSRF token) for the principal.
pub fn sign_in(session: &Session, principal: Principal, now: DateTime<Utc>) {
    session.renew();
    session.remove(SIGNED_IN);
    csrf::rotate(session);
    let _ = session.insert(
        SIGNED_IN,
        SignedIn {
            principal,
            signed_in_at: now,
            last_seen_at: now,
        },
    );
}

/// Ends the session everywhere: the stored state is deleted, the cookie removed.
pub fn sign_out(session: &Session) {
    session.purge();
}

/// The signed-in principal, if the session has not timed out (a timed-out one is ended).
pub fn current(session: &Session, now: DateTime<Utc>) -> Option<Principal> {
    let mut signed_in: SignedIn = session.get(SIGNED_IN).ok().flatten()?;
    let idle = now - signed_in.last_seen_at >= IDLE_TIMEOUT;
    let too_old = now - signed_in.signed_in_at >= ABSOLUTE_TIMEOUT;
    if idle || too_old {
        // Not `purge`: the page that follows (the sign-in form) must still be able to store
        // its CSRF token. A new session ID, without the principal, does the same job.
        session.remove(SIGNED_IN);
        session.renew();
        return None;
    }
    if now - signed_in.last_seen_at >= LAST_SEEN_RESOLUTION {
        signed_in.last_seen_at = now;
        let _ = session.insert(SIGNED_IN, &signed_in);
    }
    Some(signed_in.principal)
}

/// Only local paths are followed after sign-in (no `//host` or `\\host` tricks).
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => default.to_owned(),
    }
}

fn sign_in_location(login: &str, req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
        let encoded: String = form_urlencoded_byte_serialize(target);
        format!("{login}?next={encoded}")
    } else {
        login.to_owned()
    }
}

fn form_urlencoded_byte_serialize(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// Counts a sign-in attempt under the client's address and under the username (per
/// `realm`, admin or owner); over the limit it is refused with 429 before any password
/// is checked. The peer address is used, not a forwarded header a client could make up.
pub fn limit_sign_in(
    state: &AppState,
    req: &HttpRequest,
    realm: &str,
    username: &str,
) -> Result<(), WebError> {
    let ip = req
        .peer_addr()
        .map(|peer| peer.ip().to_string())
        .unwrap_or_default();
    if state
        .sign_in_limiter
        .attempt(&[format!("ip:{ip}"), format!("{realm}:{username}")])
    {
        Ok(())
    } else {
        Err(WebError::TooManyRequests)
    }
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal("application state missing".into()))
}

/// A signed-in admin; pages that take it redirect to the admin sign-in otherwise.
#[derive(Debug, Clone)]
pub struct AdminUser {
    pub username: String,
}

impl AdminUser {
    pub fn principal(&self) -> Principal {
        Principal::Admin {
            username: self.username.clone(),
        }
    }
}

impl FromRequest for AdminUser {
    type Error = WebError;
    type Future = std::future::Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result =
            state(req).and_then(
                |state| match current(&req.get_session(), state.facade.now()) {
                    Some(Principal::Admin { username }) => Ok(AdminUser { username }),
                    _ => Err(WebError::SignInRequired {
                        location: sign_in_location("/admin/login", req),
                    }),
                },
            );
        std::future::ready(result)
    }
}

/// A signed-in identity owner whose identity may still be used; pages that take it
/// redirect to the owner sign-in otherwise.
#[derive(Debug, Clone)]
pub struct OwnerUser {
    pub owner: Owner,
    pub username: String,
}

impl OwnerUser {
    pub fn principal(&self) -> Principal {
        Principal::Owner {
            owner: self.owner.clone(),
            username: self.username.clone(),
        }
    }
}

impl FromRequest for OwnerUser {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = state(req);
        let login = sign_in_location("/login", req);
        Box::pin(async move {
            let state = state?;
            let Some(Principal::Owner { owner, username }) = current(&session, state.facade.now())
            else {
                return Err(WebError::SignInRequired { location: login });
            };
            // The identity may have passed its grace period (or be gone) since sign-in.
            let facade = state.facade.clone();
            let checked = owner.clone();
            if !web::block(move || facade.owner_may_continue(&checked)).await?? {
                sign_out(&session);
                return Err(WebError::SignInRequired {
                    location: "/login?ended=1".into(),
                });
            }
            Ok(OwnerUser { owner, username })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            safe_next(Some("/admin/identities?q=a"), "/admin"),
            "/admin/identities?q=a"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "admin",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad), "/admin"), "/admin", "{bad:?}");
        }
        assert_eq!(safe_next(None, "/me"), "/me");
    }
}
