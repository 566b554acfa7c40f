//! Statuses of identities and deletion processes, stored as their names.

use super::enums::text_enum;

text_enum!(
    /// Where an IdentityDeletionProcess stands.
    ProcessStatus ("status") { WaitingForApproval, Approved, Rejected, Cancelled, Deleting }
);

text_enum!(
    /// Where an identity stands with respect to deletion.
    IdentityStatus ("status") { Active, ToBeDeleted, Deleting }
);

impl ProcessStatus {
    /// The open statuses: a process in one of them counts against the one-per-identity
    /// rule. This is the only list of them; the facade's queries filter with it, and
    /// `tests/schema_ties.rs` checks the partial unique index predicate against it.
    pub const OPEN: [ProcessStatus; 3] = [
        ProcessStatus::WaitingForApproval,
        ProcessStatus::Approved,
        ProcessStatus::Deleting,
    ];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// A finished process (rejected or cancelled) is kept for a while, then removed.
    pub fn is_finished(self) -> bool {
        !self.is_open()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in ProcessStatus::ALL {
            assert_eq!(ProcessStatus::parse(status.as_str()).unwrap(), *status);
        }
        for status in IdentityStatus::ALL {
            assert_eq!(IdentityStatus::parse(status.as_str()).unwrap(), *status);
        }
        assert!(ProcessStatus::parse("approved").is_err());
        assert_eq!(ProcessStatus::parse("x").unwrap_err().http_status(), 400);
    }

    #[test]
    fn open_statuses_are_the_ones_of_the_unique_index() {
        let open: Vec<_> = ProcessStatus::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [
                &ProcessStatus::WaitingForApproval,
                &ProcessStatus::Approved,
                &ProcessStatus::Deleting
            ]
        );
    }
}
