//! Admin sign-in (`docs/security.md`): the password step, then for an account with a second
//! factor the code step, and sign-out.
//!
//! Between the two steps the session holds only "password verified for this account, until
//! T" (`Principal::AdminSecondFactorPending`); no admin page opens in that state. Both steps
//! go through the shared throttling (`web::sign_in`): a wrong code counts as a failed
//! sign-in of that account from that network.

use actix_web::{Either, HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::Duration;
use serde::Deserialize;

use super::see_other;
use crate::domain::accounts::Realm;
use crate::facade::accounts::{Account, Checked, SecondFactorCheck};
use crate::web::AppState;
use crate::web::auth::{
    self, AdminSessionCookie, Admins, Principal, Restriction, SignInStage, safe_next,
};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::i18n::key;
use crate::web::layout::Layout;
use crate::web::session::TypedSession;
use crate::web::sign_in;

const HOME: &str = "/admin";
pub const LOGIN: &str = "/admin/login";
pub const SECOND_FACTOR: &str = "/admin/login/second-factor";
/// How long the code step may take after the password step.
pub const SECOND_FACTOR_WINDOW: Duration = Duration::minutes(5);

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/login.html")]
pub struct LoginPage {
    layout: Layout,
    next: String,
    signed_out: bool,
}

/// `path?next=…`
fn with_next(path: &str, next: &str) -> String {
    if next == HOME {
        return path.to_owned();
    }
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("{path}?{query}")
}

/// The sign-in form. For an anonymous visitor it reads and writes nothing in the database.
pub async fn form(
    session: TypedSession,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<Either<HttpResponse, LoginPage>, WebError> {
    let next = safe_next(query.next.as_deref(), HOME);
    if auth::signed_in_as::<Admins>(&session, &state)
        .await?
        .is_some()
    {
        return Ok(Either::Left(see_other(&next)));
    }
    Ok(Either::Right(LoginPage {
        layout: Layout::titled(&session, key("login-title"), None).for_admins(),
        next,
        signed_out: query.signed_out.is_some(),
    }))
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The password step.
pub async fn submit(
    req: HttpRequest,
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let next = safe_next(Some(&form.next), HOME);
    let passed =
        sign_in::password_step(&req, &state, Realm::Admin, form.username, form.password).await?;
    let Some((Account::Admin(account), attempt)) = passed else {
        // The one message for every failed sign-in, so it never tells which part was wrong.
        session.error_t("login-wrong-credentials", &[]);
        return Ok(see_other(&with_next(LOGIN, &next)));
    };
    let username = account.username.clone();
    if account.second_factor {
        let until = state.core.now() + SECOND_FACTOR_WINDOW;
        let pending = Principal::AdminSecondFactorPending { username, until };
        sign_in::start_session(&session, &state, pending).await?;
        return Ok(see_other(&with_next(SECOND_FACTOR, &next)));
    }
    let cookie =
        sign_in::succeeded(&session, &state, attempt, Principal::Admin { username }).await?;
    // A new or reset account chooses its password first; with ADMIN_2FA=required an
    // account without a second factor goes straight to enrolment.
    let target = Restriction::of(
        account.must_change_password,
        account.second_factor,
        state.second_factor,
    )
    .map_or(next, |restriction| restriction.page().to_owned());
    sign_in::redirect_signed_in(&target, &cookie)
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/login_second_factor.html")]
pub struct SecondFactorPage {
    layout: Layout,
    next: String,
}

/// The code step: only for a browser that passed the password step.
pub async fn second_factor_form(
    session: TypedSession,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<Either<HttpResponse, SecondFactorPage>, WebError> {
    let next = safe_next(query.next.as_deref(), HOME);
    match auth::sign_in_stage(&session, &state).await? {
        SignInStage::SecondFactorDue { .. } => Ok(Either::Right(SecondFactorPage {
            layout: Layout::titled(&session, key("login-code-title"), None).for_admins(),
            next,
        })),
        SignInStage::SignedIn => Ok(Either::Left(see_other(&next))),
        SignInStage::None => Ok(Either::Left(see_other(&with_next(LOGIN, &next)))),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn second_factor_submit(
    req: HttpRequest,
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, WebError> {
    let next = safe_next(Some(&form.next), HOME);
    let username = match auth::sign_in_stage(&session, &state).await? {
        SignInStage::SecondFactorDue { username } => username,
        SignInStage::SignedIn => return Ok(see_other(&next)),
        SignInStage::None => {
            session.error_t("login-code-step-expired", &[]);
            return Ok(see_other(&with_next(LOGIN, &next)));
        }
    };
    let claim = sign_in::claim(&req, &state, Realm::Admin, username.to_string());
    let (check, attempt) = match sign_in::check_code(&state, claim, form.code).await? {
        Checked::Passed { value, attempt } => (value, attempt),
        Checked::Refused { .. } => {
            session.error_t("login-wrong-code", &[]);
            return Ok(see_other(&with_next(SECOND_FACTOR, &next)));
        }
    };
    let cookie =
        sign_in::succeeded(&session, &state, attempt, Principal::Admin { username }).await?;
    if let SecondFactorCheck::RecoveryCodeUsed { remaining } = check {
        session.flash(
            crate::web::flash::Level::Info,
            session.lang().count("login-recovery-code-used", remaining),
        );
    }
    // A restriction still in force (a password to choose) is applied by the page's gate.
    sign_in::redirect_signed_in(&next, &cookie)
}

/// Ends whatever admin session the browser has (also one that is restricted or between
/// the two steps); the old cookie opens nothing afterwards.
pub async fn logout(
    _has_session: AdminSessionCookie,
    session: TypedSession,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    auth::sign_out(&session, &state).await?;
    Ok(see_other("/admin/login?signed_out=1"))
}
