//! The owner's deletion processes (`/api/v1/Identities/Self/DeletionProcesses`): the same
//! use cases as the owner pages, for the token's own identity only.

use actix_web::{HttpResponse, web};

use super::auth::Bearer;
use super::empty_body;
use super::views::{DeletionProcessView, InitiateRequest};
use crate::domain::{DeletionProcess, DeletionProcessId, GraceLength};
use crate::facade::{FacadeResult, IdentityDeletionProcessFacade, Owner};
use crate::web::AppState;
use crate::web::api::envelope::{created, ok};
use crate::web::api::input::id;
use crate::web::api::{ApiError, Created, Success, blocking};

/// Starts a deletion of the token's identity; approved at once.
#[utoipa::path(
    post, path = "/api/v1/Identities/Self/DeletionProcesses", tag = "Deletion processes",
    request_body = InitiateRequest,
    responses(
        (status = 201, description = "The process (Approved)", body = Created<DeletionProcessView>),
        (status = 400, description = "`…device.onlyOneActiveDeletionProcessAllowed`, `…invalidPropertyValue`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 429, description = "Too many changes within an hour", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn initiate(
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    body: web::Json<InitiateRequest>,
) -> Result<HttpResponse, ApiError> {
    let grace = match body.length_of_grace_period_in_days {
        Some(days) => Some(GraceLength::from_days(days).ok_or_else(|| {
            ApiError::invalid_property(
                "lengthOfGracePeriodInDays",
                format!(
                    "it must be between {} and {} days",
                    GraceLength::MIN_DAYS,
                    GraceLength::MAX_DAYS
                ),
            )
        })?),
        None => None,
    };
    let facade = state.facade.clone();
    let process = blocking(move || facade.initiate(&owner, grace)).await?;
    Ok(created(DeletionProcessView::from(process)))
}

/// The identity's processes, newest first.
#[utoipa::path(
    get, path = "/api/v1/Identities/Self/DeletionProcesses", tag = "Deletion processes",
    responses(
        (status = 200, description = "The processes", body = Success<Vec<DeletionProcessView>>),
        (status = 401, description = "No valid token"),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
) -> Result<HttpResponse, ApiError> {
    let facade = state.facade.clone();
    let processes = blocking(move || facade.processes_of(&owner.address)).await?;
    let views: Vec<DeletionProcessView> = processes.into_iter().map(Into::into).collect();
    Ok(ok(views))
}

/// One of the identity's processes.
#[utoipa::path(
    get, path = "/api/v1/Identities/Self/DeletionProcesses/{id}", tag = "Deletion processes",
    params(("id" = String, Path, description = "`IDP…`")),
    responses(
        (status = 200, description = "The process", body = Success<DeletionProcessView>),
        (status = 400, description = "A malformed ID (`…invalidId`)", body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn show(
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let process_id = id(&path, DeletionProcessId::parse)?;
    let facade = state.facade.clone();
    let process = blocking(move || facade.process(&owner.address, &process_id)).await?;
    Ok(ok(DeletionProcessView::from(process)))
}

/// Approves a process support started.
#[utoipa::path(
    put, path = "/api/v1/Identities/Self/DeletionProcesses/{id}/Approve", tag = "Deletion processes",
    params(("id" = String, Path, description = "`IDP…`")),
    request_body(content = Object, description = "`{}` (or no body)"),
    responses(
        (status = 200, description = "The process (Approved)", body = Success<DeletionProcessView>),
        (status = 400, description = "`…deletionProcessIsNotInRequiredStatus`, `…invalidId`", body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn approve(
    state: web::Data<AppState>,
    owner: Bearer,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    decide(
        state,
        owner,
        &path,
        &body,
        IdentityDeletionProcessFacade::approve,
    )
    .await
}

/// Rejects a process support started.
#[utoipa::path(
    put, path = "/api/v1/Identities/Self/DeletionProcesses/{id}/Reject", tag = "Deletion processes",
    params(("id" = String, Path, description = "`IDP…`")),
    request_body(content = Object, description = "`{}` (or no body)"),
    responses(
        (status = 200, description = "The process (Rejected)", body = Success<DeletionProcessView>),
        (status = 400, description = "`…deletionProcessIsNotInRequiredStatus`, `…invalidId`", body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn reject(
    state: web::Data<AppState>,
    owner: Bearer,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    decide(
        state,
        owner,
        &path,
        &body,
        IdentityDeletionProcessFacade::reject,
    )
    .await
}

/// Cancels an approved process within its grace period.
#[utoipa::path(
    put, path = "/api/v1/Identities/Self/DeletionProcesses/{id}/Cancel", tag = "Deletion processes",
    params(("id" = String, Path, description = "`IDP…`")),
    request_body(content = Object, description = "`{}` (or no body)"),
    responses(
        (status = 200, description = "The process (Cancelled)", body = Success<DeletionProcessView>),
        (status = 400, description = "`…deletionProcessIsNotInRequiredStatus`, `…gracePeriodHasAlreadyExpired`, `…invalidId`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn cancel(
    state: web::Data<AppState>,
    owner: Bearer,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    decide(
        state,
        owner,
        &path,
        &body,
        IdentityDeletionProcessFacade::cancel,
    )
    .await
}

type Decision =
    fn(&IdentityDeletionProcessFacade, &Owner, &DeletionProcessId) -> FacadeResult<DeletionProcess>;

async fn decide(
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    path: &str,
    body: &[u8],
    decision: Decision,
) -> Result<HttpResponse, ApiError> {
    empty_body(body)?;
    let process_id = id(path, DeletionProcessId::parse)?;
    let facade = state.facade.clone();
    let process = blocking(move || decision(&facade, &owner, &process_id)).await?;
    Ok(ok(DeletionProcessView::from(process)))
}
