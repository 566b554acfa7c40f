//! The account pages in a real browser (issue 8): the account list and second-factor
//! enrolment with its QR code, at 1280 and 390 px, without sideways scrolling.

use backbone_admin::clock::Clock;
use backbone_admin::domain::accounts::{Role, TotpSecret, TotpStep};

use crate::browser::{self, body_text, capture, click, click_text, fill};
use crate::common::admin_name;
use crate::common::app::{ADMIN, PASSWORD, spawn_app};
use crate::submit_sign_in;

#[tokio::test]
async fn an_administrator_sees_the_accounts_and_turns_on_the_second_factor() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    for (name, role) in [
        ("audrey.auditor", Role::Auditor),
        ("sam.support", Role::Support),
    ] {
        app.core
            .accounts()
            .create_admin_with_role(&admin_name(name), role, "plinth gravel otter saxophone")
            .expect("account");
    }
    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "accounts-00-sign-in").await;
    b.goto(&app.url("/admin/accounts")).await.expect("accounts");
    let page = body_text(&b).await;
    assert!(
        page.contains("audrey.auditor") && page.contains("sam.support"),
        "{page}"
    );
    capture(&b, "accounts-01-list").await;

    b.goto(&app.url("/admin/accounts/sam.support/disable"))
        .await
        .expect("confirm");
    capture(&b, "accounts-02-confirm-disable").await;

    b.goto(&app.url("/admin/account/second-factor"))
        .await
        .expect("second factor");
    click_text(&b, "Turn on the second factor").await;
    // The inline SVG renders under the page's CSP, and shrinks on a narrow screen.
    let width = b
        .execute(
            "return document.querySelector('#qr svg').getBoundingClientRect().width;",
            vec![],
        )
        .await
        .expect("measure");
    assert!(
        width.as_f64().unwrap_or(0.0) >= 150.0,
        "QR code width {width}"
    );
    capture(&b, "accounts-03-enrolment").await;

    let key = b
        .find(fantoccini::Locator::Css("#totp-secret"))
        .await
        .expect("key")
        .text()
        .await
        .expect("key text");
    let secret = TotpSecret::from_base32(&key.replace(' ', "")).expect("base32");
    let code = secret.code_at_step(TotpStep(app.clock.now().timestamp() / 30));
    fill(&b, "#code", &code).await;
    click(&b, "form[action$='/confirm'] button").await;
    let page = body_text(&b).await;
    assert!(page.contains("Recovery codes"), "{page}");
    capture(&b, "accounts-04-recovery-codes").await;
    b.close().await.expect("close");
}
