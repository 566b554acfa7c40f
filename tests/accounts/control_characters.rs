//! Control characters are refused through the real server before any handler.

use crate::common::app::{browser, spawn_app};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn are_refused_in_paths_queries_and_forms_before_any_handler() {
    let app = spawn_app();
    let client = browser();
    for path in [
        "/admin/login?next=%00",
        "/login?x=a%01b",
        "/admin/identities/did%00x",
        "/me/deletion-processes/IDP%1B",
        "/static/app%00.css",
        "/admin/audit-logs?address%7F=1",
    ] {
        let (status, html) = app.get_html(&client, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(html.contains("control character"), "{path}: {html}");
    }
    // Form fields, before CSRF, sessions or the database are consulted.
    for fields in [
        vec![("username", "a\0b"), ("password", "x")],
        vec![("username", "alice"), ("password", "x\u{7}")],
        vec![("user\u{1}name", "alice")],
    ] {
        let response = app.post_raw(&client, "/login", &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fields:?}");
    }
    // Tab, CR and LF are ordinary input; the form still reaches its handler.
    let (status, _) = app.get_html(&client, "/admin/login?next=%09%0D%0A").await;
    assert_eq!(status, StatusCode::OK);
    let response = app
        .post_form(
            &client,
            "/login",
            "/login",
            &[("username", "a\tb"), ("password", "x\r\ny")],
        )
        .await;
    assert_ne!(response.status(), StatusCode::BAD_REQUEST);
}
