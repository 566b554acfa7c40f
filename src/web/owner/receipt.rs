//! The owner's deletion receipt: a printable page with what was asked for, when, by whom,
//! when the deletion is due, and the server-signed receipt code (`facade::receipts`).

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::domain::DeletionProcessId;
use crate::facade::receipts::AskedBy;
use crate::web::auth::AsOwner;
use crate::web::error::WebError;
use crate::web::format::{DateView, date};
use crate::web::i18n::key;
use crate::web::layout::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "owner/receipt.html")]
pub struct ReceiptPage {
    layout: Layout,
    process_id: String,
    address: String,
    asked_at: DateView,
    asked_by: String,
    approved_at: DateView,
    deletion_due: Option<DateView>,
    code: String,
}

/// Only for the owner's own process, once its deletion was approved; anything else is
/// "not found".
pub async fn page(owner: AsOwner, id: web::Path<String>) -> Result<ReceiptPage, WebError> {
    let id = DeletionProcessId::parse(&id)?;
    let (visit, receipt) = owner
        .run(move |core, user| core.receipts().receipt(&user.owner, &id))
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    Ok(ReceiptPage {
        layout: visit.titled("owner-receipt-title"),
        process_id: receipt.process_id.to_string(),
        address: receipt.address.to_string(),
        asked_at: date(receipt.asked_at, now, lang),
        asked_by: lang.t(match receipt.asked_by {
            AskedBy::Support => key("owner-receipt-by-support"),
            AskedBy::Owner => key("owner-receipt-by-you"),
        }),
        approved_at: date(receipt.approved_at, now, lang),
        deletion_due: receipt.grace_period_ends_at.map(|at| date(at, now, lang)),
        code: receipt.code.to_string(),
    })
}
