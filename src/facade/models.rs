//! Rows the facade reads and writes besides the domain aggregates.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::domain::{
    AdminUsername, AuditEntryId, DeletionProcessId, DeviceId, DeviceUsername, IdentityAddress,
    IdentityStatus, MessageKey, ProcessStatus,
};
use crate::schema::{
    admin_users, devices, identities, identity_deletion_process_audit_log, notifications,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = devices, check_for_backend(diesel::pg::Pg))]
pub struct Device {
    pub id: DeviceId,
    pub identity_address: IdentityAddress,
    pub username: DeviceUsername,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub id_hash: Vec<u8>,
    pub username_hash: Vec<u8>,
}

/// What the identity list shows of an identity (a list row reads no tier, client or hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = identities, check_for_backend(diesel::pg::Pg))]
pub struct IdentitySummary {
    pub address: IdentityAddress,
    pub created_at: DateTime<Utc>,
    pub status: IdentityStatus,
}

/// What pages show of a device: never its hashes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = devices, check_for_backend(diesel::pg::Pg))]
pub struct DeviceSummary {
    pub id: DeviceId,
    pub username: DeviceUsername,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = admin_users, check_for_backend(diesel::pg::Pg))]
pub struct AdminUser {
    pub username: AdminUsername,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = identity_deletion_process_audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub process_id: Option<DeletionProcessId>,
    pub created_at: DateTime<Utc>,
    pub message_key: MessageKey,
    pub old_status: Option<ProcessStatus>,
    pub new_status: Option<ProcessStatus>,
    pub additional_data: serde_json::Value,
    pub identity_address_hash: Vec<u8>,
    pub device_id_hash: Option<Vec<u8>>,
    pub username_hashes: Vec<Vec<u8>>,
}

/// A notice to the owner, recorded in the outbox (there is no push service).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications, check_for_backend(diesel::pg::Pg))]
pub struct Notification {
    pub id: i64,
    pub identity_address: IdentityAddress,
    pub process_id: Option<DeletionProcessId>,
    pub created_at: DateTime<Utc>,
    pub kind: MessageKey,
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = notifications)]
pub(crate) struct NewNotification<'a> {
    pub identity_address: &'a IdentityAddress,
    pub process_id: Option<&'a DeletionProcessId>,
    pub created_at: DateTime<Utc>,
    pub kind: MessageKey,
    pub payload: serde_json::Value,
}
