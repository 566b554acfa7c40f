//! Looking up the audit log by identity address, also after the identity is gone.

use actix_web::http::StatusCode;
use actix_web::{CustomizeResponder, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::presentation::AuditRow;
use crate::domain::IdentityAddress;
use crate::web::auth::AsAdmin;
use crate::web::error::WebError;
use crate::web::layout::Layout;

#[derive(Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    address: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    layout: Layout,
    address: String,
    /// What is wrong with the typed address (the page answers 400).
    error: Option<String>,
    /// None until an address was typed.
    entries: Option<Vec<AuditRow>>,
}

pub async fn lookup(
    admin: AsAdmin,
    query: web::Query<LookupQuery>,
) -> Result<CustomizeResponder<AuditPage>, WebError> {
    let typed = query.into_inner().address.trim().to_owned();
    // An address that does not parse is shown beside the form, so the admin can correct
    // what they typed; the session is checked all the same.
    let address = (!typed.is_empty()).then(|| IdentityAddress::parse(&typed));
    let wanted = address.clone().and_then(Result::ok);
    let (visit, entries) = admin
        .run(move |core, _| {
            wanted
                .map(|a| core.audit_log().audit_log_by_address(&a))
                .transpose()
        })
        .await?;
    let mut page = AuditPage {
        layout: visit.titled("audit-title"),
        address: typed,
        error: None,
        entries: entries.map(|entries| AuditRow::all(&entries, visit.now, visit.lang)),
    };
    if let Some(Err(error)) = address {
        page.error = Some(visit.lang.report(&error.report()));
        return Ok(page.customize().with_status(StatusCode::BAD_REQUEST));
    }
    Ok(page.customize())
}
