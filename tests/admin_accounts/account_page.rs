//! One account's page for administrators (`/admin/accounts/{username}`): its details, its
//! last 10 sign-in attempts with network, browser and outcome, its actions and API keys; the
//! list links to it and stays one line per account; other roles get 403, unknown or
//! malformed usernames 404.

use backbone_admin::domain::accounts::{ClientNetwork, Role, SecurityEventKind, UsernameKey};
use backbone_admin::facade::accounts::ClientInfo;
use reqwest::{Client, StatusCode};

use crate::common::app::*;
use crate::{admin_browser, attrs, text_of};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// A browser that says it is `user_agent` (cookies kept, redirects not followed).
fn browser_saying(user_agent: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .unwrap()
}

/// Records `count` failed sign-ins of `username` from an IPv6 network.
fn failed_sign_ins(app: &TestApp, username: &str, count: usize) {
    let client = ClientInfo {
        network: Some(ClientNetwork::of("2001:db8:1:2::7".parse().unwrap())),
        user_agent: Some("curl/8.5.0".into()),
    };
    for _ in 0..count {
        app.core
            .security_events()
            .record_security_event(
                SecurityEventKind::SignInFailed,
                &UsernameKey::admin(username),
                &client,
                serde_json::json!({ "knownBrowser": false }),
            )
            .unwrap();
    }
}

#[actix_web::test]
async fn an_account_page_shows_details_recent_sign_ins_and_actions() {
    let app = spawn_app();
    create_account(&app, "sam.support", Role::Support);
    failed_sign_ins(&app, "sam.support", 12);
    // Not a sign-in: stays off the page's list.
    app.core
        .security_events()
        .record_security_event(
            SecurityEventKind::PasswordChanged,
            &UsernameKey::admin("sam.support"),
            &ClientInfo::default(),
            serde_json::json!({}),
        )
        .unwrap();
    sign_in(&app, &browser_saying(FIREFOX), "sam.support", STRONG).await;
    let admin = admin_browser(&app).await;

    // The list: one link per account, no per-row forms.
    let (_, list) = app.get_html(&admin, "/admin/accounts").await;
    assert_eq!(
        attrs(&list, "tr[id='account-sam.support'] a", "href"),
        ["/admin/accounts/sam.support"]
    );
    assert!(texts(&list, "#accounts tbody form, #accounts tbody button").is_empty());

    let (status, html) = app.get_html(&admin, "/admin/accounts/sam.support").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text_of(&html, "h1"), "Account sam.support");
    let details = text_of(&html, "#account-details");
    for words in [
        "Username sam.support",
        "Role support",
        "State enabled: it may sign in",
        "Password its own",
        "Second factor off",
        "Created",
        "just now",
    ] {
        assert!(details.contains(words), "{words}: {details}");
    }

    // The last 10 sign-in attempts, newest first; the password change is not one.
    let rows = texts(&html, "#sign-ins tbody tr");
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert!(rows[0].contains("Signed in"), "{rows:?}");
    assert!(rows[0].contains("Firefox 133 on Linux"), "{}", rows[0]);
    assert!(rows[0].contains("127.0.0.1/32"), "{}", rows[0]);
    assert!(rows[1].contains("Sign-in failed") && rows[1].contains("curl 8"));
    assert!(rows[1].contains("2001:db8:1:2::/64"), "{}", rows[1]);
    assert!(rows.iter().all(|row| !row.contains("Password changed")));
    assert_eq!(
        attrs(&html, "#sign-ins tbody tr summary", "title")[0],
        FIREFOX
    );
    assert_eq!(texts(&html, "#sign-ins tbody tr details .full")[0], FIREFOX);
    assert_eq!(
        attrs(&html, "#sign-ins a", "href"),
        ["/admin/security-events?realm=admin&account=sam.support"]
    );

    // The actions lead to the existing confirmation pages; the key table is there.
    assert_eq!(
        attrs(&html, "#account-actions form", "action"),
        ["/admin/accounts/sam.support/role"]
    );
    assert_eq!(
        attrs(&html, "#account-actions a", "href"),
        [
            "/admin/accounts/sam.support/disable",
            "/admin/accounts/sam.support/reset-password"
        ]
    );
    assert_eq!(text_of(&html, "h2#api-keys"), "API keys");
}

#[actix_web::test]
async fn actions_return_to_the_account_page() {
    let app = spawn_app();
    create_account(&app, "other", Role::Auditor);
    let admin = admin_browser(&app).await;
    let page = "/admin/accounts/other";

    let (_, confirm) = app.get_html(&admin, &format!("{page}/disable")).await;
    assert_eq!(
        attrs(&confirm, "form.actions a", "href"),
        [page],
        "Back, do nothing"
    );
    let disabled = app
        .post_form(&admin, page, &format!("{page}/disable"), &[])
        .await;
    assert_eq!(location(&disabled), page);
    let (_, html) = app.get_html(&admin, page).await;
    assert!(
        texts(&html, ".flash")
            .iter()
            .any(|f| f.contains("other is disabled")),
        "{html}"
    );
    let state = text_of(&html, "#account-details");
    assert!(
        state.contains("disabled it cannot sign in, and its API keys do not work"),
        "{state}"
    );
    assert_eq!(
        attrs(&html, "#account-actions form", "action"),
        ["/admin/accounts/other/role", "/admin/accounts/other/enable"]
    );
    let enabled = app
        .post_form(&admin, page, &format!("{page}/enable"), &[])
        .await;
    assert_eq!(location(&enabled), page);
    let changed = app
        .post_form(
            &admin,
            page,
            &format!("{page}/role"),
            &[("role", "support")],
        )
        .await;
    assert_eq!(location(&changed), page);
    let (_, html) = app.get_html(&admin, page).await;
    assert!(text_of(&html, "#account-details").contains("Role support"));
    assert!(text_of(&html, "#account-details").contains("Last sign-in never"));
}

#[actix_web::test]
async fn the_own_account_offers_no_actions_but_a_link() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let (status, html) = app
        .get_html(&admin, &format!("/admin/accounts/{ADMIN}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(attrs(&html, "#account-actions form", "action").is_empty());
    assert_eq!(
        attrs(&html, "#account-actions a", "href"),
        ["/admin/account"]
    );
    let rows = texts(&html, "#sign-ins tbody tr");
    assert_eq!(rows.len(), 1, "its own sign-in: {rows:?}");
}

#[actix_web::test]
async fn the_account_page_in_german() {
    let app = spawn_app();
    create_account(&app, "sam.support", Role::Support);
    sign_in(&app, &browser_saying(FIREFOX), "sam.support", STRONG).await;
    let admin = admin_browser(&app).await;
    choose_language(&app, &admin, "/admin/account", "de").await;

    let (status, html) = app.get_html(&admin, "/admin/accounts/sam.support").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"de\">"));
    assert_eq!(text_of(&html, "h1"), "Konto sam.support");
    let details = text_of(&html, "#account-details");
    for words in [
        "Rolle Support",
        "Status aktiv: Es kann sich anmelden.",
        "Passwort selbst gewählt",
        "Zweiter Faktor aus",
    ] {
        assert!(details.contains(words), "{words}: {details}");
    }
    assert_eq!(text_of(&html, "#sign-ins-heading"), "Letzte Anmeldungen");
    let rows = texts(&html, "#sign-ins tbody tr");
    assert!(
        rows[0].contains("Angemeldet") && rows[0].contains("Firefox 133 unter Linux"),
        "{rows:?}"
    );
    assert_eq!(text_of(&html, "#account-actions button"), "Rolle ändern");
    assert_eq!(
        text_of(&html, "label[for=role]"),
        "Neue Rolle für sam.support"
    );
}

#[actix_web::test]
async fn unknown_and_malformed_usernames_are_not_found() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let long = format!("/admin/accounts/{}", "a".repeat(300));
    for path in [
        "/admin/accounts/nobody",
        "/admin/accounts/no%20body",
        "/admin/accounts/%C3%A4rger",
        long.as_str(),
    ] {
        let (status, html) = app.get_html(&admin, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(texts(&html, ".status-code"), ["404"], "{path}");
        assert_eq!(texts(&html, "h1"), ["Not found"], "{path}");
    }
}

#[actix_web::test]
async fn support_and_auditors_get_403_whether_or_not_the_account_exists() {
    let app = spawn_app();
    create_account(&app, "victim", Role::Administrator);
    let support = browser_as(&app, "sam", Role::Support).await;
    let auditor = browser_as(&app, "audrey", Role::Auditor).await;
    for client in [&support, &auditor] {
        for path in [
            "/admin/accounts/victim",
            "/admin/accounts/nobody",
            "/admin/accounts/sam",
        ] {
            let (status, html) = app.get_html(client, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert!(!html.contains("Recent sign-ins"), "{path}");
        }
    }
}

#[actix_web::test]
async fn my_account_shows_my_sign_ins_like_an_account_page() {
    let app = spawn_app();
    create_account(&app, "ola.own", Role::Auditor);
    failed_sign_ins(&app, "ola.own", 1);
    let me = browser_saying(FIREFOX);
    sign_in(&app, &me, "ola.own", STRONG).await;
    let (status, html) = app.get_html(&me, "/admin/account").await;
    assert_eq!(status, StatusCode::OK);
    let rows = texts(&html, "#sign-ins tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("Firefox 133 on Linux"), "{rows:?}");
    assert!(rows[1].contains("curl 8"), "{rows:?}");
    assert_eq!(
        attrs(&html, "#sign-ins tbody tr summary", "title")[0],
        FIREFOX
    );
}
