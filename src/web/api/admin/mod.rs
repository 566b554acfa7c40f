//! The Admin API (SPEC 8.3) under `/admin/api/v1`, for support tools and scripts: the
//! Backbone Admin API's path shapes, authenticated by an admin account's API key
//! (`X-API-KEY`, `caller.rs`), acting with that account's role. Handlers parse, call the
//! same facade use cases as the admin pages, and render JSON (`views.rs`).
//!
//! Each path is one resource: a request with a method the path does not have gets 405
//! with `Allow`, not 404.

mod caller;
mod identities;
pub mod openapi;
mod processes;
mod views;

use actix_web::http::Method;
use actix_web::http::header::ALLOW;
use actix_web::{HttpResponse, Route, web};

pub use caller::API_KEY_HEADER;

/// Where the Admin API is mounted.
pub const BASE: &str = "/admin/api/v1";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        crate::web::api::scope(BASE)
            .service(resource(
                "/Identities",
                [(Method::GET, web::get().to(identities::list))],
            ))
            .service(resource(
                "/Identities/{address}",
                [(Method::GET, web::get().to(identities::show))],
            ))
            .service(resource(
                "/Identities/{address}/DeletionProcesses",
                [
                    (Method::GET, web::get().to(processes::list)),
                    (Method::POST, web::post().to(processes::start)),
                ],
            ))
            // Before `{id}`: `AuditLogs` is no process ID.
            .service(resource(
                "/Identities/{address}/DeletionProcesses/AuditLogs",
                [(Method::GET, web::get().to(processes::audit_logs))],
            ))
            .service(resource(
                "/Identities/{address}/DeletionProcesses/{id}",
                [(Method::GET, web::get().to(processes::show))],
            ))
            .service(resource(
                "/Identities/{address}/DeletionProcesses/{id}/Cancel",
                [(Method::PUT, web::put().to(processes::cancel))],
            )),
    );
}

/// A path with its methods; any other method is answered 405 with `Allow`.
fn resource<const N: usize>(path: &str, routes: [(Method, Route); N]) -> actix_web::Resource {
    let allow = routes
        .iter()
        .map(|(method, _)| method.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    routes
        .into_iter()
        .fold(web::resource(path), |resource, (_, route)| {
            resource.route(route)
        })
        .default_service(web::to(move || {
            let allow = allow.clone();
            async move {
                HttpResponse::MethodNotAllowed()
                    .insert_header((ALLOW, allow))
                    .finish()
            }
        }))
}
