//! The audit log, looked up by address.

use crate::common::app::*;
use crate::helpers::*;
use chrono::Duration;
use reqwest::StatusCode;

#[tokio::test]
async fn audit_log_is_found_by_address_after_the_identity_is_deleted() {
    let app = spawn_app();
    let (owner, _) = approved_process(&app, "ivan");
    app.clock.advance(Duration::days(15));
    let report = app.core.jobs().run_jobs().unwrap();
    assert_eq!(report.identities_deleted, 1, "{report}");

    // Signed in after the clock moved, so the session is fresh.
    let client = admin_browser(&app).await;
    assert_eq!(
        app.get(&client, &identity_path(&owner.address))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (status, html) = app
        .get_html(
            &client,
            &format!("/admin/audit-logs?address={}", owner.address),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let sentences = texts(&html, "#audit .sentence");
    for expected in [
        "Support started the deletion process; the owner was asked to approve it.",
        "The owner approved the deletion process; the grace period began.",
        "The grace period ended; deletion of the identity started.",
        "All data of the identity was deleted.",
    ] {
        assert!(
            sentences.iter().any(|s| s == expected),
            "{expected} in {sentences:?}"
        );
    }
    assert!(
        texts(&html, "#audit .status-change")
            .iter()
            .any(|s| s == "WaitingForApproval → Approved")
    );
    assert!(
        !html.contains(owner.username.as_str()),
        "no personal data in the log"
    );

    let (status, html) = app
        .get_html(&client, "/admin/audit-logs?address=did:e:nope")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(texts(&html, ".flash-error")[0].contains("has no ':dids:' part"));
    let (status, html) = app.get_html(&client, "/admin/audit-logs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, "#audit").is_empty(), "nothing looked up yet");
}
