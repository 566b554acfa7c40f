//! The IdentityDeletionProcess facade: one function per use case, the only code that
//! writes. Each operation runs in one transaction that locks the identity row first and
//! then the process row (the same order everywhere, so operations never deadlock), applies
//! the domain rule, saves, and writes exactly one audit entry.
//!
//! Diesel is blocking: web handlers call these functions on the blocking pool.

pub mod accounts;
pub mod api_keys;
pub mod api_tokens;
mod audit;
pub mod clients;
pub mod deleted_identities;
pub mod error;
pub mod external_events;
pub mod jobs;
pub mod models;
mod owner_limit;
pub mod read;
pub mod registration;
pub mod sessions;
pub mod stats;
pub mod sync;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::clock::SharedClock;
use crate::db::{DbConn, DbPool};
use crate::domain::accounts::{ApiKeyLimit, Permission};
use crate::domain::owner_limit::OwnerLimit;
use crate::domain::{
    AdminUsername, DeletionProcess, DeletionProcessId, DeviceId, DomainError, GraceLength,
    Identity, IdentityAddress, MessageKey, Periods, ProcessStatus, Transition,
};
use crate::schema::{identities, identity_deletion_processes as processes};
use std::sync::{Arc, Mutex, MutexGuard};

pub use error::{FacadeError, FacadeResult};

/// The signed-in owner: an identity and the device acting for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub address: IdentityAddress,
    pub device_id: DeviceId,
}

#[derive(Clone, Debug)]
pub struct IdentityDeletionProcessFacade {
    connections: Connections,
    clock: SharedClock,
    periods: Periods,
    owner_limit: OwnerLimit,
    api_key_limit: ApiKeyLimit,
}

/// Where the facade's queries run: on a connection from the pool each, or all on one
/// connection checked out for a request (see [`IdentityDeletionProcessFacade::on_one_connection`]).
#[derive(Clone)]
enum Connections {
    Pool(DbPool),
    One(Arc<Mutex<DbConn>>),
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pool(_) => "Pool",
            Self::One(_) => "One",
        })
    }
}

/// A connection the facade is using: its own from the pool, or the request's.
pub(crate) enum Conn<'a> {
    Pooled(DbConn),
    Shared(MutexGuard<'a, DbConn>),
}

impl std::ops::Deref for Conn<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        match self {
            Self::Pooled(conn) => conn,
            Self::Shared(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            Self::Pooled(conn) => conn,
            Self::Shared(conn) => conn,
        }
    }
}

impl IdentityDeletionProcessFacade {
    pub fn new(pool: DbPool, clock: SharedClock, periods: Periods) -> Self {
        Self {
            connections: Connections::Pool(pool),
            clock,
            periods,
            owner_limit: OwnerLimit::default(),
            api_key_limit: ApiKeyLimit::default(),
        }
    }

    /// The same facade with another hourly limit for owners (`OWNER_TRANSITIONS_PER_HOUR`).
    pub fn with_owner_limit(self, owner_limit: OwnerLimit) -> Self {
        Self {
            owner_limit,
            ..self
        }
    }

    /// The same facade with another per-key limit of the Admin API
    /// (`API_KEY_REQUESTS_PER_MINUTE`).
    pub fn with_api_key_limit(self, api_key_limit: ApiKeyLimit) -> Self {
        Self {
            api_key_limit,
            ..self
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn periods(&self) -> Periods {
        self.periods
    }

    /// Runs `work` with a facade whose every query uses one connection, checked out once:
    /// a request's whole database work (its session, then its page) costs one checkout.
    /// Work that is already on one connection stays on it.
    pub fn on_one_connection<T>(
        &self,
        work: impl FnOnce(&Self) -> FacadeResult<T>,
    ) -> FacadeResult<T> {
        match &self.connections {
            Connections::One(_) => work(self),
            Connections::Pool(pool) => work(&Self {
                connections: Connections::One(Arc::new(Mutex::new(pool.get()?))),
                clock: self.clock.clone(),
                periods: self.periods,
                owner_limit: self.owner_limit,
                api_key_limit: self.api_key_limit,
            }),
        }
    }

    /// A connection for one use case. On a request's one connection, use cases run one
    /// after another, never one inside another (that is a bug, and panics here).
    pub(crate) fn conn(&self) -> FacadeResult<Conn<'_>> {
        Ok(match &self.connections {
            Connections::Pool(pool) => Conn::Pooled(pool.get()?),
            Connections::One(conn) => Conn::Shared(
                conn.try_lock()
                    .expect("the request's connection is already in use by another facade call"),
            ),
        })
    }

    /// Runs `work` in one READ COMMITTED transaction; the row locks it takes order writers.
    fn transaction<T>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> FacadeResult<T>,
    ) -> FacadeResult<T> {
        let mut conn = self.conn()?;
        conn.build_transaction().read_committed().run(work)
    }

    // ----- use cases -------------------------------------------------------------------

    /// Support starts a process; the owner is asked to approve it.
    pub fn start_as_support(
        &self,
        address: &IdentityAddress,
        admin: &AdminUsername,
    ) -> FacadeResult<DeletionProcess> {
        let now = self.now();
        self.transaction(|conn| {
            accounts::require_role(conn, admin, Permission::StartDeletion)?;
            let identity = lock_identity(conn, address)?;
            let open = has_open_process(conn, address)?;
            let (process, transition) =
                DeletionProcess::start_by_support(&identity, open, admin, now, self.periods)?;
            diesel::insert_into(processes::table)
                .values(&process)
                .execute(conn)?;
            let notice =
                serde_json::json!({ "approvalPeriodEndsAt": process.approval_period_ends_at });
            audit::record_transition(
                conn,
                &identity,
                &process,
                &transition,
                now,
                serde_json::json!({}),
                Some((MessageKey::StartedBySupport, notice)),
            )?;
            Ok(process)
        })
    }

    /// The owner starts a deletion themselves; it is approved at once.
    pub fn initiate(
        &self,
        owner: &Owner,
        grace: Option<GraceLength>,
    ) -> FacadeResult<DeletionProcess> {
        let now = self.now();
        let grace = grace.unwrap_or(self.periods.grace);
        self.transaction(|conn| {
            let mut identity = lock_identity(conn, &owner.address)?;
            owner_limit::check(conn, &identity, self.owner_limit, now)?;
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
            let data = serde_json::json!({ "gracePeriodDays": grace.days() });
            audit::record_transition(conn, &identity, &process, &transition, now, data, None)?;
            Ok(process)
        })
    }

    pub fn approve(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let (now, periods) = (self.now(), self.periods);
        self.transition(&owner.address, id, now, By::Owner, |process, identity| {
            process.approve(identity, &owner.device_id, now, periods)
        })
    }

    pub fn reject(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let now = self.now();
        self.transition(&owner.address, id, now, By::Owner, |process, _| {
            process.reject(&owner.device_id, now)
        })
    }

    /// The owner cancels an approved deletion during the grace period.
    pub fn cancel(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<DeletionProcess> {
        let now = self.now();
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
        self.require_permission(admin, Permission::CancelDeletion)?;
        let now = self.now();
        let by = By::Support(MessageKey::CancelledBySupport);
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
        by: By,
        apply: impl FnOnce(&mut DeletionProcess, &mut Identity) -> Result<Transition, DomainError>,
    ) -> FacadeResult<DeletionProcess> {
        self.transaction(|conn| {
            let mut identity = lock_identity(conn, address)?;
            let notice = match by {
                By::Owner => {
                    owner_limit::check(conn, &identity, self.owner_limit, now)?;
                    None
                }
                By::Support(notice) => Some(notice),
            };
            let mut process = find_process(conn, address, id, true)?;
            let before = identity.clone();
            let transition = apply(&mut process, &mut identity)?;
            save_process(conn, &process)?;
            if identity != before {
                save_identity(conn, &identity)?;
            }
            audit::record_transition(
                conn,
                &identity,
                &process,
                &transition,
                now,
                serde_json::json!({}),
                notice.map(|kind| (kind, serde_json::json!({}))),
            )?;
            Ok(process)
        })
    }
}

/// Who makes a transition: the owner (counted against the hourly limit), or support (the
/// owner finds a notice).
#[derive(Clone, Copy)]
enum By {
    Owner,
    Support(MessageKey),
}

// ----- row helpers shared by the use cases and the jobs -------------------------------

fn lock_identity(conn: &mut PgConnection, address: &IdentityAddress) -> FacadeResult<Identity> {
    identities::table
        .find(address)
        .select(Identity::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound("identity")))
}

/// A process of this identity only: another identity's ID is "not found", never a hint.
/// With `lock` the row is held (`FOR UPDATE`) until the transaction ends.
fn find_process(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    id: &DeletionProcessId,
    lock: bool,
) -> FacadeResult<DeletionProcess> {
    let query = processes::table
        .filter(processes::id.eq(id))
        .filter(processes::identity_address.eq(address))
        .select(DeletionProcess::as_select());
    let found = if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    };
    found
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound(
            "deletion process",
        )))
}

fn has_open_process(conn: &mut PgConnection, address: &IdentityAddress) -> FacadeResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        processes::table
            .filter(processes::identity_address.eq(address))
            .filter(processes::status.eq_any(ProcessStatus::OPEN)),
    ))
    .get_result(conn)?)
}

fn save_identity(conn: &mut PgConnection, identity: &Identity) -> FacadeResult<()> {
    diesel::update(identities::table.find(&identity.address))
        .set(identity)
        .execute(conn)?;
    Ok(())
}

fn save_process(conn: &mut PgConnection, process: &DeletionProcess) -> FacadeResult<()> {
    diesel::update(processes::table.find(&process.id))
        .set(process)
        .execute(conn)?;
    Ok(())
}
