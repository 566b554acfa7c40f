//! Who is signed in, checked on the request's one database connection.
//!
//! A page behind sign-in takes a [`SignedIn`] (`AsAdmin` or `AsOwner`). Extracting it only
//! reads the cookie: without a session ID the browser is sent to sign in at once, with no
//! database work. [`SignedIn::run`] then does, in one blocking call on one connection, what
//! the request needs: load the session (ending it if it timed out or, for an owner, if
//! the identity may no longer be used), check that it is of the right realm, and run the
//! page's own facade calls.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chrono::{DateTime, Utc};

use super::error::WebError;
use super::layout::Layout;
use super::session::TypedSession;
use super::{AppState, blocking};
use crate::facade::sessions::{Ended, Resumed};
use crate::facade::{FacadeResult, IdentityDeletionProcessFacade, Owner};

pub use crate::facade::sessions::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, Principal, SessionId};

/// Where an owner lands when the identity can no longer be used.
const OWNER_SESSION_ENDED: &str = "/login?ended=1";

/// The people who sign in at one sign-in page.
pub trait Realm: 'static {
    /// That sign-in page.
    const SIGN_IN: &'static str;
    type User: SignedInUser + Clone + Send + 'static;

    /// The user, if the principal is one of this realm's.
    fn user(principal: Principal) -> Option<Self::User>;
}

/// A user as the session knows them.
pub trait SignedInUser {
    fn principal(&self) -> Principal;
}

/// Admins (support staff).
pub enum Admins {}
/// Identity owners.
pub enum Owners {}

/// A signed-in admin.
#[derive(Debug, Clone)]
pub struct AdminUser {
    pub username: String,
}

/// A signed-in identity owner whose identity may still be used.
#[derive(Debug, Clone)]
pub struct OwnerUser {
    pub owner: Owner,
    /// The device's username.
    pub username: String,
}

impl Realm for Admins {
    const SIGN_IN: &'static str = "/admin/login";
    type User = AdminUser;

    fn user(principal: Principal) -> Option<AdminUser> {
        match principal {
            Principal::Admin { username } => Some(AdminUser { username }),
            _ => None,
        }
    }
}

impl SignedInUser for AdminUser {
    fn principal(&self) -> Principal {
        Principal::Admin {
            username: self.username.clone(),
        }
    }
}

impl Realm for Owners {
    const SIGN_IN: &'static str = "/login";
    type User = OwnerUser;

    fn user(principal: Principal) -> Option<OwnerUser> {
        match principal {
            Principal::Owner { owner, username } => Some(OwnerUser { owner, username }),
            _ => None,
        }
    }
}

impl SignedInUser for OwnerUser {
    fn principal(&self) -> Principal {
        Principal::Owner {
            owner: self.owner.clone(),
            username: self.username.clone(),
        }
    }
}

/// A request that needs a signed-in user of realm `R`.
pub struct SignedIn<R: Realm> {
    session: TypedSession,
    state: web::Data<AppState>,
    id: SessionId,
    /// The sign-in page to send the browser to, with the way back.
    sign_in: String,
    realm: PhantomData<R>,
}

pub type AsAdmin = SignedIn<Admins>;
pub type AsOwner = SignedIn<Owners>;

/// What a handler has once the session is checked.
pub struct Visit<U> {
    pub user: U,
    /// The server-side session (to end the user's other sessions but this one).
    pub id: SessionId,
    pub session: TypedSession,
    /// The instant the request is handled at (the facade's clock).
    pub now: DateTime<Utc>,
}

impl<R: Realm> FromRequest for SignedIn<R> {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = match TypedSession::from_request(req, payload).into_inner() {
            Ok(session) => session,
            Err(error) => return ready(Err(error)),
        };
        let sign_in = sign_in_location(R::SIGN_IN, req);
        let result = match (session.session_id(), app_state(req)) {
            (_, Err(error)) => Err(error),
            (None, _) => Err(WebError::SignInRequired { location: sign_in }),
            (Some(id), Ok(state)) => Ok(Self {
                session,
                state,
                id,
                sign_in,
                realm: PhantomData,
            }),
        };
        ready(result)
    }
}

/// How the session check came out.
enum Checked<U, T> {
    Done(U, DateTime<Utc>, T),
    /// No session of this realm: sign in (another realm's session goes on).
    SignIn,
    /// The session ended now.
    Ended(Ended),
}

impl<R: Realm> SignedIn<R> {
    /// The cookie, for a flash when the work below fails.
    pub fn session(&self) -> &TypedSession {
        &self.session
    }

    /// The session the cookie names (for work that ends the user's other sessions).
    pub fn id(&self) -> &SessionId {
        &self.id
    }

    /// Checks the session and runs `work` for its user, all on one connection in one
    /// blocking call. A session that is gone or ended sends the browser to sign in.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&IdentityDeletionProcessFacade, &R::User) -> FacadeResult<T> + Send + 'static,
    ) -> Result<(Visit<R::User>, T), WebError> {
        let facade = self.state.facade.clone();
        let id = self.id.clone();
        let checked = blocking(move || {
            facade.on_one_connection(|facade| {
                let now = facade.now();
                Ok(match facade.resume_session(&id)? {
                    Resumed::Live(session) => match R::user(session.principal) {
                        Some(user) => {
                            let done = work(facade, &user)?;
                            Checked::Done(user, now, done)
                        }
                        None => Checked::SignIn,
                    },
                    Resumed::Ended(why) => Checked::Ended(why),
                    Resumed::Unknown => Checked::Ended(Ended::TimedOut),
                })
            })
        })
        .await?;
        match checked {
            Checked::Done(user, now, done) => Ok((
                Visit {
                    user,
                    id: self.id,
                    session: self.session,
                    now,
                },
                done,
            )),
            Checked::SignIn => Err(WebError::SignInRequired {
                location: self.sign_in,
            }),
            Checked::Ended(why) => {
                self.session.forget_session();
                let location = match why {
                    Ended::IdentityUnusable => OWNER_SESSION_ENDED.to_owned(),
                    Ended::TimedOut => self.sign_in,
                };
                Err(WebError::SignInRequired { location })
            }
        }
    }

    /// Signs out a user of this realm: the session is deleted (in the same blocking call
    /// that checks it) and the cookie removed.
    pub async fn sign_out(self) -> Result<(), WebError> {
        let (id, session) = (self.id.clone(), self.session.clone());
        self.run(move |facade, _| facade.end_session(&id)).await?;
        session.purge();
        Ok(())
    }
}

impl<U: SignedInUser> Visit<U> {
    /// The page frame, with this user's navigation.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout::new(&self.session, title, Some(&self.user.principal()))
    }
}

/// The signed-in user of realm `R` for a page anyone may open (a sign-in page), if any.
pub async fn signed_in_as<R: Realm>(
    session: &TypedSession,
    state: &AppState,
) -> Result<Option<R::User>, WebError> {
    let Some(id) = session.session_id() else {
        return Ok(None);
    };
    let facade = state.facade.clone();
    let resumed = blocking(move || facade.resume_session(&id)).await?;
    Ok(match resumed {
        Resumed::Live(live) => R::user(live.principal),
        Resumed::Ended(_) | Resumed::Unknown => {
            session.forget_session();
            None
        }
    })
}

/// Signs in whoever `authenticate` finds: a new server-side session, ending the browser's
/// previous one, and a new cookie naming it, with a new CSRF token. Returns the principal,
/// or none when the credentials were refused. (The password check and the new session take
/// separate checkouts, so no connection is held while the hash is computed.)
pub async fn sign_in(
    session: &TypedSession,
    state: &AppState,
    authenticate: impl FnOnce(&IdentityDeletionProcessFacade) -> FacadeResult<Option<Principal>>
    + Send
    + 'static,
) -> Result<Option<Principal>, WebError> {
    let facade = state.facade.clone();
    let previous = session.session_id();
    let started = blocking(move || {
        let Some(principal) = authenticate(&facade)? else {
            return Ok(None);
        };
        let id = facade.start_session(&principal, previous.as_ref())?;
        Ok::<_, crate::facade::FacadeError>(Some((principal, id)))
    })
    .await?;
    Ok(started.map(|(principal, id)| {
        session.signed_in(&id);
        principal
    }))
}

/// Ends the browser's session everywhere: the row is deleted, the cookie removed.
pub async fn sign_out(session: &TypedSession, state: &AppState) -> Result<(), WebError> {
    if let Some(id) = session.session_id() {
        let facade = state.facade.clone();
        blocking(move || facade.end_session(&id)).await?;
    }
    session.purge();
    Ok(())
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

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal("application state missing".into()))
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
