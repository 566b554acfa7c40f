//! What admin templates show of processes and audit entries: text and dates prepared for
//! people, so templates stay free of logic.

use chrono::{DateTime, Utc};

use super::{identity_url, process_url};
use crate::domain::{DeletionProcess, ProcessStatus};
use crate::facade::models::AuditEntry;
use crate::web::format::{DateView, date, opt_date};

/// One row of a deletion processes table.
#[derive(Debug, Clone)]
pub struct ProcessRow {
    pub id: String,
    pub url: String,
    pub address: String,
    pub identity_url: String,
    pub status: ProcessStatus,
    /// Rejected or cancelled: shown greyed.
    pub finished: bool,
    pub created: DateView,
    pub approval_period_ends: Option<DateView>,
    pub approved: Option<DateView>,
    pub approved_by_device: Option<String>,
    pub grace_period_ends: Option<DateView>,
    pub reminders_sent: String,
}

fn count_sent(reminders: [Option<DateTime<Utc>>; 3]) -> usize {
    reminders.iter().flatten().count()
}

impl ProcessRow {
    pub fn new(process: &DeletionProcess, now: DateTime<Utc>) -> Self {
        let p = process;
        let approval = count_sent(p.approval_reminders_sent());
        let grace = count_sent(p.grace_period_reminders_sent());
        Self {
            id: p.id.to_string(),
            url: process_url(&p.identity_address, &p.id),
            address: p.identity_address.to_string(),
            identity_url: identity_url(&p.identity_address),
            status: p.status,
            finished: !p.status.is_open(),
            created: date(p.created_at, now),
            approval_period_ends: opt_date(p.approval_period_ends_at, now),
            approved: opt_date(p.approved_at, now),
            approved_by_device: p.approved_by_device.as_ref().map(ToString::to_string),
            grace_period_ends: opt_date(p.grace_period_ends_at, now),
            reminders_sent: format!("{approval} of 3 approval, {grace} of 3 grace"),
        }
    }

    pub fn all(processes: &[DeletionProcess], now: DateTime<Utc>) -> Vec<Self> {
        processes.iter().map(|p| Self::new(p, now)).collect()
    }
}

/// One labelled value on the process page: a date, a text, or nothing yet.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub date: Option<DateView>,
    pub text: Option<String>,
}

fn date_field(label: &'static str, at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Field {
    Field {
        label,
        date: opt_date(at, now),
        text: None,
    }
}

fn text_field(label: &'static str, text: Option<impl ToString>) -> Field {
    Field {
        label,
        date: None,
        text: text.map(|t| t.to_string()),
    }
}

/// Every field of a process, in the order of its lifecycle.
pub fn process_fields(p: &DeletionProcess, now: DateTime<Utc>) -> Vec<Field> {
    let asked = [
        text_field("ID", Some(&p.id)),
        text_field("Status", Some(p.status)),
        date_field("Created", Some(p.created_at), now),
        text_field("Started by admin", p.started_by_admin.as_ref()),
        date_field("Approval period ends", p.approval_period_ends_at, now),
    ];
    let approved = [
        date_field("Approved", p.approved_at, now),
        text_field("Approved by device", p.approved_by_device.as_ref()),
        date_field("Grace period ends", p.grace_period_ends_at, now),
    ];
    let ended = [
        date_field("Rejected", p.rejected_at, now),
        text_field("Rejected by device", p.rejected_by_device.as_ref()),
        date_field("Cancelled", p.cancelled_at, now),
        text_field("Cancelled by device", p.cancelled_by_device.as_ref()),
        text_field("Cancelled by admin", p.cancelled_by_admin.as_ref()),
        date_field("Deletion started", p.deletion_started_at, now),
    ];
    let approval_reminders = reminder_fields(APPROVAL_REMINDERS, p.approval_reminders_sent(), now);
    let grace_reminders = reminder_fields(GRACE_REMINDERS, p.grace_period_reminders_sent(), now);
    asked
        .into_iter()
        .chain(approval_reminders)
        .chain(approved)
        .chain(grace_reminders)
        .chain(ended)
        .collect()
}

const APPROVAL_REMINDERS: [&str; 3] = [
    "Approval reminder 1 sent",
    "Approval reminder 2 sent",
    "Approval reminder 3 sent",
];
const GRACE_REMINDERS: [&str; 3] = [
    "Grace period reminder 1 sent",
    "Grace period reminder 2 sent",
    "Grace period reminder 3 sent",
];

/// The three reminders of one period, each when it was sent.
fn reminder_fields(
    labels: [&'static str; 3],
    sent: [Option<DateTime<Utc>>; 3],
    now: DateTime<Utc>,
) -> impl Iterator<Item = Field> {
    labels
        .into_iter()
        .zip(sent)
        .map(move |(label, at)| date_field(label, at, now))
}

/// One audit log entry as a sentence with its status change.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub time: DateView,
    pub sentence: &'static str,
    pub key: &'static str,
    pub old_status: Option<ProcessStatus>,
    pub new_status: Option<ProcessStatus>,
    pub process_id: Option<String>,
}

impl AuditRow {
    pub fn all(entries: &[AuditEntry], now: DateTime<Utc>) -> Vec<Self> {
        entries
            .iter()
            .map(|e| Self {
                time: date(e.created_at, now),
                sentence: e.message_key.sentence(),
                key: e.message_key.as_str(),
                old_status: e.old_status,
                new_status: e.new_status,
                process_id: e.process_id.as_ref().map(ToString::to_string),
            })
            .collect()
    }
}
