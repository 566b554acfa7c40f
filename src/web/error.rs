//! Errors of the web layer, rendered as styled pages with the right status.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::layout::Layout;
use super::session::TypedSession;
use crate::domain::DomainError;
use crate::domain::Refusal;
use crate::domain::accounts::AccountError;
use crate::domain::error::ErrorReport;
use crate::facade::FacadeError;
use crate::facade::error::{
    UNAVAILABLE_MESSAGE, UNEXPECTED_MESSAGE, busy_report, throttled_report, unavailable_report,
    unexpected_report,
};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// An account rule said no: its own status (403, 400 or 409) and message.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// Too many password hashes are waiting: 503 with `Retry-After`, never a hang.
    #[error("too many sign-ins at once")]
    Busy,
    /// A sign-in throttled by the rules of `docs/security.md`: 429 with `Retry-After`.
    #[error("too many failed sign-ins; wait {seconds} s")]
    Throttled { seconds: u32 },
    #[error("the database is unavailable")]
    Unavailable,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("page not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    /// The body did not arrive within `BODY_READ_TIMEOUT_SECONDS`.
    #[error("request body too slow")]
    RequestTimeout,
    /// A body that is not the URL-encoded form the page expects.
    #[error("request body of an unsupported type")]
    UnsupportedMediaType,
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in (or signed out by a timeout): go to the sign-in page.
    #[error("sign-in required")]
    SignInRequired { location: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<FacadeError> for WebError {
    fn from(error: FacadeError) -> Self {
        match error {
            FacadeError::Domain(domain) => Self::Domain(domain),
            FacadeError::Unavailable(why) => {
                tracing::warn!(%why, "database unavailable");
                Self::Unavailable
            }
            FacadeError::Database(e) => Self::Internal(e.to_string()),
            FacadeError::Internal(why) => Self::Internal(why),
            FacadeError::Account(account) => Self::Account(account),
            FacadeError::Busy(_) => Self::Busy,
            FacadeError::Throttled { seconds } => Self::Throttled { seconds },
        }
    }
}

impl From<actix_web::error::BlockingError> for WebError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Internal(error.to_string())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: &'static str,
    pub message: String,
    pub code: Option<&'static str>,
    /// Shown on server errors (5xx) so that a user can quote it to support.
    pub request_id: Option<String>,
}

fn title_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request was not valid",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        408 => "The request took too long",
        409 => "That cannot be done now",
        413 => "The request is too large",
        415 => "The request was not a form",
        429 => "Too many attempts",
        503 => "Temporarily unavailable",
        _ => "Something went wrong",
    }
}

fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request could not be understood. Go back and check what you entered.",
        403 => "You are not allowed to do this.",
        404 => "There is nothing at this address. Check the link or go back to the start page.",
        405 => "This page cannot be used that way.",
        408 => "What you sent did not arrive in time. Check your connection and try again.",
        413 => "What you sent is larger than this site accepts.",
        415 => "This address accepts only forms sent from this site's pages.",
        429 => "There were too many sign-in attempts. Wait a minute and try again later.",
        503 => UNAVAILABLE_MESSAGE,
        _ => UNEXPECTED_MESSAGE,
    }
}

/// Renders the styled error page.
pub fn error_page(status: StatusCode, message: String, code: Option<&'static str>) -> HttpResponse {
    let page = ErrorPage {
        layout: Layout::bare(title_of(status)),
        status: status.as_u16(),
        title: title_of(status),
        message,
        code,
        request_id: status
            .is_server_error()
            .then(super::request_id::current)
            .flatten(),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| default_message(status).to_owned());
    let mut response = HttpResponse::build(status);
    response.content_type("text/html; charset=utf-8");
    // Also on errors that bypass the headers middleware (they travel as `Err`).
    for header in super::security::HEADERS {
        response.insert_header(*header);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        response.insert_header((header::RETRY_AFTER, "60"));
    }
    response.body(body)
}

impl WebError {
    /// The one mapping's words for this error (`report()` below `web/`); none for the
    /// web's own failures (a malformed URL or body, a missing page), which have no code.
    pub fn report(&self) -> Option<ErrorReport> {
        match self {
            Self::Domain(error) => Some(error.report()),
            Self::Account(error) => Some(error.report()),
            Self::Busy => Some(busy_report()),
            Self::Throttled { seconds } => Some(throttled_report(*seconds)),
            Self::Unavailable => Some(unavailable_report()),
            Self::Internal(_) => Some(unexpected_report()),
            _ => None,
        }
    }

    /// A rule's refusal (domain or account), whose code the page names; operational
    /// failures (busy, throttled, the database, a bug) are not the user's doing.
    fn names_its_code(&self) -> bool {
        matches!(self, Self::Domain(_) | Self::Account(_))
    }
}

impl From<Refusal> for WebError {
    fn from(refusal: Refusal) -> Self {
        FacadeError::from(refusal).into()
    }
}

/// The one rule for an action's refusal: one the user can act on where they came from — a
/// rule's 400 or 409 (a stale tab, a taken username, the last administrator) — becomes an
/// error flash in its own words; anything else (403, 404, 429, the database) is given back,
/// to be answered with the error page.
pub fn flash_refusal(session: &TypedSession, error: WebError) -> Result<(), WebError> {
    match error.report() {
        Some(report) if error.names_its_code() && matches!(report.status, 400 | 409) => {
            session.error(report.message);
            Ok(())
        }
        _ => Err(error),
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        if let Some(report) = self.report() {
            return StatusCode::from_u16(report.status).unwrap_or(StatusCode::BAD_REQUEST);
        }
        match self {
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::SignInRequired { .. } => StatusCode::SEE_OTHER,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::SignInRequired { location } = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.as_str()))
                .finish();
        }
        if let Self::Internal(why) = self {
            tracing::error!(error = %why, "internal error");
        }
        let Some(report) = self.report() else {
            let message = match self {
                Self::Forbidden(why) => (*why).to_owned(),
                Self::BadRequest(why) => why.clone(),
                _ => default_message(status).to_owned(),
            };
            return error_page(status, message, None);
        };
        let code = self.names_its_code().then_some(report.code);
        let page = error_page(status, report.message, code);
        match report.retry_after {
            Some(seconds) => with_retry_after(page, seconds),
            None => page,
        }
    }
}

/// Sets `Retry-After` (seconds) on a response, replacing any default.
fn with_retry_after(mut response: HttpResponse, seconds: u32) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Gives every error response that is not already a page (actix's own 404, 405, 413,
/// extractor failures) the styled error page.
pub fn style_plain_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // The APIs answer with their own error bodies (or an empty 401), never a page.
    if is_html || super::api::is_api_path(res.request().path()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, _) = res.into_parts();
    let page = error_page(status, default_message(status).to_owned(), None);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, page).map_into_right_body(),
    ))
}
