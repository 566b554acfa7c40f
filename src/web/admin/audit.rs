//! Looking up the audit log by identity address, also after the identity is gone.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{CustomizeResponder, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::views::AuditRow;
use crate::domain::IdentityAddress;
use crate::web::auth::AdminUser;
use crate::web::error::WebError;
use crate::web::layout::Layout;
use crate::web::{AppState, blocking};

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
    admin: AdminUser,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<LookupQuery>,
) -> Result<CustomizeResponder<AuditPage>, WebError> {
    let typed = query.into_inner().address.trim().to_owned();
    let mut page = AuditPage {
        layout: Layout::new(&session, "Audit log", Some(&admin.principal())),
        address: typed.clone(),
        error: None,
        entries: None,
    };
    if typed.is_empty() {
        return Ok(page.customize());
    }
    // Shown beside the form, so the admin can correct what they typed.
    let address = match IdentityAddress::parse(&typed) {
        Ok(address) => address,
        Err(error) => {
            page.error = Some(error.message());
            return Ok(page.customize().with_status(StatusCode::BAD_REQUEST));
        }
    };
    let facade = state.facade.clone();
    let entries = blocking(move || facade.audit_log_by_address(&address)).await?;
    page.entries = Some(AuditRow::all(&entries, state.facade.now()));
    Ok(page.customize())
}
