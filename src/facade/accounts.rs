//! Admin accounts, identities with their devices, and signing in.
//!
//! Password hashing and checking are deliberately slow (argon2id, on the bounded queue of
//! `crate::passwords`): the functions here that hash block their thread, so call them on the
//! blocking pool. Every check of a password or code is a sign-in attempt of the sign-in use
//! case (`sign_in`): throttled, counted and logged.
//!
//! Submodules: account management and roles (`management`), the TOTP second factor and
//! recovery codes (`second_factor`), the sign-in use case (`sign_in`), sign-in throttling
//! (`throttle`), the security-event log (`security_events`). Account changes end the account's sessions in their transaction
//! (`facade::sessions::end_admin_sessions_on`).

mod management;
mod second_factor;
mod security_events;
mod sign_in;
mod throttle;

use diesel::prelude::*;

use super::models::Device;
use super::{FacadeError, FacadeResult, Identities, Owner};
use crate::domain::accounts::{Role, UsernameKey};
use crate::domain::identity::BASIC_TIER;
use crate::domain::{AdminUsername, DeviceUsername};
use crate::domain::{DeviceId, DomainError, Identity, IdentityAddress, IdentityStatus};
use crate::passwords::hash_password;
use crate::pseudonyms::audit_hash;
use crate::schema::{admin_users, devices, identities};

pub use crate::domain::accounts::throttle::NOT_A_USERNAME;
/// For use cases outside this module: the acting admin's role, read in their transaction.
pub(crate) use management::require as require_role;
pub use management::{Accounts, AdminAccount, ChangeContext, CreatedAccount};
pub use second_factor::{SecondFactor, SecondFactorCheck, TotpEnrolment};
pub(crate) use security_events::record as record_security_event_in;
pub(crate) use security_events::remove_older_than as remove_security_events_older_than;
pub use security_events::{
    ClientInfo, SecurityEvent, SecurityEventCursor, SecurityEventFilter, SecurityEventPage,
    SecurityEvents,
};
pub(crate) use sign_in::on_pool;
pub use sign_in::{Account, Checked, Claim, Client, Purpose, Recheck, SignIns};
pub use throttle::{FailureKind, SignInAttempt, SignInThrottle};

/// What [`erase_owner_sign_ins`] erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ErasedSignIns {
    /// Security events that lost their client network and user agent.
    pub events: usize,
    /// Failed sign-ins deleted (they hold the client network).
    pub failures: usize,
}

/// For the deletion of an identity, in its transaction: the client networks and user agents
/// its devices' sign-ins left behind (`username_hashes`: the devices' `username_hash`).
pub(crate) fn erase_owner_sign_ins(
    conn: &mut PgConnection,
    username_hashes: &[Vec<u8>],
) -> QueryResult<ErasedSignIns> {
    let accounts: Vec<String> = username_hashes
        .iter()
        .map(|hash| UsernameKey::owner_from_hash(hash).as_str().to_owned())
        .collect();
    Ok(ErasedSignIns {
        events: security_events::erase_clients(conn, &accounts)?,
        failures: throttle::forget_owners(conn, &accounts)?,
    })
}

/// The domain new identities' addresses are on.
pub const ADDRESS_DOMAIN: &str = "localhost";

/// A newly created identity and its first device.
#[derive(Debug, Clone)]
pub struct CreatedIdentity {
    pub address: IdentityAddress,
    pub device_id: DeviceId,
}

pub(crate) fn validate_password(password: &str) -> Result<(), DomainError> {
    if (8..=1024).contains(&password.chars().count()) {
        Ok(())
    } else {
        Err(DomainError::invalid("password", "use 8 to 1024 characters"))
    }
}

impl Accounts<'_> {
    /// Creates an administrator (the `create-admin` command's default role).
    pub fn create_admin(&self, username: &AdminUsername, password: &str) -> FacadeResult<()> {
        self.create_admin_with_role(username, Role::Administrator, password)
    }

    pub fn admin_exists(&self, username: &AdminUsername) -> FacadeResult<bool> {
        Ok(
            diesel::select(diesel::dsl::exists(admin_users::table.find(username)))
                .get_result(&mut *self.core.conn()?)?,
        )
    }
}

impl Identities<'_> {
    /// Creates an identity with one device signing in as `username`.
    pub fn create_identity(
        &self,
        username: &DeviceUsername,
        password: &str,
        client_id: &str,
    ) -> FacadeResult<CreatedIdentity> {
        validate_password(password)?;
        let now = self.core.now();
        let address = IdentityAddress::generate(ADDRESS_DOMAIN);
        let identity = Identity {
            address_hash: audit_hash(address.as_str()),
            address: address.clone(),
            client_id: client_id.to_owned(),
            created_at: now,
            status: IdentityStatus::Active,
            tier_id: BASIC_TIER.to_owned(),
            tier_id_before_deletion: None,
            deletion_grace_period_ends_at: None,
        };
        let device_id = DeviceId::generate();
        let device = Device {
            id_hash: audit_hash(device_id.as_str()),
            id: device_id.clone(),
            identity_address: address.clone(),
            username: username.to_owned(),
            username_hash: audit_hash(username),
            password_hash: hash_password(password)?,
            created_at: now,
        };
        self.core.transaction(|conn| {
            diesel::insert_into(identities::table)
                .values(&identity)
                .execute(conn)?;
            diesel::insert_into(devices::table)
                .values(&device)
                .execute(conn)
                .map_err(|e| {
                    unique_as_invalid(e, "username", "a device with this username already exists")
                })?;
            Ok(())
        })?;
        Ok(CreatedIdentity { address, device_id })
    }

    pub fn device_username_exists(&self, username: &DeviceUsername) -> FacadeResult<bool> {
        Ok(diesel::select(diesel::dsl::exists(
            devices::table.filter(devices::username.eq(username)),
        ))
        .get_result(&mut *self.core.conn()?)?)
    }
}

use_case_type! {
    /// What a sign-in checks a presented credential against, and whether a signed-in owner
    /// may go on.
    credentials => Credentials
}

impl Credentials<'_> {
    /// The stored password hash of an enabled admin account, to check a sign-in against
    /// (with `passwords::verify_password_async`; against `passwords::dummy_password_hash()`
    /// when this is `None`, so unknown and disabled accounts take as long).
    pub fn admin_password_hash(&self, username: &AdminUsername) -> FacadeResult<Option<String>> {
        Ok(admin_users::table
            .find(username)
            .filter(admin_users::enabled)
            .select(admin_users::password_hash)
            .first(&mut *self.core.conn()?)
            .optional()?)
    }

    /// The owner behind the device that signs in as `username`, its stored password hash
    /// and the PBKDF2 hash of the username (its key for throttling and the security log),
    /// for the sign-in use case (`sign_in`).
    pub(crate) fn device_for_sign_in(
        &self,
        username: &DeviceUsername,
    ) -> FacadeResult<Option<(Owner, String, Vec<u8>)>> {
        type Row = (DeviceId, IdentityAddress, String, Vec<u8>);
        let found: Option<Row> = devices::table
            .filter(devices::username.eq(username))
            .select((
                devices::id,
                devices::identity_address,
                devices::password_hash,
                devices::username_hash,
            ))
            .first(&mut *self.core.conn()?)
            .optional()?;
        Ok(found.map(|(device_id, address, hash, username_hash)| {
            (Owner { address, device_id }, hash, username_hash)
        }))
    }

    /// Whether a signed-in owner's session may go on: the device still exists for that
    /// identity and the identity is not past its grace period.
    pub fn owner_may_continue(&self, owner: &Owner) -> FacadeResult<bool> {
        let identity: Option<Identity> = identities::table
            .inner_join(devices::table)
            .filter(identities::address.eq(&owner.address))
            .filter(devices::id.eq(&owner.device_id))
            .select(Identity::as_select())
            .first(&mut *self.core.conn()?)
            .optional()?;
        Ok(identity.is_some_and(|identity| identity.owner_may_sign_in(self.core.now())))
    }
}

/// A unique violation on user input is the user's mistake, not a server error.
pub(crate) fn unique_as_invalid(
    error: diesel::result::Error,
    property: &'static str,
    reason: &str,
) -> FacadeError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => FacadeError::Domain(DomainError::invalid(property, reason)),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_validated() {
        assert!(validate_password("12345678").is_ok());
        assert!(validate_password("short").is_err());
    }
}
