//! The IdentityDeletionProcess state machine (`docs/domain.md`), as pure functions. Whether a
//! transition may happen is decided in `actions.rs`; when reminders are due, in
//! `reminders.rs`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::actions::{Action, check_no_open_process};
use super::address::IdentityAddress;
use super::audit::MessageKey;
use super::error::DomainError;
use super::grace::GraceLength;
use super::identity::Identity;
use super::ids::{DeletionProcessId, DeviceId};
use super::periods::Periods;
use super::reminders::ReminderSchedule;
use super::status::ProcessStatus;
use super::username::AdminUsername;

/// What a successful operation records in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub message_key: MessageKey,
    pub old_status: Option<ProcessStatus>,
    pub new_status: Option<ProcessStatus>,
    /// The device that acted, hashed into the audit entry.
    pub device: Option<DeviceId>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable)]
#[diesel(table_name = crate::schema::identity_deletion_processes)]
#[diesel(check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct DeletionProcess {
    pub id: DeletionProcessId,
    pub identity_address: IdentityAddress,
    pub status: ProcessStatus,
    pub created_at: DateTime<Utc>,
    pub started_by_admin: Option<AdminUsername>,
    pub approval_period_ends_at: Option<DateTime<Utc>>,
    pub approval_reminder1_sent_at: Option<DateTime<Utc>>,
    pub approval_reminder2_sent_at: Option<DateTime<Utc>>,
    pub approval_reminder3_sent_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by_device: Option<DeviceId>,
    pub grace_period_ends_at: Option<DateTime<Utc>>,
    pub grace_period_reminder1_sent_at: Option<DateTime<Utc>>,
    pub grace_period_reminder2_sent_at: Option<DateTime<Utc>>,
    pub grace_period_reminder3_sent_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub rejected_by_device: Option<DeviceId>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by_device: Option<DeviceId>,
    pub cancelled_by_admin: Option<AdminUsername>,
    pub deletion_started_at: Option<DateTime<Utc>>,
}

impl DeletionProcess {
    fn new(identity: &Identity, status: ProcessStatus, now: DateTime<Utc>) -> Self {
        Self {
            id: DeletionProcessId::generate(),
            identity_address: identity.address.clone(),
            status,
            created_at: now,
            started_by_admin: None,
            approval_period_ends_at: None,
            approval_reminder1_sent_at: None,
            approval_reminder2_sent_at: None,
            approval_reminder3_sent_at: None,
            approved_at: None,
            approved_by_device: None,
            grace_period_ends_at: None,
            grace_period_reminder1_sent_at: None,
            grace_period_reminder2_sent_at: None,
            grace_period_reminder3_sent_at: None,
            rejected_at: None,
            rejected_by_device: None,
            cancelled_at: None,
            cancelled_by_device: None,
            cancelled_by_admin: None,
            deletion_started_at: None,
        }
    }

    fn transition(
        &mut self,
        to: ProcessStatus,
        key: MessageKey,
        device: Option<&DeviceId>,
    ) -> Transition {
        let old = self.status;
        self.status = to;
        Transition {
            message_key: key,
            old_status: Some(old),
            new_status: Some(to),
            device: device.cloned(),
        }
    }

    /// Support starts a process that waits for the owner's approval.
    pub fn start_by_support(
        identity: &Identity,
        has_open_process: bool,
        admin: &AdminUsername,
        now: DateTime<Utc>,
        periods: Periods,
    ) -> Result<(Self, Transition), DomainError> {
        check_no_open_process(has_open_process)?;
        let mut process = Self::new(identity, ProcessStatus::WaitingForApproval, now);
        process.started_by_admin = Some(admin.clone());
        process.approval_period_ends_at = Some(now + periods.approval);
        let transition = Transition {
            message_key: MessageKey::StartedBySupport,
            old_status: None,
            new_status: Some(ProcessStatus::WaitingForApproval),
            device: None,
        };
        Ok((process, transition))
    }

    /// The owner starts a deletion, which is approved at once, with the grace length
    /// they chose.
    pub fn initiate_by_owner(
        identity: &mut Identity,
        has_open_process: bool,
        device: &DeviceId,
        now: DateTime<Utc>,
        grace: GraceLength,
    ) -> Result<(Self, Transition), DomainError> {
        check_no_open_process(has_open_process)?;
        let mut process = Self::new(identity, ProcessStatus::Approved, now);
        process.record_approval(identity, device, now, grace);
        let transition = Transition {
            message_key: MessageKey::StartedByOwner,
            old_status: None,
            new_status: Some(ProcessStatus::Approved),
            device: Some(device.clone()),
        };
        Ok((process, transition))
    }

    fn record_approval(
        &mut self,
        identity: &mut Identity,
        device: &DeviceId,
        now: DateTime<Utc>,
        grace: GraceLength,
    ) {
        let grace_end = now + grace.duration();
        self.approved_at = Some(now);
        self.approved_by_device = Some(device.clone());
        self.grace_period_ends_at = Some(grace_end);
        identity.queue_for_deletion(grace_end);
    }

    pub fn approve(
        &mut self,
        identity: &mut Identity,
        device: &DeviceId,
        now: DateTime<Utc>,
        periods: Periods,
    ) -> Result<Transition, DomainError> {
        self.check(Action::Approve, now)?;
        self.record_approval(identity, device, now, periods.grace);
        Ok(self.transition(ProcessStatus::Approved, MessageKey::Approved, Some(device)))
    }

    pub fn reject(
        &mut self,
        device: &DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Transition, DomainError> {
        self.check(Action::Reject, now)?;
        self.rejected_at = Some(now);
        self.rejected_by_device = Some(device.clone());
        Ok(self.transition(ProcessStatus::Rejected, MessageKey::Rejected, Some(device)))
    }

    pub fn cancel_by_owner(
        &mut self,
        identity: &mut Identity,
        device: &DeviceId,
        now: DateTime<Utc>,
    ) -> Result<Transition, DomainError> {
        self.check(Action::CancelByOwner, now)?;
        self.cancelled_by_device = Some(device.clone());
        Ok(self.cancel(identity, now, MessageKey::CancelledByOwner, Some(device)))
    }

    pub fn cancel_by_support(
        &mut self,
        identity: &mut Identity,
        admin: &AdminUsername,
        now: DateTime<Utc>,
    ) -> Result<Transition, DomainError> {
        self.check(Action::CancelBySupport, now)?;
        self.cancelled_by_admin = Some(admin.clone());
        Ok(self.cancel(identity, now, MessageKey::CancelledBySupport, None))
    }

    fn cancel(
        &mut self,
        identity: &mut Identity,
        now: DateTime<Utc>,
        key: MessageKey,
        device: Option<&DeviceId>,
    ) -> Transition {
        self.cancelled_at = Some(now);
        identity.restore_after_cancellation();
        self.transition(ProcessStatus::Cancelled, key, device)
    }

    /// Job: a request nobody answered within the approval period is cancelled.
    pub fn cancel_automatically(&mut self, now: DateTime<Utc>) -> Option<Transition> {
        self.allows(Action::CancelAutomatically, now).then(|| {
            self.cancelled_at = Some(now);
            self.transition(
                ProcessStatus::Cancelled,
                MessageKey::CancelledAutomatically,
                None,
            )
        })
    }

    /// Job: once the grace period is over the deletion begins.
    pub fn start_deletion(
        &mut self,
        identity: &mut Identity,
        now: DateTime<Utc>,
    ) -> Option<Transition> {
        self.allows(Action::StartDeletion, now).then(|| {
            self.deletion_started_at = Some(now);
            identity.mark_deleting();
            self.transition(ProcessStatus::Deleting, MessageKey::DeletionStarted, None)
        })
    }

    /// Job: sends the latest due approval reminder, unless it or a later one was sent.
    pub fn send_approval_reminder(&mut self, now: DateTime<Utc>) -> Option<Transition> {
        if self.status != ProcessStatus::WaitingForApproval {
            return None;
        }
        let end = self.approval_period_ends_at?;
        let sent = [
            &mut self.approval_reminder1_sent_at,
            &mut self.approval_reminder2_sent_at,
            &mut self.approval_reminder3_sent_at,
        ];
        let number = ReminderSchedule::APPROVAL.record_due(sent, end, now)?;
        Some(self.reminder(MessageKey::approval_reminder(number)))
    }

    /// Job: sends the latest due grace-period reminder, unless it or a later one was sent.
    pub fn send_grace_period_reminder(&mut self, now: DateTime<Utc>) -> Option<Transition> {
        if self.status != ProcessStatus::Approved {
            return None;
        }
        let end = self.grace_period_ends_at?;
        let sent = [
            &mut self.grace_period_reminder1_sent_at,
            &mut self.grace_period_reminder2_sent_at,
            &mut self.grace_period_reminder3_sent_at,
        ];
        let number = ReminderSchedule::GRACE.record_due(sent, end, now)?;
        Some(self.reminder(MessageKey::grace_period_reminder(number)))
    }

    /// When each of the three approval reminders was sent (`None`: not yet).
    pub fn approval_reminders_sent(&self) -> [Option<DateTime<Utc>>; 3] {
        [
            self.approval_reminder1_sent_at,
            self.approval_reminder2_sent_at,
            self.approval_reminder3_sent_at,
        ]
    }

    /// When each of the three grace-period reminders was sent (`None`: not yet).
    pub fn grace_period_reminders_sent(&self) -> [Option<DateTime<Utc>>; 3] {
        [
            self.grace_period_reminder1_sent_at,
            self.grace_period_reminder2_sent_at,
            self.grace_period_reminder3_sent_at,
        ]
    }

    fn reminder(&self, key: MessageKey) -> Transition {
        Transition {
            message_key: key,
            old_status: Some(self.status),
            new_status: Some(self.status),
            device: None,
        }
    }

    /// When a finished process ended (rejected or cancelled), for housekeeping.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        match self.status {
            ProcessStatus::Rejected => self.rejected_at,
            ProcessStatus::Cancelled => self.cancelled_at,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{admin, approved, device, identity, in_status, t0, waiting};
    use crate::domain::identity::{BASIC_TIER, QUEUED_FOR_DELETION_TIER};
    use crate::domain::status::IdentityStatus;
    use chrono::Duration;

    #[test]
    fn support_start_waits_for_approval_and_leaves_identity_alone() {
        let identity = identity();
        let (process, transition) = DeletionProcess::start_by_support(
            &identity,
            false,
            &admin("alice"),
            t0(),
            Periods::default(),
        )
        .unwrap();
        assert_eq!(process.status, ProcessStatus::WaitingForApproval);
        assert_eq!(
            process.approval_period_ends_at,
            Some(t0() + Duration::days(7))
        );
        assert_eq!(process.started_by_admin.as_deref(), Some("alice"));
        assert!(process.id.as_str().starts_with("IDP"));
        assert_eq!(transition.message_key, MessageKey::StartedBySupport);
        assert_eq!(
            (transition.old_status, transition.new_status),
            (None, Some(ProcessStatus::WaitingForApproval))
        );
    }

    #[test]
    fn start_and_initiate_fail_when_a_process_is_open() {
        let mut identity = identity();
        assert_eq!(
            DeletionProcess::start_by_support(
                &identity,
                true,
                &admin("a"),
                t0(),
                Periods::default()
            )
            .unwrap_err(),
            DomainError::ActiveProcessAlreadyExists
        );
        assert_eq!(
            DeletionProcess::initiate_by_owner(
                &mut identity,
                true,
                &device(),
                t0(),
                GraceLength::from_days(3).unwrap()
            )
            .unwrap_err(),
            DomainError::ActiveProcessAlreadyExists
        );
        assert_eq!(identity.status, IdentityStatus::Active);
    }

    #[test]
    fn initiate_is_approved_at_once_with_the_chosen_grace() {
        let mut identity = identity();
        let (process, transition) = DeletionProcess::initiate_by_owner(
            &mut identity,
            false,
            &device(),
            t0(),
            GraceLength::from_days(3).unwrap(),
        )
        .unwrap();
        assert_eq!(process.status, ProcessStatus::Approved);
        assert_eq!(process.started_by_admin, None);
        assert_eq!(process.approved_by_device, Some(device()));
        assert_eq!(process.grace_period_ends_at, Some(t0() + Duration::days(3)));
        assert_eq!(transition.message_key, MessageKey::StartedByOwner);
        assert_eq!(transition.device, Some(device()));
        assert_eq!(identity.status, IdentityStatus::ToBeDeleted);
        assert_eq!(identity.tier_id, QUEUED_FOR_DELETION_TIER);
        assert_eq!(
            identity.tier_id_before_deletion.as_deref(),
            Some(BASIC_TIER)
        );
        assert_eq!(
            identity.deletion_grace_period_ends_at,
            Some(t0() + Duration::days(3))
        );
    }

    #[test]
    fn approve_sets_grace_period_and_queues_identity() {
        let mut identity = identity();
        let mut process = waiting(&identity);
        let now = t0() + Duration::days(1);
        let transition = process
            .approve(&mut identity, &device(), now, Periods::default())
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::Approved);
        assert_eq!(
            transition.old_status,
            Some(ProcessStatus::WaitingForApproval)
        );
        assert_eq!(transition.new_status, Some(ProcessStatus::Approved));
        assert_eq!(process.approved_at, Some(now));
        assert_eq!(process.grace_period_ends_at, Some(now + Duration::days(14)));
        assert_eq!(identity.status, IdentityStatus::ToBeDeleted);
        assert_eq!(identity.tier_id, QUEUED_FOR_DELETION_TIER);
    }

    #[test]
    fn approve_and_reject_need_a_waiting_process() {
        for status in [
            ProcessStatus::Approved,
            ProcessStatus::Rejected,
            ProcessStatus::Cancelled,
            ProcessStatus::Deleting,
        ] {
            let mut identity = identity();
            let mut process = in_status(status, &mut identity);
            let before = (process.clone(), identity.clone());
            assert_eq!(
                process
                    .approve(&mut identity, &device(), t0(), Periods::default())
                    .unwrap_err(),
                DomainError::NoWaitingForApprovalProcess
            );
            assert_eq!(
                process.reject(&device(), t0()).unwrap_err(),
                DomainError::NoWaitingForApprovalProcess
            );
            assert_eq!(
                (process, identity),
                before,
                "a refused transition changes nothing"
            );
        }
    }

    #[test]
    fn an_expired_request_can_no_longer_be_answered() {
        let mut identity = identity();
        let mut process = waiting(&identity);
        let late = t0() + Duration::days(7);
        assert_eq!(
            process
                .approve(&mut identity, &device(), late, Periods::default())
                .unwrap_err(),
            DomainError::NoWaitingForApprovalProcess
        );
        assert_eq!(
            process.reject(&device(), late).unwrap_err(),
            DomainError::NoWaitingForApprovalProcess
        );
    }

    #[test]
    fn reject_leaves_identity_untouched() {
        let mut identity = identity();
        let before = identity.clone();
        let mut process = waiting(&identity);
        let transition = process.reject(&device(), t0()).unwrap();
        assert_eq!(transition.message_key, MessageKey::Rejected);
        assert_eq!(process.status, ProcessStatus::Rejected);
        assert_eq!(process.rejected_by_device, Some(device()));
        assert_eq!(identity, before);
        identity.status = IdentityStatus::Active;
    }

    #[test]
    fn owner_cancel_restores_identity() {
        let mut identity = identity();
        let before = identity.clone();
        let mut process = approved(&mut identity);
        let transition = process
            .cancel_by_owner(&mut identity, &device(), t0() + Duration::days(13))
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::CancelledByOwner);
        assert_eq!(process.status, ProcessStatus::Cancelled);
        assert_eq!(process.cancelled_by_device, Some(device()));
        assert_eq!(identity, before);
    }

    #[test]
    fn owner_cancel_fails_outside_approved_or_after_grace() {
        for status in [
            ProcessStatus::WaitingForApproval,
            ProcessStatus::Rejected,
            ProcessStatus::Cancelled,
            ProcessStatus::Deleting,
        ] {
            let mut identity = identity();
            let mut process = in_status(status, &mut identity);
            assert_eq!(
                process
                    .cancel_by_owner(&mut identity, &device(), t0())
                    .unwrap_err(),
                DomainError::NoApprovedProcess
            );
        }
        let mut identity = identity();
        let mut process = approved(&mut identity);
        assert_eq!(
            process
                .cancel_by_owner(&mut identity, &device(), t0() + Duration::days(14))
                .unwrap_err(),
            DomainError::GracePeriodHasAlreadyExpired
        );
        assert_eq!(process.status, ProcessStatus::Approved);
        assert_eq!(identity.status, IdentityStatus::ToBeDeleted);
    }

    #[test]
    fn support_cancel_needs_approved() {
        let mut identity = identity();
        let before = identity.clone();
        let mut process = approved(&mut identity);
        let transition = process
            .cancel_by_support(&mut identity, &admin("bob"), t0())
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::CancelledBySupport);
        assert_eq!(transition.device, None);
        assert_eq!(process.cancelled_by_admin.as_deref(), Some("bob"));
        assert_eq!(identity, before);

        for status in [
            ProcessStatus::WaitingForApproval,
            ProcessStatus::Rejected,
            ProcessStatus::Cancelled,
            ProcessStatus::Deleting,
        ] {
            let mut identity = self::identity();
            let mut process = in_status(status, &mut identity);
            assert_eq!(
                process
                    .cancel_by_support(&mut identity, &admin("bob"), t0())
                    .unwrap_err(),
                DomainError::NotInRequiredStatus {
                    required: ProcessStatus::Approved,
                    actual: status
                }
            );
        }
    }

    #[test]
    fn automatic_cancellation_only_after_the_approval_period() {
        let identity = identity();
        let mut process = waiting(&identity);
        assert!(
            process
                .cancel_automatically(t0() + Duration::days(7) - Duration::seconds(1))
                .is_none()
        );
        let transition = process
            .cancel_automatically(t0() + Duration::days(7))
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::CancelledAutomatically);
        assert_eq!(process.status, ProcessStatus::Cancelled);
        assert_eq!(
            (
                process.cancelled_by_admin.clone(),
                process.cancelled_by_device.clone()
            ),
            (None, None)
        );
        assert!(
            process
                .cancel_automatically(t0() + Duration::days(8))
                .is_none()
        );
    }

    #[test]
    fn deletion_starts_only_after_the_grace_period() {
        let mut identity = identity();
        let mut process = approved(&mut identity);
        assert!(
            process
                .start_deletion(
                    &mut identity,
                    t0() + Duration::days(14) - Duration::seconds(1)
                )
                .is_none()
        );
        let transition = process
            .start_deletion(&mut identity, t0() + Duration::days(14))
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::DeletionStarted);
        assert_eq!(process.status, ProcessStatus::Deleting);
        assert_eq!(identity.status, IdentityStatus::Deleting);
        assert!(!identity.owner_may_sign_in(t0() + Duration::days(14)));
    }

    #[test]
    fn approval_reminders_at_6_4_2_days_before_the_end() {
        let identity = identity();
        let mut process = waiting(&identity);
        let at = |days: i64| t0() + Duration::days(days);
        assert!(process.send_approval_reminder(at(0)).is_none());
        assert_eq!(
            process.send_approval_reminder(at(1)).unwrap().message_key,
            MessageKey::ApprovalReminder1Sent
        );
        assert!(
            process.send_approval_reminder(at(2)).is_none(),
            "reminder 1 only once"
        );
        assert_eq!(
            process.send_approval_reminder(at(3)).unwrap().message_key,
            MessageKey::ApprovalReminder2Sent
        );
        assert_eq!(
            process.send_approval_reminder(at(5)).unwrap().message_key,
            MessageKey::ApprovalReminder3Sent
        );
        assert!(process.send_approval_reminder(at(6)).is_none());
    }

    #[test]
    fn only_the_latest_due_reminder_is_sent_when_catching_up() {
        let identity = identity();
        let mut process = waiting(&identity);
        let transition = process
            .send_approval_reminder(t0() + Duration::days(6))
            .unwrap();
        assert_eq!(transition.message_key, MessageKey::ApprovalReminder3Sent);
        assert_eq!(process.approval_reminder1_sent_at, None);
        assert_eq!(process.approval_reminder2_sent_at, None);
        assert!(
            process
                .send_approval_reminder(t0() + Duration::days(6))
                .is_none()
        );
    }

    #[test]
    fn grace_reminders_at_12_10_5_days_before_the_end() {
        let mut identity = identity();
        let mut process = approved(&mut identity);
        let at = |days: i64| t0() + Duration::days(days);
        assert!(process.send_grace_period_reminder(at(1)).is_none());
        assert_eq!(
            process
                .send_grace_period_reminder(at(2))
                .unwrap()
                .message_key,
            MessageKey::GracePeriodReminder1Sent
        );
        assert_eq!(
            process
                .send_grace_period_reminder(at(4))
                .unwrap()
                .message_key,
            MessageKey::GracePeriodReminder2Sent
        );
        assert!(process.send_grace_period_reminder(at(8)).is_none());
        assert_eq!(
            process
                .send_grace_period_reminder(at(9))
                .unwrap()
                .message_key,
            MessageKey::GracePeriodReminder3Sent
        );
        assert!(process.send_grace_period_reminder(at(13)).is_none());
        let waiting = waiting(&identity);
        assert!(waiting.clone().send_grace_period_reminder(at(9)).is_none());
    }

    #[test]
    fn owners_may_sign_in_until_the_grace_period_ends() {
        let mut identity = identity();
        assert!(identity.owner_may_sign_in(t0()));
        approved(&mut identity);
        assert!(identity.owner_may_sign_in(t0() + Duration::days(13)));
        assert!(!identity.owner_may_sign_in(t0() + Duration::days(14)));
    }
}
