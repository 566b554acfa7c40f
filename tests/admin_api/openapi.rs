//! The OpenAPI document: the served one is the committed `docs/openapi.json` (so every change
//! to the API shows in review; `UPDATE_OPENAPI=1 cargo test --test admin_api openapi`
//! rewrites the copy), and the `/admin/api` guide lists every Admin API operation of it with
//! a curl example.

use backbone_admin::domain::accounts::Role;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::{browser_of, create_account};

const COPY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");

#[tokio::test]
async fn the_served_document_is_the_committed_copy() {
    let app = spawn_app();
    let response = browser()
        .get(app.url("/docs/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let served = response.text().await.unwrap();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COPY, format!("{served}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(COPY).unwrap_or_default();
    assert!(
        committed.trim_end() == served.trim_end(),
        "docs/openapi.json differs from the served document; review the change and run \
         `UPDATE_OPENAPI=1 cargo test --test admin_api openapi` to update the copy"
    );
    let json: serde_json::Value = serde_json::from_str(&served).unwrap();
    let paths: Vec<&String> = json["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| p.starts_with("/admin/api/v1/"))
        .collect();
    assert_eq!(paths.len(), 6, "{paths:?}");
}

#[tokio::test]
async fn the_guide_lists_every_endpoint_with_a_curl_example() {
    let app = spawn_app();
    create_account(&app, "reader", Role::Auditor);
    let client = browser_of(&app, "reader").await;
    let (status, html) = app.get_html(&client, "/admin/api").await;
    assert_eq!(status, StatusCode::OK);
    let curls = texts(&html, "pre.curl");
    assert_eq!(curls.len(), 7, "{curls:?}");
    let base = app.url("/admin/api/v1");
    assert!(
        curls
            .iter()
            .all(|c| c.contains("X-API-KEY: $KEY") && c.contains(&base))
    );
    assert!(
        curls
            .iter()
            .any(|c| c.starts_with("curl -X PUT") && c.ends_with("/Cancel\""))
    );
    assert!(
        html.contains("href=\"/admin/account#api-keys\""),
        "says where keys are made"
    );
    assert!(texts(&html, "main h1").concat().contains("Admin API"));
    // Signed out, the guide is behind the sign-in like every admin page.
    let anonymous = app.get(&browser(), "/admin/api").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}
