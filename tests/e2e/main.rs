//! Browser end-to-end tests: people clicking through the real app in headless Chromium.
//! Each person has a browser of their own (own profile, own cookies).

mod browser;
#[path = "../common/mod.rs"]
mod common;

use backbone_admin::domain::{IdentityStatus, ProcessStatus};
use browser::{body_text, capture, click_text, fill};
use common::app::{TestApp, TestOwner, spawn_app};
use fantoccini::Client;

async fn owner_signs_in(app: &TestApp, owner: &TestOwner, shot: &str) -> Client {
    let b = browser::open(browser::DESKTOP).await;
    b.goto(&app.url("/login")).await.expect("open sign-in");
    fill(&b, "#username", &owner.username).await;
    fill(&b, "#password", &owner.password).await;
    capture(&b, shot).await;
    click_text(&b, "Sign in").await;
    assert_eq!(b.current_url().await.expect("url").path(), "/me");
    b
}

#[tokio::test]
async fn owner_rejects_a_request_from_support() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("rejecting-owner");
    let process = app
        .facade
        .start_as_support(&owner.address, common::app::ADMIN)
        .expect("start");

    let b = owner_signs_in(&app, &owner, "reject-01-sign-in").await;
    let page = body_text(&b).await;
    assert!(
        page.contains("Support started the deletion of your identity"),
        "{page}"
    );
    capture(&b, "reject-02-request").await;
    click_text(&b, "Reject").await;
    capture(&b, "reject-03-confirm").await;
    click_text(&b, "Yes, reject the deletion").await;
    assert_eq!(b.current_url().await.expect("url").path(), "/me");
    capture(&b, "reject-04-done").await;

    let after = app
        .facade
        .process(&owner.address, &process.id)
        .expect("process");
    assert_eq!(after.status, ProcessStatus::Rejected);
    assert_eq!(
        app.facade
            .identity(&owner.address)
            .expect("identity")
            .status,
        IdentityStatus::Active
    );
    b.close().await.expect("close");
}

#[tokio::test]
async fn owner_initiates_a_deletion_and_cancels_it() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("initiating-owner");
    let b = owner_signs_in(&app, &owner, "initiate-01-sign-in").await;
    capture(&b, "initiate-02-me").await;
    fill(&b, "#grace_period_days", "5").await;
    click_text(&b, "Delete my identity").await;
    assert!(body_text(&b).await.contains("5 days") || body_text(&b).await.contains("deleted on"));
    capture(&b, "initiate-03-confirm").await;
    click_text(&b, "Yes, delete my identity").await;
    let page = body_text(&b).await;
    assert!(page.contains("Your identity will be deleted on"), "{page}");
    capture(&b, "initiate-04-approved").await;
    let open = app
        .facade
        .active_process(&owner.address)
        .expect("approved process");
    assert_eq!(
        open.grace_period_ends_at,
        Some(open.created_at + chrono::Duration::days(5))
    );

    click_text(&b, "Cancel deletion").await;
    capture(&b, "initiate-05-confirm-cancel").await;
    click_text(&b, "Yes, cancel the deletion").await;
    capture(&b, "initiate-06-cancelled").await;
    assert_eq!(
        app.facade
            .process(&owner.address, &open.id)
            .expect("process")
            .status,
        ProcessStatus::Cancelled
    );
    assert_eq!(
        app.facade
            .identity(&owner.address)
            .expect("identity")
            .status,
        IdentityStatus::Active
    );
    b.close().await.expect("close");
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_generic_message() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("forgetful-owner");
    let b = browser::open(browser::DESKTOP).await;
    b.goto(&app.url("/login")).await.expect("open sign-in");
    fill(&b, "#username", &owner.username).await;
    fill(&b, "#password", "not the password").await;
    click_text(&b, "Sign in").await;
    let page = body_text(&b).await;
    assert!(
        page.contains("The username or password is not correct"),
        "{page}"
    );
    assert_eq!(b.current_url().await.expect("url").path(), "/login");
    capture(&b, "wrong-password").await;
    b.close().await.expect("close");
}
