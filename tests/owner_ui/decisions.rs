//! The owner approves, rejects or cancels a deletion that support started.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::{DeletionProcessId, IdentityStatus, MessageKey, ProcessStatus};
use backbone_admin::pseudonyms::audit_hash;
use chrono::Duration;
use reqwest::{Client, StatusCode};

const NO_WAITING: &str = "There is no IdentityDeletionProcess waiting for a decision.";

/// Confirms a decision the way a person does: opens its confirmation page, submits its form.
async fn decide(
    app: &TestApp,
    client: &Client,
    id: &DeletionProcessId,
    decision: &str,
) -> reqwest::Response {
    let path = decision_path(id, decision);
    app.post_form(client, &path, &path, &[]).await
}

#[tokio::test]
async fn full_flow_support_request_approved_then_cancelled() {
    let app = spawn();
    let owner = app.create_owner("alice");
    let process = started_by_support(&app, &owner);
    let client = owner_browser(&app, &owner).await;

    let (_, html) = app.get_html(&client, "/me").await;
    let lead = texts(&html, ".open-process .lead").join(" ");
    assert!(
        lead.contains("Support started the deletion of your identity on"),
        "{lead}"
    );
    assert!(lead.contains("Approve or reject by"), "{lead}");
    assert!(lead.contains("(in 7 days)"), "{lead}");
    assert!(
        lead.contains("if you do nothing it is cancelled then"),
        "{lead}"
    );
    let notices = texts(&html, ".notice-list li").join(" ");
    assert!(
        notices.contains("Support started the deletion of your identity"),
        "{notices}"
    );

    // The confirmation says when the identity would be deleted.
    let (status, html) = app
        .get_html(&client, &decision_path(&process.id, "approve"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let deleted_on = (app.core.now() + Duration::days(14))
        .format("%-d %B %Y")
        .to_string();
    let consequence = texts(&html, ".confirm .lead").join(" ");
    assert!(
        consequence.contains(&deleted_on) && consequence.contains("in 14 days"),
        "{consequence}"
    );

    let response = decide(&app, &client, &process.id, "approve").await;
    let html = flash_on_me(
        &app,
        &client,
        response,
        "You approved the deletion. Your identity will be deleted on",
    )
    .await;
    let lead = texts(&html, ".open-process .lead").join(" ");
    assert!(
        lead.contains("Your identity will be deleted on") && lead.contains("in 14 days"),
        "{lead}"
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::ToBeDeleted);
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Approved
    );

    let response = decide(&app, &client, &process.id, "cancel").await;
    let html = flash_on_me(&app, &client, response, "You cancelled the deletion").await;
    assert!(
        texts(&html, "h2").iter().any(|h| h == "Delete my identity"),
        "initiating is offered again"
    );
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Cancelled
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);

    assert_eq!(
        audit_keys(&app, &owner, &process.id),
        ["Approved", "CancelledByOwner", "StartedBySupport"]
    );
    let device_hash = audit_hash(owner.device_id.as_str());
    for entry in app
        .core
        .audit_log()
        .audit_log_of_process(&owner.address, &process.id)
        .unwrap()
    {
        let by_owner = entry.message_key != MessageKey::StartedBySupport;
        let expected = by_owner.then_some(device_hash.as_slice());
        assert_eq!(
            entry.device_id_hash.as_deref(),
            expected,
            "{}",
            entry.message_key
        );
    }

    // The history tells who acted.
    let (status, html) = app
        .get_html(&client, &format!("/me/deletion-processes/{}", process.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let story = texts(&html, "dl.fields dd").join(" | ");
    assert!(story.contains("by support"), "{story}");
    assert!(
        story.contains(&format!("by device {} (this device)", owner.device_id)),
        "{story}"
    );
    let (_, html) = app.get_html(&client, "/me/deletion-processes").await;
    assert_eq!(texts(&html, "tbody tr").len(), 1);
    assert!(texts(&html, "tbody tr")[0].contains("Cancelled"));
}

#[tokio::test]
async fn rejecting_keeps_the_identity_and_a_second_decision_is_refused() {
    let app = spawn();
    let owner = app.create_owner("bob");
    let process = started_by_support(&app, &owner);
    let client = owner_browser(&app, &owner).await;

    let (_, html) = app
        .get_html(&client, &decision_path(&process.id, "reject"))
        .await;
    assert!(
        texts(&html, ".confirm .lead")
            .join(" ")
            .contains("will not be deleted")
    );
    let response = decide(&app, &client, &process.id, "reject").await;
    flash_on_me(&app, &client, response, "You rejected the deletion").await;
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Rejected
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);

    for decision in ["approve", "reject"] {
        let response = app
            .post_form(&client, "/me", &decision_path(&process.id, decision), &[])
            .await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{decision}");
        let html = response.text().await.unwrap();
        assert!(
            texts(&html, ".lead").join(" ").contains(NO_WAITING),
            "{decision}"
        );
        assert!(html.contains("noWaitingForApprovalIdentityDeletionProcess"));
        // The confirmation page refuses too, rather than ask about the impossible.
        let (status, _) = app
            .get_html(&client, &decision_path(&process.id, decision))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Rejected
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);
    assert_eq!(
        audit_keys(&app, &owner, &process.id),
        ["Rejected", "StartedBySupport"]
    );
}

#[tokio::test]
async fn approving_a_request_that_was_cancelled_meanwhile_shows_why() {
    let app = spawn();
    let owner = app.create_owner("carol");
    let process = started_by_support(&app, &owner);
    app.clock.advance(Duration::days(7) - Duration::minutes(10));
    let client = owner_browser(&app, &owner).await;
    let (_, confirm_page) = app
        .get_html(&client, &decision_path(&process.id, "approve"))
        .await;

    // The approval period ends while the page is open: the job cancels the request.
    app.clock.advance(Duration::minutes(20));
    app.core.jobs().run_jobs().expect("jobs run");
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Cancelled
    );

    let token = csrf_token_in(&confirm_page);
    let response = app
        .post_raw(
            &client,
            &decision_path(&process.id, "approve"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(response.text().await.unwrap().contains(NO_WAITING));
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::Cancelled
    );
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);

    let (_, html) = app.get_html(&client, "/me").await;
    let notices = texts(&html, ".notice-list li");
    assert!(
        notices[0].contains("no decision was made in time"),
        "newest first: {notices:?}"
    );
}
