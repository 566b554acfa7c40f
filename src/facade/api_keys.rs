//! API keys of admin accounts: create (the clear key is returned once), list, revoke, and
//! check a presented key for the Admin API, with its per-key request limit.
//!
//! Only a key's SHA-256 is stored (`domain::accounts::api_key`). Checking a key is one
//! statement: it finds the live key by its hash (unique index), joins its account (enabled),
//! records the use and counts the request in the key's window, and returns the account's
//! role; a key acts with that role, read fresh on every request. Creating and revoking
//! keys, and every refused key, are security events.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Int4, Int8, Text, Timestamptz};

use super::accounts::{ClientInfo, require_role};
use super::{Core, FacadeError, FacadeResult};
use crate::domain::AdminUsername;
use crate::domain::DomainError;
use crate::domain::accounts::api_key::KeyRefusal;
use crate::domain::accounts::{
    ApiKeyLifetime, ApiKeyLimit, ApiKeyName, ApiKeySecret, Permission, Role, SecurityEventKind,
    UsernameKey,
};
use crate::schema::{admin_api_keys, admin_users};

/// Keys listed per account (newest first); more are kept, but no one needs a longer list.
const LISTED: i64 = 100;

/// The API-key use cases, on the facade's connections and clock.
pub struct ApiKeys<'a> {
    core: &'a Core,
    limit: ApiKeyLimit,
}

impl Core {
    pub fn api_keys(&self) -> ApiKeys<'_> {
        ApiKeys {
            core: self,
            limit: self.api_key_limit,
        }
    }
}

/// A key as the account pages show it (never the key or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = admin_api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    pub id: i64,
    pub username: AdminUsername,
    pub name: String,
    /// The key's first characters.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// Whether it still works at `now` (as far as the key itself goes; its account must be
    /// enabled too).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// A new key: shown once, then only its stored description remains.
#[derive(Debug, Clone)]
pub struct CreatedApiKey {
    pub secret: ApiKeySecret,
    pub key: ApiKey,
}

/// The account behind an accepted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    pub key_id: i64,
    pub username: AdminUsername,
    pub role: Role,
}

/// The answer to a presented key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    Accepted(ApiCaller),
    /// Missing, unknown or dead: a 401 (the security event says which).
    Refused(KeyRefusal),
    /// The key's requests of this minute are used up: a 429 with `Retry-After`.
    Throttled {
        retry_after: u32,
    },
}

#[derive(Insertable)]
#[diesel(table_name = admin_api_keys)]
struct NewKey<'a> {
    username: &'a str,
    name: &'a str,
    prefix: String,
    key_hash: Vec<u8>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The row the checking statement returns.
#[derive(QueryableByName)]
struct Used {
    #[diesel(sql_type = Int8)]
    id: i64,
    #[diesel(sql_type = Text)]
    username: AdminUsername,
    #[diesel(sql_type = Text)]
    role: String,
    #[diesel(sql_type = Timestamptz)]
    window_started_at: DateTime<Utc>,
    #[diesel(sql_type = Int4)]
    window_requests: i32,
}

/// Finds the live key of an enabled account by its hash, records its use and counts the
/// request: in the current window (it started after `$3`), or as the first of a new one.
const USE_KEY: &str = "\
UPDATE admin_api_keys AS k SET
    last_used_at = $1,
    window_started_at = CASE WHEN k.window_started_at > $3 THEN k.window_started_at ELSE $1 END,
    window_requests = CASE WHEN k.window_started_at > $3 THEN k.window_requests + 1 ELSE 1 END
FROM admin_users AS a
WHERE k.key_hash = $2 AND a.username = k.username AND a.enabled
  AND k.revoked_at IS NULL AND k.expires_at > $1
RETURNING k.id, k.username, a.role, k.window_started_at, k.window_requests";

impl ApiKeys<'_> {
    /// An account creates a key for itself.
    pub fn create(
        &self,
        actor: &AdminUsername,
        name: &ApiKeyName,
        lifetime: ApiKeyLifetime,
        client: &ClientInfo,
    ) -> FacadeResult<CreatedApiKey> {
        self.insert(actor, Some(actor), name, lifetime, client)
    }

    /// The `create-api-key` command: a key for any enabled account, with no one signed in.
    pub fn create_from_command_line(
        &self,
        username: &AdminUsername,
        name: &ApiKeyName,
        lifetime: ApiKeyLifetime,
    ) -> FacadeResult<CreatedApiKey> {
        self.insert(username, None, name, lifetime, &ClientInfo::default())
    }

    fn insert(
        &self,
        username: &str,
        actor: Option<&str>,
        name: &ApiKeyName,
        lifetime: ApiKeyLifetime,
        client: &ClientInfo,
    ) -> FacadeResult<CreatedApiKey> {
        let now = self.core.now();
        let secret = ApiKeySecret::generate();
        self.core.transaction(|conn| {
            // A disabled or unknown account gets no key; every role may have keys.
            require_role(conn, username, Permission::Read).map_err(|_| {
                FacadeError::from(DomainError::RecordNotFound("enabled admin account"))
            })?;
            let id: i64 = diesel::insert_into(admin_api_keys::table)
                .values(NewKey {
                    username,
                    name: name.as_str(),
                    prefix: secret.shown_prefix(),
                    key_hash: secret.hash(),
                    created_at: now,
                    expires_at: lifetime.expires_at(now),
                })
                .returning(admin_api_keys::id)
                .get_result(conn)?;
            let via = if actor.is_some() {
                "account page"
            } else {
                "command line"
            };
            super::accounts::record_security_event_in(
                conn,
                now,
                SecurityEventKind::ApiKeyCreated,
                &UsernameKey::admin(username),
                None,
                client,
                serde_json::json!({
                    "key": secret.shown_prefix(),
                    "name": name.as_str(),
                    "expiresInDays": lifetime.as_days(),
                    "via": via,
                }),
            )?;
            let key = load(conn, id)?;
            Ok(CreatedApiKey { secret, key })
        })
    }

    /// The keys of `username`, newest first: the account's own, or any account's for an
    /// administrator.
    pub fn list(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
    ) -> FacadeResult<Vec<ApiKey>> {
        let mut conn = self.core.conn()?;
        may_manage_keys_of(&mut conn, actor, username)?;
        Ok(admin_api_keys::table
            .filter(admin_api_keys::username.eq(username))
            .order((admin_api_keys::created_at.desc(), admin_api_keys::id.desc()))
            .limit(LISTED)
            .select(ApiKey::as_select())
            .load(&mut *conn)?)
    }

    /// One key of `username`, for the confirmation page before revoking it.
    pub fn get(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        id: i64,
    ) -> FacadeResult<ApiKey> {
        let mut conn = self.core.conn()?;
        may_manage_keys_of(&mut conn, actor, username)?;
        let key = load(&mut conn, id)?;
        if key.username == *username {
            Ok(key)
        } else {
            Err(DomainError::RecordNotFound("API key").into())
        }
    }

    /// Revokes a key of `username` (own, or any account's for an administrator). Revoking
    /// a revoked key changes nothing and records nothing.
    pub fn revoke(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        id: i64,
        client: &ClientInfo,
    ) -> FacadeResult<ApiKey> {
        let now = self.core.now();
        self.core.transaction(|conn| {
            may_manage_keys_of(conn, actor, username)?;
            let revoked = diesel::update(
                admin_api_keys::table
                    .filter(admin_api_keys::id.eq(id))
                    .filter(admin_api_keys::username.eq(username))
                    .filter(admin_api_keys::revoked_at.is_null()),
            )
            .set((
                admin_api_keys::revoked_at.eq(now),
                admin_api_keys::revoked_by.eq(actor),
            ))
            .execute(conn)?;
            let key = load(conn, id).and_then(|key| {
                if key.username == *username {
                    Ok(key)
                } else {
                    Err(DomainError::RecordNotFound("API key").into())
                }
            })?;
            if revoked > 0 {
                super::accounts::record_security_event_in(
                    conn,
                    now,
                    SecurityEventKind::ApiKeyRevoked,
                    &UsernameKey::admin(username),
                    (actor != username).then_some(actor),
                    client,
                    serde_json::json!({ "key": key.prefix, "name": key.name }),
                )?;
            }
            Ok(key)
        })
    }

    /// Checks the `X-API-KEY` a request presented (`None`: no header) and counts the request
    /// against the key's limit. A refused key is recorded as a security event.
    pub fn check(&self, presented: Option<&str>, client: &ClientInfo) -> FacadeResult<KeyCheck> {
        let now = self.core.now();
        let secret = match presented {
            None => return self.refused(KeyRefusal::Missing, None, client, now),
            Some(text) => match ApiKeySecret::from_header(text) {
                Some(secret) => secret,
                None => return self.refused(KeyRefusal::Unknown, None, client, now),
            },
        };
        let hash = secret.hash();
        let used: Option<Used> = diesel::sql_query(USE_KEY)
            .bind::<Timestamptz, _>(now)
            .bind::<Bytea, _>(&hash)
            .bind::<Timestamptz, _>(now - ApiKeyLimit::window())
            .get_result(&mut *self.core.conn()?)
            .optional()?;
        let Some(used) = used else {
            let (refusal, stored) = self.why_refused(&hash, now)?;
            return self.refused(refusal, stored, client, now);
        };
        if let Err(retry_after) =
            self.limit
                .check(used.window_started_at, used.window_requests, now)
        {
            return Ok(KeyCheck::Throttled { retry_after });
        }
        Ok(KeyCheck::Accepted(ApiCaller {
            key_id: used.id,
            username: used.username,
            // The CHECK allows only the three names; an unknown one gets the least rights.
            role: Role::parse(&used.role).unwrap_or(Role::Auditor),
        }))
    }

    /// Why a well-shaped key was not accepted, and the stored key if there is one.
    fn why_refused(
        &self,
        hash: &[u8],
        now: DateTime<Utc>,
    ) -> FacadeResult<(KeyRefusal, Option<ApiKey>)> {
        let found: Option<(ApiKey, bool)> = admin_api_keys::table
            .inner_join(admin_users::table)
            .filter(admin_api_keys::key_hash.eq(hash))
            .select((ApiKey::as_select(), admin_users::enabled))
            .first(&mut *self.core.conn()?)
            .optional()?;
        Ok(match found {
            None => (KeyRefusal::Unknown, None),
            Some((key, enabled)) => {
                let refusal =
                    KeyRefusal::of_stored(key.revoked_at.is_some(), key.expires_at, enabled, now)
                        // Alive again by now (e.g. enabled meanwhile): still refused this time.
                        .unwrap_or(KeyRefusal::AccountDisabled);
                (refusal, Some(key))
            }
        })
    }

    fn refused(
        &self,
        refusal: KeyRefusal,
        key: Option<ApiKey>,
        client: &ClientInfo,
        now: DateTime<Utc>,
    ) -> FacadeResult<KeyCheck> {
        let account = match &key {
            Some(key) => UsernameKey::admin(&key.username),
            None => UsernameKey::not_a_username(crate::domain::accounts::Realm::Admin),
        };
        let details = match &key {
            Some(key) => serde_json::json!({
                "reason": refusal.as_str(), "key": key.prefix, "name": key.name,
            }),
            None => serde_json::json!({ "reason": refusal.as_str() }),
        };
        super::accounts::record_security_event_in(
            &mut *self.core.conn()?,
            now,
            SecurityEventKind::ApiKeyRefused,
            &account,
            None,
            client,
            details,
        )?;
        Ok(KeyCheck::Refused(refusal))
    }
}

/// The acting account may see and revoke the keys of `username`: its own (any enabled
/// account), or any account's for an administrator. An unknown account is not found.
fn may_manage_keys_of(conn: &mut PgConnection, actor: &str, username: &str) -> FacadeResult<()> {
    if actor == username {
        require_role(conn, actor, Permission::Read)?;
    } else {
        require_role(conn, actor, Permission::ManageAccounts)?;
        let exists: bool = diesel::select(diesel::dsl::exists(admin_users::table.find(username)))
            .get_result(conn)?;
        if !exists {
            return Err(DomainError::RecordNotFound("admin account").into());
        }
    }
    Ok(())
}

fn load(conn: &mut PgConnection, id: i64) -> FacadeResult<ApiKey> {
    admin_api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| DomainError::RecordNotFound("API key").into())
}
