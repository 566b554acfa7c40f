//! The account pages in a real browser (issue 8): the account list (one line per account),
//! an account's page, the security events, and second-factor enrolment with its QR code, at
//! 1280 and 390 px, without sideways scrolling.

use backbone_admin::clock::Clock;
use backbone_admin::domain::accounts::{
    ClientNetwork, Role, SecurityEventKind, TotpSecret, TotpStep, UsernameKey,
};
use backbone_admin::facade::accounts::{ChangeContext, ClientInfo};
use fantoccini::{Client, Locator};

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
    assert_one_line_per_account(&b).await;
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

/// The tallest row of the accounts table at 1280 px holds one line of text.
async fn assert_one_line_per_account(b: &Client) {
    let heights = b
        .execute(
            "return [...document.querySelectorAll('#accounts tbody tr')].map((tr) => [tr.getBoundingClientRect().height, parseFloat(getComputedStyle(tr.cells[0]).lineHeight)]);",
            vec![],
        )
        .await
        .expect("measure rows");
    for pair in heights.as_array().expect("rows") {
        let (height, line) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
        assert!(
            height < 2.0 * line + 4.0,
            "a row wraps: {height} px, lines of {line} px"
        );
    }
}

/// Sign-in attempts and changes of `username` from several clients, as the log keeps them.
fn events_of(app: &crate::common::app::TestApp, username: &str) {
    let from = |network: &str, agent: &str| ClientInfo {
        network: Some(ClientNetwork::of(network.parse().expect("address"))),
        user_agent: Some(agent.to_owned()),
    };
    let events = [
        (
            SecurityEventKind::SignInFailed,
            from("2001:db8:41:7::12", "curl/8.5.0"),
            serde_json::json!({ "knownBrowser": false }),
        ),
        (
            SecurityEventKind::SignInThrottled,
            from(
                "203.0.113.9",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
            ),
            serde_json::json!({ "rule": "username_and_network", "waitSeconds": 30 }),
        ),
        (
            SecurityEventKind::SignInSucceeded,
            from(
                "198.51.100.23",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            ),
            serde_json::json!({ "knownBrowser": true }),
        ),
        (
            SecurityEventKind::SignInSucceeded,
            from(
                "192.0.2.44",
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            ),
            serde_json::json!({ "knownBrowser": false }),
        ),
    ];
    for (kind, client, details) in events {
        app.core
            .security_events()
            .record_security_event(kind, &UsernameKey::admin(username), &client, details)
            .expect("event");
    }
    // A change by an administrator: the log names who made it.
    app.core
        .accounts()
        .change_admin_role(
            &admin_name(ADMIN),
            &admin_name(username),
            Role::Auditor,
            &ChangeContext::default(),
        )
        .expect("role changed");
}

#[tokio::test]
async fn an_administrator_reads_an_account_and_the_security_events() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    app.core
        .accounts()
        .create_admin_with_role(
            &admin_name("sam.support"),
            Role::Support,
            "plinth gravel otter saxophone",
        )
        .expect("account");
    events_of(&app, "sam.support");
    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "account-00-sign-in").await;

    b.goto(&app.url("/admin/accounts")).await.expect("accounts");
    click(&b, "a[href='/admin/accounts/sam.support']").await;
    let page = body_text(&b).await;
    assert!(
        page.contains("Firefox 133 on Linux") && page.contains("Safari 18 on iOS"),
        "{page}"
    );
    capture(&b, "account-01-page").await;
    // The full user agent behind the disclosure, for keyboard and touch.
    b.find(Locator::Css("#sign-ins summary"))
        .await
        .expect("summary")
        .click()
        .await
        .expect("open");
    let full = b
        .find(Locator::Css("#sign-ins details .full"))
        .await
        .expect("full")
        .text()
        .await
        .expect("text");
    assert!(full.contains("Firefox/133.0"), "{full}");
    capture(&b, "account-02-user-agent-open").await;

    b.goto(&app.url("/admin/security-events"))
        .await
        .expect("events");
    let page = body_text(&b).await;
    assert!(
        page.contains("Edge 131 on Windows") && page.contains("waited 30 s"),
        "{page}"
    );
    capture(&b, "account-03-security-events").await;
    click(&b, "form.lang-switch button").await;
    capture(&b, "account-04-security-events-de").await;
    b.goto(&app.url("/admin/accounts/sam.support"))
        .await
        .expect("account");
    assert!(body_text(&b).await.contains("Letzte Anmeldungen"));
    capture(&b, "account-05-page-de").await;
    b.close().await.expect("close");
}
