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
use crate::web::i18n::Arg;
use crate::web::layout::Layout;

/// Notices shown; older ones are of no use to the owner.
const NOTICES: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "owner/me.html")]
pub struct MePage {
    layout: Layout,
    address: String,
    status: IdentityStatus,
    status_label: String,
    status_words: String,
    open: Option<ProcessView>,
    default_grace_days: u16,
    /// "From 1 to 90 days."
    grace_range: String,
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
    let lang = visit.lang;
    let grace = state.core.periods().grace;
    let (status_label, status_words) = presentation::identity_status(identity.status);
    let user = &visit.user;
    Ok(MePage {
        layout: visit.titled("owner-me-title"),
        address: identity.address.to_string(),
        status: identity.status,
        status_label: lang.t(status_label),
        status_words: lang.t(status_words),
        open: open.map(|process| ProcessView::new(&process, now, &user.owner.device_id, lang)),
        default_grace_days: grace.days(),
        grace_range: lang.t_args(
            "owner-me-grace-range",
            &[
                ("min", Arg::from(i64::from(GraceLength::MIN_DAYS))),
                ("max", Arg::from(i64::from(GraceLength::MAX_DAYS))),
            ],
        ),
        min_grace_days: GraceLength::MIN_DAYS,
        max_grace_days: GraceLength::MAX_DAYS,
        notices: notices
            .into_iter()
            .map(|n| NoticeView {
                at: date(n.created_at, now, lang),
                text: presentation::notice(n.kind, &n.payload, now, lang),
            })
            .collect(),
    })
}
