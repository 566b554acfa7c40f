//! The owners' hourly transition limit (`domain::owner_limit`), counted from the audit log:
//! an owner's own transitions are the entries of the identity that name a device.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::FacadeResult;
use crate::domain::Identity;
use crate::domain::owner_limit::OwnerLimit;
use crate::schema::identity_deletion_process_audit_log as audit_log;

/// Refuses one more transition by the owner of `identity` (whose row the caller has locked)
/// when the last hour already holds the limit.
pub(super) fn check(
    conn: &mut PgConnection,
    identity: &Identity,
    limit: OwnerLimit,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    // The owner's newest transitions of any age (the rule drops those older than the
    // window). No time bound here: with one, a planner whose statistics have not yet seen
    // the last hour's rows walks the whole hour of the audit log by its time index,
    // filtering every entry (3 s a query under the bench's load). Without one, the
    // partial index of the owners' transitions (`audit_log_owner_transitions_idx`) is the
    // only good plan: an index-only scan of that identity's entries, newest first, until
    // it has `per_hour` of them.
    let recent: Vec<DateTime<Utc>> = audit_log::table
        .filter(audit_log::identity_address_hash.eq(&identity.address_hash))
        .filter(audit_log::device_id_hash.is_not_null())
        .filter(audit_log::process_id.is_not_null())
        .order(audit_log::created_at.desc())
        .limit(i64::from(limit.per_hour()))
        .select(audit_log::created_at)
        .load(conn)?;
    Ok(limit.check(&recent, now)?)
}
