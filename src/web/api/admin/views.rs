//! What the Admin API answers with: identities, devices, deletion processes and audit
//! entries as JSON (camelCase, dates with milliseconds and `Z`, statuses by name). Built
//! from the facade's read models; nothing here decides anything.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

use crate::domain::Identity;
use crate::domain::{DeletionProcess, IdentityStatus, ProcessStatus};
use crate::facade::models::{AuditEntry, DeviceSummary};
use crate::facade::read::numbered::IdentityListing;
use crate::web::api::dates;

/// A string schema that allows only `names` (statuses, message keys).
fn names_schema(names: impl IntoIterator<Item = &'static str>, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .enum_values(Some(names))
        .examples([serde_json::json!(example)])
        .into()
}

pub fn process_status_schema() -> RefOr<Schema> {
    names_schema(
        ProcessStatus::ALL.iter().map(|s| s.as_str()),
        "WaitingForApproval",
    )
}

pub fn identity_status_schema() -> RefOr<Schema> {
    names_schema(IdentityStatus::ALL.iter().map(|s| s.as_str()), "Active")
}

/// An identity's tier.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    #[schema(example = "TIRBASIC000000000000")]
    pub id: String,
    /// `null` when the tier is not known here.
    #[schema(example = "Basic")]
    pub name: Option<String>,
}

/// An identity in the list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySummary {
    #[schema(example = "did:e:localhost:dids:0123456789abcdef012345")]
    pub address: String,
    pub client_id: String,
    #[schema(schema_with = identity_status_schema)]
    pub status: IdentityStatus,
    pub tier: Tier,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    pub number_of_devices: i64,
}

impl From<IdentityListing> for IdentitySummary {
    fn from(listing: IdentityListing) -> Self {
        Self {
            address: listing.address.to_string(),
            client_id: listing.client_id,
            status: listing.status,
            tier: Tier {
                id: listing.tier_id,
                name: listing.tier_name,
            },
            created_at: listing.created_at,
            number_of_devices: listing.number_of_devices,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    #[schema(example = "DVCmV4cT0dOqW2kP9xYz")]
    pub id: String,
    pub username: String,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
}

/// One identity with its devices.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityDetails {
    pub address: String,
    pub client_id: String,
    #[schema(schema_with = identity_status_schema)]
    pub status: IdentityStatus,
    #[schema(example = "TIRBASIC000000000000")]
    pub tier_id: String,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    /// When an approved deletion will happen; `null` otherwise.
    #[serde(serialize_with = "dates::iso_or_null")]
    pub deletion_grace_period_ends_at: Option<DateTime<Utc>>,
    pub devices: Vec<Device>,
}

impl IdentityDetails {
    pub fn new(identity: Identity, devices: Vec<DeviceSummary>) -> Self {
        Self {
            address: identity.address.to_string(),
            client_id: identity.client_id,
            status: identity.status,
            tier_id: identity.tier_id,
            created_at: identity.created_at,
            deletion_grace_period_ends_at: identity.deletion_grace_period_ends_at,
            devices: devices
                .into_iter()
                .map(|d| Device {
                    id: d.id.to_string(),
                    username: d.username.into(),
                    created_at: d.created_at,
                })
                .collect(),
        }
    }
}

/// A process just started by support: it waits for the owner's approval.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartedProcess {
    #[schema(example = "IDPx1Yv3K9s0PqL2mNoR")]
    pub id: String,
    #[schema(schema_with = process_status_schema)]
    pub status: ProcessStatus,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
}

/// A process just cancelled by support.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelledProcess {
    pub id: String,
    #[schema(schema_with = process_status_schema)]
    pub status: ProcessStatus,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A deletion process with every date it records (`null` where unset).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Process {
    pub id: String,
    #[schema(schema_with = process_status_schema)]
    pub status: ProcessStatus,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    /// The admin who started it; `null` when the owner did.
    pub started_by_admin: Option<String>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approval_period_ends_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by_device: Option<String>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub grace_period_ends_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub rejected_at: Option<DateTime<Utc>>,
    pub rejected_by_device: Option<String>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by_device: Option<String>,
    pub cancelled_by_admin: Option<String>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub deletion_started_at: Option<DateTime<Utc>>,
}

fn text<T: ToString>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

impl From<&DeletionProcess> for Process {
    fn from(p: &DeletionProcess) -> Self {
        Self {
            id: p.id.to_string(),
            status: p.status,
            created_at: p.created_at,
            started_by_admin: text(&p.started_by_admin),
            approval_period_ends_at: p.approval_period_ends_at,
            approved_at: p.approved_at,
            approved_by_device: text(&p.approved_by_device),
            grace_period_ends_at: p.grace_period_ends_at,
            rejected_at: p.rejected_at,
            rejected_by_device: text(&p.rejected_by_device),
            cancelled_at: p.cancelled_at,
            cancelled_by_device: text(&p.cancelled_by_device),
            cancelled_by_admin: text(&p.cancelled_by_admin),
            deletion_started_at: p.deletion_started_at,
        }
    }
}

/// One audit entry. The identity and devices appear in the log only as hashes, which the
/// API does not give out.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogEntry {
    #[schema(example = "IDAa1B2c3D4e5F6g7H8i")]
    pub id: String,
    /// The process it belongs to; `null` once the process has been removed.
    pub process_id: Option<String>,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "StartedBySupport")]
    pub message_key: String,
    #[schema(schema_with = optional_process_status_schema)]
    pub old_status: Option<ProcessStatus>,
    #[schema(schema_with = optional_process_status_schema)]
    pub new_status: Option<ProcessStatus>,
    #[schema(value_type = Object)]
    pub additional_data: serde_json::Value,
}

fn optional_process_status_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            ProcessStatus::ALL
                .iter()
                .map(|s| serde_json::json!(s.as_str()))
                .chain([serde_json::Value::Null]),
        ))
        .into()
}

impl From<AuditEntry> for AuditLogEntry {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id.to_string(),
            process_id: text(&entry.process_id),
            created_at: entry.created_at,
            message_key: entry.message_key.to_string(),
            old_status: entry.old_status,
            new_status: entry.new_status,
            additional_data: entry.additional_data,
        }
    }
}

/// A process with its audit log, oldest entry first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProcessWithAuditLog {
    #[serde(flatten)]
    pub process: Process,
    pub audit_log: Vec<AuditLogEntry>,
}
