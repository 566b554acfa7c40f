//! Pure domain rules: IDs, addresses, statuses, the deletion-process state machine and its
//! errors. No I/O happens here; the types derive Diesel's mapping traits so that each row
//! has a single definition, but every decision is made by plain functions tested without
//! a database.

pub mod accounts;
pub mod actions;
pub mod activity;
pub mod address;
pub mod admin_actions;
pub mod audit;
pub mod consumer;
mod enums;
pub mod error;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod grace;
pub mod identity;
pub mod ids;
pub mod owner_limit;
pub mod periods;
pub mod process;
pub mod receipt;
pub mod reminders;
pub mod status;
pub mod username;

pub use actions::{Action, Actor, AllowedActions};
pub use address::IdentityAddress;
pub use admin_actions::{IdentityActions, ProcessActions, Refusal};
pub use audit::MessageKey;
pub use error::DomainError;
pub use grace::GraceLength;
pub use identity::Identity;
pub use ids::{AuditEntryId, DeletionProcessId, DeviceId};
pub use periods::Periods;
pub use process::{DeletionProcess, Transition};
pub use reminders::ReminderSchedule;
pub use status::{IdentityStatus, ProcessStatus};
pub use username::{AdminUsername, DeviceUsername};
