//! Done-when 7 (the part a test can show): beyond the hash queue's bound a sign-in gets 503
//! with `Retry-After` at once, never a hang. The bound is process-wide, so this runs the
//! real binary with `HASH_QUEUE_LIMIT=1` rather than lowering it for every test here.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backbone_admin::clock::SystemClock;
use backbone_admin::domain::Periods;
use backbone_admin::facade::IdentityDeletionProcessFacade;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::common::fresh_database;
use crate::helpers::*;

struct Server(Child, std::path::PathBuf);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

const SIGN_INS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_queue_bound_sign_ins_get_503_with_retry_after_never_a_hang() {
    let db = fresh_database();
    let setup =
        IdentityDeletionProcessFacade::new(db.pool(2), Arc::new(SystemClock), Periods::default());
    setup.create_admin(ADMIN, PASSWORD).expect("admin");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let data_dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hash-queue-{}", std::process::id()));
    let bind = format!("127.0.0.1:{port}");
    let settings = [
        ("DATABASE_URL", db.url.as_str()),
        ("BIND", bind.as_str()),
        ("HASH_QUEUE_LIMIT", "1"),
        ("COOKIE_SECURE", "false"),
        ("JOBS_INTERVAL_SECONDS", "0"),
        ("RUST_LOG", "off"),
    ];
    let child = Command::new(env!("CARGO_BIN_EXE_backbone-admin"))
        .arg("serve")
        .envs(settings)
        .env("DATA_DIR", &data_dir)
        .env_remove("SESSION_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the app");
    let _server = Server(child, data_dir);
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while reqwest::get(format!("{base}/readyz"))
        .await
        .map(|r| r.status())
        .ok()
        != Some(StatusCode::OK)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the app did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let tasks: Vec<_> = (0..SIGN_INS)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(async move {
                let fields = [("username", ADMIN), ("password", PASSWORD)];
                let started = Instant::now();
                let response =
                    post_sign_in_at(&base, &browser(), "/admin/login", &fields, None).await;
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_owned());
                (response.status(), retry_after, started.elapsed())
            })
        })
        .collect();
    let mut busy = 0;
    let mut signed_in = 0;
    for task in tasks {
        let (status, retry_after, took) = task.await.unwrap();
        assert!(
            took < Duration::from_secs(20),
            "a sign-in hung for {took:?}"
        );
        match status {
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(retry_after.as_deref(), Some("2"));
            }
            StatusCode::SEE_OTHER => signed_in += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        busy > 0,
        "with one place, concurrent sign-ins are turned away"
    );
    assert!(signed_in > 0, "and the ones that got a place signed in");
    // Turned-away attempts are no failures: the account is not throttled afterwards.
    let fields = [("username", ADMIN), ("password", PASSWORD)];
    let response = post_sign_in_at(&base, &browser(), "/admin/login", &fields, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
