//! Owner sign-in: the generic failure message, local `next` only, sign-out, throttling.

use crate::common::app::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn sign_in_is_generic_follows_only_local_next_and_is_rate_limited() {
    let app = spawn();
    let owner = app.create_owner("jane");

    let response = app.get(&browser(), "/me/deletion-processes").await;
    assert_eq!(
        location(&response),
        "/login?next=%2Fme%2Fdeletion-processes"
    );

    let client = browser();
    let wrong_password = [("username", "jane"), ("password", "not the password")];
    let unknown_user = [("username", "nobody"), ("password", "whatever-password")];
    let mut messages = Vec::new();
    for fields in [&wrong_password, &unknown_user] {
        let response = app.post_form(&client, "/login", "/login", fields).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        messages.push(texts(&response.text().await.unwrap(), ".flash-error"));
    }
    assert_eq!(
        messages[0], messages[1],
        "the same message whatever was wrong"
    );

    let credentials = [
        ("username", owner.username.as_str()),
        ("password", owner.password.as_str()),
    ];
    for (next, expected) in [
        ("/me/deletion-processes", "/me/deletion-processes"),
        ("https://evil.example/", "/me"),
    ] {
        let client = browser();
        let mut fields = credentials.to_vec();
        fields.push(("next", next));
        let response = app.post_form(&client, "/login", "/login", &fields).await;
        assert_eq!(location(&response), expected, "{next}");
    }

    // Signing out ends the session.
    let client = owner_browser(&app, &owner).await;
    let response = app.post_form(&client, "/me", "/logout", &[]).await;
    assert_eq!(location(&response), "/login?signed_out=1");
    assert_eq!(
        app.get(&client, "/me").await.status(),
        StatusCode::SEE_OTHER
    );

    // The sign-in rules (`docs/security.md`) changed: only failures count (the sign-ins above cleared
    // this pair), and after 5 failures of one (username, network) pair the next attempt
    // waits a growing delay. Still protected: that attempt is refused with 429 even with
    // the right password, with `Retry-After` and a page saying how long to wait.
    let client = browser();
    for _ in 0..5 {
        let response = app
            .post_form(&client, "/login", "/login", &wrong_password)
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .post_form(&client, "/login", "/login", &credentials)
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "1");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Please wait 1 second and try again.")
    );
    app.clock.advance(chrono::Duration::seconds(1));
    let response = app
        .post_form(&client, "/login", "/login", &credentials)
        .await;
    assert_eq!(location(&response), "/me", "in once the delay is over");
}
