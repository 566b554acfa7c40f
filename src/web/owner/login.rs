//! Device sign-in and sign-out.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::see_other;
use crate::domain::accounts::Realm;
use crate::facade::accounts::Account;
use crate::web::auth::{self, Owners, Principal};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::i18n::key;
use crate::web::layout::Layout;
use crate::web::session::TypedSession;
use crate::web::{AppState, sign_in};

/// Said for every failure, so the page never tells whether a username exists.
const FAILED: &str = key("owner-login-failed");
const ENDED: &str = key("owner-login-ended");
const SIGNED_OUT: &str = key("owner-login-signed-out");

#[derive(Template)]
#[template(path = "owner/login.html")]
pub struct LoginPage {
    layout: Layout,
    next: String,
    username: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    ended: Option<String>,
    signed_out: Option<String>,
}

/// The sign-in form. For an anonymous visitor it reads and writes nothing in the database.
pub async fn form(
    session: TypedSession,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    let next = auth::safe_next(query.next.as_deref(), "/me");
    if auth::signed_in_as::<Owners>(&session, &state)
        .await?
        .is_some()
    {
        return Ok(see_other(&next));
    }
    let notice = if query.ended.is_some() {
        Some(ENDED)
    } else {
        query.signed_out.is_some().then_some(SIGNED_OUT)
    };
    let page = LoginPage {
        layout: Layout::titled(&session, key("owner-login-title"), None),
        next,
        username: String::new(),
        notice: notice.map(|notice| session.lang().t(notice)),
        error: None,
    };
    Ok(page.respond(StatusCode::OK))
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    req: HttpRequest,
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    let username = form.username.trim().to_owned();
    let next = auth::safe_next(form.next.as_deref(), "/me");
    let passed =
        sign_in::password_step(&req, &state, Realm::Owner, username.clone(), form.password).await?;
    let Some((Account::Owner { owner, device }, attempt)) = passed else {
        let page = LoginPage {
            layout: Layout::titled(&session, key("owner-login-title"), None),
            next,
            username,
            notice: None,
            error: Some(session.lang().t(FAILED)),
        };
        return Ok(page.respond(StatusCode::UNAUTHORIZED));
    };
    let principal = Principal::Owner {
        owner,
        username: device,
    };
    let cookie = sign_in::succeeded(&session, &state, attempt, principal).await?;
    // No device ID or username in the log: they identify a person.
    tracing::info!("owner signed in");
    sign_in::redirect_signed_in(&next, &cookie)
}

/// Ends whatever session the browser has.
pub async fn sign_out(
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    auth::sign_out(&session, &state).await?;
    Ok(see_other("/login?signed_out=1"))
}

impl LoginPage {
    fn respond(&self, status: StatusCode) -> HttpResponse {
        match self.render() {
            Ok(body) => HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(body),
            Err(error) => HttpResponse::from_error(WebError::Internal(error.to_string())),
        }
    }
}
