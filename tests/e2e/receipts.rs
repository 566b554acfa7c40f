//! An owner who asked for the deletion keeps a receipt; someone else checks it in their own
//! browser with the code and the address. Screenshots at 1280 and 390 px.

use crate::browser::{self, body_text, capture, click_text, fill};
use crate::common::app::spawn_app;
use crate::owner_signs_in;
use backbone_admin::domain::GraceLength;
use fantoccini::Locator;

#[tokio::test]
async fn an_owner_keeps_a_receipt_and_anyone_can_check_it() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let owner = app.create_owner("receipt-keeper");
    app.core
        .processes()
        .initiate(&owner.owner(), GraceLength::from_days(14))
        .expect("initiated");
    let b = owner_signs_in(&app, &owner, "receipt-01-sign-in").await;
    click_text(&b, "Deletion receipt").await;
    let page = body_text(&b).await;
    assert!(page.contains(owner.address.as_str()), "{page}");
    capture(&b, "receipt-02-receipt").await;
    let code = b
        .find(Locator::Css(".receipt-code code"))
        .await
        .expect("code")
        .text()
        .await
        .expect("text");
    b.close().await.expect("close");

    let checker = browser::open(browser::DESKTOP).await;
    checker
        .goto(&app.url("/receipts/verify"))
        .await
        .expect("verify page");
    capture(&checker, "receipt-03-verify-form").await;
    fill(&checker, "#code", &code).await;
    fill(&checker, "#address", owner.address.as_str()).await;
    click_text(&checker, "Check the receipt").await;
    let page = body_text(&checker).await;
    assert!(page.contains("This receipt is genuine"), "{page}");
    capture(&checker, "receipt-04-genuine").await;
    fill(
        &checker,
        "#address",
        "did:e:localhost:dids:0000000000000000000000",
    )
    .await;
    click_text(&checker, "Check the receipt").await;
    let page = body_text(&checker).await;
    assert!(page.contains("cannot be confirmed"), "{page}");
    capture(&checker, "receipt-05-not-confirmed").await;
    checker.close().await.expect("close");
}
