//! Helpers shared by several features of the admin UI tests.

use crate::common::app::*;
use backbone_admin::domain::{DeletionProcessId, IdentityAddress};

pub(crate) fn identity_path(address: &IdentityAddress) -> String {
    format!("/admin/identities/{address}")
}

pub(crate) fn process_path(address: &IdentityAddress, id: &DeletionProcessId) -> String {
    format!("/admin/identities/{address}/deletion-processes/{id}")
}

/// A signed-in browser.
pub(crate) async fn admin_browser(app: &TestApp) -> reqwest::Client {
    let client = browser();
    app.sign_in_admin(&client).await;
    client
}

/// A new owner with a process support started, waiting for the owner's decision.
pub(crate) fn started_process(app: &TestApp, username: &str) -> (TestOwner, DeletionProcessId) {
    let owner = app.create_owner(username);
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("started");
    (owner, process.id)
}

/// An owner with a process started by support and approved by the owner.
pub(crate) fn approved_process(app: &TestApp, username: &str) -> (TestOwner, DeletionProcessId) {
    let (owner, id) = started_process(app, username);
    app.core
        .processes()
        .approve(&owner.owner(), &id)
        .expect("approved");
    (owner, id)
}
