//! The owners' hourly transition limit (`domain::owner_limit`), counted from the audit log:
//! an owner's own transitions are the entries of the identity that name a device.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::FacadeResult;
use crate::domain::Identity;
use crate::domain::owner_limit::{self, TRANSITIONS_PER_HOUR};
use crate::schema::identity_deletion_process_audit_log as audit_log;

/// Refuses one more transition by the owner of `identity` (whose row the caller has locked)
/// when the last hour already holds the limit.
pub(super) fn check(
    conn: &mut PgConnection,
    identity: &Identity,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    let recent: Vec<DateTime<Utc>> = audit_log::table
        .filter(audit_log::identity_address_hash.eq(&identity.address_hash))
        .filter(audit_log::created_at.gt(now - owner_limit::window()))
        .filter(audit_log::device_id_hash.is_not_null())
        .filter(audit_log::process_id.is_not_null())
        .order(audit_log::created_at.desc())
        .limit(TRANSITIONS_PER_HOUR as i64)
        .select(audit_log::created_at)
        .load(conn)?;
    Ok(owner_limit::check(&recent, now)?)
}
