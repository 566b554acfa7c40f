//! Browser end-to-end tests: people clicking through the real app in headless Chromium.

#[path = "../common/mod.rs"]
mod common;
mod browser;

use common::app::spawn_app;

#[tokio::test]
async fn the_sign_in_pages_render_in_a_real_browser() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let admin = browser::open(browser::DESKTOP).await;
    admin.goto(&app.url("/admin/login")).await.expect("open");
    browser::capture(&admin, "smoke-admin-login").await;
    assert!(browser::body_text(&admin).await.contains("Backbone Admin"));
    admin.close().await.expect("close");
}
