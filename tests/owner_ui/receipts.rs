//! Deletion receipts: the owner's printable receipt, and `/receipts/verify` for anyone who
//! holds its code and the address, before and after the identity is deleted.

use crate::common::app::*;
use crate::helpers::*;
use backbone_admin::domain::GraceLength;
use chrono::Duration;
use reqwest::{Client, StatusCode};

/// The receipt code on the owner's receipt page of process `id`.
async fn receipt_code(app: &TestApp, client: &Client, id: &str) -> String {
    let (status, html) = app
        .get_html(client, &format!("/me/deletion-processes/{id}/receipt"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let codes = texts(&html, ".receipt-code code");
    assert_eq!(codes.len(), 1, "{html}");
    codes[0].trim().to_owned()
}

/// Posts a check from an anonymous browser; the status and the answer section's text.
async fn check(app: &TestApp, code: &str, address: &str) -> (StatusCode, String) {
    let anonymous = browser();
    let response = app
        .post_form(
            &anonymous,
            "/receipts/verify",
            "/receipts/verify",
            &[("code", code), ("address", address)],
        )
        .await;
    let status = response.status();
    let html = response.text().await.unwrap();
    (
        status,
        texts(&html, "[aria-labelledby=answer-heading]").join(" "),
    )
}

#[tokio::test]
async fn a_genuine_receipt_verifies_before_and_after_the_deletion() {
    let app = spawn();
    let owner = app.create_owner("receipt-owner");
    let process = app
        .core
        .processes()
        .initiate(&owner.owner(), GraceLength::from_days(1))
        .expect("initiated");
    let client = owner_browser(&app, &owner).await;
    let (_, me) = app.get_html(&client, "/me").await;
    assert!(
        me.contains(&format!("/me/deletion-processes/{}/receipt", process.id)),
        "/me offers the receipt"
    );
    let (_, receipt_page) = app
        .get_html(
            &client,
            &format!("/me/deletion-processes/{}/receipt", process.id),
        )
        .await;
    let facts = texts(&receipt_page, "dl.fields dd").join(" | ");
    assert!(facts.contains(owner.address.as_str()), "{facts}");
    assert!(facts.contains(process.id.as_str()), "{facts}");
    assert!(facts.contains("You"), "the owner asked for it: {facts}");
    let code = receipt_code(&app, &client, process.id.as_str()).await;
    assert!(code.starts_with(&format!("{}.", process.id)), "{code}");

    let (status, answer) = check(&app, &code, owner.address.as_str()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("genuine"), "{answer}");
    assert!(answer.contains("approved"), "{answer}");
    assert!(answer.contains(process.id.as_str()), "{answer}");

    // The grace period ends; the jobs start the deletion, then delete the identity.
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    app.core.jobs().run_jobs().expect("jobs");
    app.clock.advance(Duration::hours(1));
    app.core.jobs().run_jobs().expect("jobs");
    assert!(
        app.core.identities().identity(&owner.address).is_err(),
        "the identity is gone"
    );
    let (status, answer) = check(&app, &code, owner.address.as_str()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("genuine"), "{answer}");
    assert!(answer.contains("was deleted"), "{answer}");
}

#[tokio::test]
async fn forged_altered_or_mismatched_receipts_reveal_nothing() {
    let app = spawn();
    let owner = app.create_owner("receipt-check");
    let other = app.create_owner("receipt-other");
    let process = started_by_support(&app, &owner);
    let client = owner_browser(&app, &owner).await;
    // Not approved yet: no receipt, and none offered.
    let response = app
        .get(
            &client,
            &format!("/me/deletion-processes/{}/receipt", process.id),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    app.core
        .processes()
        .approve(&owner.owner(), &process.id)
        .expect("approved");
    let code = receipt_code(&app, &client, process.id.as_str()).await;
    let (_, genuine) = check(&app, &code, owner.address.as_str()).await;
    assert!(genuine.contains("genuine"), "{genuine}");
    assert!(genuine.contains("approved"), "{genuine}");

    // Another owner cannot get a receipt of this process.
    let intruder = owner_browser(&app, &other).await;
    let response = app
        .get(
            &intruder,
            &format!("/me/deletion-processes/{}/receipt", process.id),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let (_, refused) = check(&app, "no code at all", owner.address.as_str()).await;
    assert!(refused.contains("cannot be confirmed"), "{refused}");
    let signature_start = code.find('.').unwrap() + 1;
    let mut altered = code.clone().into_bytes();
    altered[signature_start] = if altered[signature_start] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let altered = String::from_utf8(altered).unwrap();
    let wrong_process = code.replacen(process.id.as_str(), "IDP00000000000000001", 1);
    for (what, code, address) in [
        (
            "altered signature",
            altered.as_str(),
            owner.address.as_str(),
        ),
        (
            "other process ID",
            wrong_process.as_str(),
            owner.address.as_str(),
        ),
        ("other address", code.as_str(), other.address.as_str()),
        ("not an address", code.as_str(), "someone"),
    ] {
        let (status, answer) = check(&app, code, address).await;
        assert_eq!(status, StatusCode::OK, "{what}");
        assert_eq!(answer, refused, "{what}: the same answer as for no code");
        assert!(!answer.contains(process.id.as_str()), "{what}: {answer}");
    }
}

#[tokio::test]
async fn checks_are_limited_per_network() {
    let app = spawn();
    for n in 1..=10 {
        let (status, _) = check(&app, "guess", &format!("did:e:localhost:dids:{n:022x}")).await;
        assert_eq!(status, StatusCode::OK, "check {n}");
    }
    let (status, _) = check(&app, "guess", "did:e:localhost:dids:0000000000000000000011").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(Duration::seconds(61));
    let (status, _) = check(&app, "guess", "did:e:localhost:dids:0000000000000000000012").await;
    assert_eq!(status, StatusCode::OK, "a new minute");
}

#[tokio::test]
async fn the_verify_page_shows_the_public_key_to_everyone() {
    let app = spawn();
    let (status, html) = app.get_html(&browser(), "/receipts/verify").await;
    assert_eq!(status, StatusCode::OK);
    let key = app.core.receipts().public_key().to_base64url();
    assert_eq!(key.len(), 43, "32 bytes in base64url");
    assert!(html.contains(&key));
}
