//! The deletion-process facade against real PostgreSQL: every transition from every
//! status, the audit log, concurrency, and the time-driven jobs.

#[path = "../common/mod.rs"]
mod common;

mod concurrency;
mod jobs;
mod owner_limit;
mod privacy;
mod transitions;

use std::sync::{Arc, Barrier};

use crate::common::{admin_name, device_name};
use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::owner_limit::OwnerLimit;
use backbone_admin::domain::{
    AdminUsername, DeletionProcess, DeletionProcessId, DomainError, GraceLength, IdentityAddress,
    IdentityStatus, MessageKey, Periods, ProcessStatus,
};
use backbone_admin::facade::models::AuditEntry;
use backbone_admin::facade::{Core, FacadeError, Owner};
use backbone_admin::pseudonyms::audit_hash;
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
    core: Core,
    clock: ManualClock,
}

fn world() -> World {
    world_with_pool(4)
}

fn world_with_pool(size: u32) -> World {
    let db = fresh_database();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    let core = Core::new(db.pool(size), Arc::new(clock.clone()), Periods::default());
    core.accounts()
        .create_admin(&admin_name(ADMIN), "admin-password")
        .unwrap();
    World { db, core, clock }
}

impl World {
    fn owner(&self, username: &str) -> Owner {
        let created = self
            .core
            .identities()
            .create_identity(&device_name(username), "owner-password", "test")
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
        self.core
            .audit_log()
            .audit_log_of_process(&address, id)
            .unwrap()
    }

    fn identity_status(&self, owner: &Owner) -> IdentityStatus {
        self.core
            .identities()
            .identity(&owner.address)
            .unwrap()
            .status
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
            .core
            .processes()
            .start_as_support(&owner.address, &admin())
            .unwrap();
        let process = match status {
            ProcessStatus::WaitingForApproval => process,
            ProcessStatus::Approved => self.core.processes().approve(&owner, &process.id).unwrap(),
            ProcessStatus::Rejected => self.core.processes().reject(&owner, &process.id).unwrap(),
            ProcessStatus::Cancelled => {
                self.core.processes().approve(&owner, &process.id).unwrap();
                self.core.processes().cancel(&owner, &process.id).unwrap()
            }
            ProcessStatus::Deleting => {
                // The jobs would delete the identity in the same run; stop right after the
                // transition to look at this state.
                self.core.processes().approve(&owner, &process.id).unwrap();
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
                self.core
                    .processes()
                    .process(&owner.address, &process.id)
                    .unwrap()
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
            Op::Approve => w.core.processes().approve(owner, id),
            Op::Reject => w.core.processes().reject(owner, id),
            Op::Cancel => w.core.processes().cancel(owner, id),
            Op::CancelAsSupport => {
                w.core
                    .processes()
                    .cancel_as_support(&owner.address, id, &admin())
            }
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
