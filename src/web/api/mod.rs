//! The JSON doors, beside the pages: the Consumer API under `/api/v1` (the owners' apps)
//! and the Admin API under `/admin/api/v1` (support tools). They call the same facade use
//! cases as the pages; only parsing and rendering differ. This module holds what both share
//! (`docs/api.md`): the success envelopes, the error body, how bad input is answered, the
//! date format and the OpenAPI document.
//!
//! The API never reads the browser's session cookie, and the pages never accept an API
//! credential: API scopes are mounted outside the session middleware.

pub mod admin;
pub mod consumer;
pub mod dates;
pub mod envelope;
pub mod error;
pub mod input;
pub mod openapi;

use actix_web::{Scope, web};

pub use envelope::{Created, PageQuery, Paged, Pagination, Success};
pub use error::ApiError;

use crate::facade::FacadeResult;

/// Paths answered by the JSON doors: their errors are error bodies (or empty 401s), never
/// the styled HTML pages.
const PREFIXES: [&str; 4] = ["/api/", "/admin/api/", "/connect/", "/docs/v1/"];

pub fn is_api_path(path: &str) -> bool {
    PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

/// A scope of JSON endpoints under `path`, whose extractors answer bad input with the
/// error body (`input.rs`).
pub fn scope(path: &str) -> Scope {
    web::scope(path)
        .app_data(input::json_config())
        .app_data(input::path_config())
        .app_data(input::query_config())
        .default_service(web::to(no_such_endpoint))
}

async fn no_such_endpoint() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        error::RECORD_NOT_FOUND,
        "There is no endpoint at this address (or not for this method).",
    ))
}

/// The OpenAPI document and the two doors' scopes (each door configures its endpoints
/// into its scope).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(openapi::document)
        .configure(admin::routes)
        .service(scope("/api/v1").configure(consumer::routes))
        .service(scope("/connect").configure(consumer::connect_routes));
}

/// Runs facade work on the blocking pool inside the request's span: the API's counterpart
/// of `web::blocking`, whose failures become error bodies.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> FacadeResult<T> + Send + 'static,
) -> Result<T, ApiError> {
    let span = tracing::Span::current();
    web::block(move || span.in_scope(work))
        .await
        .map_err(|e| ApiError::unexpected(e.to_string()))?
        .map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn api_paths_are_told_from_pages() {
        for path in [
            "/api/v1/Challenges",
            "/admin/api/v1/Identities",
            "/connect/token",
        ] {
            assert!(super::is_api_path(path), "{path}");
        }
        for path in ["/admin/identities", "/admin/apis", "/me", "/apiary"] {
            assert!(!super::is_api_path(path), "{path}");
        }
    }
}
