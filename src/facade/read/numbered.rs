//! Identities by position, for the Admin API's numbered pages (`PageNumber`, `PageSize`). Ordered oldest first by creation, then address: a new identity always
//! lands on the last page, so the pages a script has already read do not shift while it
//! reads on.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{FacadeResult, IdentityDeletionProcessFacade};
use crate::domain::{IdentityAddress, IdentityStatus};
use crate::schema::{devices, identities, tiers};

/// A stretch of a list, and how many rows the whole list has.
#[derive(Debug, Clone)]
pub struct Stretch<T> {
    pub items: Vec<T>,
    pub total_records: u64,
}

/// An identity as the Admin API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityListing {
    pub address: IdentityAddress,
    pub client_id: String,
    pub status: IdentityStatus,
    pub tier_id: String,
    /// The tier's name, when the tier is known.
    pub tier_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub number_of_devices: i64,
}

type ListingRow = (
    IdentityAddress,
    String,
    IdentityStatus,
    String,
    Option<String>,
    DateTime<Utc>,
);

impl IdentityDeletionProcessFacade {
    /// Identities whose address, or one of whose device usernames, starts with `query`
    /// (none: all), oldest first: `limit` of them after skipping `offset`.
    pub fn identities_by_position(
        &self,
        query: Option<&str>,
        offset: u64,
        limit: u32,
    ) -> FacadeResult<Stretch<IdentityListing>> {
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let mut conn = self.conn()?;
        let total_records: i64 = matching(query).count().get_result(&mut *conn)?;
        let rows: Vec<ListingRow> = matching(query)
            .left_join(tiers::table.on(tiers::id.eq(identities::tier_id)))
            .select((
                identities::address,
                identities::client_id,
                identities::status,
                identities::tier_id,
                tiers::name.nullable(),
                identities::created_at,
            ))
            .order((identities::created_at, identities::address))
            .offset(i64::try_from(offset).unwrap_or(i64::MAX))
            .limit(i64::from(limit))
            .load(&mut *conn)?;
        let addresses: Vec<&IdentityAddress> = rows.iter().map(|row| &row.0).collect();
        let counts: Vec<(IdentityAddress, i64)> = devices::table
            .filter(devices::identity_address.eq_any(addresses))
            .group_by(devices::identity_address)
            .select((devices::identity_address, diesel::dsl::count_star()))
            .load(&mut *conn)?;
        let items = rows
            .into_iter()
            .map(
                |(address, client_id, status, tier_id, tier_name, created_at)| IdentityListing {
                    number_of_devices: counts
                        .iter()
                        .find(|(a, _)| *a == address)
                        .map_or(0, |(_, n)| *n),
                    address,
                    client_id,
                    status,
                    tier_id,
                    tier_name,
                    created_at,
                },
            )
            .collect();
        Ok(Stretch {
            items,
            total_records: u64::try_from(total_records).unwrap_or(0),
        })
    }
}

/// The identities a search text matches: an address prefix, or a device username prefix
/// (`LIKE` with the text's own `%`, `_` and `\` taken literally).
fn matching<'a>(query: Option<&str>) -> identities::BoxedQuery<'a, diesel::pg::Pg> {
    let mut identities = identities::table.into_boxed();
    if let Some(text) = query {
        let pattern = format!(
            "{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let with_username = devices::table
            .filter(devices::identity_address.eq(identities::address))
            .filter(devices::username.like(pattern.clone()));
        identities = identities.filter(
            identities::address
                .like(pattern)
                .or(diesel::dsl::exists(with_username)),
        );
    }
    identities
}
