//! The jobs with a moved clock: reminders, automatic cancellation, deletion and its retry,
//! housekeeping, two runners at once.

use super::*;

fn keys_of(w: &World, address: &IdentityAddress) -> Vec<MessageKey> {
    w.core
        .audit_log()
        .audit_log_by_address(address)
        .unwrap()
        .iter()
        .map(|e| e.message_key)
        .collect()
}

#[test]
fn jobs_remind_at_6_4_2_days_and_cancel_an_unanswered_request_after_7() {
    let w = world();
    let owner = w.owner("alice");
    let process = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
    let start = w.clock.now();
    let mut expected = vec![MessageKey::StartedBySupport];
    for (day, key) in [
        (1, Some(MessageKey::ApprovalReminder1Sent)),
        (2, None),
        (3, Some(MessageKey::ApprovalReminder2Sent)),
        (4, None),
        (5, Some(MessageKey::ApprovalReminder3Sent)),
        (6, None),
        (7, Some(MessageKey::CancelledAutomatically)),
        (8, None),
    ] {
        w.clock.set(start + Duration::days(day));
        let report = w.core.jobs().run_jobs().unwrap();
        expected.extend(key);
        assert_eq!(keys_of(&w, &owner.address), expected, "day {day}: {report}");
    }
    let process = w
        .core
        .processes()
        .process(&owner.address, &process.id)
        .unwrap();
    assert_eq!(process.status, ProcessStatus::Cancelled);
    assert_eq!(
        (process.cancelled_by_admin, process.cancelled_by_device),
        (None, None)
    );
    assert_eq!(w.identity_status(&owner), IdentityStatus::Active);
    let notices: Vec<_> = w
        .core
        .identities()
        .notifications_of(&owner.address, 10)
        .unwrap()
        .iter()
        .map(|n| n.kind)
        .collect();
    assert_eq!(
        notices[0],
        MessageKey::CancelledAutomatically,
        "newest first"
    );
    assert!(notices.contains(&MessageKey::ApprovalReminder1Sent));
}

#[test]
fn jobs_remind_at_12_10_5_days_and_delete_the_identity_after_14() {
    let w = world();
    let owner = w.owner("alice");
    let process = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
    w.core.processes().approve(&owner, &process.id).unwrap();
    let start = w.clock.now();
    let mut expected = vec![MessageKey::StartedBySupport, MessageKey::Approved];
    for (day, keys) in [
        (1, vec![]),
        (2, vec![MessageKey::GracePeriodReminder1Sent]),
        (3, vec![]),
        (4, vec![MessageKey::GracePeriodReminder2Sent]),
        (8, vec![]),
        (9, vec![MessageKey::GracePeriodReminder3Sent]),
        (13, vec![]),
        (
            14,
            vec![
                MessageKey::DeletionStarted,
                MessageKey::DataDeleted,
                MessageKey::DataDeleted,
                MessageKey::DeletionCompleted,
            ],
        ),
        (15, vec![]),
    ] {
        w.clock.set(start + Duration::days(day));
        w.core.jobs().run_jobs().unwrap();
        expected.extend(keys);
        assert_eq!(keys_of(&w, &owner.address), expected, "day {day}");
    }
    let mut conn = w.db.connect();
    let identities_left: i64 = identities::table
        .filter(identities::address.eq(&owner.address))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let devices_left: i64 = devices::table
        .filter(devices::identity_address.eq(&owner.address))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let processes_left: i64 = processes::table
        .filter(processes::id.eq(&process.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!((identities_left, devices_left, processes_left), (0, 0, 0));
    let entries = w
        .core
        .audit_log()
        .audit_log_by_address(&owner.address)
        .unwrap();
    let completed = entries
        .iter()
        .find(|e| e.message_key == MessageKey::DeletionCompleted)
        .unwrap();
    assert_eq!(completed.username_hashes, vec![audit_hash("alice")]);
    assert!(
        entries.iter().all(|e| e.process_id.is_none()),
        "entries outlive the process"
    );
}

#[test]
fn a_failed_deletion_is_recorded_and_retried() {
    let w = world();
    let owner = w.owner("alice");
    w.core
        .processes()
        .initiate(&owner, Some(GraceLength::parse("1").unwrap()))
        .unwrap();
    let mut conn = w.db.connect();
    common::refuse_device_deletes(&mut conn);
    w.clock.advance(Duration::days(1));
    let report = w.core.jobs().run_jobs().unwrap();
    assert_eq!(
        (
            report.deletions_started,
            report.identities_deleted,
            report.deletion_errors
        ),
        (1, 0, 1)
    );
    assert_eq!(w.identity_status(&owner), IdentityStatus::Deleting);
    let keys = keys_of(&w, &owner.address);
    assert_eq!(keys.last(), Some(&MessageKey::ErrorDuringDeletion));
    assert!(
        !keys.contains(&MessageKey::DataDeleted),
        "the failed deletion was rolled back"
    );

    diesel::sql_query("DROP TRIGGER refuse_device_delete ON devices")
        .execute(&mut conn)
        .unwrap();
    let report = w.core.jobs().run_jobs().unwrap();
    assert_eq!(
        (report.identities_deleted, report.deletion_errors),
        (0, 0),
        "not retried before its first backoff (5 minutes) is over"
    );
    w.clock.advance(Duration::minutes(5));
    let report = w.core.jobs().run_jobs().unwrap();
    assert_eq!((report.identities_deleted, report.deletion_errors), (1, 0));
    assert_eq!(
        keys_of(&w, &owner.address).last(),
        Some(&MessageKey::DeletionCompleted)
    );
}

#[test]
fn housekeeping_removes_finished_processes_after_30_days_and_keeps_their_log() {
    let w = world();
    let (owner, rejected) = w.process_in(ProcessStatus::Rejected, "alice");
    let (other, waiting) = w.process_in(ProcessStatus::WaitingForApproval, "bob");
    w.clock.advance(Duration::days(30) - Duration::seconds(1));
    w.core.jobs().run_jobs().unwrap();
    assert!(
        w.core
            .processes()
            .process(&owner.address, &rejected.id)
            .is_ok(),
        "kept until 30 days are over"
    );
    w.clock.advance(Duration::seconds(1));
    let report = w.core.jobs().run_jobs().unwrap();
    assert_eq!(report.finished_processes_removed, 1, "the rejected one");
    assert_eq!(
        domain_error(w.core.processes().process(&owner.address, &rejected.id)),
        DomainError::RecordNotFound("deletion process")
    );
    // The other one was cancelled automatically on day 7 and ended less than 30 days ago.
    assert_eq!(
        w.core
            .processes()
            .process(&other.address, &waiting.id)
            .unwrap()
            .status,
        ProcessStatus::Cancelled
    );
    assert_eq!(
        keys_of(&w, &owner.address),
        vec![MessageKey::StartedBySupport, MessageKey::Rejected]
    );
}

#[test]
fn two_job_runners_at_once_never_handle_a_row_twice() {
    let w = world_with_pool(12);
    let owners: Vec<Owner> = (0..12).map(|i| w.owner(&format!("owner{i}"))).collect();
    for (i, owner) in owners.iter().enumerate() {
        let process = w
            .core
            .processes()
            .start_as_support(&owner.address, &admin())
            .unwrap();
        if i % 2 == 0 {
            w.core.processes().approve(owner, &process.id).unwrap();
        }
    }
    // Day 15: waiting ones are cancelled, approved ones deleted; at day 2 reminders go out.
    for day in [2, 15] {
        w.clock
            .set(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + Duration::days(day));
        let barrier = Arc::new(Barrier::new(2));
        let reports: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (core, barrier) = (w.core.clone(), barrier.clone());
                    scope.spawn(move || {
                        barrier.wait();
                        core.jobs().run_jobs().unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let total = |f: fn(&backbone_admin::facade::jobs::JobReport) -> usize| {
            reports.iter().map(f).sum::<usize>()
        };
        if day == 2 {
            assert_eq!(total(|r| r.approval_reminders_sent), 6, "{reports:?}");
            assert_eq!(total(|r| r.grace_period_reminders_sent), 6, "{reports:?}");
        } else {
            assert_eq!(total(|r| r.stale_approvals_cancelled), 6, "{reports:?}");
            assert_eq!(total(|r| r.deletions_started), 6, "{reports:?}");
            assert_eq!(total(|r| r.identities_deleted), 6, "{reports:?}");
        }
    }
    // No entry written twice for any identity.
    for owner in &owners {
        let keys = keys_of(&w, &owner.address);
        for key in MessageKey::all() {
            let count = keys.iter().filter(|k| *k == key).count();
            let max = if *key == MessageKey::DataDeleted {
                2
            } else {
                1
            };
            assert!(count <= max, "{key} {count} times: {keys:?}");
        }
    }
}
