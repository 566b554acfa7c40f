//! The `X-API-KEY` check: a missing, malformed, unknown, revoked or expired key, or a key
//! of a disabled account, is a 401 with an empty body and a security event; the browser's
//! session cookie opens nothing; a key acts with its account's role as of each request;
//! each key has its own per-minute limit (429 with `Retry-After`).

use backbone_admin::domain::accounts::Role;
use reqwest::{Method, StatusCode};

use crate::common::admin_name;
use crate::common::app::*;
use crate::{account_with_key, api, create_account};

async fn status_and_body(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn requests_without_a_live_key_get_an_empty_401_and_are_recorded() {
    let app = spawn_app();
    let client = browser();
    let key = account_with_key(&app, "kim", Role::Support);
    let revoked = crate::key_of(&app, "kim", "old");
    let id = app
        .core
        .api_keys()
        .list(&admin_name("kim"), &admin_name("kim"))
        .unwrap()[0]
        .id;
    app.core
        .api_keys()
        .revoke(
            &admin_name("kim"),
            &admin_name("kim"),
            id,
            &Default::default(),
        )
        .unwrap();
    let unknown = format!("bba_{}", "A".repeat(40));
    for (presented, why) in [
        (None, "missing"),
        (Some(""), "empty"),
        (Some("not-a-key"), "malformed"),
        (Some(unknown.as_str()), "unknown"),
        (Some(revoked.as_str()), "revoked"),
        (Some(&key[..43]), "cut short"),
    ] {
        let mut request = api(&app, &client, Method::GET, "/Identities");
        if let Some(value) = presented {
            request = request.header("X-API-KEY", value);
        }
        let (status, body) = status_and_body(request.send().await.unwrap()).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::UNAUTHORIZED, ""),
            "{why}"
        );
    }
    // Bytes that are no visible ASCII, and the header twice: still a plain 401.
    let odd = reqwest::header::HeaderValue::from_bytes(b"bba_\xff\xfe").unwrap();
    let response = api(&app, &client, Method::GET, "/Identities")
        .header("X-API-KEY", odd)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let twice = api(&app, &client, Method::GET, "/Identities")
        .header("X-API-KEY", "nonsense")
        .header("X-API-KEY", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        twice.status(),
        StatusCode::UNAUTHORIZED,
        "the first one counts"
    );
    let refused = app
        .core
        .security_events()
        .list_security_events(&admin_name(ADMIN), &Default::default(), None, 50)
        .unwrap()
        .events
        .into_iter()
        .filter(|e| e.kind.as_str() == "ApiKeyRefused")
        .count();
    assert_eq!(refused, 8, "every refused request is a security event");
    let ok = api(&app, &client, Method::GET, "/Identities")
        .header("X-API-KEY", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn keys_die_with_their_expiry_and_their_account() {
    let app = spawn_app();
    let client = browser();
    let key = account_with_key(&app, "lee", Role::Support);
    let get = || {
        api(&app, &client, Method::GET, "/Identities")
            .header("X-API-KEY", &key)
            .send()
    };
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    app.core
        .accounts()
        .set_admin_enabled(
            &admin_name(ADMIN),
            &admin_name("lee"),
            false,
            &Default::default(),
        )
        .unwrap();
    assert_eq!(get().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    app.core
        .accounts()
        .set_admin_enabled(
            &admin_name(ADMIN),
            &admin_name("lee"),
            true,
            &Default::default(),
        )
        .unwrap();
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    app.clock.advance(chrono::Duration::days(90));
    assert_eq!(get().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let reasons: Vec<String> = app
        .core
        .security_events()
        .own_security_events(&admin_name("lee"), 20)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.as_str() == "ApiKeyRefused")
        .map(|e| e.details["reason"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(reasons, ["expired key", "account disabled"]);
}

#[tokio::test]
async fn a_key_acts_with_its_accounts_current_role() {
    let app = spawn_app();
    let client = browser();
    let owner = app.create_owner("wendy");
    let key = account_with_key(&app, "max", Role::Auditor);
    let start = format!("/Identities/{}/DeletionProcesses", owner.address);
    let post = || {
        api(&app, &client, Method::POST, &start)
            .header("X-API-KEY", &key)
            .send()
    };
    let refused = post().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "error.platform.forbidden");
    app.core
        .accounts()
        .change_admin_role(
            &admin_name(ADMIN),
            &admin_name("max"),
            Role::Support,
            &Default::default(),
        )
        .unwrap();
    assert_eq!(post().await.unwrap().status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_session_cookie_opens_no_api_and_the_key_no_page() {
    let app = spawn_app();
    create_account(&app, "sig", Role::Administrator);
    let key = crate::key_of(&app, "sig", "k");
    let signed_in = crate::browser_of(&app, "sig").await;
    let response = api(&app, &signed_in, Method::GET, "/Identities")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let page = browser()
        .get(app.url("/admin/identities"))
        .header("X-API-KEY", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "sent to sign in");
    assert!(location(&page).starts_with("/admin/login"));
}

#[tokio::test]
async fn each_key_has_its_own_limit_per_minute() {
    let app = spawn_app_adjusted(|core| {
        core.with_api_key_limit(backbone_admin::domain::accounts::ApiKeyLimit::new(3))
    });
    let client = browser();
    let first = account_with_key(&app, "fay", Role::Auditor);
    let second = crate::key_of(&app, "fay", "second");
    let get = |key: &str| {
        api(&app, &client, Method::GET, "/Identities")
            .header("X-API-KEY", key)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(get(&first).await.unwrap().status(), StatusCode::OK);
    }
    let over = get(&first).await.unwrap();
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u32 = over.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: serde_json::Value = over.json().await.unwrap();
    assert_eq!(body["error"]["code"], "error.platform.quotaExhausted");
    assert_eq!(
        get(&second).await.unwrap().status(),
        StatusCode::OK,
        "per key"
    );
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(
        get(&first).await.unwrap().status(),
        StatusCode::OK,
        "a new minute"
    );
}
