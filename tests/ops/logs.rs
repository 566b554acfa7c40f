//! Request IDs and JSON logs: an incoming `X-Request-Id` is kept when well-formed and
//! replaced when not; every log line of a request carries its ID; the 503 page shows it.

use std::sync::Arc;
use std::time::Duration;

use backbone_admin::clock::SystemClock;
use backbone_admin::domain::Periods;
use backbone_admin::facade::Core;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use serde_json::Value;

use crate::common::admin_name;
use crate::common::app::browser;
use crate::common::dedicated_server;
use crate::running::{TempDir, binary, serve};

fn is_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

/// The request ID in a JSON log line's request span, if it was written during a request.
fn request_id_of(line: &Value) -> Option<&str> {
    line["spans"]
        .as_array()?
        .iter()
        .find(|span| span["name"] == "request")?["request_id"]
        .as_str()
}

#[tokio::test(flavor = "multi_thread")]
async fn request_ids_are_kept_or_replaced_logged_on_every_line_and_shown_on_the_503_page() {
    let Some(server) = dedicated_server() else {
        return;
    };
    let core = Core::new(server.pool(2), Arc::new(SystemClock), Periods::default());
    core.accounts()
        .create_admin(&admin_name("ops-admin"), "a long enough password")
        .unwrap();
    let dir = TempDir::new("logs");
    let mut app = serve(
        &binary(),
        dir.path(),
        &[
            ("DATABASE_URL", &server.url),
            ("JOBS_INTERVAL_SECONDS", "0"),
        ],
    );
    let client = browser();
    let id_for = |value: HeaderValue| {
        let client = client.clone();
        let url = app.url("/healthz");
        async move {
            let response = client
                .get(url)
                .header("x-request-id", value)
                .send()
                .await
                .unwrap();
            response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    // Well-formed: kept.
    for kept in [
        "ticket-4711",
        "3f2c9a1e-0b7d-4c55-9d1e-2a6f8b4c7d10",
        "a.b_c",
        &"x".repeat(64),
    ] {
        assert_eq!(id_for(HeaderValue::from_str(kept).unwrap()).await, kept);
    }
    // Too long, blanks, control characters, non-ASCII: replaced by a generated one.
    let replaced = [
        HeaderValue::from_str(&"x".repeat(65)).unwrap(),
        HeaderValue::from_static("has space"),
        HeaderValue::from_static("tab\there"),
        HeaderValue::from_static(""),
        HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
    ];
    for value in replaced {
        let id = id_for(value.clone()).await;
        assert!(is_uuid(&id), "{value:?} → {id}");
    }
    // None sent: generated, and different each time.
    let a = client.get(app.url("/healthz")).send().await.unwrap();
    let b = client.get(app.url("/healthz")).send().await.unwrap();
    assert_ne!(a.headers()["x-request-id"], b.headers()["x-request-id"]);

    app.sign_in(
        &client,
        "/admin/login",
        "ops-admin",
        "a long enough password",
    )
    .await;
    server.stop();
    let response = client
        .get(app.url("/admin/identities"))
        .header("x-request-id", "support-case-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["x-request-id"], "support-case-42");
    let page = response.text().await.unwrap();
    assert!(page.contains("Request ID"), "{page}");
    assert!(
        page.contains("support-case-42"),
        "the 503 page shows the ID: {page}"
    );
    // Without an incoming ID the page shows the generated one.
    let response = client
        .get(app.url("/admin/identities"))
        .send()
        .await
        .unwrap();
    let generated = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(response.text().await.unwrap().contains(&generated));
    server.start();
    app.stop(Duration::from_secs(30));

    // Every line is one JSON object; the lines written while handling the failed request
    // carry its ID, and every line written in a request span has one.
    let lines = app.json_lines();
    assert!(!lines.is_empty());
    let in_requests: Vec<&Value> = lines
        .iter()
        .filter(|line| line["spans"].as_array().is_some_and(|s| !s.is_empty()))
        .collect();
    for line in &in_requests {
        assert!(
            request_id_of(line).is_some(),
            "a request line without its ID: {line}"
        );
    }
    let of_case: Vec<&&Value> = in_requests
        .iter()
        .filter(|line| request_id_of(line) == Some("support-case-42"))
        .collect();
    assert!(
        !of_case.is_empty(),
        "the failed request logged its failure with its ID:\n{}",
        app.stderr_lines().join("\n")
    );
    // No raw path in any line (an address would be personal data).
    for line in app.stderr_lines() {
        assert!(!line.contains("/admin/identities/did"), "{line}");
    }
}
