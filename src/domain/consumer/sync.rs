//! Sync runs and external events: how an owner's app learns what happened to its identity
//! that its own requests did not do.

use chrono::Duration;

use crate::domain::MessageKey;
use crate::domain::enums::text_enum;

/// An unfinished run expires after this; the next start then replaces it.
pub const SYNC_RUN_LIFETIME: Duration = Duration::minutes(1);
/// Events one run delivers at most (the app starts another for the rest).
pub const EVENTS_PER_RUN: i64 = 500;
/// An event the app failed to process this often is not offered again.
pub const MAX_SYNC_ERRORS: i32 = 3;

text_enum!(
    /// What a sync run is for.
    SyncRunType ("sync run type") { ExternalEventSync, DatawalletVersionUpgrade }
);

text_enum!(
    /// Where a sync run stands.
    SyncRunStatus ("sync run status") { Running, Finalized, Expired }
);

text_enum!(
    /// The external events the platform's client library acts on for deletion processes.
    ExternalEventType ("external event type") {
        IdentityDeletionProcessStarted,
        IdentityDeletionProcessStatusChanged,
    }
);

impl ExternalEventType {
    /// The event a transition causes: support's start, and any status change that is not
    /// the owner's own doing (an event for those would make the app store the process
    /// twice). Reminders change no status.
    pub fn for_transition(key: MessageKey) -> Option<Self> {
        match key {
            MessageKey::StartedBySupport => Some(Self::IdentityDeletionProcessStarted),
            MessageKey::CancelledBySupport
            | MessageKey::CancelledAutomatically
            | MessageKey::DeletionStarted => Some(Self::IdentityDeletionProcessStatusChanged),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_the_owner_did_not_make_become_events() {
        use ExternalEventType::*;
        for key in MessageKey::all() {
            let expected = match key {
                MessageKey::StartedBySupport => Some(IdentityDeletionProcessStarted),
                MessageKey::CancelledBySupport
                | MessageKey::CancelledAutomatically
                | MessageKey::DeletionStarted => Some(IdentityDeletionProcessStatusChanged),
                _ => None,
            };
            assert_eq!(ExternalEventType::for_transition(*key), expected, "{key:?}");
        }
    }
}
