//! Done-when 4: disabling an account, changing its role, resetting its password and turning
//! off its second factor end its other live sessions; their next request lands on the
//! sign-in page. The session making a change to its own account goes on.

use backbone_admin::domain::accounts::Role;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::{
    STRONG, admin_browser, assert_signed_out, create_account, sign_in, still_signed_in, text_of,
    totp_code,
};

#[actix_web::test]
async fn disable_role_change_and_reset_end_the_accounts_sessions() {
    let app = spawn_app();
    create_account(&app, "target", Role::Support);
    let admin = admin_browser(&app).await;
    let target = browser();
    let path = "/admin/accounts/target";

    sign_in(&app, &target, "target", STRONG).await;
    assert_eq!(still_signed_in(&app, &target).await, Ok(()));
    app.post_form(&admin, "/admin/accounts", &format!("{path}/disable"), &[])
        .await;
    assert_signed_out(&app, &target, "disabled").await;
    app.post_form(&admin, "/admin/accounts", &format!("{path}/enable"), &[])
        .await;

    sign_in(&app, &target, "target", STRONG).await;
    assert_eq!(still_signed_in(&app, &target).await, Ok(()));
    app.post_form(
        &admin,
        "/admin/accounts",
        &format!("{path}/role"),
        &[("role", "auditor")],
    )
    .await;
    assert_signed_out(&app, &target, "role changed").await;

    sign_in(&app, &target, "target", STRONG).await;
    assert_eq!(still_signed_in(&app, &target).await, Ok(()));
    let reset = app
        .post_form(
            &admin,
            "/admin/accounts",
            &format!("{path}/reset-password"),
            &[],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_signed_out(&app, &target, "password reset").await;

    // The administrator making the changes was never signed out.
    assert_eq!(still_signed_in(&app, &admin).await, Ok(()));
}

#[actix_web::test]
async fn turning_off_the_second_factor_or_changing_the_password_ends_the_other_sessions() {
    let app = spawn_app();
    create_account(&app, "target", Role::Auditor);
    let here = browser();
    let elsewhere = browser();
    sign_in(&app, &here, "target", STRONG).await;
    sign_in(&app, &elsewhere, "target", STRONG).await;

    // Turn the second factor on (that ends nothing)…
    app.post_form(
        &here,
        "/admin/account/second-factor",
        "/admin/account/second-factor/enrolment",
        &[],
    )
    .await;
    let (_, html) = app.get_html(&here, "/admin/account/second-factor").await;
    let code = totp_code(&app, &text_of(&html, "#totp-secret").replace(' ', ""));
    let on = app
        .post_form(
            &here,
            "/admin/account/second-factor",
            "/admin/account/second-factor/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let recovery = texts(&on.text().await.unwrap(), "#recovery-codes li");
    assert_eq!(still_signed_in(&app, &elsewhere).await, Ok(()));

    // …then off: the other session ends, this one goes on.
    let off = app
        .post_form(
            &here,
            "/admin/account/second-factor/off",
            "/admin/account/second-factor/off",
            &[("password", STRONG), ("code", &recovery[0])],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_signed_out(&app, &elsewhere, "second factor turned off").await;
    assert_eq!(still_signed_in(&app, &here).await, Ok(()));

    // The same for the own password.
    sign_in(&app, &elsewhere, "target", STRONG).await;
    let new = "quarry lantern mosaic pelican";
    let changed = app
        .post_form(
            &here,
            "/admin/account/password",
            "/admin/account/password",
            &[("current", STRONG), ("new", new), ("repeat", new)],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_signed_out(&app, &elsewhere, "password changed").await;
    assert_eq!(still_signed_in(&app, &here).await, Ok(()));
}
