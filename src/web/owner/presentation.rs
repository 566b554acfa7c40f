//! The owner's view of identities and processes, in plain words. Pages and flashes take
//! their sentences from here so the same thing is always said the same way.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::{
    Action, Actor, AllowedActions, DeletionProcess, DeviceId, IdentityStatus, MessageKey,
    ProcessStatus,
};
use crate::web::format::{DateView, date, day};

/// A short label for the badge and a sentence saying what it means.
pub fn identity_status(status: IdentityStatus) -> (&'static str, &'static str) {
    match status {
        IdentityStatus::Active => ("Active", "Your identity is not scheduled for deletion."),
        IdentityStatus::ToBeDeleted => (
            "Scheduled for deletion",
            "You can still cancel the deletion until its date.",
        ),
        IdentityStatus::Deleting => ("Being deleted", "The deletion can no longer be stopped."),
    }
}

pub fn process_status(status: ProcessStatus) -> &'static str {
    match status {
        ProcessStatus::WaitingForApproval => "Waiting for your decision",
        ProcessStatus::Approved => "Approved: deletion scheduled",
        ProcessStatus::Rejected => "Rejected",
        ProcessStatus::Cancelled => "Cancelled",
        ProcessStatus::Deleting => "Deletion under way",
    }
}

/// Who did something, as the owner reads it.
fn device(id: &DeviceId, own: &DeviceId) -> String {
    if id == own {
        format!("device {id} (this device)")
    } else {
        format!("device {id}")
    }
}

/// A process with the dates the owner needs, relative to now.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub id: String,
    pub status: ProcessStatus,
    pub status_words: &'static str,
    pub started: DateView,
    pub started_day: String,
    pub started_by: String,
    pub approval_ends: Option<DateView>,
    pub deletion_at: Option<DateView>,
    /// What the owner may do with it now: the page offers exactly these.
    pub actions: AllowedActions,
    /// Approved once: a deletion receipt can be had.
    pub has_receipt: bool,
}

impl ProcessView {
    pub fn new(process: &DeletionProcess, now: DateTime<Utc>, own: &DeviceId) -> Self {
        let started_by = match (&process.started_by_admin, &process.approved_by_device) {
            (Some(_), _) => "support".to_owned(),
            (None, Some(id)) => device(id, own),
            (None, None) => "unknown".to_owned(),
        };
        Self {
            id: process.id.to_string(),
            status: process.status,
            status_words: process_status(process.status),
            started: date(process.created_at, now),
            started_day: day(process.created_at),
            started_by,
            approval_ends: process.approval_period_ends_at.map(|at| date(at, now)),
            deletion_at: process.grace_period_ends_at.map(|at| date(at, now)),
            actions: process.allowed_actions(Actor::Owner, now),
            has_receipt: process.approved_at.is_some(),
        }
    }

    pub fn may_approve(&self) -> bool {
        self.actions.contains(Action::Approve)
    }

    pub fn may_reject(&self) -> bool {
        self.actions.contains(Action::Reject)
    }

    pub fn may_cancel(&self) -> bool {
        self.actions.contains(Action::CancelByOwner)
    }

    pub fn is_waiting(&self) -> bool {
        self.status == ProcessStatus::WaitingForApproval
    }

    pub fn is_approved(&self) -> bool {
        self.status == ProcessStatus::Approved
    }

    pub fn is_deleting(&self) -> bool {
        self.status == ProcessStatus::Deleting
    }

    pub fn is_finished(&self) -> bool {
        !self.status.is_open()
    }
}

/// One line of a process's story: what happened (or will), when, and who did it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub label: &'static str,
    pub at: DateView,
    pub by: Option<String>,
}

/// Everything that happened to a process, in order.
pub fn facts(process: &DeletionProcess, now: DateTime<Utc>, own: &DeviceId) -> Vec<Fact> {
    let view = ProcessView::new(process, now, own);
    let fact = |label, at: Option<DateTime<Utc>>, by: Option<String>| {
        at.map(|at| Fact {
            label,
            at: date(at, now),
            by,
        })
    };
    let by_device = |id: &Option<DeviceId>| id.as_ref().map(|id| device(id, own));
    let cancelled_by = match (&process.cancelled_by_device, &process.cancelled_by_admin) {
        (Some(id), _) => device(id, own),
        (None, Some(_)) => "support".to_owned(),
        (None, None) => "automatically".to_owned(),
    };
    let waiting = process.status == ProcessStatus::WaitingForApproval;
    let deletion_label = match process.status {
        ProcessStatus::Approved => "Deletion date",
        ProcessStatus::Deleting => "Grace period ended",
        _ => "Deletion was planned for",
    };
    [
        Some(Fact {
            label: "Started",
            at: view.started,
            by: Some(view.started_by),
        }),
        fact(
            if waiting {
                "Decision due by"
            } else {
                "Decision was due by"
            },
            process.approval_period_ends_at,
            None,
        ),
        fact(
            "Approved",
            process.approved_at,
            by_device(&process.approved_by_device),
        ),
        fact(
            "Rejected",
            process.rejected_at,
            by_device(&process.rejected_by_device),
        ),
        fact("Cancelled", process.cancelled_at, Some(cancelled_by)),
        fact(deletion_label, process.grace_period_ends_at, None),
        fact(
            "Deletion began",
            process.deletion_started_at,
            Some("automatically".to_owned()),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A notice from the outbox as the owner reads it.
pub fn notice(kind: MessageKey, payload: &Value, now: DateTime<Utc>) -> String {
    let when = |field: &str| {
        payload
            .get(field)
            .and_then(Value::as_str)
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .map(|at| {
                let view = date(at.with_timezone(&Utc), now);
                format!("{} ({})", view.text, view.relative)
            })
    };
    let decide_by = when("approvalPeriodEndsAt").unwrap_or_else(|| "the deadline".to_owned());
    let deleted_on = when("gracePeriodEndsAt").unwrap_or_else(|| "the deletion date".to_owned());
    match kind {
        MessageKey::StartedBySupport => {
            format!("Support started the deletion of your identity. Please approve or reject it by {decide_by}.")
        }
        MessageKey::ApprovalReminder1Sent | MessageKey::ApprovalReminder2Sent | MessageKey::ApprovalReminder3Sent => {
            format!("Reminder: support is waiting for your decision on deleting your identity. Approve or reject by {decide_by}; if you do nothing it is cancelled then.")
        }
        MessageKey::GracePeriodReminder1Sent
        | MessageKey::GracePeriodReminder2Sent
        | MessageKey::GracePeriodReminder3Sent => {
            format!("Reminder: your identity will be deleted on {deleted_on} unless you cancel the deletion before.")
        }
        MessageKey::CancelledBySupport => {
            "Support cancelled the deletion of your identity. It will not be deleted.".to_owned()
        }
        MessageKey::CancelledAutomatically => {
            "The deletion requested by support was cancelled because no decision was made in time. Your identity will not be deleted.".to_owned()
        }
        MessageKey::DeletionStarted => "The grace period is over; your identity is being deleted.".to_owned(),
        other => other.sentence().to_owned(),
    }
}

/// A notice shown on `/me`.
#[derive(Debug, Clone)]
pub struct NoticeView {
    pub at: DateView,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn notices_read_their_dates_from_the_payload() {
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 18, 0, 0).unwrap();
        let payload = serde_json::json!({ "approvalPeriodEndsAt": now + Duration::days(7) });
        let text = notice(MessageKey::StartedBySupport, &payload, now);
        assert!(
            text.contains("by 17 Dec 2026, 18:00 UTC (in 7 days)"),
            "{text}"
        );
        let text = notice(
            MessageKey::GracePeriodReminder2Sent,
            &serde_json::json!({}),
            now,
        );
        assert!(
            text.contains("on the deletion date"),
            "a payload without dates still reads: {text}"
        );
    }

    #[test]
    fn facts_say_who_acted() {
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 18, 0, 0).unwrap();
        let own = DeviceId::generate();
        let identity = crate::domain::Identity {
            address: crate::domain::IdentityAddress::generate("localhost"),
            client_id: "test".into(),
            created_at: now,
            status: IdentityStatus::Active,
            tier_id: "TIRBASIC000000000000".into(),
            tier_id_before_deletion: None,
            deletion_grace_period_ends_at: None,
            address_hash: Vec::new(),
        };
        let (mut process, _) = DeletionProcess::start_by_support(
            &identity,
            false,
            &crate::domain::AdminUsername::parse("admin").unwrap(),
            now,
            crate::domain::Periods::default(),
        )
        .unwrap();
        process
            .cancel_automatically(now + Duration::days(8))
            .unwrap();
        let told: Vec<_> = facts(&process, now, &own)
            .into_iter()
            .map(|f| format!("{}: {}", f.label, f.by.unwrap_or_default()))
            .collect();
        assert_eq!(
            told,
            [
                "Started: support",
                "Decision was due by: ",
                "Cancelled: automatically"
            ]
        );
    }
}
