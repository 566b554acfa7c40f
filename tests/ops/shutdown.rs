//! SIGTERM during a burst of slow requests and a jobs run: requests already accepted are
//! answered, new connections are refused, the jobs finish their current row, the process
//! exits 0 within the grace time, and nothing is half-written.
//!
//! The transitions are made slow by holding row locks from the test (on their identities,
//! and on the due processes the jobs want), so they are still running when the signal
//! arrives. (That the app stops a cluster it started
//! itself is shown in `demo.rs`; here the test started it, and the app leaves it running.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use backbone_admin::clock::ManualClock;
use backbone_admin::domain::{AdminUsername, Periods, ProcessStatus};
use backbone_admin::facade::Core;
use backbone_admin::pg_local::LocalCluster;
use backbone_admin::schema::identity_deletion_processes as processes;
use chrono::{Duration as Days, Utc};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::common::app::browser;
use crate::common::invariants::check_invariants;
use crate::common::report::report;
use crate::common::{admin_name, device_name};
use crate::running::{TempDir, binary, serve};

const DUE: usize = 20;
const GRACE_SECONDS: u64 = 15;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_lets_accepted_requests_and_the_current_job_row_finish() {
    let dir = TempDir::new("stop");
    let cluster =
        LocalCluster::ensure_running(&dir.path().join(".data/postgres")).expect("local cluster");
    assert!(cluster.started_here());
    cluster.ensure_database("backbone_admin").unwrap();
    let url = cluster.database_url("backbone_admin");
    let mut conn = PgConnection::establish(&url).unwrap();
    backbone_admin::db::run_migrations(&mut conn).unwrap();

    // Processes whose approval period ended yesterday (started 8 days ago), due for the
    // automatic cancellation; and identities support will start processes for.
    let eight_days_ago = ManualClock::new(Utc::now() - Days::days(8));
    let past = Core::new(
        backbone_admin::db::build_pool(&url, 4, Duration::from_secs(5)),
        Arc::new(eight_days_ago),
        Periods::default(),
    );
    past.accounts()
        .create_admin(&admin_name("stop-admin"), "a long enough password")
        .unwrap();
    let admin = AdminUsername::parse("stop-admin").unwrap();
    for n in 0..DUE {
        let created = past
            .identities()
            .create_identity(&device_name(&format!("due-{n}")), "owner-password", "test")
            .unwrap();
        past.processes()
            .start_as_support(&created.address, &admin)
            .unwrap();
    }
    let targets: Vec<String> = (0..4)
        .map(|n| {
            past.identities()
                .create_identity(
                    &device_name(&format!("target-{n}")),
                    "owner-password",
                    "test",
                )
                .unwrap()
                .address
                .to_string()
        })
        .collect();

    // Hold the targets' identities (support's transitions wait for them) and the due
    // processes (the jobs take the identity, skipping locked ones, then wait for the process).
    let mut blocker = PgConnection::establish(&url).unwrap();
    diesel::sql_query("BEGIN").execute(&mut blocker).unwrap();
    let quoted: Vec<String> = targets.iter().map(|a| format!("'{a}'")).collect();
    diesel::sql_query(format!(
        "SELECT 1 FROM identities WHERE address IN ({}) FOR UPDATE",
        quoted.join(",")
    ))
    .execute(&mut blocker)
    .unwrap();
    diesel::sql_query(
        "SELECT 1 FROM identity_deletion_processes WHERE status = 'WaitingForApproval' FOR UPDATE",
    )
    .execute(&mut blocker)
    .unwrap();

    let mut app = serve(
        &binary(),
        dir.path(),
        &[
            ("JOBS_INTERVAL_SECONDS", "3600"),
            ("SHUTDOWN_GRACE_SECONDS", &GRACE_SECONDS.to_string()),
        ],
    );
    let admin = browser();
    app.sign_in(
        &admin,
        "/admin/login",
        "stop-admin",
        "a long enough password",
    )
    .await;
    // Tokens for the transitions, taken before the burst.
    let mut forms = Vec::new();
    for address in &targets {
        let html = app
            .get(&admin, "/admin/audit-logs")
            .await
            .text()
            .await
            .unwrap();
        let token = crate::common::app::csrf_token_in(&html);
        forms.push((address.clone(), token));
    }

    // The burst: start a process for each target (held), and view each target's page.
    let mut requests = Vec::new();
    for (address, token) in forms {
        let client = admin.clone();
        let url = app.url(&format!("/admin/identities/{address}/deletion-processes"));
        requests.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .form(&[("csrf_token", token.as_str())])
                .send()
                .await;
            ("start", response.map(|r| r.status()))
        }));
        let client = admin.clone();
        let url = app.url(&format!("/admin/identities/{address}"));
        requests.push(tokio::spawn(async move {
            ("view", client.get(url).send().await.map(|r| r.status()))
        }));
    }
    // Let them reach the server and the transitions block on the locks, then ask it to stop.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let held = |requests: &[tokio::task::JoinHandle<_>]| {
        requests.iter().step_by(2).all(|r| !r.is_finished())
    };
    assert!(held(&requests), "the transitions are held");
    let signalled = Instant::now();
    app.signal(libc::SIGTERM);

    // It no longer accepts connections, while the held requests are still running.
    let port = app.port();
    let refused = {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match std::net::TcpStream::connect(("127.0.0.1", port)) {
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break true,
                _ if Instant::now() > deadline => break false,
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    };
    assert!(refused, "new connections are refused after SIGTERM");
    assert!(held(&requests), "still held");
    assert!(
        app.wait_for_exit(Duration::from_millis(10)).is_none(),
        "it waits for them"
    );

    // Release the lock: everything accepted gets its answer.
    tokio::time::sleep(Duration::from_millis(500)).await;
    diesel::sql_query("COMMIT").execute(&mut blocker).unwrap();
    let mut answers = Vec::new();
    for request in requests {
        let (what, status) = request.await.unwrap();
        let status = status.unwrap_or_else(|e| panic!("{what} got no answer: {e}"));
        answers.push((what, status));
    }
    for (what, status) in &answers {
        let expected = if *what == "start" {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::OK
        };
        assert_eq!(*status, expected, "{what}");
    }

    let status = app
        .wait_for_exit(Duration::from_secs(GRACE_SECONDS))
        .unwrap_or_else(|| {
            panic!(
                "no exit within the grace time:\n{}",
                app.stderr_lines().join("\n")
            )
        });
    let took = signalled.elapsed();
    assert!(status.success(), "exit status {status}");
    assert!(took < Duration::from_secs(GRACE_SECONDS), "{took:?}");

    // The jobs run was waiting on its first row: it finished that row and stopped.
    let cancelled: i64 = processes::table
        .filter(processes::status.eq(ProcessStatus::Cancelled))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(
        (1..DUE as i64).contains(&cancelled),
        "{cancelled} of {DUE} due processes handled"
    );
    let started: i64 = processes::table
        .filter(processes::status.eq(ProcessStatus::WaitingForApproval))
        .filter(processes::started_by_admin.is_not_null())
        .filter(processes::created_at.gt(Utc::now() - Days::hours(1)))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(
        started,
        targets.len() as i64,
        "every accepted start took effect"
    );

    // This process started the cluster, so the app left it running; nothing half-written.
    assert!(cluster.is_running().unwrap());
    let checked = check_invariants(&mut conn);
    report(
        "shutdown",
        &format!(
            "{} requests answered after SIGTERM, exit 0 after {:.1} s; jobs handled {cancelled} of {DUE} due rows; {checked}",
            answers.len(),
            took.as_secs_f64()
        ),
    );
    drop(conn);
    cluster.stop().unwrap();
}
