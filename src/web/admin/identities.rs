//! Finding identities, an identity's page, and starting a deletion process as support.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::presentation::ProcessRow;
use super::{
    PAGE_SIZE, Pager, identity_url, parse_address, parse_cursor, parse_optional,
    redirect_with_outcome,
};
use crate::domain::{DeviceUsername, IdentityStatus, ProcessStatus};
use crate::facade::models::DeviceSummary;
use crate::facade::read::IdentityFilter;
use crate::web::AppState;
use crate::web::auth::AsAdmin;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::format::{DateView, date, day, opt_date};
use crate::web::i18n::{Arg, Lang};
use crate::web::layout::Layout;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    after: Option<String>,
}

pub struct IdentityListRow {
    address: String,
    url: String,
    status: IdentityStatus,
    created: DateView,
    open_process: Option<ProcessStatus>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/identities.html")]
pub struct IdentitiesPage {
    layout: Layout,
    q: String,
    status: String,
    statuses: &'static [IdentityStatus],
    rows: Vec<IdentityListRow>,
    pager: Pager,
}

pub async fn list(
    admin: AsAdmin,
    query: web::Query<SearchQuery>,
) -> Result<IdentitiesPage, WebError> {
    let SearchQuery { q, status, after } = query.into_inner();
    let filter = IdentityFilter {
        query: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        status: parse_optional(Some(&status), IdentityStatus::parse)?,
    };
    let after = parse_cursor(after.as_deref())?;
    let is_first = after.is_none();
    let (visit, page) = admin
        .run(move |core, _| {
            core.identities()
                .search_identities(&filter, after.as_ref(), PAGE_SIZE)
        })
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    let filters = [("q", q.as_str()), ("status", status.as_str())];
    let path = "/admin/identities";
    Ok(IdentitiesPage {
        layout: visit.titled("identities-title"),
        rows: page
            .items
            .iter()
            .map(|row| IdentityListRow {
                address: row.identity.address.to_string(),
                url: identity_url(&row.identity.address),
                status: row.identity.status,
                created: date(row.identity.created_at, now, lang),
                open_process: row.open_process_status,
            })
            .collect(),
        pager: Pager::new(path, &filters, is_first, page.next.as_ref()),
        statuses: IdentityStatus::ALL,
        q,
        status,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/identity.html")]
pub struct IdentityPage {
    layout: Layout,
    address: String,
    url: String,
    status: IdentityStatus,
    client_id: String,
    created: DateView,
    tier_id: String,
    tier_id_before_deletion: Option<String>,
    grace_period_ends: Option<DateView>,
    devices: Vec<DeviceRow>,
    processes: Vec<ProcessRow>,
    pager: Pager,
    /// The facade's answer: no open process, and the role may start one.
    can_start: bool,
}

/// A device as admins see it: never its password or hashes.
pub struct DeviceRow {
    id: String,
    username: DeviceUsername,
    created: DateView,
}

impl DeviceRow {
    fn new(device: &DeviceSummary, now: DateTime<Utc>, lang: Lang) -> Self {
        Self {
            id: device.id.to_string(),
            username: device.username.clone(),
            created: date(device.created_at, now, lang),
        }
    }
}

/// Processes per page on an identity's page; older ones are a page further.
const PROCESSES_PER_PAGE: usize = 20;

#[derive(Deserialize)]
pub struct ProcessesQuery {
    after: Option<String>,
}

pub async fn show(
    admin: AsAdmin,
    path: web::Path<String>,
    query: web::Query<ProcessesQuery>,
) -> Result<IdentityPage, WebError> {
    let address = parse_address(&path)?;
    let after = parse_cursor(query.after.as_deref())?;
    let is_first = after.is_none();
    let (visit, details) = admin
        .run(move |core, admin| {
            core.identities().identity_details(
                admin.role,
                &address,
                after.as_ref(),
                PROCESSES_PER_PAGE,
            )
        })
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    let identity = &details.identity;
    Ok(IdentityPage {
        layout: visit.layout(lang.t_args(
            "identity-title",
            &[("address", Arg::from(identity.address.to_string()))],
        )),
        address: identity.address.to_string(),
        url: identity_url(&identity.address),
        status: identity.status,
        client_id: identity.client_id.clone(),
        created: date(identity.created_at, now, lang),
        tier_id: identity.tier_id.clone(),
        tier_id_before_deletion: identity.tier_id_before_deletion.clone(),
        grace_period_ends: opt_date(identity.deletion_grace_period_ends_at, now, lang),
        devices: details
            .devices
            .iter()
            .map(|d| DeviceRow::new(d, now, lang))
            .collect(),
        processes: ProcessRow::all(&details.processes.items, now, lang),
        pager: Pager::new(
            &identity_url(&identity.address),
            &[],
            is_first,
            details.processes.next.as_ref(),
        ),
        can_start: details.actions.may_start(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/start_confirm.html")]
pub struct ConfirmStartPage {
    layout: Layout,
    address: String,
    url: String,
    /// "The owner will be asked to approve within 7 days (until …)": a count, in Rust.
    lead: String,
}

/// The confirmation step before a process is started (works without JavaScript). It
/// confirms only what can succeed, refusing as the POST would: an unknown identity is 404,
/// a role that may not start is 403, an identity with an open process is 409.
pub async fn confirm_start(
    admin: AsAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<ConfirmStartPage, WebError> {
    let address = parse_address(&path)?;
    let checked = address.clone();
    let (visit, actions) = admin
        .run(move |core, admin| core.identities().identity_actions(admin.role, &checked))
        .await?;
    actions.start()?;
    let approval = state.core.periods().approval;
    let lang = visit.lang;
    let days = approval.num_days();
    Ok(ConfirmStartPage {
        layout: visit.titled("start-title"),
        url: identity_url(&address),
        address: address.to_string(),
        lead: lang.t_args(
            "start-lead",
            &[
                ("count", Arg::from(days)),
                ("n", Arg::from(lang.number(days))),
                ("date", Arg::from(day(visit.now + approval, lang))),
            ],
        ),
    })
}

pub async fn start(
    admin: AsAdmin,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let address = parse_address(&path)?;
    let back = identity_url(&address);
    let session = admin.session().clone();
    let lang = session.lang();
    let outcome = admin
        .run(move |core, admin| core.processes().start_as_support(&address, &admin.username))
        .await
        .map(|(visit, process)| (visit.now, process));
    redirect_with_outcome(&session, &back, outcome, |(now, process)| {
        let id = ("id", Arg::from(process.id.to_string()));
        match process.approval_period_ends_at {
            Some(end) => lang.t_args(
                "start-started",
                &[id, ("until", Arg::from(date(end, now, lang).text))],
            ),
            None => lang.t_args("start-started-open", &[id]),
        }
    })
}
