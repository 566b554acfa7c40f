//! Malformed addresses and IDs in URLs are a 400, unknown ones a 404.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::{DeletionProcessId, IdentityAddress};
use reqwest::StatusCode;

#[tokio::test]
async fn malformed_addresses_and_ids_are_400_and_unknown_ones_404() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("hank");
    let id = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .unwrap()
        .id;
    let unknown_address = IdentityAddress::generate("localhost");
    let unknown_id = DeletionProcessId::generate();

    let bad = [
        (
            "/admin/identities/not-an-address".to_owned(),
            "does not start with 'did:e:'",
        ),
        (
            "/admin/identities/did:e:localhost:dids:XYZ/deletion-processes/new".to_owned(),
            "22 lowercase hex",
        ),
        (
            format!(
                "{}/deletion-processes/IDP123",
                identity_path(&owner.address)
            ),
            "'IDP123' is not a valid ID",
        ),
        (
            format!(
                "{}/deletion-processes/nope/cancel",
                identity_path(&owner.address)
            ),
            "is not a valid ID",
        ),
        (
            "/admin/deletion-processes?after=garbage".to_owned(),
            "Invalid page",
        ),
    ];
    for (path, why) in bad {
        let (status, html) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(texts(&html, ".status-code"), ["400"]);
        assert!(texts(&html, ".lead")[0].contains(why), "{path}: {html}");
    }
    let missing = [
        identity_path(&unknown_address),
        format!("{}/deletion-processes/new", identity_path(&unknown_address)),
        process_path(&owner.address, &unknown_id),
        // A real process, but under another identity's address.
        process_path(&unknown_address, &id),
    ];
    for path in missing {
        let (status, html) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(texts(&html, "h1"), ["Not found"]);
    }
    // A POST to an unknown identity is a 404 too, and changes nothing.
    let response = app
        .post_form(
            &client,
            "/admin",
            &format!("{}/deletion-processes", identity_path(&unknown_address)),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
