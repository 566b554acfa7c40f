//! Writing audit entries and owner notices. Personal data enters the log only as the
//! hashes stored on the identity and device rows when they were created.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::error::{FacadeError, FacadeResult};
use super::models::{AuditEntry, NewNotification};
use crate::domain::{
    AuditEntryId, DeletionProcess, DeletionProcessId, DeviceId, DomainError, Identity,
    IdentityAddress, MessageKey, Transition,
};
use crate::schema::{devices, identity_deletion_process_audit_log as audit_log, notifications};

/// Writes the one audit entry of a transition.
fn record(
    conn: &mut PgConnection,
    identity: &Identity,
    process_id: Option<&DeletionProcessId>,
    transition: &Transition,
    now: DateTime<Utc>,
    additional_data: serde_json::Value,
) -> FacadeResult<()> {
    let device_id_hash = match &transition.device {
        Some(device) => Some(device_hash(conn, &identity.address, device)?),
        None => None,
    };
    insert(
        conn,
        AuditEntry {
            id: AuditEntryId::generate(),
            process_id: process_id.cloned(),
            created_at: now,
            message_key: transition.message_key,
            old_status: transition.old_status,
            new_status: transition.new_status,
            additional_data,
            identity_address_hash: identity.address_hash.clone(),
            device_id_hash,
            username_hashes: Vec::new(),
        },
    )
}

/// The audit entry of a transition of `process` and, where the owner is told, the notice.
pub(super) fn record_transition(
    conn: &mut PgConnection,
    identity: &Identity,
    process: &DeletionProcess,
    transition: &Transition,
    now: DateTime<Utc>,
    additional_data: serde_json::Value,
    notice: Option<(MessageKey, serde_json::Value)>,
) -> FacadeResult<()> {
    record(
        conn,
        identity,
        Some(&process.id),
        transition,
        now,
        additional_data,
    )?;
    super::external_events::record_for_transition(
        conn,
        &identity.address,
        &process.id,
        transition.message_key,
        now,
    )?;
    if let Some((kind, payload)) = notice {
        notify(
            conn,
            &identity.address,
            Some(&process.id),
            now,
            kind,
            payload,
        )?;
    }
    Ok(())
}

pub(super) fn insert(conn: &mut PgConnection, entry: AuditEntry) -> FacadeResult<()> {
    diesel::insert_into(audit_log::table)
        .values(&entry)
        .execute(conn)?;
    Ok(())
}

/// The stored hash of one of this identity's devices; a device of another identity is
/// "not found", so a forged session cannot act across identities.
fn device_hash(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    device: &DeviceId,
) -> FacadeResult<Vec<u8>> {
    devices::table
        .filter(devices::id.eq(device))
        .filter(devices::identity_address.eq(address))
        .select(devices::id_hash)
        .first(conn)
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound("device")))
}

/// Records a notice for the owner in the outbox.
pub(super) fn notify(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    process_id: Option<&DeletionProcessId>,
    now: DateTime<Utc>,
    kind: MessageKey,
    payload: serde_json::Value,
) -> FacadeResult<()> {
    diesel::insert_into(notifications::table)
        .values(NewNotification {
            identity_address: address,
            process_id,
            created_at: now,
            kind,
            payload,
        })
        .execute(conn)?;
    Ok(())
}
