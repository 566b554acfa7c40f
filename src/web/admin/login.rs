//! Admin sign-in and sign-out.

use actix_session::Session;
use actix_web::{Either, HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::see_other;
use crate::web::auth::{self, AdminUser, Principal, safe_next};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::layout::Layout;
use crate::web::{AppState, blocking, flash};

const HOME: &str = "/admin";
/// The one message for every failed sign-in, so it never tells which part was wrong.
pub const WRONG_CREDENTIALS: &str = "Wrong username or password.";

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

pub async fn form(
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> Either<HttpResponse, LoginPage> {
    let next = safe_next(query.next.as_deref(), HOME);
    if let Some(Principal::Admin { .. }) = auth::current(&session, state.facade.now()) {
        return Either::Left(see_other(&next));
    }
    Either::Right(LoginPage {
        layout: Layout::new(&session, "Sign in", None),
        next,
        signed_out: query.signed_out.is_some(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    auth::limit_sign_in(&state, &req, "admin", &form.username)
        .inspect_err(|_| crate::metrics::sign_in("admin", "throttled"))?;
    let next = safe_next(Some(&form.next), HOME);
    let facade = state.facade.clone();
    let LoginForm {
        username, password, ..
    } = form;
    match blocking(move || facade.authenticate_admin(&username, &password)).await? {
        Some(username) => {
            crate::metrics::sign_in("admin", "success");
            auth::sign_in(&session, Principal::Admin { username }, state.facade.now());
            Ok(see_other(&next))
        }
        None => {
            crate::metrics::sign_in("admin", "failure");
            flash::error(&session, WRONG_CREDENTIALS);
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            Ok(see_other(&format!("/admin/login?{query}")))
        }
    }
}

/// The stored session is deleted, so the old cookie opens nothing afterwards.
pub async fn logout(
    _admin: AdminUser,
    session: Session,
    _form: CsrfForm<NoFields>,
) -> HttpResponse {
    auth::sign_out(&session);
    see_other("/admin/login?signed_out=1")
}
