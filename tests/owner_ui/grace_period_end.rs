//! Once the grace period has ended, cancelling and signing in are refused.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::{GraceLength, IdentityStatus, ProcessStatus};
use chrono::Duration;
use reqwest::StatusCode;

#[tokio::test]
async fn after_the_grace_period_cancelling_and_signing_in_are_refused() {
    let app = spawn();
    let owner = app.create_owner("grace");
    let one_day = GraceLength::from_days(1);
    let process = app
        .core
        .processes()
        .initiate(&owner.owner(), one_day)
        .expect("initiated");
    // Signed in shortly before the grace period ends, the owner opens the confirmation…
    app.clock.advance(Duration::days(1) - Duration::minutes(10));
    let client = owner_browser(&app, &owner).await;
    let (_, confirm_page) = app
        .get_html(&client, &decision_path(&process.id, "cancel"))
        .await;
    let token = csrf_token_in(&confirm_page);

    // …and confirms after it ended (the session itself has not timed out).
    app.clock.advance(Duration::minutes(20));
    let response = app
        .post_raw(
            &client,
            &decision_path(&process.id, "cancel"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?ended=1", "the session ends");
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Approved
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::ToBeDeleted);
    let (_, html) = app.get_html(&client, "/login?ended=1").await;
    assert!(
        texts(&html, ".flash-info")
            .join(" ")
            .contains("can no longer be used")
    );
    let response = app.get(&client, "/me").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "signed out for good"
    );

    let response = app.sign_in_owner(&browser(), &owner).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.unwrap();
    assert!(
        texts(&html, ".flash-error")
            .join(" ")
            .contains("not correct")
    );
    assert_eq!(audit_keys(&app, &owner, &process.id), ["StartedByOwner"]);
}
