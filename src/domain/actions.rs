//! What may happen to a deletion process now, and who may do it. This is the one rule
//! table: the facade enforces it (each transition of `process.rs` asks [`DeletionProcess::check`]
//! first), the jobs use it to decide what is due, and pages draw their buttons and
//! confirmation steps from [`DeletionProcess::allowed_actions`].

use chrono::{DateTime, Utc};

use super::error::DomainError;
use super::process::DeletionProcess;
use super::status::ProcessStatus;

/// Who acts on a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The identity's owner, signed in with one of its devices.
    Owner,
    /// A support admin.
    Support,
    /// The time-driven lifecycle jobs.
    Job,
}

/// Something that can happen to an existing process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Approve,
    Reject,
    CancelByOwner,
    CancelBySupport,
    CancelAutomatically,
    StartDeletion,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Approve,
        Action::Reject,
        Action::CancelByOwner,
        Action::CancelBySupport,
        Action::CancelAutomatically,
        Action::StartDeletion,
    ];

    /// The only actor who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            Action::Approve | Action::Reject | Action::CancelByOwner => Actor::Owner,
            Action::CancelBySupport => Actor::Support,
            Action::CancelAutomatically | Action::StartDeletion => Actor::Job,
        }
    }
}

/// The actions an actor may take on a process at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllowedActions(u8);

impl AllowedActions {
    fn bit(action: Action) -> u8 {
        1 << (action as u8)
    }

    pub fn contains(self, action: Action) -> bool {
        self.0 & Self::bit(action) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Action> {
        Action::ALL.into_iter().filter(move |a| self.contains(*a))
    }
}

impl FromIterator<Action> for AllowedActions {
    fn from_iter<I: IntoIterator<Item = Action>>(actions: I) -> Self {
        Self(actions.into_iter().fold(0, |bits, a| bits | Self::bit(a)))
    }
}

/// `now` is before the deadline (a process without one has no deadline to miss).
fn before(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    deadline.is_none_or(|end| now < end)
}

/// The deadline is set and `now` has reached it.
fn reached(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    deadline.is_some_and(|end| now >= end)
}

impl DeletionProcess {
    /// The rule table: may `action` happen to this process at `now`? (The jobs ask this
    /// directly: their refusal is just "not due".)
    pub fn allows(&self, action: Action, now: DateTime<Utc>) -> bool {
        let waiting = self.status == ProcessStatus::WaitingForApproval;
        let approved = self.status == ProcessStatus::Approved;
        match action {
            // A request stays answerable while it waits and its approval period runs.
            Action::Approve | Action::Reject => {
                waiting && before(self.approval_period_ends_at, now)
            }
            Action::CancelByOwner => approved && before(self.grace_period_ends_at, now),
            Action::CancelBySupport => approved,
            Action::CancelAutomatically => waiting && reached(self.approval_period_ends_at, now),
            Action::StartDeletion => approved && reached(self.grace_period_ends_at, now),
        }
    }

    /// What `actor` may do with this process at `now`.
    pub fn allowed_actions(&self, actor: Actor, now: DateTime<Utc>) -> AllowedActions {
        Action::ALL
            .into_iter()
            .filter(|a| a.actor() == actor && self.allows(*a, now))
            .collect()
    }

    /// `Ok` when `action` may happen now, else the error of the refusal (`docs/domain.md`): the
    /// facade answers with it, and so does a confirmation page asked about the impossible.
    pub fn check(&self, action: Action, now: DateTime<Utc>) -> Result<(), DomainError> {
        if self.allows(action, now) {
            return Ok(());
        }
        Err(match action {
            Action::Approve | Action::Reject => DomainError::NoWaitingForApprovalProcess,
            Action::CancelByOwner if self.status == ProcessStatus::Approved => {
                DomainError::GracePeriodHasAlreadyExpired
            }
            Action::CancelByOwner => DomainError::NoApprovedProcess,
            Action::CancelBySupport | Action::StartDeletion => DomainError::NotInRequiredStatus {
                required: ProcessStatus::Approved,
                actual: self.status,
            },
            Action::CancelAutomatically => DomainError::NotInRequiredStatus {
                required: ProcessStatus::WaitingForApproval,
                actual: self.status,
            },
        })
    }
}

/// Support may start a process, and an owner initiate one, only while none is open.
pub fn check_no_open_process(has_open_process: bool) -> Result<(), DomainError> {
    if has_open_process {
        Err(DomainError::ActiveProcessAlreadyExists)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{admin, device, identity, in_status, t0};
    use crate::domain::grace::GraceLength;
    use crate::domain::identity::Identity;
    use chrono::Duration;

    use Action::*;

    /// Instants around the deadlines of the fixtures: the approval period of a waiting
    /// process ends at day 7, the grace period of an approved one at day 14.
    fn moments() -> [(&'static str, DateTime<Utc>); 7] {
        let day = |d: i64| t0() + Duration::days(d);
        let second = Duration::seconds(1);
        [
            ("start", t0()),
            ("just before the approval period ends", day(7) - second),
            ("when the approval period ends", day(7)),
            ("after the approval period", day(8)),
            ("just before the grace period ends", day(14) - second),
            ("when the grace period ends", day(14)),
            ("long after", day(400)),
        ]
    }

    /// What each actor may do, written out per status and instant.
    fn expected(status: ProcessStatus, actor: Actor, now: DateTime<Utc>) -> Vec<Action> {
        let approval_over = now >= t0() + Duration::days(7);
        let grace_over = now >= t0() + Duration::days(14);
        match (status, actor) {
            (ProcessStatus::WaitingForApproval, Actor::Owner) if !approval_over => {
                vec![Approve, Reject]
            }
            (ProcessStatus::WaitingForApproval, Actor::Job) if approval_over => {
                vec![CancelAutomatically]
            }
            (ProcessStatus::Approved, Actor::Owner) if !grace_over => vec![CancelByOwner],
            (ProcessStatus::Approved, Actor::Support) => vec![CancelBySupport],
            (ProcessStatus::Approved, Actor::Job) if grace_over => vec![StartDeletion],
            _ => vec![],
        }
    }

    #[test]
    fn the_list_of_actions_is_complete() {
        // Adding a variant breaks this match until it is added to `Action::ALL` as well.
        let index = |action: Action| match action {
            Approve => 0,
            Reject => 1,
            CancelByOwner => 2,
            CancelBySupport => 3,
            CancelAutomatically => 4,
            StartDeletion => 5,
        };
        let indices: Vec<usize> = Action::ALL.into_iter().map(index).collect();
        assert_eq!(indices, [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn every_status_actor_and_moment() {
        for status in ProcessStatus::ALL.iter().copied() {
            let process = in_status(status, &mut identity());
            for (moment, now) in moments() {
                for actor in [Actor::Owner, Actor::Support, Actor::Job] {
                    let allowed: Vec<Action> = process.allowed_actions(actor, now).iter().collect();
                    assert_eq!(
                        allowed,
                        expected(status, actor, now),
                        "{status} / {actor:?} / {moment}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_self_initiated_process_has_no_approval_deadline() {
        let mut identity = identity();
        let grace = GraceLength::from_days(3).unwrap();
        let (process, _) =
            DeletionProcess::initiate_by_owner(&mut identity, false, &device(), t0(), grace)
                .unwrap();
        let owner = |days| process.allowed_actions(Actor::Owner, t0() + Duration::days(days));
        assert_eq!(owner(2).iter().collect::<Vec<_>>(), [CancelByOwner]);
        assert!(owner(3).is_empty());
        let job = process.allowed_actions(Actor::Job, t0() + Duration::days(3));
        assert_eq!(job.iter().collect::<Vec<_>>(), [StartDeletion]);
    }

    /// Every refused action carries the error `docs/domain.md` lists for it.
    #[test]
    fn refusals_carry_the_spec_error() {
        let no_waiting = DomainError::NoWaitingForApprovalProcess;
        for status in ProcessStatus::ALL.iter().copied() {
            let process = in_status(status, &mut identity());
            for (moment, now) in moments() {
                for action in Action::ALL {
                    let result = process.check(action, now);
                    assert_eq!(
                        result.is_ok(),
                        process
                            .allowed_actions(action.actor(), now)
                            .contains(action),
                        "{status} / {action:?} / {moment}"
                    );
                    let Err(error) = result else { continue };
                    let want = match action {
                        Approve | Reject => no_waiting.clone(),
                        CancelByOwner if status == ProcessStatus::Approved => {
                            DomainError::GracePeriodHasAlreadyExpired
                        }
                        CancelByOwner => DomainError::NoApprovedProcess,
                        CancelBySupport | StartDeletion => DomainError::NotInRequiredStatus {
                            required: ProcessStatus::Approved,
                            actual: status,
                        },
                        CancelAutomatically => DomainError::NotInRequiredStatus {
                            required: ProcessStatus::WaitingForApproval,
                            actual: status,
                        },
                    };
                    assert_eq!(error, want, "{status} / {action:?} / {moment}");
                }
            }
        }
    }

    /// The transitions succeed exactly when the answer allows them, and a refusal changes
    /// nothing.
    #[test]
    fn transitions_follow_the_answer() {
        let periods = crate::domain::Periods::default();
        for status in ProcessStatus::ALL.iter().copied() {
            for (moment, now) in moments() {
                for action in Action::ALL {
                    let mut identity: Identity = identity();
                    let mut process = in_status(status, &mut identity);
                    let before = (process.clone(), identity.clone());
                    let allowed = process
                        .allowed_actions(action.actor(), now)
                        .contains(action);
                    let done = match action {
                        Approve => process
                            .approve(&mut identity, &device(), now, periods)
                            .is_ok(),
                        Reject => process.reject(&device(), now).is_ok(),
                        CancelByOwner => process
                            .cancel_by_owner(&mut identity, &device(), now)
                            .is_ok(),
                        CancelBySupport => process
                            .cancel_by_support(&mut identity, &admin("admin"), now)
                            .is_ok(),
                        CancelAutomatically => process.cancel_automatically(now).is_some(),
                        StartDeletion => process.start_deletion(&mut identity, now).is_some(),
                    };
                    assert_eq!(done, allowed, "{status} / {action:?} / {moment}");
                    if !done {
                        assert_eq!((process, identity), before, "{status} / {action:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_new_process_needs_none_open() {
        assert_eq!(check_no_open_process(false), Ok(()));
        assert_eq!(
            check_no_open_process(true),
            Err(DomainError::ActiveProcessAlreadyExists)
        );
    }
}
