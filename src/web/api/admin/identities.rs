//! `GET /Identities` (numbered pages, oldest first, optionally narrowed by an address or
//! username prefix) and `GET /Identities/{address}` (with its devices).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::KeyHolder;
use super::views::{IdentityDetails, IdentitySummary};
use crate::domain::IdentityAddress;
use crate::web::api::envelope::{PageQuery, Paged, Pagination, Success, paged};
use crate::web::api::error::ErrorBody;
use crate::web::api::{ApiError, input};

/// The last page number a client may ask for (far beyond any list here), so that the
/// document can state a bound and the server keep it.
const MAX_PAGE_NUMBER: u32 = 1_000_000;

/// `?PageNumber=&PageSize=&q=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdentitiesQuery {
    /// Counted from 1 to 1,000,000; 1 when left out.
    #[serde(rename = "PageNumber")]
    #[param(minimum = 1, maximum = 1_000_000)]
    page_number: Option<u32>,
    /// At most 200; 50 when left out.
    #[serde(rename = "PageSize")]
    #[param(minimum = 1, maximum = 200)]
    page_size: Option<u32>,
    /// The start of an address (text starting with `did:`), or else of a device's username.
    q: Option<String>,
}

/// Identities, oldest first: a new identity is always added on the last page, so the
/// pages already read stay as they were.
#[utoipa::path(
    get,
    path = "/Identities",
    operation_id = "listIdentities",
    tag = "Identities",
    params(IdentitiesQuery),
    responses(
        (status = 200, description = "A page of identities", body = Paged<IdentitySummary>),
        (status = 400, description = "`PageNumber` or `PageSize` out of range", body = ErrorBody),
    )
)]
pub async fn list(
    caller: KeyHolder,
    query: web::Query<IdentitiesQuery>,
) -> Result<HttpResponse, ApiError> {
    let IdentitiesQuery {
        page_number,
        page_size,
        q,
    } = query.into_inner();
    if page_number.is_some_and(|number| number > MAX_PAGE_NUMBER) {
        return Err(ApiError::invalid_property(
            "PageNumber",
            "it must be between 1 and 1000000",
        ));
    }
    let page = PageQuery {
        page_number,
        page_size,
    }
    .checked()?;
    let found = caller
        .run(move |core, _, _| {
            core.identities()
                .identities_by_position(q.as_deref(), page.offset(), page.size)
        })
        .await?;
    let items = found.items.into_iter().map(IdentitySummary::from).collect();
    Ok(paged(items, Pagination::new(page, found.total_records)))
}

/// One identity and its devices.
#[utoipa::path(
    get,
    path = "/Identities/{address}",
    operation_id = "getIdentity",
    tag = "Identities",
    params(("address" = String, Path, description = "`did:e:<domain>:dids:<22 hex>`")),
    responses(
        (status = 200, description = "The identity", body = Success<IdentityDetails>),
        (status = 400, description = "Not an identity address", body = ErrorBody),
        (status = 404, description = "No such identity", body = ErrorBody),
    )
)]
pub async fn show(caller: KeyHolder, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let address = input::id(&path, IdentityAddress::parse_from_path)?;
    let details = caller
        .run(move |core, _, role| core.identities().identity_details(role, &address, None, 1))
        .await?;
    Ok(crate::web::api::envelope::ok(IdentityDetails::new(
        details.identity,
        details.devices,
    )))
}
