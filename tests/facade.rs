//! The deletion-process facade against real PostgreSQL: every transition from every
//! status, the audit log, concurrency, and the time-driven jobs.

mod common;

use std::sync::{Arc, Barrier};

use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::owner_limit::OwnerLimit;
use backbone_admin::domain::{
    AdminUsername, DeletionProcess, DeletionProcessId, DomainError, GraceLength, IdentityAddress,
    IdentityStatus, MessageKey, Periods, ProcessStatus,
};
use backbone_admin::facade::models::AuditEntry;
use backbone_admin::facade::{FacadeError, IdentityDeletionProcessFacade, Owner};
use backbone_admin::hashing::audit_hash;
use backbone_admin::schema::{
    devices, identities, identity_deletion_process_audit_log as audit_log,
    identity_deletion_processes as processes,
};
use chrono::{Duration, TimeZone, Utc};
use common::{TestDatabase, fresh_database};
use diesel::prelude::*;

const ADMIN: &str = "support";

fn admin() -> AdminUsername {
    AdminUsername::parse(ADMIN).unwrap()
}

struct World {
    db: TestDatabase,
    facade: IdentityDeletionProcessFacade,
    clock: ManualClock,
}

fn world() -> World {
    world_with_pool(4)
}

fn world_with_pool(size: u32) -> World {
    let db = fresh_database();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    let facade = IdentityDeletionProcessFacade::new(
        db.pool(size),
        Arc::new(clock.clone()),
        Periods::default(),
    );
    facade.create_admin(ADMIN, "admin-password").unwrap();
    World { db, facade, clock }
}

impl World {
    fn owner(&self, username: &str) -> Owner {
        let created = self
            .facade
            .create_identity(username, "owner-password", "test")
            .unwrap();
        Owner {
            address: created.address,
            device_id: created.device_id,
        }
    }

    fn audit(&self, id: &DeletionProcessId) -> Vec<AuditEntry> {
        let address: IdentityAddress = processes::table
            .find(id)
            .select(processes::identity_address)
            .first(&mut self.db.connect())
            .unwrap();
        self.facade.audit_log_of_process(&address, id).unwrap()
    }

    fn identity_status(&self, owner: &Owner) -> IdentityStatus {
        self.facade.identity(&owner.address).unwrap().status
    }

    fn open_processes(&self, owner: &Owner) -> i64 {
        processes::table
            .filter(processes::identity_address.eq(&owner.address))
            .filter(processes::status.eq_any([
                ProcessStatus::WaitingForApproval,
                ProcessStatus::Approved,
                ProcessStatus::Deleting,
            ]))
            .count()
            .get_result(&mut self.db.connect())
            .unwrap()
    }

    /// A process of a new identity in the given status.
    fn process_in(&self, status: ProcessStatus, username: &str) -> (Owner, DeletionProcess) {
        let owner = self.owner(username);
        let process = self
            .facade
            .start_as_support(&owner.address, &admin())
            .unwrap();
        let process = match status {
            ProcessStatus::WaitingForApproval => process,
            ProcessStatus::Approved => self.facade.approve(&owner, &process.id).unwrap(),
            ProcessStatus::Rejected => self.facade.reject(&owner, &process.id).unwrap(),
            ProcessStatus::Cancelled => {
                self.facade.approve(&owner, &process.id).unwrap();
                self.facade.cancel(&owner, &process.id).unwrap()
            }
            ProcessStatus::Deleting => {
                // The jobs would delete the identity in the same run; stop right after the
                // transition to look at this state.
                self.facade.approve(&owner, &process.id).unwrap();
                let mut conn = self.db.connect();
                diesel::update(processes::table.find(&process.id))
                    .set((
                        processes::status.eq(ProcessStatus::Deleting),
                        processes::deletion_started_at.eq(Utc::now()),
                    ))
                    .execute(&mut conn)
                    .unwrap();
                diesel::update(identities::table.find(&owner.address))
                    .set(identities::status.eq(IdentityStatus::Deleting))
                    .execute(&mut conn)
                    .unwrap();
                self.facade.process(&owner.address, &process.id).unwrap()
            }
        };
        assert_eq!(process.status, status);
        (owner, process)
    }
}

fn domain_error<T: std::fmt::Debug>(result: Result<T, FacadeError>) -> DomainError {
    match result {
        Err(FacadeError::Domain(error)) => error,
        other => panic!("expected a domain error, got {other:?}"),
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Approve,
    Reject,
    Cancel,
    CancelAsSupport,
}

impl Op {
    fn run(
        self,
        w: &World,
        owner: &Owner,
        id: &DeletionProcessId,
    ) -> Result<DeletionProcess, FacadeError> {
        match self {
            Op::Approve => w.facade.approve(owner, id),
            Op::Reject => w.facade.reject(owner, id),
            Op::Cancel => w.facade.cancel(owner, id),
            Op::CancelAsSupport => w.facade.cancel_as_support(&owner.address, id, &admin()),
        }
    }

    /// The status it starts from, the status it leads to, and its audit key.
    fn rule(self) -> (ProcessStatus, ProcessStatus, MessageKey) {
        match self {
            Op::Approve => (
                ProcessStatus::WaitingForApproval,
                ProcessStatus::Approved,
                MessageKey::Approved,
            ),
            Op::Reject => (
                ProcessStatus::WaitingForApproval,
                ProcessStatus::Rejected,
                MessageKey::Rejected,
            ),
            Op::Cancel => (
                ProcessStatus::Approved,
                ProcessStatus::Cancelled,
                MessageKey::CancelledByOwner,
            ),
            Op::CancelAsSupport => (
                ProcessStatus::Approved,
                ProcessStatus::Cancelled,
                MessageKey::CancelledBySupport,
            ),
        }
    }

    fn refusal(self, actual: ProcessStatus) -> DomainError {
        match self {
            Op::Approve | Op::Reject => DomainError::NoWaitingForApprovalProcess,
            Op::Cancel => DomainError::NoApprovedProcess,
            Op::CancelAsSupport => DomainError::NotInRequiredStatus {
                required: ProcessStatus::Approved,
                actual,
            },
        }
    }
}

#[test]
fn every_transition_from_every_status() {
    let w = world();
    let mut n = 0;
    for op in [Op::Approve, Op::Reject, Op::Cancel, Op::CancelAsSupport] {
        let (from, to, key) = op.rule();
        for status in ProcessStatus::ALL {
            n += 1;
            let (owner, process) = w.process_in(*status, &format!("owner{n}"));
            let identity_before = w.facade.identity(&owner.address).unwrap();
            let entries_before = w.audit(&process.id).len();
            let result = op.run(&w, &owner, &process.id);
            let entries = w.audit(&process.id);
            if *status == from {
                let after = result.unwrap_or_else(|e| panic!("{op:?} from {status}: {e}"));
                assert_eq!(after.status, to, "{op:?}");
                assert_eq!(
                    entries.len(),
                    entries_before + 1,
                    "{op:?} writes exactly one entry"
                );
                let entry = entries.last().unwrap();
                assert_eq!(entry.message_key, key);
                assert_eq!((entry.old_status, entry.new_status), (Some(from), Some(to)));
                let identity = w.facade.identity(&owner.address).unwrap();
                match to {
                    ProcessStatus::Approved => {
                        assert_eq!(identity.status, IdentityStatus::ToBeDeleted);
                        assert_eq!(identity.tier_id, "TIR00000000000000001");
                        assert_eq!(
                            identity.tier_id_before_deletion.as_deref(),
                            Some("TIRBASIC000000000000")
                        );
                        assert_eq!(
                            identity.deletion_grace_period_ends_at,
                            after.grace_period_ends_at
                        );
                    }
                    _ => {
                        assert_eq!(identity.status, IdentityStatus::Active, "{op:?}");
                        assert_eq!(identity.tier_id, "TIRBASIC000000000000");
                        assert_eq!(identity.tier_id_before_deletion, None);
                        assert_eq!(identity.deletion_grace_period_ends_at, None);
                    }
                }
            } else {
                assert_eq!(
                    domain_error(result),
                    op.refusal(*status),
                    "{op:?} from {status}"
                );
                assert_eq!(entries.len(), entries_before, "a refusal writes nothing");
                assert_eq!(w.facade.identity(&owner.address).unwrap(), identity_before);
                assert_eq!(
                    w.facade.process(&owner.address, &process.id).unwrap(),
                    process
                );
            }
        }
    }
}

#[test]
fn start_and_initiate_write_one_entry_and_refuse_a_second_open_process() {
    let w = world();
    let owner = w.owner("alice");
    let started = w.facade.start_as_support(&owner.address, &admin()).unwrap();
    assert_eq!(started.status, ProcessStatus::WaitingForApproval);
    assert_eq!(
        started.approval_period_ends_at,
        Some(w.clock.now() + Duration::days(7))
    );
    let entries = w.audit(&started.id);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].message_key, MessageKey::StartedBySupport);
    assert_eq!(
        (entries[0].old_status, entries[0].new_status),
        (None, Some(ProcessStatus::WaitingForApproval))
    );
    assert_eq!(
        w.identity_status(&owner),
        IdentityStatus::Active,
        "support start leaves the identity alone"
    );

    // Waiting: neither another start nor an initiate.
    assert_eq!(
        domain_error(w.facade.start_as_support(&owner.address, &admin())),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(
        domain_error(w.facade.initiate(&owner, None)),
        DomainError::ActiveProcessAlreadyExists
    );
    // Approved: likewise.
    w.facade.approve(&owner, &started.id).unwrap();
    assert_eq!(
        domain_error(w.facade.initiate(&owner, None)),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(
        domain_error(w.facade.start_as_support(&owner.address, &admin())),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(w.open_processes(&owner), 1);

    // After cancelling, the owner may initiate with a grace length of their choice.
    w.facade.cancel(&owner, &started.id).unwrap();
    let initiated = w
        .facade
        .initiate(&owner, Some(GraceLength::parse("3").unwrap()))
        .unwrap();
    assert_eq!(initiated.status, ProcessStatus::Approved);
    assert_eq!(
        initiated.grace_period_ends_at,
        Some(w.clock.now() + Duration::days(3))
    );
    assert_eq!(initiated.approved_by_device, Some(owner.device_id.clone()));
    let entries = w.audit(&initiated.id);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].message_key, MessageKey::StartedByOwner);
    assert_eq!(
        entries[0].device_id_hash.as_deref(),
        Some(audit_hash(owner.device_id.as_str()).as_slice())
    );
    assert_eq!(w.identity_status(&owner), IdentityStatus::ToBeDeleted);
}

#[test]
fn unknown_identity_and_foreign_process_are_not_found() {
    let w = world();
    let alice = w.owner("alice");
    let bob = w.owner("bob");
    let unknown = IdentityAddress::parse("did:e:localhost:dids:00000000000000000000ff").unwrap();
    assert_eq!(
        domain_error(w.facade.start_as_support(&unknown, &admin())),
        DomainError::RecordNotFound("identity")
    );

    let bobs = w.facade.start_as_support(&bob.address, &admin()).unwrap();
    for op in [Op::Approve, Op::Reject, Op::Cancel, Op::CancelAsSupport] {
        assert_eq!(
            domain_error(op.run(&w, &alice, &bobs.id)),
            DomainError::RecordNotFound("deletion process")
        );
    }
    assert_eq!(
        domain_error(w.facade.process(&alice.address, &bobs.id)),
        DomainError::RecordNotFound("deletion process")
    );
    assert_eq!(
        domain_error(w.facade.audit_log_of_process(&alice.address, &bobs.id)).code(),
        "error.platform.recordNotFound"
    );
    assert_eq!(
        w.facade.process(&bob.address, &bobs.id).unwrap().status,
        ProcessStatus::WaitingForApproval
    );

    // A device of another identity cannot act for this one.
    let forged = Owner {
        address: bob.address.clone(),
        device_id: alice.device_id.clone(),
    };
    assert_eq!(
        domain_error(w.facade.approve(&forged, &bobs.id)),
        DomainError::RecordNotFound("device")
    );
    assert_eq!(
        w.facade.process(&bob.address, &bobs.id).unwrap().status,
        ProcessStatus::WaitingForApproval
    );
}

#[test]
fn get_active_and_grace_period_expiry() {
    let w = world();
    let owner = w.owner("alice");
    assert_eq!(
        domain_error(w.facade.active_process(&owner.address)),
        DomainError::NoActiveProcess
    );
    let process = w.facade.start_as_support(&owner.address, &admin()).unwrap();
    assert_eq!(
        domain_error(w.facade.active_process(&owner.address)),
        DomainError::NoActiveProcess,
        "waiting is not active"
    );
    w.facade.approve(&owner, &process.id).unwrap();
    assert_eq!(
        w.facade.active_process(&owner.address).unwrap().id,
        process.id
    );

    w.clock.advance(Duration::days(14));
    assert_eq!(
        domain_error(w.facade.cancel(&owner, &process.id)),
        DomainError::GracePeriodHasAlreadyExpired
    );
    assert_eq!(
        w.facade
            .process(&owner.address, &process.id)
            .unwrap()
            .status,
        ProcessStatus::Approved
    );
    assert!(
        !w.facade.owner_may_continue(&owner).unwrap(),
        "no sign-in after the grace period"
    );
}

#[test]
fn fifty_concurrent_starts_and_initiates_open_exactly_one_process() {
    let w = world_with_pool(50);
    let owner = w.owner("alice");
    let barrier = Arc::new(Barrier::new(50));
    let results: Vec<Result<DeletionProcess, FacadeError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let (facade, owner, barrier) = (w.facade.clone(), owner.clone(), barrier.clone());
                scope.spawn(move || {
                    barrier.wait();
                    if i % 2 == 0 {
                        facade.start_as_support(&owner.address, &admin())
                    } else {
                        facade.initiate(&owner, None)
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let winners = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(winners, 1);
    for result in results.into_iter().filter(Result::is_err) {
        assert_eq!(
            domain_error(result),
            DomainError::ActiveProcessAlreadyExists
        );
    }
    assert_eq!(w.open_processes(&owner), 1);
    let started: i64 = audit_log::table
        .filter(
            audit_log::message_key
                .eq_any([MessageKey::StartedBySupport, MessageKey::StartedByOwner]),
        )
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(started, 1);
}

#[test]
fn the_unique_index_backs_the_rule_when_the_check_is_bypassed() {
    let w = world();
    let owner = w.owner("alice");
    let open = w.facade.start_as_support(&owner.address, &admin()).unwrap();
    let mut second = open.clone();
    second.id = DeletionProcessId::generate();
    let error: FacadeError = diesel::insert_into(processes::table)
        .values(&second)
        .execute(&mut w.db.connect())
        .unwrap_err()
        .into();
    assert_eq!(
        domain_error::<()>(Err(error)),
        DomainError::ActiveProcessAlreadyExists
    );
}

fn race(
    w: &World,
    owner: &Owner,
    id: &DeletionProcessId,
    ops: &[Op],
) -> Vec<(Op, Result<DeletionProcess, FacadeError>)> {
    let barrier = Arc::new(Barrier::new(ops.len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = ops
            .iter()
            .map(|&op| {
                let barrier = barrier.clone();
                scope.spawn(move || {
                    barrier.wait();
                    (op, op.run(w, owner, id))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn approve_and_reject_racing_on_one_request_let_exactly_one_win() {
    let w = world_with_pool(40);
    let (owner, process) = w.process_in(ProcessStatus::WaitingForApproval, "alice");
    let ops: Vec<Op> = (0..40)
        .map(|i| if i % 2 == 0 { Op::Approve } else { Op::Reject })
        .collect();
    let results = race(&w, &owner, &process.id, &ops);
    let winners: Vec<_> = results.iter().filter(|(_, r)| r.is_ok()).collect();
    assert_eq!(winners.len(), 1);
    let final_status = w
        .facade
        .process(&owner.address, &process.id)
        .unwrap()
        .status;
    let entries = w.audit(&process.id);
    assert_eq!(entries.len(), 2, "started + the one winning decision");
    assert_eq!(entries[1].new_status, Some(final_status));
    let expected_identity = if final_status == ProcessStatus::Approved {
        IdentityStatus::ToBeDeleted
    } else {
        IdentityStatus::Active
    };
    assert_eq!(w.identity_status(&owner), expected_identity);
}

#[test]
fn owner_and_support_cancelling_at_once_cancel_once() {
    let w = world_with_pool(40);
    let (owner, process) = w.process_in(ProcessStatus::Approved, "alice");
    let ops: Vec<Op> = (0..40)
        .map(|i| {
            if i % 2 == 0 {
                Op::Cancel
            } else {
                Op::CancelAsSupport
            }
        })
        .collect();
    let results = race(&w, &owner, &process.id, &ops);
    assert_eq!(results.iter().filter(|(_, r)| r.is_ok()).count(), 1);
    let entries = w.audit(&process.id);
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2].new_status, Some(ProcessStatus::Cancelled));
    assert_eq!(w.identity_status(&owner), IdentityStatus::Active);
}

#[test]
fn approve_reject_and_support_cancel_racing_leave_a_valid_history() {
    let w = world_with_pool(30);
    let (owner, process) = w.process_in(ProcessStatus::WaitingForApproval, "alice");
    let ops: Vec<Op> = (0..30)
        .map(|i| [Op::Approve, Op::Reject, Op::CancelAsSupport][i % 3])
        .collect();
    race(&w, &owner, &process.id, &ops);
    let final_process = w.facade.process(&owner.address, &process.id).unwrap();
    let path: Vec<_> = w.audit(&process.id).iter().map(|e| e.message_key).collect();
    let valid = [
        vec![MessageKey::StartedBySupport, MessageKey::Rejected],
        vec![MessageKey::StartedBySupport, MessageKey::Approved],
        vec![
            MessageKey::StartedBySupport,
            MessageKey::Approved,
            MessageKey::CancelledBySupport,
        ],
    ];
    assert!(valid.contains(&path), "{path:?}");
    let expected = match path.last().unwrap() {
        MessageKey::Rejected => ProcessStatus::Rejected,
        MessageKey::Approved => ProcessStatus::Approved,
        _ => ProcessStatus::Cancelled,
    };
    assert_eq!(final_process.status, expected);
}

fn keys_of(w: &World, address: &IdentityAddress) -> Vec<MessageKey> {
    w.facade
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
    let process = w.facade.start_as_support(&owner.address, &admin()).unwrap();
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
        let report = w.facade.run_jobs().unwrap();
        expected.extend(key);
        assert_eq!(keys_of(&w, &owner.address), expected, "day {day}: {report}");
    }
    let process = w.facade.process(&owner.address, &process.id).unwrap();
    assert_eq!(process.status, ProcessStatus::Cancelled);
    assert_eq!(
        (process.cancelled_by_admin, process.cancelled_by_device),
        (None, None)
    );
    assert_eq!(w.identity_status(&owner), IdentityStatus::Active);
    let notices: Vec<_> = w
        .facade
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
    let process = w.facade.start_as_support(&owner.address, &admin()).unwrap();
    w.facade.approve(&owner, &process.id).unwrap();
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
        w.facade.run_jobs().unwrap();
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
    let entries = w.facade.audit_log_by_address(&owner.address).unwrap();
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
    w.facade
        .initiate(&owner, Some(GraceLength::parse("1").unwrap()))
        .unwrap();
    let mut conn = w.db.connect();
    common::refuse_device_deletes(&mut conn);
    w.clock.advance(Duration::days(1));
    let report = w.facade.run_jobs().unwrap();
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
    let report = w.facade.run_jobs().unwrap();
    assert_eq!(
        (report.identities_deleted, report.deletion_errors),
        (0, 0),
        "not retried before its first backoff (5 minutes) is over"
    );
    w.clock.advance(Duration::minutes(5));
    let report = w.facade.run_jobs().unwrap();
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
    w.facade.run_jobs().unwrap();
    assert!(
        w.facade.process(&owner.address, &rejected.id).is_ok(),
        "kept until 30 days are over"
    );
    w.clock.advance(Duration::seconds(1));
    let report = w.facade.run_jobs().unwrap();
    assert_eq!(report.finished_processes_removed, 1, "the rejected one");
    assert_eq!(
        domain_error(w.facade.process(&owner.address, &rejected.id)),
        DomainError::RecordNotFound("deletion process")
    );
    // The other one was cancelled automatically on day 7 and ended less than 30 days ago.
    assert_eq!(
        w.facade
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
        let process = w.facade.start_as_support(&owner.address, &admin()).unwrap();
        if i % 2 == 0 {
            w.facade.approve(owner, &process.id).unwrap();
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
                    let (facade, barrier) = (w.facade.clone(), barrier.clone());
                    scope.spawn(move || {
                        barrier.wait();
                        facade.run_jobs().unwrap()
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

#[test]
fn the_audit_log_holds_no_clear_text_personal_data() {
    let w = world();
    let owner = w.owner("carol.smith");
    let process = w.facade.start_as_support(&owner.address, &admin()).unwrap();
    w.facade.approve(&owner, &process.id).unwrap();
    w.clock.advance(Duration::days(15));
    w.facade.run_jobs().unwrap();
    let dump: Vec<String> = diesel::sql_query(
        "SELECT row_to_json(a)::text AS row FROM identity_deletion_process_audit_log a",
    )
    .load::<Row>(&mut w.db.connect())
    .unwrap()
    .into_iter()
    .map(|r| r.row)
    .collect();
    assert!(dump.len() >= 5);
    for row in &dump {
        for secret in [
            owner.address.as_str(),
            owner.device_id.as_str(),
            "carol.smith",
            "carol",
        ] {
            assert!(!row.contains(secret), "{secret} found in {row}");
        }
        let hex_address = hex_of(owner.address.as_str());
        assert!(!row.contains(&hex_address));
    }
    // …and yet the entries are found by typing the address.
    assert!(w.facade.audit_log_by_address(&owner.address).unwrap().len() >= 5);
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}

/// How PostgreSQL's JSON shows a bytea holding this text.
fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_owners_hourly_limit_is_the_configured_one() {
    let w = world();
    let facade = w.facade.clone().with_owner_limit(OwnerLimit::new(3));
    let owner = w.owner("limited");
    let first = facade.initiate(&owner, None).unwrap();
    facade.cancel(&owner, &first.id).unwrap();
    let second = facade.initiate(&owner, None).unwrap();
    // The fourth transition within the hour is refused, and names the configured limit.
    assert!(matches!(
        domain_error(facade.cancel(&owner, &second.id)),
        DomainError::TooManyTransitions { limit: 3, .. }
    ));
    assert_eq!(w.open_processes(&owner), 1);
    // An hour after the first, one more is allowed again.
    w.clock.advance(Duration::minutes(61));
    facade.cancel(&owner, &second.id).unwrap();
    assert_eq!(w.open_processes(&owner), 0);
}
