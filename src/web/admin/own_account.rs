//! The own-account page, for every role: change one's password, turn the second factor
//! (TOTP) on or off, and see one's recent sign-ins.
//!
//! The password and second-factor pages also open for an account that must first change
//! its one-time password or enrol a second factor (see `web::auth`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::accounts::{SignInRow, change_context};
use super::api_keys::{self, ApiKeyRow};
use super::see_other;
use crate::domain::AdminUsername;
use crate::domain::accounts::{AccountError, Role};
use crate::facade::accounts::{ChangeContext, TotpEnrolment};
use crate::facade::{Core, FacadeError, FacadeResult};
use crate::web::auth::{
    AdminUser, AsAdmin, AsAdminChangingPassword, AsAdminEnrolling, Audience, SignedIn,
    SignedInUser, Visit,
};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::{WebError, flash_refusal};
use crate::web::i18n::{Arg, Lang};
use crate::web::layout::Layout;
use crate::web::{BrowserCache, html_page};

const OVERVIEW: &str = "/admin/account";
const SECOND_FACTOR: &str = "/admin/account/second-factor";
/// Own events shown on the overview.
const RECENT: i64 = 20;

/// Sign-in related kinds, shown as "recent sign-ins", with the message key of each.
/// A page answering with `status` and never stored by the browser (it may show secrets).
fn page(status: StatusCode, template: impl Template) -> Result<HttpResponse, WebError> {
    html_page(status, BrowserCache::NoStore, template)
}

/// A use case's result for a form: the account errors that `shown_on_the_form` picks go
/// back to the form (`Ok(Err(..))`); any other error fails the request.
fn for_the_form<T>(
    result: FacadeResult<T>,
    shown_on_the_form: impl FnOnce(&AccountError) -> bool,
) -> FacadeResult<Result<T, AccountError>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(FacadeError::Account(error)) if shown_on_the_form(&error) => Ok(Err(error)),
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "admin/account.html")]
pub struct OverviewPage {
    layout: Layout,
    username: AdminUsername,
    role: Role,
    second_factor: bool,
    sign_ins: Vec<SignInRow>,
    keys: Vec<ApiKeyRow>,
    /// Days, and the message key of their label.
    lifetimes: &'static [(u16, &'static str)],
}

pub async fn overview(admin: AsAdmin) -> Result<HttpResponse, WebError> {
    let (visit, (events, keys)) = admin
        .run(|core, admin| {
            let events = core
                .security_events()
                .own_security_events(&admin.username, RECENT * 3)?;
            let keys = core.api_keys().list(&admin.username, &admin.username)?;
            Ok((events, keys))
        })
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    let sign_ins = events
        .iter()
        .filter(|e| e.kind.is_sign_in())
        .take(RECENT as usize)
        .map(|e| SignInRow::new(e, &visit))
        .collect();
    page(
        StatusCode::OK,
        OverviewPage {
            layout: visit.titled("own-title"),
            username: visit.user.username.clone(),
            role: visit.user.role,
            second_factor: visit.user.second_factor,
            sign_ins,
            keys: api_keys::rows(&keys, OVERVIEW, now, lang),
            lifetimes: api_keys::LIFETIME_CHOICES,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/account_password.html")]
pub struct PasswordPage {
    layout: Layout,
    username: AdminUsername,
    must_change: bool,
    error: Option<String>,
}

/// The frame of the pages that lift a restriction: while one holds (a password to change
/// after a reset, a second factor `ADMIN_2FA=required` asks for), no other page opens, so
/// the header offers only signing out and the language.
fn frame(visit: &Visit<AdminUser>, key: &str) -> Layout {
    let layout = visit.titled(key);
    if visit.user.restricted() {
        layout.sign_out_only()
    } else {
        layout
    }
}

/// The change-password page. Forced after a reset (or for a new account), it has no
/// navigation (nothing else opens yet) and asks for the one-time password.
fn password_page(visit: &Visit<AdminUser>, error: Option<String>) -> PasswordPage {
    let must_change = visit.user.must_change_password;
    PasswordPage {
        layout: frame(visit, "own-change-password"),
        username: visit.user.username.clone(),
        must_change,
        error,
    }
}

/// A refusal of the password form in the visitor's words; on the forced change the
/// "current" password is the one-time password, and the words say so.
fn password_refusal(error: &AccountError, one_time: bool, lang: Lang) -> String {
    match error {
        AccountError::WrongCurrentPassword if one_time => lang.t("own-one-time-password-wrong"),
        AccountError::SamePassword if one_time => lang.t("own-one-time-password-same"),
        _ => lang.report(&error.report()),
    }
}

pub async fn password_form(admin: AsAdminChangingPassword) -> Result<HttpResponse, WebError> {
    let (visit, ()) = admin.run(|_, _| Ok(())).await?;
    page(StatusCode::OK, password_page(&visit, None))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

pub async fn change_password(
    req: HttpRequest,
    admin: AsAdminChangingPassword,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let PasswordForm {
        current,
        new,
        repeat,
    } = form;
    let lang = admin.session().lang();
    let (visit, outcome) = run_rechecked(&req, admin, move |core, admin, context| {
        if new != repeat {
            return Ok(Err(lang.t("own-password-mismatch")));
        }
        let changed =
            core.accounts()
                .change_own_password(&admin.username, &current, &new, &context);
        Ok(for_the_form(changed, |e| {
            matches!(
                e,
                AccountError::WeakPassword(_)
                    | AccountError::WrongCurrentPassword
                    | AccountError::SamePassword
            )
        })?
        .map_err(|e| password_refusal(&e, admin.must_change_password, lang)))
    })
    .await?;
    match outcome {
        Ok(()) => {
            visit.session.success_t("own-password-changed", &[]);
            Ok(see_other(OVERVIEW))
        }
        // Still forced, if it was: the change did not happen.
        Err(reason) => page(StatusCode::BAD_REQUEST, password_page(&visit, Some(reason))),
    }
}

#[derive(Template)]
#[template(path = "admin/account_second_factor.html")]
pub struct SecondFactorPage {
    layout: Layout,
    on: bool,
    remaining_recovery_codes: i64,
    enrolment: Option<TotpEnrolment>,
    error: Option<String>,
}

/// What the second-factor page shows: on (with the codes left and how to turn it off), an
/// enrolment in progress (URI, QR code, code field), or off (a button to start).
pub async fn second_factor(admin: AsAdminEnrolling) -> Result<HttpResponse, WebError> {
    let (visit, (on, remaining, enrolment)) = admin
        .run(|core, admin| {
            let on = admin.second_factor;
            let remaining = if on {
                core.second_factor()
                    .remaining_recovery_codes(&admin.username)?
            } else {
                0
            };
            let enrolment = if on {
                None
            } else {
                core.second_factor()
                    .pending_totp_enrolment(&admin.username)?
            };
            Ok((on, remaining, enrolment))
        })
        .await?;
    page(
        StatusCode::OK,
        SecondFactorPage {
            layout: frame(&visit, "own-second-factor"),
            on,
            remaining_recovery_codes: remaining,
            enrolment,
            error: None,
        },
    )
}

/// Starts (or restarts) enrolment: a new secret, shown on the second-factor page.
pub async fn begin_enrolment(
    admin: AsAdminEnrolling,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let session = admin.session().clone();
    if let Err(error) = admin
        .run(|core, admin| core.second_factor().begin_totp_enrolment(&admin.username))
        .await
    {
        // Already on (another tab turned it on): said on the page.
        flash_refusal(&session, error)?;
    }
    Ok(see_other(SECOND_FACTOR))
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

#[derive(Template)]
#[template(path = "admin/account_recovery_codes.html")]
pub struct RecoveryCodesPage {
    layout: Layout,
    codes: Vec<String>,
    /// The codes as a text file, for a link that downloads it (no JavaScript, no second
    /// request: the codes exist only in this response).
    download: String,
}

/// A `data:` URL of `text` as a UTF-8 text file.
fn text_file_url(text: &str) -> String {
    let mut url = String::from("data:text/plain;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// The recovery codes page of `username`, shown once.
fn recovery_codes_page(layout: Layout, username: &str, codes: Vec<String>) -> RecoveryCodesPage {
    let lang: Lang = layout.lang;
    let text = format!(
        "{}\n{}\n\n{}\n",
        lang.t_args(
            "own-recovery-file-title",
            &[
                ("brand", Arg::from(layout.brand.as_str())),
                ("username", Arg::from(username)),
            ],
        ),
        lang.t("own-recovery-file-hint"),
        codes.join("\n")
    );
    RecoveryCodesPage {
        layout,
        download: text_file_url(&text),
        codes,
    }
}

/// Turns the second factor on with a correct code, and shows the recovery codes once.
pub async fn confirm_enrolment(
    req: HttpRequest,
    admin: AsAdminEnrolling,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, WebError> {
    let context = change_context(&req, &admin);
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    let (visit, outcome) = admin
        .run(move |core, admin| {
            let confirmed =
                core.second_factor()
                    .confirm_totp_enrolment(&admin.username, &code, &context);
            match for_the_form(confirmed, |e| {
                matches!(
                    e,
                    AccountError::WrongCode | AccountError::NoEnrolmentStarted
                )
            })? {
                Ok(codes) => Ok(Ok(codes)),
                Err(e) => Ok(Err((
                    e,
                    core.second_factor()
                        .pending_totp_enrolment(&admin.username)?,
                ))),
            }
        })
        .await?;
    match outcome {
        Ok(codes) => {
            visit.session.success_t("own-2fa-turned-on", &[]);
            page(
                StatusCode::OK,
                recovery_codes_page(
                    visit.titled("own-recovery-title"),
                    &visit.user.username,
                    codes.iter().map(|c| c.as_str().to_owned()).collect(),
                ),
            )
        }
        Err((error, enrolment)) => page(
            StatusCode::BAD_REQUEST,
            SecondFactorPage {
                layout: frame(&visit, "own-second-factor"),
                on: false,
                remaining_recovery_codes: 0,
                enrolment,
                error: Some(visit.lang.report(&error.report())),
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "admin/account_second_factor_off.html")]
pub struct TurnOffPage {
    layout: Layout,
    error: Option<String>,
}

/// The confirmation before the second factor is turned off (asks for the password).
pub async fn confirm_turn_off(admin: AsAdmin) -> Result<HttpResponse, WebError> {
    let (visit, ()) = admin.run(|_, _| Ok(())).await?;
    if !visit.user.second_factor {
        flash_refusal(&visit.session, AccountError::SecondFactorOff.into())?;
        return Ok(see_other(SECOND_FACTOR));
    }
    page(
        StatusCode::OK,
        TurnOffPage {
            layout: visit.titled("own-2fa-turn-off"),
            error: None,
        },
    )
}

#[derive(Deserialize)]
pub struct TurnOffForm {
    password: String,
    code: String,
}

pub async fn turn_off(
    req: HttpRequest,
    admin: AsAdmin,
    CsrfForm(form): CsrfForm<TurnOffForm>,
) -> Result<HttpResponse, WebError> {
    let (visit, outcome) = run_rechecked(&req, admin, move |core, admin, context| {
        let turned_off = core.second_factor().turn_off_own_second_factor(
            &admin.username,
            &form.password,
            &form.code,
            &context,
        );
        for_the_form(turned_off, |e| {
            matches!(
                e,
                AccountError::SecondFactorOff
                    | AccountError::WrongCurrentPassword
                    | AccountError::WrongCode
            )
        })
    })
    .await?;
    match outcome {
        Ok(()) => {
            visit.session.success_t("own-2fa-turned-off", &[]);
            Ok(see_other(SECOND_FACTOR))
        }
        Err(error) => page(
            StatusCode::BAD_REQUEST,
            TurnOffPage {
                layout: visit.titled("own-2fa-turn-off"),
                error: Some(visit.lang.report(&error.report())),
            },
        ),
    }
}

/// Runs a change the admin confirms with the password (and a code) again, with the change's
/// context; when a fifth wrong answer ended the session, on to the sign-in page, saying why.
async fn run_rechecked<R, T>(
    req: &HttpRequest,
    admin: SignedIn<R>,
    change: impl FnOnce(&Core, &AdminUser, ChangeContext) -> FacadeResult<T> + Send + 'static,
) -> Result<(Visit<AdminUser>, T), WebError>
where
    R: Audience<User = AdminUser>,
    T: Send + 'static,
{
    let context = change_context(req, &admin);
    let session = admin.session().clone();
    let outcome = admin
        .run(move |core, admin| change(core, admin, context))
        .await;
    match outcome {
        Err(WebError::Account(error @ AccountError::SignedOutAfterWrongAnswers)) => {
            session.forget_session();
            session.error(session.lang().report(&error.report()));
            Err(WebError::SignInRequired {
                location: super::login::LOGIN.to_owned(),
            })
        }
        other => other,
    }
}
