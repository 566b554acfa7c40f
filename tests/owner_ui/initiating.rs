//! The owner starts the deletion of their identity, with a chosen grace period.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::{DomainError, IdentityStatus, ProcessStatus};
use chrono::Duration;
use reqwest::StatusCode;

#[tokio::test]
async fn initiating_approves_at_once_with_the_chosen_grace_length() {
    let app = spawn();
    let owner = app.create_owner("dave");
    let client = owner_browser(&app, &owner).await;

    let confirm = "/me/deletion-processes/new?grace_period_days=30";
    let (status, html) = app.get_html(&client, confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, ".confirm .lead")
            .join(" ")
            .contains("in 30 days")
    );
    let response = app
        .post_form(
            &client,
            confirm,
            "/me/deletion-processes",
            &[("grace_period_days", "30")],
        )
        .await;
    let html = flash_on_me(
        &app,
        &client,
        response,
        "The deletion of your identity has started",
    )
    .await;
    assert!(
        texts(&html, ".open-process .lead")
            .join(" ")
            .contains("in 30 days")
    );

    let processes = app
        .core
        .processes()
        .processes_of(&owner.address)
        .expect("processes");
    assert_eq!(processes.len(), 1);
    let process = &processes[0];
    assert_eq!(process.status, ProcessStatus::Approved);
    assert_eq!(process.approved_by_device.as_ref(), Some(&owner.device_id));
    assert_eq!(
        process.grace_period_ends_at,
        process.approved_at.map(|at| at + Duration::days(30))
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::ToBeDeleted);

    // A second one is refused with its message, and nothing is added.
    let response = app
        .post_form(&client, "/me", "/me/deletion-processes", &[])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(
        texts(&html, ".lead")
            .join(" ")
            .contains(&DomainError::ActiveProcessAlreadyExists.message())
    );
    assert!(html.contains("activeIdentityDeletionProcessAlreadyExists"));
    let (status, _) = app.get_html(&client, "/me/deletion-processes/new").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn initiating_without_a_length_uses_the_usual_grace_period() {
    let app = spawn();
    let owner = app.create_owner("erin");
    let client = owner_browser(&app, &owner).await;
    let response = app
        .post_form(
            &client,
            "/me/deletion-processes/new?grace_period_days=",
            "/me/deletion-processes",
            &[("grace_period_days", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let process = app
        .core
        .processes()
        .active_process(&owner.address)
        .expect("approved process");
    assert_eq!(
        process.grace_period_ends_at,
        process.approved_at.map(|at| at + Duration::days(14))
    );
}

#[tokio::test]
async fn grace_lengths_out_of_range_are_a_400_saying_the_range() {
    let app = spawn();
    let owner = app.create_owner("frank");
    let client = owner_browser(&app, &owner).await;
    for bad in ["abc", "-1", "100000", "0", "91"] {
        let response = app
            .post_form(
                &client,
                "/me",
                "/me/deletion-processes",
                &[("grace_period_days", bad)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let message = texts(&response.text().await.unwrap(), ".lead").join(" ");
        assert!(message.contains("from 1 to 90"), "{bad}: {message}");
        let (status, html) = app
            .get_html(
                &client,
                &format!("/me/deletion-processes/new?grace_period_days={bad}"),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(html.contains("from 1 to 90"));
    }
    assert!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .is_empty()
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);
}
