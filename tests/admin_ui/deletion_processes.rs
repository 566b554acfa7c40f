//! Support starts and cancels deletion processes.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::identity::BASIC_TIER;
use backbone_admin::domain::{DomainError, IdentityStatus, ProcessStatus};
use reqwest::StatusCode;

#[tokio::test]
async fn support_starts_a_deletion_process_after_confirming() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("dave");
    let identity = identity_path(&owner.address);

    let (_, html) = app.get_html(&client, &identity).await;
    assert_eq!(texts(&html, "#devices tbody td:nth-child(2)"), ["dave"]);
    assert!(!html.contains("$argon2"), "no password hashes on the page");
    let confirm = format!("{identity}/deletion-processes/new");
    assert_eq!(texts(&html, "a#start-deletion"), ["Start deletion process"]);
    let (status, html) = app.get_html(&client, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, ".lead")[0].starts_with("The owner will be asked to approve within 7 days")
    );

    let response = app
        .post_form(
            &client,
            &confirm,
            &format!("{identity}/deletion-processes"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), identity);

    let process = app
        .core
        .processes()
        .open_process(&owner.address)
        .unwrap()
        .expect("a process was started");
    assert_eq!(process.status, ProcessStatus::WaitingForApproval);
    assert_eq!(process.started_by_admin.as_deref(), Some(ADMIN));
    let (_, html) = app.get_html(&client, &identity).await;
    let flash = &texts(&html, ".flash-success")[0];
    assert!(
        flash.starts_with(&format!(
            "Deletion process {} started; waiting for the owner's approval until ",
            process.id
        )),
        "{flash}"
    );
    assert_eq!(texts(&html, "#processes .badge"), ["WaitingForApproval"]);
    assert!(
        texts(&html, "a#start-deletion").is_empty(),
        "no second start while one is open"
    );
    let ends = scraper::Html::parse_document(&html);
    let time = scraper::Selector::parse("#processes tbody td:nth-child(4) time").unwrap();
    let iso = ends
        .select(&time)
        .next()
        .expect("approval period end shown")
        .value()
        .attr("datetime")
        .unwrap();
    let approval_end = process.approval_period_ends_at.unwrap();
    assert_eq!(
        iso,
        approval_end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    assert!(texts(&html, "#processes tbody td:nth-child(4)")[0].contains("(in 7 days)"));

    // Reloading the page does not show the flash again.
    let (_, html) = app.get_html(&client, &identity).await;
    assert!(texts(&html, ".flash-success").is_empty());
}

#[tokio::test]
async fn starting_again_from_a_stale_tab_shows_the_conflict_and_keeps_one_process() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("erin");
    let identity = identity_path(&owner.address);
    let (_, stale_tab) = app
        .get_html(&client, &format!("{identity}/deletion-processes/new"))
        .await;
    let token = csrf_token_in(&stale_tab);
    let start = app.url(&format!("{identity}/deletion-processes"));
    for _ in 0..2 {
        let response = client
            .post(&start)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), identity);
    }
    let (_, html) = app.get_html(&client, &identity).await;
    assert_eq!(texts(&html, ".flash-success").len(), 1);
    assert_eq!(
        texts(&html, ".flash-error"),
        [
            "There is already an active IdentityDeletionProcess for this identity. Only one can be open at a time."
        ]
    );
    assert_eq!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(texts(&html, "#processes tbody tr").len(), 1);
}

#[tokio::test]
async fn the_start_is_not_confirmed_while_a_process_is_open() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("hank");
    let confirm = format!("{}/deletion-processes/new", identity_path(&owner.address));
    let open = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("started");

    // A link kept from before (or typed): refused as the start itself would be.
    let (status, html) = app.get_html(&client, &confirm).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        texts(&html, ".lead"),
        [DomainError::ActiveProcessAlreadyExists.message()]
    );
    assert!(html.contains(DomainError::ActiveProcessAlreadyExists.code()));
    assert!(
        texts(&html, "form button.danger").is_empty(),
        "no start offered"
    );
    assert_eq!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .len(),
        1
    );

    // Once the process is no longer open, the start is confirmed again.
    app.core
        .processes()
        .reject(&owner.owner(), &open.id)
        .expect("rejected");
    let (status, html) = app.get_html(&client, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, "form button.danger"),
        ["Start deletion process"]
    );
}

#[tokio::test]
async fn support_cancels_an_approved_process_and_the_identity_is_active_again() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let (owner, id) = approved_process(&app, "frank");
    assert_eq!(
        app.core
            .identities()
            .identity(&owner.address)
            .unwrap()
            .status,
        IdentityStatus::ToBeDeleted
    );
    let process = process_path(&owner.address, &id);

    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, "a#cancel-deletion"),
        ["Cancel deletion process"]
    );
    let (status, confirm) = app.get_html(&client, &format!("{process}/cancel")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&confirm, ".lead")[0].contains("The identity will not be deleted"));

    let response = app
        .post_form(
            &client,
            &format!("{process}/cancel"),
            &format!("{process}/cancel"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), process);

    let (_, html) = app.get_html(&client, &process).await;
    assert!(
        texts(&html, ".flash-success")[0].starts_with(&format!("Deletion process {id} cancelled"))
    );
    assert_eq!(texts(&html, "h1 .badge"), ["Cancelled"]);
    assert!(texts(&html, "a#cancel-deletion").is_empty());
    let audit = texts(&html, "#audit tbody tr");
    let last = audit.last().expect("audit entries shown");
    assert!(
        last.contains("Support cancelled the deletion process."),
        "{last}"
    );
    assert!(last.contains("Approved → Cancelled"), "{last}");
    assert_eq!(audit.len(), 3, "started, approved, cancelled: {audit:?}");

    let identity = app.core.identities().identity(&owner.address).unwrap();
    assert_eq!(identity.status, IdentityStatus::Active);
    assert_eq!(identity.tier_id, BASIC_TIER);
    let cancelled = app.core.processes().process(&owner.address, &id).unwrap();
    assert_eq!(cancelled.status, ProcessStatus::Cancelled);
    assert_eq!(cancelled.cancelled_by_admin.as_deref(), Some(ADMIN));

    // The finished process is greyed on the identity page, and a new one may be started.
    let (_, html) = app.get_html(&client, &identity_path(&owner.address)).await;
    assert_eq!(texts(&html, "#processes tr.finished").len(), 1);
    assert_eq!(texts(&html, "a#start-deletion").len(), 1);
}

#[tokio::test]
async fn cancelling_a_waiting_process_shows_the_not_in_required_status_message() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("gina");
    let id = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .unwrap()
        .id;
    let process = process_path(&owner.address, &id);
    let (_, html) = app.get_html(&client, &process).await;
    assert!(
        texts(&html, "a#cancel-deletion").is_empty(),
        "no cancel button while waiting"
    );

    let response = app
        .post_form(&client, &process, &format!("{process}/cancel"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), process);
    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, ".flash-error"),
        ["The IdentityDeletionProcess must be in status Approved, but it is WaitingForApproval."]
    );
    assert_eq!(
        app.core
            .processes()
            .process(&owner.address, &id)
            .unwrap()
            .status,
        ProcessStatus::WaitingForApproval
    );
}
