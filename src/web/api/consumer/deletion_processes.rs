//! The owner's deletion processes (`/api/v1/Identities/Self/DeletionProcesses`): the same
//! use cases as the owner pages, for the token's own identity only.

use actix_web::{HttpResponse, web};

use super::auth::Bearer;
use super::empty_body;
use super::views::{DeletionProcessView, InitiateRequest};
use crate::domain::{DeletionProcessId, GraceLength};
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
    let core = state.core.clone();
    let process = blocking(move || core.processes().initiate(&owner, grace)).await?;
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
    let core = state.core.clone();
    let processes = blocking(move || core.processes().processes_of(&owner.address)).await?;
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
    let core = state.core.clone();
    let process = blocking(move || core.processes().process(&owner.address, &process_id)).await?;
    Ok(ok(DeletionProcessView::from(process)))
}

/// An owner's decision on one of the identity's processes, `PUT …/{id}/<Decision>`: the
/// handler runs the use case of its own name; the three differ only in their documentation.
macro_rules! decision {
    ($(#[$doc:meta])* $name:ident, $path:literal, $done:literal, $refusals:literal) => {
        $(#[$doc])*
        #[utoipa::path(
            put, path = $path, tag = "Deletion processes",
            params(("id" = String, Path, description = "`IDP…`")),
            request_body(content = Object, description = "`{}` (or no body)"),
            responses(
                (status = 200, description = $done, body = Success<DeletionProcessView>),
                (status = 400, description = $refusals, body = crate::web::api::error::ErrorBody),
                (status = 401, description = "No valid token"),
                (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
            ),
            security(("bearer" = []))
        )]
        pub async fn $name(
            state: web::Data<AppState>,
            Bearer(owner): Bearer,
            path: web::Path<String>,
            body: web::Bytes,
        ) -> Result<HttpResponse, ApiError> {
            empty_body(&body)?;
            let process_id = id(&path, DeletionProcessId::parse)?;
            let core = state.core.clone();
            let process = blocking(move || core.processes().$name(&owner, &process_id)).await?;
            Ok(ok(DeletionProcessView::from(process)))
        }
    };
}

decision!(
    /// Approves a process support started.
    approve,
    "/api/v1/Identities/Self/DeletionProcesses/{id}/Approve",
    "The process (Approved)",
    "`…deletionProcessIsNotInRequiredStatus`, `…invalidId`"
);

decision!(
    /// Rejects a process support started.
    reject,
    "/api/v1/Identities/Self/DeletionProcesses/{id}/Reject",
    "The process (Rejected)",
    "`…deletionProcessIsNotInRequiredStatus`, `…invalidId`"
);

decision!(
    /// Cancels an approved process within its grace period.
    cancel,
    "/api/v1/Identities/Self/DeletionProcesses/{id}/Cancel",
    "The process (Cancelled)",
    "`…deletionProcessIsNotInRequiredStatus`, `…gracePeriodHasAlreadyExpired`, `…invalidId`"
);
