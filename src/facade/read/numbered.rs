//! Identities by position, for the Admin API's numbered pages (`PageNumber`, `PageSize`). Ordered oldest first by creation, then address: a new identity always
//! lands on the last page, so the pages a script has already read do not shift while it
//! reads on.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::FacadeResult;
use super::identities::{Identities, prefix_range};
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

impl Identities<'_> {
    /// Identities whose address (`query` starting with `did:`) or else one of whose device
    /// usernames starts with `query` (none: all), oldest first: `limit` of them after skipping `offset`.
    pub fn identities_by_position(
        &self,
        query: Option<&str>,
        offset: u64,
        limit: u32,
    ) -> FacadeResult<Stretch<IdentityListing>> {
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let mut conn = self.core.conn()?;
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

/// The identities a search text matches, as the admin identity search reads it: text that
/// starts with `did:` is an address prefix (a range of the primary key), anything else a
/// device username prefix (a range of the unique username index, then those identities).
fn matching<'a>(query: Option<&str>) -> identities::BoxedQuery<'a, diesel::pg::Pg> {
    let identities = identities::table.into_boxed();
    let Some(text) = query else {
        return identities;
    };
    let (low, high) = prefix_range(text);
    if text.starts_with("did:") {
        identities
            .filter(identities::address.ge(low))
            .filter(identities::address.lt(high))
    } else {
        identities.filter(
            identities::address.eq_any(
                devices::table
                    .filter(devices::username.ge(low))
                    .filter(devices::username.lt(high))
                    .select(devices::identity_address),
            ),
        )
    }
}
