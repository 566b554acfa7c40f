//! The admin dashboard: counts by status and what needs attention.

use diesel::prelude::*;

use super::FacadeResult;
use crate::domain::{DeletionProcess, IdentityStatus, ProcessStatus};
use crate::facade::Statistics;
use crate::facade::models::AuditEntry;
use crate::schema::{
    identities, identity_deletion_process_audit_log as audit_log,
    identity_deletion_processes as processes,
};

/// How long the status counts are shown before they are counted again: counting every
/// identity takes a third of a second at 1 M identities (`EXPLAIN ANALYZE` on the bench's
/// data), too long for every dashboard view.
pub const COUNTS_FOR: chrono::Duration = chrono::Duration::seconds(30);

/// Processes and identities by status.
#[derive(Debug, Clone, Default)]
pub struct StatusCounts {
    pub processes: Vec<(ProcessStatus, i64)>,
    pub identities: Vec<(IdentityStatus, i64)>,
}

/// Counts and lists for the admin dashboard.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// At most [`COUNTS_FOR`] old.
    pub by_status: StatusCounts,
    pub waiting_for_approval: Vec<DeletionProcess>,
    pub upcoming_deletions: Vec<DeletionProcess>,
    pub recent_audit: Vec<AuditEntry>,
}

impl Statistics<'_> {
    pub fn dashboard(&self, list_limit: i64) -> FacadeResult<Dashboard> {
        let mut conn = self.core.conn()?;
        let by_status = self.core.dashboard_counts.by_status.get_or(
            self.core.now(),
            COUNTS_FOR,
            |_| true,
            || -> QueryResult<StatusCounts> {
                Ok(StatusCounts {
                    processes: processes::table
                        .group_by(processes::status)
                        .select((processes::status, diesel::dsl::count_star()))
                        .load(&mut *conn)?,
                    identities: identities::table
                        .group_by(identities::status)
                        .select((identities::status, diesel::dsl::count_star()))
                        .load(&mut *conn)?,
                })
            },
        )?;
        let waiting_for_approval = processes::table
            .filter(processes::status.eq(ProcessStatus::WaitingForApproval))
            .order((processes::approval_period_ends_at.asc(), processes::id))
            .limit(list_limit)
            .select(DeletionProcess::as_select())
            .load(&mut *conn)?;
        let upcoming_deletions = processes::table
            .filter(processes::status.eq(ProcessStatus::Approved))
            .order((processes::grace_period_ends_at.asc(), processes::id))
            .limit(list_limit)
            .select(DeletionProcess::as_select())
            .load(&mut *conn)?;
        let recent_audit = audit_log::table
            .order((audit_log::created_at.desc(), audit_log::seq.desc()))
            .limit(list_limit)
            .select(AuditEntry::as_select())
            .load(&mut *conn)?;
        Ok(Dashboard {
            by_status,
            waiting_for_approval,
            upcoming_deletions,
            recent_audit,
        })
    }
}
