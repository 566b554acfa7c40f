//! The owner's own deletion processes: the list and one process's story.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::presentation::{self, Fact, ProcessView};
use crate::domain::DeletionProcessId;
use crate::facade::read::{PageCursor, ProcessCursor};
use crate::web::auth::AsOwner;
use crate::web::error::WebError;
use crate::web::layout::Layout;

/// Processes per page of the history.
const PAGE_SIZE: usize = 25;

#[derive(Template, WebTemplate)]
#[template(path = "owner/history.html")]
pub struct HistoryPage {
    layout: Layout,
    processes: Vec<ProcessView>,
    /// Not the first page: link back to it.
    first_url: Option<String>,
    next_url: Option<String>,
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    after: Option<String>,
}

pub async fn list(
    owner: AsOwner,
    query: web::Query<HistoryQuery>,
) -> Result<HistoryPage, WebError> {
    let after = query
        .after
        .as_deref()
        .filter(|token| !token.is_empty())
        .map(ProcessCursor::parse)
        .transpose()?;
    let is_first = after.is_none();
    let (visit, page) = owner
        .run(move |core, user| {
            core.processes()
                .processes_page_of(&user.owner.address, after.as_ref(), PAGE_SIZE)
        })
        .await?;
    let own = &visit.user.owner.device_id;
    let next_url = page.next.map(|cursor| {
        let query = serde_urlencoded::to_string([("after", cursor.encode())]).unwrap_or_default();
        format!("{HISTORY}?{query}")
    });
    Ok(HistoryPage {
        layout: visit.titled("owner-history-title"),
        processes: page
            .items
            .iter()
            .map(|process| ProcessView::new(process, visit.now, own, visit.lang))
            .collect(),
        first_url: (!is_first).then(|| HISTORY.to_owned()),
        next_url,
    })
}

const HISTORY: &str = "/me/deletion-processes";

#[derive(Template, WebTemplate)]
#[template(path = "owner/process.html")]
pub struct ProcessPage {
    layout: Layout,
    process: ProcessView,
    facts: Vec<Fact>,
}

/// Someone else's process is "not found", exactly like one that does not exist.
pub async fn details(owner: AsOwner, id: web::Path<String>) -> Result<ProcessPage, WebError> {
    let id = DeletionProcessId::parse(&id)?;
    let (visit, process) = owner
        .run(move |core, user| core.processes().process(&user.owner.address, &id))
        .await?;
    let (now, own, lang) = (visit.now, &visit.user.owner.device_id, visit.lang);
    Ok(ProcessPage {
        layout: visit.titled("owner-process-title"),
        process: ProcessView::new(&process, now, own, lang),
        facts: presentation::facts(&process, now, own, lang),
    })
}
