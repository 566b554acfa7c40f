//! `Identities/Self/DeletionProcesses`: the owner's use cases through a token, always for
//! the token's own identity, with the Backbone's codes; and `IsDeleted` after a deletion.

use backbone_admin::domain::GraceLength;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::app::*;
use crate::helpers::*;

const PROCESSES: &str = "/api/v1/Identities/Self/DeletionProcesses";

fn path(id: &Value, action: &str) -> String {
    format!("{PROCESSES}/{}/{action}", id.as_str().unwrap())
}

#[tokio::test]
async fn initiate_read_and_cancel() {
    let api = api();
    let (app, token) = api.signed_in().await;
    let response = api
        .post_json(
            PROCESSES,
            Some(&token),
            &json!({ "lengthOfGracePeriodInDays": 5 }),
        )
        .await;
    let (status, json) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let process = &json["result"];
    assert_eq!(process["status"], "Approved");
    assert_eq!(process["approvedByDevice"], app.device_id.as_str());
    assert_eq!(process["rejectedAt"], Value::Null);
    let approved =
        chrono::DateTime::parse_from_rfc3339(process["approvedAt"].as_str().unwrap()).unwrap();
    let ends = chrono::DateTime::parse_from_rfc3339(process["gracePeriodEndsAt"].as_str().unwrap())
        .unwrap();
    assert_eq!(ends - approved, Duration::days(5));

    assert_error(
        api.post_json(PROCESSES, Some(&token), &json!({})).await,
        400,
        "error.platform.validation.device.onlyOneActiveDeletionProcessAllowed",
    )
    .await;
    let id = process["id"].clone();
    let (status, one) = answer(
        api.get(
            &format!("{PROCESSES}/{}", id.as_str().unwrap()),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!((status, &one["result"]["id"]), (StatusCode::OK, &id));
    let (_, cancelled) = answer(api.put_json(&path(&id, "Cancel"), &token, &json!({})).await).await;
    assert_eq!(cancelled["result"]["status"], "Cancelled");
    assert_eq!(
        cancelled["result"]["cancelledByDevice"],
        app.device_id.as_str()
    );
    assert_error(
        api.put_json(&path(&id, "Cancel"), &token, &json!({})).await,
        400,
        "error.platform.validation.device.deletionProcessIsNotInRequiredStatus",
    )
    .await;
    let (_, list) = answer(api.get(PROCESSES, Some(&token)).await).await;
    assert_eq!(list["result"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn approve_and_reject_what_support_started() {
    let api = api();
    let (app, token) = api.signed_in().await;
    for (action, status) in [("Reject", "Rejected"), ("Approve", "Approved")] {
        api.app.clock.advance(Duration::minutes(1));
        let started = api
            .app
            .core
            .processes()
            .start_as_support(&app.address, &admin_username())
            .unwrap();
        let id = json!(started.id.as_str());
        // No body at all is fine too.
        let response = api
            .http
            .put(api.url(&path(&id, action)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let (code, json) = answer(response).await;
        assert_eq!(code, StatusCode::OK, "{json}");
        assert_eq!(json["result"]["status"], status);
    }
    let (_, list) = answer(api.get(PROCESSES, Some(&token)).await).await;
    let statuses: Vec<&str> = list["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["Approved", "Rejected"], "newest first");
    let approved = list["result"][0]["id"].clone();
    assert_error(
        api.put_json(&path(&approved, "Reject"), &token, &json!({}))
            .await,
        400,
        "error.platform.validation.device.deletionProcessIsNotInRequiredStatus",
    )
    .await;
}

#[tokio::test]
async fn another_identitys_process_is_not_found() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let (other, other_token) = api.signed_in().await;
    let (_, json) = answer(
        api.post_json(PROCESSES, Some(&other_token), &json!({}))
            .await,
    )
    .await;
    let id = json["result"]["id"].clone();
    assert_error(
        api.get(
            &format!("{PROCESSES}/{}", id.as_str().unwrap()),
            Some(&token),
        )
        .await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
    assert_error(
        api.put_json(&path(&id, "Cancel"), &token, &json!({})).await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
    let still = api
        .app
        .core
        .processes()
        .process(
            &other.address,
            &backbone_admin::domain::DeletionProcessId::parse(id.as_str().unwrap()).unwrap(),
        )
        .unwrap();
    assert_eq!(still.status.as_str(), "Approved");
}

#[tokio::test]
async fn a_cancel_after_the_grace_period_is_refused_with_its_code() {
    let api = api();
    let (app, _) = api.signed_in().await;
    let process = api
        .app
        .core
        .processes()
        .initiate(&owner_of(&app), GraceLength::from_days(1))
        .unwrap();
    api.app
        .clock
        .advance(Duration::days(1) - Duration::seconds(60));
    let token = api.token(&app).await;
    api.app.clock.advance(Duration::seconds(120));
    assert_error(
        api.put_json(
            &path(&json!(process.id.as_str()), "Cancel"),
            &token,
            &json!({}),
        )
        .await,
        400,
        "error.platform.validation.device.gracePeriodHasAlreadyExpired",
    )
    .await;
    // No new token once the grace period is over.
    let refused = api.token_response(&app.username, &app.password).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

/// Initiates a deletion with a grace period of one day (the data deletion fails while
/// `keep_deleting`), runs the jobs after it, and answers `IsDeleted` for the device.
async fn deleted_after_a_day(api: &Api, app: &App, token: &str, keep_deleting: bool) -> Value {
    let one_day = json!({ "lengthOfGracePeriodInDays": 1 });
    api.post_json(PROCESSES, Some(token), &one_day).await;
    if keep_deleting {
        crate::common::refuse_device_deletes(&mut api.app.db.connect());
    }
    let later = Duration::days(1) + Duration::seconds(1);
    api.app.clock.advance(later);
    api.app.core.jobs().run_jobs().unwrap();
    let path = format!("/api/v1/Identities/IsDeleted?username={}", app.username);
    let (status, json) = answer(api.get(&path, None).await).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["result"]["isDeleted"], true, "{json}");
    assert!(
        json["result"]["deletionDate"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    json
}

#[tokio::test]
async fn is_deleted_after_the_deletion() {
    let api = api();
    let (app, token) = api.signed_in().await;
    deleted_after_a_day(&api, &app, &token, false).await;
}

#[tokio::test]
async fn while_the_deletion_runs_the_identity_is_deleted_and_its_token_dead() {
    let api = api();
    let (app, token) = api.signed_in().await;
    deleted_after_a_day(&api, &app, &token, true).await;
    // A token is no use once the deletion has started (this one also expired meanwhile).
    let fresh = api.token_response(&app.username, &app.password).await;
    assert_eq!(fresh.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        api.get(PROCESSES, Some(&token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
