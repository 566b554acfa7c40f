//! The two-step admin sign-in in a real browser (issue 8): password, then the TOTP code (a
//! wrong one first), screenshots at 1280 and 390 px without sideways scrolling.

use backbone_admin::clock::Clock;
use backbone_admin::domain::accounts::{TotpSecret, TotpStep};
use backbone_admin::facade::accounts::ChangeContext;

use crate::browser::{self, body_text, capture, click_text, fill};
use crate::common::admin_name;
use crate::common::app::{ADMIN, PASSWORD, spawn_app};
use crate::submit_sign_in;

fn code(secret: &TotpSecret, now: i64) -> String {
    secret.code_at_step(TotpStep(now.div_euclid(30)))
}

#[tokio::test]
async fn an_admin_with_a_second_factor_signs_in_in_two_steps() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let enrolment = app
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name(ADMIN))
        .expect("enrol");
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).expect("secret");
    let now = || app.clock.now().timestamp();
    app.core
        .second_factor()
        .confirm_totp_enrolment(
            &admin_name(ADMIN),
            &code(&secret, now()),
            &ChangeContext::default(),
        )
        .expect("confirm");
    app.clock.advance(chrono::Duration::seconds(30));

    let b = submit_sign_in(
        &app,
        "/admin/login",
        ADMIN,
        PASSWORD,
        "two-step-01-password",
    )
    .await;
    let url = b.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        "/admin/login/second-factor",
        "{}",
        body_text(&b).await
    );
    capture(&b, "two-step-02-code").await;

    // No admin page opens in between.
    b.goto(&app.url("/admin/identities")).await.expect("goto");
    assert_eq!(
        b.current_url().await.expect("url").path(),
        "/admin/login/second-factor"
    );

    let wrong = if code(&secret, now()) == "000000" {
        "111111"
    } else {
        "000000"
    };
    fill(&b, "#code", wrong).await;
    click_text(&b, "Sign in").await;
    let page = body_text(&b).await;
    assert!(page.contains("That code is not correct"), "{page}");
    capture(&b, "two-step-03-wrong-code").await;

    fill(&b, "#code", &code(&secret, now())).await;
    click_text(&b, "Sign in").await;
    assert_eq!(b.current_url().await.expect("url").path(), "/admin");
    capture(&b, "two-step-04-signed-in").await;
    b.close().await.expect("close");
}
