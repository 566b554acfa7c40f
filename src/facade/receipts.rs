//! Deletion receipts (`domain::receipt`): signed for an owner whose deletion was approved,
//! and checked for anyone who holds a receipt code and the address it was made for.
//!
//! A check reads only the audit log, found by the address's pseudonym and the process ID,
//! so it still answers after the identity and its processes are gone. A code that does not
//! verify for the address gets one answer, whatever the reason, and costs no database read.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Int4, Text, Timestamptz};

use super::models::AuditEntry;
use super::{FacadeResult, Owner};
use crate::domain::accounts::{ApiKeyLimit, ClientNetwork};
use crate::domain::receipt::{ReceiptCode, ReceiptKey};
use crate::domain::{DeletionProcessId, DomainError, IdentityAddress, MessageKey, ProcessStatus};
use crate::facade::error::FacadeError;
use crate::pseudonyms::audit_hash;
use crate::schema::identity_deletion_process_audit_log as audit_log;

/// Checks one network may ask for within a minute (each costs a PBKDF2 hash).
pub const CHECKS_PER_MINUTE: u32 = 10;

use_case_type! {
    /// Deletion receipts: made for owners, checked for anyone.
    receipts => Receipts
}

/// Who asked for the deletion a receipt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedBy {
    Support,
    Owner,
}

/// What a receipt page shows.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub process_id: DeletionProcessId,
    pub address: IdentityAddress,
    pub asked_at: DateTime<Utc>,
    pub asked_by: AskedBy,
    pub approved_at: DateTime<Utc>,
    pub grace_period_ends_at: Option<DateTime<Utc>>,
    pub code: ReceiptCode,
}

/// What became of the process a genuine receipt is for, as far as the audit log tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessOutcome {
    WaitingForApproval,
    /// Approved; the identity is deleted at `deletion_due` unless it is cancelled before.
    Approved {
        deletion_due: Option<DateTime<Utc>>,
    },
    Rejected {
        at: DateTime<Utc>,
    },
    Cancelled {
        at: DateTime<Utc>,
    },
    /// The deletion is under way.
    Deleting {
        since: DateTime<Utc>,
    },
    Deleted {
        on: DateTime<Utc>,
    },
    /// Genuine, but the audit log keeps nothing of it any more.
    NoRecord,
}

/// The answer to a receipt check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Genuine {
        process_id: DeletionProcessId,
        outcome: ProcessOutcome,
    },
    /// Forged, altered, mistyped, or made for another address: one answer for all.
    NotGenuine,
}

impl Receipts<'_> {
    /// The key anyone can check receipts with.
    pub fn public_key(&self) -> ReceiptKey {
        self.core.receipt_signer.public_key()
    }

    /// The receipt of the owner's process `id`, once its deletion was approved (by the owner,
    /// or at once when the owner started it). Another identity's process is not found.
    pub fn receipt(&self, owner: &Owner, id: &DeletionProcessId) -> FacadeResult<Receipt> {
        let process = super::find_process(&mut *self.core.conn()?, &owner.address, id, false)?;
        let Some(approved_at) = process.approved_at else {
            return Err(DomainError::RecordNotFound("deletion receipt").into());
        };
        Ok(Receipt {
            code: self
                .core
                .receipt_signer
                .sign(&process.id, &process.identity_address),
            asked_by: if process.started_by_admin.is_some() {
                AskedBy::Support
            } else {
                AskedBy::Owner
            },
            process_id: process.id,
            address: process.identity_address,
            asked_at: process.created_at,
            approved_at,
            grace_period_ends_at: process.grace_period_ends_at,
        })
    }

    /// Checks a receipt `code` for the `address` typed with it, counted against `network`'s
    /// checks of this minute (a `Throttled` error beyond them).
    pub fn verify(
        &self,
        code: &str,
        address: &str,
        network: &ClientNetwork,
    ) -> FacadeResult<Verification> {
        self.count_check(network)?;
        let (Some(code), Ok(address)) = (
            ReceiptCode::parse(code),
            IdentityAddress::parse(address.trim()),
        ) else {
            return Ok(Verification::NotGenuine);
        };
        if !self.public_key().verifies(&code, &address) {
            return Ok(Verification::NotGenuine);
        }
        // Once the process row is gone (deleted with its identity, or removed after it
        // ended) its entries lose `process_id`; the deletion's entries keep it in their data.
        let named_in_data = diesel::dsl::sql::<Bool>("additional_data->>'processId' = ")
            .bind::<Text, _>(code.process().as_str());
        let entries: Vec<AuditEntry> = audit_log::table
            .filter(audit_log::identity_address_hash.eq(audit_hash(address.as_str())))
            .filter(audit_log::process_id.eq(code.process()).or(named_in_data))
            .order((audit_log::created_at, audit_log::seq))
            .select(AuditEntry::as_select())
            .load(&mut *self.core.conn()?)?;
        Ok(Verification::Genuine {
            outcome: self.outcome(&entries, code.process())?,
            process_id: code.process().clone(),
        })
    }

    /// The outcome the newest entry that changed (or ended) the process tells.
    fn outcome(
        &self,
        entries: &[AuditEntry],
        id: &DeletionProcessId,
    ) -> FacadeResult<ProcessOutcome> {
        if let Some(done) = entries
            .iter()
            .find(|e| e.message_key == MessageKey::DeletionCompleted)
        {
            return Ok(ProcessOutcome::Deleted {
                on: done.created_at,
            });
        }
        let Some(last) = entries.iter().rev().find(|e| e.new_status.is_some()) else {
            return Ok(ProcessOutcome::NoRecord);
        };
        Ok(match last.new_status {
            Some(ProcessStatus::WaitingForApproval) => ProcessOutcome::WaitingForApproval,
            Some(ProcessStatus::Approved) => ProcessOutcome::Approved {
                deletion_due: self.deletion_due(id)?,
            },
            Some(ProcessStatus::Rejected) => ProcessOutcome::Rejected {
                at: last.created_at,
            },
            Some(ProcessStatus::Cancelled) => ProcessOutcome::Cancelled {
                at: last.created_at,
            },
            Some(ProcessStatus::Deleting) => ProcessOutcome::Deleting {
                since: last.created_at,
            },
            None => ProcessOutcome::NoRecord,
        })
    }

    /// When an approved process's grace period ends (its row exists while it is approved).
    fn deletion_due(&self, id: &DeletionProcessId) -> FacadeResult<Option<DateTime<Utc>>> {
        use crate::schema::identity_deletion_processes as processes;
        Ok(processes::table
            .find(id)
            .select(processes::grace_period_ends_at)
            .first::<Option<DateTime<Utc>>>(&mut *self.core.conn()?)
            .optional()?
            .flatten())
    }

    /// Job: forgets the networks whose window ended over an hour ago.
    pub fn remove_old_checks(&self, now: DateTime<Utc>) -> FacadeResult<usize> {
        use crate::schema::receipt_checks;
        let cutoff = now - chrono::Duration::hours(1);
        Ok(diesel::delete(
            receipt_checks::table.filter(receipt_checks::window_started_at.lt(cutoff)),
        )
        .execute(&mut *self.core.conn()?)?)
    }

    /// Counts one check of `network` in its current minute; refuses it beyond the limit.
    fn count_check(&self, network: &ClientNetwork) -> FacadeResult<()> {
        #[derive(QueryableByName)]
        struct Window {
            #[diesel(sql_type = Timestamptz)]
            window_started_at: DateTime<Utc>,
            #[diesel(sql_type = Int4)]
            checks: i32,
        }
        let now = self.core.now();
        let window: Window = diesel::sql_query(COUNT_CHECK)
            .bind::<Text, _>(network.as_cidr())
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(now - ApiKeyLimit::window())
            .get_result(&mut *self.core.conn()?)?;
        ApiKeyLimit::new(CHECKS_PER_MINUTE)
            .check(window.window_started_at, window.checks, now)
            .map_err(|seconds| FacadeError::Throttled { seconds })
    }
}

/// Counts a check in the network's window: the current one (it started after `$3`), or the
/// first of a new one.
const COUNT_CHECK: &str = "\
INSERT INTO receipt_checks AS r (network, window_started_at, checks) VALUES ($1, $2, 1)
ON CONFLICT (network) DO UPDATE SET
    window_started_at = CASE WHEN r.window_started_at > $3 THEN r.window_started_at ELSE $2 END,
    checks = CASE WHEN r.window_started_at > $3 THEN r.checks + 1 ELSE 1 END
RETURNING window_started_at, checks";
