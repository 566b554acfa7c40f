//! External events for the owner's apps (`docs/consumer-api.md`): what happened to their
//! identity that their own API requests did not do. Written by [`record_for_transition`]
//! in the transaction of the transition that causes it (every transition's audit entry
//! passes here), read and acknowledged through sync runs (`facade::sync`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::FacadeResult;
use crate::domain::consumer::ExternalEventType;
use crate::domain::ids::{ExternalEventId, SyncRunId};
use crate::domain::{DeletionProcessId, IdentityAddress, MessageKey};
use crate::schema::external_events;

/// An event as a sync run delivers it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = external_events, check_for_backend(diesel::pg::Pg))]
pub struct ExternalEvent {
    pub id: ExternalEventId,
    pub event_type: ExternalEventType,
    pub event_index: i64,
    pub created_at: DateTime<Utc>,
    pub sync_error_count: i32,
    pub payload: serde_json::Value,
}

#[derive(Insertable)]
#[diesel(table_name = external_events, check_for_backend(diesel::pg::Pg))]
struct NewEvent<'a> {
    id: ExternalEventId,
    identity_address: &'a IdentityAddress,
    event_type: ExternalEventType,
    event_index: i64,
    created_at: DateTime<Utc>,
    payload: serde_json::Value,
    sync_run_id: Option<SyncRunId>,
}

/// Writes the event `key` causes for `process` of `identity`, if any. The caller holds the
/// identity's row lock, which orders the identity's event indexes.
pub(crate) fn record_for_transition(
    conn: &mut PgConnection,
    identity: &IdentityAddress,
    process: &DeletionProcessId,
    key: MessageKey,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    let Some(event_type) = ExternalEventType::for_transition(key) else {
        return Ok(());
    };
    let last: Option<i64> = external_events::table
        .filter(external_events::identity_address.eq(identity))
        .select(diesel::dsl::max(external_events::event_index))
        .first(conn)?;
    diesel::insert_into(external_events::table)
        .values(NewEvent {
            id: ExternalEventId::generate(),
            identity_address: identity,
            event_type,
            event_index: last.unwrap_or(0) + 1,
            created_at: now,
            payload: json!({ "deletionProcessId": process }),
            sync_run_id: None,
        })
        .execute(conn)?;
    Ok(())
}
