//! Proves the test harness: private migrated databases, and a server that can be stopped.

mod common;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

#[test]
fn fresh_databases_are_migrated_and_independent() {
    let a = common::fresh_database();
    let b = common::fresh_database();
    assert_ne!(a.name, b.name);
    assert_ne!(a.url, b.url);

    let mut ca = a.connect();
    let mut cb = b.connect();
    for conn in [&mut ca, &mut cb] {
        assert_eq!(
            count(
                conn,
                "SELECT count(*) AS n FROM identity_deletion_processes"
            ),
            0
        );
        assert_eq!(count(conn, "SELECT count(*) AS n FROM tiers"), 2);
    }

    diesel::sql_query("INSERT INTO tiers (id, name) VALUES ('TIRAAAAAAAAAAAAAAAAA', 'Only in A')")
        .execute(&mut ca)
        .unwrap();
    assert_eq!(count(&mut ca, "SELECT count(*) AS n FROM tiers"), 3);
    assert_eq!(count(&mut cb, "SELECT count(*) AS n FROM tiers"), 2);

    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let db: Name = diesel::sql_query("SELECT current_database() AS name")
        .get_result(&mut cb)
        .unwrap();
    assert_eq!(db.name, b.name);
}

#[test]
fn many_databases_can_be_created_in_parallel() {
    let handles: Vec<_> = (0..6)
        .map(|_| {
            std::thread::spawn(|| {
                let db = common::fresh_database();
                let pool = db.pool(2);
                let mut conn = pool.get().unwrap();
                count(&mut conn, "SELECT count(*) AS n FROM tiers")
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 2);
    }
}

#[test]
fn a_dedicated_server_can_be_stopped_and_started() {
    let Some(server) = common::dedicated_server() else {
        return;
    };
    let pool = server.pool(2);
    {
        let mut conn = pool.get().unwrap();
        assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM tiers"), 2);
    }

    server.stop();
    assert!(
        PgConnection::establish(&server.url).is_err(),
        "connecting must fail while the server is down"
    );
    // No query tests a connection that was used moments ago (issue 10): it may be handed
    // out once. Its first query then fails as a lost connection, and the pool never hands
    // it (or any connection opened before) out again.
    if let Ok(mut conn) = pool.get_timeout(std::time::Duration::from_millis(500)) {
        let lost = diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .unwrap_err();
        assert!(backbone_admin::db::is_lost_connection(&lost), "{lost}");
    }
    assert!(
        pool.get_timeout(std::time::Duration::from_millis(500))
            .is_err(),
        "the pool must not hand out a dead connection"
    );

    server.start();
    let mut conn = PgConnection::establish(&server.url).unwrap();
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM tiers"), 2);
    // The pool replaces its stale connections.
    let mut pooled = pool.get().unwrap();
    assert_eq!(
        count(
            &mut pooled,
            "SELECT count(*) AS n FROM identity_deletion_processes"
        ),
        0
    );
}
