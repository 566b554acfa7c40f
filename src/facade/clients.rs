//! OAuth clients (`docs/consumer-api.md`): created on the command line or by an
//! administrator, listed and deleted by one; their secrets are checked by registration and
//! by the token endpoint.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{Core, FacadeError, FacadeResult, accounts};
use crate::domain::AdminUsername;
use crate::domain::DomainError;
use crate::domain::accounts::Permission;
use crate::domain::consumer::client::secret_matches;
use crate::domain::consumer::{ClientId, ClientSecret, ConsumerError};
use crate::schema::{identities, oauth_clients, tiers};

/// The tier new identities of a client get unless it names another.
pub const DEFAULT_TIER_NAME: &str = "Basic";

/// What a new client is made of.
pub struct NewClient {
    pub client_id: ClientId,
    pub secret: ClientSecret,
    /// A tier's name (`Basic`), as people know it.
    pub default_tier: String,
    pub max_identities: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_clients, check_for_backend(diesel::pg::Pg))]
pub(crate) struct ClientRow {
    pub client_id: ClientId,
    pub secret_hash: Vec<u8>,
    pub default_tier: String,
    pub max_identities: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// A client as the admin page lists it (never its secret's hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub client_id: ClientId,
    pub default_tier: String,
    pub max_identities: Option<i32>,
    pub identities: i64,
    pub created_at: DateTime<Utc>,
}

/// The clients' use cases.
#[derive(Clone)]
pub struct Clients {
    core: Core,
}

impl Clients {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// For the command line (an operator at the machine) and the demo seed.
    pub fn create(&self, client: NewClient) -> FacadeResult<()> {
        self.core
            .transaction(|conn| insert(conn, &client, self.core.now()))
    }

    /// For an administrator's page.
    pub fn create_as(&self, admin: &AdminUsername, client: NewClient) -> FacadeResult<()> {
        self.core.transaction(|conn| {
            accounts::require_role(conn, admin, Permission::ManageAccounts)?;
            insert(conn, &client, self.core.now())
        })
    }

    pub fn list_as(&self, admin: &AdminUsername) -> FacadeResult<Vec<ClientSummary>> {
        self.core.transaction(|conn| {
            accounts::require_role(conn, admin, Permission::ManageAccounts)?;
            let rows: Vec<(ClientId, String, Option<i32>, DateTime<Utc>)> = oauth_clients::table
                .inner_join(tiers::table)
                .order(oauth_clients::client_id)
                .select((
                    oauth_clients::client_id,
                    tiers::name,
                    oauth_clients::max_identities,
                    oauth_clients::created_at,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|(client_id, default_tier, max_identities, created_at)| {
                    Ok(ClientSummary {
                        identities: count_identities(conn, &client_id)?,
                        client_id,
                        default_tier,
                        max_identities,
                        created_at,
                    })
                })
                .collect()
        })
    }

    /// Deletes a client; its identities stay (they keep the client's ID).
    pub fn delete_as(&self, admin: &AdminUsername, client_id: &ClientId) -> FacadeResult<()> {
        self.core.transaction(|conn| {
            accounts::require_role(conn, admin, Permission::ManageAccounts)?;
            let deleted = diesel::delete(oauth_clients::table.find(client_id)).execute(conn)?;
            if deleted == 0 {
                return Err(DomainError::RecordNotFound("client").into());
            }
            Ok(())
        })
    }

    pub fn exists(&self, client_id: &ClientId) -> FacadeResult<bool> {
        Ok(
            diesel::select(diesel::dsl::exists(oauth_clients::table.find(client_id)))
                .get_result(&mut *self.core.conn()?)?,
        )
    }
}

fn insert(conn: &mut PgConnection, client: &NewClient, now: DateTime<Utc>) -> FacadeResult<()> {
    if client.max_identities.is_some_and(|max| max < 0) {
        return Err(DomainError::invalid("max identities", "must be 0 or more").into());
    }
    let tier: String = tiers::table
        .filter(tiers::name.eq(&client.default_tier))
        .select(tiers::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| DomainError::invalid("default tier", "there is no tier of that name"))?;
    let row = ClientRow {
        client_id: client.client_id.clone(),
        secret_hash: client.secret.hash(),
        default_tier: tier,
        max_identities: client.max_identities,
        created_at: now,
    };
    diesel::insert_into(oauth_clients::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| {
            accounts::unique_as_invalid(e, "client ID", "a client with this ID already exists")
        })?;
    Ok(())
}

fn count_identities(conn: &mut PgConnection, client_id: &ClientId) -> QueryResult<i64> {
    identities::table
        .filter(identities::client_id.eq(client_id.as_str()))
        .count()
        .get_result(conn)
}

/// The client `client_id` if `secret` is its secret (locked with `FOR UPDATE` when `lock`,
/// so that concurrent registrations count its identities one after another).
pub(crate) fn authenticate(
    conn: &mut PgConnection,
    client_id: &str,
    secret: &str,
    lock: bool,
) -> FacadeResult<ClientRow> {
    let query = oauth_clients::table
        .filter(oauth_clients::client_id.eq(client_id))
        .select(ClientRow::as_select());
    let found = if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    }
    .optional()?;
    match found {
        Some(client) if secret_matches(secret, &client.secret_hash) => Ok(client),
        _ => Err(FacadeError::Consumer(ConsumerError::WrongClientCredentials)),
    }
}

/// Refuses a new identity beyond the client's limit.
pub(crate) fn check_identity_limit(
    conn: &mut PgConnection,
    client: &ClientRow,
) -> FacadeResult<()> {
    if let Some(max) = client.max_identities
        && count_identities(conn, &client.client_id)? >= i64::from(max)
    {
        return Err(ConsumerError::ClientReachedIdentitiesLimit.into());
    }
    Ok(())
}
