//! The language of the pages: the header's switch, `Accept-Language`, and error pages that
//! speak the visitor's language and keep the navigation of the realm they are in.

use crate::common::app::*;
use backbone_admin::domain::accounts::Role;

fn html_lang(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("html").unwrap();
    let html = document.select(&selector).next().unwrap();
    html.value().attr("lang").unwrap_or_default().to_owned()
}

#[tokio::test]
async fn accept_language_picks_german_and_the_switch_offers_english() {
    let app = spawn_app();
    let client = browser();
    let (_, english) = app.get_html(&client, "/login").await;
    assert_eq!(html_lang(&english), "en");
    assert_eq!(texts(&english, "form.lang-switch button"), ["Deutsch"]);

    let response = client
        .get(app.url("/login"))
        .header("accept-language", "fr;q=1, de-AT;q=0.8, en;q=0.5")
        .send()
        .await
        .unwrap();
    let german = response.text().await.unwrap();
    assert_eq!(html_lang(&german), "de");
    assert_eq!(texts(&german, "form.lang-switch button"), ["English"]);
}

#[tokio::test]
async fn the_switch_keeps_the_choice_in_a_cookie_over_accept_language() {
    let app = spawn_app();
    let client = browser();
    let response = app
        .post_form(
            &client,
            "/login",
            "/language",
            &[("lang", "de"), ("back", "/login?next=%2Fme")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?next=%2Fme");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lang="))
        .expect("a lang cookie")
        .to_owned();
    assert!(cookie.starts_with("lang=de;"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let response = client
        .get(app.url("/login"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(html_lang(&response.text().await.unwrap()), "de");
}

#[tokio::test]
async fn the_switch_needs_the_form_token_and_stays_on_this_site() {
    let app = spawn_app();
    let client = browser();
    let forged = app
        .post_raw(&client, "/language", &[("lang", "de"), ("back", "/login")])
        .await;
    assert_eq!(forged.status(), 403);
    for elsewhere in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = app
            .post_form(
                &client,
                "/login",
                "/language",
                &[("lang", "de"), ("back", elsewhere)],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/", "{elsewhere}");
    }
}

#[tokio::test]
async fn an_error_page_speaks_the_visitors_language() {
    let app = spawn_app();
    let client = browser();
    let response = client
        .get(app.url("/no-such-page"))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert_eq!(html_lang(&html), "de");
    assert_eq!(texts(&html, "h1"), ["Nicht gefunden"]);
    assert_eq!(texts(&html, "title"), ["Nicht gefunden · Example Platform"]);
}

#[tokio::test]
async fn a_forbidden_page_keeps_the_admins_navigation_and_says_why() {
    let app = spawn_app();
    let client = browser_as(&app, "auditor1", Role::Auditor).await;
    let (status, html) = app.get_html(&client, "/admin/accounts").await;
    assert_eq!(status, 403);
    assert!(
        texts(&html, "nav a")
            .iter()
            .any(|link| link == "Identities"),
        "the admin navigation is kept: {:?}",
        texts(&html, "nav a")
    );
    assert_eq!(texts(&html, "header .brand"), ["Backbone Admin"]);
    let document = scraper::Html::parse_document(&html);
    let home = scraper::Selector::parse("main a.button").unwrap();
    let home = document.select(&home).next().unwrap();
    assert_eq!(home.value().attr("href"), Some("/admin"));
    let lead = texts(&html, "p.lead").join(" ");
    assert!(lead.starts_with("Your role does not allow this"), "{lead}");
    assert!(texts(&html, "p.small code").contains(&"error.platform.forbidden".to_owned()));
}

#[tokio::test]
async fn the_owners_hourly_limit_keeps_their_navigation_and_says_when_in_german() {
    use backbone_admin::domain::owner_limit::OwnerLimit;
    let app = spawn_app_adjusted(|core| core.with_owner_limit(OwnerLimit::new(1)));
    let owner = app.create_owner("eilige-inhaberin");
    let client = owner_browser(&app, &owner).await;
    let started = app
        .post_form(&client, "/me", "/me/deletion-processes", &[])
        .await;
    assert_eq!(started.status(), 303);
    let process = app
        .core
        .processes()
        .active_process(&owner.address)
        .expect("the approved process");
    let cancel = format!("/me/deletion-processes/{}/cancel", process.id);
    let html = client
        .get(app.url("/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token_in(&html);
    let refused = client
        .post(app.url(&cancel))
        .header("accept-language", "de")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let html = refused.text().await.unwrap();
    assert_eq!(html_lang(&html), "de");
    assert_eq!(texts(&html, "h1"), ["Zu viele Versuche"]);
    let lead = texts(&html, "p.lead").join(" ");
    assert!(
        lead.contains("innerhalb einer Stunde 1 Änderungen")
            || lead.contains("Bitte versuchen Sie es nach"),
        "{lead}"
    );
    assert!(
        texts(&html, "nav a")
            .iter()
            .any(|link| link == "Meine Identität"),
        "the owner's navigation is kept: {:?}",
        texts(&html, "nav a")
    );
    let document = scraper::Html::parse_document(&html);
    let home = scraper::Selector::parse("main a.button").unwrap();
    let home = document.select(&home).next().unwrap();
    assert_eq!(home.value().attr("href"), Some("/me"));
}
