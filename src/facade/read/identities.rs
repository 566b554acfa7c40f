//! Admin identity pages: the search list (three search strategies, each a range scan of
//! an index in the order it pages by) and one identity with its devices and processes.

use chrono::{DateTime, Utc};
use diesel::dsl;
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_dsl::methods;
use diesel::sql_types::{Bool, Text};

use super::page::{
    IdentityCursor, Page, ProcessCursor, fetch, invalid_page, newest_before, page_of,
};
use super::processes::{load_open_process, load_process_page};
use super::{FacadeError, FacadeResult};
use crate::domain::accounts::Role;
use crate::domain::{
    DeletionProcess, DeviceUsername, DomainError, Identity, IdentityActions, IdentityAddress,
    IdentityStatus, ProcessStatus,
};
use crate::facade::models::{DeviceSummary, IdentitySummary};
use crate::schema::{devices, identities, identity_deletion_processes as processes};

/// An identity with everything its admin page shows.
#[derive(Debug, Clone)]
pub struct IdentityDetails {
    pub identity: Identity,
    pub devices: Vec<DeviceSummary>,
    /// A page of its processes, newest first.
    pub processes: Page<DeletionProcess, ProcessCursor>,
    /// Its open process, whether that is on this page or not.
    pub open_process: Option<DeletionProcess>,
    /// What the admin who asked may do with it now.
    pub actions: IdentityActions,
}

/// One row of the admin identity list.
#[derive(Debug, Clone)]
pub struct IdentityRow {
    pub identity: IdentitySummary,
    pub open_process_status: Option<ProcessStatus>,
}

/// How an identity list is narrowed.
#[derive(Debug, Clone, Default)]
pub struct IdentityFilter {
    /// An address prefix (`did:e:…`) or a device username prefix.
    pub query: Option<String>,
    pub status: Option<IdentityStatus>,
}

/// The byte range of the strings that start with `prefix` (the key columns are in byte
/// order, `COLLATE "C"`): from the prefix itself up to the prefix followed by the highest
/// code point. As plain `>=`/`<` binds the statement stays cached and its generic plan
/// still scans just that range of the index, where `LIKE $1` could not use it at all.
pub(super) fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}{}", char::MAX))
}

pub(super) fn load_identity(
    conn: &mut PgConnection,
    address: &IdentityAddress,
) -> FacadeResult<Identity> {
    identities::table
        .find(address)
        .select(Identity::as_select())
        .first(conn)
        .optional()?
        .ok_or(FacadeError::Domain(DomainError::RecordNotFound("identity")))
}

/// A search row: the identity, the status of its open process, and the key it is
/// ordered by (its address, or the matching device's username).
type SearchRow = (IdentitySummary, Option<ProcessStatus>, String);

use_case_type! {
    /// Identities: creating them, finding them, one identity's page, and an owner's own home.
    identities => Identities
}

impl Identities<'_> {
    pub fn identity(&self, address: &IdentityAddress) -> FacadeResult<Identity> {
        load_identity(&mut *self.core.conn()?, address)
    }

    /// What an admin of `role` may do with an identity now (for the confirmation step
    /// before a start); an unknown identity is "not found".
    pub fn identity_actions(
        &self,
        role: Role,
        address: &IdentityAddress,
    ) -> FacadeResult<IdentityActions> {
        let mut conn = self.core.conn()?;
        load_identity(&mut conn, address)?;
        let open = crate::facade::has_open_process(&mut conn, address)?;
        Ok(IdentityActions::for_admin(role, open))
    }

    /// An identity, its devices, a page of its processes (an identity that has been
    /// through hundreds of processes still gets a page of bounded size) and what an admin
    /// of `role` may do with it now.
    pub fn identity_details(
        &self,
        role: Role,
        address: &IdentityAddress,
        after: Option<&ProcessCursor>,
        limit: usize,
    ) -> FacadeResult<IdentityDetails> {
        let mut conn = self.core.conn()?;
        let identity = load_identity(&mut conn, address)?;
        let devices = devices::table
            .filter(devices::identity_address.eq(address))
            .order((devices::created_at, devices::id))
            .select(DeviceSummary::as_select())
            .load(&mut *conn)?;
        let processes = load_process_page(&mut conn, None, Some(address), after, limit)?;
        // Only a page that may not hold every process needs to look the open one up.
        let open_process = match processes.items.iter().find(|p| p.status.is_open()) {
            Some(open) => Some(open.clone()),
            None if after.is_none() && processes.next.is_none() => None,
            None => load_open_process(&mut conn, address)?,
        };
        Ok(IdentityDetails {
            actions: IdentityActions::for_admin(role, open_process.is_some()),
            identity,
            devices,
            processes,
            open_process,
        })
    }

    /// Identities by address or username prefix and status: newest first without search
    /// text, else in the order of the key searched. A cursor of another search is refused.
    pub fn search_identities(
        &self,
        filter: &IdentityFilter,
        after: Option<&IdentityCursor>,
        limit: usize,
    ) -> FacadeResult<Page<IdentityRow, IdentityCursor>> {
        let search = Search::of(filter.query.as_deref());
        let mut conn = self.core.conn()?;
        let rows = search.rows(&mut conn, filter.status, after, limit)?;
        let page = page_of(rows, limit, |row| search.cursor_of(row));
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|(identity, open_process_status, _)| IdentityRow {
                    identity,
                    open_process_status,
                })
                .collect(),
            next: page.next,
        })
    }
}

/// The three searches, each a range scan of an index in the order it pages by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search<'t> {
    /// No text: every identity, newest first.
    Newest,
    /// An address prefix: a range of the primary key, in address order.
    AddressPrefix(&'t str),
    /// A username prefix: a range of the unique username index, in username order, one
    /// row per matching device.
    UsernamePrefix(&'t str),
}

/// A condition a search adds to its statement, on the rows `QS` joins.
type Condition<'a, QS> = Box<dyn BoxableExpression<QS, Pg, SqlType = Bool> + 'a>;

fn condition<'a, QS, E>(expression: E) -> Condition<'a, QS>
where
    E: BoxableExpression<QS, Pg, SqlType = Bool> + 'a,
{
    Box::new(expression)
}

impl<'t> Search<'t> {
    fn of(text: Option<&'t str>) -> Self {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Self::Newest,
            Some(prefix) if prefix.starts_with("did:") => Self::AddressPrefix(prefix),
            Some(prefix) => Self::UsernamePrefix(prefix),
        }
    }

    /// The rows of the page after `after` (of `limit` rows, and one more if there is a
    /// next page).
    fn rows(
        self,
        conn: &mut PgConnection,
        status: Option<IdentityStatus>,
        after: Option<&IdentityCursor>,
        limit: usize,
    ) -> FacadeResult<Vec<SearchRow>> {
        let with_open_process = identities::table.left_join(
            processes::table.on(processes::identity_address
                .eq(identities::address)
                .and(processes::status.eq_any(ProcessStatus::OPEN))),
        );
        Ok(match self {
            Self::Newest => {
                let query = with_open_process
                    .select(search_columns(identities::address))
                    .into_boxed()
                    .order((identities::created_at.desc(), identities::address.desc()));
                let scan = Scan::newest(page_start(after, IdentityCursor::as_newest)?);
                scan.narrow(query, status, limit).load(conn)?
            }
            Self::AddressPrefix(prefix) => {
                let query = with_open_process
                    .select(search_columns(identities::address))
                    .into_boxed()
                    .order(identities::address);
                let start = page_start(after, IdentityCursor::as_address)?;
                let scan = Scan::prefix(identities::address, prefix, start.cloned());
                scan.narrow(query, status, limit).load(conn)?
            }
            Self::UsernamePrefix(prefix) => {
                let query = devices::table
                    .inner_join(with_open_process)
                    .select(search_columns(devices::username))
                    .into_boxed()
                    .order(devices::username);
                let start = page_start(after, IdentityCursor::as_username)?;
                let scan = Scan::prefix(devices::username, prefix, start.cloned());
                scan.narrow(query, status, limit).load(conn)?
            }
        })
    }

    /// Where the next page starts after `row`.
    fn cursor_of(self, (identity, _, key): &SearchRow) -> IdentityCursor {
        match self {
            Self::Newest => IdentityCursor::Newest {
                created_at: identity.created_at,
                address: identity.address.clone(),
            },
            Self::AddressPrefix(_) => IdentityCursor::Address(identity.address.clone()),
            Self::UsernamePrefix(_) => {
                IdentityCursor::Username(DeviceUsername::from_stored(key.clone()))
            }
        }
    }
}

/// What every search selects: the identity, the status of its open process, and `key`.
fn search_columns<K>(
    key: K,
) -> (
    dsl::AsSelect<IdentitySummary, Pg>,
    dsl::Nullable<processes::status>,
    K,
) {
    (
        IdentitySummary::as_select(),
        processes::status.nullable(),
        key,
    )
}

/// What a search reads of its key: the range it scans (none: every row), and where its
/// page starts.
struct Scan<'a, QS> {
    range: Option<[Condition<'a, QS>; 2]>,
    start: Option<Condition<'a, QS>>,
}

impl<'a, QS: 'a> Scan<'a, QS> {
    /// Every identity, newest first, from after `start` (its creation time and address).
    fn newest(start: Option<(DateTime<Utc>, &IdentityAddress)>) -> Self {
        let start = start.map(|(created_at, address)| {
            condition(newest_before(
                "identities.created_at",
                "identities.address",
                created_at,
                address.as_str(),
            ))
        });
        Self { range: None, start }
    }

    /// The keys that start with `prefix`, in key order, from after `start`.
    fn prefix<K, T>(key: K, prefix: &str, start: Option<T>) -> Self
    where
        K: ExpressionMethods + Expression<SqlType = Text> + Copy,
        T: AsExpression<Text>,
        dsl::GtEq<K, String>: BoxableExpression<QS, Pg, SqlType = Bool> + 'a,
        dsl::Lt<K, String>: BoxableExpression<QS, Pg, SqlType = Bool> + 'a,
        dsl::Gt<K, T>: BoxableExpression<QS, Pg, SqlType = Bool> + 'a,
    {
        let (low, high) = prefix_range(prefix);
        Self {
            range: Some([condition(key.ge(low)), condition(key.lt(high))]),
            start: start.map(|start| condition(key.gt(start))),
        }
    }

    /// The query builder every search shares: `query` (source, columns, order) with the
    /// conditions in this order, as its statements have always had them: the range of
    /// keys, the `status`, where the page starts; then one row more than a page, to tell
    /// whether a next page exists.
    fn narrow<Q>(self, query: Q, status: Option<IdentityStatus>, limit: usize) -> Q
    where
        Q: methods::FilterDsl<Condition<'a, QS>, Output = Q> + methods::LimitDsl<Output = Q>,
        dsl::Eq<identities::status, IdentityStatus>: BoxableExpression<QS, Pg, SqlType = Bool>,
    {
        let status = status.map(|status| condition(identities::status.eq(status)));
        let conditions = self
            .range
            .into_iter()
            .flatten()
            .chain(status)
            .chain(self.start);
        let query = conditions.fold(query, methods::FilterDsl::filter);
        methods::LimitDsl::limit(query, fetch(limit))
    }
}

/// Where a page starts: nowhere for the first page, else at the key `own` reads from the
/// cursor; a cursor of another search is refused.
fn page_start<'c, T>(
    after: Option<&'c IdentityCursor>,
    own: impl FnOnce(&'c IdentityCursor) -> Option<T>,
) -> FacadeResult<Option<T>> {
    after
        .map(|cursor| own(cursor).ok_or(FacadeError::Domain(invalid_page())))
        .transpose()
}

impl IdentityCursor {
    fn as_newest(&self) -> Option<(DateTime<Utc>, &IdentityAddress)> {
        match self {
            Self::Newest {
                created_at,
                address,
            } => Some((*created_at, address)),
            _ => None,
        }
    }

    fn as_address(&self) -> Option<&IdentityAddress> {
        match self {
            Self::Address(address) => Some(address),
            _ => None,
        }
    }

    fn as_username(&self) -> Option<&DeviceUsername> {
        match self {
            Self::Username(username) => Some(username),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges_hold_exactly_the_strings_with_the_prefix() {
        let (low, high) = prefix_range("user_1%");
        for inside in ["user_1%", "user_1%0", "user_1%zzz", "user_1%\u{10FFFE}"] {
            assert!(low.as_str() <= inside && inside < high.as_str(), "{inside}");
        }
        for outside in ["user_1", "user_1$", "user_2", "usera"] {
            assert!(
                !(low.as_str() <= outside && outside < high.as_str()),
                "{outside}"
            );
        }
    }
}
