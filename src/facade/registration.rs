//! Registration through the Consumer API (`docs/consumer-api.md`): a challenge, then a new
//! identity whose address is derived from the key that signed it, with a first device
//! whose username is generated. The device signs in like any other, on the owner pages
//! too.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::accounts::on_pool;
use super::clients::{authenticate, check_identity_limit};
use super::models::Device;
use super::{Core, FacadeError, FacadeResult, Owner};
use crate::domain::accounts::ClientNetwork;
use crate::domain::consumer::{
    CHALLENGE_LIFETIME, ChallengeContent, ConsumerError, IdentityPublicKey, Signature,
    derive_address,
};
use crate::domain::ids::ChallengeId;
use crate::domain::{
    DeviceId, DeviceUsername, DomainError, Identity, IdentityAddress, IdentityStatus,
};
use crate::passwords::{Lane, hash_password_async};
use crate::pseudonyms::audit_hash;
use crate::schema::{challenges, devices, identities};

/// The identity version this server speaks.
pub const IDENTITY_VERSION: i32 = 1;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = challenges, check_for_backend(diesel::pg::Pg))]
pub struct Challenge {
    pub id: ChallengeId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub created_by: Option<IdentityAddress>,
    pub created_by_device: Option<DeviceId>,
}

/// What an app sends to register (already parsed from JSON; checked here).
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: String,
    pub identity_public_key: String,
    pub device_password: String,
    pub identity_version: i32,
    /// The challenge text exactly as received: the signature covers these bytes.
    pub challenge: String,
    pub signature: String,
}

/// The new identity and its first device.
#[derive(Debug, Clone)]
pub struct Registered {
    pub address: IdentityAddress,
    pub created_at: DateTime<Utc>,
    pub device_id: DeviceId,
    pub username: DeviceUsername,
}

/// Registration's use cases, with the domain addresses are derived on (`DID_DOMAIN`).
#[derive(Clone)]
pub struct Registrations {
    core: Core,
    did_domain: String,
}

/// What the request proved before any database work.
struct Verified {
    address: IdentityAddress,
    challenge: ChallengeContent,
}

impl Registrations {
    pub fn new(core: Core, did_domain: &str) -> Self {
        Self {
            core,
            did_domain: did_domain.to_owned(),
        }
    }

    /// A new challenge, by an app that is not signed in (`by` None) or by a device.
    pub fn create_challenge(&self, by: Option<&Owner>) -> FacadeResult<Challenge> {
        let now = self.core.now();
        let challenge = Challenge {
            id: ChallengeId::generate(),
            created_at: now,
            expires_at: now + CHALLENGE_LIFETIME,
            created_by: by.map(|owner| owner.address.clone()),
            created_by_device: by.map(|owner| owner.device_id.clone()),
        };
        diesel::insert_into(challenges::table)
            .values(&challenge)
            .execute(&mut *self.core.conn()?)?;
        Ok(challenge)
    }

    /// Creates the identity and its device. The client's credentials are checked before
    /// anything costly; the password is hashed in `network`'s lane of the hash queue; the
    /// challenge is used up.
    pub async fn register(
        &self,
        request: Registration,
        network: ClientNetwork,
    ) -> FacadeResult<Registered> {
        let verified = self.verify(&request)?;
        super::accounts::validate_password(&request.device_password)?;
        // The client first: nobody without its secret makes the server hash anything.
        let (this, client) = (self.clone(), request.clone());
        on_pool(move || {
            let mut conn = this.core.conn()?;
            authenticate(&mut conn, &client.client_id, &client.client_secret, false).map(|_| ())
        })
        .await?;
        let password_hash =
            hash_password_async(request.device_password.clone(), Lane::Network(network)).await?;
        let this = self.clone();
        on_pool(move || this.store(&request, verified, password_hash)).await
    }

    /// The checks that need no database: version, key, signature, challenge text.
    fn verify(&self, request: &Registration) -> FacadeResult<Verified> {
        if request.identity_version != IDENTITY_VERSION {
            return Err(DomainError::invalid("identityVersion", "must be 1").into());
        }
        let key = IdentityPublicKey::parse(&request.identity_public_key)?;
        let signature = Signature::parse(&request.signature)?;
        if !key.verifies(request.challenge.as_bytes(), &signature) {
            return Err(ConsumerError::InvalidSignature.into());
        }
        Ok(Verified {
            address: derive_address(&key, &self.did_domain)?,
            challenge: ChallengeContent::parse(&request.challenge)?,
        })
    }

    /// One transaction: the client (locked, for its limit), the challenge (used up), the
    /// identity and the device.
    fn store(
        &self,
        request: &Registration,
        verified: Verified,
        password_hash: String,
    ) -> FacadeResult<Registered> {
        let now = self.core.now();
        let device_id = DeviceId::generate();
        let username = DeviceUsername::generate();
        let device = Device {
            id_hash: audit_hash(device_id.as_str()),
            id: device_id.clone(),
            identity_address: verified.address.clone(),
            username_hash: audit_hash(&username),
            username: username.clone(),
            password_hash,
            created_at: now,
        };
        let address_hash = audit_hash(verified.address.as_str());
        self.core.transaction(|conn| {
            let client = authenticate(conn, &request.client_id, &request.client_secret, true)?;
            use_challenge(conn, &verified.challenge, now)?;
            check_identity_limit(conn, &client)?;
            let identity = Identity {
                address: verified.address.clone(),
                address_hash,
                client_id: client.client_id.as_str().to_owned(),
                created_at: now,
                status: IdentityStatus::Active,
                tier_id: client.default_tier.clone(),
                tier_id_before_deletion: None,
                deletion_grace_period_ends_at: None,
            };
            diesel::insert_into(identities::table)
                .values(&identity)
                .execute(conn)
                .map_err(address_taken)?;
            diesel::insert_into(devices::table)
                .values(&device)
                .execute(conn)?;
            Ok(())
        })?;
        Ok(Registered {
            address: verified.address,
            created_at: now,
            device_id,
            username,
        })
    }
}

/// The challenge must exist and still be valid (by its stored expiry, and by the one the
/// signed text names, if any); it is deleted so it cannot register a second identity.
fn use_challenge(
    conn: &mut PgConnection,
    content: &ChallengeContent,
    now: DateTime<Utc>,
) -> FacadeResult<()> {
    let expires_at: DateTime<Utc> = diesel::delete(challenges::table.find(&content.id))
        .returning(challenges::expires_at)
        .get_result(conn)
        .optional()?
        .ok_or(DomainError::RecordNotFound("challenge"))?;
    if expires_at <= now || content.expires_at.is_some_and(|at| at <= now) {
        return Err(ConsumerError::ChallengeHasExpired.into());
    }
    Ok(())
}

fn address_taken(error: diesel::result::Error) -> FacadeError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ConsumerError::AddressAlreadyExists.into(),
        other => other.into(),
    }
}
