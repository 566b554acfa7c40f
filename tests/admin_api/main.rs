//! Issue 20, the Admin API (SPEC 8.3) with per-account API keys, over real HTTP against
//! real PostgreSQL: keys on the account pages and the command line, the `X-API-KEY` check
//! and the per-key limit, every endpoint's successes and failures, the three doors mixed on
//! one process, and the OpenAPI document.
//!
//! One module per capability; shared helpers below.

#[path = "../common/mod.rs"]
mod common;

mod authentication;
mod command_line;
mod doors;
mod identities;
mod key_pages;
mod openapi;
mod processes;

use crate::common::admin_name;
use backbone_admin::domain::accounts::{ApiKeyLifetime, ApiKeyName, Role};
use common::app::*;
use reqwest::{Client, RequestBuilder};

/// A new key of `username` (made through the facade, as the command line does).
pub(crate) fn key_of(app: &TestApp, username: &str, name: &str) -> String {
    app.core
        .api_keys()
        .create_from_command_line(
            &admin_name(username),
            &ApiKeyName::parse(name).expect("a name"),
            ApiKeyLifetime::default(),
        )
        .expect("key created")
        .secret
        .expose()
        .to_owned()
}

/// A new account of `role` and a key of it.
pub(crate) fn account_with_key(app: &TestApp, username: &str, role: Role) -> String {
    create_account(app, username, role);
    key_of(app, username, "tests")
}

/// A request to the Admin API at `path` (after `/admin/api/v1`).
pub(crate) fn api(
    app: &TestApp,
    client: &Client,
    method: reqwest::Method,
    path: &str,
) -> RequestBuilder {
    client.request(method, app.url(&format!("/admin/api/v1{path}")))
}

/// The kinds of the security events recorded for `account`, oldest first.
pub(crate) fn event_kinds(app: &TestApp, account: &str) -> Vec<String> {
    let mut events: Vec<String> = app
        .core
        .security_events()
        .own_security_events(&admin_name(account), 200)
        .expect("events")
        .into_iter()
        .map(|e| e.kind.as_str().to_owned())
        .collect();
    events.reverse();
    events
}
