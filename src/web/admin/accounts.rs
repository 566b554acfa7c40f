//! The admin accounts (administrators only): the list, one account's page (its details,
//! recent sign-ins, actions and API keys), creating an account, changing its role,
//! disabling and enabling it, and resetting its password.
//!
//! Every change goes through the facade, which checks the acting account's role and the
//! last-administrator rule in its transaction; these pages only draw what the role table
//! allows. The actions are on the account's page (the list stays one line per account);
//! disabling, demoting and resetting have a confirmation page first (plain GET, no
//! JavaScript). A one-time password is shown once, on the page answering the POST (never in
//! a flash that a reload could show again), with `Cache-Control: no-store`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::api_keys::{self, ApiKeyRow};
use super::security_events::kind_key;
use super::{redirect_with_outcome, see_other};
use crate::domain::AdminUsername;
use crate::domain::accounts::Role;
use crate::facade::accounts::{AdminAccount, ChangeContext, SecurityEvent};
use crate::facade::api_keys::ApiKey;
use crate::facade::{Accounts, FacadeResult};
use crate::web::auth::{AdminUser, AsAdmin, Audience, SignedIn, Visit};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::{WebError, flash_refusal};
use crate::web::format::{DateView, date, opt_date};
use crate::web::i18n::{Arg, key};
use crate::web::layout::Layout;
use crate::web::session::TypedSession;
use crate::web::user_agent::UserAgentView;
use crate::web::{BrowserCache, html_page};

const LIST: &str = "/admin/accounts";
/// Sign-in attempts shown on an account's page.
const RECENT_SIGN_INS: i64 = 10;

/// The client as the security-event log records it.
pub(crate) fn client_info(req: &HttpRequest) -> crate::facade::accounts::ClientInfo {
    // The client network behind TRUSTED_PROXIES, as sign-in counts it.
    req.app_data::<actix_web::web::Data<crate::web::AppState>>()
        .map(|state| crate::web::sign_in::client_info(req, state))
        .unwrap_or_default()
}

/// Where a change comes from, with the acting session (kept when an account changes itself).
pub(crate) fn change_context<R: Audience>(req: &HttpRequest, admin: &SignedIn<R>) -> ChangeContext {
    ChangeContext {
        client: client_info(req),
        session: Some(admin.id().clone()),
    }
}

pub(crate) fn account_url(username: &str) -> String {
    format!(
        "{LIST}/{}",
        percent_encoding_path(username) // usernames are [A-Za-z0-9._@-], but be safe
    )
}

fn percent_encoding_path(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The message key of a role's name, as people read it.
pub fn role_key(role: impl std::borrow::Borrow<Role>) -> &'static str {
    match role.borrow() {
        Role::Auditor => key("accounts-role-auditor"),
        Role::Support => key("accounts-role-support"),
        Role::Administrator => key("accounts-role-administrator"),
    }
}

/// A role's name as an argument of a message.
fn role_arg(role: Role) -> Arg {
    Arg::Key(role_key(role))
}

/// One row of the accounts table; its actions are on the account's page.
pub struct AccountRow {
    username: AdminUsername,
    url: String,
    role: Role,
    second_factor: bool,
    last_sign_in: Option<DateView>,
    enabled: bool,
    must_change_password: bool,
    /// The signed-in administrator's own account.
    is_self: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    layout: Layout,
    rows: Vec<AccountRow>,
    roles: &'static [Role],
}

pub async fn list(admin: AsAdmin) -> Result<AccountsPage, WebError> {
    let (visit, accounts) = admin
        .run(|core, admin| core.accounts().list_admin_accounts(&admin.username))
        .await?;
    Ok(AccountsPage {
        rows: accounts.iter().map(|a| row(a, &visit)).collect(),
        layout: visit.titled("accounts-title"),
        roles: &Role::ALL,
    })
}

fn row(account: &AdminAccount, visit: &Visit<AdminUser>) -> AccountRow {
    AccountRow {
        url: account_url(&account.username),
        username: account.username.clone(),
        role: account.role,
        second_factor: account.second_factor,
        last_sign_in: opt_date(account.last_sign_in_at, visit.now, visit.lang),
        enabled: account.enabled,
        must_change_password: account.must_change_password,
        is_self: account.username == visit.user.username,
    }
}

/// One sign-in attempt on an account's page.
pub struct SignInRow {
    pub(super) at: DateView,
    /// The message key of its outcome.
    pub(super) outcome: &'static str,
    pub(super) network: String,
    pub(super) user_agent: Option<UserAgentView>,
}

impl SignInRow {
    pub(super) fn new(event: &SecurityEvent, visit: &Visit<AdminUser>) -> Self {
        Self {
            at: date(event.created_at, visit.now, visit.lang),
            outcome: kind_key(event.kind),
            network: event.client_network.clone().unwrap_or_default(),
            user_agent: UserAgentView::of(event.user_agent.as_deref(), visit.lang),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/managed_account.html")]
pub struct AccountPage {
    layout: Layout,
    account: AdminAccount,
    url: String,
    /// The administrator's own account: changed on the own-account page, not here.
    is_self: bool,
    created: DateView,
    last_sign_in: Option<DateView>,
    sign_ins: Vec<SignInRow>,
    keys: Vec<ApiKeyRow>,
    roles: &'static [Role],
    /// The security-event log, filtered to this account.
    events_url: String,
}

/// What an account's page shows, read in one visit.
struct AccountView {
    account: AdminAccount,
    sign_ins: Vec<SecurityEvent>,
    keys: Vec<ApiKey>,
}

/// An account's page for administrators: its details, recent sign-ins, actions and API
/// keys (404 when there is no such account).
pub async fn show(
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
) -> Result<HttpResponse, WebError> {
    let username = path.into_inner();
    let (visit, view) = admin
        .run(move |core, admin| {
            let Some(account) = core
                .accounts()
                .managed_account(&admin.username, &username)?
            else {
                return Ok(None);
            };
            let sign_ins = core.security_events().account_sign_ins(
                &admin.username,
                &account.username,
                RECENT_SIGN_INS,
            )?;
            let keys = core.api_keys().list(&admin.username, &account.username)?;
            Ok(Some(AccountView {
                account,
                sign_ins,
                keys,
            }))
        })
        .await?;
    let view = view.ok_or(WebError::NotFound)?;
    render(account_page(view, &visit))
}

fn account_page(view: AccountView, visit: &Visit<AdminUser>) -> AccountPage {
    let AccountView {
        account,
        sign_ins,
        keys,
    } = view;
    let url = account_url(&account.username);
    let events_url = format!(
        "/admin/security-events?{}",
        serde_urlencoded::to_string([("realm", "admin"), ("account", &*account.username)])
            .unwrap_or_default()
    );
    AccountPage {
        layout: visit.layout(visit.lang.t_args(
            "accounts-account-title",
            &[("username", Arg::from(account.username.to_string()))],
        )),
        is_self: account.username == visit.user.username,
        created: date(account.created_at, visit.now, visit.lang),
        last_sign_in: opt_date(account.last_sign_in_at, visit.now, visit.lang),
        sign_ins: sign_ins.iter().map(|e| SignInRow::new(e, visit)).collect(),
        keys: api_keys::rows(&keys, &url, visit.now, visit.lang),
        roles: &Role::ALL,
        events_url,
        url,
        account,
    }
}

#[derive(Deserialize)]
pub struct CreateForm {
    username: String,
    role: String,
}

#[derive(Template)]
#[template(path = "admin/account_password_shown.html")]
pub struct OneTimePasswordPage {
    layout: Layout,
    heading: String,
    username: AdminUsername,
    password: String,
}

/// The page that shows a one-time password, once: never cached or stored by the browser.
fn one_time_password_page(page: OneTimePasswordPage) -> Result<HttpResponse, WebError> {
    html_page(StatusCode::OK, BrowserCache::NoStore, page)
}

fn parse_role(text: &str) -> Result<Role, WebError> {
    Role::parse(text).ok_or_else(|| WebError::Invalid {
        key: key("accounts-role-invalid"),
        args: Vec::new(),
    })
}

pub async fn create(
    req: HttpRequest,
    admin: AsAdmin,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<HttpResponse, WebError> {
    let lang = admin.session().lang();
    let role = parse_role(&form.role)?;
    let username = form.username.trim().to_owned();
    let context = change_context(&req, &admin);
    let session = admin.session().clone();
    let outcome = admin
        .run(move |core, admin| {
            let username = AdminUsername::parse(&username)?;
            core.accounts()
                .create_admin_account(&admin.username, &username, role, &context)
        })
        .await;
    let shown = outcome.map(|(visit, created)| ShownOnce {
        flash: lang.t_args(
            "accounts-created-flash",
            &[
                ("username", Arg::from(created.username.to_string())),
                ("role", role_arg(role)),
            ],
        ),
        visit,
        heading: key("accounts-created-heading"),
        username: created.username,
        password: created.one_time_password,
    });
    show_once(&session, LIST, shown)
}

/// A one-time password to show once, and the flash saying what was done.
struct ShownOnce {
    flash: String,
    visit: Visit<AdminUser>,
    /// The message key of the page's heading.
    heading: &'static str,
    username: AdminUsername,
    password: String,
}

/// The answer to a POST that makes a one-time password: the page showing it, with the
/// outcome as a flash for the next page; or a refusal the admin can act on (a taken
/// username, the last administrator, a change to one's own account) as an error flash on
/// the page at `back` ([`flash_refusal`]); anything else (403, the database) is an error
/// page.
fn show_once(
    session: &TypedSession,
    back: &str,
    outcome: Result<ShownOnce, WebError>,
) -> Result<HttpResponse, WebError> {
    let shown = match outcome {
        Ok(shown) => shown,
        Err(error) => {
            flash_refusal(session, error)?;
            return Ok(see_other(back));
        }
    };
    // Before the page takes the pending flashes, so that it shows this one.
    session.success(shown.flash);
    one_time_password_page(OneTimePasswordPage {
        layout: shown.visit.titled(shown.heading),
        heading: shown.visit.lang.t(shown.heading),
        username: shown.username,
        password: shown.password,
    })
}

/// The account a path names, for a confirmation page (404 when there is none).
async fn target(
    admin: AsAdmin,
    username: AdminUsername,
) -> Result<(Visit<AdminUser>, AdminAccount), WebError> {
    let (visit, account) = admin
        .run(move |core, admin| core.accounts().managed_account(&admin.username, &username))
        .await?;
    let account = account.ok_or(WebError::NotFound)?;
    Ok((visit, account))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    heading: String,
    explanation: String,
    action: String,
    /// The message key of the button's label.
    button: &'static str,
    /// A hidden `role` field, for a role change.
    role: Option<Role>,
    /// The account's page, where "Back, do nothing" leads.
    back: String,
}

#[derive(Deserialize)]
pub struct RoleQuery {
    role: String,
}

/// Confirms a role change (the list's role form is a GET to here).
pub async fn confirm_role(
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
    query: web::Query<RoleQuery>,
) -> Result<HttpResponse, WebError> {
    let session = admin.session().clone();
    let lang = session.lang();
    let role = parse_role(&query.role)?;
    let (visit, account) = target(admin, path.into_inner()).await?;
    let username = || Arg::from(account.username.to_string());
    if account.role == role {
        session.error_t(
            "accounts-role-unchanged",
            &[("username", username()), ("role", role_arg(role))],
        );
        return Ok(see_other(&account_url(&account.username)));
    }
    let mut explanation = vec![lang.t_args(
        "accounts-role-explanation",
        &[
            ("username", username()),
            ("old", role_arg(account.role)),
            ("new", role_arg(role)),
            ("summary", Arg::Key(role_summary(role))),
        ],
    )];
    if account.role == Role::Administrator {
        explanation.push(lang.t("accounts-role-demotion"));
    }
    explanation.push(lang.t("accounts-role-sessions-end"));
    render(ConfirmPage {
        layout: visit.titled("accounts-change-role-button"),
        heading: lang.t_args(
            "accounts-change-role-heading",
            &[("username", username()), ("role", role_arg(role))],
        ),
        explanation: explanation.join(" "),
        action: format!("{}/role", account_url(&account.username)),
        button: key("accounts-change-role-button"),
        role: Some(role),
        back: account_url(&account.username),
    })
}

/// The message key of what a role may do ("… it will then be able to …").
fn role_summary(role: Role) -> &'static str {
    match role {
        Role::Auditor => key("accounts-role-summary-auditor"),
        Role::Support => key("accounts-role-summary-support"),
        Role::Administrator => key("accounts-role-summary-administrator"),
    }
}

fn render(page: impl Template) -> Result<HttpResponse, WebError> {
    html_page(StatusCode::OK, BrowserCache::Allowed, page)
}

pub async fn change_role(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
    CsrfForm(form): CsrfForm<RoleQuery>,
) -> Result<HttpResponse, WebError> {
    let role = parse_role(&form.role)?;
    let username = path.into_inner();
    let (session, outcome) = change_account(&req, admin, &username, move |change| {
        change
            .accounts
            .change_admin_role(change.actor, change.target, role, change.context)
    })
    .await;
    let lang = session.lang();
    redirect_with_outcome(&session, &account_url(&username), outcome, |_| {
        lang.t_args(
            "accounts-role-changed",
            &[
                ("username", Arg::from(username.to_string())),
                ("role", role_arg(role)),
            ],
        )
    })
}

pub async fn confirm_disable(
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
) -> Result<HttpResponse, WebError> {
    let (visit, account) = target(admin, path.into_inner()).await?;
    let lang = visit.lang;
    render(ConfirmPage {
        layout: visit.titled("accounts-disable-title"),
        heading: lang.t_args(
            "accounts-disable-heading",
            &[("username", Arg::from(account.username.to_string()))],
        ),
        explanation: lang.t("accounts-disable-explanation"),
        action: format!("{}/disable", account_url(&account.username)),
        button: key("accounts-disable-title"),
        role: None,
        back: account_url(&account.username),
    })
}

pub async fn disable(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
    form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    set_enabled(req, admin, path.into_inner(), form, false).await
}

pub async fn enable(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
    form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    set_enabled(req, admin, path.into_inner(), form, true).await
}

async fn set_enabled(
    req: HttpRequest,
    admin: AsAdmin,
    username: AdminUsername,
    _form: CsrfForm<NoFields>,
    enabled: bool,
) -> Result<HttpResponse, WebError> {
    let (session, outcome) = change_account(&req, admin, &username, move |change| {
        change
            .accounts
            .set_admin_enabled(change.actor, change.target, enabled, change.context)
    })
    .await;
    let message = if enabled {
        key("accounts-enabled-flash")
    } else {
        key("accounts-disabled-flash")
    };
    let lang = session.lang();
    redirect_with_outcome(&session, &account_url(&username), outcome, |_| {
        lang.t_args(message, &[("username", Arg::from(username.to_string()))])
    })
}

pub async fn confirm_reset(
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
) -> Result<HttpResponse, WebError> {
    let (visit, account) = target(admin, path.into_inner()).await?;
    let lang = visit.lang;
    render(ConfirmPage {
        layout: visit.titled("accounts-reset-password-button"),
        heading: lang.t_args(
            "accounts-reset-heading",
            &[("username", Arg::from(account.username.to_string()))],
        ),
        explanation: lang.t("accounts-reset-explanation"),
        action: format!("{}/reset-password", account_url(&account.username)),
        button: key("accounts-reset-password-button"),
        role: None,
        back: account_url(&account.username),
    })
}

pub async fn reset_password(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<AdminUsername>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let username = path.into_inner();
    let back = account_url(&username);
    let (session, outcome) = change_account(&req, admin, &username, move |change| {
        change
            .accounts
            .reset_admin_password(change.actor, change.target, change.context)
    })
    .await;
    let lang = session.lang();
    let shown = outcome.map(|(visit, password)| ShownOnce {
        flash: lang.t_args(
            "accounts-reset-flash",
            &[("username", Arg::from(username.to_string()))],
        ),
        visit,
        heading: key("accounts-reset-heading-done"),
        password,
        username,
    });
    show_once(&session, &back, shown)
}

/// One change of another account, as the signed-in administrator sees it in the facade.
struct AccountChange<'a> {
    accounts: Accounts<'a>,
    actor: &'a AdminUsername,
    target: &'a AdminUsername,
    context: &'a ChangeContext,
}

/// Runs `change` on the account `username` on behalf of the signed-in admin, with the
/// request's change context; returns the session to flash into and the outcome.
async fn change_account<T: Send + 'static>(
    req: &HttpRequest,
    admin: AsAdmin,
    username: &AdminUsername,
    change: impl FnOnce(AccountChange<'_>) -> FacadeResult<T> + Send + 'static,
) -> (TypedSession, Result<(Visit<AdminUser>, T), WebError>) {
    let context = change_context(req, &admin);
    let session = admin.session().clone();
    let target = username.clone();
    let outcome = admin
        .run(move |core, admin| {
            change(AccountChange {
                accounts: core.accounts(),
                actor: &admin.username,
                target: &target,
                context: &context,
            })
        })
        .await;
    (session, outcome)
}
