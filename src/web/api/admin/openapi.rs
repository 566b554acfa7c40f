//! The Admin API's part of the OpenAPI document: its paths (from the handlers'
//! `#[utoipa::path]`), its schemas, the key every operation needs and the answers every
//! operation may give because of it (401, 429), and the links between operations that
//! let a client (and schemathesis' stateful tests) go from a list to an identity, and from
//! a started process to reading and cancelling it.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{identities, processes, views};
use crate::web::api::openapi::API_KEY_SCHEME;

#[derive(OpenApi)]
#[openapi(
    paths(
        identities::list,
        identities::show,
        processes::start,
        processes::list,
        processes::audit_logs,
        processes::show,
        processes::cancel,
    ),
    components(schemas(
        views::IdentitySummary,
        views::IdentityDetails,
        views::Process,
        views::AuditLogEntry,
    )),
    tags(
        (name = "Identities", description = "Admin API: find identities and read them with their devices."),
        (name = "Deletion processes", description = "Admin API: start, read and cancel deletion processes as support; read audit logs."),
    ),
    modifiers(&KeyedOperations, &Links)
)]
pub struct AdminApi;

/// The document of the Admin API, its paths under [`super::BASE`].
pub fn document() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApi::default().nest(super::BASE, AdminApi::openapi())
}

/// What the path and query parameters accept, as patterns: an address or process ID the
/// parsers accept (`IdentityAddress::parse`, `DeletionProcessId::parse`; ports left out), and
/// search text without the control characters every request is refused for
/// (`web::input_hygiene`). Anything else is answered 400.
const PARAMETER_PATTERNS: [(&str, &str); 3] = [
    (
        "address",
        r"^did:e:[a-z0-9]([a-z0-9.-]*[a-z0-9])?:dids:[0-9a-f]{22}$",
    ),
    ("id", r"^IDP[A-Za-z0-9]{17}$"),
    (
        "q",
        r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
    ),
];

/// Every operation needs the key, may answer 401 (no valid key: empty body) and 429 (the
/// key's requests of this minute are used up), and says what its parameters accept.
struct KeyedOperations;

impl Modify for KeyedOperations {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                for parameter in operation.parameters.iter_mut().flatten() {
                    let RefOr::T(parameter) = parameter else {
                        continue;
                    };
                    let pattern = PARAMETER_PATTERNS
                        .iter()
                        .find(|(name, _)| *name == parameter.name);
                    if let Some((_, pattern)) = pattern {
                        parameter.schema = Some(
                            ObjectBuilder::new()
                                .schema_type(utoipa::openapi::Type::String)
                                .pattern(Some(*pattern))
                                .into(),
                        );
                    }
                }
                operation.security = Some(vec![SecurityRequirement::new(
                    API_KEY_SCHEME,
                    Vec::<String>::new(),
                )]);
                let responses = &mut operation.responses.responses;
                responses.insert("401".into(), RefOr::T(unauthorized()));
                responses.insert("429".into(), RefOr::T(too_many()));
            }
        }
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [item.get.as_mut(), item.post.as_mut(), item.put.as_mut()]
        .into_iter()
        .flatten()
}

fn unauthorized() -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description("No `X-API-KEY`, or an unknown, revoked or expired key, or its account is disabled (empty body)")
        .build()
}

fn too_many() -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(
            "The key's requests of this minute are used up (`error.platform.quotaExhausted`)",
        )
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer),
                ))
                .description(Some("Seconds until the key may send again"))
                .build(),
        )
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "ErrorBody",
                ))))
                .build(),
        )
        .build()
}

/// Operation IDs of the handlers' `#[utoipa::path]`.
const LIST_IDENTITIES: &str = "listIdentities";
const GET_IDENTITY: &str = "getIdentity";
const START: &str = "startDeletionProcess";
const LIST_PROCESSES: &str = "listDeletionProcesses";
const GET_PROCESS: &str = "getDeletionProcess";
const CANCEL: &str = "cancelDeletionProcess";
const AUDIT_LOGS: &str = "getAuditLogs";

/// A link: from the `status` response of operation `from`, on to operation `to`, with its
/// parameters (name, runtime expression).
struct LinkSpec {
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
}

const FIRST_IDENTITY: &str = "$response.body#/result/0/address";
const PATH_ADDRESS: &str = "$request.path.address";
const NEW_PROCESS: &str = "$response.body#/result/id";

const LINKS: &[LinkSpec] = &[
    link(
        LIST_IDENTITIES,
        "200",
        GET_IDENTITY,
        &[("address", FIRST_IDENTITY)],
    ),
    link(
        LIST_IDENTITIES,
        "200",
        START,
        &[("address", FIRST_IDENTITY)],
    ),
    link(
        GET_IDENTITY,
        "200",
        LIST_PROCESSES,
        &[("address", PATH_ADDRESS)],
    ),
    link(
        GET_IDENTITY,
        "200",
        AUDIT_LOGS,
        &[("address", PATH_ADDRESS)],
    ),
    link(
        START,
        "201",
        GET_PROCESS,
        &[("address", PATH_ADDRESS), ("id", NEW_PROCESS)],
    ),
    link(
        START,
        "201",
        CANCEL,
        &[("address", PATH_ADDRESS), ("id", NEW_PROCESS)],
    ),
    link(
        CANCEL,
        "200",
        GET_PROCESS,
        &[("address", PATH_ADDRESS), ("id", "$request.path.id")],
    ),
];

const fn link(
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
) -> LinkSpec {
    LinkSpec {
        from,
        status,
        to,
        parameters,
    }
}

/// The links: from each response, the operations a client can go on with, and where their
/// parameters come from.
struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for spec in LINKS {
            let Some(response) = response_of(openapi, spec.from, spec.status) else {
                continue;
            };
            let link = spec.parameters.iter().fold(
                LinkBuilder::new().operation_id(spec.to),
                |link, (name, value)| link.parameter(*name, serde_json::json!(value)),
            );
            response
                .links
                .insert(spec.to.to_owned(), RefOr::T(link.build()));
        }
    }
}

fn response_of<'a>(
    openapi: &'a mut utoipa::openapi::OpenApi,
    operation_id: &str,
    status: &str,
) -> Option<&'a mut utoipa::openapi::Response> {
    openapi
        .paths
        .paths
        .values_mut()
        .flat_map(operations)
        .find(|operation| operation.operation_id.as_deref() == Some(operation_id))
        .and_then(|operation| operation.responses.responses.get_mut(status))
        .and_then(|response| match response {
            RefOr::T(response) => Some(response),
            RefOr::Ref(_) => None,
        })
}

#[cfg(test)]
mod tests {
    use crate::domain::{DeletionProcessId, IdentityAddress};

    #[test]
    fn what_the_patterns_describe_the_parsers_accept() {
        let address = super::PARAMETER_PATTERNS[0].1;
        assert!(address.starts_with("^did:e:") && address.ends_with("{22}$"));
        for good in [
            "did:e:localhost:dids:0123456789abcdef012345",
            "did:e:a.b-c:dids:0123456789abcdef012345",
        ] {
            assert!(IdentityAddress::parse(good).is_ok(), "{good}");
        }
        assert!(DeletionProcessId::parse("IDP0123456789abcdefg").is_ok());
    }

    #[test]
    fn every_operation_needs_the_key_and_starts_link_on() {
        let json = serde_json::to_value(super::document()).expect("JSON");
        let paths = json["paths"].as_object().expect("paths");
        assert_eq!(paths.len(), 6, "{:?}", paths.keys());
        for (path, item) in paths {
            assert!(path.starts_with("/admin/api/v1/Identities"), "{path}");
            for (method, operation) in item.as_object().unwrap() {
                assert_eq!(
                    operation["security"][0]["apiKey"],
                    serde_json::json!([]),
                    "{method} {path}"
                );
                assert!(operation["responses"]["401"].is_object());
            }
        }
        let start = &paths["/admin/api/v1/Identities/{address}/DeletionProcesses"]["post"];
        let links = &start["responses"]["201"]["links"];
        assert_eq!(
            links["getDeletionProcess"]["parameters"]["id"],
            "$response.body#/result/id"
        );
        assert_eq!(
            links["cancelDeletionProcess"]["operationId"],
            "cancelDeletionProcess"
        );
    }
}
