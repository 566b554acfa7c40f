//! Bad input on the API: a body that is not JSON (or not JSON at all), JSON of the wrong
//! shape, a body over the limit, an odd path or query. Each is a 400 error body with
//! `error.platform.inputCannotBeParsed` (an ID of the wrong shape: `invalidId`), never a
//! page, never a 500.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web;

use super::error::ApiError;
use crate::domain::DomainError;

/// Largest JSON body accepted (the largest request, a registration, is under 2 KiB).
pub const JSON_LIMIT: usize = crate::web::BODY_LIMIT;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        // The platform's client sends `application/json; charset=utf-8`; a body of another
        // type is refused as unreadable, like a broken one.
        .content_type_required(true)
        .error_handler(|error, _| json_error(&error).into())
}

fn json_error(error: &JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::cannot_be_parsed(format!("it is larger than {JSON_LIMIT} bytes"))
        }
        JsonPayloadError::ContentType => {
            ApiError::cannot_be_parsed("it must be JSON (Content-Type: application/json)")
        }
        JsonPayloadError::Deserialize(why) => ApiError::cannot_be_parsed(why),
        other => ApiError::cannot_be_parsed(other),
    }
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error: PathError, _| {
        ApiError::cannot_be_parsed(format!("the address is not valid: {error}")).into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error: QueryPayloadError, _| {
        ApiError::cannot_be_parsed(format!("the query is not valid: {error}")).into()
    })
}

/// Parses an ID from the path or body; one of the wrong shape is `invalidId`.
pub fn id<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Result<T, ApiError> {
    parse(value).map_err(|error| ApiError::invalid_id(&error))
}
