//! Sync runs (`docs/consumer-api.md`): an owner's app collects the external events of its
//! identity in a run and acknowledges them when it finalizes the run. One run per identity
//! runs at a time (a partial unique index, and the identity's row lock); an unfinished run
//! expires after a minute and gives its events back, counting an error for each.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;

use super::external_events::ExternalEvent;
use super::{Core, FacadeResult, Owner, lock_identity};
use crate::domain::consumer::sync::{EVENTS_PER_RUN, MAX_SYNC_ERRORS, SYNC_RUN_LIFETIME};
use crate::domain::consumer::{ConsumerError, SyncRunStatus, SyncRunType};
use crate::domain::ids::{ExternalEventId, SyncRunId};
use crate::domain::{DeviceId, DomainError, IdentityAddress};
use crate::schema::{external_events, sync_runs};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sync_runs, check_for_backend(diesel::pg::Pg))]
pub struct SyncRun {
    pub id: SyncRunId,
    pub identity_address: IdentityAddress,
    pub created_by_device: DeviceId,
    pub run_type: SyncRunType,
    pub run_index: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: SyncRunStatus,
    pub finalized_at: Option<DateTime<Utc>>,
    pub event_count: i32,
    pub new_datawallet_version: Option<i32>,
}

/// The answer to starting a run.
#[derive(Debug, Clone)]
pub enum Started {
    /// An event sync found nothing to deliver; no run was started.
    NoNewEvents,
    Created(SyncRun),
}

/// What the app says about one delivered event.
#[derive(Debug, Clone)]
pub struct EventResult {
    pub id: ExternalEventId,
    /// Set when the app could not process the event.
    pub error_code: Option<String>,
}

#[derive(Clone)]
pub struct SyncRuns {
    core: Core,
}

impl SyncRuns {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Starts a run of `run_type` for the owner's identity.
    pub fn start(&self, owner: &Owner, run_type: SyncRunType) -> FacadeResult<Started> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            lock_identity(conn, &owner.address)?;
            replace_expired_run(conn, &owner.address, now)?;
            let events: Vec<ExternalEventId> = match run_type {
                SyncRunType::ExternalEventSync => unsynced(&owner.address)
                    .order(external_events::event_index)
                    .limit(EVENTS_PER_RUN)
                    .select(external_events::id)
                    .load(conn)?,
                SyncRunType::DatawalletVersionUpgrade => Vec::new(),
            };
            if run_type == SyncRunType::ExternalEventSync && events.is_empty() {
                return Ok(Started::NoNewEvents);
            }
            let last: Option<i64> = sync_runs::table
                .filter(sync_runs::identity_address.eq(&owner.address))
                .select(diesel::dsl::max(sync_runs::run_index))
                .first(conn)?;
            let run = SyncRun {
                id: SyncRunId::generate(),
                identity_address: owner.address.clone(),
                created_by_device: owner.device_id.clone(),
                run_type,
                run_index: last.unwrap_or(0) + 1,
                created_at: now,
                expires_at: now + SYNC_RUN_LIFETIME,
                status: SyncRunStatus::Running,
                finalized_at: None,
                event_count: i32::try_from(events.len()).unwrap_or(i32::MAX),
                new_datawallet_version: None,
            };
            diesel::insert_into(sync_runs::table)
                .values(&run)
                .execute(conn)?;
            diesel::update(external_events::table.filter(external_events::id.eq_any(&events)))
                .set(external_events::sync_run_id.eq(&run.id))
                .execute(conn)?;
            Ok(Started::Created(run))
        })
    }

    /// The events a running event sync of the owner delivers, in order.
    pub fn events(&self, owner: &Owner, id: &SyncRunId) -> FacadeResult<Vec<ExternalEvent>> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            running(conn, owner, id, SyncRunType::ExternalEventSync, now, false)?;
            Ok(external_events::table
                .filter(external_events::sync_run_id.eq(id))
                .order(external_events::event_index)
                .select(ExternalEvent::as_select())
                .load(conn)?)
        })
    }

    /// Finalizes an event sync: events without an error are synced, the others wait for a
    /// later run with one more error. Returns whether undelivered events remain.
    pub fn finalize_events(
        &self,
        owner: &Owner,
        id: &SyncRunId,
        results: &[EventResult],
    ) -> FacadeResult<bool> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            running(conn, owner, id, SyncRunType::ExternalEventSync, now, true)?;
            let (failed, done): (Vec<&EventResult>, Vec<&EventResult>) =
                results.iter().partition(|r| r.error_code.is_some());
            let ids = |results: Vec<&EventResult>| -> Vec<ExternalEventId> {
                results.into_iter().map(|r| r.id.clone()).collect()
            };
            let of_run = external_events::table.filter(external_events::sync_run_id.eq(id));
            diesel::update(of_run.filter(external_events::id.eq_any(ids(failed))))
                .set(external_events::sync_error_count.eq(external_events::sync_error_count + 1))
                .execute(conn)?;
            diesel::update(of_run.filter(external_events::id.eq_any(ids(done))))
                .set(external_events::synced_at.eq(now))
                .execute(conn)?;
            release_events(conn, id, false)?;
            finish(conn, id, now, None)?;
            Ok(diesel::select(diesel::dsl::exists(unsynced(&owner.address))).get_result(conn)?)
        })
    }

    /// Finalizes a datawallet version upgrade (no datawallet is kept: the version is
    /// remembered on the run).
    pub fn finalize_upgrade(
        &self,
        owner: &Owner,
        id: &SyncRunId,
        version: i32,
    ) -> FacadeResult<()> {
        let now = self.core.now();
        if version < 1 {
            return Err(ConsumerError::InsufficientDatawalletVersion.into());
        }
        self.core.transaction(|conn| {
            running(
                conn,
                owner,
                id,
                SyncRunType::DatawalletVersionUpgrade,
                now,
                true,
            )?;
            finish(conn, id, now, Some(version))
        })
    }
}

/// The owner's undelivered events that are waiting for a run.
fn unsynced(address: &IdentityAddress) -> external_events::BoxedQuery<'_, Pg> {
    external_events::table
        .filter(external_events::identity_address.eq(address))
        .filter(external_events::synced_at.is_null())
        .filter(external_events::sync_run_id.is_null())
        .filter(external_events::sync_error_count.lt(MAX_SYNC_ERRORS))
        .into_boxed()
}

/// Refuses a start while another run of the identity is still running; an expired one is
/// marked so and gives its events back, each with one more error.
fn replace_expired_run(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    let current: Option<(SyncRunId, DateTime<Utc>)> = sync_runs::table
        .filter(sync_runs::identity_address.eq(address))
        .filter(sync_runs::status.eq(SyncRunStatus::Running))
        .select((sync_runs::id, sync_runs::expires_at))
        .first(conn)
        .optional()?;
    match current {
        None => Ok(()),
        Some((_, expires_at)) if expires_at > now => {
            Err(ConsumerError::AnotherSyncRunIsRunning.into())
        }
        Some((id, _)) => {
            release_events(conn, &id, true)?;
            diesel::update(sync_runs::table.find(&id))
                .set(sync_runs::status.eq(SyncRunStatus::Expired))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// Gives a run's unsynced events back to later runs (`as_error`: counting one error each).
fn release_events(conn: &mut PgConnection, run: &SyncRunId, as_error: bool) -> QueryResult<()> {
    let of_run = external_events::table
        .filter(external_events::sync_run_id.eq(run))
        .filter(external_events::synced_at.is_null());
    let errors = external_events::sync_error_count + i32::from(as_error);
    diesel::update(of_run)
        .set((
            external_events::sync_run_id.eq(None::<SyncRunId>),
            external_events::sync_error_count.eq(errors),
        ))
        .execute(conn)?;
    Ok(())
}

/// The owner's run `id` of `run_type`, still running and not expired (locked when `lock`).
fn running(
    conn: &mut PgConnection,
    owner: &Owner,
    id: &SyncRunId,
    run_type: SyncRunType,
    now: DateTime<Utc>,
    lock: bool,
) -> FacadeResult<SyncRun> {
    let query = sync_runs::table
        .filter(sync_runs::id.eq(id))
        .filter(sync_runs::identity_address.eq(&owner.address))
        .select(SyncRun::as_select());
    let run = if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    }
    .optional()?
    .ok_or(DomainError::RecordNotFound("sync run"))?;
    if run.run_type != run_type {
        return Err(ConsumerError::WrongSyncRunType(run.run_type.as_str()).into());
    }
    match run.status {
        SyncRunStatus::Finalized => Err(ConsumerError::SyncRunAlreadyFinalized.into()),
        SyncRunStatus::Expired => Err(ConsumerError::SyncRunExpired.into()),
        SyncRunStatus::Running if run.expires_at <= now => {
            Err(ConsumerError::SyncRunExpired.into())
        }
        SyncRunStatus::Running => Ok(run),
    }
}

fn finish(
    conn: &mut PgConnection,
    id: &SyncRunId,
    now: DateTime<Utc>,
    version: Option<i32>,
) -> FacadeResult<()> {
    diesel::update(sync_runs::table.find(id))
        .set((
            sync_runs::status.eq(SyncRunStatus::Finalized),
            sync_runs::finalized_at.eq(now),
            sync_runs::new_datawallet_version.eq(version),
        ))
        .execute(conn)?;
    Ok(())
}
