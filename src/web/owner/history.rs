//! The owner's own deletion processes: the list and one process's story.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::with_facade;
use super::words::{self, Fact, ProcessView};
use crate::domain::DeletionProcessId;
use crate::web::AppState;
use crate::web::auth::OwnerUser;
use crate::web::error::WebError;
use crate::web::layout::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "owner/history.html")]
pub struct HistoryPage {
    layout: Layout,
    processes: Vec<ProcessView>,
}

pub async fn list(
    user: OwnerUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HistoryPage, WebError> {
    let address = user.owner.address.clone();
    let processes = with_facade(&state, move |facade| facade.processes_of(&address)).await?;
    let now = state.facade.now();
    Ok(HistoryPage {
        layout: Layout::new(&session, "Deletion history", Some(&user.principal())),
        processes: processes
            .iter()
            .map(|process| ProcessView::new(process, now, &user.owner.device_id))
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
pub async fn details(
    user: OwnerUser,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<ProcessPage, WebError> {
    let id = DeletionProcessId::parse(&id)?;
    let address = user.owner.address.clone();
    let process = with_facade(&state, move |facade| facade.process(&address, &id)).await?;
    let now = state.facade.now();
    let own = &user.owner.device_id;
    Ok(ProcessPage {
        layout: Layout::new(&session, "Deletion process", Some(&user.principal())),
        process: ProcessView::new(&process, now, own),
        facts: words::facts(&process, now, own),
    })
}
