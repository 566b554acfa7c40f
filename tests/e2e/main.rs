//! Browser end-to-end tests: people clicking through the real app in headless Chromium.
//! Each person has a browser of their own (own profile, own cookies).

mod accounts;
mod api_keys;
mod browser;
#[path = "../common/mod.rs"]
mod common;
mod in_german;
mod more_pages;
mod page_checks;
mod password_reset;
mod process_timeline;
mod receipts;
mod two_step;

use backbone_admin::domain::{IdentityStatus, ProcessStatus};
use browser::{body_text, capture, click, click_text, fill};
use common::app::{TestApp, TestOwner, spawn_app};
use fantoccini::Client;

fn identity_status(app: &TestApp, owner: &TestOwner) -> IdentityStatus {
    app.core
        .identities()
        .identity(&owner.address)
        .expect("identity")
        .status
}

/// A new browser that fills in and sends a sign-in form.
async fn submit_sign_in(
    app: &TestApp,
    path: &str,
    username: &str,
    password: &str,
    shot: &str,
) -> Client {
    let b = browser::open(browser::DESKTOP).await;
    b.goto(&app.url(path)).await.expect("open sign-in");
    fill(&b, "#username", username).await;
    fill(&b, "#password", password).await;
    capture(&b, shot).await;
    click_text(&b, "Sign in").await;
    b
}

async fn owner_signs_in(app: &TestApp, owner: &TestOwner, shot: &str) -> Client {
    let b = submit_sign_in(app, "/login", &owner.username, &owner.password, shot).await;
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
        .core
        .processes()
        .start_as_support(&owner.address, &common::app::admin_username())
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
        .core
        .processes()
        .process(&owner.address, &process.id)
        .expect("process");
    assert_eq!(after.status, ProcessStatus::Rejected);
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);
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
        .core
        .processes()
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
        app.core
            .processes()
            .process(&owner.address, &open.id)
            .expect("process")
            .status,
        ProcessStatus::Cancelled
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);
    b.close().await.expect("close");
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_generic_message() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("forgetful-owner");
    let b = submit_sign_in(
        &app,
        "/login",
        &owner.username,
        "not the password",
        "wrong-password-01",
    )
    .await;
    let page = body_text(&b).await;
    assert!(
        page.contains("The username or password is not correct"),
        "{page}"
    );
    assert_eq!(b.current_url().await.expect("url").path(), "/login");
    capture(&b, "wrong-password-02-refused").await;
    b.close().await.expect("close");
}

async fn admin_signs_in(app: &TestApp) -> Client {
    // Signed out, /admin leads to the sign-in page, and back to /admin afterwards.
    let b = submit_sign_in(
        app,
        "/admin",
        common::app::ADMIN,
        common::app::PASSWORD,
        "flow-01-admin-sign-in",
    )
    .await;
    assert_eq!(
        b.current_url().await.expect("url").path(),
        "/admin",
        "{}",
        body_text(&b).await
    );
    b
}

#[tokio::test]
async fn support_starts_owner_approves_then_cancels_and_support_sees_it_all() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("flow-owner");
    app.create_owner("someone-else");

    // Support finds the identity and starts a deletion process through the confirmation step.
    let admin = admin_signs_in(&app).await;
    capture(&admin, "flow-02-dashboard").await;
    admin
        .goto(&app.url("/admin/identities"))
        .await
        .expect("identities");
    fill(&admin, "#q", "flow-").await;
    click_text(&admin, "Search").await;
    capture(&admin, "flow-03-search").await;
    let rows = admin
        .find_all(fantoccini::Locator::Css("tr.identity-row"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1, "the search finds exactly the identity");
    click(&admin, "tr.identity-row a.address").await;
    capture(&admin, "flow-04-identity").await;
    click(&admin, "#start-deletion").await;
    capture(&admin, "flow-05-confirm-start").await;
    click_text(&admin, "Start deletion process").await;
    let page = body_text(&admin).await;
    assert!(page.contains("WaitingForApproval"), "{page}");
    capture(&admin, "flow-06-started").await;

    // The owner sees the request and its deadline, and approves.
    let b = owner_signs_in(&app, &owner, "flow-07-owner-sign-in").await;
    let page = body_text(&b).await;
    assert!(page.contains("Approve or reject by"), "{page}");
    capture(&b, "flow-08-owner-request").await;
    click_text(&b, "Approve").await;
    capture(&b, "flow-09-confirm-approve").await;
    click_text(&b, "Yes, approve the deletion").await;
    assert!(
        body_text(&b)
            .await
            .contains("Your identity will be deleted on")
    );
    capture(&b, "flow-10-approved").await;

    // Support reloads: Approved, with the grace period's end.
    admin.refresh().await.expect("reload");
    let page = body_text(&admin).await;
    assert!(page.contains("Approved"), "{page}");
    capture(&admin, "flow-11-admin-sees-approved").await;

    // The owner cancels; support sees Cancelled and the three audit entries.
    click_text(&b, "Cancel deletion").await;
    click_text(&b, "Yes, cancel the deletion").await;
    capture(&b, "flow-12-owner-cancelled").await;
    admin.refresh().await.expect("reload");
    capture(&admin, "flow-13-admin-sees-cancelled").await;
    let process = app
        .core
        .processes()
        .processes_of(&owner.address)
        .expect("processes")
        .remove(0);
    assert_eq!(process.status, ProcessStatus::Cancelled);
    admin
        .goto(&app.url(&format!(
            "/admin/identities/{}/deletion-processes/{}",
            owner.address, process.id
        )))
        .await
        .expect("process page");
    let page = body_text(&admin).await;
    for sentence in [
        backbone_admin::domain::MessageKey::StartedBySupport.sentence(),
        backbone_admin::domain::MessageKey::Approved.sentence(),
        backbone_admin::domain::MessageKey::CancelledByOwner.sentence(),
    ] {
        assert!(
            page.contains(sentence),
            "audit log shows: {sentence}\n{page}"
        );
    }
    capture(&admin, "flow-14-admin-audit-log").await;
    b.close().await.expect("close");
    admin.close().await.expect("close");
}

/// A page on another local origin whose form posts to the app: a forged request.
fn serve_attacker_page(target: &str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let html = format!(
        "<!doctype html><title>Win a prize</title><form method=post action=\"{target}\">\
         <input type=hidden name=grace_period_days value=1><button id=prize>Claim prize</button></form>"
    );
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{html}",
                html.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    // "localhost" is another site than "127.0.0.1", where the app is.
    format!("http://localhost:{port}/")
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("targeted-owner");
    let b = owner_signs_in(&app, &owner, "csrf-01-sign-in").await;
    let attacker = serve_attacker_page(&app.url("/me/deletion-processes"));
    b.goto(&attacker).await.expect("attacker page");
    click(&b, "#prize").await;
    let page = body_text(&b).await;
    assert!(page.contains("403"), "{page}");
    capture(&b, "csrf-02-refused").await;
    assert!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .expect("processes")
            .is_empty(),
        "nothing was started"
    );
    b.close().await.expect("close");
}
