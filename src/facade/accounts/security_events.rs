//! The append-only security-event log: recording (inside the transaction of the change it
//! describes) and the keyset-paginated list of `/admin/security-events`.

use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;

use super::management::require;
use crate::domain::AdminUsername;
use crate::domain::accounts::events::trim_user_agent;
use crate::domain::accounts::{ClientNetwork, Permission, Realm, SecurityEventKind, UsernameKey};
use crate::facade::{Core, FacadeResult};
use crate::schema::security_events;

/// Where a request came from, as far as the log records it.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub network: Option<ClientNetwork>,
    /// The raw `User-Agent`; trimmed to 200 characters without control characters when
    /// stored.
    pub user_agent: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = security_events)]
struct NewEvent<'a> {
    created_at: DateTime<Utc>,
    kind: &'static str,
    realm: &'static str,
    account: &'a str,
    actor: Option<&'a str>,
    client_network: Option<String>,
    user_agent: Option<String>,
    details: serde_json::Value,
}

/// Appends one event. `details` must hold no password, code, token or clear-text owner
/// username; callers pass only names of rules, roles and counts.
pub(crate) fn record(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    kind: SecurityEventKind,
    account: &UsernameKey,
    actor: Option<&str>,
    client: &ClientInfo,
    details: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(security_events::table)
        .values(NewEvent {
            created_at: now,
            kind: kind.as_str(),
            realm: account.realm().as_str(),
            account: account.as_str(),
            actor,
            client_network: client.network.map(|n| n.as_cidr()),
            user_agent: client
                .user_agent
                .as_deref()
                .map(trim_user_agent)
                .filter(|ua| !ua.is_empty()),
            details,
        })
        .execute(conn)?;
    Ok(())
}

/// Whether an event of `kind` was recorded in `realm` for this network (and this account,
/// if given) since `since` (to record a burst of throttled attempts once, not once per
/// attempt).
pub(crate) fn recorded_since(
    conn: &mut PgConnection,
    kind: SecurityEventKind,
    realm: Realm,
    account: Option<&str>,
    network: &ClientNetwork,
    since: DateTime<Utc>,
) -> QueryResult<bool> {
    let mut events = security_events::table
        .filter(security_events::realm.eq(realm.as_str()))
        .into_boxed();
    if let Some(account) = account {
        events = events.filter(security_events::account.eq(account));
    }
    diesel::select(diesel::dsl::exists(
        events
            .filter(security_events::created_at.ge(since))
            .filter(security_events::kind.eq(kind.as_str()))
            .filter(security_events::client_network.eq(network.as_cidr())),
    ))
    .get_result(conn)
}

/// Erasure of deleted owners: their events keep the account hash, kind, time and details,
/// and lose the client network and user agent (the only UPDATE the table's trigger allows).
/// `accounts` are the owners' keys (hex of their username hashes). Returns the rows changed.
pub(crate) fn erase_clients(conn: &mut PgConnection, accounts: &[String]) -> QueryResult<usize> {
    diesel::update(
        security_events::table
            .filter(security_events::realm.eq(Realm::Owner.as_str()))
            .filter(security_events::account.eq_any(accounts))
            .filter(
                security_events::client_network
                    .is_not_null()
                    .or(security_events::user_agent.is_not_null()),
            ),
    )
    .set((
        security_events::client_network.eq(None::<String>),
        security_events::user_agent.eq(None::<String>),
    ))
    .execute(conn)
}

/// Events removed per statement by [`remove_older_than`], so no transaction runs long.
const REMOVAL_BATCH: i64 = 5_000;

/// Removes every event created before `cutoff`, in batches; returns how many. Each batch
/// names its bound in a transaction-local setting, without which the table's trigger
/// refuses any DELETE (see the migration `security_events_erasure`).
pub(crate) fn remove_older_than(core: &Core, cutoff: DateTime<Utc>) -> FacadeResult<usize> {
    let mut removed = 0;
    loop {
        let batch = core.transaction(|conn| {
            diesel::sql_query(
                "SELECT set_config('backbone.security_events_delete_before', $1, true)",
            )
            .bind::<diesel::sql_types::Text, _>(cutoff.to_rfc3339_opts(SecondsFormat::Micros, true))
            .execute(conn)?;
            let oldest: Vec<i64> = security_events::table
                .filter(security_events::created_at.lt(cutoff))
                .order((security_events::created_at, security_events::id))
                .limit(REMOVAL_BATCH)
                .select(security_events::id)
                .load(conn)?;
            Ok(
                diesel::delete(security_events::table.filter(security_events::id.eq_any(oldest)))
                    .execute(conn)?,
            )
        })?;
        removed += batch;
        if (batch as i64) < REMOVAL_BATCH {
            return Ok(removed);
        }
    }
}

/// One row of the log as pages show it.
#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub kind: SecurityEventKind,
    /// The admin username, or for owners the hex of their username hash.
    pub account: UsernameKey,
    /// The administrator who made an account change.
    pub actor: Option<String>,
    pub client_network: Option<String>,
    pub user_agent: Option<String>,
    pub details: serde_json::Value,
}

/// Filters of the security-event page.
#[derive(Debug, Clone, Default)]
pub struct SecurityEventFilter {
    pub kind: Option<SecurityEventKind>,
    /// Owners: `UsernameKey::owner_from_hash(&audit_hash(typed device username))`.
    pub account: Option<UsernameKey>,
}

/// Where the next page starts: the last event shown (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityEventCursor {
    pub created_at: DateTime<Utc>,
    pub id: i64,
}

impl SecurityEventCursor {
    /// As a query parameter: `<microseconds since 1970>.<id>`.
    pub fn to_param(&self) -> String {
        format!("{}.{}", self.created_at.timestamp_micros(), self.id)
    }

    pub fn parse(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('.')?;
        Some(Self {
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct SecurityEventPage {
    pub events: Vec<SecurityEvent>,
    /// Present when there are more (older) events.
    pub next: Option<SecurityEventCursor>,
}

type Row = (
    i64,
    DateTime<Utc>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

fn to_event(row: Row) -> Option<SecurityEvent> {
    let (id, created_at, kind, realm, account, actor, client_network, user_agent, details) = row;
    Some(SecurityEvent {
        id,
        created_at,
        kind: SecurityEventKind::parse(&kind)?,
        account: UsernameKey::from_stored(Realm::parse(&realm)?, account),
        actor,
        client_network,
        user_agent,
        details,
    })
}

type Query<'a> = security_events::BoxedQuery<'a, diesel::pg::Pg>;

/// `query` narrowed to `filter` and, when not empty, to `kinds`.
fn filtered<'a>(
    mut query: Query<'a>,
    filter: &SecurityEventFilter,
    kinds: &[SecurityEventKind],
) -> Query<'a> {
    if let Some(kind) = filter.kind {
        query = query.filter(security_events::kind.eq(kind.as_str()));
    }
    if !kinds.is_empty() {
        query = query.filter(security_events::kind.eq_any(kinds.iter().map(|k| k.as_str())));
    }
    if let Some(account) = &filter.account {
        query = query
            .filter(security_events::realm.eq(account.realm().as_str()))
            .filter(security_events::account.eq(account.as_str().to_owned()));
    }
    query
}

/// A page of events matching `filter`; `kinds`, when not empty, narrows them to those kinds.
fn page(
    conn: &mut PgConnection,
    filter: &SecurityEventFilter,
    kinds: &[SecurityEventKind],
    after: Option<SecurityEventCursor>,
    limit: i64,
) -> FacadeResult<SecurityEventPage> {
    let limit = limit.clamp(1, 200);
    let mut query = filtered(security_events::table.into_boxed(), filter, kinds)
        .select((
            security_events::id,
            security_events::created_at,
            security_events::kind,
            security_events::realm,
            security_events::account,
            security_events::actor,
            security_events::client_network,
            security_events::user_agent,
            security_events::details,
        ))
        .order((
            security_events::created_at.desc(),
            security_events::id.desc(),
        ))
        .limit(limit + 1);
    if let Some(cursor) = after {
        query = query.filter(
            security_events::created_at
                .lt(cursor.created_at)
                .or(security_events::created_at
                    .eq(cursor.created_at)
                    .and(security_events::id.lt(cursor.id))),
        );
    }
    let rows: Vec<Row> = query.load(conn)?;
    let more = rows.len() as i64 > limit;
    let events: Vec<SecurityEvent> = rows
        .into_iter()
        .take(limit as usize)
        .filter_map(to_event)
        .collect();
    let next = more
        .then(|| events.last())
        .flatten()
        .map(|last| SecurityEventCursor {
            created_at: last.created_at,
            id: last.id,
        });
    Ok(SecurityEventPage { events, next })
}

use_case_type! {
    /// The security log: sign-ins, account changes and refused keys, for admins and owners.
    security_events => SecurityEvents
}

impl SecurityEvents<'_> {
    /// A page of the security-event log, newest first, for an account allowed to read it.
    pub fn list_security_events(
        &self,
        actor: &AdminUsername,
        filter: &SecurityEventFilter,
        after: Option<SecurityEventCursor>,
        limit: i64,
    ) -> FacadeResult<SecurityEventPage> {
        let mut conn = self.core.conn()?;
        require(&mut conn, actor, Permission::ReadSecurityEvents)?;
        page(&mut conn, filter, &[], after, limit)
    }

    /// An admin's own latest events (the own-account page's "recent sign-ins"); every
    /// account may read its own.
    pub fn own_security_events(
        &self,
        username: &AdminUsername,
        limit: i64,
    ) -> FacadeResult<Vec<SecurityEvent>> {
        let filter = SecurityEventFilter {
            kind: None,
            account: Some(UsernameKey::admin(username)),
        };
        Ok(page(&mut *self.core.conn()?, &filter, &[], None, limit)?.events)
    }

    /// An admin account's latest sign-in attempts with their outcomes (the account's page),
    /// for an account that manages accounts.
    pub fn account_sign_ins(
        &self,
        actor: &AdminUsername,
        username: &AdminUsername,
        limit: i64,
    ) -> FacadeResult<Vec<SecurityEvent>> {
        let mut conn = self.core.conn()?;
        require(&mut conn, actor, Permission::ManageAccounts)?;
        let filter = SecurityEventFilter {
            kind: None,
            account: Some(UsernameKey::admin(username)),
        };
        Ok(page(&mut conn, &filter, SecurityEventKind::SIGN_IN, None, limit)?.events)
    }

    /// Records an event outside any account change (for the web layer, e.g. a sign-in
    /// step the facade does not see).
    pub fn record_security_event(
        &self,
        kind: SecurityEventKind,
        account: &UsernameKey,
        client: &ClientInfo,
        details: serde_json::Value,
    ) -> FacadeResult<()> {
        record(
            &mut *self.core.conn()?,
            self.core.now(),
            kind,
            account,
            None,
            client,
            details,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let cursor = SecurityEventCursor {
            created_at: DateTime::from_timestamp_micros(1_800_000_000_123_456).unwrap(),
            id: 42,
        };
        assert_eq!(SecurityEventCursor::parse(&cursor.to_param()), Some(cursor));
        for junk in ["", "1", "x.1", "1.x", "1.2.3"] {
            assert_eq!(SecurityEventCursor::parse(junk), None, "{junk}");
        }
    }
}
