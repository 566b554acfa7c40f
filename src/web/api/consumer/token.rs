//! `POST /connect/token`, the OAuth password grant: a device signs in and gets a bearer
//! token. This is the owner sign-in use case (`web::sign_in`, `facade::accounts::SignIns`):
//! throttled, counted and logged like the sign-in page; a right password gets a token
//! (`facade::api_tokens`) instead of a session. Answers are plain OAuth JSON, no envelope.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::views::{OAuthErrorView, TokenView};
use crate::domain::accounts::Realm;
use crate::domain::consumer::{ConsumerError, TOKEN_LIFETIME_SECONDS};
use crate::facade::FacadeError;
use crate::facade::accounts::{Account, Checked};
use crate::facade::api_tokens::ApiTokens;
use crate::passwords::Busy;
use crate::web::api::{ApiError, blocking};
use crate::web::error::WebError;
use crate::web::{AppState, sign_in};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// `password`
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    /// The device username.
    username: Option<String>,
    password: Option<String>,
}

/// An OAuth error answer.
fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(OAuthErrorView {
            error,
            error_description: description.to_owned(),
        })
}

fn bad_request(error: &'static str, description: &str) -> HttpResponse {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// A device's token (password grant).
#[utoipa::path(
    post, path = "/connect/token", tag = "Registration",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token for 300 seconds", body = TokenView),
        (status = 400, description = "`invalid_grant` (username or password), `invalid_client`, \
            `unsupported_grant_type`, `invalid_request`", body = OAuthErrorView),
        (status = 429, description = "Too many failed sign-ins (`Retry-After`)", body = OAuthErrorView),
    ),
    security(())
)]
pub async fn issue(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return Ok(bad_request("invalid_request", "the body must be a form"));
    };
    if form.grant_type.as_deref() != Some("password") {
        return Ok(bad_request(
            "unsupported_grant_type",
            "only grant_type=password is supported",
        ));
    }
    let (Some(client_id), Some(secret), Some(username), Some(password)) = (
        form.client_id,
        form.client_secret,
        form.username,
        form.password,
    ) else {
        return Ok(bad_request(
            "invalid_request",
            "client_id, client_secret, username and password are required",
        ));
    };
    let tokens = ApiTokens::new(state.core.clone());
    let checker = tokens.clone();
    match blocking(move || checker.check_client(&client_id, &secret)).await {
        Err(error) if error.code() == Some(ConsumerError::WrongClientCredentials.code()) => {
            return Ok(bad_request("invalid_client", "the client is not known"));
        }
        other => other?,
    }
    let claim = sign_in::claim(&req, &state, Realm::Owner, username.trim().to_owned());
    let checked = match sign_in::check_password(&state, claim, password).await {
        Err(WebError::Throttled { seconds }) => return Ok(throttled(seconds)),
        Err(other) => return Err(api_error(other)),
        Ok(checked) => checked,
    };
    let Checked::Passed {
        value: Account::Owner { owner, .. },
        attempt,
    } = checked
    else {
        return Ok(bad_request(
            "invalid_grant",
            "the username or password is not correct, or the identity can no longer be used",
        ));
    };
    let token = blocking(move || tokens.grant(&attempt, &owner)).await?;
    crate::metrics::sign_in(Realm::Owner.as_str(), "success");
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(TokenView {
            access_token: token.as_str().to_owned(),
            expires_in: TOKEN_LIFETIME_SECONDS,
            token_type: "Bearer",
        }))
}

/// 429 with the wait, as the sign-in page answers.
fn throttled(seconds: u32) -> HttpResponse {
    let report = crate::facade::error::throttled_report(seconds);
    let mut response = oauth_error(
        StatusCode::TOO_MANY_REQUESTS,
        "invalid_grant",
        &report.message,
    );
    if let Ok(value) = seconds.max(1).to_string().parse() {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// The sign-in's other failures as the API answers them (the page's 503s and 500s).
fn api_error(error: WebError) -> ApiError {
    match error {
        WebError::Busy => FacadeError::Busy(Busy).into(),
        WebError::Unavailable => FacadeError::Unavailable(String::new()).into(),
        other => ApiError::unexpected(other),
    }
}
