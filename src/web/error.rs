//! Errors of the web layer, rendered as styled pages with the right status.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::body::PageHolding;
use super::i18n::{Arg, Lang, key};
use super::layout::{ADMIN_BRAND, Layout};
use super::session::TypedSession;
use crate::domain::DomainError;
use crate::domain::Refusal;
use crate::domain::accounts::AccountError;
use crate::domain::error::ErrorReport;
use crate::facade::FacadeError;
use crate::facade::error::{busy_report, throttled_report, unavailable_report, unexpected_report};

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
    /// Refused, for the reason in message `key`.
    #[error("forbidden: {0}")]
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
    /// A request that could not be used, for the reason in message `key`.
    #[error("invalid request: {key}")]
    Invalid {
        key: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
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
            // The Consumer API's refusals are answered by the API itself; a page never
            // shows them, but would say the request was not valid.
            FacadeError::Consumer(_) => Self::Invalid {
                key: key("error-page-400"),
                args: Vec::new(),
            },
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
    pub title: String,
    pub message: String,
    pub code: Option<&'static str>,
    /// Shown on server errors (5xx) so that a user can quote it to support.
    pub request_id: Option<String>,
}

/// What an error page says, in no language yet: the response carries it until
/// [`style_plain_errors`] knows the request's language and realm and draws the page.
#[derive(Debug, Clone)]
pub struct ErrorText {
    /// The message file's key and its arguments.
    key: String,
    args: Vec<(&'static str, Arg)>,
    /// The code shown small under the sentence (a rule's refusal only).
    code: Option<&'static str>,
}

impl ErrorText {
    pub fn key(key: &'static str) -> Self {
        Self::with_args(key, Vec::new())
    }

    pub fn with_args(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self {
            key: key.to_owned(),
            args,
            code: None,
        }
    }

    /// A report's own message (the key comes from its code).
    fn report(report: &ErrorReport, show_code: bool) -> Self {
        Self {
            key: report.message_key(),
            args: report.args.clone(),
            code: show_code.then_some(report.code),
        }
    }

    /// The page's default words for `status`.
    fn for_status(status: StatusCode) -> Self {
        Self::key(default_message_key(status))
    }

    pub fn say(&self, lang: Lang) -> String {
        lang.t_args(&self.key, &self.args)
    }
}

fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => key("error-title-400"),
        403 => key("error-title-403"),
        404 => key("error-title-404"),
        405 => key("error-title-405"),
        408 => key("error-title-408"),
        409 => key("error-title-409"),
        413 => key("error-title-413"),
        415 => key("error-title-415"),
        429 => key("error-title-429"),
        503 => key("error-title-503"),
        _ => key("error-title-500"),
    }
}

fn default_message_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => key("error-page-400"),
        403 => key("error-page-403"),
        404 => key("error-page-404"),
        405 => key("error-page-405"),
        408 => key("error-page-408"),
        413 => key("error-page-413"),
        415 => key("error-page-415"),
        429 => key("error-page-429"),
        503 => key("error-platform-unavailable"),
        _ => key("error-platform-unexpected"),
    }
}

/// Renders the styled error page in English with the admins' frame; the response
/// carries its [`ErrorText`], so that [`style_plain_errors`] draws it again in the
/// visitor's language and realm.
pub fn error_page(status: StatusCode, text: ErrorText) -> HttpResponse {
    let body = render_error(status, &text, Layout::bare(ADMIN_BRAND, "/admin"));
    let mut response = HttpResponse::build(status);
    response.content_type("text/html; charset=utf-8");
    // Also on errors that bypass the headers middleware (they travel as `Err`).
    for header in super::security::HEADERS {
        response.insert_header(*header);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        response.insert_header((header::RETRY_AFTER, "60"));
    }
    let mut response = response.body(body);
    response.extensions_mut().insert(text);
    response
}

fn render_error(status: StatusCode, text: &ErrorText, mut layout: Layout) -> String {
    let lang = layout.lang;
    let title = lang.t(title_key(status));
    layout.title = title.clone();
    let page = ErrorPage {
        layout,
        status: status.as_u16(),
        title,
        message: text.say(lang),
        code: text.code,
        request_id: status
            .is_server_error()
            .then(super::request_id::current)
            .flatten(),
    };
    page.render().unwrap_or_else(|_| text.say(lang))
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
            session.error(session.lang().report(&report));
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
            let text = match self {
                Self::Forbidden(key) => ErrorText::key(key),
                Self::Invalid { key, args } => ErrorText::with_args(key, args.clone()),
                _ => ErrorText::for_status(status),
            };
            return error_page(status, text);
        };
        let page = error_page(status, ErrorText::report(&report, self.names_its_code()));
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

/// Draws every error page in the visitor's language and realm: those the app made (they
/// carry their [`ErrorText`]) and actix's own (404, 405, 413, extractor failures), which get
/// the page for their status.
pub fn style_plain_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // The APIs answer with their own error bodies (or an empty 401), never a page.
    if super::api::is_api_path(res.request().path()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let text = res.response().extensions().get::<ErrorText>().cloned();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let status = res.status();
    let text = match text {
        Some(text) => text,
        // A page a handler answered with on purpose (a form shown again with its errors).
        None if is_html => return Ok(ErrorHandlerResponse::Response(res.map_into_left_body())),
        None => ErrorText::for_status(status),
    };
    let body = render_error(status, &text, Layout::for_error(res.request()));
    let (req, mut response) = res.into_parts();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if status == StatusCode::TOO_MANY_REQUESTS
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    // The page replaces the body but keeps it alive until sent: a body that holds an
    // unfinished read makes actix close the connection (`body.rs`).
    let response = response.map_body(|_, held| {
        BoxBody::new(PageHolding {
            page: BoxBody::new(body),
            _held: Box::new(held),
        })
    });
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
