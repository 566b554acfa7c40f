//! Challenges and identities: the success, and every failure SPEC'd for registration.

use backbone_admin::clock::Clock;
use backbone_admin::domain::consumer::{IdentityPublicKey, derive_address};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::app::*;
use crate::helpers::*;

#[tokio::test]
async fn a_challenge_lives_ten_minutes() {
    let api = api();
    let response = api.post_json("/api/v1/Challenges", None, &json!({})).await;
    let (status, json) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let challenge = &json["result"];
    let id = challenge["id"].as_str().unwrap();
    assert!(id.starts_with("CHL") && id.len() == 20, "{id}");
    assert_eq!(challenge["createdBy"], Value::Null);
    assert_eq!(challenge["createdByDevice"], Value::Null);
    let expires = challenge["expiresAt"].as_str().unwrap();
    assert!(
        expires.ends_with('Z') && expires.len() == 24,
        "ISO with millis: {expires}"
    );
    let expires = chrono::DateTime::parse_from_rfc3339(expires).unwrap();
    assert_eq!(
        expires.timestamp_millis() / 1000,
        (api.app.clock.now() + Duration::minutes(10)).timestamp()
    );
}

#[tokio::test]
async fn a_signed_in_device_names_itself_in_its_challenge() {
    let api = api();
    let (app, token) = api.signed_in().await;
    let (status, json) = answer(
        api.post_json("/api/v1/Challenges", Some(&token), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(json["result"]["createdBy"], app.address.as_str());
    assert_eq!(json["result"]["createdByDevice"], app.device_id.as_str());
    let forged = api
        .post_json("/api/v1/Challenges", Some("forged"), &json!({}))
        .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_identity_is_created_at_the_address_its_key_gives() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    let response = api
        .post_json(
            "/api/v1/Identities",
            None,
            &api.registration(&key, &challenge),
        )
        .await;
    let (status, json) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let result = &json["result"];
    let expected = derive_address(
        &IdentityPublicKey::from_bytes(*key.verifying_key().as_bytes()),
        "localhost",
    )
    .unwrap();
    assert_eq!(result["address"], expected.as_str());
    let username = result["device"]["username"].as_str().unwrap();
    assert!(
        username.starts_with("USR") && username.len() == 20,
        "{username}"
    );
    assert!(result["device"]["id"].as_str().unwrap().starts_with("DVC"));
    assert!(result["createdAt"].as_str().unwrap().ends_with('Z'));

    // The device signs in to the owner pages too.
    let client = browser();
    let owner = TestOwner {
        address: expected,
        device_id: backbone_admin::domain::DeviceId::parse(
            result["device"]["id"].as_str().unwrap(),
        )
        .unwrap(),
        username: username.to_owned(),
        password: "a device password of some length".to_owned(),
    };
    let signed_in = api.app.sign_in_owner(&client, &owner).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/me");
}

#[tokio::test]
async fn wrong_client_credentials_are_refused() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    for (field, value) in [
        ("clientSecret", "not the secret"),
        ("clientId", "unknown-app"),
    ] {
        let mut body = api.registration(&key, &challenge);
        body[field] = json!(value);
        let response = api.post_json("/api/v1/Identities", None, &body).await;
        assert_error(response, 400, "error.platform.unauthorized").await;
    }
}

#[tokio::test]
async fn a_signature_by_another_key_or_of_other_bytes_is_refused() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    let mut body = api.registration(&key, &challenge);
    body["signedChallenge"]["signature"] =
        json!(signature_text(&new_key(), &challenge_text(&challenge)));
    assert_error(
        api.post_json("/api/v1/Identities", None, &body).await,
        400,
        "error.platform.validation.device.invalidSignature",
    )
    .await;
    // The same JSON with other whitespace is other bytes.
    let mut body = api.registration(&key, &challenge);
    let spaced = challenge_text(&challenge).replace(',', ", ");
    body["signedChallenge"]["challenge"] = json!(spaced);
    assert_error(
        api.post_json("/api/v1/Identities", None, &body).await,
        400,
        "error.platform.validation.device.invalidSignature",
    )
    .await;
}

#[tokio::test]
async fn an_expired_challenge_is_refused_and_an_unknown_one_not_found() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    api.app
        .clock
        .advance(Duration::minutes(10) + Duration::seconds(1));
    assert_error(
        api.post_json(
            "/api/v1/Identities",
            None,
            &api.registration(&key, &challenge),
        )
        .await,
        400,
        "error.platform.validation.device.challengeHasExpired",
    )
    .await;
    let unknown = json!({ "id": "CHL00000000000000000", "expiresAt": challenge["expiresAt"] });
    assert_error(
        api.post_json(
            "/api/v1/Identities",
            None,
            &api.registration(&key, &unknown),
        )
        .await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
}

#[tokio::test]
async fn a_challenge_registers_one_identity_and_a_key_one_address() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    let body = api.registration(&key, &challenge);
    assert_eq!(
        api.post_json("/api/v1/Identities", None, &body)
            .await
            .status(),
        StatusCode::CREATED
    );
    // Replayed: the challenge is used up.
    let other = api.registration(&new_key(), &challenge);
    assert_error(
        api.post_json("/api/v1/Identities", None, &other).await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
    // The same key with a new challenge: the address exists.
    let again = api.registration(&key, &api.challenge().await);
    assert_error(
        api.post_json("/api/v1/Identities", None, &again).await,
        400,
        "error.platform.validation.device.addressAlreadyExists",
    )
    .await;
}

#[tokio::test]
async fn a_client_creates_no_more_identities_than_its_limit() {
    let api = api_with_limit(Some(1));
    api.register().await;
    let body = api.registration(&new_key(), &api.challenge().await);
    assert_error(
        api.post_json("/api/v1/Identities", None, &body).await,
        400,
        "error.platform.validation.device.clientReachedIdentitiesLimit",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_identity_version_key_or_password_is_an_invalid_property() {
    let api = api();
    let key = new_key();
    let challenge = api.challenge().await;
    let bad_key = b64(json!({ "pub": b64([1u8; 31]), "alg": 3 }).to_string());
    for (field, value) in [
        ("identityVersion", json!(2)),
        ("identityPublicKey", json!(bad_key)),
        ("identityPublicKey", json!("%%% not base64")),
        ("devicePassword", json!("short")),
    ] {
        let mut body = api.registration(&key, &challenge);
        body[field] = value;
        let response = api.post_json("/api/v1/Identities", None, &body).await;
        assert_error(
            response,
            400,
            "error.platform.validation.invalidPropertyValue",
        )
        .await;
    }
    let mut body = api.registration(&key, &challenge);
    body["signedChallenge"]["signature"] = json!("not base64 at all!");
    let response = api.post_json("/api/v1/Identities", None, &body).await;
    assert_error(
        response,
        400,
        "error.platform.validation.invalidPropertyValue",
    )
    .await;
}

#[tokio::test]
async fn is_deleted_answers_for_a_username() {
    let api = api();
    let app = api.register().await;
    let path = format!("/api/v1/Identities/IsDeleted?username={}", app.username);
    let (status, json) = answer(api.get(&path, None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json["result"],
        json!({ "isDeleted": false, "deletionDate": null })
    );
    assert_error(
        api.get(
            "/api/v1/Identities/IsDeleted?username=USRnobodyhasthisname",
            None,
        )
        .await,
        404,
        "error.platform.recordNotFound",
    )
    .await;
    assert_error(
        api.get("/api/v1/Identities/IsDeleted", None).await,
        400,
        "error.platform.inputCannotBeParsed",
    )
    .await;
}
