//! Bearer tokens of the Consumer API (`docs/consumer-api.md`). `/connect/token` is a
//! sign-in: the owner sign-in use case (`accounts::SignIns`) checks the device's password,
//! throttled and logged like the sign-in page; a right one gets a token here instead of a
//! session. A token is found by its SHA-256 in one indexed query, and dies with its device
//! or identity (foreign keys) or after [`TOKEN_LIFETIME_SECONDS`].

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use super::accounts::SignInAttempt;
use super::clients::authenticate;
use super::{Core, FacadeResult, Owner};
use crate::domain::consumer::token::token_hash;
use crate::domain::consumer::{AccessToken, TOKEN_LIFETIME_SECONDS};
use crate::domain::{DeviceId, Identity, IdentityAddress, IdentityStatus};
use crate::schema::{api_tokens, challenges, identities};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
struct TokenRow {
    token_hash: Vec<u8>,
    device_id: DeviceId,
    identity_address: IdentityAddress,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The token use cases.
#[derive(Clone)]
pub struct ApiTokens {
    core: Core,
}

impl ApiTokens {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Whether `secret` is the secret of client `client_id` (a wrong one is
    /// `ConsumerError::WrongClientCredentials`).
    pub fn check_client(&self, client_id: &str, secret: &str) -> FacadeResult<()> {
        authenticate(&mut *self.core.conn()?, client_id, secret, false).map(|_| ())
    }

    /// Completes a sign-in whose password was right: clears its counters, records it, and
    /// gives `owner`'s device a new token.
    pub fn grant(&self, attempt: &SignInAttempt, owner: &Owner) -> FacadeResult<AccessToken> {
        let now = self.core.now();
        let token = AccessToken::generate();
        let row = TokenRow {
            token_hash: token.hash(),
            device_id: owner.device_id.clone(),
            identity_address: owner.address.clone(),
            created_at: now,
            expires_at: now + Duration::seconds(TOKEN_LIFETIME_SECONDS),
        };
        self.core.on_one_connection(|core| {
            core.sign_in_throttle().record_sign_in_success(attempt)?;
            diesel::insert_into(api_tokens::table)
                .values(&row)
                .execute(&mut *core.conn()?)?;
            Ok(token)
        })
    }

    /// The owner behind a presented token, if it is known, not expired, and its identity's
    /// deletion has not started. A token issued before the grace period ended keeps working
    /// for its few minutes (no new one is issued then), so the app is told why a cancel is
    /// refused (`gracePeriodHasAlreadyExpired`) instead of getting a bare 401.
    pub fn authenticate(&self, presented: &str) -> FacadeResult<Option<Owner>> {
        let now = self.core.now();
        let found: Option<(DeviceId, Identity)> = api_tokens::table
            .inner_join(identities::table)
            .filter(api_tokens::token_hash.eq(token_hash(presented)))
            .filter(api_tokens::expires_at.gt(now))
            .select((api_tokens::device_id, Identity::as_select()))
            .first(&mut *self.core.conn()?)
            .optional()?;
        Ok(found
            .filter(|(_, identity)| identity.status != IdentityStatus::Deleting)
            .map(|(device_id, identity)| Owner {
                address: identity.address,
                device_id,
            }))
    }

    /// For the jobs: removes expired tokens and challenges. Returns how many.
    pub(crate) fn remove_expired(
        conn: &mut PgConnection,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        let tokens = diesel::delete(api_tokens::table.filter(api_tokens::expires_at.le(now)))
            .execute(conn)?;
        let challenges = diesel::delete(challenges::table.filter(challenges::expires_at.le(now)))
            .execute(conn)?;
        Ok(tokens + challenges)
    }
}
