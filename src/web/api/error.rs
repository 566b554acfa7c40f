//! The API's error body, `{"error": {"id", "code", "message", "docs", "time"}}`, and the one
//! place where a facade failure becomes an API status: the codes are the Backbone's, and
//! the statuses are the few its client library reads a body from (400, 404, 500; 403 and
//! 429 are recognised by status). A missing or invalid credential is a 401 with no body.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::dates;
use crate::clock::{Clock, SystemClock};
use crate::domain::DomainError;
use crate::domain::ids::random_alphanumeric;
use crate::facade::FacadeError;

pub const INPUT_CANNOT_BE_PARSED: &str = "error.platform.inputCannotBeParsed";
pub const INVALID_ID: &str = "error.platform.validation.invalidId";
pub const RECORD_NOT_FOUND: &str = "error.platform.recordNotFound";
pub const FORBIDDEN: &str = "error.platform.forbidden";
pub const QUOTA_EXHAUSTED: &str = "error.platform.quotaExhausted";
pub const UNEXPECTED: &str = "error.platform.unexpected";
pub const ONLY_ONE_ACTIVE_PROCESS: &str =
    "error.platform.validation.device.onlyOneActiveDeletionProcessAllowed";
pub const NOT_IN_REQUIRED_STATUS: &str =
    "error.platform.validation.device.deletionProcessIsNotInRequiredStatus";

/// Where a client reads about error bodies.
const DOCS: &str = "/docs/v1/openapi.json#/components/schemas/ErrorBody";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credential, or one that is unknown, expired or revoked: 401, empty body.
    #[error("unauthorized")]
    Unauthorized,
    #[error("{code}: {message}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
        retry_after: Option<u32>,
    },
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The body was not JSON, or not JSON of the expected shape.
    pub fn cannot_be_parsed(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            INPUT_CANNOT_BE_PARSED,
            format!("The request body could not be read: {detail}"),
        )
    }

    /// An ID in the path or body that has not the shape of one.
    pub fn invalid_id(error: &DomainError) -> Self {
        Self::new(StatusCode::BAD_REQUEST, INVALID_ID, error.message())
    }

    pub fn invalid_property(property: &'static str, reason: impl Into<String>) -> Self {
        Self::from(FacadeError::Domain(DomainError::invalid(
            property,
            reason.into(),
        )))
    }

    pub fn not_found(what: &'static str) -> Self {
        Self::from(FacadeError::Domain(DomainError::RecordNotFound(what)))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, FORBIDDEN, message)
    }

    /// Too many requests: 429 with `Retry-After`.
    pub fn quota_exhausted(message: impl Into<String>, retry_after_seconds: u32) -> Self {
        Self::Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: QUOTA_EXHAUSTED,
            message: message.into(),
            retry_after: Some(retry_after_seconds.max(1)),
        }
    }

    /// A bug: logged with its cause, answered without it.
    pub fn unexpected(why: impl std::fmt::Display) -> Self {
        tracing::error!(%why, "unexpected error in an API request");
        Self::from(FacadeError::Internal(String::new()))
    }

    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Unauthorized => None,
            Self::Refused { code, .. } => Some(code),
        }
    }
}

/// The Backbone's code and status for a facade failure; the words stay the facade's.
fn backbone_code(error: &FacadeError, code: &'static str, status: u16) -> (&'static str, u16) {
    match error.domain() {
        Some(DomainError::ActiveProcessAlreadyExists) => (ONLY_ONE_ACTIVE_PROCESS, 400),
        Some(
            DomainError::NoWaitingForApprovalProcess
            | DomainError::NoApprovedProcess
            | DomainError::NotInRequiredStatus { .. },
        ) => (NOT_IN_REQUIRED_STATUS, 400),
        Some(DomainError::NoActiveProcess | DomainError::RecordNotFound(_)) => {
            (RECORD_NOT_FOUND, 404)
        }
        _ => match status {
            403 => (FORBIDDEN, 403),
            // Throttled, over the owner's hourly limit, or the hash queue full.
            429 | 503 if !matches!(error, FacadeError::Unavailable(_)) => (QUOTA_EXHAUSTED, 429),
            // A rule's refusal that the pages answer with 409.
            409 => (code, 400),
            _ => (code, status),
        },
    }
}

impl From<FacadeError> for ApiError {
    fn from(error: FacadeError) -> Self {
        match &error {
            FacadeError::Database(why) => tracing::error!(%why, "database error"),
            FacadeError::Internal(why) if !why.is_empty() => tracing::error!(%why, "internal"),
            FacadeError::Unavailable(why) => tracing::warn!(%why, "database unavailable"),
            _ => {}
        }
        let report = error.report();
        let (code, status) = backbone_code(&error, report.code, report.status);
        Self::Refused {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code,
            message: report.message,
            retry_after: report.retry_after,
        }
    }
}

/// `{"error": …}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetails,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetails {
    /// `ERR` and 17 letters or digits; the request's log line names it too.
    #[schema(example = "ERRbC1mYwPd2fS7qz4Ua")]
    pub id: String,
    /// Stable: clients may branch on it.
    #[schema(example = "error.platform.recordNotFound")]
    pub code: String,
    /// For people; may change.
    pub message: String,
    pub docs: String,
    #[serde(serialize_with = "dates::iso")]
    pub time: DateTime<Utc>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Refused { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let Self::Refused {
            status,
            code,
            message,
            retry_after,
        } = self
        else {
            return HttpResponse::Unauthorized().finish();
        };
        let id = format!("ERR{}", random_alphanumeric(17));
        if status.is_server_error() {
            tracing::warn!(error_id = %id, code, "API request failed");
        } else {
            tracing::info!(error_id = %id, code, "API request refused");
        }
        let mut response = HttpResponse::build(*status);
        if let Some(seconds) = retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(ErrorBody {
            error: ErrorDetails {
                id,
                code: (*code).to_owned(),
                message: message.clone(),
                docs: DOCS.to_owned(),
                time: SystemClock.now(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProcessStatus;
    use crate::domain::accounts::{AccountError, Permission};

    fn api(error: impl Into<FacadeError>) -> (u16, &'static str) {
        let error = ApiError::from(error.into());
        (error.status_code().as_u16(), error.code().expect("a body"))
    }

    #[test]
    fn domain_refusals_keep_the_backbones_codes_and_statuses() {
        assert_eq!(
            api(DomainError::ActiveProcessAlreadyExists),
            (400, ONLY_ONE_ACTIVE_PROCESS)
        );
        let status = DomainError::NotInRequiredStatus {
            required: ProcessStatus::WaitingForApproval,
            actual: ProcessStatus::Approved,
        };
        assert_eq!(api(status), (400, NOT_IN_REQUIRED_STATUS));
        assert_eq!(
            api(DomainError::NoApprovedProcess),
            (400, NOT_IN_REQUIRED_STATUS)
        );
        assert_eq!(
            api(DomainError::GracePeriodHasAlreadyExpired),
            (
                400,
                "error.platform.validation.device.gracePeriodHasAlreadyExpired"
            )
        );
        assert_eq!(
            api(DomainError::RecordNotFound("identity")),
            (404, RECORD_NOT_FOUND)
        );
        assert_eq!(
            api(AccountError::Forbidden(Permission::StartDeletion)),
            (403, FORBIDDEN)
        );
        assert_eq!(
            api(FacadeError::Throttled { seconds: 60 }),
            (429, QUOTA_EXHAUSTED)
        );
        assert_eq!(api(FacadeError::Internal("boom".into())), (500, UNEXPECTED));
    }

    #[test]
    fn an_error_body_has_every_field() {
        let response = ApiError::not_found("identity").error_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = actix_web::body::to_bytes(response.into_body());
        let body = futures_executor(body);
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        let error = &json["error"];
        let id = error["id"].as_str().expect("an id");
        assert!(id.starts_with("ERR") && id.len() == 20, "{id}");
        assert_eq!(error["code"], RECORD_NOT_FOUND);
        assert!(error["time"].as_str().expect("a time").ends_with('Z'));
        assert!(
            error["docs"]
                .as_str()
                .expect("docs")
                .starts_with("/docs/v1/")
        );
    }

    #[test]
    fn unauthorized_has_no_body() {
        let response = ApiError::Unauthorized.error_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body = futures_executor(actix_web::body::to_bytes(response.into_body()));
        assert!(body.is_empty());
    }

    fn futures_executor<
        F: std::future::Future<Output = Result<actix_web::web::Bytes, E>>,
        E: std::fmt::Debug,
    >(
        future: F,
    ) -> actix_web::web::Bytes {
        actix_web::rt::System::new()
            .block_on(future)
            .expect("a body")
    }
}
