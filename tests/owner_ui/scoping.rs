//! An owner sees and acts only on their own processes, and never on admin pages.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::{IdentityStatus, ProcessStatus};
use reqwest::StatusCode;

#[tokio::test]
async fn an_owner_cannot_see_or_act_on_another_identitys_process() {
    let app = spawn();
    let a = app.create_owner("owner-a");
    let b = app.create_owner("owner-b");
    let waiting = started_by_support(&app, &b);
    let client = owner_browser(&app, &a).await;

    let (status, _) = app
        .get_html(&client, &format!("/me/deletion-processes/{}", waiting.id))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for decision in ["approve", "reject", "cancel"] {
        let path = decision_path(&waiting.id, decision);
        let (status, _) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {decision}");
        let response = app.post_form(&client, "/me", &path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {decision}");
    }
    assert_eq!(
        process_status(&app, &b, &waiting.id),
        ProcessStatus::WaitingForApproval
    );
    assert_eq!(audit_keys(&app, &b, &waiting.id), ["StartedBySupport"]);
    assert_eq!(identity_status(&app, &b), IdentityStatus::Active);
    let (_, html) = app.get_html(&client, "/me/deletion-processes").await;
    assert!(
        texts(&html, "tbody tr").is_empty(),
        "A's history holds none of B's processes"
    );

    // Malformed IDs are a 400; unknown actions are not a page.
    let (status, html) = app
        .get_html(&client, "/me/deletion-processes/not-an-id")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("is not a valid ID"));
    let response = app
        .post_form(&client, "/me", "/me/deletion-processes/IDP123/approve", &[])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let (status, _) = app
        .get_html(&client, &decision_path(&waiting.id, "delete"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_owner_session_never_opens_admin_pages() {
    let app = spawn();
    let owner = app.create_owner("henry");
    let client = owner_browser(&app, &owner).await;
    for path in ["/admin", "/admin/identities", "/admin/deletion-processes"] {
        let response = app.get(&client, path).await;
        let (status, to) = (response.status(), location(&response));
        // Before the admin pages are merged these paths are no page at all; with them, the
        // owner session is sent to the admin sign-in. Never is an admin page shown.
        let refused = status == StatusCode::NOT_FOUND
            || (status == StatusCode::SEE_OTHER && to.starts_with("/admin/login"));
        assert!(refused, "{path}: {status} → {to}");
    }
    let (status, _) = app.get_html(&client, "/me").await;
    assert_eq!(status, StatusCode::OK, "the owner session itself goes on");
}

#[tokio::test]
async fn owners_see_the_platform_name_and_admins_the_back_office_name() {
    let app = spawn();
    let owner = app.create_owner("branded");
    let client = owner_browser(&app, &owner).await;
    for path in ["/me", "/me/deletion-processes", "/receipts/verify"] {
        let (_, html) = app.get_html(&client, path).await;
        assert_eq!(
            texts(&html, ".topbar .brand"),
            ["Example Platform"],
            "{path}"
        );
        let title = texts(&html, "title").join("");
        assert!(title.ends_with("· Example Platform"), "{path}: {title}");
        assert!(!html.contains("Backbone Admin"), "{path}");
    }
    let (_, html) = app.get_html(&browser(), "/admin/login").await;
    assert_eq!(texts(&html, ".topbar .brand"), ["Backbone Admin"]);
    let (_, html) = app.get_html(&browser(), "/login").await;
    assert_eq!(texts(&html, ".topbar .brand"), ["Example Platform"]);
}
