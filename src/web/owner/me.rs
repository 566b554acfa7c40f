//! `/me`: the identity, its open deletion process in words with the actions that apply,
//! and the notices from the outbox.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::presentation::{self, NoticeView, ProcessView};
use crate::domain::{GraceLength, IdentityStatus};
use crate::web::AppState;
use crate::web::auth::AsOwner;
use crate::web::error::WebError;
use crate::web::format::date;
use crate::web::layout::Layout;

/// Notices shown; older ones are of no use to the owner.
const NOTICES: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "owner/me.html")]
pub struct MePage {
    layout: Layout,
    address: String,
    status: IdentityStatus,
    status_label: &'static str,
    status_words: &'static str,
    open: Option<ProcessView>,
    default_grace_days: u16,
    min_grace_days: u16,
    max_grace_days: u16,
    notices: Vec<NoticeView>,
}

pub async fn page(owner: AsOwner, state: web::Data<AppState>) -> Result<MePage, WebError> {
    let (visit, home) = owner
        .run(|core, user| core.identities().owner_home(&user.owner.address, NOTICES))
        .await?;
    let (identity, open, notices) = (home.identity, home.open_process, home.notices);
    let now = visit.now;
    let grace = state.core.periods().grace;
    let (status_label, status_words) = presentation::identity_status(identity.status);
    let user = &visit.user;
    Ok(MePage {
        layout: visit.layout("My identity"),
        address: identity.address.to_string(),
        status: identity.status,
        status_label,
        status_words,
        open: open.map(|process| ProcessView::new(&process, now, &user.owner.device_id)),
        default_grace_days: grace.days(),
        min_grace_days: GraceLength::MIN_DAYS,
        max_grace_days: GraceLength::MAX_DAYS,
        notices: notices
            .into_iter()
            .map(|n| NoticeView {
                at: date(n.created_at, now),
                text: presentation::notice(n.kind, &n.payload, now),
            })
            .collect(),
    })
}
