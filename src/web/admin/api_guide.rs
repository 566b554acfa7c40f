//! `/admin/api`: how to use the Admin API, for any signed-in admin. It says how to get a
//! key and lists every Admin API endpoint from the same OpenAPI document the server serves
//! (`/docs/v1/openapi.json`), each with a curl example against this server.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::accounts::Role;
use crate::web::api::admin::{API_KEY_HEADER, BASE};
use crate::web::auth::AsAdmin;
use crate::web::error::WebError;
use crate::web::i18n::key;
use crate::web::layout::Layout;
use crate::web::{BrowserCache, html_page};

/// One endpoint as the guide shows it.
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    /// Who may call it: a message key.
    pub roles: &'static str,
    pub curl: String,
    /// The statuses it answers with, and why.
    pub answers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/api_guide.html")]
pub struct GuidePage {
    layout: Layout,
    base_url: String,
    role: Role,
    endpoints: Vec<Endpoint>,
}

pub async fn show(req: HttpRequest, admin: AsAdmin) -> Result<HttpResponse, WebError> {
    let (visit, ()) = admin.run(|_, _| Ok(())).await?;
    let info = req.connection_info();
    let base_url = format!("{}://{}{BASE}", info.scheme(), info.host());
    let document: serde_json::Value =
        serde_json::from_str(crate::web::api::openapi::document_json())
            .map_err(|e| WebError::Internal(e.to_string()))?;
    html_page(
        StatusCode::OK,
        BrowserCache::Allowed,
        GuidePage {
            layout: visit.titled("api-guide-title"),
            endpoints: endpoints(&document, &base_url),
            base_url,
            role: visit.user.role,
        },
    )
}

/// The Admin API's operations in the document, in its order.
pub fn endpoints(document: &serde_json::Value, base_url: &str) -> Vec<Endpoint> {
    let Some(paths) = document["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|(path, item)| Some((path.strip_prefix(BASE)?, item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter()
                .map(move |(method, operation)| endpoint(path, method, operation, base_url))
        })
        .collect()
}

fn endpoint(path: &str, method: &str, operation: &serde_json::Value, base_url: &str) -> Endpoint {
    let method = method.to_uppercase();
    let changes = method != "GET";
    let example_path = path
        .replace("{address}", "$ADDRESS")
        .replace("{id}", "$PROCESS_ID");
    let query = if path == "/Identities" {
        "?PageNumber=1&PageSize=50&q=did:e:"
    } else {
        ""
    };
    let method_flag = if changes {
        format!(" -X {method}")
    } else {
        String::new()
    };
    let answers = operation["responses"]
        .as_object()
        .map(|responses| {
            responses
                .iter()
                .map(|(status, r)| {
                    (
                        status.clone(),
                        r["description"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Endpoint {
        summary: operation["summary"]
            .as_str()
            .or(operation["description"].as_str())
            .unwrap_or("")
            .to_owned(),
        roles: if changes {
            key("api-guide-roles-changing")
        } else {
            key("api-guide-roles-all")
        },
        curl: format!(
            "curl{method_flag} -H \"{API_KEY_HEADER}: $KEY\" \"{base_url}{example_path}{query}\""
        ),
        answers,
        path: path.to_owned(),
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_admin_endpoint_gets_a_curl_example() {
        let document: serde_json::Value =
            serde_json::from_str(crate::web::api::openapi::document_json()).unwrap();
        let endpoints = endpoints(&document, "http://h/admin/api/v1");
        let listed: Vec<String> = endpoints
            .iter()
            .map(|e| format!("{} {}", e.method, e.path))
            .collect();
        assert!(
            listed.contains(&"PUT /Identities/{address}/DeletionProcesses/{id}/Cancel".to_owned()),
            "{listed:?}"
        );
        assert_eq!(endpoints.len(), 7, "{listed:?}");
        let cancel = endpoints.iter().find(|e| e.method == "PUT").unwrap();
        assert_eq!(
            cancel.curl,
            "curl -X PUT -H \"X-API-KEY: $KEY\" \"http://h/admin/api/v1/Identities/$ADDRESS/DeletionProcesses/$PROCESS_ID/Cancel\""
        );
        assert_eq!(cancel.roles, "api-guide-roles-changing");
        assert!(cancel.answers.iter().any(|(status, _)| status == "403"));
    }
}
