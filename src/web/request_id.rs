//! Request IDs: every request gets one, so a line in the logs, the response a user saw and
//! what they quote to support can be matched up.
//!
//! The ID is taken from an incoming `X-Request-Id` when it is well-formed (1–64 characters
//! of `A–Z a–z 0–9 . _ -`, which a proxy's UUID or trace ID fits), otherwise generated (a
//! UUID). It is recorded in the request's log span (every log line of the request carries
//! it), returned in the `X-Request-Id` response header, and shown on 5xx error pages.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The request and response header carrying the ID.
pub const HEADER: &str = "x-request-id";
/// Longest ID taken from a request.
pub const MAX_LEN: usize = 64;

/// The ID of the request being handled (in the request's extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

tokio::task_local! {
    static CURRENT: RequestId;
}

/// The ID of the request whose handling is running now, if any: error pages read it here,
/// since `ResponseError::error_response` gets no request.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.0.clone()).ok()
}

/// Whether `value` may be used as a request ID as it is.
pub fn is_well_formed(value: &str) -> bool {
    (1..=MAX_LEN).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The incoming ID when it is well-formed, else a new one; also stored in the request's
/// extensions for [`respond`]. Called once per request, when its log span is opened.
pub fn assign(request: &ServiceRequest) -> RequestId {
    let incoming = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| is_well_formed(value));
    let id = RequestId(match incoming {
        Some(value) => value.to_owned(),
        None => uuid::Uuid::new_v4().to_string(),
    });
    request.extensions_mut().insert(id.clone());
    id
}

/// Middleware (inside the request logger): makes the ID [`current`] while the request is
/// handled, returns it in the `X-Request-Id` header, renders errors that travel as `Err`
/// while the ID is still known (so their pages can show it), and counts the request in the
/// metrics.
pub async fn respond(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(|| assign(&req));
    let header = HeaderValue::from_str(&id.0).ok();
    let method = req.method().clone();
    // The request itself must not be cloned here: routing needs it unshared.
    let outcome = CURRENT
        .scope(id, async move {
            match next.call(req).await {
                Ok(response) => Ok(response.map_into_boxed_body()),
                Err(error) => {
                    let page = error.error_response();
                    Err((error, page))
                }
            }
        })
        .await;
    match outcome {
        Ok(mut response) => {
            if let Some(header) = header {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(HEADER), header);
            }
            crate::metrics::http_request(
                response.request().match_pattern().as_deref(),
                &method,
                response.status(),
                started.elapsed(),
            );
            Ok(response)
        }
        Err((error, mut page)) => {
            if let Some(header) = header {
                page.headers_mut()
                    .insert(HeaderName::from_static(HEADER), header);
            }
            // A middleware failed before or after routing: the route is not known here.
            crate::metrics::http_request(None, &method, page.status(), started.elapsed());
            Err(InternalError::from_response(error.to_string(), page).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids() {
        assert!(is_well_formed("a"));
        assert!(is_well_formed("3f2c9a1e-0b7d-4c55-9d1e-2a6f8b4c7d10"));
        assert!(is_well_formed("trace.id_1-2"));
        assert!(is_well_formed(&"x".repeat(64)));
        assert!(!is_well_formed(""));
        assert!(!is_well_formed(&"x".repeat(65)));
        assert!(!is_well_formed("has space"));
        assert!(!is_well_formed("line\nbreak"));
        assert!(!is_well_formed("tab\t"));
        assert!(!is_well_formed("<script>"));
        assert!(!is_well_formed("ünïcode"));
    }
}
