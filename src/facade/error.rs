//! The facade's error: a domain rule said no, or the database could not be used.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::DomainError;
use crate::domain::accounts::AccountError;
use crate::hashing::Busy;

/// The partial unique index that enforces one open process per identity.
const ONE_OPEN_PROCESS_INDEX: &str = "identity_deletion_processes_one_open_per_identity";

#[derive(Debug, thiserror::Error)]
pub enum FacadeError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// An account rule said no (role, last administrator, password policy, code).
    #[error(transparent)]
    Account(#[from] AccountError),
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
