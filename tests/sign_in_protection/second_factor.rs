//! Done-when 5 (sign-in side): the two-step sign-in with TOTP. Wrong, too old and reused
//! codes are refused, a recovery code works once, and after the password step alone no
//! admin page opens.

use chrono::Duration;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::helpers::*;

const STEP: &str = "/admin/login/second-factor";

/// Pages an admin session would open; in the pending state each sends to the code step.
const ADMIN_PAGES: [&str; 8] = [
    "/admin",
    "/admin/identities",
    "/admin/deletion-processes",
    "/admin/audit-logs",
    "/admin/account",
    "/admin/account/password",
    "/admin/account/second-factor",
    "/admin/accounts",
];

#[tokio::test]
async fn after_the_password_step_only_no_admin_page_opens() {
    let app = spawn_app();
    enrol(&app, ADMIN);
    let client = browser();
    let response = admin_password(&app, &client, ADMIN, PASSWORD, None).await;
    assert_eq!(location(&response), STEP);
    for page in ADMIN_PAGES {
        let response = app.get(&client, page).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
        assert_eq!(location(&response), STEP, "{page}");
    }
    let owner = app.create_owner("someone");
    let start = format!("/admin/identities/{}/deletion-processes", owner.address);
    let response = app.post_form(&client, STEP, &start, &[]).await;
    assert_eq!(location(&response), STEP, "nor does any action");
    assert!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .is_empty()
    );
    let (status, html) = app.get_html(&client, STEP).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Second step: your code"]);
    assert!(texts(&html, "nav a").is_empty(), "no admin navigation");

    // The step has 5 minutes; then the password is asked again.
    app.clock.advance(Duration::minutes(5));
    let response = app.get(&client, STEP).await;
    assert_eq!(location(&response), "/admin/login");
    let response = app.get(&client, "/admin").await;
    assert!(location(&response).starts_with("/admin/login"));
}

#[tokio::test]
async fn wrong_old_and_reused_codes_are_refused_and_a_fresh_one_signs_in() {
    let app = spawn_app();
    let (secret, _) = enrol(&app, ADMIN);
    // Two steps after the enrolment code, so the step before now is unused.
    app.clock.advance(Duration::seconds(30));
    let client = browser();
    admin_password(&app, &client, ADMIN, PASSWORD, None).await;
    let current = code_at(&secret, &app.clock, 0);
    let wrong = if current == "000000" {
        "111111"
    } else {
        "000000"
    };
    for refused in [
        wrong.to_owned(),
        code_at(&secret, &app.clock, -3),
        "12345".into(),
    ] {
        let response = admin_code(&app, &client, &refused).await;
        assert_eq!(location(&response), STEP, "{refused}");
        let (_, html) = app.get_html(&client, STEP).await;
        assert!(
            texts(&html, ".flash-error")[0].contains("That code is not correct"),
            "{html}"
        );
        assert!(!opens_admin(&app, &client).await);
    }
    // One step back is within the allowed skew.
    let response = admin_code(&app, &client, &code_at(&secret, &app.clock, -1)).await;
    assert_eq!(location(&response), "/admin");
    assert!(opens_admin(&app, &client).await);

    // The same code again, in another browser, within its window: refused (no replay); and
    // so is the older one, since a later step was used.
    let other = browser();
    admin_password(&app, &other, ADMIN, PASSWORD, None).await;
    for replayed in [
        code_at(&secret, &app.clock, -1),
        code_at(&secret, &app.clock, -1),
    ] {
        let response = admin_code(&app, &other, &replayed).await;
        assert_eq!(location(&response), STEP);
    }
    let response = admin_code(&app, &other, &code_at(&secret, &app.clock, 0)).await;
    assert_eq!(location(&response), "/admin");

    let kinds = event_kinds(&app, ADMIN);
    assert_eq!(
        kinds.iter().filter(|k| *k == "SecondFactorFailed").count(),
        5
    );
    assert_eq!(kinds.iter().filter(|k| *k == "SignInSucceeded").count(), 2);
}

#[tokio::test]
async fn a_recovery_code_works_exactly_once() {
    let app = spawn_app();
    let (_, codes) = enrol(&app, ADMIN);
    let code = codes[0].as_str().to_owned();
    let client = browser();
    admin_password(&app, &client, ADMIN, PASSWORD, None).await;
    let response = admin_code(&app, &client, &code).await;
    assert_eq!(location(&response), "/admin");
    let (status, html) = app.get_html(&client, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, ".flash-info")[0].contains("9 recovery codes remain"));

    let other = browser();
    admin_password(&app, &other, ADMIN, PASSWORD, None).await;
    let response = admin_code(&app, &other, &code).await;
    assert_eq!(location(&response), STEP, "spent");
    assert!(!opens_admin(&app, &other).await);
    let kinds = event_kinds(&app, ADMIN);
    assert_eq!(kinds.iter().filter(|k| *k == "RecoveryCodeUsed").count(), 1);
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = spawn_app();
    let (secret, _) = enrol(&app, ADMIN);
    let client = browser();
    admin_password(&app, &client, ADMIN, PASSWORD, None).await;
    for i in 0..5 {
        let response = admin_code(&app, &client, "000000").await;
        assert_eq!(location(&response), STEP, "code failure {i}");
    }
    let response = admin_code(&app, &client, &code_at(&secret, &app.clock, 0)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    assert!(!opens_admin(&app, &client).await);
}
