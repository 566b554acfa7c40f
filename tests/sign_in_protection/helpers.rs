//! Helpers shared by the sign-in protection tests.

use backbone_admin::clock::ManualClock;
use backbone_admin::domain::accounts::{RecoveryCode, TotpSecret, TotpStep, TrustedProxies};
use backbone_admin::facade::accounts::ChangeContext;
use backbone_admin::web::WebOptions;
use reqwest::{Client, Response};

use crate::common::admin_name;
use crate::common::app::*;

/// The app behind a trusted proxy: the tests' own address (every request comes from
/// 127.0.0.1), so `X-Forwarded-For` names the client.
pub(crate) fn behind_proxy() -> WebOptions {
    WebOptions {
        trusted_proxies: TrustedProxies::parse("127.0.0.1/32").unwrap(),
        ..test_options()
    }
}

/// POSTs a sign-in form (with the CSRF token of the form page), optionally through a proxy
/// that names the client in `X-Forwarded-For`.
pub(crate) async fn post_sign_in(
    app: &TestApp,
    client: &Client,
    form_page: &str,
    fields: &[(&str, &str)],
    forwarded_for: Option<&str>,
) -> Response {
    post_sign_in_at(&app.address, client, form_page, fields, forwarded_for).await
}

/// [`post_sign_in`] to the instance at `base`.
pub(crate) async fn post_sign_in_at(
    base: &str,
    client: &Client,
    form_page: &str,
    fields: &[(&str, &str)],
    forwarded_for: Option<&str>,
) -> Response {
    let proxy: Vec<(&str, &str)> = forwarded_for
        .map(|xff| ("x-forwarded-for", xff))
        .into_iter()
        .collect();
    let action = form_page_action(form_page);
    post_form_with_headers_at(client, base, form_page, action, fields, &proxy).await
}

fn form_page_action(form_page: &str) -> &str {
    form_page.split('?').next().unwrap_or(form_page)
}

/// The admin password step as `username` from `forwarded_for` (or the peer).
pub(crate) async fn admin_password(
    app: &TestApp,
    client: &Client,
    username: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> Response {
    let fields = [("username", username), ("password", password)];
    post_sign_in(app, client, "/admin/login", &fields, forwarded_for).await
}

/// The code step.
pub(crate) async fn admin_code(app: &TestApp, client: &Client, code: &str) -> Response {
    post_sign_in(
        app,
        client,
        "/admin/login/second-factor",
        &[("code", code)],
        None,
    )
    .await
}

/// The code of the step `steps` from now on the app's clock.
pub(crate) fn code_at(secret: &TotpSecret, clock: &ManualClock, steps: i64) -> String {
    let step = clock_now(clock).timestamp().div_euclid(30) + steps;
    secret.code_at_step(TotpStep(step))
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<chrono::Utc> {
    use backbone_admin::clock::Clock;
    clock.now()
}

/// Turns on the second factor of `username` (through the facade); its secret and recovery
/// codes. The clock then moves on one step, so the enrolment code is in the past.
pub(crate) fn enrol(app: &TestApp, username: &str) -> (TotpSecret, Vec<RecoveryCode>) {
    let enrolment = app
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name(username))
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    let codes = app
        .core
        .second_factor()
        .confirm_totp_enrolment(
            &admin_name(username),
            &code_at(&secret, &app.clock, 0),
            &ChangeContext::default(),
        )
        .unwrap();
    app.clock.advance(chrono::Duration::seconds(30));
    (secret, codes)
}

/// Whether the browser's session opens the dashboard.
pub(crate) async fn opens_admin(app: &TestApp, client: &Client) -> bool {
    app.get(client, "/admin").await.status() == reqwest::StatusCode::OK
}

/// The kinds of the security events of an account, oldest first.
pub(crate) fn event_kinds(app: &TestApp, account: &str) -> Vec<String> {
    use backbone_admin::schema::security_events::dsl as e;
    use diesel::prelude::*;
    let mut conn = app.db.connect();
    e::security_events
        .filter(e::account.eq(account))
        .order(e::id)
        .select(e::kind)
        .load(&mut conn)
        .unwrap()
}
