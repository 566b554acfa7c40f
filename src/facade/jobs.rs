//! Time-driven lifecycle jobs. SQL only pre-selects candidates (by status and a deadline
//! window); the domain decides what is due. Each due process is handled in its own
//! transaction that locks its identity with `SKIP LOCKED` and re-checks the rule under the
//! lock, so several app instances can run the jobs at once and no row is handled twice.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::models::AuditEntry;
use super::{FacadeError, FacadeResult, accounts, audit, save_identity, save_process};
use crate::domain::{
    Action, AuditEntryId, DeletionProcess, DeletionProcessId, Identity, IdentityAddress,
    MessageKey, ProcessStatus, ReminderSchedule, Transition,
};
use crate::schema::{devices, identities, identity_deletion_processes as processes};

/// Due rows fetched per round of a job.
const BATCH: i64 = 500;

/// What one run of the jobs did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct JobReport {
    pub approval_reminders_sent: usize,
    pub stale_approvals_cancelled: usize,
    pub grace_period_reminders_sent: usize,
    pub deletions_started: usize,
    pub identities_deleted: usize,
    pub deletion_errors: usize,
    pub finished_processes_removed: usize,
    pub security_events_removed: usize,
    /// Expired Consumer API tokens and challenges.
    pub expired_api_credentials_removed: usize,
}

impl std::fmt::Display for JobReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "approval reminders sent: {}, stale approvals cancelled: {}, grace period reminders sent: {}, \
             deletions started: {}, identities deleted: {}, deletion errors: {}, finished processes removed: {}, \
             security events removed: {}, expired API credentials removed: {}",
            self.approval_reminders_sent,
            self.stale_approvals_cancelled,
            self.grace_period_reminders_sent,
            self.deletions_started,
            self.identities_deleted,
            self.deletion_errors,
            self.finished_processes_removed,
            self.security_events_removed,
            self.expired_api_credentials_removed
        )
    }
}

/// The SQL pre-selection of a job's candidates: a superset of the due processes.
type CandidateFilter = Box<
    dyn diesel::expression::BoxableExpression<
            processes::table,
            diesel::pg::Pg,
            SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>,
        >,
>;

/// A due process: its ID and its identity (locked first).
type Candidate = (DeletionProcessId, IdentityAddress);

enum Handled {
    Done,
    /// Another runner holds it, or it is no longer due.
    Skipped,
}

use_case_type! {
    /// The scheduled jobs: reminders, expiries and deletions, run by `serve` and `run-jobs`.
    jobs => Jobs
}

impl Jobs<'_> {
    /// Runs every job once, as of the facade clock's "now". Each job's run, the processes it
    /// handled, its failures and its duration are counted in the metrics.
    pub fn run_jobs(&self) -> FacadeResult<JobReport> {
        use crate::metrics::job;
        let now = self.core.now();
        let mut report = JobReport {
            stale_approvals_cancelled: job("cancel_stale_approvals", || {
                self.cancel_stale_approvals(now)
            })?,
            ..JobReport::default()
        };
        report.approval_reminders_sent =
            job("approval_reminders", || self.send_approval_reminders(now))?;
        report.deletions_started = job("start_deletions", || self.start_due_deletions(now))?;
        report.grace_period_reminders_sent = job("grace_period_reminders", || {
            self.send_grace_period_reminders(now)
        })?;
        let (deleted, errors) = job("delete_identities", || self.delete_identities(now))?;
        report.identities_deleted = deleted;
        report.deletion_errors = errors;
        report.finished_processes_removed = job("remove_finished_processes", || {
            self.remove_finished_processes(now)
        })?;
        report.security_events_removed = job("remove_old_security_events", || {
            self.remove_old_security_events(now)
        })?;
        report.expired_api_credentials_removed = job("remove_expired_api_credentials", || {
            self.core
                .transaction(|conn| Ok(super::api_tokens::ApiTokens::remove_expired(conn, now)?))
        })?;
        job("remove_old_receipt_checks", || {
            self.core.receipts().remove_old_checks(now)
        })?;
        Ok(report)
    }

    fn cancel_stale_approvals(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let due = |process: &DeletionProcess| process.allows(Action::CancelAutomatically, now);
        self.for_each_due(waiting_ending_by(now), due, |conn, identity, process| {
            let transition = process.cancel_automatically(now);
            let notice = Some(MessageKey::CancelledAutomatically);
            apply(conn, identity, process, transition, now, notice)
        })
    }

    /// Candidates: waiting processes whose approval period ends within the reminder window.
    fn send_approval_reminders(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let window_end = now + ReminderSchedule::APPROVAL.window();
        let send = DeletionProcess::send_approval_reminder;
        self.send_reminders(waiting_ending_by(window_end), send, now)
    }

    /// Candidates: approved processes whose grace period ends within the reminder window.
    fn send_grace_period_reminders(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let window_end = now + ReminderSchedule::GRACE.window();
        let send = DeletionProcess::send_grace_period_reminder;
        self.send_reminders(approved_ending_by(window_end), send, now)
    }

    /// Sends the due reminder (`send`) of each candidate, with its notice to the owner.
    fn send_reminders(
        &self,
        candidates: impl Fn() -> CandidateFilter,
        send: fn(&mut DeletionProcess, DateTime<Utc>) -> Option<Transition>,
        now: DateTime<Utc>,
    ) -> FacadeResult<usize> {
        let due = |process: &DeletionProcess| send(&mut process.clone(), now).is_some();
        self.for_each_due(candidates, due, |conn, identity, process| {
            let transition = send(process, now);
            let notice = transition.as_ref().map(|t| t.message_key);
            apply(conn, identity, process, transition, now, notice)
        })
    }

    fn start_due_deletions(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let due = |process: &DeletionProcess| process.allows(Action::StartDeletion, now);
        self.for_each_due(approved_ending_by(now), due, |conn, identity, process| {
            let transition = process.start_deletion(identity, now);
            apply(conn, identity, process, transition, now, None)
        })
    }

    /// Deletes the data of every identity whose process is `Deleting` and whose next attempt
    /// is due. A failure rolls the deletion back, is written as one `ErrorDuringDeletion`
    /// entry, and is retried after a growing delay ([`deletion_retry_delay`]).
    fn delete_identities(&self, now: DateTime<Utc>) -> FacadeResult<(usize, usize)> {
        let candidates: Vec<(DeletionProcessId, IdentityAddress, i32)> = processes::table
            .filter(processes::status.eq(ProcessStatus::Deleting))
            .filter(deletion_due(now))
            .order(processes::deletion_started_at)
            .limit(BATCH)
            .select((
                processes::id,
                processes::identity_address,
                processes::deletion_attempts,
            ))
            .load(&mut *self.core.conn()?)?;
        let (mut deleted, mut errors) = (0, 0);
        for (id, address, attempts) in candidates {
            let candidate = (id, address);
            match self.in_locked(&candidate, |conn, identity, process| {
                // Another runner may have tried (and failed) since the list was read.
                let still_due = processes::table
                    .find(&process.id)
                    .filter(deletion_due(now))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
                if !still_due {
                    return Ok(Handled::Skipped);
                }
                delete_identity_data(conn, identity, process, now)
            }) {
                Ok(Handled::Done) => deleted += 1,
                Ok(Handled::Skipped) => {}
                Err(error @ FacadeError::Unavailable(_)) => return Err(error),
                Err(error) => {
                    tracing::error!(process = %candidate.0, %error, "deleting an identity's data failed");
                    if self.record_deletion_error(&candidate, attempts, &error, now)? {
                        crate::metrics::deletion_failed();
                        errors += 1;
                    }
                }
            }
        }
        Ok((deleted, errors))
    }

    /// Writes the failed attempt: one audit entry, the attempt count and the time of the next
    /// attempt. Returns `false` when another runner already recorded this attempt.
    fn record_deletion_error(
        &self,
        (id, address): &Candidate,
        attempts_before: i32,
        error: &FacadeError,
        now: DateTime<Utc>,
    ) -> FacadeResult<bool> {
        let kind = error_kind(error);
        let attempt = attempts_before.saturating_add(1);
        let next_attempt_at = now + deletion_retry_delay(attempt);
        self.core.transaction(|conn| {
            let Some(hash) = identities::table
                .find(address)
                .select(identities::address_hash)
                .first::<Vec<u8>>(conn)
                .optional()?
            else {
                return Ok(false);
            };
            let counted = diesel::update(
                processes::table
                    .find(id)
                    .filter(processes::status.eq(ProcessStatus::Deleting))
                    .filter(processes::deletion_attempts.eq(attempts_before)),
            )
            .set((
                processes::deletion_attempts.eq(attempt),
                processes::next_deletion_attempt_at.eq(next_attempt_at),
            ))
            .execute(conn)?;
            if counted == 0 {
                return Ok(false);
            }
            let details = json!({
                "error": kind,
                "attempt": attempt,
                "nextAttemptAt": next_attempt_at,
            });
            audit::insert(conn, deletion_error_entry(id, hash, details, now))?;
            Ok(true)
        })
    }

    /// Rejected and cancelled processes are removed once the retention period (30 days by
    /// default) after they ended is over; their audit entries stay (the foreign key sets
    /// `process_id` to null).
    fn remove_finished_processes(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let cutoff = now - self.core.periods.retention;
        let mut conn = self.core.conn()?;
        let rejected = diesel::delete(
            processes::table
                .filter(processes::status.eq(ProcessStatus::Rejected))
                .filter(processes::rejected_at.le(cutoff)),
        )
        .execute(&mut *conn)?;
        let cancelled = diesel::delete(
            processes::table
                .filter(processes::status.eq(ProcessStatus::Cancelled))
                .filter(processes::cancelled_at.le(cutoff)),
        )
        .execute(&mut *conn)?;
        Ok(rejected + cancelled)
    }

    /// Security events are removed once they are older than their retention period (180
    /// days by default).
    fn remove_old_security_events(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        let cutoff = now - self.core.periods.security_events_retention;
        let removed = accounts::remove_security_events_older_than(self.core, cutoff)?;
        crate::metrics::security_events_removed(removed);
        Ok(removed)
    }

    /// Walks the candidates in ID order, in rounds of `BATCH`, and handles those the domain
    /// finds `due`: first on the row as read, then again under the row locks (another
    /// runner may have handled it in between, or may hold it: then it is skipped).
    fn for_each_due(
        &self,
        candidates: impl Fn() -> CandidateFilter,
        due: impl Fn(&DeletionProcess) -> bool,
        step: impl Fn(&mut PgConnection, &mut Identity, &mut DeletionProcess) -> FacadeResult<Handled>,
    ) -> FacadeResult<usize> {
        let mut total = 0;
        let mut after: Option<DeletionProcessId> = None;
        loop {
            let mut query = processes::table
                .filter(candidates())
                .select(DeletionProcess::as_select())
                .into_boxed();
            if let Some(last) = &after {
                query = query.filter(processes::id.gt(last.clone()));
            }
            let rows: Vec<DeletionProcess> = query
                .order(processes::id)
                .limit(BATCH)
                .load(&mut *self.core.conn()?)?;
            for process in rows.iter().filter(|p| due(p)) {
                let candidate = (process.id.clone(), process.identity_address.clone());
                match self.in_locked(&candidate, &step) {
                    Ok(Handled::Done) => total += 1,
                    Ok(Handled::Skipped) => {}
                    Err(error @ FacadeError::Unavailable(_)) => return Err(error),
                    // One bad row must not stop the jobs for every other identity.
                    Err(error) => {
                        tracing::error!(process = %candidate.0, %error, "a lifecycle job failed for one process")
                    }
                }
            }
            if rows.len() < usize::try_from(BATCH).unwrap_or(usize::MAX) {
                return Ok(total);
            }
            after = rows.last().map(|p| p.id.clone());
        }
    }

    /// Runs `step` in a transaction holding the candidate's identity (skipped if another
    /// runner holds it) and its process.
    fn in_locked(
        &self,
        (id, address): &Candidate,
        step: impl FnOnce(
            &mut PgConnection,
            &mut Identity,
            &mut DeletionProcess,
        ) -> FacadeResult<Handled>,
    ) -> FacadeResult<Handled> {
        // On shutdown, the row in hand is finished and the others are left for later.
        if crate::shutdown::requested() {
            return Ok(Handled::Skipped);
        }
        let handled = self.core.transaction(|conn| {
            let Some(mut identity) = identities::table
                .find(address)
                .select(Identity::as_select())
                .for_update()
                .skip_locked()
                .first(conn)
                .optional()?
            else {
                return Ok(Handled::Skipped);
            };
            let Some(mut process) = processes::table
                .filter(processes::id.eq(id))
                .filter(processes::identity_address.eq(address))
                .select(DeletionProcess::as_select())
                .for_update()
                .first(conn)
                .optional()?
            else {
                return Ok(Handled::Skipped);
            };
            step(conn, &mut identity, &mut process)
        });
        if matches!(&handled, Err(error) if !matches!(error, FacadeError::Unavailable(_))) {
            crate::metrics::job_row_failed();
        }
        handled
    }
}

/// What a failed deletion's audit entry says of its error: only its kind, since the error
/// text may quote row values (personal data).
fn error_kind(error: &FacadeError) -> String {
    match error {
        FacadeError::Database(diesel::result::Error::DatabaseError(kind, _)) => {
            format!("{kind:?}")
        }
        FacadeError::Database(_) => "DatabaseError".to_owned(),
        FacadeError::Domain(domain) => domain.code().to_owned(),
        FacadeError::Unavailable(_) => "Unavailable".to_owned(),
        FacadeError::Account(account) => account.code().to_owned(),
        FacadeError::Consumer(consumer) => consumer.code().to_owned(),
        FacadeError::Busy(_) => "Busy".to_owned(),
        FacadeError::Throttled { .. } => "Throttled".to_owned(),
        FacadeError::Internal(_) => "Internal".to_owned(),
    }
}

/// The `ErrorDuringDeletion` entry of process `id` (of the identity whose address hashes to
/// `identity_address_hash`), with the attempt's `details`.
fn deletion_error_entry(
    id: &DeletionProcessId,
    identity_address_hash: Vec<u8>,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEntry {
    AuditEntry {
        id: AuditEntryId::generate(),
        process_id: Some(id.clone()),
        created_at: now,
        message_key: MessageKey::ErrorDuringDeletion,
        old_status: Some(ProcessStatus::Deleting),
        new_status: Some(ProcessStatus::Deleting),
        additional_data: details,
        identity_address_hash,
        device_id_hash: None,
        username_hashes: Vec::new(),
    }
}

/// First retry of a failed deletion after 5 minutes, then twice as long after each failure.
pub const DELETION_RETRY_FIRST_DELAY_MINUTES: i64 = 5;
/// Retries of a failing deletion are at most this far apart.
pub const DELETION_RETRY_MAX_DELAY_HOURS: i64 = 24;

/// The wait after the `attempt`-th failed attempt (1-based): 5 min, 10, 20, … up to 1 day.
pub fn deletion_retry_delay(attempt: i32) -> Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let minutes = DELETION_RETRY_FIRST_DELAY_MINUTES.saturating_mul(1 << doublings);
    Duration::minutes(minutes).min(Duration::hours(DELETION_RETRY_MAX_DELAY_HOURS))
}

/// Deleting processes whose next attempt is due (never failed, or their delay is over).
fn deletion_due(
    now: DateTime<Utc>,
) -> diesel::dsl::Or<
    diesel::dsl::IsNull<processes::next_deletion_attempt_at>,
    diesel::dsl::LtEq<processes::next_deletion_attempt_at, DateTime<Utc>>,
> {
    processes::next_deletion_attempt_at
        .is_null()
        .or(processes::next_deletion_attempt_at.le(now))
}

/// Processes waiting for approval whose approval period ends by `by`.
fn waiting_ending_by(by: DateTime<Utc>) -> impl Fn() -> CandidateFilter {
    move || {
        Box::new(
            processes::status
                .eq(ProcessStatus::WaitingForApproval)
                .and(processes::approval_period_ends_at.le(by)),
        )
    }
}

/// Approved processes whose grace period ends by `by`.
fn approved_ending_by(by: DateTime<Utc>) -> impl Fn() -> CandidateFilter {
    move || {
        Box::new(
            processes::status
                .eq(ProcessStatus::Approved)
                .and(processes::grace_period_ends_at.le(by)),
        )
    }
}

/// Saves what a job's rule changed and writes its audit entry and notice.
fn apply(
    conn: &mut PgConnection,
    identity: &Identity,
    process: &DeletionProcess,
    transition: Option<Transition>,
    now: DateTime<Utc>,
    notice: Option<MessageKey>,
) -> FacadeResult<Handled> {
    let Some(transition) = transition else {
        return Ok(Handled::Skipped);
    };
    save_process(conn, process)?;
    save_identity(conn, identity)?;
    let payload = json!({
        "approvalPeriodEndsAt": process.approval_period_ends_at,
        "gracePeriodEndsAt": process.grace_period_ends_at,
    });
    let notice = notice.map(|kind| (kind, payload));
    audit::record_transition(conn, identity, process, &transition, now, json!({}), notice)?;
    Ok(Handled::Done)
}

/// Deletes devices (see [`delete_devices`]), then the identity with its processes and
/// notices, writing a `DataDeleted` entry per step and `DeletionCompleted` with the hashed
/// usernames.
fn delete_identity_data(
    conn: &mut PgConnection,
    identity: &mut Identity,
    process: &mut DeletionProcess,
    now: DateTime<Utc>,
) -> FacadeResult<Handled> {
    if process.status != ProcessStatus::Deleting {
        return Ok(Handled::Skipped);
    }
    let username_hashes: Vec<Vec<u8>> = devices::table
        .filter(devices::identity_address.eq(&identity.address))
        .select(devices::username_hash)
        .load(conn)?;
    let entry = |key: MessageKey, data: serde_json::Value, usernames: Vec<Vec<u8>>| AuditEntry {
        id: AuditEntryId::generate(),
        // The process row goes with the identity, so the entries keep its ID in their data.
        process_id: None,
        created_at: now,
        message_key: key,
        old_status: Some(ProcessStatus::Deleting),
        new_status: Some(ProcessStatus::Deleting),
        additional_data: data,
        identity_address_hash: identity.address_hash.clone(),
        device_id_hash: None,
        username_hashes: usernames,
    };
    let devices_step = delete_devices(conn, identity, process, &username_hashes)?;
    audit::insert(
        conn,
        entry(MessageKey::DataDeleted, devices_step, Vec::new()),
    )?;
    diesel::delete(identities::table.find(&identity.address)).execute(conn)?;
    audit::insert(
        conn,
        entry(
            MessageKey::DataDeleted,
            json!({ "processId": process.id, "aspect": "Identity" }),
            Vec::new(),
        ),
    )?;
    audit::insert(
        conn,
        entry(
            MessageKey::DeletionCompleted,
            json!({ "processId": process.id }),
            username_hashes,
        ),
    )?;
    Ok(Handled::Done)
}

/// Deletes the identity's devices and erases what their sign-ins left in the security log
/// and the throttling counters (their networks and user agents); the data of the step's
/// `DataDeleted` entry.
fn delete_devices(
    conn: &mut PgConnection,
    identity: &Identity,
    process: &DeletionProcess,
    username_hashes: &[Vec<u8>],
) -> FacadeResult<serde_json::Value> {
    let count =
        diesel::delete(devices::table.filter(devices::identity_address.eq(&identity.address)))
            .execute(conn)?;
    let erased = accounts::erase_owner_sign_ins(conn, username_hashes)?;
    Ok(json!({
        "processId": process.id,
        "aspect": "Devices",
        "count": count,
        "securityEventsErased": erased.events,
        "signInFailuresDeleted": erased.failures,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_deletions_are_retried_after_a_doubling_delay_of_at_most_a_day() {
        let minutes = |attempt| deletion_retry_delay(attempt).num_minutes();
        assert_eq!(minutes(1), 5);
        assert_eq!(minutes(2), 10);
        assert_eq!(minutes(3), 20);
        assert_eq!(minutes(9), 1280);
        assert_eq!(minutes(10), 24 * 60);
        assert_eq!(minutes(1000), 24 * 60);
        assert_eq!(minutes(0), 5, "never less than the first delay");
    }
}
