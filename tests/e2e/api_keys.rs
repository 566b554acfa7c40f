//! API keys and the Admin API guide in a real browser (issue 20): a key is created on the own
//! account page, shown once in a box that one click selects, listed, and revoked after a
//! confirmation; the guide lists the endpoints. At 1280 and 390 px, without sideways
//! scrolling.

use crate::browser::{self, body_text, capture, click, click_text, fill};
use crate::common::app::{ADMIN, PASSWORD, spawn_app};
use crate::submit_sign_in;

#[tokio::test]
async fn an_admin_creates_copies_and_revokes_a_key_and_reads_the_guide() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "api-keys-00-sign-in").await;
    b.goto(&app.url("/admin/account")).await.expect("account");
    fill(&b, "#api-key-name", "ticket import").await;
    capture(&b, "api-keys-01-account").await;
    click(&b, "#create-api-key button").await;

    let shown = b
        .find(fantoccini::Locator::Css("#api-key"))
        .await
        .expect("the key box");
    let key = shown.text().await.expect("key text");
    assert!(key.starts_with("bba_"), "{key}");
    capture(&b, "api-keys-02-shown-once").await;
    // One click selects the whole key, ready to copy.
    shown.click().await.expect("click the key");
    let selected = b
        .execute("return window.getSelection().toString();", vec![])
        .await
        .expect("selection");
    assert_eq!(selected.as_str().unwrap_or_default().trim(), key);

    b.goto(&app.url("/admin/account")).await.expect("account");
    let page = body_text(&b).await;
    assert!(
        page.contains("ticket import") && !page.contains(&key),
        "{page}"
    );
    click_text(&b, "Revoke").await;
    capture(&b, "api-keys-03-confirm-revoke").await;
    click_text(&b, "Revoke key").await;
    let page = body_text(&b).await;
    assert!(page.contains("revoked"), "{page}");

    b.goto(&app.url("/admin/api")).await.expect("guide");
    let page = body_text(&b).await;
    assert!(
        page.contains("X-API-KEY") && page.contains("/Cancel"),
        "{page}"
    );
    capture(&b, "api-keys-04-guide").await;
    b.close().await.expect("close");
}
