//! The three doors on one process: support starts it through the Admin API, the owner
//! approves it on the owner's page, support cancels it through the Admin API; each step
//! shows on the admin pages and in the audit log.

use backbone_admin::domain::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::app::*;
use crate::{account_with_key, api};

/// What the admin process page says: the status badge and the audit sentences.
async fn admin_page_says(
    app: &TestApp,
    admin: &reqwest::Client,
    path: &str,
) -> (String, Vec<String>) {
    let (status, html) = app.get_html(admin, path).await;
    assert_eq!(status, StatusCode::OK);
    (
        texts(&html, "h1 .badge").concat(),
        texts(&html, "#audit .sentence"),
    )
}

#[tokio::test]
async fn a_process_started_by_api_approved_on_the_page_and_cancelled_by_api() {
    let app = spawn_app();
    let key = account_with_key(&app, "desk", Role::Support);
    let owner = app.create_owner("three-doors");
    let admin = browser();
    app.sign_in_admin(&admin).await;
    let client = browser();
    let processes = format!("/Identities/{}/DeletionProcesses", owner.address);

    let started = api(&app, &client, Method::POST, &processes)
        .header("X-API-KEY", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    let id = started.json::<Value>().await.unwrap()["result"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = format!(
        "/admin/identities/{}/deletion-processes/{id}",
        owner.address
    );
    let (badge, sentences) = admin_page_says(&app, &admin, &page).await;
    assert_eq!(badge, "WaitingForApproval");
    assert_eq!(sentences.len(), 1, "{sentences:?}");

    let owner_browser = browser();
    app.sign_in_owner(&owner_browser, &owner).await;
    let approve = format!("/me/deletion-processes/{id}/approve");
    let approved = app.post_form(&owner_browser, &approve, &approve, &[]).await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    let (badge, sentences) = admin_page_says(&app, &admin, &page).await;
    assert_eq!(badge, "Approved");
    assert_eq!(sentences.len(), 2, "{sentences:?}");

    let cancelled = api(
        &app,
        &client,
        Method::PUT,
        &format!("{processes}/{id}/Cancel"),
    )
    .header("X-API-KEY", &key)
    .send()
    .await
    .unwrap();
    assert_eq!(cancelled.status(), StatusCode::OK);
    let (badge, sentences) = admin_page_says(&app, &admin, &page).await;
    assert_eq!(badge, "Cancelled");
    assert_eq!(sentences.len(), 3, "{sentences:?}");
    assert!(
        sentences[2].to_lowercase().contains("support"),
        "{sentences:?}"
    );

    let (_, log) = app
        .get_html(
            &admin,
            &format!("/admin/audit-logs?address={}", owner.address),
        )
        .await;
    assert_eq!(
        texts(&log, "#audit .status-change"),
        [
            "— → WaitingForApproval",
            "WaitingForApproval → Approved",
            "Approved → Cancelled"
        ]
    );
    let via_api = api(&app, &client, Method::GET, &format!("{processes}/{id}"))
        .header("X-API-KEY", &key)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        via_api["result"]["approvedByDevice"],
        owner.device_id.to_string()
    );
    assert_eq!(via_api["result"]["auditLog"].as_array().unwrap().len(), 3);
}
