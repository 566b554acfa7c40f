//! The facade: the one module every door (pages, APIs), job and command goes through, and
//! the only code that writes. [`Core`] is the shared context; the use cases hang on small
//! types, one per audience and capability, that borrow it:
//!
//! | accessor | type | for |
//! |---|---|---|
//! | `processes()` | [`IdentityDeletionProcessFacade`] | deletion processes |
//! | `identities()` | [`Identities`] | identities, search, the owner's home |
//! | `accounts()` | [`Accounts`] | admin accounts and roles |
//! | `second_factor()` | [`SecondFactor`] | TOTP and recovery codes |
//! | `credentials()` | [`Credentials`] | what a sign-in checks against |
//! | `sign_in_throttle()` | [`SignInThrottle`] | failed sign-ins and waits |
//! | `sessions()` | [`Sessions`] | sign-in sessions |
//! | `security_events()` | [`SecurityEvents`] | the security log |
//! | `audit_log()` | [`AuditLog`] | the audit log |
//! | `statistics()` | [`Statistics`] | status counts, the dashboard |
//! | `jobs()` | [`Jobs`] | the scheduled jobs |
//! | `api_keys()` | [`api_keys::ApiKeys`] | Admin API keys |
//! | `receipts()` | [`receipts::Receipts`] | deletion receipts |
//!
//! Diesel is blocking: web handlers call these functions on the blocking pool.

/// Declares a use-case type borrowing the [`Core`], and its accessor on the core.
macro_rules! use_case_type {
    ($(#[$doc:meta])* $accessor:ident => $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            pub(in crate::facade) core: &'a $crate::facade::Core,
        }

        impl $crate::facade::Core {
            $(#[$doc])*
            pub fn $accessor(&self) -> $name<'_> {
                $name { core: self }
            }
        }
    };
}

pub mod accounts;
pub mod api_keys;
pub mod api_tokens;
mod audit;
pub mod clients;
mod context;
pub mod deleted_identities;
pub mod error;
pub mod external_events;
pub mod jobs;
pub mod models;
mod owner_limit;
pub mod processes;
pub mod read;
pub mod receipts;
mod recent;
pub mod registration;
pub mod sessions;
pub mod stats;
pub mod sync;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{
    DeletionProcess, DeletionProcessId, DeviceId, DomainError, Identity, IdentityAddress,
    ProcessStatus,
};
use crate::schema::{identities, identity_deletion_processes as deletion_processes};

pub use accounts::{Accounts, Credentials, SecondFactor, SecurityEvents, SignInThrottle};
pub use context::Core;
pub use error::{FacadeError, FacadeResult};
pub use jobs::Jobs;
pub use processes::IdentityDeletionProcessFacade;
pub use read::audit::AuditLog;
pub use read::identities::Identities;
pub use sessions::Sessions;
pub use stats::Statistics;

/// The signed-in owner: an identity and the device acting for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub address: IdentityAddress,
    pub device_id: DeviceId,
}

// ----- row helpers shared by the use cases and the jobs -------------------------------

fn lock_identity(conn: &mut PgConnection, address: &IdentityAddress) -> FacadeResult<Identity> {
    identities::table
        .find(address)
        .select(Identity::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound("identity")))
}

/// A process of this identity only: another identity's ID is "not found", never a hint.
/// With `lock` the row is held (`FOR UPDATE`) until the transaction ends.
fn find_process(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    id: &DeletionProcessId,
    lock: bool,
) -> FacadeResult<DeletionProcess> {
    let query = deletion_processes::table
        .filter(deletion_processes::id.eq(id))
        .filter(deletion_processes::identity_address.eq(address))
        .select(DeletionProcess::as_select());
    let found = if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    };
    found
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound(
            "deletion process",
        )))
}

fn has_open_process(conn: &mut PgConnection, address: &IdentityAddress) -> FacadeResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        deletion_processes::table
            .filter(deletion_processes::identity_address.eq(address))
            .filter(deletion_processes::status.eq_any(ProcessStatus::OPEN)),
    ))
    .get_result(conn)?)
}

fn save_identity(conn: &mut PgConnection, identity: &Identity) -> FacadeResult<()> {
    diesel::update(identities::table.find(&identity.address))
        .set(identity)
        .execute(conn)?;
    Ok(())
}

fn save_process(conn: &mut PgConnection, process: &DeletionProcess) -> FacadeResult<()> {
    diesel::update(deletion_processes::table.find(&process.id))
        .set(process)
        .execute(conn)?;
    Ok(())
}
