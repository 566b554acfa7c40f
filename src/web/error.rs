//! Errors of the web layer, rendered as styled pages with the right status.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::layout::Layout;
use crate::domain::DomainError;
use crate::domain::accounts::AccountError;
use crate::facade::FacadeError;
use crate::hashing::BUSY_RETRY_AFTER_SECONDS;

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
        503 => {
            "The database cannot be reached right now. Nothing was changed; please try again in a moment."
        }
        _ => "An unexpected error occurred. Nothing was changed; please try again.",
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

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Domain(e) => {
                StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            Self::Account(e) => {
                StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            Self::Unavailable | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::SignInRequired { .. } => StatusCode::SEE_OTHER,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            Self::SignInRequired { location } => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.as_str()))
                .finish(),
            Self::Domain(e @ DomainError::TooManyTransitions { wait_seconds, .. }) => {
                let wait = *wait_seconds;
                with_retry_after(
                    error_page(status, e.message(), Some(e.code())),
                    u32::try_from(wait).unwrap_or(1),
                )
            }
            Self::Domain(e) => error_page(status, e.message(), Some(e.code())),
            Self::Account(e) => error_page(status, e.message(), Some(e.code())),
            Self::Busy => with_retry_after(
                error_page(
                    status,
                    "Too many sign-ins are being checked right now. Nothing was changed; \
                     please try again in a few seconds."
                        .to_owned(),
                    None,
                ),
                BUSY_RETRY_AFTER_SECONDS,
            ),
            Self::Throttled { seconds } => with_retry_after(
                error_page(
                    status,
                    format!(
                        "There were too many failed sign-ins. Please wait {} and try again.",
                        wait_in_words(*seconds)
                    ),
                    None,
                ),
                *seconds,
            ),
            Self::Forbidden(why) => error_page(status, (*why).to_owned(), None),
            Self::BadRequest(why) => error_page(status, why.clone(), None),
            Self::Internal(why) => {
                tracing::error!(error = %why, "internal error");
                error_page(status, default_message(status).to_owned(), None)
            }
            _ => error_page(status, default_message(status).to_owned(), None),
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

/// "1 second", "40 seconds", "3 minutes".
fn wait_in_words(seconds: u32) -> String {
    match seconds {
        0 | 1 => "1 second".to_owned(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
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
    if is_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, _) = res.into_parts();
    let page = error_page(status, default_message(status).to_owned(), None);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, page).map_into_right_body(),
    ))
}
