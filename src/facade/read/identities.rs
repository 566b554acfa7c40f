//! Admin identity pages: the search list (three search strategies, each a range scan of
//! an index in the order it pages by) and one identity with its devices and processes.

use diesel::prelude::*;

use super::page::{
    IdentityCursor, Page, ProcessCursor, fetch, invalid_page, newest_before, page_of,
};
use super::processes::{load_open_process, load_process_page};
use super::{FacadeError, FacadeResult, IdentityDeletionProcessFacade};
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
fn prefix_range(prefix: &str) -> (String, String) {
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

impl IdentityDeletionProcessFacade {
    pub fn identity(&self, address: &IdentityAddress) -> FacadeResult<Identity> {
        load_identity(&mut *self.conn()?, address)
    }

    /// What an admin of `role` may do with an identity now (for the confirmation step
    /// before a start); an unknown identity is "not found".
    pub fn identity_actions(
        &self,
        role: Role,
        address: &IdentityAddress,
    ) -> FacadeResult<IdentityActions> {
        let mut conn = self.conn()?;
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
        let mut conn = self.conn()?;
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
        let text = filter
            .query
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let with_open_process = identities::table.left_join(
            processes::table.on(processes::identity_address
                .eq(identities::address)
                .and(processes::status.eq_any(ProcessStatus::OPEN))),
        );
        let mut conn = self.conn()?;
        let (rows, cursor_of): (Vec<SearchRow>, fn(&SearchRow) -> IdentityCursor) = match text {
            // No text: every identity, newest first.
            None => {
                let mut query = with_open_process
                    .select((
                        IdentitySummary::as_select(),
                        processes::status.nullable(),
                        identities::address,
                    ))
                    .into_boxed();
                if let Some(status) = filter.status {
                    query = query.filter(identities::status.eq(status));
                }
                match after {
                    None => {}
                    Some(IdentityCursor::Newest {
                        created_at,
                        address,
                    }) => {
                        query = query.filter(newest_before(
                            "identities.created_at",
                            "identities.address",
                            *created_at,
                            address.as_str(),
                        ));
                    }
                    Some(_) => return Err(invalid_page().into()),
                }
                let rows = query
                    .order((identities::created_at.desc(), identities::address.desc()))
                    .limit(fetch(limit))
                    .load(&mut *conn)?;
                (rows, |(identity, _, _)| IdentityCursor::Newest {
                    created_at: identity.created_at,
                    address: identity.address.clone(),
                })
            }
            // An address prefix: a range of the primary key, in address order.
            Some(prefix) if prefix.starts_with("did:") => {
                let (low, high) = prefix_range(prefix);
                let mut query = with_open_process
                    .select((
                        IdentitySummary::as_select(),
                        processes::status.nullable(),
                        identities::address,
                    ))
                    .filter(identities::address.ge(low))
                    .filter(identities::address.lt(high))
                    .into_boxed();
                if let Some(status) = filter.status {
                    query = query.filter(identities::status.eq(status));
                }
                match after {
                    None => {}
                    Some(IdentityCursor::Address(address)) => {
                        query = query.filter(identities::address.gt(address.clone()));
                    }
                    Some(_) => return Err(invalid_page().into()),
                }
                let rows = query
                    .order(identities::address)
                    .limit(fetch(limit))
                    .load(&mut *conn)?;
                (rows, |(identity, _, _)| {
                    IdentityCursor::Address(identity.address.clone())
                })
            }
            // A username prefix: a range of the unique username index, in username order,
            // one row per matching device.
            Some(prefix) => {
                let (low, high) = prefix_range(prefix);
                let mut query = devices::table
                    .inner_join(with_open_process)
                    .select((
                        IdentitySummary::as_select(),
                        processes::status.nullable(),
                        devices::username,
                    ))
                    .filter(devices::username.ge(low))
                    .filter(devices::username.lt(high))
                    .into_boxed();
                if let Some(status) = filter.status {
                    query = query.filter(identities::status.eq(status));
                }
                match after {
                    None => {}
                    Some(IdentityCursor::Username(username)) => {
                        query = query.filter(devices::username.gt(username.clone()));
                    }
                    Some(_) => return Err(invalid_page().into()),
                }
                let rows = query
                    .order(devices::username)
                    .limit(fetch(limit))
                    .load(&mut *conn)?;
                (rows, |(_, _, username)| {
                    IdentityCursor::Username(DeviceUsername::from_stored(username.clone()))
                })
            }
        };
        let page = page_of(rows, limit, cursor_of);
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
