//! The admin web UI driven over HTTP against the real app and real PostgreSQL (issue 3).

mod common;

use backbone_admin::domain::identity::BASIC_TIER;
use backbone_admin::domain::{
    DeletionProcessId, Identity, IdentityAddress, IdentityStatus, ProcessStatus,
};
use chrono::{Duration, Utc};
use common::app::*;
use diesel::prelude::*;
use reqwest::StatusCode;

fn identity_path(address: &IdentityAddress) -> String {
    format!("/admin/identities/{address}")
}

fn process_path(address: &IdentityAddress, id: &DeletionProcessId) -> String {
    format!("/admin/identities/{address}/deletion-processes/{id}")
}

/// The value of the session cookie a response sets, if it sets one.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("backbone_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// A request from a fresh client that presents only the given session cookie.
async fn replay(app: &TestApp, cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/admin/identities"))
        .header("cookie", format!("backbone_session={cookie}"))
        .send()
        .await
        .unwrap()
}

/// A signed-in browser.
async fn admin_browser(app: &TestApp) -> reqwest::Client {
    let client = browser();
    app.sign_in_admin(&client).await;
    client
}

/// An owner with a process started by support and approved by the owner.
fn approved_process(app: &TestApp, username: &str) -> (TestOwner, DeletionProcessId) {
    let owner = app.create_owner(username);
    let process = app
        .facade
        .start_as_support(&owner.address, ADMIN)
        .expect("started");
    app.facade
        .approve(&owner.owner(), &process.id)
        .expect("approved");
    (owner, process.id)
}

#[tokio::test]
async fn signed_out_every_admin_page_redirects_to_sign_in() {
    let app = spawn_app();
    let (owner, id) = approved_process(&app, "alice");
    let client = browser();
    let identity = identity_path(&owner.address);
    let process = process_path(&owner.address, &id);
    let pages = [
        "/admin".to_owned(),
        "/admin/identities?q=ali".to_owned(),
        identity.clone(),
        format!("{identity}/deletion-processes/new"),
        process.clone(),
        format!("{process}/cancel"),
        "/admin/deletion-processes?status=Approved".to_owned(),
        format!("/admin/audit-logs?address={}", owner.address),
    ];
    for page in &pages {
        let response = app.get(&client, page).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
        let expected = format!(
            "/admin/login?{}",
            serde_urlencoded::to_string([("next", page)]).unwrap()
        );
        assert_eq!(location(&response), expected, "{page}");
    }
    for action in [
        format!("{identity}/deletion-processes"),
        format!("{process}/cancel"),
        "/admin/logout".into(),
    ] {
        let response = app.post_raw(&client, &action, &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
        assert_eq!(location(&response), "/admin/login", "{action}");
    }
    // The sign-in page itself is open.
    assert_eq!(
        app.get(&client, "/admin/login").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.facade.processes_of(&owner.address).unwrap().len(),
        1,
        "nothing changed"
    );
}

#[tokio::test]
async fn sign_in_goes_back_to_the_requested_page_but_only_a_local_one() {
    let app = spawn_app();
    let client = browser();
    let wanted = "/admin/identities?q=ali";
    let login = location(&app.get(&client, wanted).await);
    let response = app
        .post_form(
            &client,
            &login,
            "/admin/login",
            &[
                ("username", ADMIN),
                ("password", PASSWORD),
                ("next", wanted),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), wanted);
    let (status, html) = app.get_html(&client, wanted).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Identities"]);

    let other = browser();
    let response = app
        .post_form(
            &other,
            "/admin/login?next=https://evil.example",
            "/admin/login",
            &[
                ("username", ADMIN),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/admin");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_generic_message() {
    let app = spawn_app();
    let mut messages = Vec::new();
    for (username, password) in [(ADMIN, "wrong password!"), ("nobody-here", PASSWORD)] {
        let client = browser();
        let response = app
            .post_form(
                &client,
                "/admin/login",
                "/admin/login",
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let back = location(&response);
        assert!(back.starts_with("/admin/login"), "{back}");
        let (_, html) = app.get_html(&client, &back).await;
        messages.push(texts(&html, ".flash-error"));
        assert_eq!(
            app.get(&client, "/admin").await.status(),
            StatusCode::SEE_OTHER,
            "still signed out"
        );
    }
    assert_eq!(messages[0], ["Wrong username or password."]);
    assert_eq!(messages[0], messages[1]);
}

#[tokio::test]
async fn the_sixth_sign_in_attempt_within_a_minute_is_refused_with_429() {
    let app = spawn_app();
    let client = browser();
    let form = [("username", ADMIN), ("password", "not the password")];
    for attempt in 1..=5 {
        let response = app
            .post_form(&client, "/admin/login", "/admin/login", &form)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "attempt {attempt}"
        );
    }
    // Even the right password is refused now.
    let response = app
        .post_form(
            &client,
            "/admin/login",
            "/admin/login",
            &[("username", ADMIN), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "60");
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["Too many attempts"]);
    assert!(texts(&html, ".lead")[0].contains("try again later"));
    assert_eq!(
        app.get(&client, "/admin").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in"
    );
}

#[tokio::test]
async fn sign_in_renews_the_session_cookie_and_sign_out_makes_the_old_one_useless() {
    let app = spawn_app();
    let client = browser();
    let before = session_cookie(&app.get(&client, "/admin/login").await)
        .expect("login page starts a session");
    let signed_in = app.sign_in_admin(&client).await;
    let cookie_header = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned());
    let cookie_header: Vec<String> = cookie_header.collect();
    let after = session_cookie(&signed_in).expect("sign-in sets a new cookie");
    assert_ne!(before, after, "the session is renewed on sign-in");
    let attributes = cookie_header
        .iter()
        .find(|c| c.starts_with("backbone_session="))
        .unwrap();
    assert!(
        attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict"),
        "{attributes}"
    );

    // The cookie alone opens pages, from any client…
    assert_eq!(replay(&app, &after).await.status(), StatusCode::OK);

    let response = app.post_form(&client, "/admin", "/admin/logout", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/login?signed_out=1");
    let (_, html) = app.get_html(&client, "/admin/login?signed_out=1").await;
    assert!(texts(&html, ".flash-info")[0].contains("You have signed out."));

    // …but not once signed out: the stored session is gone.
    let replayed = replay(&app, &after).await;
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert!(location(&replayed).starts_with("/admin/login"));
    assert_eq!(
        app.get(&client, "/admin").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_or_from_another_site_are_refused() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("carol");
    let start = format!("{}/deletion-processes", identity_path(&owner.address));

    let missing = app.post_raw(&client, &start, &[]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let html = missing.text().await.unwrap();
    assert_eq!(texts(&html, ".status-code"), ["403"]);
    assert!(texts(&html, ".lead")[0].contains("did not come from this site"));
    let wrong = app
        .post_raw(
            &client,
            &start,
            &[("csrf_token", "forged-token-forged-token-forged-token-xx")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);

    // A valid token does not help a request another site sent.
    let (_, page) = app.get_html(&client, &identity_path(&owner.address)).await;
    let token = csrf_token_in(&page);
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = client
            .post(app.url(&start))
            .header(header, value)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{header}: {value}"
        );
    }
    // Sign-in and sign-out check the token too.
    assert_eq!(
        app.post_raw(
            &browser(),
            "/admin/login",
            &[("username", ADMIN), ("password", PASSWORD)]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_raw(&client, "/admin/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );

    assert!(
        app.facade.processes_of(&owner.address).unwrap().is_empty(),
        "nothing was started"
    );
    assert_eq!(
        app.get(&client, "/admin").await.status(),
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn support_starts_a_deletion_process_after_confirming() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("dave");
    let identity = identity_path(&owner.address);

    let (_, html) = app.get_html(&client, &identity).await;
    assert_eq!(texts(&html, "#devices tbody td:nth-child(2)"), ["dave"]);
    assert!(!html.contains("$argon2"), "no password hashes on the page");
    let confirm = format!("{identity}/deletion-processes/new");
    assert_eq!(texts(&html, "a#start-deletion"), ["Start deletion process"]);
    let (status, html) = app.get_html(&client, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, ".lead")[0].starts_with("The owner will be asked to approve within 7 days")
    );

    let response = app
        .post_form(
            &client,
            &confirm,
            &format!("{identity}/deletion-processes"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), identity);

    let process = app
        .facade
        .open_process(&owner.address)
        .unwrap()
        .expect("a process was started");
    assert_eq!(process.status, ProcessStatus::WaitingForApproval);
    assert_eq!(process.started_by_admin.as_deref(), Some(ADMIN));
    let (_, html) = app.get_html(&client, &identity).await;
    let flash = &texts(&html, ".flash-success")[0];
    assert!(
        flash.starts_with(&format!(
            "Deletion process {} started; waiting for the owner's approval until ",
            process.id
        )),
        "{flash}"
    );
    assert_eq!(texts(&html, "#processes .badge"), ["WaitingForApproval"]);
    assert!(
        texts(&html, "a#start-deletion").is_empty(),
        "no second start while one is open"
    );
    let ends = scraper::Html::parse_document(&html);
    let time = scraper::Selector::parse("#processes tbody td:nth-child(4) time").unwrap();
    let iso = ends
        .select(&time)
        .next()
        .expect("approval period end shown")
        .value()
        .attr("datetime")
        .unwrap();
    let approval_end = process.approval_period_ends_at.unwrap();
    assert_eq!(
        iso,
        approval_end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    assert!(texts(&html, "#processes tbody td:nth-child(4)")[0].contains("(in 7 days)"));

    // Reloading the page does not show the flash again.
    let (_, html) = app.get_html(&client, &identity).await;
    assert!(texts(&html, ".flash-success").is_empty());
}

#[tokio::test]
async fn starting_again_from_a_stale_tab_shows_the_conflict_and_keeps_one_process() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("erin");
    let identity = identity_path(&owner.address);
    let (_, stale_tab) = app
        .get_html(&client, &format!("{identity}/deletion-processes/new"))
        .await;
    let token = csrf_token_in(&stale_tab);
    let start = app.url(&format!("{identity}/deletion-processes"));
    for _ in 0..2 {
        let response = client
            .post(&start)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), identity);
    }
    let (_, html) = app.get_html(&client, &identity).await;
    assert_eq!(texts(&html, ".flash-success").len(), 1);
    assert_eq!(
        texts(&html, ".flash-error"),
        [
            "There is already an active IdentityDeletionProcess for this identity. Only one can be open at a time."
        ]
    );
    assert_eq!(app.facade.processes_of(&owner.address).unwrap().len(), 1);
    assert_eq!(texts(&html, "#processes tbody tr").len(), 1);
}

#[tokio::test]
async fn support_cancels_an_approved_process_and_the_identity_is_active_again() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let (owner, id) = approved_process(&app, "frank");
    assert_eq!(
        app.facade.identity(&owner.address).unwrap().status,
        IdentityStatus::ToBeDeleted
    );
    let process = process_path(&owner.address, &id);

    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, "a#cancel-deletion"),
        ["Cancel deletion process"]
    );
    let (status, confirm) = app.get_html(&client, &format!("{process}/cancel")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&confirm, ".lead")[0].contains("The identity will not be deleted"));

    let response = app
        .post_form(
            &client,
            &format!("{process}/cancel"),
            &format!("{process}/cancel"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), process);

    let (_, html) = app.get_html(&client, &process).await;
    assert!(
        texts(&html, ".flash-success")[0].starts_with(&format!("Deletion process {id} cancelled"))
    );
    assert_eq!(texts(&html, "h1 .badge"), ["Cancelled"]);
    assert!(texts(&html, "a#cancel-deletion").is_empty());
    let audit = texts(&html, "#audit tbody tr");
    let last = audit.last().expect("audit entries shown");
    assert!(
        last.contains("Support cancelled the deletion process."),
        "{last}"
    );
    assert!(last.contains("Approved → Cancelled"), "{last}");
    assert_eq!(audit.len(), 3, "started, approved, cancelled: {audit:?}");

    let identity = app.facade.identity(&owner.address).unwrap();
    assert_eq!(identity.status, IdentityStatus::Active);
    assert_eq!(identity.tier_id, BASIC_TIER);
    let cancelled = app.facade.process(&owner.address, &id).unwrap();
    assert_eq!(cancelled.status, ProcessStatus::Cancelled);
    assert_eq!(cancelled.cancelled_by_admin.as_deref(), Some(ADMIN));

    // The finished process is greyed on the identity page, and a new one may be started.
    let (_, html) = app.get_html(&client, &identity_path(&owner.address)).await;
    assert_eq!(texts(&html, "#processes tr.finished").len(), 1);
    assert_eq!(texts(&html, "a#start-deletion").len(), 1);
}

#[tokio::test]
async fn cancelling_a_waiting_process_shows_the_not_in_required_status_message() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("gina");
    let id = app
        .facade
        .start_as_support(&owner.address, ADMIN)
        .unwrap()
        .id;
    let process = process_path(&owner.address, &id);
    let (_, html) = app.get_html(&client, &process).await;
    assert!(
        texts(&html, "a#cancel-deletion").is_empty(),
        "no cancel button while waiting"
    );

    let response = app
        .post_form(&client, &process, &format!("{process}/cancel"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), process);
    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, ".flash-error"),
        ["The IdentityDeletionProcess must be in status Approved, but it is WaitingForApproval."]
    );
    assert_eq!(
        app.facade.process(&owner.address, &id).unwrap().status,
        ProcessStatus::WaitingForApproval
    );
}

#[tokio::test]
async fn search_finds_identities_by_username_or_address_prefix_and_status() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let alice = app.create_owner("alice.smith");
    let alicia = app.create_owner("alicia");
    let bob = app.create_owner("bob");
    app.facade.start_as_support(&alicia.address, ADMIN).unwrap();

    let (_, html) = app.get_html(&client, "/admin/identities?q=alic").await;
    let mut found = texts(&html, "#identities a.address");
    found.sort();
    let mut expected = vec![alice.address.to_string(), alicia.address.to_string()];
    expected.sort();
    assert_eq!(found, expected);
    let rows = texts(&html, "#identities tbody tr");
    let alicia_row = rows
        .iter()
        .find(|r| r.contains(alicia.address.as_str()))
        .unwrap();
    assert!(
        alicia_row.contains("WaitingForApproval") && alicia_row.contains("Active"),
        "{alicia_row}"
    );

    let prefix = &bob.address.as_str()[..bob.address.as_str().len() - 4];
    let (_, html) = app
        .get_html(&client, &format!("/admin/identities?q={prefix}"))
        .await;
    assert_eq!(
        texts(&html, "#identities a.address"),
        [bob.address.to_string()]
    );

    let (_, html) = app
        .get_html(&client, "/admin/identities?q=alic&status=ToBeDeleted")
        .await;
    assert!(texts(&html, "#identities a.address").is_empty());
    assert_eq!(texts(&html, "main p.muted"), ["No identity matches."]);

    let (status, html) = app.get_html(&client, "/admin/identities?status=Gone").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        texts(&html, ".lead")[0].contains("'Gone' is not one of Active, ToBeDeleted, Deleting")
    );
}

/// Inserts identities directly (creating them through the facade hashes passwords);
/// several share a creation time, so the keyset's tie-break is exercised.
fn insert_identities(app: &TestApp, count: usize) -> Vec<String> {
    let mut conn = app.db.connect();
    let base = Utc::now() - Duration::days(1);
    let rows: Vec<Identity> = (0..count)
        .map(|i| Identity {
            address: IdentityAddress::generate("localhost"),
            client_id: "bulk".into(),
            created_at: base + Duration::seconds((i / 7) as i64),
            status: IdentityStatus::Active,
            tier_id: BASIC_TIER.into(),
            tier_id_before_deletion: None,
            deletion_grace_period_ends_at: None,
            address_hash: vec![0; 32],
        })
        .collect();
    diesel::insert_into(backbone_admin::schema::identities::table)
        .values(&rows)
        .execute(&mut conn)
        .expect("identities inserted");
    rows.into_iter().map(|r| r.address.to_string()).collect()
}

#[tokio::test]
async fn pagination_walks_250_identities_with_no_row_missing_or_repeated() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let mut expected = insert_identities(&app, 250);
    let mut seen = Vec::new();
    let mut page = "/admin/identities".to_owned();
    let mut pages = 0;
    loop {
        let (status, html) = app.get_html(&client, &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let rows = texts(&html, "#identities a.address");
        assert!(rows.len() <= 50);
        seen.extend(rows);
        pages += 1;
        if pages == 1 {
            // A newer identity arriving meanwhile does not shift the following pages.
            app.create_owner("late-arrival");
        }
        let document = scraper::Html::parse_document(&html);
        let next = scraper::Selector::parse("a[rel=next]").unwrap();
        match document.select(&next).next() {
            Some(link) => page = link.value().attr("href").unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 250, "no row repeated");
    seen.sort();
    expected.sort();
    assert_eq!(seen, expected, "no row missing");
}

#[tokio::test]
async fn malformed_addresses_and_ids_are_400_and_unknown_ones_404() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let owner = app.create_owner("hank");
    let id = app
        .facade
        .start_as_support(&owner.address, ADMIN)
        .unwrap()
        .id;
    let unknown_address = IdentityAddress::generate("localhost");
    let unknown_id = DeletionProcessId::generate();

    let bad = [
        (
            "/admin/identities/not-an-address".to_owned(),
            "does not start with 'did:e:'",
        ),
        (
            "/admin/identities/did:e:localhost:dids:XYZ/deletion-processes/new".to_owned(),
            "22 lowercase hex",
        ),
        (
            format!(
                "{}/deletion-processes/IDP123",
                identity_path(&owner.address)
            ),
            "'IDP123' is not a valid ID",
        ),
        (
            format!(
                "{}/deletion-processes/nope/cancel",
                identity_path(&owner.address)
            ),
            "is not a valid ID",
        ),
        (
            "/admin/deletion-processes?after=garbage".to_owned(),
            "Invalid page",
        ),
    ];
    for (path, why) in bad {
        let (status, html) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(texts(&html, ".status-code"), ["400"]);
        assert!(texts(&html, ".lead")[0].contains(why), "{path}: {html}");
    }
    let missing = [
        identity_path(&unknown_address),
        format!("{}/deletion-processes/new", identity_path(&unknown_address)),
        process_path(&owner.address, &unknown_id),
        // A real process, but under another identity's address.
        process_path(&unknown_address, &id),
    ];
    for path in missing {
        let (status, html) = app.get_html(&client, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(texts(&html, "h1"), ["Not found"]);
    }
    // A POST to an unknown identity is a 404 too, and changes nothing.
    let response = app
        .post_form(
            &client,
            "/admin",
            &format!("{}/deletion-processes", identity_path(&unknown_address)),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn responses_carry_the_security_headers_and_large_bodies_get_413() {
    let app = spawn_app();
    let client = browser();
    for path in [
        "/admin/login",
        "/admin",
        "/admin/identities/bad",
        "/no-such-page",
        "/static/app.css",
    ] {
        let response = app.get(&client, path).await;
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .expect(path)
            .to_str()
            .unwrap();
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    let (_, html) = app.get_html(&client, "/admin/login").await;
    let token = csrf_token_in(&html);
    let big = "x".repeat(64 * 1024);
    let response = client
        .post(app.url("/admin/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", ADMIN),
            ("password", big.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        texts(&response.text().await.unwrap(), ".status-code"),
        ["413"]
    );
}

#[tokio::test]
async fn audit_log_is_found_by_address_after_the_identity_is_deleted() {
    let app = spawn_app();
    let (owner, _) = approved_process(&app, "ivan");
    app.clock.advance(Duration::days(15));
    let report = app.facade.run_jobs().unwrap();
    assert_eq!(report.identities_deleted, 1, "{report}");

    // Signed in after the clock moved, so the session is fresh.
    let client = admin_browser(&app).await;
    assert_eq!(
        app.get(&client, &identity_path(&owner.address))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (status, html) = app
        .get_html(
            &client,
            &format!("/admin/audit-logs?address={}", owner.address),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let sentences = texts(&html, "#audit .sentence");
    for expected in [
        "Support started the deletion process; the owner was asked to approve it.",
        "The owner approved the deletion process; the grace period began.",
        "The grace period ended; deletion of the identity started.",
        "All data of the identity was deleted.",
    ] {
        assert!(
            sentences.iter().any(|s| s == expected),
            "{expected} in {sentences:?}"
        );
    }
    assert!(
        texts(&html, "#audit .status-change")
            .iter()
            .any(|s| s == "WaitingForApproval → Approved")
    );
    assert!(
        !html.contains(owner.username.as_str()),
        "no personal data in the log"
    );

    let (status, html) = app
        .get_html(&client, "/admin/audit-logs?address=did:e:nope")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(texts(&html, ".flash-error")[0].contains("has no ':dids:' part"));
    let (status, html) = app.get_html(&client, "/admin/audit-logs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, "#audit").is_empty(), "nothing looked up yet");
}

#[tokio::test]
async fn dashboard_and_process_list_show_what_needs_attention() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let waiting = app.create_owner("judy");
    app.facade
        .start_as_support(&waiting.address, ADMIN)
        .unwrap();
    let (approved, _) = approved_process(&app, "karl");

    let (status, html) = app.get_html(&client, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    let counts = texts(&html, "#process-counts .stat");
    assert!(
        counts.contains(&"1 WaitingForApproval".to_owned()),
        "{counts:?}"
    );
    assert!(
        counts.contains(&"1 Approved".to_owned()) && counts.contains(&"0 Cancelled".to_owned())
    );
    let identities = texts(&html, "#identity-counts .stat");
    assert!(
        identities.contains(&"1 Active".to_owned())
            && identities.contains(&"1 ToBeDeleted".to_owned())
    );
    assert!(texts(&html, "#waiting tbody")[0].contains(waiting.address.as_str()));
    let upcoming = &texts(&html, "#upcoming tbody")[0];
    assert!(
        upcoming.contains(approved.address.as_str()) && upcoming.contains("(in 14 days)"),
        "{upcoming}"
    );
    assert!(!texts(&html, "#recent tbody tr").is_empty());

    let (_, html) = app
        .get_html(&client, "/admin/deletion-processes?status=Approved")
        .await;
    let rows = texts(&html, "#processes tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains(approved.address.as_str()));
    let (_, html) = app.get_html(&client, "/admin/deletion-processes").await;
    assert_eq!(texts(&html, "#processes tbody tr").len(), 2);
    let (status, _) = app
        .get_html(&client, "/admin/deletion-processes?status=approved")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn with_the_database_stopped_pages_answer_503_and_recover_without_restart() {
    let Some(server) = common::dedicated_server() else {
        return;
    };
    let (base, _facade, _clock) = serve(server.pool(4), test_options());
    let client = browser();
    let url = |path: &str| format!("{base}{path}");
    let (_, html) = {
        let response = client.get(url("/admin/login")).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    };
    let token = csrf_token_in(&html);
    let signed_in = client
        .post(url("/admin/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", ADMIN),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        client
            .get(url("/admin/identities"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    server.stop();
    for path in ["/admin/identities", "/admin"] {
        let response = client.get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, "h1"), ["Temporarily unavailable"], "{path}");
    }
    assert_eq!(
        client.get(url("/readyz")).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );

    server.start();
    assert_eq!(
        client.get(url("/readyz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let response = client.get(url("/admin/identities")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the session survived and the page works again"
    );
}
