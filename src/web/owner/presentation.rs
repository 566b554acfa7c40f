//! The owner's view of identities and processes, in plain words. Pages and flashes take
//! their sentences from here so the same thing is always said the same way.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::{
    Action, Actor, AllowedActions, DeletionProcess, DeviceId, IdentityStatus, MessageKey,
    ProcessStatus,
};
use crate::web::format::{DateView, date, day};
use crate::web::i18n::{Arg, Lang, key};

/// The message keys of a short label for the badge and a sentence saying what it means.
pub fn identity_status(status: IdentityStatus) -> (&'static str, &'static str) {
    match status {
        IdentityStatus::Active => (
            key("owner-identity-active"),
            key("owner-identity-active-words"),
        ),
        IdentityStatus::ToBeDeleted => (
            key("owner-identity-to-be-deleted"),
            key("owner-identity-to-be-deleted-words"),
        ),
        IdentityStatus::Deleting => (
            key("owner-identity-deleting"),
            key("owner-identity-deleting-words"),
        ),
    }
}

/// The message key of a process status in the owner's words.
pub fn process_status(status: ProcessStatus) -> &'static str {
    match status {
        ProcessStatus::WaitingForApproval => key("owner-process-waiting"),
        ProcessStatus::Approved => key("owner-process-approved"),
        ProcessStatus::Rejected => key("owner-process-rejected"),
        ProcessStatus::Cancelled => key("owner-process-cancelled"),
        ProcessStatus::Deleting => key("owner-process-deleting"),
    }
}

/// Who did something, as the owner reads it.
#[derive(Debug, Clone, Copy)]
enum Who<'a> {
    Support,
    Device { id: &'a DeviceId, own: bool },
    Unknown,
    Automatically,
}

impl<'a> Who<'a> {
    fn device(id: &'a DeviceId, own: &DeviceId) -> Self {
        Self::Device { id, own: id == own }
    }

    /// Alone, as in the history's "Started by" column: "device … (this device)".
    fn alone(self, lang: Lang) -> String {
        let (key, id) = match self {
            Self::Support => (key("owner-who-support"), None),
            Self::Device { id, own: true } => (key("owner-who-this-device"), Some(id)),
            Self::Device { id, own: false } => (key("owner-who-device"), Some(id)),
            Self::Unknown => (key("owner-who-unknown"), None),
            Self::Automatically => (key("owner-who-automatically"), None),
        };
        Self::said(lang, key, id)
    }

    /// After a fact, as in "Approved … by device …".
    fn by(self, lang: Lang) -> String {
        let (key, id) = match self {
            Self::Support => (key("owner-by-support"), None),
            Self::Device { id, own: true } => (key("owner-by-this-device"), Some(id)),
            Self::Device { id, own: false } => (key("owner-by-device"), Some(id)),
            Self::Unknown => (key("owner-by-unknown"), None),
            Self::Automatically => (key("owner-by-automatically"), None),
        };
        Self::said(lang, key, id)
    }

    fn said(lang: Lang, key: &str, id: Option<&DeviceId>) -> String {
        match id {
            Some(id) => lang.t_args(key, &[("id", Arg::from(id.to_string()))]),
            None => lang.t(key),
        }
    }
}

/// A process with the dates the owner needs, relative to now.
#[derive(Debug, Clone)]
pub struct ProcessView {
    pub id: String,
    pub status: ProcessStatus,
    pub status_words: String,
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

/// Who started a process.
fn starter<'a>(process: &'a DeletionProcess, own: &DeviceId) -> Who<'a> {
    match (&process.started_by_admin, &process.approved_by_device) {
        (Some(_), _) => Who::Support,
        (None, Some(id)) => Who::device(id, own),
        (None, None) => Who::Unknown,
    }
}

impl ProcessView {
    pub fn new(process: &DeletionProcess, now: DateTime<Utc>, own: &DeviceId, lang: Lang) -> Self {
        Self {
            id: process.id.to_string(),
            status: process.status,
            status_words: lang.t(process_status(process.status)),
            started: date(process.created_at, now, lang),
            started_day: day(process.created_at, lang),
            started_by: starter(process, own).alone(lang),
            approval_ends: process
                .approval_period_ends_at
                .map(|at| date(at, now, lang)),
            deletion_at: process.grace_period_ends_at.map(|at| date(at, now, lang)),
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
    pub label: String,
    pub at: DateView,
    /// "by support", "by device … (this device)".
    pub by: Option<String>,
}

/// Everything that happened to a process, in order.
pub fn facts<'a>(
    process: &'a DeletionProcess,
    now: DateTime<Utc>,
    own: &DeviceId,
    lang: Lang,
) -> Vec<Fact> {
    let fact = |label: &str, at: Option<DateTime<Utc>>, by: Option<Who>| {
        at.map(|at| Fact {
            label: lang.t(label),
            at: date(at, now, lang),
            by: by.map(|who| who.by(lang)),
        })
    };
    let by_device = |id: Option<&'a DeviceId>| id.map(|id| Who::device(id, own));
    let (decision_label, deletion_label) = deadline_labels(process.status);
    [
        fact(
            key("owner-fact-started"),
            Some(process.created_at),
            Some(starter(process, own)),
        ),
        fact(decision_label, process.approval_period_ends_at, None),
        fact(
            key("owner-fact-approved"),
            process.approved_at,
            by_device(process.approved_by_device.as_ref()),
        ),
        fact(
            key("owner-fact-rejected"),
            process.rejected_at,
            by_device(process.rejected_by_device.as_ref()),
        ),
        fact(
            key("owner-fact-cancelled"),
            process.cancelled_at,
            Some(canceller(process, own)),
        ),
        fact(deletion_label, process.grace_period_ends_at, None),
        fact(
            key("owner-fact-deletion-began"),
            process.deletion_started_at,
            Some(Who::Automatically),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Who cancelled a process: a device, support, or nobody (it ran out).
fn canceller<'a>(process: &'a DeletionProcess, own: &DeviceId) -> Who<'a> {
    match (&process.cancelled_by_device, &process.cancelled_by_admin) {
        (Some(id), _) => Who::device(id, own),
        (None, Some(_)) => Who::Support,
        (None, None) => Who::Automatically,
    }
}

/// How the decision's deadline and the deletion's date read in a process of `status`.
fn deadline_labels(status: ProcessStatus) -> (&'static str, &'static str) {
    let decision = if status == ProcessStatus::WaitingForApproval {
        key("owner-fact-decision-due")
    } else {
        key("owner-fact-decision-was-due")
    };
    let deletion = match status {
        ProcessStatus::Approved => key("owner-fact-deletion-date"),
        ProcessStatus::Deleting => key("owner-fact-grace-ended"),
        _ => key("owner-fact-deletion-planned"),
    };
    (decision, deletion)
}

/// The message key of a notice from the outbox, as the owner reads it. Its messages may
/// take `$deadline` (the decision's) and `$date` (the deletion's).
fn notice_key(kind: MessageKey) -> &'static str {
    match kind {
        MessageKey::StartedBySupport => key("owner-notice-started-by-support"),
        MessageKey::StartedByOwner => key("owner-notice-started-by-owner"),
        MessageKey::Approved => key("owner-notice-approved"),
        MessageKey::Rejected => key("owner-notice-rejected"),
        MessageKey::CancelledByOwner => key("owner-notice-cancelled-by-owner"),
        MessageKey::CancelledBySupport => key("owner-notice-cancelled-by-support"),
        MessageKey::CancelledAutomatically => key("owner-notice-cancelled-automatically"),
        MessageKey::ApprovalReminder1Sent
        | MessageKey::ApprovalReminder2Sent
        | MessageKey::ApprovalReminder3Sent => key("owner-notice-approval-reminder"),
        MessageKey::GracePeriodReminder1Sent
        | MessageKey::GracePeriodReminder2Sent
        | MessageKey::GracePeriodReminder3Sent => key("owner-notice-grace-reminder"),
        MessageKey::DeletionStarted => key("owner-notice-deletion-started"),
        MessageKey::DataDeleted => key("owner-notice-data-deleted"),
        MessageKey::DeletionCompleted => key("owner-notice-deletion-completed"),
        MessageKey::ErrorDuringDeletion => key("owner-notice-error-during-deletion"),
    }
}

/// A notice from the outbox as the owner reads it.
pub fn notice(kind: MessageKey, payload: &Value, now: DateTime<Utc>, lang: Lang) -> String {
    let when = |field: &str, otherwise: &str| {
        payload
            .get(field)
            .and_then(Value::as_str)
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .map_or_else(
                || lang.t(otherwise),
                |at| {
                    let view = date(at.with_timezone(&Utc), now, lang);
                    format!("{} ({})", view.text, view.relative)
                },
            )
    };
    lang.t_args(
        notice_key(kind),
        &[
            (
                "deadline",
                Arg::from(when("approvalPeriodEndsAt", key("owner-notice-deadline"))),
            ),
            (
                "date",
                Arg::from(when("gracePeriodEndsAt", key("owner-notice-deletion-date"))),
            ),
        ],
    )
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
        let text = notice(MessageKey::StartedBySupport, &payload, now, Lang::En);
        assert!(
            text.contains("by 17 December 2026, 18:00 UTC (in 7 days)"),
            "{text}"
        );
        let text = notice(MessageKey::StartedBySupport, &payload, now, Lang::De);
        assert!(
            text.contains("bis 17. Dezember 2026, 18:00 UTC (in 7 Tagen) ab"),
            "{text}"
        );
        let text = notice(
            MessageKey::GracePeriodReminder2Sent,
            &serde_json::json!({}),
            now,
            Lang::En,
        );
        assert!(
            text.contains("on the deletion date"),
            "a payload without dates still reads: {text}"
        );
    }

    #[test]
    fn every_notice_has_words_in_both_languages() {
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 18, 0, 0).unwrap();
        for kind in MessageKey::all() {
            let key = notice_key(*kind);
            for lang in Lang::ALL {
                let text = notice(*kind, &serde_json::json!({}), now, lang);
                assert_ne!(text, key, "{kind:?} in {lang:?}");
            }
        }
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
        let told: Vec<_> = facts(&process, now, &own, Lang::En)
            .into_iter()
            .map(|f| format!("{}: {}", f.label, f.by.unwrap_or_default()))
            .collect();
        assert_eq!(
            told,
            [
                "Started: by support",
                "Decision was due by: ",
                "Cancelled: automatically"
            ]
        );
    }
}
