//! The pages the flows above do not pass through, each captured at 1280 and 390 px and so
//! checked with axe-core and html-validate: clients, the confirmations, the own password
//! page, the process list, a 403 that keeps the admin's navigation, and the owner's history
//! and process page.

use crate::browser::{self, body_text, capture, click_text, fill};
use crate::common::app::{ADMIN, PASSWORD, STRONG, create_account, spawn_app};
use crate::{owner_signs_in, submit_sign_in};
use backbone_admin::domain::accounts::Role;

#[tokio::test]
async fn every_other_page_passes_the_checks() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    create_account(&app, "aria.auditor", Role::Auditor);
    let owner = app.create_owner("history-owner");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &crate::common::app::admin_username())
        .expect("start");
    app.core
        .processes()
        .approve(&owner.owner(), &process.id)
        .expect("approve");

    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "more-00-sign-in").await;
    b.goto(&app.url("/admin/clients")).await.expect("clients");
    capture(&b, "more-01-clients").await;
    fill(&b, "#client_id", "shop-app").await;
    click_text(&b, "Create client").await;
    assert!(body_text(&b).await.contains("shop-app"));
    capture(&b, "more-02-client-secret").await;
    let address = owner.address.as_str();
    for (path, shot) in [
        (
            "/admin/clients/shop-app/delete".to_owned(),
            "more-03-client-delete",
        ),
        (
            format!(
                "/admin/identities/{address}/deletion-processes/{}/cancel",
                process.id
            ),
            "more-04-cancel-confirm",
        ),
        ("/admin/deletion-processes".to_owned(), "more-05-processes"),
        (
            "/admin/accounts/aria.auditor/role?role=support".to_owned(),
            "more-06-role-confirm",
        ),
        (
            "/admin/accounts/aria.auditor/reset-password".to_owned(),
            "more-07-reset-confirm",
        ),
        ("/admin/account/password".to_owned(), "more-08-own-password"),
    ] {
        b.goto(&app.url(&path)).await.expect(&path);
        capture(&b, shot).await;
    }
    b.close().await.expect("close");

    let auditor = submit_sign_in(
        &app,
        "/admin/login",
        "aria.auditor",
        STRONG,
        "more-09-auditor",
    )
    .await;
    auditor
        .goto(&app.url("/admin/accounts"))
        .await
        .expect("accounts");
    let page = body_text(&auditor).await;
    assert!(page.contains("Your role does not allow this"), "{page}");
    capture(&auditor, "more-10-forbidden").await;
    auditor.close().await.expect("close");

    let o = owner_signs_in(&app, &owner, "more-11-owner-sign-in").await;
    o.goto(&app.url("/me/deletion-processes"))
        .await
        .expect("history");
    capture(&o, "more-12-history").await;
    o.close().await.expect("close");
}
