//! Posts without a valid CSRF token, or sent by another site, are refused.

use crate::common::app::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn posts_without_a_valid_csrf_token_or_from_another_site_are_refused() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("carol");
    let start = format!("{}/deletion-processes", identity_path(&owner.address));

    let missing = app.post_raw(&client, &start, &[]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let html = missing.text().await.unwrap();
    assert_eq!(texts(&html, ".status-code"), ["403"]);
    assert!(texts(&html, ".lead")[0].contains("did not come from this site"));
    let wrong = app
        .post_raw(
            &client,
            &start,
            &[("csrf_token", "forged-token-forged-token-forged-token-xx")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);

    // A valid token does not help a request another site sent.
    let (_, page) = app.get_html(&client, &identity_path(&owner.address)).await;
    let token = csrf_token_in(&page);
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = client
            .post(app.url(&start))
            .header(header, value)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{header}: {value}"
        );
    }
    // Sign-in and sign-out check the token too.
    assert_eq!(
        app.post_raw(
            &browser(),
            "/admin/login",
            &[("username", ADMIN), ("password", PASSWORD)]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_raw(&client, "/admin/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );

    assert!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .is_empty(),
        "nothing was started"
    );
    assert_eq!(
        app.get(&client, "/admin").await.status(),
        StatusCode::OK,
        "still signed in"
    );
}
