//! The account pages in German: the language choice on the own-account page, and the
//! accounts list, its flash messages and the sign-in page in the visitor's language.

use reqwest::StatusCode;

use crate::common::app::*;
use crate::{admin_browser, flashes, text_of};

/// The `value` of the selected option of the language choice on the own-account page.
fn chosen_language(html: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector =
        scraper::Selector::parse("#language-choice select[name=lang] option[selected]").unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|option| option.value().attr("value"))
        .map(str::to_owned)
}

#[actix_web::test]
async fn the_own_account_page_switches_the_language_and_the_pages_follow() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let (status, html) = app.get_html(&admin, "/admin/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(chosen_language(&html).as_deref(), Some("en"));
    assert_eq!(
        text_of(&html, "label[for=language-select]"),
        "Language of the pages"
    );

    choose_language(&app, &admin, "/admin/account", "de").await;

    let (status, html) = app.get_html(&admin, "/admin/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert_eq!(chosen_language(&html).as_deref(), Some("de"));
    assert_eq!(text_of(&html, "h1"), "Mein Konto");
    assert!(
        text_of(&html, "dl.fields").contains("Rolle Administrator"),
        "{html}"
    );
    assert!(html.contains("Skripte senden einen Schlüssel im Header"));

    // The accounts list, a confirmation and a flash message are German too.
    let (_, list) = app.get_html(&admin, "/admin/accounts").await;
    assert!(list.contains("<html lang=\"de\">"));
    assert_eq!(text_of(&list, "h1"), "Admin-Konten");
    let me = text_of(&list, &format!("#account-{ADMIN}"));
    assert!(me.contains("(Sie)") && me.contains("gerade eben"), "{me}");
    let created = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts",
            &[("username", "neuling"), ("role", "support")],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let html = created.text().await.unwrap();
    assert_eq!(text_of(&html, "h1"), "Konto angelegt");
    assert!(
        texts(&html, ".flash")
            .iter()
            .any(|f| f.contains("Das Konto neuling wurde mit der Rolle Support angelegt.")),
        "{html}"
    );
    let (_, confirm) = app
        .get_html(&admin, "/admin/accounts/neuling/role?role=auditor")
        .await;
    assert_eq!(
        text_of(&confirm, "h1"),
        "Die Rolle von neuling auf Auditor ändern?"
    );
    let changed = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/neuling/role",
            &[("role", "auditor")],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let messages = flashes(&app, &admin, "/admin/accounts").await;
    assert!(
        messages
            .iter()
            .any(|m| m.contains("neuling hat jetzt die Rolle Auditor")),
        "{messages:?}"
    );

    // And back to English.
    choose_language(&app, &admin, "/admin/account", "en").await;
    let (_, html) = app.get_html(&admin, "/admin/account").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(text_of(&html, "h1"), "My account");
}

#[actix_web::test]
async fn the_sign_in_page_follows_the_browsers_language() {
    let app = spawn_app();
    let response = browser()
        .get(app.url("/admin/login"))
        .header("Accept-Language", "de-AT, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert_eq!(text_of(&html, "h1"), "Bei Backbone Admin anmelden");
    assert_eq!(text_of(&html, "label[for=password]"), "Passwort");
}
