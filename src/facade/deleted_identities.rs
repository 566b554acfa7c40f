//! Whether the identity of a device username is deleted (`IsDeleted` of the Consumer API):
//! an app whose sign-in stopped working asks this anonymously. A deleted identity's rows
//! are gone; its `DeletionCompleted` audit entry keeps the PBKDF2 hashes of its usernames,
//! so the answer survives the deletion without keeping the username.

use chrono::{DateTime, Utc};
use diesel::PgArrayExpressionMethods;
use diesel::prelude::*;

use super::{Core, FacadeResult};
use crate::domain::{DeviceUsername, DomainError, IdentityStatus, MessageKey, ProcessStatus};
use crate::pseudonyms::audit_hash;
use crate::schema::{
    devices, identities, identity_deletion_process_audit_log as audit_log,
    identity_deletion_processes as processes,
};

/// The answer: deleted (or being deleted) since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionState {
    pub is_deleted: bool,
    pub deletion_date: Option<DateTime<Utc>>,
}

/// The deletion state of the identity whose device signs in as `username`; an unknown
/// username is `RecordNotFound`.
pub fn deletion_state(core: &Core, username: &DeviceUsername) -> FacadeResult<DeletionState> {
    let mut conn = core.conn()?;
    let status: Option<(IdentityStatus, Option<DateTime<Utc>>)> = devices::table
        .inner_join(identities::table)
        .left_join(
            processes::table.on(processes::identity_address
                .eq(identities::address)
                .and(processes::status.eq(ProcessStatus::Deleting))),
        )
        .filter(devices::username.eq(username))
        .select((
            identities::status,
            processes::deletion_started_at.nullable(),
        ))
        .first(&mut *conn)
        .optional()?;
    if let Some((status, started)) = status {
        let is_deleted = status == IdentityStatus::Deleting;
        return Ok(DeletionState {
            is_deleted,
            deletion_date: started.filter(|_| is_deleted),
        });
    }
    // Only a username that names no device costs a hash.
    let completed: Option<DateTime<Utc>> = audit_log::table
        .filter(audit_log::message_key.eq(MessageKey::DeletionCompleted))
        .filter(audit_log::username_hashes.contains(vec![audit_hash(username)]))
        .select(audit_log::created_at)
        .first(&mut *conn)
        .optional()?;
    match completed {
        Some(at) => Ok(DeletionState {
            is_deleted: true,
            deletion_date: Some(at),
        }),
        None => Err(DomainError::RecordNotFound("identity").into()),
    }
}
