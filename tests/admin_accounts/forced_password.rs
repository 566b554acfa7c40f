//! After an administrator resets a password: the one-time password is shown in a box one
//! click selects, and its holder must first change it on a page without navigation that
//! asks for the one-time password (not "the current password").

use backbone_admin::domain::accounts::Role;
use backbone_admin::facade::accounts::ChangeContext;
use reqwest::{Client, StatusCode};

use crate::common::admin_name;
use crate::common::app::*;
use crate::{STRONG, admin_browser, attrs, text_of};

const PAGE: &str = "/admin/account/password";

/// The header's links: none on the forced page.
fn nav_links(html: &str) -> Vec<String> {
    texts(html, "header a:not(.brand)")
}

/// Sends the change-password form.
async fn change(app: &TestApp, client: &Client, current: &str, new: &str) -> reqwest::Response {
    let fields = [("current", current), ("new", new), ("repeat", new)];
    app.post_form(client, PAGE, PAGE, &fields).await
}

#[actix_web::test]
async fn a_reset_password_is_shown_in_a_box_and_asked_for_on_a_page_without_navigation() {
    let app = spawn_app();
    create_account(&app, "rita.reset", Role::Support);
    let admin = admin_browser(&app).await;
    let reset = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/rita.reset/reset-password",
            &[],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let html = reset.text().await.unwrap();
    // One click selects the whole password (CSS `user-select: all`), and a hint says so.
    assert_eq!(texts(&html, "code.select-all#one-time-password").len(), 1);
    assert!(html.contains(r#"aria-describedby="one-time-password-hint""#));
    assert_eq!(
        text_of(&html, "#one-time-password-hint"),
        "One click selects all of it, ready to copy."
    );
    assert!(texts(&html, ".confirm").is_empty(), "no danger stripe");
    // Shown once, in the answer to a POST: no language switch, which would go elsewhere and
    // lose it.
    assert!(texts(&html, "form.lang-switch").is_empty());
    // The way on leads to the account's own page.
    assert_eq!(
        attrs(&html, "p.actions a", "href"),
        ["/admin/accounts/rita.reset"]
    );
    let password = text_of(&html, "#one-time-password");

    let rita = browser();
    sign_in(&app, &rita, "rita.reset", &password).await;
    let (status, html) = app.get_html(&rita, PAGE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(nav_links(&html).is_empty(), "{:?}", nav_links(&html));
    assert_eq!(texts(&html, "header a.brand"), ["Backbone Admin"]);
    assert_eq!(texts(&html, "header nav button"), ["Sign out rita.reset"]);
    assert_eq!(texts(&html, "header .lang-switch button"), ["Deutsch"]);
    assert_eq!(text_of(&html, "label[for=current]"), "One-time password");
    assert!(
        text_of(&html, "#one-time-lead")
            .starts_with("You signed in with a one-time password from an administrator."),
        "{html}"
    );

    let wrong = change(&app, &rita, "not the one-time password", STRONG).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let html = wrong.text().await.unwrap();
    assert_eq!(
        text_of(&html, "#password-error"),
        "The one-time password is not correct."
    );
    assert!(nav_links(&html).is_empty(), "still forced");
    let kept = change(&app, &rita, &password, &password).await;
    let html = kept.text().await.unwrap();
    assert!(html.contains("must be different from the one-time password"));

    let changed = change(&app, &rita, &password, STRONG).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    // Unforced, the same page is the voluntary one again.
    let (_, html) = app.get_html(&rita, PAGE).await;
    assert_eq!(text_of(&html, "label[for=current]"), "Current password");
    assert!(texts(&html, "#one-time-lead").is_empty());
    assert!(nav_links(&html).contains(&"Dashboard".to_owned()));
}

#[actix_web::test]
async fn the_forced_change_page_is_in_german_too() {
    let app = spawn_app();
    create_account(&app, "greta.reset", Role::Auditor);
    let password = app
        .core
        .accounts()
        .reset_admin_password(
            &admin_name(ADMIN),
            &admin_name("greta.reset"),
            &ChangeContext::default(),
        )
        .expect("reset");
    let (greta, jar) = browser_with_jar();
    let url: reqwest::Url = app.url("/").parse().unwrap();
    jar.add_cookie_str("lang=de", &url);
    sign_in(&app, &greta, "greta.reset", &password).await;

    let (_, html) = app.get_html(&greta, PAGE).await;
    assert!(nav_links(&html).is_empty());
    assert_eq!(
        texts(&html, "header nav button"),
        ["Abmelden (greta.reset)"]
    );
    assert_eq!(text_of(&html, "label[for=current]"), "Einmalpasswort");
    assert!(
        text_of(&html, "#one-time-lead").starts_with("Sie haben sich mit einem Einmalpasswort"),
        "{html}"
    );
    let wrong = change(&app, &greta, "falsch falsch falsch", STRONG).await;
    let html = wrong.text().await.unwrap();
    assert_eq!(
        text_of(&html, "#password-error"),
        "Das Einmalpasswort ist nicht korrekt."
    );
}
