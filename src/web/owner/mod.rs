//! Identity owner pages, behind device sign-in. The owner is a person, not an operator:
//! every page says in plain words what will happen, by when, and what can still be undone.

mod actions;
mod history;
mod login;
mod me;
mod presentation;
mod receipt;

use actix_web::web;

use super::see_other;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/login")
            .route(web::get().to(login::form))
            .route(web::post().to(login::submit)),
    )
    .route("/logout", web::post().to(login::sign_out))
    .route("/me", web::get().to(me::page))
    .service(
        web::resource("/me/deletion-processes")
            .route(web::get().to(history::list))
            .route(web::post().to(actions::initiate)),
    )
    // Registered before `{id}`, which would otherwise read "new" as a malformed ID.
    .route(
        "/me/deletion-processes/new",
        web::get().to(actions::confirm_initiate),
    )
    .route(
        "/me/deletion-processes/{id}",
        web::get().to(history::details),
    )
    // Before `{decision}`, which would otherwise read "receipt" as an unknown decision.
    .route(
        "/me/deletion-processes/{id}/receipt",
        web::get().to(receipt::page),
    )
    .service(
        web::resource("/me/deletion-processes/{id}/{decision}")
            .route(web::get().to(actions::confirm_decision))
            .route(web::post().to(actions::decide)),
    );
}
