//! Pure domain rules: IDs, addresses, statuses, the deletion-process state machine and its
//! errors. No I/O happens here; the types derive Diesel's mapping traits so that each row
//! has a single definition, but every decision is made by plain functions tested without
//! a database.

pub mod accounts;
pub mod address;
pub mod audit;
pub mod error;
pub mod grace;
pub mod identity;
pub mod ids;
pub mod process;
pub mod status;

pub use address::IdentityAddress;
pub use audit::MessageKey;
pub use error::DomainError;
pub use grace::GraceLength;
pub use identity::Identity;
pub use ids::{AuditEntryId, DeletionProcessId, DeviceId};
pub use process::{DeletionProcess, Periods, Transition};
pub use status::{IdentityStatus, ProcessStatus};
