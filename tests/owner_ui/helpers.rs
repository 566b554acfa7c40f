//! Helpers shared by several features of the owner UI tests.

pub(crate) use crate::common::app::*;
use backbone_admin::domain::{DeletionProcess, DeletionProcessId, IdentityStatus, ProcessStatus};
use chrono::SubsecRound;
use reqwest::{Client, StatusCode};

/// The app with its clock on a whole second: stored timestamps keep microseconds only, so
/// a deadline of "now + 7 days" would otherwise read back a hair under 7 days away.
pub(crate) fn spawn() -> TestApp {
    let app = spawn_app();
    app.clock.set(app.core.now().trunc_subsecs(0));
    app
}

/// Support starts a deletion of `owner`'s identity (as the admin pages would).
pub(crate) fn started_by_support(app: &TestApp, owner: &TestOwner) -> DeletionProcess {
    app.core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("support starts a process")
}

pub(crate) fn process_status(
    app: &TestApp,
    owner: &TestOwner,
    id: &DeletionProcessId,
) -> ProcessStatus {
    app.core
        .processes()
        .process(&owner.address, id)
        .expect("process")
        .status
}

pub(crate) fn identity_status(app: &TestApp, owner: &TestOwner) -> IdentityStatus {
    app.core
        .identities()
        .identity(&owner.address)
        .expect("identity")
        .status
}

/// The process's audit message keys, sorted: the test clock stands still, so entries share
/// their timestamp and their order in the log says nothing.
pub(crate) fn audit_keys(
    app: &TestApp,
    owner: &TestOwner,
    id: &DeletionProcessId,
) -> Vec<&'static str> {
    let entries = app
        .core
        .audit_log()
        .audit_log_of_process(&owner.address, id)
        .expect("audit log");
    let mut keys: Vec<_> = entries.iter().map(|e| e.message_key.as_str()).collect();
    keys.sort_unstable();
    keys
}

pub(crate) fn decision_path(id: &DeletionProcessId, decision: &str) -> String {
    format!("/me/deletion-processes/{id}/{decision}")
}

/// Checks that a POST redirected to `/me` and that the flash there says `expected`;
/// returns the page.
pub(crate) async fn flash_on_me(
    app: &TestApp,
    client: &Client,
    response: reqwest::Response,
    expected: &str,
) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/me");
    let (status, html) = app.get_html(client, "/me").await;
    assert_eq!(status, StatusCode::OK);
    let flashes = texts(&html, ".flash");
    assert!(
        flashes.iter().any(|f| f.contains(expected)),
        "{expected:?} in {flashes:?}"
    );
    html
}
