//! What the account rules refuse, with a stable code, a message and an HTTP status.

use super::role::Permission;
use crate::domain::error::{ErrorReport, MessageArg, Reason};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// The acting account's role does not allow this (or the account is disabled).
    #[error("Your role does not allow this ({0}).")]
    Forbidden(Permission),
    #[error("There must always be at least one enabled administrator.")]
    LastAdministrator,
    #[error("The password is not accepted: {0}")]
    WeakPassword(Reason),
    #[error("The current password is not correct.")]
    WrongCurrentPassword,
    #[error("The code is not correct or was already used.")]
    WrongCode,
    #[error("The second factor is already turned on for this account.")]
    SecondFactorAlreadyOn,
    #[error("Start the enrolment of the second factor first.")]
    NoEnrolmentStarted,
    #[error("The second factor is not turned on for this account.")]
    SecondFactorOff,
    #[error("An account cannot do this to itself here; use the own-account page.")]
    NotOnOwnAccount,
    #[error("The new password must be different from the current one.")]
    SamePassword,
    /// The fifth wrong password or code asked for again before a change: the session ended.
    #[error("You were signed out because the password or code was wrong too many times.")]
    SignedOutAfterWrongAnswers,
}

/// What a permission allows, as the message files say it.
fn permission_words(permission: Permission) -> MessageArg {
    match permission {
        Permission::Read => MessageArg::Key("permission-read"),
        Permission::ReadSecurityEvents => MessageArg::Key("permission-read-security-events"),
        Permission::StartDeletion => MessageArg::Key("permission-start-deletion"),
        Permission::CancelDeletion => MessageArg::Key("permission-cancel-deletion"),
        Permission::ManageAccounts => MessageArg::Key("permission-manage-accounts"),
    }
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden(_) => "error.platform.forbidden",
            Self::LastAdministrator => "error.adminAccounts.lastAdministrator",
            Self::WeakPassword(_) => "error.adminAccounts.weakPassword",
            Self::WrongCurrentPassword => "error.adminAccounts.wrongCurrentPassword",
            Self::WrongCode => "error.adminAccounts.wrongSecondFactorCode",
            Self::SecondFactorAlreadyOn => "error.adminAccounts.secondFactorAlreadyOn",
            Self::NoEnrolmentStarted => "error.adminAccounts.noEnrolmentStarted",
            Self::SecondFactorOff => "error.adminAccounts.secondFactorOff",
            Self::NotOnOwnAccount => "error.adminAccounts.notOnOwnAccount",
            Self::SamePassword => "error.adminAccounts.samePassword",
            Self::SignedOutAfterWrongAnswers => "error.adminAccounts.signedOutAfterWrongAnswers",
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Self::Forbidden(_) => 403,
            Self::WeakPassword(_)
            | Self::WrongCurrentPassword
            | Self::WrongCode
            | Self::SamePassword => 400,
            Self::SignedOutAfterWrongAnswers => 401,
            Self::LastAdministrator
            | Self::SecondFactorAlreadyOn
            | Self::NoEnrolmentStarted
            | Self::SecondFactorOff
            | Self::NotOnOwnAccount => 409,
        }
    }

    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Code, message and status: what a page or an API says about this refusal.
    pub fn report(&self) -> ErrorReport {
        let report = ErrorReport::new(self.code(), self.message(), self.http_status());
        match self {
            Self::Forbidden(permission) => report.with("permission", permission_words(*permission)),
            Self::WeakPassword(why) => report.with("reason", why.as_arg()),
            _ => report,
        }
    }

    /// One value of each variant (with sample fields), in declaration order: the error
    /// table of `docs/domain.md` is rendered from it.
    pub fn examples() -> Vec<AccountError> {
        vec![
            Self::Forbidden(Permission::ManageAccounts),
            Self::LastAdministrator,
            Self::WeakPassword("it is shorter than 12 characters".into()),
            Self::WrongCurrentPassword,
            Self::WrongCode,
            Self::SecondFactorAlreadyOn,
            Self::NoEnrolmentStarted,
            Self::SecondFactorOff,
            Self::NotOnOwnAccount,
            Self::SamePassword,
            Self::SignedOutAfterWrongAnswers,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_hold_every_variant_once() {
        // Adding a variant breaks this match until it is added to `examples` as well.
        let index = |error: &AccountError| match error {
            AccountError::Forbidden(_) => 0,
            AccountError::LastAdministrator => 1,
            AccountError::WeakPassword(_) => 2,
            AccountError::WrongCurrentPassword => 3,
            AccountError::WrongCode => 4,
            AccountError::SecondFactorAlreadyOn => 5,
            AccountError::NoEnrolmentStarted => 6,
            AccountError::SecondFactorOff => 7,
            AccountError::NotOnOwnAccount => 8,
            AccountError::SamePassword => 9,
            AccountError::SignedOutAfterWrongAnswers => 10,
        };
        let indices: Vec<usize> = AccountError::examples().iter().map(index).collect();
        assert_eq!(indices, (0..11).collect::<Vec<_>>());
    }

    #[test]
    fn statuses_and_codes() {
        assert_eq!(
            AccountError::Forbidden(Permission::ManageAccounts).http_status(),
            403
        );
        assert_eq!(AccountError::LastAdministrator.http_status(), 409);
        let weak = AccountError::WeakPassword("too short".into());
        assert_eq!(weak.http_status(), 400);
        assert!(weak.message().contains("too short"));
        assert!(AccountError::WrongCode.code().starts_with("error."));
        let report = weak.report();
        assert_eq!((report.code, report.status), (weak.code(), 400));
        assert_eq!(report.message, weak.message());
    }
}
