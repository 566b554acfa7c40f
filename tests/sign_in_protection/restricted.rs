//! Restricted sessions: with `ADMIN_2FA=required` an account without a second factor opens
//! nothing but enrolment; a new or reset account opens nothing but the password page.

use backbone_admin::config::SecondFactorPolicy;
use backbone_admin::domain::accounts::Role;
use backbone_admin::facade::accounts::ChangeContext;
use backbone_admin::web::WebOptions;
use reqwest::StatusCode;

use crate::common::admin_name;
use crate::common::app::*;
use crate::helpers::*;

const ENROL: &str = "/admin/account/second-factor";
const PASSWORD_PAGE: &str = "/admin/account/password";

fn required() -> WebOptions {
    WebOptions {
        second_factor: SecondFactorPolicy::Required,
        ..test_options()
    }
}

#[tokio::test]
async fn with_admin_2fa_required_an_account_without_it_can_open_only_enrolment() {
    let app = spawn_app_with(required());
    let client = browser();
    let response = admin_password(&app, &client, ADMIN, PASSWORD, None).await;
    assert_eq!(location(&response), ENROL, "straight to enrolment");
    for page in [
        "/admin",
        "/admin/identities",
        "/admin/deletion-processes",
        "/admin/audit-logs",
        "/admin/account",
        "/admin/accounts",
        "/admin/security-events",
        PASSWORD_PAGE,
    ] {
        let response = app.get(&client, page).await;
        assert_eq!(location(&response), ENROL, "{page}");
    }
    let (status, html) = app.get_html(&client, ENROL).await;
    assert_eq!(status, StatusCode::OK, "the enrolment page opens");
    // Nothing else opens yet: the header offers only signing out (and the language).
    assert!(
        texts(&html, "nav a").is_empty(),
        "{:?}",
        texts(&html, "nav a")
    );
    assert_eq!(texts(&html, "nav button"), [format!("Sign out {ADMIN}")]);
    // Once enrolled, everything opens in the same session.
    enrol(&app, ADMIN);
    assert!(opens_admin(&app, &client).await);
    // Sign-out works from a restricted session too.
    let other = browser();
    admin_password(&app, &other, ADMIN, PASSWORD, None).await;
    let response = app
        .post_form(&other, "/admin/login", "/admin/logout", &[])
        .await;
    assert_eq!(location(&response), "/admin/login?signed_out=1");
}

#[tokio::test]
async fn a_new_account_must_choose_its_password_before_anything_else() {
    let app = spawn_app_with(required());
    enrol(&app, ADMIN);
    let created = app
        .core
        .accounts()
        .create_admin_account(
            &admin_name(ADMIN),
            &admin_name("newcomer"),
            Role::Support,
            &ChangeContext::default(),
        )
        .unwrap();
    let client = browser();
    let response =
        admin_password(&app, &client, "newcomer", &created.one_time_password, None).await;
    assert_eq!(location(&response), PASSWORD_PAGE);
    let (status, _) = app.get_html(&client, PASSWORD_PAGE).await;
    assert_eq!(status, StatusCode::OK, "the password page opens");
    // The password first, even before enrolment.
    for page in ["/admin", "/admin/identities", "/admin/account", ENROL] {
        let response = app.get(&client, page).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
        assert_eq!(location(&response), PASSWORD_PAGE, "{page}");
    }
    app.core
        .accounts()
        .change_own_password(
            &admin_name("newcomer"),
            &created.one_time_password,
            "a long passphrase nobody guesses 42",
            &ChangeContext::default(),
        )
        .unwrap();
    // Then enrolment (ADMIN_2FA=required) — the session that changed it is another one,
    // so this one was ended with the password change.
    let client = browser();
    let response = admin_password(
        &app,
        &client,
        "newcomer",
        "a long passphrase nobody guesses 42",
        None,
    )
    .await;
    assert_eq!(location(&response), ENROL);
    assert_eq!(location(&app.get(&client, "/admin").await), ENROL);
    assert_eq!(location(&app.get(&client, PASSWORD_PAGE).await), ENROL);
}
