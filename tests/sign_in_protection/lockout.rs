//! Done-when 1: an attacker without the password cannot lock the real admin out; spraying
//! from one network stops that network only; every instance sees the same counters.

use chrono::Duration;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::helpers::*;

#[tokio::test]
async fn wrong_passwords_from_many_networks_do_not_lock_the_real_admin_out() {
    let app = spawn_app_with(behind_proxy());
    // The real admin's browser signed in before: it carries the known-browser cookie.
    let known = browser();
    let response = admin_password(&app, &known, ADMIN, PASSWORD, Some("198.51.100.7")).await;
    assert_eq!(location(&response), "/admin");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("backbone_known_admin="))
        .expect("a known-browser cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Path=/admin/login"),
        "{cookie}"
    );
    app.post_form(&known, "/admin", "/admin/logout", &[]).await;

    // 10 wrong passwords, one from each of 10 networks, through the trusted proxy.
    for i in 1..=10 {
        let network = format!("203.0.113.{i}");
        let response = admin_password(&app, &browser(), ADMIN, "guess!", Some(&network)).await;
        assert_eq!(location(&response), "/admin/login", "failure {i}");
    }
    // The real admin from the known browser: in at once.
    let response = admin_password(&app, &known, ADMIN, PASSWORD, Some("198.51.100.7")).await;
    assert_eq!(location(&response), "/admin");
    assert!(opens_admin(&app, &known).await);
    // And from a fresh network and browser: at once too (no rule is reached yet).
    let fresh = browser();
    let response = admin_password(&app, &fresh, ADMIN, PASSWORD, Some("192.0.2.1")).await;
    assert_eq!(location(&response), "/admin");

    // 10 more: 20 from 20 networks in the hour. A browser the account does not know now
    // waits the growing delay of `docs/security.md` (2^(20-20) = 1 s after the latest failure, doubling
    // with each further one); the known browser does not.
    for i in 11..=20 {
        let network = format!("203.0.113.{i}");
        let response = admin_password(&app, &browser(), ADMIN, "guess!", Some(&network)).await;
        assert_eq!(location(&response), "/admin/login", "failure {i}");
    }
    let fresh = browser();
    let response = admin_password(&app, &fresh, ADMIN, PASSWORD, Some("192.0.2.2")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "1");
    app.post_form(&known, "/admin", "/admin/logout", &[]).await;
    let known_again = admin_password(&app, &known, ADMIN, PASSWORD, Some("192.0.2.3")).await;
    assert_eq!(
        location(&known_again),
        "/admin",
        "known browsers are never held back"
    );
    app.clock.advance(Duration::seconds(1));
    let response = admin_password(&app, &fresh, ADMIN, PASSWORD, Some("192.0.2.2")).await;
    assert_eq!(location(&response), "/admin", "in after at most the delay");

    let kinds = event_kinds(&app, ADMIN);
    assert_eq!(kinds.iter().filter(|k| *k == "SignInFailed").count(), 20);
    assert!(kinds.contains(&"SignInThrottled".to_owned()));
    assert!(kinds.contains(&"SignInSucceeded".to_owned()));
}

#[tokio::test]
async fn thirty_failures_from_one_network_over_many_usernames_stop_that_network_only() {
    let app = spawn_app_with(behind_proxy());
    let sprayer = "203.0.113.99";
    for i in 0..30 {
        let response = admin_password(
            &app,
            &browser(),
            &format!("user{i}"),
            "Winter2026!",
            Some(sprayer),
        )
        .await;
        assert_eq!(location(&response), "/admin/login", "failure {i}");
    }
    let response = admin_password(&app, &browser(), ADMIN, PASSWORD, Some(sprayer)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u32 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    let page = response.text().await.unwrap();
    assert!(page.contains("Please wait"), "{page}");
    // Another network is not affected.
    let response = admin_password(&app, &browser(), ADMIN, PASSWORD, Some("198.51.100.1")).await;
    assert_eq!(location(&response), "/admin");
    // Owners are counted apart from admins.
    let owner = app.create_owner("spray-victim");
    let fields = [
        ("username", owner.username.as_str()),
        ("password", owner.password.as_str()),
    ];
    let response = post_sign_in(&app, &browser(), "/login", &fields, Some(sprayer)).await;
    assert_eq!(location(&response), "/me");
}

#[tokio::test]
async fn two_instances_on_one_database_see_the_same_limits() {
    let app = spawn_app();
    let (other, _) = serve_with_clock(app.db.pool(4), test_options(), app.clock.clone());
    for i in 1..=5 {
        let response = admin_password(&app, &browser(), ADMIN, "wrong one", None).await;
        assert_eq!(
            location(&response),
            "/admin/login",
            "failure {i} on the first"
        );
    }
    let fields = [("username", ADMIN), ("password", PASSWORD)];
    let response = post_sign_in_at(&other, &browser(), "/admin/login", &fields, None).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the second instance counts the first one's failures"
    );
}
