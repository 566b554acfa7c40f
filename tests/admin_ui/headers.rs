//! Security headers on every response; request bodies over the limit get a 413.

use crate::common::app::*;
use reqwest::StatusCode;

#[tokio::test]
async fn responses_carry_the_security_headers_and_large_bodies_get_413() {
    let app = spawn_app();
    let client = browser();
    for path in [
        "/admin/login",
        "/admin",
        "/admin/identities/bad",
        "/no-such-page",
        "/static/app.css",
    ] {
        let response = app.get(&client, path).await;
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .expect(path)
            .to_str()
            .unwrap();
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    let (_, html) = app.get_html(&client, "/admin/login").await;
    let token = csrf_token_in(&html);
    let big = "x".repeat(64 * 1024);
    let response = client
        .post(app.url("/admin/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", ADMIN),
            ("password", big.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        texts(&response.text().await.unwrap(), ".status-code"),
        ["413"]
    );
}
