//! What the two sign-in pages share: the HTTP side of the facade's sign-in use case
//! (`facade::accounts::SignIns`, which decides the order: well-formed input, throttling,
//! hash queue, hash, outcome). Here: the client network behind trusted proxies, the
//! known-browser cookies, the sign-in metrics, and the session cookie once signed in.
//!
//! A sign-in handler, for either realm: [`claim`] for the username typed, then
//! [`check_password`] (and for admins with a second factor [`check_code`]); `Refused` is
//! already counted and logged, `Passed` goes on to [`succeeded`] once the sign-in is
//! complete, which starts the session and renews the known-browser cookie.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, HttpResponse};

use super::error::WebError;
use super::session::TypedSession;
use super::{AppState, blocking};
use crate::domain::accounts::known_browser::VALID_DAYS;
use crate::domain::accounts::{ClientNetwork, Realm, TrustedProxies, UsernameKey};
use crate::facade::accounts::{
    Account, Checked, Claim, Client, ClientInfo, Purpose, SecondFactorCheck, SignInAttempt, SignIns,
};
use crate::facade::sessions::Principal;
use crate::facade::{FacadeError, FacadeResult};

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

/// The sign-in use case, with this server's known-browser key.
fn sign_ins(state: &AppState) -> SignIns {
    SignIns::new(state.core.clone(), state.known_browsers.clone())
}

/// A sign-in page's claim to `username` in `realm` from this request, with the browser's
/// known-browser cookie of that realm.
pub fn claim(req: &HttpRequest, state: &AppState, realm: Realm, username: String) -> Claim {
    let (cookie, _) = known_browser_cookie_name(realm);
    Claim {
        realm,
        username,
        client: Client {
            network: client_network(req, &state.trusted_proxies),
            user_agent: user_agent(req),
            known_browser_token: req.cookie(cookie).map(|c| c.value().to_owned()),
        },
        purpose: Purpose::SignIn,
    }
}

/// The password step of either sign-in page: the facade's sign-in use case (429 when
/// throttled, 503 beyond the hash queue's share), counted in the metrics.
pub async fn check_password(
    state: &AppState,
    claim: Claim,
    password: String,
) -> Result<Checked<Account>, WebError> {
    let who = claim.realm.as_str();
    let checked = sign_ins(state).check_password(claim, password).await;
    counted(who, checked)
}

/// A sign-in form's password step: the account behind `username` and the attempt to
/// complete when the password is right; `None` when it is refused for whatever reason (one
/// answer for all, so the form tells nobody which).
pub async fn password_step(
    req: &HttpRequest,
    state: &AppState,
    realm: Realm,
    username: String,
    password: String,
) -> Result<Option<(Account, SignInAttempt)>, WebError> {
    let claim = claim(req, state, realm, username);
    Ok(match check_password(state, claim, password).await? {
        Checked::Passed { value, attempt } => Some((value, attempt)),
        Checked::Refused { .. } => None,
    })
}

/// The second step of an admin's sign-in, counted like the password.
pub async fn check_code(
    state: &AppState,
    claim: Claim,
    code: String,
) -> Result<Checked<SecondFactorCheck>, WebError> {
    let checked = sign_ins(state).check_code(claim, code).await;
    counted(Realm::Admin.as_str(), checked)
}

/// The sign-in metric of a check's outcome (successes are counted by [`succeeded`]).
fn counted<T>(
    who: &'static str,
    checked: FacadeResult<Checked<T>>,
) -> Result<Checked<T>, WebError> {
    match &checked {
        Err(FacadeError::Throttled { .. }) => crate::metrics::sign_in(who, "throttled"),
        Ok(Checked::Refused { .. }) => crate::metrics::sign_in(who, "failure"),
        _ => {}
    }
    Ok(checked?)
}

/// A complete sign-in: clears the attempt's counters, records it, and starts a session for
/// `principal` (ending the browser's previous one), with a new cookie and CSRF token.
/// Returns the renewed known-browser cookie for the response.
pub async fn succeeded(
    session: &TypedSession,
    state: &AppState,
    attempt: SignInAttempt,
    principal: Principal,
) -> Result<Cookie<'static>, WebError> {
    let account = attempt.account.clone();
    let id = sign_ins(state)
        .succeeded(attempt, principal, session.session_id())
        .await?;
    session.signed_in(&id);
    crate::metrics::sign_in(account.realm().as_str(), "success");
    Ok(known_browser_cookie(state, &account))
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
    let core = state.core.clone();
    let previous = session.session_id();
    let id = blocking(move || core.sessions().start_session(&principal, previous.as_ref())).await?;
    session.signed_in(&id);
    Ok(())
}

/// A fresh known-browser cookie for `account` (signed, for that account only).
fn known_browser_cookie(state: &AppState, account: &UsernameKey) -> Cookie<'static> {
    let (name, path) = known_browser_cookie_name(account.realm());
    let token = state
        .known_browsers
        .issue(account, state.core.now().timestamp());
    Cookie::build(name, token)
        .path(path)
        .http_only(true)
        .secure(state.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(VALID_DAYS))
        .finish()
}
