//! Deletion processes through the Admin API: start (support and administrator; auditors
//! 403), list, read one with its audit log, cancel an approved one, the audit log of an
//! address; each refusal with the Backbone's code.

use backbone_admin::domain::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::app::*;
use crate::{account_with_key, api};

async fn call(app: &TestApp, key: &str, method: Method, path: &str) -> (StatusCode, Value) {
    let response = api(app, &browser(), method, path)
        .header("X-API-KEY", key)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn support_starts_reads_and_cancels_a_deletion() {
    let app = spawn_app();
    let key = account_with_key(&app, "sol", Role::Support);
    let owner = app.create_owner("api-owner");
    let processes = format!("/Identities/{}/DeletionProcesses", owner.address);

    let (status, started) = call(&app, &key, Method::POST, &processes).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = started["result"]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("IDP") && id.len() == 20);
    assert_eq!(started["result"]["status"], "WaitingForApproval");
    let stored = app
        .core
        .processes()
        .process(
            &owner.address,
            &backbone_admin::domain::DeletionProcessId::parse(&id).unwrap(),
        )
        .unwrap();
    assert_eq!(stored.started_by_admin.unwrap().to_string(), "sol");

    let (status, again) = call(&app, &key, Method::POST, &processes).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        again["error"]["code"],
        "error.platform.validation.device.onlyOneActiveDeletionProcessAllowed"
    );
    let one = format!("{processes}/{id}");
    let cancel = format!("{one}/Cancel");
    let (status, waiting) = call(&app, &key, Method::PUT, &cancel).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "only an approved process is cancelled"
    );
    assert_eq!(
        waiting["error"]["code"],
        "error.platform.validation.device.deletionProcessIsNotInRequiredStatus"
    );

    app.core
        .processes()
        .approve(&owner.owner(), &stored.id)
        .unwrap();
    let (status, cancelled) = call(&app, &key, Method::PUT, &cancel).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["result"]["status"], "Cancelled");
    assert!(
        cancelled["result"]["cancelledAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let (status, read) = call(&app, &key, Method::GET, &one).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["result"]["cancelledByAdmin"], "sol");
    let keys: Vec<&str> = read["result"]["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["messageKey"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["StartedBySupport", "Approved", "CancelledBySupport"]);
    let (status, listed) = call(&app, &key, Method::GET, &processes).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["result"][0]["id"], id.as_str());
    let (status, log) = call(&app, &key, Method::GET, &format!("{processes}/AuditLogs")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log["result"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn auditors_read_but_get_403_on_post_and_put() {
    let app = spawn_app();
    let auditor = account_with_key(&app, "aud", Role::Auditor);
    let owner = app.create_owner("audited");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .unwrap();
    app.core
        .processes()
        .approve(&owner.owner(), &process.id)
        .unwrap();
    let processes = format!("/Identities/{}/DeletionProcesses", owner.address);
    for (method, path) in [
        (Method::POST, processes.clone()),
        (Method::PUT, format!("{processes}/{}/Cancel", process.id)),
    ] {
        let (status, body) = call(&app, &auditor, method.clone(), &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(body["error"]["code"], "error.platform.forbidden");
    }
    let (status, _) = call(
        &app,
        &auditor,
        Method::GET,
        &format!("{processes}/{}", process.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.core
            .processes()
            .process(&owner.address, &process.id)
            .unwrap()
            .status
            .as_str(),
        "Approved",
        "nothing changed"
    );
}

#[tokio::test]
async fn unknown_foreign_and_malformed_ids_are_refused() {
    let app = spawn_app();
    let key = account_with_key(&app, "adm", Role::Administrator);
    let owner = app.create_owner("first");
    let other = app.create_owner("second");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .unwrap();
    let unknown = "did:e:localhost:dids:0123456789abcdef012345";
    let cases = [
        (
            Method::POST,
            format!("/Identities/{unknown}/DeletionProcesses"),
            StatusCode::NOT_FOUND,
            "error.platform.recordNotFound",
        ),
        (
            Method::GET,
            format!("/Identities/{unknown}/DeletionProcesses"),
            StatusCode::NOT_FOUND,
            "error.platform.recordNotFound",
        ),
        (
            Method::GET,
            format!(
                "/Identities/{}/DeletionProcesses/{}",
                other.address, process.id
            ),
            StatusCode::NOT_FOUND,
            "error.platform.recordNotFound",
        ),
        (
            Method::PUT,
            format!(
                "/Identities/{}/DeletionProcesses/{}/Cancel",
                other.address, process.id
            ),
            StatusCode::NOT_FOUND,
            "error.platform.recordNotFound",
        ),
        (
            Method::GET,
            format!("/Identities/{}/DeletionProcesses/IDPnope", owner.address),
            StatusCode::BAD_REQUEST,
            "error.platform.validation.invalidId",
        ),
        (
            Method::PUT,
            "/Identities/x/DeletionProcesses/IDP00000000000000000/Cancel".to_owned(),
            StatusCode::BAD_REQUEST,
            "error.platform.validation.invalidId",
        ),
        (
            Method::GET,
            "/Identities/did:e:x/DeletionProcesses/AuditLogs".to_owned(),
            StatusCode::BAD_REQUEST,
            "error.platform.validation.invalidId",
        ),
    ];
    for (method, path, status, code) in cases {
        let (got, body) = call(&app, &key, method.clone(), &path).await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{method} {path}"
        );
    }
    let (status, empty) = call(
        &app,
        &key,
        Method::GET,
        &format!("/Identities/{unknown}/DeletionProcesses/AuditLogs"),
    )
    .await;
    assert_eq!(
        (status, empty["result"].clone()),
        (StatusCode::OK, serde_json::json!([]))
    );
    // Bodies are not read by these endpoints: a broken or huge one changes nothing.
    for body in ["{not json".to_owned(), "x".repeat(200_000)] {
        let response = api(
            &app,
            &browser(),
            Method::PUT,
            &format!(
                "/Identities/{}/DeletionProcesses/{}/Cancel",
                owner.address, process.id
            ),
        )
        .header("X-API-KEY", &key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
        assert!(response.status().is_client_error(), "{}", response.status());
    }
    // A method the path does not have: 405 with Allow.
    let response = api(
        &app,
        &browser(),
        Method::DELETE,
        &format!("/Identities/{}", owner.address),
    )
    .header("X-API-KEY", &key)
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET");
}
