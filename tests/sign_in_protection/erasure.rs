//! Issue 17, section 4: deleting an identity erases it from the security log and the
//! throttling counters too, old security events are removed after their retention period,
//! and the log stays append-only for every other change.

use std::sync::Arc;

use backbone_admin::clock::ManualClock;
use backbone_admin::domain::accounts::{ClientNetwork, SecurityEventKind, UsernameKey};
use backbone_admin::domain::{GraceLength, Periods};
use backbone_admin::facade::Core;
use backbone_admin::facade::accounts::ClientInfo;
use backbone_admin::schema::security_events as events;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Text};
use reqwest::{Client, StatusCode};

use crate::common::app::*;
use crate::common::fresh_database;
use crate::common::metrics::sample;
use crate::helpers::behind_proxy;

const LEAVING_NETWORK: &str = "203.0.113.7";
const LEAVING_GUESSER: &str = "198.51.100.23";
const LEAVING_AGENT: &str = "ErasureProbe/1.0 (leaving owner)";
const STAYING_NETWORK: &str = "192.0.2.55";
const STAYING_AGENT: &str = "ErasureProbe/1.0 (staying owner)";
const ADMIN_NETWORK: &str = "192.0.2.99";

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
}

#[derive(QueryableByName)]
struct Needle {
    #[diesel(sql_type = Text)]
    needle: String,
}

/// Every column of every table of the schema, read from the catalog, so that a table added
/// later is scanned without editing this test.
fn all_columns(conn: &mut PgConnection) -> Vec<Column> {
    diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.data_type::text AS data_type \
         FROM information_schema.columns c \
         JOIN information_schema.tables t USING (table_schema, table_name) \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         ORDER BY 1, 2",
    )
    .load(conn)
    .expect("read the catalog")
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Where any of `needles` occurs, as `(needle, "table.column")`: in the text form of any
/// column (text, JSON, arrays, network types…), and as raw bytes in a `bytea` column.
fn occurrences(conn: &mut PgConnection, needles: &[&str]) -> Vec<(String, String)> {
    let needles: Vec<String> = needles.iter().map(|n| n.to_string()).collect();
    let mut found = Vec::new();
    for column in all_columns(conn) {
        let (table, name) = (quoted(&column.table_name), quoted(&column.column_name));
        let contains = if column.data_type == "bytea" {
            format!("position(convert_to(needle, 'UTF8') IN {name}) > 0")
        } else {
            format!("strpos(lower({name}::text), lower(needle)) > 0")
        };
        let hits: Vec<Needle> = diesel::sql_query(format!(
            "SELECT needle FROM unnest($1::text[]) AS needle \
             WHERE EXISTS (SELECT 1 FROM {table} WHERE {contains})"
        ))
        .bind::<Array<Text>, _>(&needles)
        .load(conn)
        .expect("scan a column");
        let place = format!("{}.{}", column.table_name, column.column_name);
        found.extend(hits.into_iter().map(|hit| (hit.needle, place.clone())));
    }
    found
}

/// An owner sign-in through the trusted proxy from `network`, with the user agent `agent`.
async fn owner_sign_in(
    app: &TestApp,
    client: &Client,
    owner: &TestOwner,
    password: &str,
    (network, agent): (&str, &str),
) -> StatusCode {
    let fields = [
        ("username", owner.username.as_str()),
        ("password", password),
    ];
    let headers = [("x-forwarded-for", network), ("user-agent", agent)];
    post_form_with_headers_at(client, &app.address, "/login", "/login", &fields, &headers)
        .await
        .status()
}

/// The leaving owner's traces: failures and a throttled attempt from one network (their
/// counters stay), a failure and a sign-in with a session from another.
async fn leave_traces(app: &TestApp, owner: &TestOwner) {
    let client = browser();
    let (guesser, network) = (
        (LEAVING_GUESSER, LEAVING_AGENT),
        (LEAVING_NETWORK, LEAVING_AGENT),
    );
    for _ in 0..5 {
        let status = owner_sign_in(app, &client, owner, "wrong password", guesser).await;
        assert_ne!(status, StatusCode::SEE_OTHER);
    }
    let throttled = owner_sign_in(app, &client, owner, "wrong password", guesser).await;
    assert_eq!(throttled, StatusCode::TOO_MANY_REQUESTS);
    let status = owner_sign_in(app, &client, owner, "wrong password", network).await;
    assert_ne!(status, StatusCode::SEE_OTHER);
    let status = owner_sign_in(app, &client, owner, &owner.password, network).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed in");
    assert_eq!(app.get(&client, "/me").await.status(), StatusCode::OK);
}

/// Runs the jobs past the end of a one-day grace period until the identity is gone.
fn delete_identity(app: &TestApp, owner: &TestOwner) {
    app.core
        .processes()
        .initiate(&owner.owner(), GraceLength::from_days(1))
        .expect("initiated");
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    for _ in 0..2 {
        app.core.jobs().run_jobs().expect("jobs");
    }
    assert!(
        app.core.identities().identity(&owner.address).is_err(),
        "deleted"
    );
}

/// The kind, network and user agent of the events of the owner signing in as `username`.
fn events_of_owner(
    conn: &mut PgConnection,
    username: &str,
) -> Vec<(String, Option<String>, Option<String>)> {
    let account = UsernameKey::owner_from_hash(&backbone_admin::pseudonyms::audit_hash(username));
    events::table
        .filter(events::account.eq(account.as_str()))
        .select((events::kind, events::client_network, events::user_agent))
        .load(conn)
        .unwrap()
}

#[tokio::test]
async fn a_deleted_identity_leaves_no_address_username_network_or_agent_in_any_column() {
    let app = spawn_app_with(behind_proxy());
    let owner = app.create_owner("erased-owner-5821");
    let staying = app.create_owner("staying-owner-7730");
    leave_traces(&app, &owner).await;
    let other = browser();
    let status = owner_sign_in(
        &app,
        &other,
        &staying,
        &staying.password,
        (STAYING_NETWORK, STAYING_AGENT),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let traces = [
        owner.address.as_str(),
        owner.username.as_str(),
        LEAVING_NETWORK,
        LEAVING_GUESSER,
        LEAVING_AGENT,
    ];
    let mut conn = app.db.connect();
    let before = occurrences(&mut conn, &traces);
    for trace in traces {
        assert!(
            before.iter().any(|(needle, _)| needle == trace),
            "the scan finds {trace} before the deletion: {before:?}"
        );
    }

    delete_identity(&app, &owner);
    assert_eq!(occurrences(&mut conn, &traces), [], "left behind");

    // The events themselves stay, under the username hash, like the audit log.
    let kept = events_of_owner(&mut conn, &owner.username);
    assert_eq!(
        kept.len(),
        8,
        "6 failed, 1 throttled, 1 succeeded: {kept:?}"
    );
    assert!(kept.iter().all(|(_, n, ua)| n.is_none() && ua.is_none()));
    let staying_left = occurrences(&mut conn, &[STAYING_NETWORK]);
    assert_eq!(
        staying_left,
        [(
            STAYING_NETWORK.to_owned(),
            "security_events.client_network".to_owned()
        )],
        "the other owner's events keep their network"
    );
}

#[tokio::test]
async fn admin_events_are_recorded_with_their_network_after_an_erasure() {
    let app = spawn_app_with(behind_proxy());
    let owner = app.create_owner("erased-before-admin");
    delete_identity(&app, &owner);
    let fields = [("username", ADMIN), ("password", PASSWORD)];
    let headers = [("x-forwarded-for", ADMIN_NETWORK)];
    let client = browser();
    let response = post_form_with_headers_at(
        &client,
        &app.address,
        "/admin/login",
        "/admin/login",
        &fields,
        &headers,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let networks: Vec<Option<String>> = events::table
        .filter(events::account.eq(ADMIN))
        .filter(events::kind.eq(SecurityEventKind::SignInSucceeded.as_str()))
        .select(events::client_network)
        .load(&mut app.db.connect())
        .unwrap();
    assert_eq!(networks, [Some(format!("{ADMIN_NETWORK}/32"))]);
}

#[test]
fn security_events_older_than_their_retention_are_removed_and_counted() {
    let metrics = backbone_admin::metrics::install().expect("metrics recorder");
    let before = metrics.render();
    let db = fresh_database();
    let clock = ManualClock::new(Utc::now());
    let periods = Periods::from_days(7, 14, 30, 10).unwrap();
    let core = Core::new(db.pool(2), Arc::new(clock.clone()), periods);
    let client = ClientInfo {
        network: Some(ClientNetwork::of(LEAVING_NETWORK.parse().unwrap())),
        user_agent: Some(LEAVING_AGENT.to_owned()),
    };
    let record = |account: &str, times: usize| {
        for _ in 0..times {
            let account = UsernameKey::admin(account);
            let kind = SecurityEventKind::SignInFailed;
            core.security_events()
                .record_security_event(kind, &account, &client, serde_json::json!({}))
                .unwrap();
        }
    };
    record("old-one", 3);
    clock.advance(Duration::days(6));
    record("new-one", 2);
    clock.advance(Duration::days(4));
    assert_eq!(
        core.jobs().run_jobs().unwrap().security_events_removed,
        0,
        "10 days: kept"
    );
    clock.advance(Duration::minutes(1));
    assert_eq!(core.jobs().run_jobs().unwrap().security_events_removed, 3);
    let left: Vec<String> = events::table
        .select(events::account)
        .load(&mut db.connect())
        .unwrap();
    assert_eq!(left, ["new-one", "new-one"]);
    clock.advance(Duration::days(6));
    assert_eq!(core.jobs().run_jobs().unwrap().security_events_removed, 2);

    let after = metrics.render();
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert_eq!(moved("security_events_removed_total"), 5.0, "{after}");
    let items = r#"job_items_total{job_name="remove_old_security_events"}"#;
    assert_eq!(moved(items), 5.0, "{after}");
}

fn try_sql(conn: &mut PgConnection, sql: &str) -> QueryResult<usize> {
    diesel::sql_query(sql).execute(conn)
}

/// Runs `statements` in one transaction; whether they all succeeded (it is rolled back
/// either way when one failed).
fn in_transaction(conn: &mut PgConnection, statements: &[&str]) -> bool {
    conn.transaction(|conn| {
        for sql in statements {
            try_sql(conn, sql)?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .is_ok()
}

#[test]
fn the_log_stays_append_only_except_for_erasure_and_retention() {
    let db = fresh_database();
    let mut conn = db.connect();
    try_sql(
        &mut conn,
        "INSERT INTO security_events (created_at, kind, realm, account, client_network, user_agent) \
         VALUES ('2026-01-01T00:00:00Z', 'SignInFailed', 'owner', 'ab', '203.0.113.7/32', 'UA'), \
                ('2026-03-01T00:00:00Z', 'SignInFailed', 'owner', 'cd', '203.0.113.8/32', 'UA')",
    )
    .unwrap();
    let bound = "SELECT set_config('backbone.security_events_delete_before', \
                 '2026-02-01T00:00:00Z', true)";
    for refused in [
        &["UPDATE security_events SET kind = 'SignInSucceeded'"][..],
        &["UPDATE security_events SET client_network = '10.0.0.1/32'"],
        &["UPDATE security_events SET client_network = NULL"],
        &[
            "UPDATE security_events SET client_network = NULL, user_agent = NULL, details = '{\"a\": 1}'",
        ],
        &["UPDATE security_events SET client_network = NULL, user_agent = NULL, account = 'ef'"],
        &["DELETE FROM security_events WHERE account = 'ab'"],
        &[bound, "DELETE FROM security_events WHERE account = 'cd'"],
    ] {
        assert!(!in_transaction(&mut conn, refused), "refused: {refused:?}");
    }
    // The bound lasts only for its transaction.
    assert!(in_transaction(&mut conn, &[bound]));
    assert!(!in_transaction(
        &mut conn,
        &["DELETE FROM security_events WHERE account = 'ab'"]
    ));

    let erase = "UPDATE security_events SET client_network = NULL, user_agent = NULL";
    assert!(in_transaction(&mut conn, &[erase]), "erasure");
    let old = "DELETE FROM security_events WHERE account = 'ab'";
    assert!(in_transaction(&mut conn, &[bound, old]), "retention");
    let left: Vec<(String, Option<String>)> = events::table
        .select((events::account, events::client_network))
        .load(&mut conn)
        .unwrap();
    assert_eq!(left, [("cd".to_owned(), None)]);
}
