//! Audit log message keys and the sentences admin pages show for them.

use super::enums::text_enum;

text_enum!(
    /// What an audit entry (or a notice to the owner) records.
    MessageKey ("message key") {
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
);

use MessageKey::*;

impl MessageKey {
    pub fn all() -> &'static [MessageKey] {
        Self::ALL
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
