//! A deletion process with its audit log, cancelling one as support, and the list of all.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::presentation::{AuditRow, Field, ProcessRow, Step, process_fields, timeline};
use super::{
    PAGE_SIZE, Pager, identity_url, parse_address, parse_cursor, parse_optional, parse_process_id,
    process_url, redirect_with_outcome,
};
use crate::domain::{DeletionProcessId, IdentityAddress, ProcessStatus};
use crate::web::auth::AsAdmin;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::i18n::Arg;
use crate::web::layout::Layout;

fn parse_path(path: &(String, String)) -> Result<(IdentityAddress, DeletionProcessId), WebError> {
    Ok((parse_address(&path.0)?, parse_process_id(&path.1)?))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/process.html")]
pub struct ProcessPage {
    layout: Layout,
    id: String,
    address: String,
    identity_url: String,
    url: String,
    status: ProcessStatus,
    /// What happened and what comes next.
    steps: Vec<Step>,
    /// Every field, folded away below the timeline.
    fields: Vec<Field>,
    audit: Vec<AuditRow>,
    can_cancel: bool,
}

pub async fn show(
    admin: AsAdmin,
    path: web::Path<(String, String)>,
) -> Result<ProcessPage, WebError> {
    let (address, id) = parse_path(&path)?;
    let (visit, ((process, actions), entries, retention)) = admin
        .run(move |core, admin| {
            let process = core
                .processes()
                .process_for_admin(admin.role, &address, &id)?;
            let entries = core.audit_log().audit_log_of(&process.0)?;
            Ok((process, entries, core.periods().retention))
        })
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    Ok(ProcessPage {
        layout: visit.layout(lang.t_args(
            "process-title",
            &[("id", Arg::from(process.id.to_string()))],
        )),
        id: process.id.to_string(),
        address: process.identity_address.to_string(),
        identity_url: identity_url(&process.identity_address),
        url: process_url(&process.identity_address, &process.id),
        status: process.status,
        steps: timeline(&process, now, lang, retention),
        fields: process_fields(&process, now, lang),
        audit: AuditRow::all(&entries, now, lang),
        can_cancel: actions.may_cancel(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/cancel_confirm.html")]
pub struct ConfirmCancelPage {
    layout: Layout,
    process: ProcessRow,
}

/// The confirmation step before support cancels (works without JavaScript).
pub async fn confirm_cancel(
    admin: AsAdmin,
    path: web::Path<(String, String)>,
) -> Result<ConfirmCancelPage, WebError> {
    let (address, id) = parse_path(&path)?;
    let (visit, (process, actions)) = admin
        .run(move |core, admin| {
            core.processes()
                .process_for_admin(admin.role, &address, &id)
        })
        .await?;
    // Confirm only what can succeed, refusing as the POST would (the POST checks again).
    actions.cancel()?;
    Ok(ConfirmCancelPage {
        layout: visit.titled("cancel-title"),
        process: ProcessRow::new(&process, visit.now, visit.lang),
    })
}

pub async fn cancel(
    admin: AsAdmin,
    path: web::Path<(String, String)>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let (address, id) = parse_path(&path)?;
    let back = process_url(&address, &id);
    let session = admin.session().clone();
    let lang = session.lang();
    let outcome = admin
        .run(move |core, admin| {
            core.processes()
                .cancel_as_support(&address, &id, &admin.username)
        })
        .await
        .map(|(_, process)| process);
    redirect_with_outcome(&session, &back, outcome, |process| {
        lang.t_args("cancel-done", &[("id", Arg::from(process.id.to_string()))])
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    after: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/processes.html")]
pub struct ProcessesPage {
    layout: Layout,
    status: String,
    statuses: &'static [ProcessStatus],
    rows: Vec<ProcessRow>,
    pager: Pager,
}

pub async fn list(admin: AsAdmin, query: web::Query<ListQuery>) -> Result<ProcessesPage, WebError> {
    let ListQuery { status, after } = query.into_inner();
    let filter = parse_optional(Some(&status), ProcessStatus::parse)?;
    let after = parse_cursor(after.as_deref())?;
    let is_first = after.is_none();
    let (visit, page) = admin
        .run(move |core, _| {
            core.processes()
                .list_processes(filter, after.as_ref(), PAGE_SIZE)
        })
        .await?;
    let path = "/admin/deletion-processes";
    let filters = [("status", status.as_str())];
    Ok(ProcessesPage {
        layout: visit.titled("processes-title"),
        rows: ProcessRow::all(&page.items, visit.now, visit.lang),
        pager: Pager::new(path, &filters, is_first, page.next.as_ref()),
        statuses: ProcessStatus::ALL,
        status,
    })
}
