//! Issue 8, the account side of the web layer, over real HTTP against real PostgreSQL:
//! roles on the pages, the account pages, the own-account page (password, second factor),
//! sessions that follow their account, and the security-event page.
//!
//! One module per feature; shared helpers below.

#[path = "../common/mod.rs"]
mod common;

mod account_page;
mod forced_password;
mod language;
mod management;
mod own_account;
mod roles;
mod security_events;
mod sessions_follow;

use backbone_admin::clock::Clock;
use backbone_admin::domain::accounts::{TotpSecret, TotpStep};
use common::app::*;
use reqwest::{Client, StatusCode};

/// A browser signed in as the test administrator.
pub(crate) async fn admin_browser(app: &TestApp) -> Client {
    let client = browser();
    app.sign_in_admin(&client).await;
    client
}

/// Whether the browser's session still opens admin pages: `Ok(())`, or where it was sent.
pub(crate) async fn still_signed_in(app: &TestApp, client: &Client) -> Result<(), String> {
    let response = app.get(client, "/admin").await;
    match response.status() {
        StatusCode::OK => Ok(()),
        _ => Err(location(&response)),
    }
}

/// Asserts that the browser's next request lands on the admin sign-in page.
pub(crate) async fn assert_signed_out(app: &TestApp, client: &Client, why: &str) {
    let landed = still_signed_in(app, client).await;
    assert!(
        matches!(&landed, Err(at) if at.starts_with("/admin/login")),
        "{why}: the session should have ended, got {landed:?}"
    );
}

/// The flash messages on the page the browser is at after a redirect to `path`.
pub(crate) async fn flashes(app: &TestApp, client: &Client, path: &str) -> Vec<String> {
    let (_, html) = app.get_html(client, path).await;
    texts(&html, ".flash")
}

/// The current TOTP code of a base32 key, on the app's clock.
pub(crate) fn totp_code(app: &TestApp, base32: &str) -> String {
    let secret = TotpSecret::from_base32(base32).expect("base32 key");
    secret.code_at_step(TotpStep(app.clock.now().timestamp() / 30))
}

/// The value of the first element matching `css`.
pub(crate) fn text_of(html: &str, css: &str) -> String {
    texts(html, css).into_iter().next().unwrap_or_default()
}

/// The attribute `name` of every element matching `css`.
pub(crate) fn attrs(html: &str, css: &str, name: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).expect("selector");
    document
        .select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}
