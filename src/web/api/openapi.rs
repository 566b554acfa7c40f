//! The OpenAPI 3.1 document of both APIs, generated from the handlers and types (utoipa),
//! served at `GET /docs/v1/openapi.json`. A copy is committed as `docs/openapi.json`; a test
//! compares the two, so every change to the API shows in review.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::error::{ErrorBody, ErrorDetails};

/// The security scheme of the Admin API: a key of an admin account.
pub const API_KEY_SCHEME: &str = "apiKey";
/// The security scheme of the Consumer API: a token from `/connect/token`.
pub const BEARER_SCHEME: &str = "bearer";

/// What both APIs share: the error body and the two security schemes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Backbone Admin APIs",
        description = "The Consumer API (`/api/v1`, for identity owners' apps) and the Admin \
                       API (`/admin/api/v1`, for support tools). Successes are \
                       `{\"result\": …}`; failures are an `ErrorBody` with a stable `code`.",
        version = "1"
    ),
    components(schemas(ErrorBody, ErrorDetails)),
    modifiers(&SecuritySchemes)
)]
struct Common;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            API_KEY_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-KEY",
                "A key of an admin account, created on its account page; acts with the \
                 account's role.",
            ))),
        );
        components.add_security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token from `POST /connect/token` (password grant).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The whole document: the common part, and each door's paths merged into it.
pub fn build() -> utoipa::openapi::OpenApi {
    let mut whole = Common::openapi();
    whole.merge(super::consumer::ConsumerApi::openapi());
    whole.merge(super::admin::openapi::document());
    whole
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    build()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
});

/// The document as served (and committed as `docs/openapi.json`).
pub fn document_json() -> &'static str {
    &DOCUMENT
}

#[actix_web::get("/docs/v1/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document_json())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_openapi_3_1_with_both_schemes() {
        let json: serde_json::Value = serde_json::from_str(super::document_json()).expect("JSON");
        assert!(
            json["openapi"]
                .as_str()
                .expect("a version")
                .starts_with("3.1")
        );
        let schemes = &json["components"]["securitySchemes"];
        assert_eq!(schemes["apiKey"]["name"], "X-API-KEY");
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert!(json["components"]["schemas"]["ErrorBody"].is_object());
    }
}
