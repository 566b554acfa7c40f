//! The account pages: create with a one-time password shown once, change role, disable and
//! enable, reset password, and the last enabled administrator (Done-when 3).

use backbone_admin::domain::accounts::{ClientNetwork, Role, UsernameKey};
use backbone_admin::facade::accounts::SignInAttempt;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::common::{admin_name, stored_account};
use crate::{STRONG, admin_browser, create_account, flashes, sign_in, text_of};

#[actix_web::test]
async fn the_list_shows_every_account_and_a_new_one_gets_a_one_time_password_once() {
    let app = spawn_app();
    create_account(&app, "audrey", Role::Auditor);
    let admin = admin_browser(&app).await;
    // What a successful sign-in records (the sign-in page does this too once it is wired
    // to the throttle).
    app.core
        .sign_in_throttle()
        .record_sign_in_success(&SignInAttempt {
            account: UsernameKey::admin(ADMIN),
            network: ClientNetwork::of("127.0.0.1".parse().unwrap()),
            browser: None,
            user_agent: None,
        })
        .unwrap();
    let (status, html) = app.get_html(&admin, "/admin/accounts").await;
    assert_eq!(status, StatusCode::OK);
    let rows = texts(&html, "#accounts tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let me = text_of(&html, &format!("#account-{ADMIN}"));
    assert!(me.contains("administrator") && me.contains("(you)"), "{me}");
    // Signed in just now: a readable date, not a raw timestamp.
    assert!(me.contains("UTC") && me.contains("just now"), "{me}");
    let audrey = text_of(&html, "#account-audrey");
    assert!(
        audrey.contains("auditor") && audrey.contains("off"),
        "{audrey}"
    );
    assert!(audrey.contains('—'), "never signed in: {audrey}");

    let created = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts",
            &[("username", "newbie"), ("role", "support")],
        )
        .await;
    assert_eq!(
        created.status(),
        StatusCode::OK,
        "the result page, not a redirect"
    );
    assert_eq!(
        created.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let html = created.text().await.unwrap();
    let password = text_of(&html, "#one-time-password");
    assert!(password.len() >= 16, "{password}");
    assert!(
        texts(&html, ".flash").iter().any(|f| f.contains("newbie")),
        "flash on the result page"
    );
    // Shown once: the next pages do not show it again.
    let (_, list) = app.get_html(&admin, "/admin/accounts").await;
    assert!(!list.contains(&password));
    assert!(text_of(&list, "#account-newbie").contains("one-time password"));
    let account = app
        .core
        .accounts()
        .admin_account(&admin_name("newbie"))
        .unwrap()
        .unwrap();
    assert_eq!(account.role, Role::Support);
    assert!(account.must_change_password);
    // The new account signs in with it and must choose its own password.
    let newbie = browser();
    sign_in(&app, &newbie, "newbie", &password).await;
    let (status, _) = app.get_html(&newbie, "/admin/account/password").await;
    assert_eq!(status, StatusCode::OK);
    let changed = app
        .post_form(
            &newbie,
            "/admin/account/password",
            "/admin/account/password",
            &[("current", &password), ("new", STRONG), ("repeat", STRONG)],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert!(!stored_account(&app.core, "newbie").must_change_password);

    // A taken username is a flash on the list.
    let again = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts",
            &[("username", "newbie"), ("role", "auditor")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let messages = flashes(&app, &admin, "/admin/accounts").await;
    assert!(
        messages.iter().any(|m| m.contains("already exists")),
        "{messages:?}"
    );
}

#[actix_web::test]
async fn role_changes_disabling_and_resets_go_through_a_confirmation_page() {
    let app = spawn_app();
    create_account(&app, "other", Role::Administrator);
    let admin = admin_browser(&app).await;

    // Demote: the list's form is a GET of the confirmation page, which POSTs.
    let (status, html) = app
        .get_html(&admin, "/admin/accounts/other/role?role=support")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&html, "h1").contains("to support"), "{html}");
    let explanation = texts(&html, "main p").join(" ");
    assert!(
        explanation.contains("is administrator today and will become support")
            && explanation.contains("will no longer manage admin accounts")
            && !explanation.contains("is now"),
        "says what will happen: {explanation}"
    );
    assert!(texts(&html, "script").is_empty(), "no JavaScript");
    let demoted = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/other/role",
            &[("role", "support")],
        )
        .await;
    assert_eq!(demoted.status(), StatusCode::SEE_OTHER);
    let messages = flashes(&app, &admin, "/admin/accounts").await;
    assert!(
        messages.iter().any(|m| m.contains("is now support")),
        "{messages:?}"
    );
    assert_eq!(stored_account(&app.core, "other").role, Role::Support);

    // Disable, then enable.
    let (status, html) = app.get_html(&admin, "/admin/accounts/other/disable").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&html, "h1").contains("Disable"));
    let disabled = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/other/disable",
            &[],
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    assert!(!stored_account(&app.core, "other").enabled);
    let messages = flashes(&app, &admin, "/admin/accounts").await;
    assert!(
        messages.iter().any(|m| m.contains("disabled")),
        "{messages:?}"
    );
    let (_, list) = app.get_html(&admin, "/admin/accounts").await;
    assert_eq!(
        texts(&list, "#account-other .badge-disabled"),
        ["disabled"],
        "marked in words, not only in grey"
    );
    let other = browser();
    let refused = app
        .post_form(
            &other,
            "/admin/login",
            "/admin/login",
            &[("username", "other"), ("password", STRONG)],
        )
        .await;
    assert!(
        location(&refused).starts_with("/admin/login"),
        "disabled: no sign-in"
    );
    let enabled = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/other/enable",
            &[],
        )
        .await;
    assert_eq!(enabled.status(), StatusCode::SEE_OTHER);
    assert!(stored_account(&app.core, "other").enabled);

    // Reset: a new one-time password, shown once, no-store.
    let (status, _) = app
        .get_html(&admin, "/admin/accounts/other/reset-password")
        .await;
    assert_eq!(status, StatusCode::OK);
    let reset = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/other/reset-password",
            &[],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        reset.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let password = text_of(&reset.text().await.unwrap(), "#one-time-password");
    assert!(password.len() >= 16);
    assert!(stored_account(&app.core, "other").must_change_password);
    sign_in(&app, &other, "other", &password).await;
}

#[actix_web::test]
async fn the_last_enabled_administrator_can_be_neither_disabled_nor_demoted() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let me = format!("/admin/accounts/{ADMIN}");
    // Its own row offers no buttons; hand-made requests are refused with the reason.
    let (_, html) = app.get_html(&admin, "/admin/accounts").await;
    let row = text_of(&html, &format!("#account-{ADMIN}"));
    assert!(
        !row.contains("Disable") && !row.contains("Change role"),
        "{row}"
    );

    let last = "at least one enabled administrator";
    refused(
        &app,
        &admin,
        &format!("{me}/role"),
        &[("role", "auditor")],
        last,
    )
    .await;
    refused(&app, &admin, &format!("{me}/disable"), &[], "itself").await;
    let account = app
        .core
        .accounts()
        .admin_account(&admin_name(ADMIN))
        .unwrap()
        .unwrap();
    assert_eq!(account.role, Role::Administrator);
    assert!(account.enabled);

    // With a second administrator disabled, the first is still the last enabled one.
    create_account(&app, "backup", Role::Administrator);
    let disabled = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/backup/disable",
            &[],
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    refused(
        &app,
        &admin,
        &format!("{me}/role"),
        &[("role", "support")],
        last,
    )
    .await;
    assert_eq!(stored_account(&app.core, ADMIN).role, Role::Administrator);
}

/// POSTs a change the facade refuses: back to the list, with `reason` in a flash.
async fn refused(
    app: &TestApp,
    admin: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    reason: &str,
) {
    let response = app.post_form(admin, "/admin/accounts", path, fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    let messages = flashes(app, admin, "/admin/accounts").await;
    assert!(
        messages.iter().any(|m| m.contains(reason)),
        "{path}: {messages:?}"
    );
}
