//! `/me`: the identity, its open deletion process in words with the actions that apply,
//! and the notices from the outbox.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::with_facade;
use super::words::{self, NoticeView, ProcessView};
use crate::domain::{GraceLength, IdentityStatus};
use crate::web::AppState;
use crate::web::auth::OwnerUser;
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

pub async fn page(
    user: OwnerUser,
    session: Session,
    state: web::Data<AppState>,
) -> Result<MePage, WebError> {
    let address = user.owner.address.clone();
    let home = with_facade(&state, move |facade| facade.owner_home(&address, NOTICES)).await?;
    let (identity, open, notices) = (home.identity, home.open_process, home.notices);
    let now = state.facade.now();
    let grace = state.facade.periods().grace;
    let (status_label, status_words) = words::identity_status(identity.status);
    Ok(MePage {
        layout: Layout::new(&session, "My identity", Some(&user.principal())),
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
                text: words::notice(n.kind, &n.payload, now),
            })
            .collect(),
    })
}
