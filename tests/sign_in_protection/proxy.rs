//! Done-when 2: the client network is the peer unless the peer is a trusted proxy; then the
//! right-most untrusted `X-Forwarded-For` entry, IPv6 by /64.

use reqwest::StatusCode;

use crate::common::app::*;
use crate::helpers::*;

/// Five failures of the admin from `networks` (one each, cycling), then the right password
/// from `then`: its status.
async fn five_failures_then(app: &TestApp, networks: &[&str], then: &str) -> StatusCode {
    for i in 0..5 {
        let xff = networks[i % networks.len()];
        let response = admin_password(app, &browser(), ADMIN, "wrong!", Some(xff)).await;
        assert_eq!(location(&response), "/admin/login");
    }
    admin_password(app, &browser(), ADMIN, PASSWORD, Some(then))
        .await
        .status()
}

#[tokio::test]
async fn without_trusted_proxies_a_forged_forwarded_for_changes_nothing() {
    let app = spawn_app();
    let forged = [
        "203.0.113.1",
        "203.0.113.2",
        "2001:db8::1",
        "junk",
        "203.0.113.5",
    ];
    let status = five_failures_then(&app, &forged, "198.51.100.200").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "all counted against the peer, whatever the header says"
    );
    use backbone_admin::schema::security_events::dsl as e;
    use diesel::prelude::*;
    let networks: Vec<Option<String>> = e::security_events
        .filter(e::kind.eq("SignInFailed"))
        .select(e::client_network)
        .load(&mut app.db.connect())
        .unwrap();
    assert_eq!(networks, vec![Some("127.0.0.1/32".to_owned()); 5]);
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_throttled_separately() {
    let app = spawn_app_with(behind_proxy());
    // A client's own left-hand entries prove nothing: the proxy appended the real one.
    let client_a = ["6.6.6.1, 203.0.113.10", "6.6.6.2, 203.0.113.10"];
    assert_eq!(
        five_failures_then(&app, &client_a, "7.7.7.7, 203.0.113.10").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let response = admin_password(&app, &browser(), ADMIN, PASSWORD, Some("203.0.113.11")).await;
    assert_eq!(location(&response), "/admin", "client B is not held back");
}

#[tokio::test]
async fn ipv6_clients_of_one_64_count_as_one_network() {
    let app = spawn_app_with(behind_proxy());
    let one_64 = [
        "2001:db8:1:2::1",
        "2001:db8:1:2::2",
        "2001:db8:1:2:aaaa::3",
        "2001:db8:1:2:ffff:ffff:ffff:4",
        "[2001:db8:1:2::5]:4711",
    ];
    assert_eq!(
        five_failures_then(&app, &one_64, "2001:db8:1:2:1234::9").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let response = admin_password(&app, &browser(), ADMIN, PASSWORD, Some("2001:db8:1:3::1")).await;
    assert_eq!(
        location(&response),
        "/admin",
        "the next /64 is another network"
    );
}
