//! An administrator resets another admin's password: the one-time password is shown in a
//! box one click selects; its holder signs in with it and must first choose their own
//! password, on a page without navigation that asks for the one-time password. At 1280 and
//! 390 px, each page checked with axe-core and html-validate.

use backbone_admin::domain::accounts::Role;
use fantoccini::{Client, Locator};

use crate::browser::{self, body_text, capture, click, click_text, fill};
use crate::common::admin_name;
use crate::common::app::{ADMIN, PASSWORD, spawn_app};
use crate::submit_sign_in;

const NEW_PASSWORD: &str = "plinth gravel otter saxophone";

/// The links in the header besides the brand.
async fn header_links(b: &Client) -> usize {
    b.find_all(Locator::Css("header a:not(.brand)"))
        .await
        .expect("links")
        .len()
}

async fn change_password(b: &Client, one_time: &str) {
    fill(b, "#current", one_time).await;
    fill(b, "#new", NEW_PASSWORD).await;
    fill(b, "#repeat", NEW_PASSWORD).await;
    click(b, "main form button[type=submit]").await;
}

#[tokio::test]
async fn an_administrator_resets_a_password_and_its_holder_chooses_a_new_one() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    app.core
        .accounts()
        .create_admin_with_role(&admin_name("rita.reset"), Role::Support, NEW_PASSWORD)
        .expect("account");

    let admin = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "reset-00-sign-in").await;
    admin
        .goto(&app.url("/admin/accounts/rita.reset/reset-password"))
        .await
        .expect("confirm");
    click_text(&admin, "Reset password").await;
    let shown = admin
        .find(Locator::Css("#one-time-password"))
        .await
        .expect("the one-time password");
    let password = shown.text().await.expect("text");
    // One click selects all of it, ready to copy.
    shown.click().await.expect("click the password");
    let selected = admin
        .execute("return window.getSelection().toString();", vec![])
        .await
        .expect("selection");
    assert_eq!(selected.as_str().unwrap_or_default().trim(), password);
    capture(&admin, "reset-01-one-time-password").await;

    let rita = submit_sign_in(
        &app,
        "/admin/login",
        "rita.reset",
        &password,
        "reset-02-sign-in",
    )
    .await;
    let url = rita.current_url().await.expect("url");
    assert_eq!(url.path(), "/admin/account/password");
    let page = body_text(&rita).await;
    assert!(page.contains("One-time password"), "{page}");
    assert_eq!(header_links(&rita).await, 0, "no navigation: {page}");
    capture(&rita, "reset-03-forced-change").await;

    change_password(&rita, "not the one-time password").await;
    let page = body_text(&rita).await;
    assert!(
        page.contains("The one-time password is not correct."),
        "{page}"
    );
    capture(&rita, "reset-04-wrong-one-time-password").await;

    change_password(&rita, &password).await;
    let url = rita.current_url().await.expect("url");
    assert_eq!(url.path(), "/admin/account", "{}", body_text(&rita).await);
    assert!(header_links(&rita).await > 0, "the navigation is back");
    admin.close().await.expect("close");
    rita.close().await.expect("close");
}
