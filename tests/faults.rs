//! Fault tests: PostgreSQL stopped under load, and the app killed with SIGKILL during
//! transitions. Neither may leave a half-written transition behind (the invariant check),
//! and the app must serve again afterwards.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::admin_name;
use backbone_admin::clock::SystemClock;
use backbone_admin::domain::Periods;
use backbone_admin::facade::Core;
use common::app::{ADMIN, PASSWORD, TestOwner, create_owner_with, serve, test_options};
use common::invariants::{Checked, check_invariants};
use common::load::{self, Behaviour, SharedTally, Step, User};
use common::{dedicated_server, fresh_database};
use diesel::{Connection, PgConnection};
use reqwest::StatusCode;

/// No response may take longer: the pool's checkout timeout is 5 s.
const NO_HANG: Duration = Duration::from_secs(10);
/// How long an app or database gets to come back.
const RECOVERY: Duration = Duration::from_secs(60);

fn owners(core: &Core, prefix: &str, n: usize) -> Vec<TestOwner> {
    (0..n)
        .map(|i| create_owner_with(core, &format!("{prefix}{i}")))
        .collect()
}

fn active(owners: &[TestOwner]) -> Vec<(TestOwner, Behaviour)> {
    owners
        .iter()
        .map(|o| (o.clone(), Behaviour::ACTIVE))
        .collect()
}

fn addresses(owners: &[TestOwner]) -> Vec<String> {
    owners.iter().map(|o| o.address.to_string()).collect()
}

/// The load running in the background until `stop` is set.
fn start_load(
    users: Vec<User>,
    bases: &[String],
    identities: &[String],
    stop: &Arc<AtomicBool>,
) -> tokio::task::JoinHandle<Vec<(User, Vec<Step>)>> {
    let (bases, identities, stop) = (bases.to_vec(), identities.to_vec(), stop.clone());
    tokio::spawn(
        async move { load::run_users(users, &bases, &identities, usize::MAX, &stop).await },
    )
}

async fn status_of(url: &str) -> Option<StatusCode> {
    let client = common::app::browser();
    let response = client.get(url).timeout(NO_HANG).send().await.ok()?;
    Some(response.status())
}

/// Polls `url` until it answers `want`; panics after [`RECOVERY`].
async fn wait_for(url: &str, want: StatusCode) -> Duration {
    let started = Instant::now();
    loop {
        if status_of(url).await == Some(want) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < RECOVERY,
            "{url} did not answer {want} within {RECOVERY:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Prints the common counts and checks what both fault tests require: no server error
/// during or after the fault, and transitions going through again afterwards.
fn report(
    test: &str,
    during: &load::Tally,
    after: &load::Tally,
    checked: &Checked,
    started: Instant,
) {
    common::report::report(
        test,
        &format!(
            "during the fault: {during}; after: {after}; invariants hold over {checked}; took {:.1?}",
            started.elapsed()
        ),
    );
    for tally in [during, after] {
        assert!(tally.server_errors.is_empty(), "{:?}", tally.server_errors);
    }
    assert!(after.transitions > 0 && after.count(303) > 0, "{after}");
}

fn take(tally: &SharedTally) -> load::Tally {
    std::mem::take(&mut *tally.lock().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_503_pages_and_the_app_recovers_with_nothing_half_written() {
    let Some(server) = dedicated_server() else {
        return;
    };
    let started = Instant::now();
    let options = test_options();
    let (base, core, _clock) = serve(server.pool(8), options);
    let owners = owners(&core, "outage-owner", 4);
    let identities = addresses(&owners);
    let bases = vec![base.clone()];
    let readyz = format!("{base}/readyz");
    let tally = load::tally();
    let users = load::crowd(2, active(&owners), &tally);

    // Up: sign in and work for a while.
    let done = load::run_users(users, &bases, &identities, 8, &load::no_stop()).await;
    let users: Vec<User> = done.into_iter().map(|(user, _)| user).collect();
    let before = take(&tally);
    assert!(
        before.server_errors.is_empty(),
        "{:?}",
        before.server_errors
    );
    assert_eq!(before.count(503), 0);

    // Down under load, then up again.
    let stop = Arc::new(AtomicBool::new(false));
    let running = start_load(users, &bases, &identities, &stop);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopped = Instant::now();
    tokio::task::block_in_place(|| server.stop());
    let not_ready_after = wait_for(&readyz, StatusCode::SERVICE_UNAVAILABLE).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    tokio::task::block_in_place(|| server.start());
    let ready_after = wait_for(&readyz, StatusCode::OK).await;
    let outage = stopped.elapsed();
    stop.store(true, Ordering::Relaxed);
    let users: Vec<User> = running
        .await
        .expect("load")
        .into_iter()
        .map(|(user, _)| user)
        .collect();
    let during = take(&tally);

    // Recovered, without a restart: the same sessions go on working.
    let done = load::run_users(users, &bases, &identities, 8, &load::no_stop()).await;
    let after = take(&tally);
    let checked = check_invariants(&mut PgConnection::establish(&server.url).expect("connect"));

    println!("outage: before: {before}");
    println!(
        "outage: during ({outage:.1?}; /readyz 503 after {not_ready_after:.1?}, 200 again \
         {ready_after:.1?} after the restart): {during}"
    );
    report("outage", &during, &after, &checked, started);
    assert!(
        during.count(503) > 0,
        "some requests met the outage: {during}"
    );
    assert!(during.slowest < NO_HANG, "no hang: {during}");
    assert_eq!(during.transport_errors, 0, "the app itself stayed up");
    assert_eq!(after.count(503), 0, "recovered: {after}");
    let signed_in_again = done
        .iter()
        .flat_map(|(_, steps)| steps)
        .filter(|s| **s == Step::SignedIn)
        .count();
    println!("outage: sign-ins needed after recovery: {signed_in_again}");
}

/// The real binary (`serve`), killed and restarted on the same database and data directory.
struct Binary {
    child: Option<Child>,
    base: String,
    bind: String,
    database_url: String,
    data_dir: PathBuf,
}

impl Binary {
    fn new(database_url: &str, data_dir: PathBuf) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        Self {
            child: None,
            base: format!("http://127.0.0.1:{port}"),
            bind: format!("127.0.0.1:{port}"),
            database_url: database_url.to_owned(),
            data_dir,
        }
    }

    async fn start(&mut self) -> Duration {
        let child = Command::new(env!("CARGO_BIN_EXE_backbone-admin"))
            .arg("serve")
            .env("DATABASE_URL", &self.database_url)
            .env("BIND", &self.bind)
            .env("COOKIE_SECURE", "false")
            .env("JOBS_INTERVAL_SECONDS", "1")
            .env("DATA_DIR", &self.data_dir)
            .env_remove("SESSION_KEY")
            .env("RUST_LOG", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app");
        self.child = Some(child);
        wait_for(&format!("{}/readyz", self.base), StatusCode::OK).await
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap it.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL the app");
            child.wait().expect("reap the app");
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

const KILLS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_app_during_transitions_leaves_no_partial_state() {
    let started = Instant::now();
    let db = fresh_database();
    let setup = Core::new(db.pool(2), Arc::new(SystemClock), Periods::default());
    setup
        .accounts()
        .create_admin(&admin_name(ADMIN), PASSWORD)
        .expect("admin");
    // The binary allows 5 sign-ins a minute from one address: 4 users, signed in once
    // (sessions live in the database and the key in the data directory, so they survive).
    let owners = owners(&setup, "crash-owner", 3);
    let identities = addresses(&owners);
    let data_dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("crash-{}", std::process::id()));
    let mut app = Binary::new(&db.url, data_dir);
    let first_start = app.start().await;
    let bases = vec![app.base.clone()];
    let tally = load::tally();
    let mut users = load::crowd(1, active(&owners), &tally);

    let mut kills = Vec::new();
    for kill in 0..KILLS {
        let stop = Arc::new(AtomicBool::new(false));
        let running = start_load(users, &bases, &identities, &stop);
        tokio::time::sleep(Duration::from_millis(1500 + 400 * kill as u64)).await;
        let transitions_before = tally.lock().unwrap().transitions;
        app.kill();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::Relaxed);
        users = running
            .await
            .expect("load")
            .into_iter()
            .map(|(user, _)| user)
            .collect();
        // What the dead app left must be whole already, before anything repairs it.
        let checked = check_invariants(&mut db.connect());
        let restart = app.start().await;
        kills.push(format!(
            "kill {} after {transitions_before} transitions: {} processes, {} audit entries; \
             ready again after {restart:.1?}",
            kill + 1,
            checked.processes,
            checked.audit_entries
        ));
    }
    let during = take(&tally);

    // It serves again, with the sessions from before the kills.
    let done = load::run_users(users, &bases, &identities, 10, &load::no_stop()).await;
    let after = take(&tally);
    let checked = check_invariants(&mut db.connect());
    app.kill();

    println!("crash: first start ready after {first_start:.1?}");
    for line in &kills {
        println!("crash: {line}");
    }
    println!("crash: during the kills: {during}");
    report("crash", &during, &after, &checked, started);
    assert_eq!(after.transport_errors, 0, "{after}");
    let signed_in_again = done
        .iter()
        .flat_map(|(_, steps)| steps)
        .any(|s| *s == Step::SignedIn);
    assert!(!signed_in_again, "sessions survived the restarts");
}
