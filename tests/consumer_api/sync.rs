//! Sync runs and external events: written in the transaction of the change support or the
//! jobs made, delivered once, none for the owner's own changes.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::app::*;
use crate::helpers::*;

async fn start(api: &Api, token: &str, kind: &str) -> (StatusCode, Value) {
    let response = api
        .http
        .post(api.url("/api/v1/SyncRuns"))
        .bearer_auth(token)
        .header("x-supported-datawallet-version", "1")
        .json(&json!({ "type": kind }))
        .send()
        .await
        .unwrap();
    answer(response).await
}

async fn events(api: &Api, token: &str, run: &Value) -> Value {
    let path = format!(
        "/api/v1/SyncRuns/{}/ExternalEvents",
        run["id"].as_str().unwrap()
    );
    let (status, json) = answer(api.get(&path, Some(token)).await).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["result"].clone()
}

async fn finalize(api: &Api, token: &str, run: &Value, results: Value) -> (StatusCode, Value) {
    let path = format!(
        "/api/v1/SyncRuns/{}/FinalizeExternalEventSync",
        run["id"].as_str().unwrap()
    );
    let body = json!({ "externalEventResults": results, "datawalletModifications": [] });
    answer(api.put_json(&path, token, &body).await).await
}

#[tokio::test]
async fn the_initial_datawallet_upgrade_run() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let (status, json) = start(&api, &token, "DatawalletVersionUpgrade").await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["result"]["status"], "Created");
    let run = json["result"]["syncRun"].clone();
    assert!(run["id"].as_str().unwrap().starts_with("SYR"));
    let path = format!(
        "/api/v1/SyncRuns/{}/FinalizeDatawalletVersionUpgrade",
        run["id"].as_str().unwrap()
    );
    let body = json!({ "newDatawalletVersion": 1, "datawalletModifications": [] });
    let (status, json) = answer(api.put_json(&path, &token, &body).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json["result"],
        json!({ "newDatawalletModificationIndex": null, "datawalletModifications": [] })
    );
    assert_error(
        api.put_json(&path, &token, &body).await,
        400,
        "error.platform.validation.syncRun.syncRunAlreadyFinalized",
    )
    .await;
    let (status, json) = answer(
        api.get(
            "/api/v1/Datawallet/Modifications?localIndex=0",
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, json["result"].clone()),
        (StatusCode::OK, json!([]))
    );
}

#[tokio::test]
async fn support_and_the_jobs_cause_events_the_owner_does_not() {
    let api = api();
    let (app, token) = api.signed_in().await;
    let (_, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(
        json["result"],
        json!({ "status": "NoNewEvents", "syncRun": null })
    );

    // The owner's own change: no event.
    let initiated = api
        .app
        .core
        .processes()
        .initiate(&owner_of(&app), None)
        .unwrap();
    let (_, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(json["result"]["status"], "NoNewEvents");
    // Support cancels it: an event.
    api.app
        .core
        .processes()
        .cancel_as_support(&app.address, &initiated.id, &admin_username())
        .unwrap();
    // Support starts one, and it is cancelled automatically later: two more.
    let started = api
        .app
        .core
        .processes()
        .start_as_support(&app.address, &admin_username())
        .unwrap();
    api.app.clock.advance(Duration::days(8));
    api.app.core.jobs().run_jobs().unwrap();
    let token = api.token(&app).await;

    let (status, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(status, StatusCode::CREATED);
    let run = json["result"]["syncRun"].clone();
    assert_eq!(run["eventCount"], 3);
    let delivered = events(&api, &token, &run).await;
    let kinds: Vec<(&str, &str)> = delivered
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["payload"]["deletionProcessId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "IdentityDeletionProcessStatusChanged",
                initiated.id.as_str()
            ),
            ("IdentityDeletionProcessStarted", started.id.as_str()),
            ("IdentityDeletionProcessStatusChanged", started.id.as_str()),
        ]
    );
    // Another start while this run runs is refused.
    let (status, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(
        (status.as_u16(), json["error"]["code"].as_str()),
        (
            400,
            Some("error.platform.validation.syncRun.cannotStartSyncRunWhenAnotherSyncRunIsRunning")
        )
    );
    // The first fails in the app; the others are done.
    let results = json!([
        { "externalEventId": delivered[0]["id"], "errorCode": "error.transport.unknown" },
        { "externalEventId": delivered[1]["id"] },
        { "externalEventId": delivered[2]["id"] },
    ]);
    let (status, json) = finalize(&api, &token, &run, results).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["result"]["newUnsyncedExternalEventsExist"], true);
    let (_, json) = start(&api, &token, "ExternalEventSync").await;
    let again = events(&api, &token, &json["result"]["syncRun"]).await;
    assert_eq!(again.as_array().unwrap().len(), 1);
    assert_eq!(again[0]["id"], delivered[0]["id"]);
    assert_eq!(again[0]["syncErrorCount"], 1);
}

#[tokio::test]
async fn an_unfinished_run_expires_after_a_minute_and_its_events_come_again() {
    let api = api();
    let (app, token) = api.signed_in().await;
    api.app
        .core
        .processes()
        .start_as_support(&app.address, &admin_username())
        .unwrap();
    let (_, json) = start(&api, &token, "ExternalEventSync").await;
    let run = json["result"]["syncRun"].clone();
    api.app.clock.advance(Duration::seconds(61));
    let (status, json) = finalize(&api, &token, &run, json!([])).await;
    assert_eq!(
        (status.as_u16(), json["error"]["code"].as_str()),
        (
            400,
            Some("error.platform.validation.syncRun.syncRunExpired")
        )
    );
    let (status, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let again = events(&api, &token, &json["result"]["syncRun"]).await;
    assert_eq!(again[0]["syncErrorCount"], 1);
    // Another identity's run is not found.
    let (_, other_token) = api.signed_in().await;
    let path = format!(
        "/api/v1/SyncRuns/{}/ExternalEvents",
        json["result"]["syncRun"]["id"].as_str().unwrap()
    );
    assert_error(
        api.get(&path, Some(&other_token)).await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
}

#[tokio::test]
async fn a_refused_support_start_writes_no_event() {
    let api = api();
    let (app, token) = api.signed_in().await;
    api.app
        .core
        .processes()
        .initiate(&owner_of(&app), None)
        .unwrap();
    assert!(
        api.app
            .core
            .processes()
            .start_as_support(&app.address, &admin_username())
            .is_err()
    );
    let (_, json) = start(&api, &token, "ExternalEventSync").await;
    assert_eq!(json["result"]["status"], "NoNewEvents");
}
