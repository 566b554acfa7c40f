//! With the database stopped, pages answer 503 and recover without a restart.

use crate::common;
use crate::common::app::*;
use reqwest::StatusCode;

#[tokio::test]
async fn with_the_database_stopped_pages_answer_503_and_recover_without_restart() {
    let Some(server) = common::dedicated_server() else {
        return;
    };
    let (base, _facade, _clock) = serve(server.pool(4), test_options());
    let client = browser();
    let url = |path: &str| format!("{base}{path}");
    let (_, html) = {
        let response = client.get(url("/admin/login")).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    };
    let token = csrf_token_in(&html);
    let signed_in = client
        .post(url("/admin/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", ADMIN),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        client
            .get(url("/admin/identities"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    server.stop();
    for path in ["/admin/identities", "/admin"] {
        let response = client.get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, "h1"), ["Temporarily unavailable"], "{path}");
    }
    assert_eq!(
        client.get(url("/readyz")).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );

    server.start();
    assert_eq!(
        client.get(url("/readyz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let response = client.get(url("/admin/identities")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the session survived and the page works again"
    );
}
