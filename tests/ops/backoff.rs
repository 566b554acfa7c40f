//! A deletion that keeps failing is retried after 5, 10, 20… minutes (at most a day), with one
//! `ErrorDuringDeletion` entry per attempt, and shows in the metrics. Time is moved by hand.

use std::sync::Arc;

use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::{GraceLength, MessageKey, Periods};
use backbone_admin::facade::{Core, Owner};
use backbone_admin::schema::identity_deletion_processes as processes;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::common::device_name;
use crate::common::fresh_database;
use crate::common::metrics::sample;

#[test]
fn a_failing_deletion_backs_off_with_one_audit_entry_per_attempt() {
    let metrics = backbone_admin::metrics::install().expect("metrics recorder");
    let before = metrics.render();
    let db = fresh_database();
    let clock = ManualClock::new(Utc::now());
    let core = Core::new(db.pool(4), Arc::new(clock.clone()), Periods::default());
    let created = core
        .identities()
        .create_identity(&device_name("backoff-owner"), "backoff-password", "test")
        .unwrap();
    let owner = Owner {
        address: created.address.clone(),
        device_id: created.device_id.clone(),
    };
    core.processes()
        .initiate(&owner, Some(GraceLength::parse("1").unwrap()))
        .unwrap();
    let mut conn = db.connect();
    crate::common::refuse_device_deletes(&mut conn);

    let errors = || {
        core.audit_log()
            .audit_log_by_address(&created.address)
            .unwrap()
            .into_iter()
            .filter(|e| e.message_key == MessageKey::ErrorDuringDeletion)
            .map(|e| e.additional_data)
            .collect::<Vec<_>>()
    };
    let retry_state = |conn: &mut PgConnection| -> (i32, Option<DateTime<Utc>>) {
        processes::table
            .select((
                processes::deletion_attempts,
                processes::next_deletion_attempt_at,
            ))
            .first(conn)
            .unwrap()
    };

    clock.advance(Duration::days(1));
    let report = core.jobs().run_jobs().unwrap();
    assert_eq!((report.deletions_started, report.deletion_errors), (1, 1));
    let first_failure = clock.now();
    assert_eq!(errors().len(), 1);
    assert_eq!(
        retry_state(&mut conn),
        (1, Some(first_failure + Duration::minutes(5)))
    );

    // Every minute a jobs run, as `serve` does: a new attempt only when its delay is over.
    let mut attempts_at = vec![first_failure];
    for _ in 0..(5 + 10 + 20 + 40) {
        clock.advance(Duration::minutes(1));
        let report = core.jobs().run_jobs().unwrap();
        if report.deletion_errors > 0 {
            attempts_at.push(clock.now());
        }
        assert_eq!(report.identities_deleted, 0);
    }
    let gaps: Vec<i64> = attempts_at
        .windows(2)
        .map(|w| (w[1] - w[0]).num_minutes())
        .collect();
    assert_eq!(gaps, [5, 10, 20, 40], "the delay doubles");
    let entries = errors();
    assert_eq!(
        entries.len(),
        5,
        "one audit entry per attempt, not per jobs run"
    );
    for (n, data) in entries.iter().enumerate() {
        assert_eq!(data["error"], "Unknown", "{data}");
        let attempt = data["attempt"].as_i64().unwrap();
        assert!((1..=5).contains(&attempt), "{data}");
        let _ = n;
    }
    let (attempts, next) = retry_state(&mut conn);
    assert_eq!(attempts, 5);
    assert_eq!(
        next,
        Some(*attempts_at.last().unwrap() + Duration::minutes(80))
    );

    // Much later the delay stays at a day.
    diesel::update(processes::table)
        .set(processes::deletion_attempts.eq(30))
        .execute(&mut conn)
        .unwrap();
    clock.advance(Duration::minutes(80));
    assert_eq!(core.jobs().run_jobs().unwrap().deletion_errors, 1);
    assert_eq!(
        retry_state(&mut conn),
        (31, Some(clock.now() + Duration::days(1)))
    );

    // The counts for the gauges, and the counters.
    let counts = core.statistics().status_counts().unwrap();
    assert_eq!(
        (counts.deletions_failing, counts.deletion_attempts_max),
        (1, 31)
    );
    let after = metrics.render();
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert_eq!(moved("deletion_failures_total"), 6.0, "{after}");
    assert!(
        moved(r#"job_failures_total{job_name="delete_identities"}"#) >= 6.0,
        "{after}"
    );
    assert!(
        moved(r#"job_runs_total{job_name="delete_identities"}"#) >= 77.0,
        "{after}"
    );

    // Once the cause is gone, the next attempt deletes.
    diesel::sql_query("DROP TRIGGER refuse_device_delete ON devices")
        .execute(&mut conn)
        .unwrap();
    clock.advance(Duration::days(1));
    let report = core.jobs().run_jobs().unwrap();
    assert_eq!((report.identities_deleted, report.deletion_errors), (1, 0));
    assert_eq!(
        core.audit_log()
            .audit_log_by_address(&created.address)
            .unwrap()
            .last()
            .map(|e| e.message_key),
        Some(MessageKey::DeletionCompleted)
    );
    assert_eq!(
        core.statistics().status_counts().unwrap().deletions_failing,
        0
    );
}
