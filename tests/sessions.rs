//! Sessions (issues 8 and 10): nothing stored for anonymous visitors, a row per signed-in
//! session that ends with its timeouts and its principal, one pool checkout per page,
//! and recovery from dead connections without testing each checkout.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration as StdDuration;

use crate::common::{admin_name, device_name};
use backbone_admin::db::{PgManager, pool_builder};
use backbone_admin::domain::GraceLength;
use backbone_admin::facade::sessions::{Principal, Resumed};
use chrono::Duration;
use common::app::*;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use reqwest::StatusCode;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows in every table of the database, together.
fn rows_everywhere(conn: &mut PgConnection) -> i64 {
    diesel::sql_query(
        "SELECT COALESCE(sum((xpath('/row/n/text()', query_to_xml(
             format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name),
             false, true, '')))[1]::text::bigint), 0)::bigint AS n
         FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .get_result::<Count>(conn)
    .expect("count rows")
    .n
}

fn session_rows(conn: &mut PgConnection) -> i64 {
    diesel::sql_query("SELECT count(*) AS n FROM web_sessions")
        .get_result::<Count>(conn)
        .expect("count sessions")
        .n
}

/// `last_seen_at` of the only session, as microseconds since the epoch.
fn last_seen(conn: &mut PgConnection) -> i64 {
    diesel::sql_query(
        "SELECT (extract(epoch FROM last_seen_at) * 1000000)::bigint AS n FROM web_sessions",
    )
    .get_result::<Count>(conn)
    .expect("one session")
    .n
}

#[tokio::test]
async fn anonymous_visits_write_nothing_and_sign_in_through_them_still_checks_csrf() {
    let app = spawn_app();
    let owner = app.create_owner("anon-visits");
    let mut db = app.db.connect();
    let before = rows_everywhere(&mut db);

    for page in ["/login", "/admin/login"] {
        for _ in 0..10 {
            let fifty: Vec<_> = (0..50)
                .map(|_| {
                    let url = app.url(page);
                    tokio::spawn(async move { browser().get(url).send().await.expect("GET") })
                })
                .collect();
            for request in fifty {
                let response = request.await.expect("request");
                assert_eq!(response.status(), StatusCode::OK, "{page}");
                assert!(
                    response.headers().contains_key("set-cookie"),
                    "the CSRF token goes into the cookie"
                );
            }
        }
    }
    assert_eq!(
        rows_everywhere(&mut db),
        before,
        "500 GETs of each sign-in page"
    );

    for (page, fields) in [
        (
            "/login",
            vec![
                ("username", owner.username.as_str()),
                ("password", owner.password.as_str()),
            ],
        ),
        (
            "/admin/login",
            vec![("username", ADMIN), ("password", PASSWORD)],
        ),
    ] {
        let client = browser();
        let (_, html) = app.get_html(&client, page).await;
        let token = csrf_token_in(&html);
        // Without the token, with another browser's token, with a made-up one: refused.
        let other = browser();
        let (_, other_html) = app.get_html(&other, page).await;
        let others_token = csrf_token_in(&other_html);
        assert_ne!(token, others_token, "each browser has its own token");
        let made_up = "x".repeat(43);
        for forged in [None, Some(others_token.as_str()), Some(made_up.as_str())] {
            let mut all = fields.clone();
            all.extend(forged.map(|t| ("csrf_token", t)));
            let response = app.post_raw(&client, page, &all).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{page} {forged:?}"
            );
        }
        assert_eq!(session_rows(&mut db), 0);
        let mut all = fields.clone();
        all.push(("csrf_token", token.as_str()));
        let response = app.post_raw(&client, page, &all).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
        assert_eq!(session_rows(&mut db), 1, "one row per signed-in session");
        // The token seen before signing in is worth nothing after.
        let home = location(&response);
        let (status, html) = app.get_html(&client, &home).await;
        assert_eq!(status, StatusCode::OK, "{home}");
        assert_ne!(csrf_token_in(&html), token, "a new token after sign-in");
        diesel::sql_query("DELETE FROM web_sessions")
            .execute(&mut db)
            .unwrap();
    }
}

#[tokio::test]
async fn a_session_is_written_at_sign_in_then_at_most_once_a_minute_and_deleted_at_sign_out() {
    let app = spawn_app();
    let mut db = app.db.connect();
    let client = browser();
    app.sign_in_admin(&client).await;
    assert_eq!(session_rows(&mut db), 1);
    let signed_in = last_seen(&mut db);

    for _ in 0..5 {
        assert_eq!(app.get(&client, "/admin").await.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::seconds(59));
    assert_eq!(app.get(&client, "/admin").await.status(), StatusCode::OK);
    assert_eq!(last_seen(&mut db), signed_in, "reading pages wrote nothing");

    app.clock.advance(Duration::seconds(2));
    assert_eq!(app.get(&client, "/admin").await.status(), StatusCode::OK);
    let seen = last_seen(&mut db);
    assert_eq!(
        seen - signed_in,
        61_000_000,
        "last seen now, on the core clock"
    );

    let response = app.post_form(&client, "/admin", "/admin/logout", &[]).await;
    assert_eq!(location(&response), "/admin/login?signed_out=1");
    assert_eq!(session_rows(&mut db), 0, "sign-out deletes the session");
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_or_12_hours() {
    let app = spawn_app();
    let mut db = app.db.connect();

    let idle = browser();
    app.sign_in_admin(&idle).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(app.get(&idle, "/admin").await.status(), StatusCode::OK);
    app.clock.advance(Duration::minutes(30));
    let response = app.get(&idle, "/admin/identities").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/admin/login?next=%2Fadmin%2Fidentities"
    );
    assert_eq!(session_rows(&mut db), 0, "the timed-out session is deleted");
    // The sign-in page that follows works, and so does signing in again.
    assert_eq!(
        app.get(&idle, "/admin/login").await.status(),
        StatusCode::OK
    );
    app.sign_in_admin(&idle).await;
    assert_eq!(app.get(&idle, "/admin").await.status(), StatusCode::OK);

    let busy = browser();
    let owner = app.create_owner("busy-owner");
    assert_eq!(
        app.sign_in_owner(&busy, &owner).await.status(),
        StatusCode::SEE_OTHER
    );
    for _ in 0..35 {
        app.clock.advance(Duration::minutes(20));
        assert_eq!(app.get(&busy, "/me").await.status(), StatusCode::OK);
    }
    app.clock.advance(Duration::minutes(20));
    let response = app.get(&busy, "/me").await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "12 hours after sign-in"
    );
    assert_eq!(location(&response), "/login?next=%2Fme");
}

#[tokio::test]
async fn deleting_an_identity_or_an_admin_deletes_their_sessions() {
    let app = spawn_app();
    let mut db = app.db.connect();
    let owner = app.create_owner("leaving");
    let owner_browser = browser();
    app.sign_in_owner(&owner_browser, &owner).await;
    let admin_browser = browser();
    app.sign_in_admin(&admin_browser).await;
    assert_eq!(session_rows(&mut db), 2);

    app.core
        .processes()
        .initiate(&owner.owner(), GraceLength::from_days(1))
        .expect("initiated");
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    app.core.jobs().run_jobs().expect("jobs");
    app.core.jobs().run_jobs().expect("jobs");
    assert!(
        app.core.identities().identity(&owner.address).is_err(),
        "deleted"
    );
    assert_eq!(session_rows(&mut db), 1, "only the admin's session is left");
    let response = app.get(&owner_browser, "/me").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/login"));

    // The admin's session timed out meanwhile; a fresh one ends with its account.
    app.sign_in_admin(&admin_browser).await;
    assert_eq!(
        app.get(&admin_browser, "/admin").await.status(),
        StatusCode::OK
    );
    diesel::sql_query(format!(
        "DELETE FROM admin_users WHERE username = '{ADMIN}'"
    ))
    .execute(&mut db)
    .unwrap();
    assert_eq!(session_rows(&mut db), 0);
    let response = app.get(&admin_browser, "/admin").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/admin/login"));
}

#[test]
fn an_admins_other_sessions_can_be_ended_and_an_identitys_all() {
    let app = spawn_app();
    let admin = Principal::Admin {
        username: admin_name(ADMIN),
    };
    let keep = app.core.sessions().start_session(&admin, None).unwrap();
    let other = app.core.sessions().start_session(&admin, None).unwrap();
    let owner = app.create_owner("ended-owner");
    let as_owner = Principal::Owner {
        owner: owner.owner(),
        username: device_name(&owner.username),
    };
    let owner_sessions = [
        app.core.sessions().start_session(&as_owner, None).unwrap(),
        app.core.sessions().start_session(&as_owner, None).unwrap(),
    ];

    assert_eq!(
        app.core
            .sessions()
            .end_admin_sessions(&admin_name(ADMIN), Some(&keep))
            .unwrap(),
        1
    );
    assert!(matches!(
        app.core.sessions().resume_session(&keep).unwrap(),
        Resumed::Live(live) if live.principal == admin
    ));
    assert!(matches!(
        app.core.sessions().resume_session(&other).unwrap(),
        Resumed::Unknown
    ));
    assert_eq!(
        app.core
            .sessions()
            .end_identity_sessions(&owner.address)
            .unwrap(),
        2
    );
    for id in &owner_sessions {
        assert!(matches!(
            app.core.sessions().resume_session(id).unwrap(),
            Resumed::Unknown
        ));
    }
    // Signing in again from a browser replaces its previous session.
    let next = app
        .core
        .sessions()
        .start_session(&admin, Some(&keep))
        .unwrap();
    assert!(matches!(
        app.core.sessions().resume_session(&keep).unwrap(),
        Resumed::Unknown
    ));
    assert!(matches!(
        app.core.sessions().resume_session(&next).unwrap(),
        Resumed::Live(_)
    ));
}

/// Counts the pool's checkouts.
#[derive(Debug, Default)]
struct Checkouts(Arc<AtomicUsize>);

impl diesel::r2d2::HandleEvent for Checkouts {
    fn handle_checkout(&self, _: diesel::r2d2::event::CheckoutEvent) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_page_behind_sign_in_takes_one_connection_from_the_pool() {
    let db = common::fresh_database();
    let counter = Arc::new(AtomicUsize::new(0));
    let pool = pool_builder(4, StdDuration::from_secs(5))
        .event_handler(Box::new(Checkouts(counter.clone())))
        .build_unchecked(PgManager::new(&db.url));
    let (base, core, _clock) = serve(pool, test_options());
    let owner = create_owner_with(&core, "one-checkout");
    core.processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("started");
    let app_url = |path: &str| format!("{base}{path}");
    let checkouts = || counter.load(Ordering::SeqCst);

    let owner_browser = browser();
    let (_, html) = {
        let r = owner_browser.get(app_url("/login")).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    };
    let before = checkouts();
    let signed_in = owner_browser
        .post(app_url("/login"))
        .form(&[
            ("csrf_token", csrf_token_in(&html).as_str()),
            ("username", owner.username.as_str()),
            ("password", owner.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let sign_in = checkouts() - before;

    let mut figures = vec![format!("owner sign-in: {sign_in}")];
    for path in ["/me", "/me/deletion-processes"] {
        let before = checkouts();
        let response = owner_browser.get(app_url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let used = checkouts() - before;
        figures.push(format!("{path}: {used}"));
        assert_eq!(used, 1, "{path}");
    }
    let before = checkouts();
    for path in ["/login", "/admin/login"] {
        let response = browser().get(app_url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        checkouts(),
        before,
        "anonymous sign-in pages use no connection"
    );
    println!("pool checkouts: {}", figures.join(", "));
}

#[tokio::test]
async fn connections_killed_under_the_app_are_replaced_without_a_server_error() {
    let app = spawn_app();
    let client = browser();
    app.sign_in_admin(&client).await;
    for _ in 0..3 {
        assert_eq!(app.get(&client, "/admin").await.status(), StatusCode::OK);
    }
    let mut admin = app.db.connect();
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(&mut admin)
    .unwrap();

    // The request that meets a dead connection answers 503, as when the database is down;
    // the connection is discarded with every other one opened before, so the next works.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(app.get(&client, "/admin").await.status());
    }
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    assert!(
        statuses[1..].iter().all(|s| *s == StatusCode::OK),
        "recovered at once: {statuses:?}"
    );
}

#[test]
fn the_wall_clock_and_diesel_stay_in_their_layers() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut offenders = Vec::new();
    visit(std::path::Path::new(src), &mut |path, text| {
        let relative = path
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if text.contains("Utc::now()") && relative != "clock.rs" {
            offenders.push(format!("{relative}: Utc::now()"));
        }
        let in_web = relative.starts_with("web/");
        if in_web && (text.contains("diesel") || text.contains("PgConnection")) {
            offenders.push(format!("{relative}: Diesel in the web layer"));
        }
        if text.contains("fn pool(") && relative.starts_with("facade/") {
            offenders.push(format!("{relative}: a public pool accessor"));
        }
        if text.contains("web_sessions")
            && !matches!(relative.as_str(), "facade/sessions.rs" | "schema.rs")
        {
            offenders.push(format!(
                "{relative}: session SQL outside the session repository"
            ));
        }
    });
    assert!(offenders.is_empty(), "{offenders:#?}");
}

fn visit(dir: &std::path::Path, check: &mut impl FnMut(&std::path::Path, &str)) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, check);
        } else if path.extension().is_some_and(|e| e == "rs") {
            check(&path, &std::fs::read_to_string(&path).unwrap());
        }
    }
}
