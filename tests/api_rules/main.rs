//! The rules both JSON APIs share (`web/api`), seen from outside: refusals are error
//! bodies, never the pages' HTML, whatever went wrong before a handler ran.

#[path = "../common/mod.rs"]
mod common;

use common::app::{browser, spawn_app};
use serde_json::Value;

async fn error_body(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE].clone();
    assert_eq!(content_type, "application/json");
    let body: Value = response.json().await.expect("an error body");
    let id = body["error"]["id"].as_str().expect("an error id");
    assert!(id.starts_with("ERR") && id.len() == 20, "{id}");
    body
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = spawn_app();
    let response = browser()
        .get(app.url("/docs/v1/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let document: Value = response.json().await.expect("JSON");
    assert!(
        document["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.1")
    );
    assert_eq!(
        document["components"]["securitySchemes"]["apiKey"]["in"],
        "header"
    );
}

#[tokio::test]
async fn unknown_api_addresses_get_an_error_body_not_a_page() {
    let app = spawn_app();
    let client = browser();
    for path in ["/api/v1/NoSuchThing", "/admin/api/v1/Nothing/Here"] {
        let response = client.get(app.url(path)).send().await.expect("request");
        let body = error_body(response, 404).await;
        assert_eq!(
            body["error"]["code"], "error.platform.recordNotFound",
            "{path}"
        );
    }
}

#[tokio::test]
async fn bodies_refused_before_a_handler_are_error_bodies() {
    let app = spawn_app();
    let client = browser();
    let huge = vec![b'{'; backbone_admin::web::BODY_LIMIT + 1];
    let response = client
        .post(app.url("/api/v1/Challenges"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("request");
    let body = error_body(response, 400).await;
    assert_eq!(body["error"]["code"], "error.platform.inputCannotBeParsed");

    let response = client
        .post(app.url("/admin/api/v1/Identities"))
        .header("content-type", "application/json")
        .body(b"{\"q\": \"a\x01b\"}".to_vec())
        .send()
        .await
        .expect("request");
    let body = error_body(response, 400).await;
    assert_eq!(body["error"]["code"], "error.platform.inputCannotBeParsed");
}
