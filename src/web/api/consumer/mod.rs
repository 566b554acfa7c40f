//! The Consumer API (`/api/v1` and `/connect/token`, `docs/consumer-api.md`): what the
//! identity owners' apps, built on the platform's client library, call. Handlers parse,
//! call the facade use case the owner pages call too (or the Consumer API's own:
//! registration, tokens, sync runs), and render JSON.

mod auth;
mod deletion_processes;
mod registration;
mod sync;
mod token;
mod views;

use actix_web::web;
use utoipa::OpenApi;

use super::ApiError;

/// A body that must be `{}` or nothing (the platform's client sends `{}`).
fn empty_body(body: &[u8]) -> Result<(), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
        Ok(_) => Ok(()),
        Err(why) => Err(ApiError::cannot_be_parsed(why)),
    }
}

/// `/connect/token`, in the `/connect` scope.
pub fn connect_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/token", web::post().to(token::issue));
}

/// The endpoints of the `/api/v1` scope.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use deletion_processes as processes;
    const PROCESSES: &str = "/Identities/Self/DeletionProcesses";
    cfg.route(
        "/Challenges",
        web::post().to(registration::create_challenge),
    )
    .route("/Identities", web::post().to(registration::create_identity))
    .route(
        "/Identities/IsDeleted",
        web::get().to(registration::is_deleted),
    )
    .route(PROCESSES, web::post().to(processes::initiate))
    .route(PROCESSES, web::get().to(processes::list))
    .route(
        &format!("{PROCESSES}/{{id}}"),
        web::get().to(processes::show),
    )
    .route(
        &format!("{PROCESSES}/{{id}}/Approve"),
        web::put().to(processes::approve),
    )
    .route(
        &format!("{PROCESSES}/{{id}}/Reject"),
        web::put().to(processes::reject),
    )
    .route(
        &format!("{PROCESSES}/{{id}}/Cancel"),
        web::put().to(processes::cancel),
    )
    .route("/SyncRuns", web::post().to(sync::start))
    .route("/SyncRuns/{id}/ExternalEvents", web::get().to(sync::events))
    .route(
        "/SyncRuns/{id}/FinalizeExternalEventSync",
        web::put().to(sync::finalize_events),
    )
    .route(
        "/SyncRuns/{id}/FinalizeDatawalletVersionUpgrade",
        web::put().to(sync::finalize_upgrade),
    )
    .route(
        "/Datawallet/Modifications",
        web::get().to(sync::datawallet_modifications),
    );
}

/// The Consumer API's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    registration::create_challenge,
    registration::create_identity,
    registration::is_deleted,
    token::issue,
    deletion_processes::initiate,
    deletion_processes::list,
    deletion_processes::show,
    deletion_processes::approve,
    deletion_processes::reject,
    deletion_processes::cancel,
    sync::start,
    sync::events,
    sync::finalize_events,
    sync::finalize_upgrade,
    sync::datawallet_modifications,
))]
pub struct ConsumerApi;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_in_the_openapi_document() {
        let json: serde_json::Value =
            serde_json::from_str(crate::web::api::openapi::document_json()).expect("JSON");
        let paths = json["paths"].as_object().expect("paths");
        for (path, method) in [
            ("/api/v1/Challenges", "post"),
            ("/api/v1/Identities", "post"),
            ("/api/v1/Identities/IsDeleted", "get"),
            ("/connect/token", "post"),
            ("/api/v1/Identities/Self/DeletionProcesses", "post"),
            ("/api/v1/Identities/Self/DeletionProcesses", "get"),
            ("/api/v1/Identities/Self/DeletionProcesses/{id}", "get"),
            (
                "/api/v1/Identities/Self/DeletionProcesses/{id}/Approve",
                "put",
            ),
            (
                "/api/v1/Identities/Self/DeletionProcesses/{id}/Reject",
                "put",
            ),
            (
                "/api/v1/Identities/Self/DeletionProcesses/{id}/Cancel",
                "put",
            ),
            ("/api/v1/SyncRuns", "post"),
            ("/api/v1/SyncRuns/{id}/ExternalEvents", "get"),
            ("/api/v1/SyncRuns/{id}/FinalizeExternalEventSync", "put"),
            (
                "/api/v1/SyncRuns/{id}/FinalizeDatawalletVersionUpgrade",
                "put",
            ),
            ("/api/v1/Datawallet/Modifications", "get"),
        ] {
            assert!(paths[path][method].is_object(), "{method} {path}");
        }
        assert!(json["components"]["schemas"]["DeletionProcessView"].is_object());
    }

    #[test]
    fn a_decision_body_is_empty_or_an_object() {
        for fine in [&b""[..], b"  ", b"{}", b"{\"x\": 1}"] {
            assert!(empty_body(fine).is_ok());
        }
        for bad in [&b"[]"[..], b"{", b"null", b"\"{}\""] {
            assert!(empty_body(bad).is_err());
        }
    }
}
