//! Done-when 10: the security-event page shows each kind after its action, never a
//! password, code, token or an owner's clear-text username; it filters and paginates.

use std::collections::HashSet;

use backbone_admin::domain::accounts::{ClientNetwork, Role, SecurityEventKind, UsernameKey};
use backbone_admin::facade::accounts::ClientInfo;
use backbone_admin::pseudonyms::audit_hash;
use reqwest::{Client, StatusCode};

use crate::common::app::*;
use crate::{STRONG, admin_browser, create_account, text_of, totp_code};

/// Every row of the event list, following "Next page" to the end.
async fn all_rows(app: &TestApp, client: &Client, first: &str) -> (Vec<String>, Vec<String>) {
    let (mut rows, mut pages) = (Vec::new(), Vec::new());
    let mut next = Some(first.to_owned());
    while let Some(url) = next {
        let (status, html) = app.get_html(client, &url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        rows.extend(texts(&html, "#events tbody tr"));
        next = next_page_link(&html);
        pages.push(html);
        assert!(pages.len() < 50, "pagination ends");
    }
    (rows, pages)
}

fn kinds_in(html: &str) -> HashSet<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("#events tbody tr").unwrap();
    document
        .select(&selector)
        .filter_map(|tr| tr.value().attr("data-kind").map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn account_changes_appear_with_no_secrets_and_owners_only_hashed() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let mut secrets: Vec<String> = vec![PASSWORD.to_owned(), STRONG.to_owned()];

    // Created, one-time password changed, role changed, disabled, enabled, reset.
    let created = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts",
            &[("username", "eve"), ("role", "auditor")],
        )
        .await;
    let one_time = text_of(&created.text().await.unwrap(), "#one-time-password");
    secrets.push(one_time.clone());
    let eve = browser();
    crate::sign_in(&app, &eve, "eve", &one_time).await;
    app.post_form(
        &eve,
        "/admin/account/password",
        "/admin/account/password",
        &[("current", &one_time), ("new", STRONG), ("repeat", STRONG)],
    )
    .await;
    app.post_form(
        &admin,
        "/admin/accounts",
        "/admin/accounts/eve/role",
        &[("role", "support")],
    )
    .await;
    app.post_form(
        &admin,
        "/admin/accounts",
        "/admin/accounts/eve/disable",
        &[],
    )
    .await;
    app.post_form(&admin, "/admin/accounts", "/admin/accounts/eve/enable", &[])
        .await;
    let reset = app
        .post_form(
            &admin,
            "/admin/accounts",
            "/admin/accounts/eve/reset-password",
            &[],
        )
        .await;
    secrets.push(text_of(&reset.text().await.unwrap(), "#one-time-password"));

    // Second factor on (recovery codes shown) and off again.
    app.post_form(
        &admin,
        "/admin/account/second-factor",
        "/admin/account/second-factor/enrolment",
        &[],
    )
    .await;
    let (_, html) = app.get_html(&admin, "/admin/account/second-factor").await;
    let key = text_of(&html, "#totp-secret").replace(' ', "");
    let code = totp_code(&app, &key);
    let on = app
        .post_form(
            &admin,
            "/admin/account/second-factor",
            "/admin/account/second-factor/confirm",
            &[("code", &code)],
        )
        .await;
    let recovery = texts(&on.text().await.unwrap(), "#recovery-codes li");
    secrets.extend(recovery.clone());
    secrets.push(key);
    let off = app
        .post_form(
            &admin,
            "/admin/account/second-factor/off",
            "/admin/account/second-factor/off",
            &[("password", PASSWORD), ("code", &recovery[0])],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);

    // An owner's event (the sign-in stream records these): by hash only.
    let owner = app.create_owner("owner-clear-name");
    app.core
        .security_events()
        .record_security_event(
            SecurityEventKind::SignInFailed,
            &UsernameKey::owner_from_hash(&audit_hash(&owner.username)),
            &ClientInfo::default(),
            serde_json::json!({}),
        )
        .unwrap();
    secrets.push(owner.username.clone());
    secrets.push(owner.password.clone());

    let (rows, pages) = all_rows(&app, &admin, "/admin/security-events").await;
    let html = pages.join("\n");
    let kinds = kinds_in(&html);
    for kind in [
        SecurityEventKind::AccountCreated,
        SecurityEventKind::PasswordChanged,
        SecurityEventKind::RoleChanged,
        SecurityEventKind::AccountDisabled,
        SecurityEventKind::AccountEnabled,
        SecurityEventKind::PasswordReset,
        SecurityEventKind::SessionsEnded,
        SecurityEventKind::SecondFactorEnrolled,
        SecurityEventKind::SecondFactorTurnedOff,
        SecurityEventKind::SignInFailed,
    ] {
        assert!(kinds.contains(kind.as_str()), "{kind} missing: {kinds:?}");
    }
    for secret in &secrets {
        assert!(
            !html.contains(secret.as_str()),
            "the page shows a secret: {secret}"
        );
    }
    assert!(!html.contains(&code), "no TOTP code");
    // Readable dates.
    assert!(rows.iter().all(|row| row.contains("UTC")), "{rows:?}");
    assert!(
        rows.iter()
            .any(|row| row.contains("Role changed") && row.contains("from auditor to support")),
        "{rows:?}"
    );

    // Filter by account: an admin, and an owner by the typed username (hashed).
    let (eve_rows, _) = all_rows(
        &app,
        &admin,
        "/admin/security-events?realm=admin&account=eve",
    )
    .await;
    assert!(eve_rows.len() >= 6, "{eve_rows:?}");
    assert!(
        eve_rows.iter().all(|row| row.contains("eve")),
        "{eve_rows:?}"
    );
    let (owner_rows, pages) = all_rows(
        &app,
        &admin,
        "/admin/security-events?realm=owner&account=owner-clear-name",
    )
    .await;
    assert_eq!(owner_rows.len(), 1, "{owner_rows:?}");
    assert!(owner_rows[0].contains("owner"));
    // The typed filter value is echoed in the form only, never in the table.
    assert!(
        !texts(&pages[0], "#events")
            .join(" ")
            .contains("owner-clear-name")
    );
    // Filter by kind.
    let (disabled, _) = all_rows(&app, &admin, "/admin/security-events?kind=AccountDisabled").await;
    assert_eq!(disabled.len(), 1, "{disabled:?}");
    let (status, _) = app
        .get_html(&admin, "/admin/security-events?kind=NoSuchKind")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn the_page_paginates_with_nothing_missing_or_repeated() {
    let app = spawn_app();
    create_account(&app, "auditor", Role::Auditor);
    let total = 120;
    for n in 0..total {
        app.core
            .security_events()
            .record_security_event(
                SecurityEventKind::SignInFailed,
                &UsernameKey::admin("someone"),
                &ClientInfo::default(),
                serde_json::json!({ "n": n }),
            )
            .unwrap();
        // Some share an instant, so the cursor's tie-break on the ID is exercised.
        if n % 3 == 0 {
            app.clock.advance(chrono::Duration::seconds(1));
        }
    }
    let auditor = browser();
    crate::sign_in(&app, &auditor, "auditor", STRONG).await;
    let (rows, pages) = all_rows(
        &app,
        &auditor,
        "/admin/security-events?kind=SignInFailed&realm=admin&account=someone",
    )
    .await;
    assert_eq!(pages.len(), 3, "50 + 50 + 20");
    let numbers: Vec<String> = rows
        .iter()
        .map(|row| row.rsplit("n: ").next().unwrap().to_owned())
        .collect();
    let unique: HashSet<&String> = numbers.iter().collect();
    assert_eq!(numbers.len(), total, "{numbers:?}");
    assert_eq!(unique.len(), total, "nothing repeated");
    // Newest first, and the filter survives paging.
    assert_eq!(numbers[0], (total - 1).to_string());
    assert!(pages[1].contains("First page"));
    assert!(texts(&pages[2], "nav.pager a[rel=next]").is_empty());
}

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// Records an event of the admin `eve` from `user_agent` (none: no client known).
fn eve_event(
    app: &TestApp,
    kind: SecurityEventKind,
    user_agent: Option<&str>,
    details: serde_json::Value,
) {
    let client = ClientInfo {
        network: user_agent.map(|_| ClientNetwork::of("192.0.2.7".parse().unwrap())),
        user_agent: user_agent.map(str::to_owned),
    };
    app.core
        .security_events()
        .record_security_event(kind, &UsernameKey::admin("eve"), &client, details)
        .unwrap();
}

/// The texts of `css` inside the rows of events of `kind`.
fn in_rows(html: &str, kind: &str, css: &str) -> Vec<String> {
    texts(html, &format!("#events tr[data-kind={kind}] {css}"))
}

#[actix_web::test]
async fn browsers_and_details_are_said_in_words() {
    let app = spawn_app();
    eve_event(
        &app,
        SecurityEventKind::SignInFailed,
        Some(CHROME),
        serde_json::json!({ "knownBrowser": false }),
    );
    eve_event(
        &app,
        SecurityEventKind::SignInThrottled,
        Some(FIREFOX),
        serde_json::json!({ "rule": "network", "waitSeconds": 30 }),
    );
    eve_event(
        &app,
        SecurityEventKind::RoleChanged,
        None,
        serde_json::json!({ "from": "support", "to": "administrator" }),
    );
    eve_event(
        &app,
        SecurityEventKind::ApiKeyRefused,
        None,
        serde_json::json!({ "reason": "revoked key", "key": "bba_abc123", "name": "nightly" }),
    );
    let admin = admin_browser(&app).await;
    let (status, html) = app
        .get_html(&admin, "/admin/security-events?realm=admin&account=eve")
        .await;
    assert_eq!(status, StatusCode::OK);

    // The browser and system; the full string on hover and behind the disclosure.
    assert_eq!(
        in_rows(&html, "SignInFailed", "summary"),
        ["Chrome 131 on Windows"]
    );
    assert_eq!(
        crate::attrs(&html, "#events tr[data-kind=SignInFailed] summary", "title"),
        [CHROME]
    );
    assert_eq!(in_rows(&html, "SignInFailed", "details .full"), [CHROME]);
    assert_eq!(
        in_rows(&html, "SignInThrottled", "summary"),
        ["Firefox 133 on Linux"]
    );
    // Networks and names never break inside (a class that keeps them on one line).
    let network = "#events tr[data-kind=SignInFailed] td[data-label=Network]";
    assert_eq!(texts(&html, network), ["192.0.2.7/32"]);
    assert_eq!(crate::attrs(&html, network, "class"), ["mono id"]);

    // Details as phrases, never the stored keys.
    assert_eq!(
        in_rows(&html, "SignInFailed", "ul.phrases li"),
        ["browser not seen before"]
    );
    assert_eq!(
        in_rows(&html, "SignInThrottled", "ul.phrases li"),
        ["too many failures from this network", "waited 30 s"]
    );
    assert_eq!(
        in_rows(&html, "RoleChanged", "ul.phrases li"),
        ["from support to administrator"]
    );
    assert_eq!(
        in_rows(&html, "ApiKeyRefused", "ul.phrases li"),
        ["key bba_abc123…", "name “nightly”", "revoked key"]
    );
    for stored in ["knownBrowser", "waitSeconds", "rule:", "from:"] {
        assert!(!html.contains(stored), "{stored} shown as stored");
    }
    // No label without a value: an event without a client or actor labels no such cell.
    let labels = crate::attrs(
        &html,
        "#events tr[data-kind=ApiKeyRefused] td",
        "data-label",
    );
    assert_eq!(labels, ["When", "What", "Account", "Details"]);

    // In German.
    choose_language(&app, &admin, "/admin/security-events", "de").await;
    let (_, html) = app
        .get_html(&admin, "/admin/security-events?realm=admin&account=eve")
        .await;
    assert_eq!(
        in_rows(&html, "SignInThrottled", "summary"),
        ["Firefox 133 unter Linux"]
    );
    assert_eq!(
        in_rows(&html, "SignInThrottled", "ul.phrases li"),
        [
            "zu viele Fehlversuche aus diesem Netzwerk",
            "Wartezeit 30 s"
        ]
    );
    assert_eq!(
        in_rows(&html, "SignInFailed", "ul.phrases li"),
        ["bisher unbekannter Browser"]
    );
    assert_eq!(
        in_rows(&html, "RoleChanged", "ul.phrases li"),
        ["von Support auf Administrator"]
    );
}
