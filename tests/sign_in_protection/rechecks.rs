//! Issue 17, point 2: the current password (and code) an admin is asked for again before a
//! change is a sign-in attempt like any other: counted, throttled and logged, and the fifth
//! wrong answer ends the session. A one-time password cannot be kept as the new password.

use backbone_admin::domain::accounts::Role;
use backbone_admin::facade::accounts::ChangeContext;
use reqwest::{Client, Response, StatusCode};

use crate::common::admin_name;
use crate::common::app::*;
use crate::helpers::*;

const NETWORK: &str = "198.51.100.33";
const PAGE: &str = "/admin/account/password";
const NEW: &str = "quartz meadow lantern ferry";

/// A change-password POST from `NETWORK` through the trusted proxy.
async fn change_password(app: &TestApp, client: &Client, current: &str, new: &str) -> Response {
    let fields = [("current", current), ("new", new), ("repeat", new)];
    let proxy = [("x-forwarded-for", NETWORK)];
    post_form_with_headers_at(client, &app.address, PAGE, PAGE, &fields, &proxy).await
}

async fn signed_in_admin(app: &TestApp, username: &str, password: &str) -> Client {
    let client = browser();
    let response = admin_password(app, &client, username, password, Some(NETWORK)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

/// The `during` details of the account's failed sign-ins.
fn failures_during(app: &TestApp, account: &str) -> Vec<String> {
    use backbone_admin::schema::security_events::dsl as e;
    use diesel::prelude::*;
    let details: Vec<serde_json::Value> = e::security_events
        .filter(e::account.eq(account))
        .filter(e::kind.eq("SignInFailed"))
        .select(e::details)
        .load(&mut app.db.connect())
        .unwrap();
    details
        .iter()
        .filter_map(|d| d["during"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_fifth_wrong_current_password_ends_the_session() {
    let app = spawn_app_with(behind_proxy());
    let client = signed_in_admin(&app, ADMIN, PASSWORD).await;
    for attempt in 1..=4 {
        let wrong = change_password(&app, &client, "not my password", NEW).await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST, "attempt {attempt}");
        let html = wrong.text().await.unwrap();
        assert!(html.contains("current password is not correct"), "{html}");
    }
    assert_eq!(failures_during(&app, ADMIN), vec!["changePassword"; 4]);
    let fifth = change_password(&app, &client, "not my password", NEW).await;
    assert_eq!(location(&fifth), "/admin/login");
    let (_, html) = app.get_html(&client, "/admin/login").await;
    assert!(html.contains("wrong too many times"), "{html}");
    assert!(!opens_admin(&app, &client).await, "the session ended");
    assert!(event_kinds(&app, ADMIN).contains(&"SessionsEnded".to_owned()));
    assert!(crate::common::admin_password_is(&app.core, ADMIN, PASSWORD));
}

#[tokio::test]
async fn a_recheck_from_a_throttled_network_waits_even_with_the_right_password() {
    let app = spawn_app_with(behind_proxy());
    let session = signed_in_admin(&app, ADMIN, PASSWORD).await;
    // Someone on the same network guesses the admin's password five times.
    for _ in 0..5 {
        admin_password(&app, &browser(), ADMIN, "guess!", Some(NETWORK)).await;
    }
    let throttled = change_password(&app, &session, PASSWORD, NEW).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));
    assert!(crate::common::admin_password_is(&app.core, ADMIN, PASSWORD));
    // Once the wait is over, the right password changes it.
    app.clock.advance(chrono::Duration::seconds(2));
    let changed = change_password(&app, &session, PASSWORD, NEW).await;
    assert_eq!(location(&changed), "/admin/account");
    assert!(crate::common::admin_password_is(&app.core, ADMIN, NEW));
}

#[tokio::test]
async fn a_one_time_password_cannot_be_kept_as_the_new_one() {
    let app = spawn_app_with(behind_proxy());
    let created = app
        .core
        .accounts()
        .create_admin_account(
            &admin_name(ADMIN),
            &admin_name("newcomer"),
            Role::Support,
            &ChangeContext::default(),
        )
        .unwrap();
    let one_time = created.one_time_password;
    let client = signed_in_admin(&app, "newcomer", &one_time).await;
    let kept = change_password(&app, &client, &one_time, &one_time).await;
    assert_eq!(kept.status(), StatusCode::BAD_REQUEST);
    let html = kept.text().await.unwrap();
    assert!(html.contains("must be different"), "{html}");
    let chosen = change_password(&app, &client, &one_time, NEW).await;
    assert_eq!(location(&chosen), "/admin/account");
    assert!(crate::common::admin_password_is(&app.core, "newcomer", NEW));
}
