//! Counts for the metrics' status gauges: one GROUP BY per table, run after each jobs pass
//! (not per scrape), so watching the app costs the database next to nothing.

use std::collections::HashMap;

use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::FacadeResult;
use crate::domain::{IdentityStatus, ProcessStatus};
use crate::schema::{identities, identity_deletion_processes as processes};

/// How many rows are in each status, and how the failing deletions stand.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StatusCounts {
    pub processes: HashMap<ProcessStatus, i64>,
    pub identities: HashMap<IdentityStatus, i64>,
    /// Deletions whose last attempt failed.
    pub deletions_failing: i64,
    /// Most failed attempts of a pending deletion.
    pub deletion_attempts_max: i32,
}

use_case_type! {
    /// Figures: processes by status (for metrics) and the admin dashboard.
    statistics => Statistics
}

impl Statistics<'_> {
    pub fn status_counts(&self) -> FacadeResult<StatusCounts> {
        let mut conn = self.core.conn()?;
        let conn = &mut *conn;
        let processes: Vec<(ProcessStatus, i64)> = processes::table
            .group_by(processes::status)
            .select((processes::status, count_star()))
            .load(conn)?;
        let identities: Vec<(IdentityStatus, i64)> = identities::table
            .group_by(identities::status)
            .select((identities::status, count_star()))
            .load(conn)?;
        let (deletions_failing, deletion_attempts_max): (i64, Option<i32>) = processes::table
            .filter(processes::status.eq(ProcessStatus::Deleting))
            .filter(processes::deletion_attempts.gt(0))
            .select((count_star(), max(processes::deletion_attempts)))
            .first(conn)?;
        Ok(StatusCounts {
            processes: processes.into_iter().collect(),
            identities: identities.into_iter().collect(),
            deletions_failing,
            deletion_attempts_max: deletion_attempts_max.unwrap_or(0),
        })
    }
}
