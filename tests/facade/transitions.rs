//! Every transition from every status, the one-open-process rule, not-found cases and the
//! grace period's expiry.

use super::*;

#[test]
fn every_transition_from_every_status() {
    let w = world();
    let mut n = 0;
    for op in [Op::Approve, Op::Reject, Op::Cancel, Op::CancelAsSupport] {
        let (from, to, key) = op.rule();
        for status in ProcessStatus::ALL {
            n += 1;
            let (owner, process) = w.process_in(*status, &format!("owner{n}"));
            let identity_before = w.core.identities().identity(&owner.address).unwrap();
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
                let identity = w.core.identities().identity(&owner.address).unwrap();
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
                assert_eq!(
                    w.core.identities().identity(&owner.address).unwrap(),
                    identity_before
                );
                assert_eq!(
                    w.core
                        .processes()
                        .process(&owner.address, &process.id)
                        .unwrap(),
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
    let started = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
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
        domain_error(
            w.core
                .processes()
                .start_as_support(&owner.address, &admin())
        ),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(
        domain_error(w.core.processes().initiate(&owner, None)),
        DomainError::ActiveProcessAlreadyExists
    );
    // Approved: likewise.
    w.core.processes().approve(&owner, &started.id).unwrap();
    assert_eq!(
        domain_error(w.core.processes().initiate(&owner, None)),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(
        domain_error(
            w.core
                .processes()
                .start_as_support(&owner.address, &admin())
        ),
        DomainError::ActiveProcessAlreadyExists
    );
    assert_eq!(w.open_processes(&owner), 1);

    // After cancelling, the owner may initiate with a grace length of their choice.
    w.core.processes().cancel(&owner, &started.id).unwrap();
    let initiated = w
        .core
        .processes()
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
        domain_error(w.core.processes().start_as_support(&unknown, &admin())),
        DomainError::RecordNotFound("identity")
    );

    let bobs = w
        .core
        .processes()
        .start_as_support(&bob.address, &admin())
        .unwrap();
    for op in [Op::Approve, Op::Reject, Op::Cancel, Op::CancelAsSupport] {
        assert_eq!(
            domain_error(op.run(&w, &alice, &bobs.id)),
            DomainError::RecordNotFound("deletion process")
        );
    }
    assert_eq!(
        domain_error(w.core.processes().process(&alice.address, &bobs.id)),
        DomainError::RecordNotFound("deletion process")
    );
    assert_eq!(
        domain_error(
            w.core
                .audit_log()
                .audit_log_of_process(&alice.address, &bobs.id)
        )
        .code(),
        "error.platform.recordNotFound"
    );
    assert_eq!(
        w.core
            .processes()
            .process(&bob.address, &bobs.id)
            .unwrap()
            .status,
        ProcessStatus::WaitingForApproval
    );

    // A device of another identity cannot act for this one.
    let forged = Owner {
        address: bob.address.clone(),
        device_id: alice.device_id.clone(),
    };
    assert_eq!(
        domain_error(w.core.processes().approve(&forged, &bobs.id)),
        DomainError::RecordNotFound("device")
    );
    assert_eq!(
        w.core
            .processes()
            .process(&bob.address, &bobs.id)
            .unwrap()
            .status,
        ProcessStatus::WaitingForApproval
    );
}

#[test]
fn get_active_and_grace_period_expiry() {
    let w = world();
    let owner = w.owner("alice");
    assert_eq!(
        domain_error(w.core.processes().active_process(&owner.address)),
        DomainError::NoActiveProcess
    );
    let process = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .unwrap();
    assert_eq!(
        domain_error(w.core.processes().active_process(&owner.address)),
        DomainError::NoActiveProcess,
        "waiting is not active"
    );
    w.core.processes().approve(&owner, &process.id).unwrap();
    assert_eq!(
        w.core
            .processes()
            .active_process(&owner.address)
            .unwrap()
            .id,
        process.id
    );

    w.clock.advance(Duration::days(14));
    assert_eq!(
        domain_error(w.core.processes().cancel(&owner, &process.id)),
        DomainError::GracePeriodHasAlreadyExpired
    );
    assert_eq!(
        w.core
            .processes()
            .process(&owner.address, &process.id)
            .unwrap()
            .status,
        ProcessStatus::Approved
    );
    assert!(
        !w.core.credentials().owner_may_continue(&owner).unwrap(),
        "no sign-in after the grace period"
    );
}
