//! API keys on the account pages: create (shown once), list, revoke after a confirmation;
//! an administrator revokes another account's keys on that account's page; every change
//! is a security event, and the pages keep their CSRF protection.

use backbone_admin::domain::accounts::KeyRefusal;
use backbone_admin::domain::accounts::Role;
use backbone_admin::facade::accounts::ClientInfo;
use backbone_admin::facade::api_keys::KeyCheck;
use reqwest::StatusCode;

use crate::common::admin_name;
use crate::common::app::*;
use crate::{browser_of, create_account, event_kinds};

/// The outcome of a key as the Admin API would see it.
fn check(app: &TestApp, key: &str) -> KeyCheck {
    app.core
        .api_keys()
        .check(Some(key), &ClientInfo::default())
        .expect("checked")
}

/// The ID of the key row named `name` on a page.
fn key_row_id(html: &str, name: &str) -> i64 {
    let document = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse("tr[id^=api-key-]").unwrap();
    document
        .select(&rows)
        .find(|row| row.text().any(|t| t.trim() == name))
        .and_then(|row| row.value().id())
        .and_then(|id| id.trim_start_matches("api-key-").parse().ok())
        .unwrap_or_else(|| panic!("no key row named {name}"))
}

#[tokio::test]
async fn an_account_creates_sees_and_revokes_its_own_keys() {
    let app = spawn_app();
    create_account(&app, "sam", Role::Support);
    let client = browser_of(&app, "sam").await;
    let (_, before) = app.get_html(&client, "/admin/account").await;
    assert!(
        texts(&before, "#api-keys + section")
            .join(" ")
            .contains("No API keys")
    );

    let created = app
        .post_form(
            &client,
            "/admin/account",
            "/admin/account/api-keys",
            &[("name", " ticket import "), ("expires_days", "30")],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let html = created.text().await.unwrap();
    let key = texts(&html, "#api-key.select-all")
        .pop()
        .expect("the key is shown");
    assert!(key.starts_with("bba_") && key.len() == 44, "{key}");
    assert!(texts(&html, ".flash").concat().contains("ticket import"));

    let (_, listed) = app.get_html(&client, "/admin/account").await;
    assert!(!listed.contains(&key), "the key is shown once only");
    let row = texts(&listed, "tr[id^=api-key-]")
        .pop()
        .expect("one key row");
    assert!(
        row.contains("ticket import") && row.contains(&key[..10]),
        "{row}"
    );
    assert!(
        row.contains("active") && row.contains("—"),
        "never used yet: {row}"
    );
    let KeyCheck::Accepted(caller) = check(&app, &key) else {
        panic!("the new key works")
    };
    assert_eq!(
        (caller.username.as_str(), caller.role),
        ("sam", Role::Support)
    );
    let (_, used) = app.get_html(&client, "/admin/account").await;
    assert!(
        !texts(&used, "tr[id^=api-key-]")[0].contains("—"),
        "last use shown"
    );

    let id = key_row_id(&listed, "ticket import");
    let confirm = format!("/admin/account/api-keys/{id}/revoke");
    let (status, page) = app.get_html(&client, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&page, "h1")[0].contains("Revoke the API key ticket import?"));
    assert_eq!(
        check(&app, &key),
        KeyCheck::Accepted(caller),
        "not yet revoked"
    );
    let revoked = app.post_form(&client, &confirm, &confirm, &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&revoked), "/admin/account");
    let (_, after) = app.get_html(&client, "/admin/account").await;
    assert!(texts(&after, ".flash").concat().contains("revoked"));
    assert!(texts(&after, "tr[id^=api-key-]")[0].contains("revoked"));
    assert_eq!(check(&app, &key), KeyCheck::Refused(KeyRefusal::Revoked));
    // Revoking twice changes nothing: the confirmation page of a dead key is still there,
    // the row offers no second revoke.
    assert!(texts(&after, "tr[id^=api-key-] a").is_empty());

    let kinds = event_kinds(&app, "sam");
    let api: Vec<&str> = kinds
        .iter()
        .map(String::as_str)
        .filter(|k| k.starts_with("ApiKey"))
        .collect();
    assert_eq!(api, ["ApiKeyCreated", "ApiKeyRevoked", "ApiKeyRefused"]);
}

#[tokio::test]
async fn names_and_expiries_outside_the_rules_create_nothing() {
    let app = spawn_app();
    create_account(&app, "ann", Role::Auditor);
    let client = browser_of(&app, "ann").await;
    for (name, days, said) in [
        ("", "30", "name"),
        ("x".repeat(101).as_str(), "30", "100 characters"),
        ("tab\there", "30", "control"),
        ("ok", "366", "365"),
        ("ok", "0", "365"),
        ("ok", "soon", "days"),
    ]
    .map(|(n, d, s)| (n.to_owned(), d, s))
    {
        let response = app
            .post_form(
                &client,
                "/admin/account",
                "/admin/account/api-keys",
                &[("name", name.as_str()), ("expires_days", days)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name:?} {days}");
        let (_, page) = app.get_html(&client, "/admin/account").await;
        let flash = texts(&page, ".flash").concat();
        assert!(flash.contains(said), "{name:?} {days}: {flash}");
    }
    let keys = app
        .core
        .api_keys()
        .list(&admin_name("ann"), &admin_name("ann"))
        .unwrap();
    assert!(keys.is_empty());
    // Without the form's CSRF token nothing is created either.
    let forged = app
        .post_raw(
            &client,
            "/admin/account/api-keys",
            &[("name", "x"), ("expires_days", "7")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(
        app.core
            .api_keys()
            .list(&admin_name("ann"), &admin_name("ann"))
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_administrator_sees_and_revokes_every_accounts_keys() {
    let app = spawn_app();
    create_account(&app, "sue", Role::Support);
    let key = crate::key_of(&app, "sue", "nightly export");
    let admin = browser();
    app.sign_in_admin(&admin).await;

    let (_, list) = app.get_html(&admin, "/admin/accounts").await;
    assert!(
        list.contains("href=\"/admin/accounts/sue\""),
        "the list links the account page"
    );
    let (status, page) = app.get_html(&admin, "/admin/accounts/sue").await;
    assert_eq!(status, StatusCode::OK);
    let row = texts(&page, "tr[id^=api-key-]").pop().expect("sue's key");
    assert!(row.contains("nightly export") && row.contains(&key[..10]));
    assert!(!page.contains(&key));
    let id = key_row_id(&page, "nightly export");
    let confirm = format!("/admin/accounts/sue/api-keys/{id}/revoke");
    let (status, confirm_page) = app.get_html(&admin, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm_page.contains("of the account"));
    let revoked = app.post_form(&admin, &confirm, &confirm, &[]).await;
    assert_eq!(location(&revoked), "/admin/accounts/sue");
    assert_eq!(check(&app, &key), KeyCheck::Refused(KeyRefusal::Revoked));
    let events = app
        .core
        .security_events()
        .own_security_events(&admin_name("sue"), 10)
        .unwrap();
    let revoke = events
        .iter()
        .find(|e| e.kind.as_str() == "ApiKeyRevoked")
        .expect("revocation recorded");
    assert_eq!(revoke.actor.as_deref(), Some(ADMIN));

    // Unknown accounts and keys are 404; another account's key ID under the wrong
    // account is not found either.
    assert_eq!(
        app.get(&admin, "/admin/accounts/nobody").await.status(),
        StatusCode::NOT_FOUND
    );
    let wrong = format!("/admin/accounts/{ADMIN}/api-keys/{id}/revoke");
    assert_eq!(
        app.get(&admin, &wrong).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&admin, "/admin/accounts/sue/api-keys/nonsense/revoke")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn other_roles_see_and_revoke_only_their_own_keys() {
    let app = spawn_app();
    create_account(&app, "sid", Role::Support);
    let admin_key = crate::key_of(&app, ADMIN, "admin's");
    let admin_key_id = app
        .core
        .api_keys()
        .list(&admin_name(ADMIN), &admin_name(ADMIN))
        .unwrap()[0]
        .id;
    let support = browser_of(&app, "sid").await;

    let page = format!("/admin/accounts/{ADMIN}");
    assert_eq!(
        app.get(&support, &page).await.status(),
        StatusCode::FORBIDDEN
    );
    let theirs = format!("/admin/accounts/{ADMIN}/api-keys/{admin_key_id}/revoke");
    assert_eq!(
        app.get(&support, &theirs).await.status(),
        StatusCode::FORBIDDEN
    );
    // Under its own page, another account's key ID names no key of its own.
    let own = format!("/admin/account/api-keys/{admin_key_id}/revoke");
    assert_eq!(
        app.get(&support, &own).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, account) = app.get_html(&support, "/admin/account").await;
    let token = csrf_token_in(&account);
    let posted = support
        .post(app.url(&own))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
    assert!(
        matches!(check(&app, &admin_key), KeyCheck::Accepted(_)),
        "still alive"
    );
}
