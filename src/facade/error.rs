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
    /// The database cannot be reached (down, restarting, pool exhausted): a 503.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
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
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable(error.to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if is_connection_failure(info.message()) =>
            {
                Self::Unavailable(error.to_string())
            }
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

/// libpq reports a lost server as an unclassified error; recognise it by its wording.
fn is_connection_failure(message: &str) -> bool {
    const SIGNS: [&str; 11] = [
        "server closed the connection",
        "terminating connection",
        "no connection to the server",
        "could not connect",
        "connection to server",
        "the database system is shutting down",
        "the database system is starting up",
        "could not receive data from server",
        "could not send data to server",
        "SSL SYSCALL error",
        "Connection reset",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}
