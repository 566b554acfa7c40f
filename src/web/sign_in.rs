//! What admin and owner sign-in share (SPEC section 6): the client network, the signed
//! known-browser cookie, the throttling check before any hash, awaiting the password check
//! on the bounded hash queue (no blocking-pool thread held meanwhile), and recording the
//! outcome.
//!
//! A sign-in handler, for either realm:
//! 1. [`attempt`] for the account typed;
//! 2. [`check_then`]: 429 with the wait when throttled, else look up what the password is
//!    checked against (same blocking call, one connection);
//! 3. [`password_matches`] (503 with `Retry-After` beyond the queue bound);
//! 4. [`failed`] on a wrong password or code, or [`succeeded`] once the sign-in is complete,
//!    which starts the session and renews the known-browser cookie.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, HttpResponse};

use super::error::WebError;
use super::session::TypedSession;
use super::{AppState, blocking};
use crate::domain::accounts::known_browser::VALID_DAYS;
use crate::domain::accounts::{
    ClientNetwork, Realm, ThrottleDecision, TrustedProxies, UsernameKey,
};
use crate::facade::accounts::{ClientInfo, FailureKind, SignInAttempt};
use crate::facade::sessions::Principal;
use crate::facade::{FacadeResult, IdentityDeletionProcessFacade};
use crate::hashing::{dummy_password_hash, verify_password_async};

/// The known-browser cookie of each realm, sent only to its sign-in pages.
fn known_browser_cookie_name(realm: Realm) -> (&'static str, &'static str) {
    match realm {
        Realm::Admin => ("backbone_known_admin", "/admin/login"),
        Realm::Owner => ("backbone_known_owner", "/login"),
    }
}

/// The client network of a request: the peer, or behind a trusted proxy the right-most
/// `X-Forwarded-For` entry that is not one (`domain::accounts::network`).
pub fn client_network(req: &HttpRequest, trusted: &TrustedProxies) -> ClientNetwork {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .collect();
    ClientNetwork::of_request(peer, &forwarded, trusted)
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Where a request comes from, for security events.
pub fn client_info(req: &HttpRequest, state: &AppState) -> ClientInfo {
    ClientInfo {
        network: Some(client_network(req, &state.trusted_proxies)),
        user_agent: user_agent(req),
    }
}

/// An attempt to sign in to `account` from this request, with the browser's known-browser
/// cookie if it was issued for that account.
pub fn attempt(req: &HttpRequest, state: &AppState, account: UsernameKey) -> SignInAttempt {
    let (name, _) = known_browser_cookie_name(account.realm());
    let now = state.facade.now().timestamp();
    let browser = req
        .cookie(name)
        .and_then(|cookie| state.known_browsers.verify(cookie.value(), &account, now));
    SignInAttempt {
        account,
        network: client_network(req, &state.trusted_proxies),
        browser,
        user_agent: user_agent(req),
    }
}

/// Checks the throttling for `attempt` and, if it may go ahead, runs `then` (the lookup of
/// what to check the password against) on the same connection. A throttled attempt is
/// answered 429 with the time to wait, before any hash.
pub async fn check_then<T: Send + 'static>(
    state: &AppState,
    attempt: &SignInAttempt,
    then: impl FnOnce(&IdentityDeletionProcessFacade) -> FacadeResult<T> + Send + 'static,
) -> Result<T, WebError> {
    let who = who(attempt);
    let facade = state.facade.clone();
    let attempt = attempt.clone();
    let checked = blocking(move || {
        facade.on_one_connection(|facade| match facade.check_sign_in(&attempt)? {
            ThrottleDecision::Allow => Ok(Ok(then(facade)?)),
            ThrottleDecision::Wait { seconds, .. } => Ok(Err(seconds)),
        })
    })
    .await?;
    checked.map_err(|seconds| {
        crate::metrics::sign_in(who, "throttled");
        WebError::Throttled { seconds }
    })
}

/// The `who` label of the sign-in metrics.
fn who(attempt: &SignInAttempt) -> &'static str {
    match attempt.account {
        UsernameKey::Admin(_) => "admin",
        UsernameKey::Owner(_) => "owner",
    }
}

/// Whether `password` matches the stored hash (none: an unknown or disabled account,
/// checked against a dummy hash so that it takes as long). Awaits the bounded hash queue;
/// beyond its bound, 503.
pub async fn password_matches(password: String, stored: Option<String>) -> Result<bool, WebError> {
    let known = stored.is_some();
    let hash = stored.unwrap_or_else(|| dummy_password_hash().to_owned());
    let matches = verify_password_async(password, hash)
        .await
        .map_err(|_| WebError::Busy)?;
    Ok(known && matches)
}

/// Counts a wrong password or second-factor code against the attempt's counters.
pub async fn failed(
    state: &AppState,
    attempt: &SignInAttempt,
    kind: FailureKind,
) -> Result<(), WebError> {
    crate::metrics::sign_in(who(attempt), "failure");
    let facade = state.facade.clone();
    let attempt = attempt.clone();
    blocking(move || facade.record_sign_in_failure(&attempt, kind)).await
}

/// A complete sign-in: clears the attempt's counters, records it, and starts a session for
/// `principal` (ending the browser's previous one), with a new cookie and CSRF token.
/// Returns the renewed known-browser cookie for the response.
pub async fn succeeded(
    session: &TypedSession,
    state: &AppState,
    attempt: &SignInAttempt,
    principal: Principal,
) -> Result<Cookie<'static>, WebError> {
    let facade = state.facade.clone();
    let previous = session.session_id();
    let recorded = attempt.clone();
    let id = blocking(move || {
        facade.on_one_connection(|facade| {
            facade.record_sign_in_success(&recorded)?;
            facade.start_session(&principal, previous.as_ref())
        })
    })
    .await?;
    session.signed_in(&id);
    crate::metrics::sign_in(who(attempt), "success");
    Ok(known_browser_cookie(state, &attempt.account))
}

/// The answer to a complete sign-in: on to `location`, with the renewed known-browser cookie.
pub fn redirect_signed_in(location: &str, cookie: &Cookie<'_>) -> Result<HttpResponse, WebError> {
    let mut response = super::see_other(location);
    response
        .add_cookie(cookie)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(response)
}

/// Starts a session that is not (yet) a complete sign-in: an admin between the password
/// and the second factor.
pub async fn start_session(
    session: &TypedSession,
    state: &AppState,
    principal: Principal,
) -> Result<(), WebError> {
    let facade = state.facade.clone();
    let previous = session.session_id();
    let id = blocking(move || facade.start_session(&principal, previous.as_ref())).await?;
    session.signed_in(&id);
    Ok(())
}

/// A fresh known-browser cookie for `account` (signed, for that account only).
fn known_browser_cookie(state: &AppState, account: &UsernameKey) -> Cookie<'static> {
    let (name, path) = known_browser_cookie_name(account.realm());
    let token = state
        .known_browsers
        .issue(account, state.facade.now().timestamp());
    Cookie::build(name, token)
        .path(path)
        .http_only(true)
        .secure(state.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(VALID_DAYS))
        .finish()
}
