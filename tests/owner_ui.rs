//! The identity owner's pages, driven over HTTP against the real app and PostgreSQL.

mod common;

use backbone_admin::domain::{
    DeletionProcess, DeletionProcessId, DomainError, GraceLength, IdentityStatus, MessageKey,
    ProcessStatus,
};
use backbone_admin::hashing::audit_hash;
use chrono::{Duration, SubsecRound};
use common::app::*;
use reqwest::{Client, StatusCode};

/// The app with its clock on a whole second: stored timestamps keep microseconds only, so
/// a deadline of "now + 7 days" would otherwise read back a hair under 7 days away.
fn spawn() -> TestApp {
    let app = spawn_app();
    app.clock.set(app.facade.now().trunc_subsecs(0));
    app
}

const NO_WAITING: &str = "There is no IdentityDeletionProcess waiting for a decision.";

/// Support starts a deletion of `owner`'s identity (as the admin pages would).
fn started_by_support(app: &TestApp, owner: &TestOwner) -> DeletionProcess {
    app.facade
        .start_as_support(&owner.address, ADMIN)
        .expect("support starts a process")
}

async fn signed_in(app: &TestApp, owner: &TestOwner) -> Client {
    let client = browser();
    let response = app.sign_in_owner(&client, owner).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in succeeds");
    assert_eq!(location(&response), "/me");
    client
}

fn process_status(app: &TestApp, owner: &TestOwner, id: &DeletionProcessId) -> ProcessStatus {
    app.facade
        .process(&owner.address, id)
        .expect("process")
        .status
}

fn identity_status(app: &TestApp, owner: &TestOwner) -> IdentityStatus {
    app.facade
        .identity(&owner.address)
        .expect("identity")
        .status
}

/// The process's audit message keys, sorted: the test clock stands still, so entries share
/// their timestamp and their order in the log says nothing.
fn audit_keys(app: &TestApp, owner: &TestOwner, id: &DeletionProcessId) -> Vec<&'static str> {
    let entries = app
        .facade
        .audit_log_of_process(&owner.address, id)
        .expect("audit log");
    let mut keys: Vec<_> = entries.iter().map(|e| e.message_key.as_str()).collect();
    keys.sort_unstable();
    keys
}

fn decision_path(id: &DeletionProcessId, decision: &str) -> String {
    format!("/me/deletion-processes/{id}/{decision}")
}

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

/// Checks that a POST redirected to `/me` and that the flash there says `expected`;
/// returns the page.
async fn flash_on_me(
    app: &TestApp,
    client: &Client,
    response: reqwest::Response,
    expected: &str,
) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/me");
    let (status, html) = app.get_html(client, "/me").await;
    assert_eq!(status, StatusCode::OK);
    let flashes = texts(&html, ".flash");
    assert!(
        flashes.iter().any(|f| f.contains(expected)),
        "{expected:?} in {flashes:?}"
    );
    html
}

#[tokio::test]
async fn full_flow_support_request_approved_then_cancelled() {
    let app = spawn();
    let owner = app.create_owner("alice");
    let process = started_by_support(&app, &owner);
    let client = signed_in(&app, &owner).await;

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
    let deleted_on = (app.facade.now() + Duration::days(14))
        .format("%-d %b %Y")
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
        .facade
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
    let client = signed_in(&app, &owner).await;

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
    let client = signed_in(&app, &owner).await;
    let (_, confirm_page) = app
        .get_html(&client, &decision_path(&process.id, "approve"))
        .await;

    // The approval period ends while the page is open: the job cancels the request.
    app.clock.advance(Duration::minutes(20));
    app.facade.run_jobs().expect("jobs run");
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

#[tokio::test]
async fn initiating_approves_at_once_with_the_chosen_grace_length() {
    let app = spawn();
    let owner = app.create_owner("dave");
    let client = signed_in(&app, &owner).await;

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

    let processes = app.facade.processes_of(&owner.address).expect("processes");
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
    assert_eq!(app.facade.processes_of(&owner.address).unwrap().len(), 1);
}

#[tokio::test]
async fn initiating_without_a_length_uses_the_usual_grace_period() {
    let app = spawn();
    let owner = app.create_owner("erin");
    let client = signed_in(&app, &owner).await;
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
        .facade
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
    let client = signed_in(&app, &owner).await;
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
    assert!(app.facade.processes_of(&owner.address).unwrap().is_empty());
    assert_eq!(identity_status(&app, &owner), IdentityStatus::Active);
}

#[tokio::test]
async fn after_the_grace_period_cancelling_and_signing_in_are_refused() {
    let app = spawn();
    let owner = app.create_owner("grace");
    let one_day = GraceLength::from_days(1);
    let process = app
        .facade
        .initiate(&owner.owner(), one_day)
        .expect("initiated");
    // Signed in shortly before the grace period ends, the owner opens the confirmation…
    app.clock.advance(Duration::days(1) - Duration::minutes(10));
    let client = signed_in(&app, &owner).await;
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

#[tokio::test]
async fn an_owner_cannot_see_or_act_on_another_identitys_process() {
    let app = spawn();
    let a = app.create_owner("owner-a");
    let b = app.create_owner("owner-b");
    let waiting = started_by_support(&app, &b);
    let client = signed_in(&app, &a).await;

    let (status, _) = app
        .get_html(&client, &format!("/me/deletion-processes/{}", waiting.id))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for decision in ["approve", "reject", "cancel"] {
        let path = decision_path(&waiting.id, decision);
        let (status, _) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "GET {decision}");
        let response = app.post_form(&client, "/me", &path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "POST {decision}");
    }
    assert_eq!(
        process_status(&app, &b, &waiting.id),
        ProcessStatus::WaitingForApproval
    );
    assert_eq!(audit_keys(&app, &b, &waiting.id), ["StartedBySupport"]);
    assert_eq!(identity_status(&app, &b), IdentityStatus::Active);
    let (_, html) = app.get_html(&client, "/me/deletion-processes").await;
    assert!(
        texts(&html, "tbody tr").is_empty(),
        "A's history holds none of B's processes"
    );

    // Malformed IDs are a 400; unknown actions are not a page.
    let (status, html) = app
        .get_html(&client, "/me/deletion-processes/not-an-id")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("is not a valid ID"));
    let response = app
        .post_form(&client, "/me", "/me/deletion-processes/IDP123/approve", &[])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let (status, _) = app
        .get_html(&client, &decision_path(&waiting.id, "delete"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_owner_session_never_opens_admin_pages() {
    let app = spawn();
    let owner = app.create_owner("henry");
    let client = signed_in(&app, &owner).await;
    for path in ["/admin", "/admin/identities", "/admin/deletion-processes"] {
        let response = app.get(&client, path).await;
        let (status, to) = (response.status(), location(&response));
        // Before the admin pages are merged these paths are no page at all; with them, the
        // owner session is sent to the admin sign-in. Never is an admin page shown.
        let refused = status == StatusCode::NOT_FOUND
            || (status == StatusCode::SEE_OTHER && to.starts_with("/admin/login"));
        assert!(refused, "{path}: {status} → {to}");
    }
    let (status, _) = app.get_html(&client, "/me").await;
    assert_eq!(status, StatusCode::OK, "the owner session itself goes on");
}

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = spawn();
    let owner = app.create_owner("ivy");
    let process = started_by_support(&app, &owner);
    let client = signed_in(&app, &owner).await;
    let approve = decision_path(&process.id, "approve");
    for fields in [vec![], vec![("csrf_token", "forged-token")]] {
        for path in [approve.as_str(), "/me/deletion-processes", "/logout"] {
            let response = app.post_raw(&client, path, &fields).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} {fields:?}"
            );
            assert!(
                response
                    .text()
                    .await
                    .unwrap()
                    .contains("did not come from this site")
            );
        }
    }
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::WaitingForApproval
    );
    assert_eq!(app.facade.processes_of(&owner.address).unwrap().len(), 1);
    let (status, _) = app.get_html(&client, "/me").await;
    assert_eq!(status, StatusCode::OK, "still signed in");
}

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
    let client = signed_in(&app, &owner).await;
    let response = app.post_form(&client, "/me", "/logout", &[]).await;
    assert_eq!(location(&response), "/login?signed_out=1");
    assert_eq!(
        app.get(&client, "/me").await.status(),
        StatusCode::SEE_OTHER
    );

    // That was the 5th attempt from this address this minute; the 6th is refused even with
    // the right password.
    let client = browser();
    let response = app
        .post_form(&client, "/login", "/login", &credentials)
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.text().await.unwrap().contains("Wait a minute"));
}
