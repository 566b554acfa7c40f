//! The main pages in German, reached through the header's language switch (a form, no
//! JavaScript needed): screenshots at 1280 and 390 px, each checked with axe-core and
//! html-validate like every other page.

use crate::browser::{self, body_text, capture, click, click_text};
use crate::common::app::{ADMIN, PASSWORD, spawn_app};
use crate::{owner_signs_in, submit_sign_in};
use backbone_admin::domain::GraceLength;
use fantoccini::Client;

/// Clicks the header's switch and checks that the page came back in `lang`.
async fn switch_language(b: &Client, lang: &str) {
    click(b, "form.lang-switch button").await;
    let html_lang = b
        .execute("return document.documentElement.lang;", vec![])
        .await
        .expect("lang");
    assert_eq!(html_lang.as_str(), Some(lang));
}

#[tokio::test]
async fn support_and_an_owner_use_the_pages_in_german() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("deutsche-inhaberin");
    let waiting = app.create_owner("wartender-inhaber");
    let process = app
        .core
        .processes()
        .start_as_support(&waiting.address, &crate::common::app::admin_username())
        .expect("start");

    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "de-00-admin-sign-in").await;
    switch_language(&b, "de").await;
    assert!(body_text(&b).await.contains("Übersicht"));
    capture(&b, "de-01-dashboard").await;
    for (path, shot) in [
        ("/admin/identities".to_owned(), "de-02-identities"),
        (
            format!("/admin/identities/{}", waiting.address),
            "de-03-identity",
        ),
        (
            format!(
                "/admin/identities/{}/deletion-processes/{}",
                waiting.address, process.id
            ),
            "de-04-process",
        ),
        ("/admin/deletion-processes".to_owned(), "de-05-processes"),
        ("/admin/audit-logs".to_owned(), "de-06-audit"),
        ("/admin/security-events".to_owned(), "de-07-security-events"),
        ("/admin/accounts".to_owned(), "de-08-accounts"),
        ("/admin/account".to_owned(), "de-09-my-account"),
        ("/admin/no-such-page".to_owned(), "de-10-not-found"),
    ] {
        b.goto(&app.url(&path)).await.expect(&path);
        capture(&b, shot).await;
    }
    switch_language(&b, "en").await;
    assert!(body_text(&b).await.contains("Not found"));
    b.close().await.expect("close");

    app.core
        .processes()
        .initiate(&owner.owner(), GraceLength::from_days(14))
        .expect("initiated");
    let b = owner_signs_in(&app, &owner, "de-20-owner-sign-in").await;
    switch_language(&b, "de").await;
    let page = body_text(&b).await;
    assert!(page.contains("Meine Identität"), "{page}");
    capture(&b, "de-21-me").await;
    click_text(&b, "Löschnachweis").await;
    capture(&b, "de-22-receipt").await;
    b.goto(&app.url("/me/deletion-processes"))
        .await
        .expect("history");
    capture(&b, "de-23-history").await;
    b.goto(&app.url("/receipts/verify")).await.expect("verify");
    capture(&b, "de-24-verify").await;
    b.close().await.expect("close");
}
