//! Audit log message keys and the sentences admin pages show for them.

use super::error::DomainError;
use super::ids::text_sql_via_str;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum MessageKey {
    StartedBySupport,
    StartedByOwner,
    Approved,
    Rejected,
    CancelledByOwner,
    CancelledBySupport,
    CancelledAutomatically,
    ApprovalReminder1Sent,
    ApprovalReminder2Sent,
    ApprovalReminder3Sent,
    GracePeriodReminder1Sent,
    GracePeriodReminder2Sent,
    GracePeriodReminder3Sent,
    DeletionStarted,
    DataDeleted,
    DeletionCompleted,
    ErrorDuringDeletion,
}

use MessageKey::*;

const ALL: [MessageKey; 17] = [
    StartedBySupport,
    StartedByOwner,
    Approved,
    Rejected,
    CancelledByOwner,
    CancelledBySupport,
    CancelledAutomatically,
    ApprovalReminder1Sent,
    ApprovalReminder2Sent,
    ApprovalReminder3Sent,
    GracePeriodReminder1Sent,
    GracePeriodReminder2Sent,
    GracePeriodReminder3Sent,
    DeletionStarted,
    DataDeleted,
    DeletionCompleted,
    ErrorDuringDeletion,
];

impl MessageKey {
    pub fn all() -> &'static [MessageKey] {
        &ALL
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StartedBySupport => "StartedBySupport",
            StartedByOwner => "StartedByOwner",
            Approved => "Approved",
            Rejected => "Rejected",
            CancelledByOwner => "CancelledByOwner",
            CancelledBySupport => "CancelledBySupport",
            CancelledAutomatically => "CancelledAutomatically",
            ApprovalReminder1Sent => "ApprovalReminder1Sent",
            ApprovalReminder2Sent => "ApprovalReminder2Sent",
            ApprovalReminder3Sent => "ApprovalReminder3Sent",
            GracePeriodReminder1Sent => "GracePeriodReminder1Sent",
            GracePeriodReminder2Sent => "GracePeriodReminder2Sent",
            GracePeriodReminder3Sent => "GracePeriodReminder3Sent",
            DeletionStarted => "DeletionStarted",
            DataDeleted => "DataDeleted",
            DeletionCompleted => "DeletionCompleted",
            ErrorDuringDeletion => "ErrorDuringDeletion",
        }
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        ALL.iter()
            .copied()
            .find(|key| key.as_str() == value)
            .ok_or_else(|| DomainError::invalid("message key", super::ids::shorten(value)))
    }

    /// The sentence an admin reads in the audit log.
    pub fn sentence(self) -> &'static str {
        match self {
            StartedBySupport => {
                "Support started the deletion process; the owner was asked to approve it."
            }
            StartedByOwner => "The owner started the deletion process; it was approved at once.",
            Approved => "The owner approved the deletion process; the grace period began.",
            Rejected => "The owner rejected the deletion process.",
            CancelledByOwner => "The owner cancelled the deletion process during the grace period.",
            CancelledBySupport => "Support cancelled the deletion process.",
            CancelledAutomatically => {
                "The deletion process was cancelled automatically because nobody approved it in time."
            }
            ApprovalReminder1Sent => {
                "The owner was reminded for the first time to approve or reject."
            }
            ApprovalReminder2Sent => {
                "The owner was reminded for the second time to approve or reject."
            }
            ApprovalReminder3Sent => {
                "The owner was reminded for the last time to approve or reject."
            }
            GracePeriodReminder1Sent => {
                "The owner was reminded for the first time that the identity will be deleted."
            }
            GracePeriodReminder2Sent => {
                "The owner was reminded for the second time that the identity will be deleted."
            }
            GracePeriodReminder3Sent => {
                "The owner was reminded for the last time that the identity will be deleted."
            }
            DeletionStarted => "The grace period ended; deletion of the identity started.",
            DataDeleted => "Part of the identity's data was deleted.",
            DeletionCompleted => "All data of the identity was deleted.",
            ErrorDuringDeletion => {
                "An error occurred while deleting the identity's data; it will be retried."
            }
        }
    }

    pub fn approval_reminder(number: u8) -> Self {
        match number {
            1 => ApprovalReminder1Sent,
            2 => ApprovalReminder2Sent,
            _ => ApprovalReminder3Sent,
        }
    }

    pub fn grace_period_reminder(number: u8) -> Self {
        match number {
            1 => GracePeriodReminder1Sent,
            2 => GracePeriodReminder2Sent,
            _ => GracePeriodReminder3Sent,
        }
    }
}

impl std::fmt::Display for MessageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

text_sql_via_str!(MessageKey, |s: String| MessageKey::parse(&s));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_and_reads_as_a_sentence() {
        let mut seen = std::collections::HashSet::new();
        for key in MessageKey::all() {
            assert_eq!(MessageKey::parse(key.as_str()).unwrap(), *key);
            assert!(key.sentence().ends_with('.'));
            assert!(seen.insert(key.sentence()), "sentence repeated for {key}");
        }
        assert!(MessageKey::parse("Nope").is_err());
    }
}
