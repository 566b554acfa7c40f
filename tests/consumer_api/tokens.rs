//! `/connect/token` and bearer tokens: issued to a right password, refused and throttled
//! like the owner sign-in, stored as hashes, expiring, and dying with their device.

use backbone_admin::schema::{api_tokens, security_events};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_right_password_gets_a_token_for_300_seconds_stored_only_as_its_hash() {
    let api = api();
    let app = api.register().await;
    let response = api.token_response(&app.username, &app.password).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (_, json) = answer(response).await;
    assert_eq!(json["expires_in"], 300);
    assert_eq!(json["token_type"], "Bearer");
    let token = json["access_token"].as_str().unwrap();
    let mut conn = api.app.db.connect();
    let hashes: Vec<Vec<u8>> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0], token.as_bytes(), "never the token itself");
    let succeeded: i64 = security_events::table
        .filter(security_events::kind.eq("SignInSucceeded"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(succeeded, 1, "a sign-in like the page's");

    let list = "/api/v1/Identities/Self/DeletionProcesses";
    assert_eq!(api.get(list, Some(token)).await.status(), StatusCode::OK);
    api.app.clock.advance(Duration::seconds(301));
    let expired = api.get(list, Some(token)).await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert!(expired.text().await.unwrap().is_empty(), "401 has no body");
}

#[tokio::test]
async fn wrong_credentials_get_oauth_errors() {
    let api = api();
    let app = api.register().await;
    let (status, json) = answer(api.token_response(&app.username, "wrong password").await).await;
    assert_eq!(
        (status.as_u16(), json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, json) = answer(api.token_response("USRnobody", "whatever").await).await;
    assert_eq!(
        (status.as_u16(), json["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let form = |pairs: &[(&str, &str)]| api.http.post(api.url("/connect/token")).form(pairs).send();
    let wrong_client = form(&[
        ("grant_type", "password"),
        ("client_id", CLIENT_ID),
        ("client_secret", "wrong"),
        ("username", &app.username),
        ("password", &app.password),
    ])
    .await
    .unwrap();
    let (status, json) = answer(wrong_client).await;
    assert_eq!(
        (status.as_u16(), json["error"].as_str()),
        (400, Some("invalid_client"))
    );
    let (status, json) = answer(form(&[("grant_type", "client_credentials")]).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), json["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, json) = answer(form(&[("grant_type", "password")]).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), json["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn failed_token_requests_are_throttled_like_the_sign_in_page() {
    let api = api();
    let app = api.register().await;
    for _ in 0..5 {
        let response = api.token_response(&app.username, "wrong password").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
    let throttled = api.token_response(&app.username, &app.password).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));
    let mut conn = api.app.db.connect();
    let failed: i64 = security_events::table
        .filter(security_events::kind.eq("SignInFailed"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(failed, 5);
}

#[tokio::test]
async fn tokens_are_checked_for_what_they_are() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let list = "/api/v1/Identities/Self/DeletionProcesses";
    for bad in ["", "x", &format!("{token}x"), &"a".repeat(5000)] {
        let response = api.get(list, Some(bad)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{bad:.20}");
    }
    let no_header = api.get(list, None).await;
    assert_eq!(no_header.status(), StatusCode::UNAUTHORIZED);
    let basic = api
        .http
        .get(api.url(list))
        .header("Authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    // A session cookie is no credential for the API.
    let body = api
        .post_json(
            "/api/v1/Identities/Self/DeletionProcesses",
            None,
            &json!({}),
        )
        .await;
    assert_eq!(body.status(), StatusCode::UNAUTHORIZED);
}
