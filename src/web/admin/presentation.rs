//! What admin templates show of processes and audit entries: text and dates prepared for
//! people, so templates stay free of logic.

use chrono::{DateTime, Utc};

use super::{identity_url, process_url};
use crate::domain::{DeletionProcess, MessageKey, ProcessStatus};
use crate::facade::models::AuditEntry;
use crate::web::format::{DateView, date, opt_date};
use crate::web::i18n::{Arg, Lang, key};

mod timeline;
pub use timeline::{Step, timeline};

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
    pub fn new(process: &DeletionProcess, now: DateTime<Utc>, lang: Lang) -> Self {
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
            created: date(p.created_at, now, lang),
            approval_period_ends: opt_date(p.approval_period_ends_at, now, lang),
            approved: opt_date(p.approved_at, now, lang),
            approved_by_device: p.approved_by_device.as_ref().map(ToString::to_string),
            grace_period_ends: opt_date(p.grace_period_ends_at, now, lang),
            reminders_sent: lang.t_args(
                "processes-reminders",
                &[
                    ("approval", Arg::from(approval as i64)),
                    ("grace", Arg::from(grace as i64)),
                ],
            ),
        }
    }

    pub fn all(processes: &[DeletionProcess], now: DateTime<Utc>, lang: Lang) -> Vec<Self> {
        processes.iter().map(|p| Self::new(p, now, lang)).collect()
    }
}

/// One labelled value on the process page: a date, a text, or nothing yet.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    pub date: Option<DateView>,
    pub text: Option<String>,
    /// A process or device ID: never broken in the middle.
    pub is_id: bool,
}

/// Makes the fields of one process, all in one language.
struct Fields {
    now: DateTime<Utc>,
    lang: Lang,
}

impl Fields {
    fn date(&self, label: &str, at: Option<DateTime<Utc>>) -> Field {
        Field {
            label: self.lang.t(label),
            date: opt_date(at, self.now, self.lang),
            text: None,
            is_id: false,
        }
    }

    fn text(&self, label: &str, text: Option<impl ToString>) -> Field {
        Field {
            label: self.lang.t(label),
            date: None,
            text: text.map(|t| t.to_string()),
            is_id: false,
        }
    }

    fn id(&self, label: &str, id: Option<impl ToString>) -> Field {
        Field {
            is_id: true,
            ..self.text(label, id)
        }
    }

    /// The three reminders of one period, each when it was sent.
    fn reminders(
        &self,
        labels: [&'static str; 3],
        sent: [Option<DateTime<Utc>>; 3],
    ) -> impl Iterator<Item = Field> + '_ {
        labels
            .into_iter()
            .zip(sent)
            .map(move |(label, at)| self.date(label, at))
    }
}

/// Every field of a process, in the order of its lifecycle.
pub fn process_fields(p: &DeletionProcess, now: DateTime<Utc>, lang: Lang) -> Vec<Field> {
    let f = Fields { now, lang };
    let asked = [
        f.id(key("process-field-id"), Some(&p.id)),
        f.text(key("process-field-status"), Some(p.status)),
        f.date(key("process-field-created"), Some(p.created_at)),
        f.text(
            key("process-field-started-by-admin"),
            p.started_by_admin.as_ref(),
        ),
        f.date(
            key("process-field-approval-ends"),
            p.approval_period_ends_at,
        ),
    ];
    let approved = [
        f.date(key("process-field-approved"), p.approved_at),
        f.id(
            key("process-field-approved-by-device"),
            p.approved_by_device.as_ref(),
        ),
        f.date(key("process-field-grace-ends"), p.grace_period_ends_at),
    ];
    let ended = [
        f.date(key("process-field-rejected"), p.rejected_at),
        f.id(
            key("process-field-rejected-by-device"),
            p.rejected_by_device.as_ref(),
        ),
        f.date(key("process-field-cancelled"), p.cancelled_at),
        f.id(
            key("process-field-cancelled-by-device"),
            p.cancelled_by_device.as_ref(),
        ),
        f.text(
            key("process-field-cancelled-by-admin"),
            p.cancelled_by_admin.as_ref(),
        ),
        f.date(key("process-field-deletion-started"), p.deletion_started_at),
    ];
    let approval_reminders = f.reminders(APPROVAL_REMINDERS, p.approval_reminders_sent());
    let grace_reminders = f.reminders(GRACE_REMINDERS, p.grace_period_reminders_sent());
    asked
        .into_iter()
        .chain(approval_reminders)
        .chain(approved)
        .chain(grace_reminders)
        .chain(ended)
        .collect()
}

const APPROVAL_REMINDERS: [&str; 3] = [
    key("process-field-approval-reminder-1"),
    key("process-field-approval-reminder-2"),
    key("process-field-approval-reminder-3"),
];
const GRACE_REMINDERS: [&str; 3] = [
    key("process-field-grace-reminder-1"),
    key("process-field-grace-reminder-2"),
    key("process-field-grace-reminder-3"),
];

/// One audit log entry as a sentence with its status change.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub time: DateView,
    pub sentence: String,
    pub key: &'static str,
    pub old_status: Option<ProcessStatus>,
    pub new_status: Option<ProcessStatus>,
    pub process_id: Option<String>,
}

impl AuditRow {
    pub fn all(entries: &[AuditEntry], now: DateTime<Utc>, lang: Lang) -> Vec<Self> {
        entries
            .iter()
            .map(|e| Self {
                time: date(e.created_at, now, lang),
                sentence: lang.t(sentence_key(e.message_key)),
                key: e.message_key.as_str(),
                old_status: e.old_status,
                new_status: e.new_status,
                process_id: e.process_id.as_ref().map(ToString::to_string),
            })
            .collect()
    }
}

/// The message of the sentence an admin reads for an audit entry (the same words as
/// [`MessageKey::sentence`], in the visitor's language).
pub fn sentence_key(message: MessageKey) -> &'static str {
    match message {
        MessageKey::StartedBySupport => key("audit-started-by-support"),
        MessageKey::StartedByOwner => key("audit-started-by-owner"),
        MessageKey::Approved => key("audit-approved"),
        MessageKey::Rejected => key("audit-rejected"),
        MessageKey::CancelledByOwner => key("audit-cancelled-by-owner"),
        MessageKey::CancelledBySupport => key("audit-cancelled-by-support"),
        MessageKey::CancelledAutomatically => key("audit-cancelled-automatically"),
        MessageKey::ApprovalReminder1Sent => key("audit-approval-reminder-1-sent"),
        MessageKey::ApprovalReminder2Sent => key("audit-approval-reminder-2-sent"),
        MessageKey::ApprovalReminder3Sent => key("audit-approval-reminder-3-sent"),
        MessageKey::GracePeriodReminder1Sent => key("audit-grace-period-reminder-1-sent"),
        MessageKey::GracePeriodReminder2Sent => key("audit-grace-period-reminder-2-sent"),
        MessageKey::GracePeriodReminder3Sent => key("audit-grace-period-reminder-3-sent"),
        MessageKey::DeletionStarted => key("audit-deletion-started"),
        MessageKey::DataDeleted => key("audit-data-deleted"),
        MessageKey::DeletionCompleted => key("audit-deletion-completed"),
        MessageKey::ErrorDuringDeletion => key("audit-error-during-deletion"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_sentences_read_as_the_domain_writes_them() {
        for message in MessageKey::all() {
            assert_eq!(Lang::En.t(sentence_key(*message)), message.sentence());
            assert_ne!(Lang::De.t(sentence_key(*message)), message.sentence());
        }
    }
}
