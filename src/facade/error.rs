//! The facade's error: a domain rule said no, or the database could not be used. Each one
//! reports itself ([`FacadeError::report`]): the stable code, the words and the HTTP status
//! that pages (and a JSON API's error body) show.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::DomainError;
use crate::domain::accounts::AccountError;
use crate::domain::admin_actions::Refusal;
use crate::domain::error::ErrorReport;
use crate::passwords::{BUSY_RETRY_AFTER_SECONDS, Busy};

/// The partial unique index that enforces one open process per identity.
const ONE_OPEN_PROCESS_INDEX: &str = "identity_deletion_processes_one_open_per_identity";

#[derive(Debug, thiserror::Error)]
pub enum FacadeError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// An account rule said no (role, last administrator, password policy, code).
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A Consumer API rule said no (registration, client credentials, sync runs).
    #[error(transparent)]
    Consumer(#[from] crate::domain::consumer::ConsumerError),
    /// The password-hash queue is full: a 503 with `Retry-After`.
    #[error(transparent)]
    Busy(#[from] Busy),
    /// Too many failed sign-ins (`docs/security.md`): a 429 with `Retry-After: seconds`.
    #[error("too many failed sign-ins; wait {seconds} s")]
    Throttled { seconds: u32 },
    /// The database cannot be reached (down, restarting, pool exhausted): a 503.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A bug outside the database (a task that panicked): a 500.
    #[error("internal error: {0}")]
    Internal(String),
    /// Anything else the database said: a bug or an operator problem, a 500.
    #[error("database error: {0}")]
    Database(DieselError),
}

pub type FacadeResult<T> = Result<T, FacadeError>;

impl FacadeError {
    pub fn domain(&self) -> Option<&DomainError> {
        match self {
            Self::Domain(error) => Some(error),
            _ => None,
        }
    }

    /// What this failure says to people and clients: a rule's refusal in its own words,
    /// anything else in words that give nothing internal away.
    pub fn report(&self) -> ErrorReport {
        match self {
            Self::Domain(error) => error.report(),
            Self::Account(error) => error.report(),
            Self::Consumer(error) => error.report(),
            Self::Busy(_) => busy_report(),
            Self::Throttled { seconds } => throttled_report(*seconds),
            Self::Unavailable(_) => unavailable_report(),
            Self::Internal(_) | Self::Database(_) => unexpected_report(),
        }
    }
}

impl From<Refusal> for FacadeError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Role(error) => Self::Account(error),
            Refusal::Rule(error) => Self::Domain(error),
        }
    }
}

/// The words for a database that cannot be reached (also a page's default for 503).
pub const UNAVAILABLE_MESSAGE: &str =
    "The database cannot be reached right now. Nothing was changed; please try again in a moment.";
/// The words for a bug (also a page's default for 500): nothing internal.
pub const UNEXPECTED_MESSAGE: &str =
    "An unexpected error occurred. Nothing was changed; please try again.";

/// The password-hash queue is full.
pub fn busy_report() -> ErrorReport {
    let message = "Too many sign-ins are being checked right now. Nothing was changed; \
                   please try again in a few seconds.";
    ErrorReport::new("error.platform.busy", message, 503).retry_after(BUSY_RETRY_AFTER_SECONDS)
}

/// Too many failed sign-ins: wait `seconds`.
pub fn throttled_report(seconds: u32) -> ErrorReport {
    let message = format!(
        "There were too many failed sign-ins. Please wait {} and try again.",
        wait_in_words(seconds)
    );
    let seconds = seconds.max(1);
    let minutes = if seconds > 90 {
        seconds.div_ceil(60)
    } else {
        0
    };
    ErrorReport::new("error.platform.quotaExhausted", message, 429)
        .with("seconds", i64::from(seconds))
        .with("minutes", i64::from(minutes))
        .retry_after(seconds)
}

pub fn unavailable_report() -> ErrorReport {
    ErrorReport::new("error.platform.unavailable", UNAVAILABLE_MESSAGE, 503)
}

pub fn unexpected_report() -> ErrorReport {
    ErrorReport::new("error.platform.unexpected", UNEXPECTED_MESSAGE, 500)
}

/// "1 second", "40 seconds", "3 minutes".
fn wait_in_words(seconds: u32) -> String {
    match seconds {
        0 | 1 => "1 second".to_owned(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

impl From<DieselError> for FacadeError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if info.constraint_name() == Some(ONE_OPEN_PROCESS_INDEX) =>
            {
                Self::Domain(DomainError::ActiveProcessAlreadyExists)
            }
            _ if crate::db::is_lost_connection(&error) => Self::Unavailable(error.to_string()),
            DieselError::BrokenTransactionManager => Self::Unavailable(error.to_string()),
            _ => Self::Database(error),
        }
    }
}

impl From<diesel::r2d2::PoolError> for FacadeError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_refusals_keep_their_code_and_words() {
        let error = FacadeError::from(DomainError::ActiveProcessAlreadyExists);
        assert_eq!(
            error.report(),
            DomainError::ActiveProcessAlreadyExists.report()
        );
        let forbidden = AccountError::Forbidden(crate::domain::accounts::Permission::Read);
        assert_eq!(
            FacadeError::from(forbidden.clone()).report(),
            forbidden.report()
        );
    }

    #[test]
    fn operational_failures_give_nothing_internal_away() {
        let down = FacadeError::Unavailable("connection refused at 10.0.0.5".into()).report();
        assert_eq!(
            (down.status, down.message.as_str()),
            (503, UNAVAILABLE_MESSAGE)
        );
        let bug = FacadeError::Internal("task panicked".into()).report();
        assert_eq!((bug.status, bug.code), (500, "error.platform.unexpected"));
        let throttled = FacadeError::Throttled { seconds: 150 }.report();
        assert_eq!((throttled.status, throttled.retry_after), (429, Some(150)));
        assert!(
            throttled.message.contains("3 minutes"),
            "{}",
            throttled.message
        );
        assert_eq!(busy_report().retry_after, Some(BUSY_RETRY_AFTER_SECONDS));
    }

    #[test]
    fn waits_in_words() {
        assert_eq!(wait_in_words(0), "1 second");
        assert_eq!(wait_in_words(40), "40 seconds");
        assert_eq!(wait_in_words(91), "2 minutes");
    }
}
