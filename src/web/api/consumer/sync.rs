//! Synchronisation (`docs/consumer-api.md`): sync runs deliver the identity's external
//! events; no datawallet is kept, so its modifications are always none.

use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::Bearer;
use super::views::{
    ExternalEventView, FinalizeDatawalletVersionUpgradeRequest,
    FinalizeDatawalletVersionUpgradeView, FinalizeExternalEventSyncRequest,
    FinalizeExternalEventSyncView, StartSyncRunRequest, StartSyncRunView, SyncRunView,
};
use crate::domain::consumer::{ConsumerError, SyncRunType};
use crate::domain::ids::{ExternalEventId, SyncRunId};
use crate::facade::FacadeError;
use crate::facade::sync::{EventResult, Started, SyncRuns};
use crate::web::AppState;
use crate::web::api::envelope::{Pagination, created, ok, paged};
use crate::web::api::input::id;
use crate::web::api::{ApiError, Created, Paged, Success, blocking};

/// The header the platform's client names its datawallet version in.
const DATAWALLET_VERSION: &str = "x-supported-datawallet-version";

/// A version header, when sent, must name version 1 or later.
fn check_datawallet_version(req: &HttpRequest) -> Result<(), ApiError> {
    let Some(value) = req.headers().get(DATAWALLET_VERSION) else {
        return Ok(());
    };
    match value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<i32>().ok())
    {
        Some(version) if version >= 1 => Ok(()),
        _ => Err(FacadeError::from(ConsumerError::InsufficientDatawalletVersion).into()),
    }
}

fn sync_runs(state: &AppState) -> SyncRuns {
    SyncRuns::new(state.core.clone())
}

/// Starts a sync run: an event sync (when there are new events) or a datawallet upgrade.
#[utoipa::path(
    post, path = "/api/v1/SyncRuns", tag = "Synchronisation",
    params(("x-supported-datawallet-version" = Option<i32>, Header, description = "1")),
    request_body = StartSyncRunRequest,
    responses(
        (status = 201, description = "`Created` with the run, or `NoNewEvents`", body = Created<StartSyncRunView>),
        (status = 400, description = "`…syncRun.cannotStartSyncRunWhenAnotherSyncRunIsRunning`, `…invalidPropertyValue`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
    ),
    security(("bearer" = []))
)]
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    body: web::Json<StartSyncRunRequest>,
) -> Result<HttpResponse, ApiError> {
    check_datawallet_version(&req)?;
    let run_type = SyncRunType::parse(&body.run_type).map_err(FacadeError::from)?;
    let runs = sync_runs(&state);
    let view = match blocking(move || runs.start(&owner, run_type)).await? {
        Started::NoNewEvents => StartSyncRunView {
            status: "NoNewEvents",
            sync_run: None,
        },
        Started::Created(run) => StartSyncRunView {
            status: "Created",
            sync_run: Some(SyncRunView::from(run)),
        },
    };
    Ok(created(view))
}

/// The events a running event sync delivers.
#[utoipa::path(
    get, path = "/api/v1/SyncRuns/{id}/ExternalEvents", tag = "Synchronisation",
    params(("id" = String, Path, description = "`SYR…`")),
    responses(
        (status = 200, description = "The run's events, in order (one page)", body = Paged<ExternalEventView>),
        (status = 400, description = "`…syncRun.syncRunExpired`, `…syncRun.syncRunAlreadyFinalized`, `…invalidId`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn events(
    req: HttpRequest,
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_datawallet_version(&req)?;
    let run = id(&path, SyncRunId::parse)?;
    let runs = sync_runs(&state);
    let events = blocking(move || runs.events(&owner, &run)).await?;
    let views: Vec<ExternalEventView> = events.into_iter().map(Into::into).collect();
    // A run holds at most `EVENTS_PER_RUN`: always one page.
    let count = views.len() as u64;
    let pagination = Pagination {
        page_number: 1,
        page_size: u32::try_from(count.max(1)).unwrap_or(u32::MAX),
        total_pages: 1,
        total_records: count,
    };
    Ok(paged(views, pagination))
}

/// Finalizes an event sync with what the app made of each event.
#[utoipa::path(
    put, path = "/api/v1/SyncRuns/{id}/FinalizeExternalEventSync", tag = "Synchronisation",
    params(("id" = String, Path, description = "`SYR…`")),
    request_body = FinalizeExternalEventSyncRequest,
    responses(
        (status = 200, description = "Whether more events wait", body = Success<FinalizeExternalEventSyncView>),
        (status = 400, description = "`…syncRun.syncRunExpired`, `…syncRun.syncRunAlreadyFinalized`, `…invalidId`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn finalize_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    path: web::Path<String>,
    body: web::Json<FinalizeExternalEventSyncRequest>,
) -> Result<HttpResponse, ApiError> {
    check_datawallet_version(&req)?;
    let run = id(&path, SyncRunId::parse)?;
    let results = body
        .into_inner()
        .external_event_results
        .into_iter()
        .map(|result| {
            Ok(EventResult {
                id: id(&result.external_event_id, ExternalEventId::parse)?,
                error_code: result.error_code,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let runs = sync_runs(&state);
    let more = blocking(move || runs.finalize_events(&owner, &run, &results)).await?;
    Ok(ok(FinalizeExternalEventSyncView {
        new_unsynced_external_events_exist: more,
        new_datawallet_modification_index: None,
        datawallet_modifications: Vec::new(),
    }))
}

/// Finalizes a datawallet version upgrade.
#[utoipa::path(
    put, path = "/api/v1/SyncRuns/{id}/FinalizeDatawalletVersionUpgrade", tag = "Synchronisation",
    params(("id" = String, Path, description = "`SYR…`")),
    request_body = FinalizeDatawalletVersionUpgradeRequest,
    responses(
        (status = 200, description = "Done", body = Success<FinalizeDatawalletVersionUpgradeView>),
        (status = 400, description = "`…syncRun.syncRunExpired`, `…syncRun.syncRunAlreadyFinalized`, `…invalidId`",
            body = crate::web::api::error::ErrorBody),
        (status = 401, description = "No valid token"),
        (status = 404, description = "Unknown, or another identity's", body = crate::web::api::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn finalize_upgrade(
    req: HttpRequest,
    state: web::Data<AppState>,
    Bearer(owner): Bearer,
    path: web::Path<String>,
    body: web::Json<FinalizeDatawalletVersionUpgradeRequest>,
) -> Result<HttpResponse, ApiError> {
    check_datawallet_version(&req)?;
    let run = id(&path, SyncRunId::parse)?;
    let version = body.new_datawallet_version;
    let runs = sync_runs(&state);
    blocking(move || runs.finalize_upgrade(&owner, &run, version)).await?;
    Ok(ok(FinalizeDatawalletVersionUpgradeView {
        new_datawallet_modification_index: None,
        datawallet_modifications: Vec::new(),
    }))
}

/// No datawallet is kept: always none.
#[utoipa::path(
    get, path = "/api/v1/Datawallet/Modifications", tag = "Synchronisation",
    responses(
        (status = 200, description = "Always `[]`", body = Success<Vec<Object>>),
        (status = 401, description = "No valid token"),
    ),
    security(("bearer" = []))
)]
pub async fn datawallet_modifications(
    req: HttpRequest,
    _owner: Bearer,
) -> Result<HttpResponse, ApiError> {
    check_datawallet_version(&req)?;
    Ok(ok(Vec::<serde_json::Value>::new()))
}
