//! Concurrent starts, decisions and cancellations: exactly one wins, the history stays valid.

use super::*;

#[test]
fn fifty_concurrent_starts_and_initiates_open_exactly_one_process() {
    let w = world_with_pool(50);
    let owner = w.owner("alice");
    let barrier = Arc::new(Barrier::new(50));
    let results: Vec<Result<DeletionProcess, FacadeError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let (core, owner, barrier) = (w.core.clone(), owner.clone(), barrier.clone());
                scope.spawn(move || {
                    barrier.wait();
                    if i % 2 == 0 {
                        core.processes().start_as_support(&owner.address, &admin())
                    } else {
                        core.processes().initiate(&owner, None)
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
    let open = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
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
        .core
        .processes()
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
    let final_process = w
        .core
        .processes()
        .process(&owner.address, &process.id)
        .unwrap();
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
