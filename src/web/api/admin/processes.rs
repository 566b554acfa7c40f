//! An identity's deletion processes: start one as support, list them, read one with its
//! audit log, cancel an approved one as support, and read the audit log of an address.
//! Starting and cancelling are the same use cases as the admin pages' buttons; the facade
//! checks the key's account may do them (an auditor's key gets 403).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::KeyHolder;
use super::views::{AuditLogEntry, CancelledProcess, Process, ProcessWithAuditLog, StartedProcess};
use crate::domain::{DeletionProcessId, IdentityAddress};
use crate::web::api::envelope::{Created, Success, created, ok};
use crate::web::api::error::ErrorBody;
use crate::web::api::{ApiError, input};

fn address_of(raw: &str) -> Result<IdentityAddress, ApiError> {
    input::id(raw, IdentityAddress::parse_from_path)
}

/// The path of one process of an identity.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProcessPath {
    /// The identity's address
    address: String,
    /// `IDP` and 17 letters or digits
    id: String,
}

impl ProcessPath {
    fn parse(&self) -> Result<(IdentityAddress, DeletionProcessId), ApiError> {
        let address = address_of(&self.address)?;
        Ok((address, input::id(&self.id, DeletionProcessId::parse)?))
    }
}

/// Support starts a deletion; the owner is asked to approve it.
#[utoipa::path(
    post,
    path = "/Identities/{address}/DeletionProcesses",
    operation_id = "startDeletionProcess",
    tag = "Deletion processes",
    params(("address" = String, Path, description = "The identity's address")),
    responses(
        (status = 201, description = "Started; waiting for the owner's approval", body = Created<StartedProcess>),
        (status = 400, description = "Not an address, or the identity already has an open process (`onlyOneActiveDeletionProcessAllowed`)", body = ErrorBody),
        (status = 403, description = "The key's account may not start deletions (auditor)", body = ErrorBody),
        (status = 404, description = "No such identity", body = ErrorBody),
    )
)]
pub async fn start(caller: KeyHolder, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let address = address_of(&path)?;
    let process = caller
        .run(move |core, admin, _| core.processes().start_as_support(&address, admin))
        .await?;
    Ok(created(StartedProcess {
        id: process.id.to_string(),
        status: process.status,
        created_at: process.created_at,
    }))
}

/// Every process of the identity, newest first.
#[utoipa::path(
    get,
    path = "/Identities/{address}/DeletionProcesses",
    operation_id = "listDeletionProcesses",
    tag = "Deletion processes",
    params(("address" = String, Path, description = "The identity's address")),
    responses(
        (status = 200, description = "The identity's processes", body = Success<Vec<Process>>),
        (status = 400, description = "Not an address", body = ErrorBody),
        (status = 404, description = "No such identity", body = ErrorBody),
    )
)]
pub async fn list(caller: KeyHolder, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let address = address_of(&path)?;
    let processes = caller
        .run(move |core, _, _| {
            core.identities().identity(&address)?;
            core.processes().processes_of(&address)
        })
        .await?;
    Ok(ok(processes.iter().map(Process::from).collect::<Vec<_>>()))
}

/// One process of the identity with its audit log, oldest entry first.
#[utoipa::path(
    get,
    path = "/Identities/{address}/DeletionProcesses/{id}",
    operation_id = "getDeletionProcess",
    tag = "Deletion processes",
    params(ProcessPath),
    responses(
        (status = 200, description = "The process and its audit log", body = Success<ProcessWithAuditLog>),
        (status = 400, description = "Not an address or process ID", body = ErrorBody),
        (status = 404, description = "No such process of this identity", body = ErrorBody),
    )
)]
pub async fn show(
    caller: KeyHolder,
    path: web::Path<ProcessPath>,
) -> Result<HttpResponse, ApiError> {
    let (address, id) = path.parse()?;
    let (process, log) = caller
        .run(move |core, _, _| {
            let process = core.processes().process(&address, &id)?;
            let log = core.audit_log().audit_log_of(&process)?;
            Ok((process, log))
        })
        .await?;
    Ok(ok(ProcessWithAuditLog {
        process: Process::from(&process),
        audit_log: log.into_iter().map(AuditLogEntry::from).collect(),
    }))
}

/// Support cancels an approved process (the grace period is running).
#[utoipa::path(
    put,
    path = "/Identities/{address}/DeletionProcesses/{id}/Cancel",
    operation_id = "cancelDeletionProcess",
    tag = "Deletion processes",
    params(ProcessPath),
    responses(
        (status = 200, description = "Cancelled", body = Success<CancelledProcess>),
        (status = 400, description = "Not an address or process ID, or the process is not `Approved` (`deletionProcessIsNotInRequiredStatus`)", body = ErrorBody),
        (status = 403, description = "The key's account may not cancel deletions (auditor)", body = ErrorBody),
        (status = 404, description = "No such process of this identity", body = ErrorBody),
    )
)]
pub async fn cancel(
    caller: KeyHolder,
    path: web::Path<ProcessPath>,
) -> Result<HttpResponse, ApiError> {
    let (address, id) = path.parse()?;
    let process = caller
        .run(move |core, admin, _| core.processes().cancel_as_support(&address, &id, admin))
        .await?;
    Ok(ok(CancelledProcess {
        id: process.id.to_string(),
        status: process.status,
        cancelled_at: process.cancelled_at,
    }))
}

/// Every audit entry of an address, oldest first, found by the address's hash: also after
/// the identity was deleted, and `[]` for an address never seen.
#[utoipa::path(
    get,
    path = "/Identities/{address}/DeletionProcesses/AuditLogs",
    operation_id = "getAuditLogs",
    tag = "Deletion processes",
    params(("address" = String, Path, description = "An identity address (it need not exist any more)")),
    responses(
        (status = 200, description = "The audit entries", body = Success<Vec<AuditLogEntry>>),
        (status = 400, description = "Not an address", body = ErrorBody),
    )
)]
pub async fn audit_logs(
    caller: KeyHolder,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let address = address_of(&path)?;
    let entries = caller
        .run(move |core, _, _| core.audit_log().audit_log_by_address(&address))
        .await?;
    Ok(ok(entries
        .into_iter()
        .map(AuditLogEntry::from)
        .collect::<Vec<_>>()))
}
