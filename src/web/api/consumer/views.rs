//! What the Consumer API sends and receives, in the platform's field names (camelCase) and
//! date format (`dates`). Requests are plain data: handlers parse them into domain types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::DeletionProcess;
use crate::facade::external_events::ExternalEvent;
use crate::facade::registration::{Challenge, Registered};
use crate::facade::sync::SyncRun;
use crate::web::api::dates;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    #[schema(example = "CHLbz5Lb0ZKbQw8Ht2cQ")]
    pub id: String,
    #[serde(serialize_with = "dates::iso")]
    pub expires_at: DateTime<Utc>,
    /// The identity that asked, when a device asked with its token.
    pub created_by: Option<String>,
    pub created_by_device: Option<String>,
}

impl From<Challenge> for ChallengeView {
    fn from(c: Challenge) -> Self {
        Self {
            id: c.id.to_string(),
            expires_at: c.expires_at,
            created_by: c.created_by.map(String::from),
            created_by_device: c.created_by_device.map(String::from),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedChallengeJson {
    /// The signed text, exactly as signed.
    pub challenge: String,
    /// base64url of `{"sig": "<base64url of 64 bytes>", "alg": 2}`.
    pub signature: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateIdentityRequest {
    pub client_id: String,
    pub client_secret: String,
    /// base64url of `{"pub": "<base64url of the 32-byte Ed25519 key>", "alg": 3}`.
    pub identity_public_key: String,
    pub device_password: String,
    /// Must be 1.
    pub identity_version: i32,
    pub signed_challenge: SignedChallengeJson,
    // `deviceCommunicationLanguage` may be sent; it is ignored.
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedDeviceView {
    pub id: String,
    /// Generated (`USR…`); the device signs in with it.
    pub username: String,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedIdentityView {
    #[schema(example = "did:e:localhost:dids:a14fd999f336573b413288")]
    pub address: String,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    pub device: CreatedDeviceView,
}

impl From<Registered> for CreatedIdentityView {
    fn from(r: Registered) -> Self {
        Self {
            address: r.address.to_string(),
            created_at: r.created_at,
            device: CreatedDeviceView {
                id: r.device_id.to_string(),
                username: r.username.into(),
                created_at: r.created_at,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IsDeletedView {
    pub is_deleted: bool,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub deletion_date: Option<DateTime<Utc>>,
}

/// A deletion process as the platform's client caches it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletionProcessView {
    #[schema(example = "IDPx1y2z3a4b5c6d7e8f9")]
    pub id: String,
    #[schema(example = "Approved")]
    pub status: String,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    #[schema(inline)]
    pub dates: ProcessDates,
    pub approved_by_device: Option<String>,
    pub rejected_by_device: Option<String>,
    pub cancelled_by_device: Option<String>,
}

/// The dates of a process (null where unset).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProcessDates {
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approval_period_ends_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approval_reminder1_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approval_reminder2_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approval_reminder3_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub approved_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub grace_period_ends_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub grace_period_reminder1_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub grace_period_reminder2_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub grace_period_reminder3_sent_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub rejected_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "dates::iso_or_null")]
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl From<DeletionProcess> for DeletionProcessView {
    fn from(p: DeletionProcess) -> Self {
        Self {
            id: p.id.to_string(),
            status: p.status.as_str().to_owned(),
            created_at: p.created_at,
            dates: ProcessDates {
                approval_period_ends_at: p.approval_period_ends_at,
                approval_reminder1_sent_at: p.approval_reminder1_sent_at,
                approval_reminder2_sent_at: p.approval_reminder2_sent_at,
                approval_reminder3_sent_at: p.approval_reminder3_sent_at,
                approved_at: p.approved_at,
                grace_period_ends_at: p.grace_period_ends_at,
                grace_period_reminder1_sent_at: p.grace_period_reminder1_sent_at,
                grace_period_reminder2_sent_at: p.grace_period_reminder2_sent_at,
                grace_period_reminder3_sent_at: p.grace_period_reminder3_sent_at,
                rejected_at: p.rejected_at,
                cancelled_at: p.cancelled_at,
            },
            approved_by_device: p.approved_by_device.map(String::from),
            rejected_by_device: p.rejected_by_device.map(String::from),
            cancelled_by_device: p.cancelled_by_device.map(String::from),
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiateRequest {
    /// 1 to 90; the server's default grace period when left out.
    pub length_of_grace_period_in_days: Option<u16>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartSyncRunRequest {
    /// `ExternalEventSync` or `DatawalletVersionUpgrade`.
    #[serde(rename = "type")]
    pub run_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncRunView {
    pub id: String,
    #[serde(serialize_with = "dates::iso")]
    pub expires_at: DateTime<Utc>,
    pub index: i64,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub created_by_device: String,
    pub event_count: i32,
}

impl From<SyncRun> for SyncRunView {
    fn from(run: SyncRun) -> Self {
        Self {
            id: run.id.to_string(),
            expires_at: run.expires_at,
            index: run.run_index,
            created_at: run.created_at,
            created_by: run.identity_address.to_string(),
            created_by_device: run.created_by_device.to_string(),
            event_count: run.event_count,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartSyncRunView {
    /// `Created` or `NoNewEvents`.
    pub status: &'static str,
    pub sync_run: Option<SyncRunView>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExternalEventView {
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "IdentityDeletionProcessStarted")]
    pub event_type: String,
    pub index: i64,
    #[serde(serialize_with = "dates::iso")]
    pub created_at: DateTime<Utc>,
    pub sync_error_count: i32,
    /// `{"deletionProcessId": "IDP…"}`
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<ExternalEvent> for ExternalEventView {
    fn from(e: ExternalEvent) -> Self {
        Self {
            id: e.id.to_string(),
            event_type: e.event_type.as_str().to_owned(),
            index: e.event_index,
            created_at: e.created_at,
            sync_error_count: e.sync_error_count,
            payload: e.payload,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventResultJson {
    pub external_event_id: String,
    /// Set when the app could not process the event.
    pub error_code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeExternalEventSyncRequest {
    #[serde(default)]
    pub external_event_results: Vec<EventResultJson>,
    // `datawalletModifications` may be sent; no datawallet is kept, so it is ignored.
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeExternalEventSyncView {
    pub new_unsynced_external_events_exist: bool,
    /// Always null: no datawallet is kept.
    pub new_datawallet_modification_index: Option<i64>,
    #[schema(value_type = Vec<Object>)]
    pub datawallet_modifications: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeDatawalletVersionUpgradeRequest {
    pub new_datawallet_version: i32,
    // `datawalletModifications` may be sent; no datawallet is kept, so it is ignored.
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeDatawalletVersionUpgradeView {
    pub new_datawallet_modification_index: Option<i64>,
    #[schema(value_type = Vec<Object>)]
    pub datawallet_modifications: Vec<serde_json::Value>,
}

/// The OAuth token answer (no envelope).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub access_token: String,
    pub expires_in: i64,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
}

/// An OAuth error answer (no envelope).
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthErrorView {
    #[schema(example = "invalid_grant")]
    pub error: &'static str,
    pub error_description: String,
}
