//! Test harness shared by the integration tests: `mod common;` in any file under `tests/`.
//!
//! Where the databases come from:
//! - `TEST_DATABASE_URL` set (a `postgres://` URL of an existing database whose user may
//!   `CREATE DATABASE`): that server is used. Databases made there are dropped again (see
//!   [`TestDatabase`]); leftovers of crashed runs are swept at the next run.
//! - otherwise: a throwaway cluster (`backbone_admin::pg_local`) is started once per test
//!   binary in `<target>/tmp/test-pg/<pid>`, listening only on a unix socket in that
//!   directory. A detached watchdog stops it and deletes the directory when the test binary
//!   exits, however it exits.
//!
//! Either way the migrations run once per test binary into a template database, and every
//! [`fresh_database`] is a `CREATE DATABASE … TEMPLATE` copy of it: cheap, migrated, private.
#![allow(dead_code)] // each test binary uses a different part of the harness

#[cfg(not(feature = "local-postgres"))]
compile_error!(
    "the tests start throwaway clusters with backbone_admin::pg_local: run them with the \
     default `local-postgres` feature (plain `cargo test`), not with --no-default-features"
);

pub mod app;
pub mod binary;
pub mod invariants;
pub mod load;
pub mod metrics;
pub mod report;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use backbone_admin::db::{DbPool, build_pool, run_migrations};
use backbone_admin::domain::{AdminUsername, DeviceUsername};
use backbone_admin::pg_local::{ClusterOptions, LocalCluster, quote_ident};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

/// Prefix of every database the harness creates: `bbtest_<owner>_<suffix>`, where `<owner>`
/// (16 hex digits) is the advisory-lock key held by the test binary that owns it.
const PREFIX: &str = "bbtest_";

/// A migrated database of its own for one test.
///
/// On an external server (`TEST_DATABASE_URL`) it is dropped when this value is dropped
/// (`DROP DATABASE … WITH (FORCE)`, so open pools do not prevent it); declare pools after
/// it so they are dropped first. On the throwaway cluster nothing needs dropping.
#[derive(Debug)]
pub struct TestDatabase {
    /// Connection URL of this database.
    pub url: String,
    /// Its name.
    pub name: String,
}

impl TestDatabase {
    /// A pool of at most `size` connections to this database (checkout timeout 5 s).
    pub fn pool(&self, size: u32) -> DbPool {
        build_pool(&self.url, size, Duration::from_secs(5))
    }

    /// A single connection to this database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url)
            .unwrap_or_else(|e| panic!("connect to {}: {e}", self.name))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let h = harness();
        if h.cluster.is_none() {
            let sql = format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            );
            if let Err(e) = h.admin_execute(&sql) {
                eprintln!("note: could not drop test database {}: {e}", self.name);
            }
        }
    }
}

/// An admin's username in a test (one the username rule accepts).
pub fn admin_name(name: &str) -> AdminUsername {
    AdminUsername::parse(name).expect("a valid admin username")
}

/// A device's username in a test (one the username rule accepts).
pub fn device_name(name: &str) -> DeviceUsername {
    DeviceUsername::parse(name).expect("a valid device username")
}

/// The admin account `name` as it is now (it must exist).
pub fn stored_account(
    core: &backbone_admin::facade::Core,
    name: &str,
) -> backbone_admin::facade::accounts::AdminAccount {
    core.accounts()
        .admin_account(&admin_name(name))
        .expect("read the account")
        .expect("the account exists")
}

/// Whether `password` is the admin's password now: a look at the stored hash, not a sign-in
/// attempt (it is neither throttled nor counted).
pub fn admin_password_is(
    core: &backbone_admin::facade::Core,
    username: &str,
    password: &str,
) -> bool {
    core.credentials()
        .admin_password_hash(&admin_name(username))
        .unwrap()
        .is_some_and(|hash| {
            backbone_admin::passwords::verify_password(
                password,
                &hash,
                backbone_admin::passwords::Lane::Staff,
            )
            .unwrap()
        })
}

/// A new database, migrated, used by no other test.
pub fn fresh_database() -> TestDatabase {
    let h = harness();
    let name = h.new_name();
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {}",
        quote_ident(&name),
        quote_ident(&h.template)
    );
    if let Err(e) = h.admin_execute(&sql) {
        panic!("could not create test database {name}: {e}");
    }
    TestDatabase {
        url: with_database(&h.admin_url, &name),
        name,
    }
}

/// Makes every deletion of a device fail (a trigger raising an error) until
/// `DROP TRIGGER refuse_device_delete ON devices`: the actual deletion of an identity's data
/// then fails and is rolled back.
pub fn refuse_device_deletes(conn: &mut PgConnection) {
    diesel::sql_query(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$",
    )
    .execute(conn)
    .unwrap();
    diesel::sql_query("CREATE TRIGGER refuse_device_delete BEFORE DELETE ON devices FOR EACH ROW EXECUTE FUNCTION refuse()")
        .execute(conn)
        .unwrap();
}

/// A PostgreSQL server of one's own, for tests that stop and restart the server ("database
/// down → 503"). Stopping the shared server would break the other tests of the binary, which
/// run in parallel, so such a test gets its own throwaway cluster (about a second to set up)
/// with one migrated database.
///
/// `None` when `TEST_DATABASE_URL` is set: we then do not start servers, and the caller
/// should return early (a note is printed).
pub fn dedicated_server() -> Option<DedicatedServer> {
    if external_url().is_some() {
        eprintln!("note: TEST_DATABASE_URL is set; skipping a test that needs to stop the server");
        return None;
    }
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = test_pg_root().join(format!("{}-{n}", std::process::id()));
    let cluster = start_throwaway(dir);
    cluster
        .ensure_database("app")
        .unwrap_or_else(|e| panic!("create the dedicated test database: {e}"));
    let url = cluster.database_url("app");
    migrate(&url);
    Some(DedicatedServer { cluster, url })
}

/// See [`dedicated_server`]. Dropping it stops the server and deletes its directory.
#[derive(Debug)]
pub struct DedicatedServer {
    cluster: LocalCluster,
    /// URL of its migrated database `app`.
    pub url: String,
}

impl DedicatedServer {
    /// A pool of at most `size` connections to the migrated database.
    pub fn pool(&self, size: u32) -> DbPool {
        build_pool(&self.url, size, Duration::from_secs(5))
    }

    /// Stops the server (`pg_ctl stop -m fast`; open connections are cut).
    pub fn stop(&self) {
        self.cluster
            .stop()
            .unwrap_or_else(|e| panic!("stop the dedicated server: {e}"));
    }

    /// Starts it again and waits until it accepts connections.
    pub fn start(&self) {
        self.cluster
            .start()
            .unwrap_or_else(|e| panic!("start the dedicated server: {e}"));
    }
}

impl Drop for DedicatedServer {
    fn drop(&mut self) {
        // The exit watchdog would do this too; doing it now frees resources early.
        let _ = self.cluster.stop();
        let _ = std::fs::remove_dir_all(self.cluster.data_dir());
    }
}

struct Harness {
    /// The throwaway cluster, or `None` when `TEST_DATABASE_URL` is used.
    cluster: Option<LocalCluster>,
    /// URL of the maintenance database: CREATE/DROP DATABASE are run there.
    admin_url: String,
    /// Connection to `admin_url`; the mutex also serializes the `CREATE DATABASE … TEMPLATE`
    /// statements (PostgreSQL refuses to copy a template that someone else is connected to).
    admin: Mutex<Option<PgConnection>>,
    /// On an external server: the connection holding this binary's advisory lock.
    _owner_lock: Mutex<Option<PgConnection>>,
    owner: String,
    template: String,
    counter: AtomicU32,
}

impl Harness {
    fn new_name(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{PREFIX}{}_{n}", self.owner)
    }

    /// Runs one statement on the maintenance database. Retries a few times: the server may
    /// still be tearing down the last session on the template, and the cached connection may
    /// have gone stale.
    fn admin_execute(&self, sql: &str) -> Result<(), String> {
        let mut guard = self
            .admin
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let mut last_error = String::new();
        for attempt in 0..10 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(100 * attempt));
            }
            if guard.is_none() {
                match PgConnection::establish(&self.admin_url) {
                    Ok(conn) => *guard = Some(conn),
                    Err(e) => {
                        last_error = e.to_string();
                        continue;
                    }
                }
            }
            let Some(conn) = guard.as_mut() else { continue };
            match diesel::sql_query(sql).execute(conn) {
                Ok(_) => return Ok(()),
                Err(e) => {
                    last_error = e.to_string();
                    *guard = None;
                }
            }
        }
        Err(last_error)
    }
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(set_up)
}

fn external_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

fn set_up() -> Harness {
    let owner_key = uuid::Uuid::new_v4().as_u64_pair().0;
    let owner = format!("{owner_key:016x}");
    let (cluster, admin_url, owner_lock) = match external_url() {
        Some(url) => {
            let mut lock_conn = PgConnection::establish(&url)
                .unwrap_or_else(|e| panic!("connect to TEST_DATABASE_URL: {e}"));
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<BigInt, _>(owner_key as i64)
                .execute(&mut lock_conn)
                .unwrap_or_else(|e| panic!("take the harness advisory lock: {e}"));
            sweep_abandoned(&mut lock_conn);
            (None, url, Some(lock_conn))
        }
        None => {
            let dir = test_pg_root().join(std::process::id().to_string());
            let cluster = start_throwaway(dir);
            let url = cluster.database_url("postgres");
            (Some(cluster), url, None)
        }
    };
    let harness = Harness {
        cluster,
        admin_url,
        admin: Mutex::new(None),
        _owner_lock: Mutex::new(owner_lock),
        template: format!("{PREFIX}{owner}_template"),
        owner,
        counter: AtomicU32::new(1),
    };
    harness
        .admin_execute(&format!(
            "CREATE DATABASE {}",
            quote_ident(&harness.template)
        ))
        .unwrap_or_else(|e| panic!("create the template database: {e}"));
    // The connection is closed when `migrate` returns, so the template can be copied.
    migrate(&with_database(&harness.admin_url, &harness.template));
    harness
}

fn migrate(url: &str) {
    let mut conn = PgConnection::establish(url).unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    run_migrations(&mut conn).unwrap_or_else(|e| panic!("migrations failed: {e}"));
}

/// Starts a throwaway cluster in `dir` (emptied first), disposed of when the process exits.
fn start_throwaway(dir: PathBuf) -> LocalCluster {
    if dir.exists() {
        // Left by an earlier process with the same pid whose cleanup never ran.
        let _ = std::fs::remove_dir_all(&dir);
    }
    let options = ClusterOptions {
        durable: false,
        dispose_on_exit: true,
    };
    LocalCluster::ensure_running_with(&dir, options).unwrap_or_else(|e| {
        panic!(
            "could not start a throwaway PostgreSQL cluster in {}: {e}\n\
             (or set TEST_DATABASE_URL to use an existing server)",
            dir.display()
        )
    })
}

/// `<target>/tmp/test-pg`, or `<temp dir>/bbadmin-test-pg` if the socket path under the
/// target directory would be too long.
fn test_pg_root() -> PathBuf {
    let preferred = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-pg");
    // `<root>/<pid>-<n>/.s.PGSQL.5432`, with room for a long pid and counter.
    let worst = preferred.as_os_str().len() + "/4194304-999/.s.PGSQL.5432".len();
    let root = if worst < backbone_admin::pg_local::MAX_SOCKET_PATH {
        preferred
    } else {
        std::env::temp_dir().join("bbadmin-test-pg")
    };
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("create {}: {e}", root.display()));
    root
}

/// Drops databases of earlier test runs on the external server whose owning process is gone
/// (its advisory lock is free).
fn sweep_abandoned(conn: &mut PgConnection) {
    #[derive(QueryableByName)]
    struct Db {
        #[diesel(sql_type = Text)]
        datname: String,
    }
    let pattern = format!("{}%", PREFIX.replace('_', "\\_"));
    let Ok(dbs) = diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE $1")
        .bind::<Text, _>(pattern)
        .load::<Db>(conn)
    else {
        return;
    };
    for db in dbs {
        let Some(key) = db.datname[PREFIX.len()..]
            .get(..16)
            .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        else {
            continue;
        };
        #[derive(QueryableByName)]
        struct Locked {
            #[diesel(sql_type = Bool)]
            locked: bool,
        }
        let free = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
            .bind::<BigInt, _>(key as i64)
            .get_result::<Locked>(conn)
            .map(|l| l.locked)
            .unwrap_or(false);
        if free {
            let sql = format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&db.datname)
            );
            let _ = diesel::sql_query(sql).execute(conn);
            let _ = diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<BigInt, _>(key as i64)
                .execute(conn);
        }
    }
}

/// The same URL with another database name: `postgres://u@h:1/old?x=y` → `…/new?x=y`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..path_start])
}
