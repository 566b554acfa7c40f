//! Done-when 7 (the part a test can show): beyond the hash queue's bound a sign-in gets 503
//! with `Retry-After` at once, never a hang. (Attempts in flight count against the account
//! until their password is found right, so some of sixteen simultaneous sign-ins to one
//! account from one network are answered 429 instead: refused at once too.) The bound is process-wide, so this runs the
//! real binary with `HASH_QUEUE_LIMIT=1` rather than lowering it for every test here.

use std::sync::Arc;
use std::time::{Duration, Instant};

use backbone_admin::clock::SystemClock;
use backbone_admin::domain::Periods;
use backbone_admin::facade::Core;
use reqwest::StatusCode;

use crate::common::admin_name;
use crate::common::app::*;
use crate::common::binary::ServeProcess;
use crate::common::fresh_database;
use crate::helpers::*;

const SIGN_INS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_queue_bound_sign_ins_get_503_with_retry_after_never_a_hang() {
    let db = fresh_database();
    let setup = Core::new(db.pool(2), Arc::new(SystemClock), Periods::default());
    setup
        .accounts()
        .create_admin(&admin_name(ADMIN), PASSWORD)
        .expect("admin");
    let server = ServeProcess::start(&db.url, "hash-queue", &[("HASH_QUEUE_LIMIT", "1")]).await;
    let base = server.base.clone();

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
    let (mut busy, mut throttled, mut signed_in) = (0, 0, 0);
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
            StatusCode::TOO_MANY_REQUESTS => {
                throttled += 1;
                assert!(retry_after.is_some());
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
    assert_eq!(busy + throttled + signed_in, SIGN_INS);
    // Turned-away attempts are no failures: the account is not throttled afterwards.
    let fields = [("username", ADMIN), ("password", PASSWORD)];
    let response = post_sign_in_at(&base, &browser(), "/admin/login", &fields, None).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
