//! Who is signed in, checked on the request's one database connection.
//!
//! A page behind sign-in takes a [`SignedIn`] (`AsAdmin` or `AsOwner`). Extracting it only
//! reads the cookie: without a session ID the browser is sent to sign in at once, with no
//! database work. [`SignedIn::run`] then does, in one blocking call on one connection, what
//! the request needs: load the session (ending it if it timed out or, for an owner, if
//! the identity may no longer be used), check that it is of the right audience, and run the
//! page's own facade calls.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use chrono::{DateTime, Utc};

use super::error::WebError;
use super::i18n::Lang;
use super::layout::{Layout, PageFrame};
use super::session::TypedSession;
use super::{AppState, blocking};
use crate::config::SecondFactorPolicy;
use crate::domain::accounts::Role;
use crate::domain::{AdminUsername, DeviceUsername};
use crate::facade::sessions::{Ended, Resumed, Session};
use crate::facade::{Core, FacadeError, FacadeResult, Owner};

pub use crate::facade::sessions::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, Principal, SessionId};

/// Where an owner lands when the identity can no longer be used.
const OWNER_SESSION_ENDED: &str = "/login?ended=1";

/// The people who sign in at one sign-in page.
pub trait Audience: 'static {
    /// That sign-in page.
    const SIGN_IN: &'static str;
    type User: SignedInUser + Clone + Send + 'static;

    /// The user, if the session's principal is one of this audience's.
    fn user(session: Session) -> Option<Self::User>;

    /// Whether the session may open this audience's pages: its user, or where the browser
    /// goes instead (a restricted admin session: the page that lifts the restriction).
    fn admit(session: Session, _policy: SecondFactorPolicy) -> Admission<Self::User> {
        match Self::user(session) {
            Some(user) => Admission::User(user),
            None => Admission::SignIn,
        }
    }
}

/// The outcome of [`Audience::admit`].
pub enum Admission<U> {
    User(U),
    /// Not this audience's session: sign in (another audience's session goes on).
    SignIn,
    /// A session of this audience that may not open this page: go there instead.
    Elsewhere(&'static str),
}

/// A user as the session knows them.
pub trait SignedInUser {
    fn principal(&self) -> Principal;

    /// An admin's role (for the navigation); none for owners.
    fn role(&self) -> Option<Role> {
        None
    }

    /// Whether a restriction holds (a password to change, a second factor to enrol): the
    /// pages then show no navigation.
    fn restricted(&self) -> bool {
        false
    }
}

/// Admins (support staff).
pub enum Admins {}
/// Identity owners.
pub enum Owners {}

/// A signed-in admin, with the account's state as of this request.
#[derive(Debug, Clone)]
pub struct AdminUser {
    pub username: AdminUsername,
    pub role: Role,
    pub must_change_password: bool,
    pub second_factor: bool,
    /// `ADMIN_2FA=required` is in force.
    pub second_factor_required: bool,
}

/// A signed-in identity owner whose identity may still be used.
#[derive(Debug, Clone)]
pub struct OwnerUser {
    pub owner: Owner,
    /// The device's username.
    pub username: DeviceUsername,
}

impl Audience for Admins {
    const SIGN_IN: &'static str = "/admin/login";
    type User = AdminUser;

    fn user(session: Session) -> Option<AdminUser> {
        match (session.principal, session.account) {
            (Principal::Admin { username }, Some(account)) => Some(AdminUser {
                username,
                role: account.role,
                must_change_password: account.must_change_password,
                second_factor: account.second_factor,
                second_factor_required: false,
            }),
            _ => None,
        }
    }

    fn admit(session: Session, policy: SecondFactorPolicy) -> Admission<AdminUser> {
        admit_admin(session, policy, None)
    }
}

/// The admin audience of the page that lifts restriction `L` (and opens for unrestricted
/// admins too).
pub struct AdminsLifting<L>(PhantomData<L>);

/// A restriction a page lifts.
pub trait Lifts: 'static {
    const RESTRICTION: Restriction;
}

/// `/admin/account/password` lifts `MustChangePassword`.
pub enum PasswordPage {}
/// `/admin/account/second-factor…` lifts `MustEnrolSecondFactor`.
pub enum EnrolmentPages {}

impl Lifts for PasswordPage {
    const RESTRICTION: Restriction = Restriction::MustChangePassword;
}

impl Lifts for EnrolmentPages {
    const RESTRICTION: Restriction = Restriction::MustEnrolSecondFactor;
}

impl<L: Lifts> Audience for AdminsLifting<L> {
    const SIGN_IN: &'static str = Admins::SIGN_IN;
    type User = AdminUser;

    fn user(session: Session) -> Option<AdminUser> {
        Admins::user(session)
    }

    fn admit(session: Session, policy: SecondFactorPolicy) -> Admission<AdminUser> {
        admit_admin(session, policy, Some(L::RESTRICTION))
    }
}

/// An admin session opens a page unless it is between the two sign-in steps, or restricted
/// otherwise than by the restriction this page lifts (`lifts`).
fn admit_admin(
    session: Session,
    policy: SecondFactorPolicy,
    lifts: Option<Restriction>,
) -> Admission<AdminUser> {
    if matches!(
        session.principal,
        Principal::AdminSecondFactorPending { .. }
    ) {
        return Admission::Elsewhere(SECOND_FACTOR_STEP);
    }
    let Some(mut user) = Admins::user(session) else {
        return Admission::SignIn;
    };
    user.second_factor_required = policy == SecondFactorPolicy::Required;
    match user.restriction() {
        Some(restriction) if Some(restriction) != lifts => Admission::Elsewhere(restriction.page()),
        _ => Admission::User(user),
    }
}

/// Where a session between the password and the second factor is sent.
const SECOND_FACTOR_STEP: &str = "/admin/login/second-factor";

/// What a signed-in admin must do before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// A new or reset account: choose its own password (`/admin/account/password`).
    MustChangePassword,
    /// `ADMIN_2FA=required` and no second factor: enrol (`/admin/account/second-factor`).
    MustEnrolSecondFactor,
}

impl Restriction {
    /// The restriction in force for an account in this state, the password first.
    pub fn of(
        must_change_password: bool,
        second_factor: bool,
        policy: SecondFactorPolicy,
    ) -> Option<Self> {
        if must_change_password {
            Some(Self::MustChangePassword)
        } else if policy == SecondFactorPolicy::Required && !second_factor {
            Some(Self::MustEnrolSecondFactor)
        } else {
            None
        }
    }

    /// The one page (besides sign-out) the restricted session opens.
    pub fn page(self) -> &'static str {
        match self {
            Self::MustChangePassword => "/admin/account/password",
            Self::MustEnrolSecondFactor => "/admin/account/second-factor",
        }
    }
}

impl AdminUser {
    /// What this admin must do before anything else, if anything.
    pub fn restriction(&self) -> Option<Restriction> {
        let policy = if self.second_factor_required {
            SecondFactorPolicy::Required
        } else {
            SecondFactorPolicy::Optional
        };
        Restriction::of(self.must_change_password, self.second_factor, policy)
    }
}

impl SignedInUser for AdminUser {
    fn principal(&self) -> Principal {
        Principal::Admin {
            username: self.username.clone(),
        }
    }

    /// None while restricted: the navigation then offers no account or security pages.
    fn role(&self) -> Option<Role> {
        self.restriction().is_none().then_some(self.role)
    }

    fn restricted(&self) -> bool {
        self.restriction().is_some()
    }
}

impl Audience for Owners {
    const SIGN_IN: &'static str = "/login";
    type User = OwnerUser;

    fn user(session: Session) -> Option<OwnerUser> {
        match session.principal {
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

/// A request that needs a signed-in user of audience `R`.
pub struct SignedIn<R: Audience> {
    session: TypedSession,
    state: web::Data<AppState>,
    id: SessionId,
    /// The sign-in page to send the browser to, with the way back.
    sign_in: String,
    /// Where the user found is noted for an error page ([`PageFrame`]).
    request: HttpRequest,
    audience: PhantomData<R>,
}

/// An admin page: refuses restricted sessions (see [`Restriction`]) and sessions between
/// the password and the second factor, each with a redirect.
pub type AsAdmin = SignedIn<Admins>;
/// `/admin/account/password`: also opens for an admin who must choose a password.
pub type AsAdminChangingPassword = SignedIn<AdminsLifting<PasswordPage>>;
/// `/admin/account/second-factor…`: also opens for an admin who must enrol
/// (`ADMIN_2FA=required`), once the password is their own.
pub type AsAdminEnrolling = SignedIn<AdminsLifting<EnrolmentPages>>;
pub type AsOwner = SignedIn<Owners>;

/// What a handler has once the session is checked.
pub struct Visit<U> {
    pub user: U,
    /// The server-side session (to end the user's other sessions but this one).
    pub id: SessionId,
    pub session: TypedSession,
    /// The instant the request is handled at (the facade's clock).
    pub now: DateTime<Utc>,
    /// The visitor's language.
    pub lang: Lang,
}

impl<R: Audience> FromRequest for SignedIn<R> {
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
                request: req.clone(),
                audience: PhantomData,
            }),
        };
        ready(result)
    }
}

/// How the session check came out.
enum Checked<U, T> {
    Done(U, DateTime<Utc>, T),
    /// The user's own work was refused or failed.
    Failed(U, FacadeError),
    /// No session of this audience: sign in (another audience's session goes on).
    SignIn,
    /// A session of this audience that may not open this page.
    Elsewhere(&'static str),
    /// The session ended now.
    Ended(Ended),
}

impl<R: Audience> SignedIn<R> {
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
        work: impl FnOnce(&Core, &R::User) -> FacadeResult<T> + Send + 'static,
    ) -> Result<(Visit<R::User>, T), WebError> {
        let core = self.state.core.clone();
        let id = self.id.clone();
        let policy = self.state.second_factor;
        let checked = blocking(move || {
            core.on_one_connection(|core| {
                let now = core.now();
                Ok(match core.sessions().resume_session(&id)? {
                    Resumed::Live(session) => match R::admit(session, policy) {
                        Admission::User(user) => match work(core, &user) {
                            Ok(done) => Checked::Done(user, now, done),
                            Err(error) => Checked::Failed(user, error),
                        },
                        Admission::SignIn => Checked::SignIn,
                        Admission::Elsewhere(page) => Checked::Elsewhere(page),
                    },
                    Resumed::Ended(why) => Checked::Ended(why),
                    Resumed::Unknown => Checked::Ended(Ended::TimedOut),
                })
            })
        })
        .await?;
        if let Checked::Done(user, ..) | Checked::Failed(user, _) = &checked {
            self.note_frame(user);
        }
        match checked {
            Checked::Failed(_, error) => Err(error.into()),
            Checked::Done(user, now, done) => Ok((
                Visit {
                    user,
                    id: self.id,
                    lang: self.session.lang(),
                    session: self.session,
                    now,
                },
                done,
            )),
            Checked::SignIn => Err(WebError::SignInRequired {
                location: self.sign_in,
            }),
            Checked::Elsewhere(page) => Err(WebError::SignInRequired {
                location: page.to_owned(),
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

    /// Leaves who `user` is on the request, for an error page drawn after the handler.
    fn note_frame(&self, user: &R::User) {
        self.request.extensions_mut().insert(PageFrame {
            principal: Some(user.principal()),
            role: user.role(),
            sign_out_only: user.restricted(),
            csrf_token: self.session.csrf_token(),
        });
    }

    /// Signs out a user of this audience: the session is deleted (in the same blocking call
    /// that checks it) and the cookie removed.
    pub async fn sign_out(self) -> Result<(), WebError> {
        let (id, session) = (self.id.clone(), self.session.clone());
        self.run(move |core, _| core.sessions().end_session(&id))
            .await?;
        session.purge();
        Ok(())
    }
}

impl<U: SignedInUser> Visit<U> {
    /// The page frame, with this user's navigation.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout::new(&self.session, title, Some(&self.user.principal())).with_role(self.user.role())
    }

    /// The page frame, titled by message `key`.
    pub fn titled(&self, key: &str) -> Layout {
        self.layout(self.lang.t(key))
    }
}

/// The signed-in user of audience `R` for a page anyone may open (a sign-in page), if any.
pub async fn signed_in_as<R: Audience>(
    session: &TypedSession,
    state: &AppState,
) -> Result<Option<R::User>, WebError> {
    let Some(id) = session.session_id() else {
        return Ok(None);
    };
    let core = state.core.clone();
    let resumed = blocking(move || core.sessions().resume_session(&id)).await?;
    Ok(match resumed {
        Resumed::Live(live) => R::user(live),
        Resumed::Ended(_) | Resumed::Unknown => {
            session.forget_session();
            None
        }
    })
}

/// Ends the browser's session everywhere: the row is deleted, the cookie removed.
pub async fn sign_out(session: &TypedSession, state: &AppState) -> Result<(), WebError> {
    if let Some(id) = session.session_id() {
        let core = state.core.clone();
        blocking(move || core.sessions().end_session(&id)).await?;
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

/// How far the browser's admin sign-in got (for the sign-in pages).
pub enum SignInStage {
    /// No admin session.
    None,
    /// The password was right; the second factor is due.
    SecondFactorDue { username: AdminUsername },
    /// Signed in.
    SignedIn,
}

/// The browser's admin sign-in stage; a session that ended is forgotten.
pub async fn sign_in_stage(
    session: &TypedSession,
    state: &AppState,
) -> Result<SignInStage, WebError> {
    let Some(id) = session.session_id() else {
        return Ok(SignInStage::None);
    };
    let core = state.core.clone();
    let resumed = blocking(move || core.sessions().resume_session(&id)).await?;
    Ok(match resumed {
        Resumed::Live(live) => match live.principal {
            Principal::AdminSecondFactorPending { username, .. } => {
                SignInStage::SecondFactorDue { username }
            }
            Principal::Admin { .. } => SignInStage::SignedIn,
            Principal::Owner { .. } => SignInStage::None,
        },
        Resumed::Ended(_) | Resumed::Unknown => {
            session.forget_session();
            SignInStage::None
        }
    })
}

/// A request whose cookie names a session (of any kind); without one the browser is sent
/// to the admin sign-in page (for sign-out, before its CSRF check).
pub struct AdminSessionCookie;

impl FromRequest for AdminSessionCookie {
    type Error = WebError;
    type Future = Ready<Result<Self, WebError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let has_session = TypedSession::from_request(req, payload)
            .into_inner()
            .is_ok_and(|session| session.session_id().is_some());
        ready(if has_session {
            Ok(Self)
        } else {
            Err(WebError::SignInRequired {
                location: Admins::SIGN_IN.to_owned(),
            })
        })
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
