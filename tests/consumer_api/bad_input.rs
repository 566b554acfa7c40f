//! Bad input on every Consumer API endpoint: not JSON, wrong types, missing fields, huge
//! bodies, bad IDs and bad base64 are 400 error bodies, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// Each JSON endpoint: method, path.
const JSON_ENDPOINTS: &[(&str, &str)] = &[
    ("POST", "/api/v1/Challenges"),
    ("POST", "/api/v1/Identities"),
    ("POST", "/api/v1/Identities/Self/DeletionProcesses"),
    (
        "PUT",
        "/api/v1/Identities/Self/DeletionProcesses/IDP00000000000000000/Approve",
    ),
    (
        "PUT",
        "/api/v1/Identities/Self/DeletionProcesses/IDP00000000000000000/Reject",
    ),
    (
        "PUT",
        "/api/v1/Identities/Self/DeletionProcesses/IDP00000000000000000/Cancel",
    ),
    ("POST", "/api/v1/SyncRuns"),
    (
        "PUT",
        "/api/v1/SyncRuns/SYR00000000000000000/FinalizeExternalEventSync",
    ),
    (
        "PUT",
        "/api/v1/SyncRuns/SYR00000000000000000/FinalizeDatawalletVersionUpgrade",
    ),
];

async fn send(
    api: &Api,
    method: &str,
    path: &str,
    token: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let response = api
        .http
        .request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            api.url(path),
        )
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    answer(response).await
}

#[tokio::test]
async fn malformed_or_huge_bodies_are_400_error_bodies() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(100_000)).into_bytes();
    for (method, path) in JSON_ENDPOINTS {
        for body in [
            b"{".to_vec(),
            b"[1,2]".to_vec(),
            b"\"text\"".to_vec(),
            huge.clone(),
        ] {
            let (status, json) = send(&api, method, path, &token, body).await;
            assert!(status.is_client_error(), "{method} {path}: {status}");
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR);
            if status == StatusCode::BAD_REQUEST {
                assert!(
                    json["error"]["code"].as_str().is_some(),
                    "{method} {path}: {json}"
                );
            }
        }
    }
}

#[tokio::test]
async fn wrong_types_and_missing_fields_cannot_be_parsed() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let cases = [
        ("POST", "/api/v1/Identities", json!({ "clientId": 5 })),
        ("POST", "/api/v1/Identities", json!({})),
        (
            "POST",
            "/api/v1/Identities/Self/DeletionProcesses",
            json!({ "lengthOfGracePeriodInDays": "five" }),
        ),
        (
            "POST",
            "/api/v1/Identities/Self/DeletionProcesses",
            json!({ "lengthOfGracePeriodInDays": -1 }),
        ),
        ("POST", "/api/v1/SyncRuns", json!({})),
        ("POST", "/api/v1/SyncRuns", json!({ "type": 1 })),
        (
            "PUT",
            "/api/v1/SyncRuns/SYR00000000000000000/FinalizeExternalEventSync",
            json!({ "externalEventResults": [{}] }),
        ),
        (
            "PUT",
            "/api/v1/SyncRuns/SYR00000000000000000/FinalizeDatawalletVersionUpgrade",
            json!({}),
        ),
    ];
    for (method, path, body) in cases {
        let (status, json) = send(&api, method, path, &token, body.to_string().into_bytes()).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{method} {path} {body}: {json}"
        );
        assert_eq!(
            json["error"]["code"], "error.platform.inputCannotBeParsed",
            "{json}"
        );
    }
}

#[tokio::test]
async fn bad_values_are_invalid_properties_and_bad_ids_invalid_ids() {
    let api = api();
    let (_, token) = api.signed_in().await;
    let cases = [
        (
            "POST",
            "/api/v1/Identities/Self/DeletionProcesses",
            json!({ "lengthOfGracePeriodInDays": 0 }),
            "error.platform.validation.invalidPropertyValue",
        ),
        (
            "POST",
            "/api/v1/SyncRuns",
            json!({ "type": "Everything" }),
            "error.platform.validation.invalidPropertyValue",
        ),
        (
            "PUT",
            "/api/v1/Identities/Self/DeletionProcesses/IDP123/Approve",
            json!({}),
            "error.platform.validation.invalidId",
        ),
        (
            "PUT",
            "/api/v1/SyncRuns/not-an-id/FinalizeExternalEventSync",
            json!({}),
            "error.platform.validation.invalidId",
        ),
        (
            "PUT",
            "/api/v1/SyncRuns/SYR00000000000000000/FinalizeExternalEventSync",
            json!({ "externalEventResults": [{ "externalEventId": "IDP00000000000000000" }] }),
            "error.platform.validation.invalidId",
        ),
    ];
    for (method, path, body, code) in cases {
        let (status, json) = send(&api, method, path, &token, body.to_string().into_bytes()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {json}");
        assert_eq!(json["error"]["code"], code, "{method} {path}: {json}");
    }
    let (status, json) = answer(
        api.get(
            "/api/v1/Identities/Self/DeletionProcesses/IDP%00x",
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    let (status, json) = answer(
        api.get("/api/v1/SyncRuns/x/ExternalEvents", Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        (status.as_u16(), json["error"]["code"].as_str()),
        (400, Some("error.platform.validation.invalidId"))
    );
}
