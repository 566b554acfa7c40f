//! Registration (`docs/consumer-api.md`): a challenge, then the identity with its first
//! device; and `IsDeleted`, which an app asks when its device can no longer sign in.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::MaybeBearer;
use super::empty_body;
use super::views::{ChallengeView, CreateIdentityRequest, CreatedIdentityView, IsDeletedView};
use crate::domain::DeviceUsername;
use crate::facade::deleted_identities::deletion_state;
use crate::facade::registration::Registration;
use crate::web::AppState;
use crate::web::api::envelope::{created, ok};
use crate::web::api::{ApiError, Created, Success, blocking};
use crate::web::sign_in::client_network;

/// A new challenge, valid for 10 minutes.
#[utoipa::path(
    post, path = "/api/v1/Challenges", tag = "Registration",
    request_body(content = Object, description = "`{}` (or no body)"),
    responses(
        (status = 201, description = "The challenge", body = Created<ChallengeView>),
        (status = 400, description = "A body that is not `{}`", body = crate::web::api::error::ErrorBody),
        (status = 401, description = "A bearer token was sent, but it is unknown or expired"),
    ),
    security((), ("bearer" = []))
)]
pub async fn create_challenge(
    state: web::Data<AppState>,
    by: MaybeBearer,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    empty_body(&body)?;
    let registrations = state.registrations.clone();
    let challenge = blocking(move || registrations.create_challenge(by.0.as_ref())).await?;
    Ok(created(ChallengeView::from(challenge)))
}

/// Creates an identity whose address is derived from `identityPublicKey`, with its first
/// device.
#[utoipa::path(
    post, path = "/api/v1/Identities", tag = "Registration",
    request_body = CreateIdentityRequest,
    responses(
        (status = 201, description = "The identity and its device", body = Created<CreatedIdentityView>),
        (status = 400, description = "`error.platform.unauthorized` (client), `…device.invalidSignature`, \
            `…device.challengeHasExpired`, `…device.addressAlreadyExists`, \
            `…device.clientReachedIdentitiesLimit`, `…invalidPropertyValue`, `…inputCannotBeParsed`",
            body = crate::web::api::error::ErrorBody),
        (status = 404, description = "Unknown challenge", body = crate::web::api::error::ErrorBody),
    ),
    security(())
)]
pub async fn create_identity(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CreateIdentityRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let network = client_network(&req, &state.trusted_proxies);
    let registration = Registration {
        client_id: body.client_id,
        client_secret: body.client_secret,
        identity_public_key: body.identity_public_key,
        device_password: body.device_password,
        identity_version: body.identity_version,
        challenge: body.signed_challenge.challenge,
        signature: body.signed_challenge.signature,
    };
    let registered = state.registrations.register(registration, network).await?;
    tracing::info!("identity registered through the Consumer API");
    Ok(created(CreatedIdentityView::from(registered)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IsDeletedQuery {
    /// A device username.
    username: String,
}

/// Whether the identity of a device username is deleted (or being deleted), and since when.
#[utoipa::path(
    get, path = "/api/v1/Identities/IsDeleted", tag = "Registration",
    params(IsDeletedQuery),
    responses(
        (status = 200, description = "The answer", body = Success<IsDeletedView>),
        (status = 400, description = "No or a malformed username", body = crate::web::api::error::ErrorBody),
        (status = 404, description = "No identity ever had that username", body = crate::web::api::error::ErrorBody),
    ),
    security(())
)]
pub async fn is_deleted(
    state: web::Data<AppState>,
    query: web::Query<IsDeletedQuery>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let username = query.into_inner().username;
    let found = blocking(move || deletion_state(&core, &DeviceUsername::parse(&username)?)).await?;
    Ok(ok(IsDeletedView {
        is_deleted: found.is_deleted,
        deletion_date: found.deletion_date,
    }))
}
