//! Admin sign-in and sign-out.

use actix_web::{Either, HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::see_other;
use crate::web::AppState;
use crate::web::auth::{self, Admins, AsAdmin, Principal, safe_next};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::layout::Layout;
use crate::web::session::TypedSession;

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
        layout: Layout::new(&session, "Sign in", None),
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

pub async fn submit(
    req: HttpRequest,
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, WebError> {
    auth::limit_sign_in(&state, &req, "admin", &form.username)
        .inspect_err(|_| crate::metrics::sign_in("admin", "throttled"))?;
    let next = safe_next(Some(&form.next), HOME);
    let LoginForm {
        username, password, ..
    } = form;
    let signed_in = auth::sign_in(&session, &state, move |facade| {
        let admin = facade.authenticate_admin(&username, &password)?;
        Ok(admin.map(|username| Principal::Admin { username }))
    })
    .await?;
    match signed_in {
        Some(_) => {
            crate::metrics::sign_in("admin", "success");
            Ok(see_other(&next))
        }
        None => {
            crate::metrics::sign_in("admin", "failure");
            session.error(WRONG_CREDENTIALS);
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            Ok(see_other(&format!("/admin/login?{query}")))
        }
    }
}

/// The stored session is deleted, so the old cookie opens nothing afterwards.
pub async fn logout(admin: AsAdmin, _form: CsrfForm<NoFields>) -> Result<HttpResponse, WebError> {
    admin.sign_out().await?;
    Ok(see_other("/admin/login?signed_out=1"))
}
