//! What an admin may do now with an identity or a process: the role table
//! (`accounts::role`) and the process rules (`actions`) answered together, in one place.
//! The facade's reads for admin pages return this answer; the pages draw their buttons and
//! confirmation steps from it, and the use cases check the same rules in their transactions
//! (`Role::may` through the stored account, `check_no_open_process`, `DeletionProcess::check`).

use chrono::{DateTime, Utc};

use super::accounts::{AccountError, Permission, Role};
use super::actions::{Action, check_no_open_process};
use super::error::{DomainError, ErrorReport};
use super::process::DeletionProcess;

/// Why an admin may not do something now: the role does not allow it (403), or the state
/// of the identity or process does not (409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Role(AccountError),
    Rule(DomainError),
}

impl Refusal {
    pub fn report(&self) -> ErrorReport {
        match self {
            Self::Role(error) => error.report(),
            Self::Rule(error) => error.report(),
        }
    }
}

/// `Ok` when an action may be taken now, else why not: the error the use case answers with.
pub type Answer = Result<(), Refusal>;

/// The role first (a role that may not act learns nothing about the state), then the rule.
fn answer(role: Role, permission: Permission, rule: Result<(), DomainError>) -> Answer {
    if !role.may(permission) {
        return Err(Refusal::Role(AccountError::Forbidden(permission)));
    }
    rule.map_err(Refusal::Rule)
}

/// What an admin may do now with an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityActions {
    start: Answer,
}

impl IdentityActions {
    /// For an admin of `role`, about an identity that has (or has not) an open process.
    pub fn for_admin(role: Role, has_open_process: bool) -> Self {
        Self {
            start: answer(
                role,
                Permission::StartDeletion,
                check_no_open_process(has_open_process),
            ),
        }
    }

    /// Whether "Start deletion process" is offered.
    pub fn may_start(&self) -> bool {
        self.start.is_ok()
    }

    /// For the confirmation step: `Ok`, or the refusal the start would answer with.
    pub fn start(&self) -> Answer {
        self.start.clone()
    }
}

/// What an admin may do now with one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessActions {
    cancel: Answer,
}

impl ProcessActions {
    pub fn for_admin(role: Role, process: &DeletionProcess, now: DateTime<Utc>) -> Self {
        Self {
            cancel: answer(
                role,
                Permission::CancelDeletion,
                process.check(Action::CancelBySupport, now),
            ),
        }
    }

    /// Whether "Cancel deletion process" is offered.
    pub fn may_cancel(&self) -> bool {
        self.cancel.is_ok()
    }

    /// For the confirmation step: `Ok`, or the refusal the cancellation would answer with.
    pub fn cancel(&self) -> Answer {
        self.cancel.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{identity, in_status, t0};
    use crate::domain::status::ProcessStatus;

    #[test]
    fn support_and_administrators_may_start_only_while_none_is_open() {
        for role in Role::ALL {
            let free = IdentityActions::for_admin(role, false);
            let busy = IdentityActions::for_admin(role, true);
            if role == Role::Auditor {
                let forbidden = Err(Refusal::Role(AccountError::Forbidden(
                    Permission::StartDeletion,
                )));
                assert_eq!((free.start(), busy.start()), (forbidden.clone(), forbidden));
            } else {
                assert!(free.may_start(), "{role}");
                assert!(!busy.may_start(), "{role}");
                let open = Refusal::Rule(DomainError::ActiveProcessAlreadyExists);
                assert_eq!(busy.start(), Err(open));
            }
        }
    }

    #[test]
    fn cancelling_follows_the_role_and_the_process_rules() {
        for status in ProcessStatus::ALL.iter().copied() {
            let process = in_status(status, &mut identity());
            for role in Role::ALL {
                let actions = ProcessActions::for_admin(role, &process, t0());
                let expected = if role == Role::Auditor {
                    Err(Refusal::Role(AccountError::Forbidden(
                        Permission::CancelDeletion,
                    )))
                } else {
                    process
                        .check(Action::CancelBySupport, t0())
                        .map_err(Refusal::Rule)
                };
                assert_eq!(actions.cancel(), expected, "{status} / {role}");
                assert_eq!(actions.may_cancel(), expected.is_ok());
            }
        }
    }

    #[test]
    fn a_refusal_reports_like_its_error() {
        let refusal = Refusal::Rule(DomainError::ActiveProcessAlreadyExists);
        assert_eq!(
            refusal.report(),
            DomainError::ActiveProcessAlreadyExists.report()
        );
        assert_eq!(
            Refusal::Role(AccountError::Forbidden(Permission::StartDeletion))
                .report()
                .status,
            403
        );
    }
}
