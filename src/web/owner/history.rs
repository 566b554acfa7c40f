//! The owner's own deletion processes: the list and one process's story.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::words::{self, Fact, ProcessView};
use crate::domain::DeletionProcessId;
use crate::web::auth::AsOwner;
use crate::web::error::WebError;
use crate::web::layout::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "owner/history.html")]
pub struct HistoryPage {
    layout: Layout,
    processes: Vec<ProcessView>,
}

pub async fn list(owner: AsOwner) -> Result<HistoryPage, WebError> {
    let (visit, processes) = owner
        .run(|facade, user| facade.processes_of(&user.owner.address))
        .await?;
    let own = &visit.user.owner.device_id;
    Ok(HistoryPage {
        layout: visit.layout("Deletion history"),
        processes: processes
            .iter()
            .map(|process| ProcessView::new(process, visit.now, own))
            .collect(),
    })
}

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
        .run(move |facade, user| facade.process(&user.owner.address, &id))
        .await?;
    let (now, own) = (visit.now, &visit.user.owner.device_id);
    Ok(ProcessPage {
        layout: visit.layout("Deletion process"),
        process: ProcessView::new(&process, now, own),
        facts: words::facts(&process, now, own),
    })
}
