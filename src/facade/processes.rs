//! The deletion-process use cases the seed pages name: support starts and cancels, the owner
//! initiates, approves, rejects and cancels. Each runs in one transaction that locks the
//! identity row first and then the process row (the same order everywhere, so they never
//! deadlock), applies the domain rule, saves, and writes exactly one audit entry.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::{
    FacadeResult, Owner, accounts, audit, find_process, has_open_process, lock_identity,
    owner_limit, save_identity, save_process,
};
use crate::domain::accounts::Permission;
use crate::domain::{
    AdminUsername, DeletionProcess, DeletionProcessId, DomainError, GraceLength, Identity,
    IdentityAddress, MessageKey, Transition,
};
use crate::schema::identity_deletion_processes as processes;

use_case_type! {
    /// The deletion-process use cases (initiate, approve, reject, cancel, get active, start
    /// and cancel as support), as the seed pages name them.
    processes => IdentityDeletionProcessFacade
}

impl IdentityDeletionProcessFacade<'_> {
    /// Support starts a process; the owner is asked to approve it.
    pub fn start_as_support(
        &self,
        address: &IdentityAddress,
        admin: &AdminUsername,
    ) -> FacadeResult<DeletionProcess> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            accounts::require_role(conn, admin, Permission::StartDeletion)?;
            let identity = lock_identity(conn, address)?;
            let open = has_open_process(conn, address)?;
            let (process, transition) =
                DeletionProcess::start_by_support(&identity, open, admin, now, self.core.periods)?;
            diesel::insert_into(processes::table)
                .values(&process)
                .execute(conn)?;
            let ends = json!({ "approvalPeriodEndsAt": process.approval_period_ends_at });
            let notice = Some((MessageKey::StartedBySupport, ends));
            record(conn, &identity, &process, &transition, now, notice)?;
            Ok(process)
        })
    }

    /// The owner starts a deletion themselves; it is approved at once.
    pub fn initiate(
        &self,
        owner: &Owner,
        grace: Option<GraceLength>,
    ) -> FacadeResult<DeletionProcess> {
        let now = self.core.now();
        let grace = grace.unwrap_or(self.core.periods.grace);
        self.core.transaction(|conn| {
            let mut identity = lock_identity(conn, &owner.address)?;
            owner_limit::check(conn, &identity, self.core.owner_limit, now)?;
            let open = has_open_process(conn, &owner.address)?;
            let (process, transition) = DeletionProcess::initiate_by_owner(
                &mut identity,
                open,
                &owner.device_id,
                now,
                grace,
            )?;
            diesel::insert_into(processes::table)
                .values(&process)
                .execute(conn)?;
            save_identity(conn, &identity)?;
            let data = json!({ "gracePeriodDays": grace.days() });
            audit::record_transition(conn, &identity, &process, &transition, now, data, None)?;
            Ok(process)
        })
    }

    pub fn approve(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let (now, periods) = (self.core.now(), self.core.periods);
        self.transition(&owner.address, id, now, By::Owner, |process, identity| {
            process.approve(identity, &owner.device_id, now, periods)
        })
    }

    pub fn reject(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let now = self.core.now();
        self.transition(&owner.address, id, now, By::Owner, |process, _| {
            process.reject(&owner.device_id, now)
        })
    }

    /// The owner cancels an approved deletion during the grace period.
    pub fn cancel(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let now = self.core.now();
        self.transition(&owner.address, id, now, By::Owner, |process, identity| {
            process.cancel_by_owner(identity, &owner.device_id, now)
        })
    }

    /// Support cancels an approved deletion; the owner finds a notice on their page.
    pub fn cancel_as_support(
        &self,
        address: &IdentityAddress,
        id: &DeletionProcessId,
        admin: &AdminUsername,
    ) -> FacadeResult<DeletionProcess> {
        let now = self.core.now();
        let by = By::Support(admin, MessageKey::CancelledBySupport);
        self.transition(address, id, now, by, |process, identity| {
            process.cancel_by_support(identity, admin, now)
        })
    }

    /// Locks identity then process (scoped to that identity), applies the rule, saves both,
    /// writes the audit entry and the owner's notice, all in one transaction.
    fn transition(
        &self,
        address: &IdentityAddress,
        id: &DeletionProcessId,
        now: DateTime<Utc>,
        by: By<'_>,
        apply: impl FnOnce(&mut DeletionProcess, &mut Identity) -> Result<Transition, DomainError>,
    ) -> FacadeResult<DeletionProcess> {
        self.core.transaction(|conn| {
            let mut identity = lock_identity(conn, address)?;
            let notice = match by {
                By::Owner => {
                    owner_limit::check(conn, &identity, self.core.owner_limit, now)?;
                    None
                }
                By::Support(admin, notice) => {
                    accounts::require_role(conn, admin, Permission::CancelDeletion)?;
                    Some(notice)
                }
            };
            let mut process = find_process(conn, address, id, true)?;
            let before = identity.clone();
            let transition = apply(&mut process, &mut identity)?;
            save_process(conn, &process)?;
            if identity != before {
                save_identity(conn, &identity)?;
            }
            let notice = notice.map(|kind| (kind, json!({})));
            record(conn, &identity, &process, &transition, now, notice)?;
            Ok(process)
        })
    }
}

/// Who makes a transition: the owner (counted against the hourly limit), or a support admin
/// (whose role is checked in the transaction; the owner finds a notice).
#[derive(Clone, Copy)]
enum By<'a> {
    Owner,
    Support(&'a AdminUsername, MessageKey),
}

/// The audit entry of a transition without details, and the owner's notice if there is one.
fn record(
    conn: &mut PgConnection,
    identity: &Identity,
    process: &DeletionProcess,
    transition: &Transition,
    now: DateTime<Utc>,
    notice: Option<(MessageKey, serde_json::Value)>,
) -> FacadeResult<()> {
    audit::record_transition(conn, identity, process, transition, now, json!({}), notice)
}
